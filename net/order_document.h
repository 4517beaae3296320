// The JSON document of an order on the managed-order routes
// (/api/v1/orders, seeds 001 and 003): one shape that reads as either seed's
// order, so a client of either finds the fields it knows.
//
//   ids         "id" (the client id), "order_id" (the sequence number),
//               "order_number", "customer_id" (the customer's external
//               reference when it has one, else its integer id), "user_id"
//   items       product_id (the SKU when the product has one), product_name
//               (the catalog's), quantity, unit_price, total_price and
//               subtotal (the same amount under both seeds' names)
//   amounts     subtotal, discount_amount, tax_amount, shipping_amount,
//               total_amount (subtotal - discount + tax + shipping for a
//               managed order; for a plain seed-004 order the amount its
//               client sent), currency
//   addresses   shipping_address {line1, line2, city, state, postal_code,
//               country} and seed 001's flat shipping_* fields;
//               billing_address {street, line2, city, state, postal_code, country}
//   the rest    customer_email, payment_info, metadata (the client's object
//               as sent), status, version, created_at, order_date, updated_at
//               and the timestamps of the states reached, reason
//
// Amounts an order does not have yet (a plain order's prices before it is
// processed) are null. Allocates nothing beyond the writer's buffer; looks
// products up in `catalog` (lock-free).
#pragma once

#include "engine/catalog.h"
#include "engine/customer_store.h"
#include "engine/order.h"
#include "net/json_output.h"
#include "net/status_answers.h"

namespace orderd::net {

// `customer` may be null (the order names none, or it is not known).
void write_order_document(JsonWriter& w, const OrderSnapshot& order, const CustomerInfo* customer,
                          const Catalog& catalog, StatusSpelling spelling);

// A product as the managed routes name it: its SKU when it has one, else its
// integer id.
void write_product_ref(JsonWriter& w, const Catalog& catalog, ProductId id);

}  // namespace orderd::net
