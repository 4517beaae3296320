-- wrk script: PUT /api/orders/{order_id} {"status":"Shipped"}, each request
-- for the next Completed order, so every request is one status move. Fill
-- the server first (POST /orders/populate with at least threads x requests
-- orders, all Completed); thread t moves orders t, t + T, t + 2T, ...
-- Prints the RESULT line of wrk_create_orders.lua.
--
--   wrk -t2 -c64 -d4s --latency -s bench/wrk_status_updates.lua URL -- THREADS

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  threads = tonumber(args[1] or "2")
  next_order = thread_id
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  local path = "/api/orders/" .. next_order
  next_order = next_order + threads
  return wrk.format("PUT", path, headers, '{"status":"Shipped"}')
end

-- The RESULT line, from the file beside this one.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_result.lua")
