-- wrk script: order-select calls, each with its own signed token (the
-- service refuses a replayed `jti`, so no token is sent twice).
-- Environment: RUBRIC_LOAD_TOKENS (one JWT per line), RUBRIC_LOAD_BODY (the
-- request body file), RUBRIC_LOAD_PATH (the hook's path).
-- Each wrk thread takes every n-th token. wrk runs for its whole duration
-- (-d), so a thread that has used all of its tokens sends GET /healthz
-- (which needs no token) until the end; those are counted apart
-- ("health_fillers"), and the runner sizes the token files so that it does
-- not happen in practice (latency percentiles are over all requests).
-- done() prints one JSON line: order-select calls answered, the non-2xx
-- among them, wrk's socket errors, and latency percentiles.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("RUBRIC_LOAD_TOKENS")) do
    if #line > 0 then table.insert(all, line) end
  end
  tokens = {}
  local step = tonumber(os.getenv("RUBRIC_LOAD_THREADS"))
  for i = id + 1, #all, step do table.insert(tokens, all[i]) end
  body = read_file(os.getenv("RUBRIC_LOAD_BODY"))
  path = os.getenv("RUBRIC_LOAD_PATH")
  next_token = 1
  sent = 0
  answered = 0
  non_2xx = 0
  last_bad = ""
  fillers = 0
end

function request()
  if next_token > #tokens then
    fillers = fillers + 1
    return wrk.format("GET", "/healthz")
  end
  local token = tokens[next_token]
  next_token = next_token + 1
  sent = sent + 1
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   ["Authorization"] = "Bearer " .. token}, body)
end

-- RUBRIC_LOAD_STATUS_ONLY=1 (bench/serve): no response() callback, so wrk
-- hands no answer to Lua (copying an 11 KB body into Lua per call is client
-- work on the server's two cores). Failures are then wrk's own count of
-- statuses over 399 (the service sends no 3xx) and every response up to the
-- number sent counts as answered.
local status_only = os.getenv("RUBRIC_LOAD_STATUS_ONLY") == "1"

if not status_only then
  function response(status, headers, response_body)
    -- The health answers come only after the tokens ran out; count only hooks.
    if answered < sent then
      answered = answered + 1
      if status < 200 or status > 299 then
        non_2xx = non_2xx + 1
        last_bad = status .. " " .. string.sub(response_body, 1, 120)
      end
    end
  end
end

function done(summary, latency, requests)
  local answered_all, bad_all, bad_example, fillers_all = 0, 0, "", 0
  for _, thread in ipairs(threads) do
    answered_all = answered_all + thread:get(status_only and "sent" or "answered")
    fillers_all = fillers_all + thread:get("fillers")
    bad_all = bad_all + thread:get("non_2xx")
    if thread:get("last_bad") ~= "" then bad_example = thread:get("last_bad") end
  end
  local e = summary.errors
  if status_only then
    answered_all = math.min(answered_all, summary.requests)
    bad_all = e.status
  end
  io.write(string.format(
    '{"order_select":%d,"health_fillers":%d,"non_2xx":%d,"socket_errors":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"seconds":%.2f,"rps":%.0f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"example_bad":"%s"}\n',
    answered_all, fillers_all, bad_all, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout,
    summary.duration / 1e6, answered_all / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    string.gsub(bad_example, '[%c"\\]', " ")))
end
