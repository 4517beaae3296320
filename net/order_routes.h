// The order endpoints of seed 004: create, status, metrics, populate.
// Each answers through the RequestContext (request_context.h) and is called
// by ApiHandler (api.h), on the calling thread.
#pragma once

#include <string_view>

#include "net/api.h"
#include "net/request_context.h"

namespace orderd::net {

// POST /orders: 201, 400, 409 (duplicate id, stock), 503 (capacity).
void create_order(RequestContext& ctx, HttpRequest& request);

// GET /orders/{order_id} (`raw_id` still percent-encoded): 200 (the seed's
// body; the order's version in the ETag only) or 404.
void get_order(RequestContext& ctx, std::string_view raw_id);

// GET /orders/metrics[?getOrderIds=true&status=&after=&limit=]. Listing ids
// scans every order, so with getOrderIds=true and !request.may_block it
// answers kNeedsBlockingThread and does nothing.
HandleOutcome order_metrics(RequestContext& ctx, const HttpRequest& request,
                            std::string_view query);

// POST /orders/populate: always kNeedsBlockingThread unless request.may_block.
HandleOutcome populate(RequestContext& ctx, HttpRequest& request);

}  // namespace orderd::net
