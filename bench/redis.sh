#!/usr/bin/env bash
# The Redis store at 1,000,000 scores: import time, each query shape's throughput as a
# ratio to /api/health of the same function in the same run, the bare sorted-set read with
# redis-benchmark on the same Redis (the floor the function adds to), the Redis commands and
# CPU each read costs, a page served from the shared page cache against redis-benchmark's GET
# of a value of the same size, posts per second, and the capacity model's inputs checked
# with one and two replicas.
# Writes target/bench/results/redis.md (a Markdown section for BENCHMARKS.md) and
# redis.json. Everything on loopback; servers it starts are stopped on exit.
#
#   bench/redis.sh                   # ~7 minutes on 2 cores
#   BENCH_QUICK=1 bench/redis.sh     # 1 s per shape, 100,000 scores: checks the script
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/redis-common.sh
if [ "$quick" = 1 ]; then scores=100000 profiles=10000 duration=1s; else scores=1000000 profiles=100000 duration=5s; fi
data="$root/target/bench/redis-data-$scores"

require_tools redis-server redis-cli redis-benchmark wrk

cargo build --release -p leaderboard-function >&2
[ -f "$data/scores.json" ] || "$bin" generate --scores "$scores" --profiles "$profiles" --seed 1 --out "$data"

start_redis

# First without prefix sets (a threshold no prefix reaches), for the memory they cost.
echo "==> import of $scores scores without prefix sets" >&2
memory_empty=$(used_memory)
"$bin" import --data-dir "$data" --redis "$redis_url" --prefix-threshold 1000000000000 2>"$tmp/import-plain.log"
memory_plain=$(( $(used_memory) - memory_empty ))
plain_seconds=$(sed -n 's/.* in \([0-9.]*\)s (.*/\1/p' "$tmp/import-plain.log")
redis-cli -p "$redis_port" flushall sync >/dev/null # the next import starts from nothing

echo "==> import of $scores scores (default prefix threshold)" >&2
import_start=$(date +%s.%N)
# Quick runs have a tenth of the scores: a lower T gives them the same prefix sets to page.
# shellcheck disable=SC2046 # no argument, or the flag and its value
"$bin" import --data-dir "$data" --redis "$redis_url" $([ "$quick" = 1 ] && echo --prefix-threshold 256) 2>"$tmp/import.log"
import_seconds=$(echo "$(date +%s.%N) - $import_start" | bc)
memory_with=$(( $(used_memory) - memory_empty ))
redis_memory=$(mib "$memory_with")
threshold=$(redis-cli -p "$redis_port" get '{lb}:pfxmin')
prefix_sets=$(redis-cli -p "$redis_port" smembers '{lb}:keys' | grep -c ':pfx:' || true)
for key in '{lb}:pfx:3:all:a' '{lb}:pfx:3:all:gr' '{lb}:pfx:6:m:Solo:a'; do
  # The q= shapes below must be served from prefix sets: fail loudly if one is missing.
  card=$(redis-cli -p "$redis_port" zcard "$key")
  [ "$card" -gt "$threshold" ] || { echo "bench/redis.sh: $key has $card members, not a prefix set" >&2; exit 1; }
done
listed=$(redis-cli -p "$redis_port" zlexcount '{lb}:name:all' '[hydras' '(hydrat')
[ "$listed" -le "$threshold" ] || { echo "bench/redis.sh: q=hydras has $listed matches, expected at most T" >&2; exit 1; }

fn_port=$(free_port)
# The response cache and the shared page cache are off: every request below reads the
# leaderboard's keys in Redis (what this section measures).
LEADERBOARD_RESPONSE_CACHE=0 LEADERBOARD_REDIS_PAGE_CACHE=0 LEADERBOARD_INGEST_KEY="$ingest_key" "$bin" --redis "$redis_url" --port "$fn_port" >"$tmp/fn.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$fn_port/api/health" >/dev/null; do sleep 0.05; done
base="http://127.0.0.1:$fn_port"
player=$(curl -s "$base/api/LeaderboardFunction?page=777" | python3 -c 'import json,sys; print(json.load(sys.stdin)["scores"][0]["profile"]["id"])')

# name|query string|bare Redis read of the same page (redis-benchmark arguments)
shapes=(
  "health||"
  "default (page 1)||ZRANGE {lb}:score:all 0 9"
  "deep page (50,000)|page=50000|ZRANGE {lb}:score:all 499990 499999"
  "mode+region|mode=Duo&region=Andromeda&page=100|ZRANGE {lb}:score:mr:3:DuoAndromeda 990 999"
  "sort=player deep|sort=player&page=30000|ZRANGE {lb}:name:all 299990 299999"
  "sort=mode deep|sort=mode&order=desc&page=40000|ZRANGE {lb}:score:m:Solo 399990 399999"
  "q=gr (prefix, player sort)|q=gr&sort=player&page=5|ZRANGE {lb}:name:all 0 9"
  "q=gr (score sort)|q=gr&page=5|ZRANGE {lb}:pfx:3:all:gr 40 49"
  "q=a (score sort)|q=a|ZRANGE {lb}:pfx:3:all:a 0 9"
  "q=a deep (score sort)|q=a&page=2000|ZRANGE {lb}:pfx:3:all:a 19990 19999"
  "q=a sort=mode deep|q=a&sort=mode&page=100|ZRANGE {lb}:pfx:6:m:Solo:a 990 999"
  "q=hydras (score sort, matches listed)|q=hydras&page=3|ZRANGE {lb}:name:all [hydras (hydrat BYLEX"
  "around|around=$player|ZRANGE {lb}:score:all 0 9"
)

wrk_run() { # url -> WRK-JSON
  wrk -t2 -c16 -d"$duration" -s bench/wrk-report.lua "$1" | sed -n 's/^WRK-JSON //p'
}
json_field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
# Redis commands one request costs (INFO commandstats over 20 requests), on the node at $2.
commands_per_request() { # url port -> commands per request
  redis-cli -p "$2" config resetstat >/dev/null
  for _ in $(seq 20); do curl -s "$1" >/dev/null; done
  redis-cli -p "$2" info commandstats | tr -d '\r' |
    awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_config" && $1 != "cmdstat_info" {n += $3} END {printf "%.1f", n / 20}'
}
# Redis CPU seconds (user + sys) of the node at $1 so far.
redis_cpu() { redis-cli -p "$1" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {t += $2} END {printf "%.6f", t}'; }

echo '{"scores":'"$scores"',"importSeconds":'"$import_seconds"',"importSecondsWithoutPrefixSets":'"${plain_seconds:-0}"',"redisMemory":"'"$redis_memory"'","usedMemoryBytes":'"$memory_with"',"usedMemoryBytesWithoutPrefixSets":'"$memory_plain"',"prefixThreshold":'"$threshold"',"prefixSets":'"$prefix_sets"',"shapes":[' >"$results/redis.json"
health_rps=""
rows=""
first=1
for shape in "${shapes[@]}"; do
  IFS='|' read -r name query bare <<<"$shape"
  if [ "$name" = health ]; then url="$base/api/health"; else url="$base/api/LeaderboardFunction?$query"; fi
  echo "==> $name" >&2
  result=$(wrk_run "$url")
  rps=$(json_field "$result" rps)
  [ -z "$health_rps" ] && health_rps="$rps"
  bare_rps=""
  if [ -n "$bare" ]; then
    # shellcheck disable=SC2086 # the bare command is split into its words on purpose
    bare_rps=$(redis-benchmark -p "$redis_port" -c 16 -n $([ "$quick" = 1 ] && echo 20000 || echo 200000) --csv $bare |
      tail -1 | cut -d, -f2 | tr -d '"')
  fi
  [ $first = 1 ] || echo ',' >>"$results/redis.json"
  first=0
  echo "{\"name\":\"$name\",\"query\":\"$query\",\"wrk\":$result,\"bareRedisRps\":\"$bare_rps\"}" >>"$results/redis.json"
  ratio=$(python3 -c "print(f'{float($rps)/float($health_rps):.2f}')")
  bare_ratio=$([ -n "$bare_rps" ] && python3 -c "print(f'{float($rps)/float($bare_rps):.3f}')" || echo "")
  commands=$([ "$name" = health ] && echo 3 || commands_per_request "$url" "$redis_port")
  rows+="| $name | \`$query\` | $(printf '%.0f' "$rps") | $(json_field "$result" p99_us) | $ratio | ${bare_rps%.*} | $bare_ratio | $commands |"$'\n'
done

echo "==> posts" >&2
# New scores with ids unique across wrk's threads (bench/wrk-post.lua), no `playedAt`.
post_result=$(wrk -t2 -c16 -d"$duration" -s bench/wrk-post.lua "$base" -- "$ingest_key" "bench-$(date +%s)" "$profiles" | tail -20)
post_rps=$(echo "$post_result" | awk '/Requests\/sec/ {print $2}')
post_non2xx=$(echo "$post_result" | awk '/Non-2xx/ {print $NF}')
echo "],\"postsPerSecond\":\"$post_rps\",\"postsNon2xx\":\"${post_non2xx:-0}\"}" >>"$results/redis.json"

echo "==> a page from the shared page cache" >&2
cached_port=$(free_port)
# The in-process cache off, the shared one on (the default): each request is the version
# read plus one MGET of the page.
LEADERBOARD_RESPONSE_CACHE=0 "$bin" --redis "$redis_url" --port "$cached_port" >"$tmp/fn-cached.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$cached_port/api/health" >/dev/null; do sleep 0.05; done
cached_url="http://127.0.0.1:$cached_port/api/LeaderboardFunction"
page_bytes=$(curl -s "$cached_url" | wc -c)
[ "$(curl -s -o /dev/null -w '%header{x-cache}' "$cached_url")" = shared-hit ] ||
  { echo "bench/redis.sh: the page was not served from the shared cache" >&2; exit 1; }
cpu_before=$(redis_cpu "$redis_port")
cached_result=$(wrk_run "$cached_url")
cached_cpu_us=$(python3 -c "print(f'{($(redis_cpu "$redis_port") - $cpu_before) * 1e6 / $(json_field "$cached_result" requests):.1f}')")
cached_rps=$(json_field "$cached_result" rps)
cached_commands=$(commands_per_request "$cached_url" "$redis_port")
head -c "$page_bytes" /dev/zero | tr '\0' x | redis-cli -p "$redis_port" -x set bench:page >/dev/null
get_rps=$(redis-benchmark -p "$redis_port" -c 16 -n $([ "$quick" = 1 ] && echo 20000 || echo 200000) --csv GET bench:page |
  tail -1 | cut -d, -f2 | tr -d '"')
redis-cli -p "$redis_port" del bench:page >/dev/null
# Redis CPU per uncached default page, for the capacity model.
cpu_before=$(redis_cpu "$redis_port")
uncached_result=$(wrk_run "$base/api/LeaderboardFunction")
uncached_cpu_us=$(python3 -c "print(f'{($(redis_cpu "$redis_port") - $cpu_before) * 1e6 / $(json_field "$uncached_result" requests):.1f}')")

echo "==> replicas: the reads of k function processes spread over k replicas (k = 1, 2)" >&2
replica_ports=()
start_replica() {
  local port dir
  port=$(free_port)
  dir=$(mktemp -d -p "$tmp")
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --daemonize no --loglevel warning --replicaof 127.0.0.1 "$redis_port" \
    --repl-diskless-sync-delay 0 >"$dir/redis.log" 2>&1 &
  pids+=($!)
  until redis-cli -p "$port" info replication 2>/dev/null | grep -q 'master_link_status:up'; do sleep 0.2; done
  replica_ports+=("$port")
}
replica_rows=""
for k in 1 2; do
  start_replica
  ports=()
  for replica in "${replica_ports[@]}"; do
    port=$(free_port)
    # One function process per replica, each pinned to it; caches off: every read reaches Redis.
    LEADERBOARD_RESPONSE_CACHE=0 LEADERBOARD_REDIS_PAGE_CACHE=0 "$bin" --redis "$redis_url" \
      --redis-replica "redis://127.0.0.1:$replica" --port "$port" >"$tmp/fn-r$port.log" 2>&1 &
    pids+=($!)
    until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done
    ports+=("$port")
  done
  cpu0=$(redis_cpu "$redis_port")
  declare -A cpu_r=()
  for replica in "${replica_ports[@]}"; do cpu_r[$replica]=$(redis_cpu "$replica"); done
  wrk_pids=()
  for port in "${ports[@]}"; do
    wrk_run "http://127.0.0.1:$port/api/LeaderboardFunction" >"$tmp/wrk-$k-$port.json" &
    wrk_pids+=($!)
  done
  wait "${wrk_pids[@]}"
  total_rps=0; total_requests=0; replica_us=""; i=0
  for port in "${ports[@]}"; do
    r=$(cat "$tmp/wrk-$k-$port.json")
    total_rps=$(python3 -c "print($total_rps + $(json_field "$r" rps))")
    total_requests=$((total_requests + $(json_field "$r" requests)))
    # The replica this process reads from: its CPU over the requests it served.
    replica=${replica_ports[$i]}; i=$((i + 1))
    replica_us+="$(python3 -c "print(f'{($(redis_cpu "$replica") - ${cpu_r[$replica]}) * 1e6 / $(json_field "$r" requests):.1f}')") "
  done
  primary_us=$(python3 -c "print(f'{($(redis_cpu "$redis_port") - $cpu0) * 1e6 / $total_requests:.1f}')")
  replica_rows+="| $k | $(printf '%.0f' "$total_rps") | $primary_us | ${replica_us% } |"$'\n'
done

{
  echo "## The Redis store ($scores scores, one local redis-server)"
  echo
  echo "Import (\`leaderboard-function import\`): ${import_seconds%.*} s; Redis memory after (\`used_memory\`"
  echo "over an empty server): $redis_memory, of which $(mib $(( memory_with - memory_plain ))) are the $prefix_sets prefix"
  echo "sets of threshold T = $threshold (without them: $(mib "$memory_plain"), import ${plain_seconds%.*} s). Every \`q=\`"
  echo "shape below pages a prefix set (checked by the script)."
  echo "Throughput with wrk (2 threads, 16 connections, $duration per shape); \"vs health\" is the"
  echo "ratio to \`/api/health\` of the same function (one Redis round trip); \"bare Redis\" is"
  echo "\`redis-benchmark\` (16 clients) doing the one sorted-set read of that page, the floor."
  echo "The function runs with its response cache off (\`LEADERBOARD_RESPONSE_CACHE=0\`), so every"
  echo "request reads Redis; with the cache on (the default), a repeated page costs the version"
  echo "read plus the cached bytes."
  echo
  echo "| shape | query | req/s | p99 µs | vs health | bare Redis req/s | vs bare | Redis commands |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
  echo
  echo "Posts (\`POST /api/scores\`, one Lua script each): ${post_rps:-n/a} /s (non-2xx: ${post_non2xx:-0})."
  echo
  echo "A page from the shared page cache (in-process cache off; the default page, $page_bytes bytes;"
  echo "$cached_commands Redis commands, 2 round trips): $(printf '%.0f' "$cached_rps") req/s against"
  echo "\`redis-benchmark\` GET of a $page_bytes-byte value: ${get_rps%.*} req/s"
  echo "($(python3 -c "print(f'{float($cached_rps)/float($get_rps):.2f}')")×). Redis CPU per request: $cached_cpu_us µs cached, $uncached_cpu_us µs uncached"
  echo "(the default page), the input of the capacity model in bench/analysis.md."
  echo
  echo "Reads over replicas: k function processes, each reading from its own replica (caches off,"
  echo "the default page, wrk on all at once); Redis CPU per request on each node. This machine has"
  echo "two cores, so the total cannot grow with k here: the per-node CPU is what the model uses."
  echo
  echo "| replicas k | req/s (all processes) | primary µs CPU / req | each replica: µs CPU / req it served |"
  echo "|---|---|---|---|"
  printf '%s' "$replica_rows"
} >"$results/redis.md"
cat "$results/redis.md"
