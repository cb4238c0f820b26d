#!/usr/bin/env bash
# Measures the function and the widget and writes BENCHMARKS.md (see bench/README.md).
# Installs what it needs, builds what it measures, runs everything on loopback, and takes
# about 20 minutes on 2 cores (BENCH_QUICK=1: a 5-minute smoke run, figures not for keeps).
#
#   scripts/bench.sh                  # everything -> BENCHMARKS.md
#   BENCH_QUICK=1 scripts/bench.sh    # one round of each, to check the scripts
#   BENCH_SKIP_CRITERION=1 scripts/bench.sh   # reuse target/criterion from an earlier run
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bench_dir="$root/target/bench"
results="$bench_dir/results"
started=$(date +%s)
step_no=0
step() {
  step_no=$((step_no + 1))
  printf '\n==> [%d/11 +%ds] %s\n' "$step_no" "$(($(date +%s) - started))" "$*" >&2
}
step "installing tools (wrk, chromium, wasm target, trunk, wasm-bindgen, node packages)"
scripts/install-tools.sh all
rm -rf "$results" && mkdir -p "$results"
echo "$(date -u +%FT%TZ) $(cut -d' ' -f1-3 /proc/loadavg)" >"$results/load-start.txt"

step "building the function (cargo build --release -p leaderboard-function)"
cargo build --release -p leaderboard-function

# The wasm and glue of a Trunk build (dir $2) into target/bench/embed/NAME ($1).
keep_wasm_and_glue() {
  rm -rf "$bench_dir/embed/$1" && mkdir -p "$bench_dir/embed/$1"
  cp "$2"/*_bg.wasm "$2"/*.js "$bench_dir/embed/$1/"
}

# Every wasm build goes through Trunk with index.html's settings (the one place of them):
# the native page, the published embed (www/, from the same build) and the yew floor.
step "building the Trunk site, the published embed (www/) and the yew floor (release)"
widget_ok=1
if trunk build --release &&
  keep_wasm_and_glue widget dist &&
  trunk build --release --example yew-floor --filehash false --dist "$bench_dir/floor-dist" &&
  keep_wasm_and_glue floor "$bench_dir/floor-dist"; then
  npm run build --prefix www || echo "!! www/ npm run build failed: sizes of the Trunk builds only" >&2
  # The board embed (the widget's board feature), for the board page's takeover.
  TRUNK_BUILD_FEATURES=board EMBED_OUT_DIR="$root/target/board-embed" npm run build --prefix www ||
    echo "!! the board embed did not build: the board page is measured without its takeover" >&2
  node bench/sizes.mjs
else
  widget_ok=0
  echo "!! the widget did not build: widget figures are left out of BENCHMARKS.md" >&2
fi

step "criterion: engine vs the naive reference at 1,000,000 scores (a few minutes)"
if [ "${BENCH_SKIP_CRITERION:-0}" = 1 ] && [ -d target/criterion ]; then
  echo "BENCH_SKIP_CRITERION=1: reusing target/criterion" >&2
else
  criterion_args=()
  [ "${BENCH_QUICK:-0}" = 1 ] && criterion_args=(-- --warm-up-time 0.2 --measurement-time 0.5)
  cargo bench -p leaderboard-engine --bench query "${criterion_args[@]}" 2>&1 |
    tee "$results/criterion.log" >&2
fi

# A failed measurement leaves its section out of BENCHMARKS.md; the run still writes the
# rest and then exits non-zero.
failed=()
step "the function: cold starts, wrk rounds, memory, bytes on the wire"
node bench/function.mjs || failed+=(function)

step "the widget in headless Chromium: first rows, 10 widgets, page change, live refresh"
if [ "$widget_ok" = 1 ]; then
  node bench/browser.mjs || failed+=(browser)
else
  failed+=(widget-build)
fi

step "Lighthouse 12.2 on the native page, desktop and mobile presets"
if [ "$widget_ok" = 1 ]; then
  scripts/install-tools.sh lighthouse && node bench/lighthouse.mjs || failed+=(lighthouse)
else
  failed+=(widget-build)
fi

step "the board page in headless Chromium: first rows, takeover"
node bench/board.mjs || failed+=(board)

step "the Redis store: query shapes vs health and bare redis-benchmark, posts/s, import"
rm -f "$results/redis.md"
bash bench/redis.sh || failed+=(redis)

step "the Redis store with periods: memory per key family, timed vs all-time posts/s"
rm -f "$results/redis-periods.md"
bash bench/redis-periods.sh || failed+=(redis-periods)

step "writing BENCHMARKS.md"
echo "$(date -u +%FT%TZ) $(cut -d' ' -f1-3 /proc/loadavg)" >"$results/load-end.txt"
node bench/report.mjs "$(($(date +%s) - started))"
for section in redis redis-periods; do
  if [ -f "$results/$section.md" ]; then
    { echo; cat "$results/$section.md"; } >>BENCHMARKS.md
  fi
done
echo "==> done in $(($(date +%s) - started)) s: $root/BENCHMARKS.md" >&2
if ((${#failed[@]})); then
  echo "!! not measured: ${failed[*]} (see the output above)" >&2
  exit 1
fi
