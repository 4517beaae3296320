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

  Api& api;
  Engine& engine;
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
};

}  // namespace orderd::net
