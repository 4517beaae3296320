// What every order-placing route shares: the answer to a refused
// submission's stock problems (seed 004's POST /orders and seed 002's
// POST /place_order), so that the stock_issues list has one shape.
#pragma once

#include <span>
#include <string_view>

#include "engine/catalog.h"
#include "engine/engine.h"
#include "net/request_context.h"

namespace orderd::net {

// `status` {"error": message, "stock_issues": [{"product_id", "requested",
// "available"[, "unknown_product": true]}, ...]}.
void answer_stock_issues(RequestContext& ctx, unsigned status, std::string_view message,
                         std::span<const StockIssue> issues);

// The answer every order-placing route gives a refusal whose shape it does
// not choose itself: kInvalid and kPriceMismatch 400, kDuplicate 409,
// kAtCapacity 503 with Retry-After, kStopped and kUnavailable 503. Routes
// answer kNone and kStock (and kPriceMismatch, when they name prices)
// before calling this.
void answer_refused_submit(RequestContext& ctx, const SubmitResult& r);

}  // namespace orderd::net
