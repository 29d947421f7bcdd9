-- wrk script: every request creates a distinct client (so none is a 409),
-- and the summary counts the answers by status.
-- TOKEN must hold a bearer token from /v1/Authorization/Authorize:
--   TOKEN=... wrk -t2 -c64 -d15s -s scripts/wrk-create.lua --latency http://127.0.0.1:8080
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  counter = 0
  statuses = {}
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench %d-%d-%d","email":"b%d_%d@example.com","phone":"+974 5555 %04d"}',
    tid, counter, math.random(1e9), tid, counter, counter % 10000)
  return wrk.format("POST", "/v1/clients",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
