// What every order-changing route shares: reading a status the way the
// seeds spell it, writing it back in the route's spelling, and the error
// answer for a refused status move or update.
#pragma once

#include <optional>
#include <string_view>

#include "engine/engine.h"
#include "net/request_context.h"

namespace orderd::net {

// Seed 000 and 004 write "Shipped"; seeds 001, 002 and 003 "shipped", and
// seed 001 calls Completed "confirmed".
enum class StatusSpelling : std::uint8_t {
  kCapitalized,  // "Pending", "Completed", "Shipped"
  kLowercase,    // "pending", "completed", "shipped"
  kConfirmed,    // lowercase, Completed as "confirmed" (seed 001)
};

std::string_view spelled_status(OrderStatus s, StatusSpelling spelling);
void write_status(JsonWriter& w, OrderStatus s, StatusSpelling spelling);

// Reads the string member `key` as a status (order_status.h's parse_status:
// any case, the seeds' aliases); answers 400 naming the field and the
// accepted names and returns nullopt otherwise.
std::optional<OrderStatus> read_status(RequestContext& ctx, std::string_view key);

// The answer to a refused change of order `id` (as the client named it):
//   kNotFound 404; kIllegalTransition 409 with "status" (current) and
//   "allowed" (the client moves from it); kVersionMismatch 412 with the
//   current "status" and "version", and that version's ETag; kNotEditable
//   409; kUnavailable 503.
// kUnchanged and kNone are not errors: the caller answers those.
void answer_refused_change(RequestContext& ctx, std::string_view id, const StatusUpdateResult& r,
                           StatusSpelling spelling);

// The message of a refused change, for lists of per-entry errors (bulk
// updates): "Order 125 not found", "Order 7 cannot move from Shipped to
// Cancelled (allowed: Delivered)".
std::string refused_change_message(std::string_view id, OrderStatus to, const StatusUpdateResult& r,
                                   StatusSpelling spelling);

// An ETag for a version: "\"<version>\"" (quoted, as HTTP wants), and the
// version an If-Match header names: 0 when absent or "*", nullopt when it
// names no version of ours (then nothing may match: answer 412).
std::string version_etag(std::uint32_t version);
std::optional<std::uint32_t> if_match_version(std::string_view if_match);

// Sets the response's ETag to `version`'s, kept in ctx.etag so that it lives
// as long as the response. Allocates only the first time.
void set_version_etag(RequestContext& ctx, std::uint32_t version);

// The 200 of a move of the order with sequence number `order_id` (the
// integer ids of seeds 000 and 002): {"message", "order_id", "status",
// "version"[, "changed": false when it already had the status]}, with the
// version's ETag.
void answer_status_moved(RequestContext& ctx, std::string_view message, std::uint64_t order_id,
                         const StatusUpdateResult& r, StatusSpelling spelling);

// The version the request's If-Match names, to pass to the engine as the
// expected version of order `key` (`id` as the client named it): 0 when
// there is nothing to check. A tag that is no version of ours can match
// nothing: answers 412 with the order's current version (or 404 when there
// is no such order) and returns nullopt.
std::optional<std::uint32_t> expected_version(RequestContext& ctx, const HttpRequest& request,
                                              OrderKey key, std::string_view id,
                                              StatusSpelling spelling);

}  // namespace orderd::net
