#!/usr/bin/env bash
# The Redis store with periods (issue 14) at 1,000,000 timed scores played over a year: on
# a fresh Redis, the import with the default retention and prefix threshold, `used_memory`
# in total and per key family (all time, the retained days, weeks and months, the
# `view=best` sets, their prefix sets: bench/redis-families.lua), and posts per second
# through the release function, timed posts (no `playedAt`: today's day, week and month)
# against posts whose `playedAt` is outside every retained period (all time only), with
# Redis's µs per post script (`INFO commandstats`), CPU and memory per post.
# Writes target/bench/results/redis-periods.md (a Markdown section for BENCHMARKS.md) and
# redis-periods.json. Everything on loopback; servers it starts are stopped on exit.
#
#   bench/redis-periods.sh                  # ~6 minutes on 2 cores
#   BENCH_QUICK=1 bench/redis-periods.sh    # 100,000 scores, 2 s per post run: checks the script
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/redis-common.sh
if [ "$quick" = 1 ]; then scores=100000 profiles=10000 duration=2s; else scores=1000000 profiles=100000 duration=10s; fi
# The import decides what is retained on Redis's clock, which no test clock moves: the
# scores end at the last noon (UTC) before now, so the current day, week and month hold
# the data's last hours and days whatever the date of the run (bench/function.mjs's data
# ends at a fixed time and moves its servers' clocks there instead).
if [ "$(date -u +%H)" -ge 12 ]; then until_day=$(date -u +%F); else until_day=$(date -u -d yesterday +%F); fi
played_until="${until_day}T12:00:00Z"
data="$root/target/bench/data-$scores-$profiles-s42-t365-u$until_day"
# Outside every retained period (12 months by default): the post is in all time only.
old_played_at="2020-01-15T12:00:00Z"

require_tools redis-server redis-cli wrk
load() { cut -d' ' -f1-3 /proc/loadavg; }

cargo build --release -p leaderboard-function >&2
if [ ! -f "$data/scores.json" ]; then
  # One data set per size is kept: the ones of earlier days are removed.
  rm -rf "$root/target/bench/data-$scores-$profiles-s42-t365-u"*
  echo "==> generating $scores timed scores over the 365 days before $played_until" >&2
  "$bin" generate --scores "$scores" --profiles "$profiles" --seed 42 \
    --played-over-days 365 --played-until "$played_until" --out "$data"
fi

start_redis
rcli() { redis-cli -p "$redis_port" "$@"; }
redis_cpu() { rcli info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {t += $2} END {printf "%.6f", t}'; }

load_before=$(load)
echo "==> import of $scores timed scores (default retention and prefix threshold)" >&2
memory_empty=$(used_memory)
import_start=$(date +%s.%N)
"$bin" import --data-dir "$data" --redis "$redis_url" 2>"$tmp/import.log"
import_seconds=$(echo "$(date +%s.%N) - $import_start" | bc)
memory_used=$(( $(used_memory) - memory_empty ))
keyspace=$(rcli info keyspace | tr -d '\r' | sed -n 's/^db0://p') # keys=…,expires=…,avg_ttl=…

echo "==> MEMORY USAGE of every key, by family" >&2
cursor=0
: >"$tmp/families.txt"
while :; do
  rcli --raw --eval bench/redis-families.lua , "$cursor" 2000 '{lb}:' >"$tmp/step.txt"
  cursor=$(head -1 "$tmp/step.txt")
  tail -n +2 "$tmp/step.txt" >>"$tmp/families.txt"
  [ "$cursor" = 0 ] && break
done

echo "==> posts through the function" >&2
fn_port=$(free_port)
LEADERBOARD_INGEST_KEY="$ingest_key" "$bin" --redis "$redis_url" --port "$fn_port" >/dev/null 2>"$tmp/fn.log" &
pids+=($!)
until curl -sf "http://127.0.0.1:$fn_port/api/health" >/dev/null; do sleep 0.05; done
base="http://127.0.0.1:$fn_port"
run_id="r$(date +%s)"
# One wrk run of posts: name, then the optional playedAt. Writes posts-NAME.json: wrk's
# report, the post script's calls and µs (EVALSHA, or EVAL on a script cache miss), Redis
# CPU and used_memory over the run, and the all-time and today's entries before and after.
post_run() {
  local name=$1 played_at=${2:-} today
  today="{lb}:score:day:$(date -u +%F)/all"
  rcli config resetstat >/dev/null
  local cpu0 mem0 all0 day0
  cpu0=$(redis_cpu); mem0=$(used_memory)
  all0=$(rcli zcard '{lb}:score:all'); day0=$(rcli zcard "$today")
  local report
  # shellcheck disable=SC2086 # no playedAt: no argument
  report=$(wrk -t2 -c16 -d"$duration" -s bench/wrk-post.lua "$base" -- \
    "$ingest_key" "$run_id-$name" "$profiles" $played_at | sed -n 's/^WRK-JSON //p')
  # The posts in flight when wrk stopped still land: wait until the count stands still.
  local all1 all2
  all1=$(rcli zcard '{lb}:score:all')
  while sleep 0.2; all2=$(rcli zcard '{lb}:score:all'); [ "$all2" != "$all1" ]; do all1=$all2; done
  # Calls that ran: not the ones refused (a NOSCRIPT before the script is loaded).
  local script
  script=$(rcli info commandstats | tr -d '\r' |
    awk -F'[:=,]' '$1 == "cmdstat_evalsha" || $1 == "cmdstat_eval" {c += $3 - $9 - $11; u += $5} END {printf "{\"calls\":%d,\"usec\":%d}", c, u}')
  cat >"$tmp/posts-$name.json" <<JSON
{"wrk":$report,"script":$script,"redisCpuSeconds":$(python3 -c "print($(redis_cpu) - $cpu0)"),
 "usedMemoryBytes":$(( $(used_memory) - mem0 )),
 "allTime":[$all0,$(rcli zcard '{lb}:score:all')],"today":[$day0,$(rcli zcard "$today")]}
JSON
}
post_run timed
post_run old "$old_played_at"
load_after=$(load)

python3 - "$tmp" "$results" <<PY
import json, sys
tmp, results = sys.argv[1], sys.argv[2]
lines = open(f"{tmp}/families.txt").read().split("\n")
lines = [l for l in lines if l != ""]
fam = {}
for i in range(0, len(lines) - 2, 3):
    name, b, k = lines[i], int(lines[i + 1]), int(lines[i + 2])
    f = fam.setdefault(name, [0, 0])
    f[0] += b; f[1] += k
posts = {n: json.load(open(f"{tmp}/posts-{n}.json")) for n in ("timed", "old")}
for n, p in posts.items():
    created = p["allTime"][1] - p["allTime"][0]
    today = p["today"][1] - p["today"][0]
    # Every post must be a new score, and land where its playedAt says.
    # wrk counts the answers it read; the posts in flight at its end are stored too.
    ok = p["wrk"]["errors"]["status"] == 0 and p["wrk"]["requests"] <= created <= p["wrk"]["requests"] + 16
    ok = ok and created == p["script"]["calls"] and (today == created if n == "timed" else today == 0)
    if not ok or created == 0:
        sys.exit(f"bench/redis-periods.sh: {n} posts: {created} created of {p['wrk']['requests']} requests, {today} in today's set, {p['script']['calls']} post scripts, non-2xx {p['wrk']['errors']['status']}")
    p["created"] = created
out = {
    "scores": $scores, "profiles": $profiles, "playedUntil": "$played_until", "playedOverDays": 365,
    "importSeconds": $import_seconds, "usedMemoryBytes": $memory_used, "keyspace": "$keyspace",
    "families": {k: {"bytes": v[0], "keys": v[1]} for k, v in fam.items() if ":" not in k},
    "entries": {k.split(":")[1]: v[0] for k, v in fam.items() if k.startswith("entries:")},
    "players": {k.split(":")[1]: v[0] for k, v in fam.items() if k.startswith("players:")},
    "periods": {k.split(":")[1]: v[0] for k, v in fam.items() if k.startswith("periods:")},
    "posts": posts, "oldPlayedAt": "$old_played_at", "duration": "$duration",
    "loadAverage": {"before": "$load_before", "after": "$load_after"},
}
json.dump(out, open(f"{results}/redis-periods.json", "w"), indent=1)

mib = lambda b: f"{b / 1048576:,.0f} MiB"
fams = out["families"]
get = lambda scope, kind: fams.get(f"{scope}/{kind}", {"bytes": 0, "keys": 0})
kinds = ["sets", "best", "pfx", "view", "group", "view-pfx"]
rows = []
for scope, label in [("all", "all time"), ("day", "days"), ("week", "weeks"), ("month", "months")]:
    total = sum(get(scope, k)["bytes"] for k in kinds)
    keys = sum(get(scope, k)["keys"] for k in kinds)
    entries = out["entries"].get(scope, 0)
    players = out["players"].get(scope, 0)
    periods = out["periods"].get(scope, 0)
    per = f"{total / entries:,.0f}" if entries else ""
    name = label if scope == "all" else f"{label} ({periods} with scores)"
    rows.append(f"| {name} | {entries:,} | {players:,} | " + " | ".join(mib(get(scope, k)["bytes"]) for k in kinds)
                + f" | **{mib(total)}** | {keys:,} | {per} |")
shared = get("shared", "other")
summed = sum(v["bytes"] for v in fams.values())
post_rows = []
for n, label in [("timed", "no \`playedAt\` (today's day, week and month, and all time)"),
                 ("old", f"\`playedAt\` {out['oldPlayedAt'][:10]} (outside every retained period: all time only)")]:
    p = posts[n]
    w, s = p["wrk"], p["script"]
    us = s["usec"] / s["calls"] if s["calls"] else 0
    cpu = p["redisCpuSeconds"] * 1e6 / p["created"]
    post_rows.append(f"| {label} | {w['rps']:,.0f} | {w['p99_us'] / 1000:.1f} ms | {us:,.0f} | {cpu:,.0f} | {p['usedMemoryBytes'] / p['created']:,.0f} |")
t, o = posts["timed"]["script"], posts["old"]["script"]
ratio = (t["usec"] / t["calls"]) / (o["usec"] / o["calls"])
md = f"""## The Redis store with periods ({out['scores']:,} timed scores over a year, one local redis-server)

Data: \`leaderboard-function generate --scores {out['scores']} --profiles {out['profiles']} --seed 42 --played-over-days 365 --played-until {out['playedUntil']}\`
(the import decides what is retained on Redis's clock, so the data ends at the last noon UTC
before the run). \`import\` with the default retention (31 days, 12 weeks, 12 months) and
prefix threshold: {out['importSeconds']:.0f} s. Redis memory after it (\`used_memory\` over an
empty server): **{mib(out['usedMemoryBytes'])}** (\`{out['keyspace']}\`).

Per key family (\`MEMORY USAGE … SAMPLES 0\` of every key, \`bench/redis-families.lua\`;
the families sum to {mib(summed)}, the rest is the keyspace's own tables). "Entries": the
scores in the scope's sets (each timed score is in all time, its month, and its week and
day while retained); "players": the players with an entry there, summed over the scope's
periods (\`HLEN\` of \`best:…all\`); "sets": the \`score:\`/\`name:\` sets of the four filter
selections; "best": their \`best:\` hashes; "pfx": their prefix sets; "view": the \`view=best\`
sets (\`bv:\`); "groups": the view's groups for \`sort=mode|region\` (\`bg:\`); "view pfx": the
prefix sets of both.

| scope | entries | players | sets | best | pfx | view | groups | view pfx | total | keys | bytes per entry |
|---|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
| records, profiles, player index, manifests | | | | | | | | | **{mib(shared['bytes'])}** | {shared['keys']:,} | |

Posts (\`POST /api/scores\`, one Lua script each; release function, \`wrk -t2 -c16 -d{out['duration']}\`,
\`bench/wrk-post.lua\`: a new score id each, existing players, generated modes and regions;
every post checked to be created in the scopes its \`playedAt\` names). µs per post script:
\`INFO commandstats\` (\`evalsha\`); Redis CPU and \`used_memory\` over the run per post.
Load average {out['loadAverage']['before']} before the import, {out['loadAverage']['after']} after the posts.

| post | posts/s | p99 | µs per post script | Redis CPU µs per post | used_memory bytes per post |
|---|---|---|---|---|---|
{chr(10).join(post_rows)}

A timed post costs Redis {ratio:.1f}× an all-time one.
"""
open(f"{results}/redis-periods.md", "w").write(md)
print(md)
PY
