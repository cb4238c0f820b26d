-- wrk script for bench/redis-periods.sh: every request posts one new score (POST
-- /api/scores with the ingest key), its id unique across threads and runs (RUN, then the
-- thread, then a counter), so no post is an idempotent retry; by an existing player
-- (profile ids 1..PROFILES, as `generate` writes them), in the generated modes and regions.
-- Without PLAYED_AT the score gets the function's clock on receipt (today's day, week and
-- month); with it, that `playedAt`. Reports like bench/wrk-report.lua.
--
--   wrk -t2 -c16 -d5s -s bench/wrk-post.lua URL -- INGEST_KEY RUN PROFILES [PLAYED_AT]

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-report.lua")

local modes = { "Solo", "Duo", "Trio" }
local regions = { "Milky Way", "Andromeda", "Pinwheel", "NGC 1300", "Messier 82",
  "Ring Nebula", "Sombrero", "Triangulum" }

function init(args)
  run = args[2]
  profiles = tonumber(args[3])
  played_at = args[4] and string.format(',"playedAt":"%s"', args[4]) or ""
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[1] }
  thread_id = tonumber(thread_index) or 0
  -- Each thread its own sequence (wrk's threads would otherwise draw the same numbers).
  math.randomseed(1000 + thread_id)
  n = 0
end

function request()
  n = n + 1
  local body = string.format(
    '{"id":"%s-%d-%d","profileId":"%d","score":%d,"gameMode":"%s","gameRegion":"%s"%s}',
    run, thread_id, n, math.random(profiles), math.random(0, 99999),
    modes[math.random(#modes)], regions[math.random(#regions)], played_at)
  return wrk.format("POST", "/api/scores", headers, body)
end
