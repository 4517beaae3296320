// The managed-order endpoints of seeds 001 and 003 under /api/v1/orders
// (paths: managed_order_router.h; the document they answer with:
// order_document.h). They translate HTTP to engine calls and back: every
// rule about orders is the engine's. Each answers through the
// RequestContext and is called by ApiHandler on the calling thread; every
// answered change carries its durable token, so it is sent only once durable.
//
// Every answer that describes one order carries its version as an ETag. The
// routes that change an order take If-Match (status_answers.h:
// expected_version): a tag naming another version is 412 with the current
// one, and nothing changes; the check and the change are one step in the
// engine.
#pragma once

#include <string_view>

#include "net/api.h"
#include "net/request_context.h"

namespace orderd::net {

// POST /api/v1/orders: a seed 001 body (order_items, flat shipping_*) or a
// seed 003 body (items, customer_id, billing_address, payment_info, ...),
// told apart by which item list it has. 201 with the document; 400 naming
// the field; 404 unknown product or customer; 409 taken email, price
// mismatch (price_issues), stock (detail.stock_issues); 503.
void create_managed_order(RequestContext& ctx, HttpRequest& request);

// GET /api/v1/orders/{id}[?customer_id=]: `raw_id` is a client id or, when
// no order has it and it is all digits, an order's sequence number. An
// order of another customer than the one named is 404.
void get_managed_order(RequestContext& ctx, std::string_view raw_id, std::string_view query);

// PUT /api/v1/orders/{id}: any of status, billing_address, shipping_address,
// payment_info, metadata, customer_email. The version expected is named by
// If-Match only: a body "version" is refused (400).
void update_managed_order(RequestContext& ctx, HttpRequest& request, std::string_view raw_id);

// DELETE /api/v1/orders/{id}: cancels a Pending order ("deleted"); the
// order stays readable. 409 in any other status.
void delete_managed_order(RequestContext& ctx, const HttpRequest& request, std::string_view raw_id);

// POST /api/v1/orders/{id}/cancel, body optional {"reason"}.
void cancel_managed_order(RequestContext& ctx, HttpRequest& request, std::string_view raw_id);

// PUT /api/v1/orders/{id}/status {"status": "confirmed"}: seed 001's
// spelling (Completed is "confirmed").
void set_managed_order_status(RequestContext& ctx, HttpRequest& request, std::string_view raw_id);

// GET /api/v1/orders/number/{order_number}.
void get_order_by_number(RequestContext& ctx, std::string_view raw_number);

// GET /api/v1/orders/{id}/events: {"id", "order_id", "events": [...]}.
void managed_order_events(RequestContext& ctx, std::string_view raw_id);

// GET /api/v1/orders/{id}/statistics (seed 001): the order's figures (lines,
// units, amounts, average unit price) and how long it spent in each stage.
void managed_order_statistics(RequestContext& ctx, std::string_view raw_id);

// GET /api/v1/orders/health/stock-check. Scans the catalog: above
// kStockCheckInlineProducts products it answers kNeedsBlockingThread unless
// request.may_block.
inline constexpr std::size_t kStockCheckInlineProducts = 1000;
inline constexpr std::int64_t kLowStockThreshold = 5;
inline constexpr std::size_t kMaxLowStockListed = 100;
HandleOutcome stock_check(RequestContext& ctx, const HttpRequest& request);

}  // namespace orderd::net
