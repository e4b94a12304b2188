-- wrk script for every benchmark scenario (bench/bench.py drives it through the environment).
--   BENCH_METHOD   GET (default) or POST
--   BENCH_PATHS    file of request paths, one a line, taken round-robin (default: the wrk URL's path)
--   BENCH_THREADS  wrk's thread count: each thread starts its walk at its own share of the paths
--   BENCH_BODY     POST body template; "{n}" becomes a number unique to the request
--   BENCH_HEADERS  "Name: value" pairs separated by "|"
--   BENCH_OUT      file the summary is written to as JSON (requests, errors, latency percentiles)
local method = os.getenv("BENCH_METHOD") or "GET"
local body_template = os.getenv("BENCH_BODY")
local out_file = os.getenv("BENCH_OUT") or "/dev/stdout"
local paths = {}
local counter = 0
local thread_no = 0
local threads = {}

local function split_headers()
  local headers = {}
  local spec = os.getenv("BENCH_HEADERS") or ""
  for pair in string.gmatch(spec, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  return headers
end

function setup(thread)
  thread_no = thread_no + 1
  thread:set("id", thread_no)
  table.insert(threads, thread)
end

function init(args)
  local file = os.getenv("BENCH_PATHS")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then table.insert(paths, line) end
    end
  end
  wrk.method = method
  for name, value in pairs(split_headers()) do wrk.headers[name] = value end
  -- Threads start their walk through the paths evenly apart, so that no thread asks for
  -- what another asked for a moment ago (a page kept in the cache would flatter it).
  local threads_total = tonumber(os.getenv("BENCH_THREADS") or "2")
  counter = math.floor(((id or 1) - 1) * #paths / threads_total) - 1
end

function request()
  counter = counter + 1
  local path = nil
  if #paths > 0 then path = paths[(counter % #paths) + 1] end
  local body = nil
  if body_template then
    -- Unique per thread and request: id * 10^9 + counter.
    body = string.gsub(body_template, "{n}", tostring((id or 1) * 1000000000 + counter))
  end
  return wrk.format(nil, path, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local f = io.open(out_file, "w")
  f:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "mean_us": %.1f, "max_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
  f:close()
end
