-- wrk script for the cache-defeating row of bench/function.mjs: every request asks for the
-- next page of the URL (page=1, 2, 3, ... up to the page count given after `--`, default
-- 100,000: all of 1,000,000 scores at 10 a page), the threads interleaved, so no page
-- repeats within a run of fewer requests than that and the response cache cannot answer:
-- the row measures the miss path (query + serialise). Reports like bench/wrk-report.lua.
--
--   wrk -t2 -c64 -d4s --latency -s bench/wrk-rotate.lua URL -- 100000

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-report.lua")

function init(args)
  pages = tonumber(args[1]) or 100000
  next_page = (tonumber(thread_index) or 0) + 1
  separator = wrk.path:find("?", 1, true) and "&" or "?"
end

function request()
  local page = next_page
  next_page = next_page + (tonumber(thread_count) or 1)
  if next_page > pages then
    next_page = next_page - pages
  end
  return wrk.format(nil, wrk.path .. separator .. "page=" .. page)
end
