// Who may call each route when requests are authenticated (--auth jwt):
// the one table of the API's authorization. With --auth off every route is
// open, as it was before authentication existed.
//
// Object-level checks (a customer sees only their own orders, profile,
// history and analytics) are not here but where each object is read:
// RequestContext::may_see(), applied in find_order, find_customer and the
// listings' customer filter, so that no route can skip them.
#pragma once

#include <cstdint>
#include <string_view>

#include "net/route.h"

namespace orderd::net {

enum class Access : std::uint8_t {
  kPublic,    // anyone, token or not: probes, the home page, signing up, logging in
  kCustomer,  // any valid token; a customer's answers are narrowed to their own
  kAdmin,     // an admin's token only
  kMetrics,   // kAdmin, unless /metrics is opened for scrapers (--metrics-open)
};

Access route_access(Route route);

// "public", "customer", "admin", "metrics" (docs and tests).
std::string_view access_name(Access access);

}  // namespace orderd::net
