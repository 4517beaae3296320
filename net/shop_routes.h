// Seed 002's order routes: placing a managed order for a registered
// customer, and moving an order to a new status. Orders are named by their
// integer id (the sequence number, OrderKey::by_seq) and statuses are
// written lowercase ("shipped"). Called by ApiHandler (api.h) on the
// calling thread; both are quick.
#pragma once

#include "net/request_context.h"

namespace orderd::net {

// POST /place_order {"customer_id", "items": [{"product_id", "quantity"}]}:
// 201 with the priced order as accepted (the volume discount applied;
// status "pending", "version" 1 and its ETag), 400, 404
// (unknown customer, or a product the catalog lacks: with stock_issues), 409
// (stock shortage, with stock_issues), 503.
void place_order(RequestContext& ctx, HttpRequest& request);

// PATCH /update_order_status {"order_id", "status"}: 200 with the order's
// "version" and its ETag (also when the order already has the status:
// "changed": false), 400, 404, 409, 412 (If-Match names another version:
// status_answers.h expected_version), 503.
void patch_order_status(RequestContext& ctx, HttpRequest& request);

}  // namespace orderd::net
