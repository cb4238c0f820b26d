-- wrk reporter for scripts/bench.sh: after a run, one line `WRK-JSON {...}` with the
-- throughput, latency percentiles (from wrk's own HdrHistogram, in microseconds) and every
-- error counter, so the driver (bench/function.mjs) never scrapes wrk's human output.
-- Scripts that split their requests between threads (wrk-rotate.lua, wrk-post.lua) load it
-- for the report and for the threads' numbers.

local threads = {}

-- Runs in the main Lua state once per thread: numbers the threads (`thread_index`, from 0),
-- and tells every thread how many there are (`thread_count`, read per request: a thread may
-- start before the last is set up).
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
  for _, each in ipairs(threads) do
    each:set("thread_count", #threads)
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"seconds":%.6f,"rps":%.2f,"bytes":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
