#!/usr/bin/env bash
# Runs every test of the project. On a fresh machine it first installs what they need
# (Debian's chromium, chromium-driver and redis-server, the wasm target, trunk,
# wasm-bindgen-cli, node packages, the Python tools in a venv); on a warm machine those steps
# are skipped.
#
#   scripts/test.sh          # everything: lint, Rust tests, API fuzzing, wasm component tests,
#                            # browser e2e
#
# Environment: CARGO_TERM_COLOR, E2E_* (see tests/e2e/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

started=$SECONDS
stage() { printf '\n==> [%4ss] %s\n' "$((SECONDS - started))" "$*"; }

stage "install tools (skipped when present)"
scripts/install-tools.sh all
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

stage "cargo fmt --check"
cargo fmt --all -- --check

stage "cargo clippy (host and wasm32), warnings are errors"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p space-leaderboard --target wasm32-unknown-unknown --all-targets -- -D warnings

stage "Rust tests: model, engine (property tests), function (real HTTP, real Redis)"
cargo test --workspace

stage "the function's HTTP suites again, served by Redis, a primary with two replicas, and a Redis Cluster with a replica per master"
# (A cluster without replicas is pinned by http_redis.rs and ingest.rs; replicas, failover
# under load, the shared page cache and boards on their own slots have their own tests in
# `cargo test --workspace` above: function/tests/redis_*.rs.)
for store in redis redis-replicas redis-cluster-replicas; do
  LEADERBOARD_TEST_STORE=$store cargo test -p leaderboard-function --test http_api --test http_caching --test board_page --test moderation --test played_at --test periods
done

stage "the npm package's API types match the OpenAPI document"
scripts/api-types.sh --check

stage "API fuzzing: Schemathesis against the function's own OpenAPI document (fixed seed)"
scripts/fuzz-api.sh

stage "consumers of a pasted board URL (@extractus/oembed-extractor, micawber, open-graph-scraper) against the board page"
E2E_FUNCTION_BIN="$root/target/debug/leaderboard-function" npm run --silent test:oembed

stage "widget component tests (wasm-bindgen-test in headless Chromium)"
cargo test -p space-leaderboard --target wasm32-unknown-unknown

stage "build the widget with Trunk (release, offline) into dist/"
trunk build --release

stage "browser end-to-end tests (Playwright + Debian Chromium, real function)"
export E2E_DIST="$root/dist"
export E2E_FUNCTION_BIN="$root/target/debug/leaderboard-function"
npm run --silent test:e2e

stage "build the embed (loader, ESM entry, glue, wasm) into www/dist/"
npm run --silent build:embed

stage "build the board embed (the widget's board feature) into target/board-embed/"
TRUNK_BUILD_FEATURES=board EMBED_OUT_DIR="$root/target/board-embed" npm run --silent build:embed

stage "the board page framed cross-origin and sandboxed in Chromium (frame fit, parent messages, the wasm's takeover)"
E2E_FUNCTION_BIN="$root/target/debug/leaderboard-function" E2E_EMBED_DIR="$root/target/board-embed" npm run --silent test:board

stage "embedding end-to-end tests (script tag, custom element, JS API, CSP, hostile CSS, npm + Vite)"
npm run --silent test:embed

stage "all tests passed"
