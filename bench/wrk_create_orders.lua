-- wrk script: POST /orders/ with a unique order_id on every request, and a
-- machine-readable RESULT line at the end. Used for orderd and for the nginx
-- baseline alike, so both see byte-identical requests.
--
--   [WRK_PAUSE_MS=N] wrk -s bench/wrk_create_orders.lua URL -- RUN_TAG
--
-- RUN_TAG keeps ids unique across runs against one server. WRK_PAUSE_MS > 0
-- makes each connection pause that long after every response: paced load
-- (wrk decides whether a script paces when it loads it, hence a variable).

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  run_tag = args[1] or tostring(os.time())
  counter = 0
  prefix = '{"user_id":1,"order_id":"' .. run_tag .. "-" .. thread_id .. "-"
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local body = prefix .. counter .. '","item_ids":[101,102,103],"total_amount":59.99}'
  return wrk.format("POST", "/orders/", headers, body)
end

local pause_ms = tonumber(os.getenv("WRK_PAUSE_MS") or "0") or 0
if pause_ms > 0 then
  function delay()
    return pause_ms
  end
end

-- The RESULT line, from the file beside this one.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_result.lua")
