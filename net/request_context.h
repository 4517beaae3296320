// The per-thread state a route handler works with: the engine producer, the
// JSON reader and writer, and scratch buffers, all reused from request to
// request. Owned by an ApiHandler (api.h); used by the *_routes.cc files.
//
// Not thread-safe: one per thread, like its ApiHandler.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "auth/verified_token_cache.h"
#include "engine/engine.h"
#include "net/api.h"
#include "net/http_message.h"
#include "net/json_input.h"
#include "net/json_output.h"

namespace orderd::net {

// Appends the decimal digits of `value` to `out`.
void append_uint(std::string& out, std::uint64_t value);

struct RequestContext {
  explicit RequestContext(Api& api);

  // Starts a JSON response body with `status`; finish with end().
  JsonWriter& begin(unsigned status);
  // Points the response at the body written since begin().
  void end();
  // A complete {"error": message} response.
  void error(unsigned status, std::string_view message);
  // error() with the message "<field> <problem>", e.g. "user_id must be an integer".
  void field_error(std::string_view field, std::string_view problem);

  // Parses the request body as a JSON object into `json`; on failure
  // answers 400 and returns false.
  bool parse_body(HttpRequest& request);

  // Field readers over the parsed body. Each returns true with the value,
  // or answers 400 naming the field and the problem and returns false.
  // Strings must be non-empty, at most `max_bytes` long and free of
  // control characters.
  bool required_uint(std::string_view key, std::uint64_t min, std::uint64_t max,
                     std::uint64_t& out);
  bool required_string(std::string_view key, std::size_t max_bytes, std::string_view& out);
  bool optional_string(std::string_view key, std::size_t max_bytes, std::string_view& out);
  // A JSON number as cents, rounded to the nearest cent (base/decimal.h).
  bool required_money(std::string_view key, Cents max, Cents& out);
  // The 400 for a bad integer, e.g. "item_ids[2] must be a positive integer".
  void integer_error(std::string_view field, IntegerError error, std::uint64_t min,
                     std::uint64_t max);

  // Whether this request may see what belongs to customer `owner`: always
  // without authentication and for admins; a customer only their own.
  bool may_see(CustomerId owner) const {
    return sees_all || (principal != nullptr && owner == principal->customer_id);
  }
  // The customer a request is narrowed to: the caller's own id, or 0 when
  // it sees everything.
  CustomerId own_customer() const {
    return sees_all || principal == nullptr ? 0 : principal->customer_id;
  }
  // Whether the caller may act for `customer` (may_see); otherwise answers
  // 403 naming `field`, the body field that named the customer.
  bool acts_for(CustomerId customer, std::string_view field);
  // Answers 503: the engine refuses writes, and why.
  void refuse_writes();
  // Answers 403: `action` needs the admin role ("changing an order's status").
  void forbid(std::string_view action);

  Api& api;
  Engine& engine;
  // Holds the orders a request accepted until ApiHandler::handle has built
  // the answer; they are then finished on this thread (Engine::Handoff).
  Engine::Producer producer;
  HttpResponse* response = nullptr;  // the response being built

  JsonObjectReader json;
  JsonBuffer body;
  JsonWriter writer;
  std::vector<ItemRequest> items;
  std::string text;     // scratch: decoded ids, query values
  std::string message;  // scratch: composed error messages
  std::string page;     // non-JSON bodies (/metrics)
  std::string etag;     // the response's ETag (HttpResponse::etag points here)
  StoredReply replay;   // a reply stored under an Idempotency-Key, being answered again

  // Who is asking, set for each request before its route runs (api.cc).
  const auth::Principal* principal = nullptr;  // null: authentication is off, or none was needed
  bool sees_all = true;                        // authentication is off, or an admin asks
  auth::VerifiedTokenCache tokens;             // this thread's verified tokens
  std::string challenge;                       // the WWW-Authenticate header's value
  std::string caller;  // "role:subject" of the token, empty without one (rate limits, keys)
};

}  // namespace orderd::net
