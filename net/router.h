// Maps a request's method and target to one API route: the single place
// that knows the URL layout. Pure functions; thread-safe; no allocation
// except percent_decode/query_param growing the caller's string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_message.h"
#include "net/route.h"

namespace orderd::net {

struct RouteMatch {
  Route route = Route::kNotFound;
  std::string_view allow;  // the path's methods, for an Allow header
  std::string_view id;     // the {order_id} or {id} segment, still percent-encoded
  std::string_view query;  // what follows '?', without it
};

// HEAD is accepted wherever GET is. An absolute-form target
// ("http://host/path") is matched by its path.
RouteMatch match_route(HttpMethod method, std::string_view target);

// Decodes %XX escapes into `out` (replacing its content); '+' stays '+'.
// Returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out);

// Whether every '%' in `text` starts a two-hex-digit escape.
bool well_formed_escapes(std::string_view text);

// Finds `name` in an a=1&b=2 query and decodes its value into `out`.
// Returns false if absent; a malformed escape reads as absent.
bool query_param(std::string_view query, std::string_view name, std::string& out);

}  // namespace orderd::net
