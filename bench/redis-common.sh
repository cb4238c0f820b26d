# What the Redis benchmarks (bench/redis.sh, bench/redis-periods.sh) share, sourced by them:
# the tools they need, a free loopback port, the servers they start (stopped on exit), a
# fresh Redis of their own ($redis_port, $redis_url) and its memory.
#
#   . bench/redis-common.sh      (from the repository's root)
#   require_tools redis-server redis-cli wrk
#   start_redis

root="$PWD"
results="$root/target/bench/results"
mkdir -p "$results"
quick="${BENCH_QUICK:-0}"
bin="$root/target/release/leaderboard-function"
ingest_key="bench-ingest-key-0123456789abcdef"

require_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0") needs $tool (scripts/install-tools.sh system)" >&2; exit 1; }
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Every server started goes into `pids`; all are stopped, and the scratch directory `tmp`
# removed, when the script exits.
pids=()
tmp=$(mktemp -d)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# An empty Redis on a free loopback port, without persistence.
start_redis() {
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" \
    --daemonize no --loglevel warning >"$tmp/redis.log" 2>&1 &
  pids+=($!)
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done
  redis_url="redis://127.0.0.1:$redis_port"
}

used_memory() { redis-cli -p "$redis_port" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
mib() { python3 -c "print(f'{int($1)/1048576:.0f} MiB')"; }
