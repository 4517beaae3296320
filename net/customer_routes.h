// Customer routes: seed 002's POST /register_customer and the customer
// resource under /api/v1/customers. Called by ApiHandler (api.h) on the
// calling thread; all are quick (a page is at most kMaxCustomerPage).
//
// Field rules, shared by both ways to register:
//   name        1-200 bytes; may be left out when first_name or last_name is
//               given (then "first last")
//   email       1-254 bytes, text on both sides of an '@', no spaces; unique
//               regardless of case
//   phone_number  at most 32 of: digits, '+', '-', ' '
//   first_name, last_name, city   at most 200 bytes each
//   external_ref (only /api/v1/customers)   at most 64 letters, digits, '_', '-'
#pragma once

#include <cstddef>
#include <string_view>

#include "net/request_context.h"

namespace orderd::net {

inline constexpr std::size_t kDefaultCustomerPage = 100;
inline constexpr std::size_t kMaxCustomerPage = 1000;

// POST /register_customer {"name", "email", "phone_number"?, "password"?,
// ...}: 201 {"message", "customer_id", "name", "email", "phone_number"},
// 400, 409 (email taken), 503. A password (8-128 bytes) is kept as a hash
// and lets the customer log in; a body with one runs on a blocking thread.
HandleOutcome register_customer(RequestContext& ctx, HttpRequest& request);

// POST /api/v1/customers: the same fields plus "external_ref"; 201 with the
// customer document (never the password), 400, 409 (email or reference
// taken), 503.
HandleOutcome create_customer(RequestContext& ctx, HttpRequest& request);

// GET /api/v1/customers/{id}: by integer id, or else by external reference
// ("cust_123"); 200 with the customer document, 404 (also for another
// customer than the caller, under authentication).
void get_customer(RequestContext& ctx, std::string_view raw_id);

// GET /api/v1/customers[?after=<id>&limit=<n>]: 200 {"customers": [...],
// "next_after": the last id, or null on the last page}, ascending ids.
void list_customers(RequestContext& ctx, std::string_view query);

}  // namespace orderd::net
