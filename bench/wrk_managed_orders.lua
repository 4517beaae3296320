-- wrk script: POST /api/v1/orders/ with seed 003's managed order (customer
-- reference, SKU, unit price, billing address, payment, tax, shipping) on
-- every request; the server assigns the ids. Needs the demo catalog (the
-- Premium Widget, prod_456 at 29.99). Prints the RESULT line of
-- wrk_create_orders.lua.
--
--   wrk -t2 -c64 -d8s --latency -s bench/wrk_managed_orders.lua URL

local body = [[{"customer_id":"cust_123","customer_email":"john.doe@example.com",]] ..
  [["items":[{"product_id":"prod_456","product_name":"Premium Widget","quantity":2,]] ..
  [["unit_price":29.99}],"billing_address":{"street":"123 Main St","city":"Seattle",]] ..
  [["state":"WA","postal_code":"98101","country":"US"},]] ..
  [["payment_info":{"method":"credit_card","last_four_digits":"1234"},]] ..
  [["tax_amount":5.99,"shipping_amount":9.99}]]

function init(args)
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  return wrk.format("POST", "/api/v1/orders/", headers, body)
end

-- The RESULT line, from the file beside this one.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_result.lua")
