// Seed 000's order status routes under /api/orders, naming orders by their
// integer id (the sequence number, OrderKey::by_seq). Called by ApiHandler
// (api.h) on the calling thread; both are quick (a bulk update is at most
// kMaxBulkStatusEntries moves). Statuses are read in any spelling
// parse_status accepts and written capitalized ("Shipped").
#pragma once

#include <cstddef>
#include <string_view>

#include "net/request_context.h"

namespace orderd::net {

inline constexpr std::size_t kMaxBulkStatusEntries = 1000;

// PUT /api/orders/{order_id} {"status", "num_of_item"?}: 200 with the
// order's "version" and its ETag (also when the order already has the
// status: "changed": false), 400, 404, 409 (an illegal move, or a
// num_of_item other than the order's unit count), 412 (If-Match names
// another version: status_answers.h expected_version), 503.
void update_order(RequestContext& ctx, HttpRequest& request, std::string_view raw_id);

// PUT /api/orders/bulk/status {"orders": [{"order_id", "status"}, ...]}:
// each entry applied on its own; 200 with the count updated and one error
// string per refused or malformed entry; 400 only for a malformed body.
// If-Match is ignored: one header cannot name the versions of many orders.
void bulk_order_status(RequestContext& ctx, HttpRequest& request);

}  // namespace orderd::net
