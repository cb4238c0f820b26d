#!/usr/bin/env bash
# Runs the demo: builds the widget with Trunk, then starts the function on the shipped
# sample data (data/sample) serving the widget's pages next to the API.
# On a fresh machine it first installs what it needs (wasm target, trunk, wasm-bindgen-cli,
# wasm-opt).
#
#   scripts/demo.sh                  # http://127.0.0.1:8080/
#   PORT=9000 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
port="${PORT:-8080}"

scripts/install-tools.sh rust
scripts/install-tools.sh node
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "==> building the widget (trunk build --release)"
trunk build --release
echo "==> building the function"
cargo build --release -p leaderboard-function
echo "==> open http://127.0.0.1:$port/ (Ctrl-C stops)"
exec target/release/leaderboard-function --data-dir data/sample --static-dir dist --port "$port"
