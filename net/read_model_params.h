// What the listing, history and analytics routes share: the read models
// (answering 503 when none are attached), customers named by integer id or
// external reference (the customer resource names them so too), and query
// parameters read with a 400 that names the parameter. Each reader returns
// false after answering the error.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/customer_store.h"
#include "engine/types.h"
#include "net/http_message.h"
#include "net/request_context.h"
#include "views/order_query.h"

namespace orderd::views {
class OrderViews;
}

namespace orderd::net {

// A customer id no order carries: a filter by it lists nothing (API ids are
// at most kMaxJsonInteger).
inline constexpr CustomerId kNoCustomer = UINT64_MAX;

// The read models, or null after answering 503.
const views::OrderViews* require_views(RequestContext& ctx);

// The customer `raw_id` names (percent-encoded path segment: an integer id
// or an external reference such as "cust_123"), or nullopt after answering
// 404 (unknown, or not the caller's own: RequestContext::may_see) or 400
// (malformed).
std::optional<CustomerInfo> find_customer(RequestContext& ctx, std::string_view raw_id);

// An integer parameter in [min, max]; `out` keeps its value when absent.
bool query_uint(RequestContext& ctx, std::string_view query, std::string_view name,
                std::uint64_t min, std::uint64_t max, std::uint64_t& out);

// A day "2026-01-31" or an instant "2026-01-31T10:00:00[.ffffff][Z|+hh:mm]"
// (UTC when no offset). For a bare day, `end_of_day` gives its last
// microsecond instead of its first. `out` keeps its value when absent.
bool query_instant(RequestContext& ctx, std::string_view query, std::string_view name,
                   bool end_of_day, std::optional<Micros>& out);

// A UTC day, as a day number (days since 1970-01-01): a date "2026-01-31" or
// an instant (see query_instant), whose UTC day is taken. Days the read
// models can hold only (1970-01-01 to 2149-06-06: views::kDays). `out`
// keeps its value when absent.
bool query_day(RequestContext& ctx, std::string_view query, std::string_view name,
               std::optional<std::uint32_t>& out);

// A currency code: 3 uppercase letters (ISO 4217, e.g. "EUR"), as orders
// carry it. `out` keeps its value when absent.
bool query_currency(RequestContext& ctx, std::string_view query, std::string_view name,
                    std::string& out);

// A money amount ("50", "50.25"), as cents. `out` keeps its value when absent.
bool query_money(RequestContext& ctx, std::string_view query, std::string_view name,
                 std::optional<Cents>& out);

// One or several statuses, comma-separated or the parameter repeated, by
// any name parse_status() takes. `out` keeps its value when absent.
bool query_statuses(RequestContext& ctx, std::string_view query, std::string_view name,
                    views::StatusSet& out);

// "asc"/"desc" in any case; `descending` keeps its value when absent.
bool query_sort_order(RequestContext& ctx, std::string_view query, std::string_view name,
                      bool& descending);

// A sort key by name, e.g. {"num_of_item", SortKey::kUnits}: each route
// names the keys it offers in its own fields' names.
struct SortChoice {
  std::string_view name;
  views::SortKey key;
};

// One of `choices` by its exact name; 400 listing the names otherwise.
// `out` keeps its value when absent.
bool query_sort_key(RequestContext& ctx, std::string_view query, std::string_view name,
                    std::span<const SortChoice> choices, views::SortKey& out);

// Answers that read more rows than this (one customer's orders, every
// customer) are worked out on a blocking thread, not an I/O thread whose
// other connections would wait.
inline constexpr std::int64_t kInlineRows = 10'000;

// Whether a handler about to read `rows` rows must first move off the I/O
// thread: then it returns kNeedsBlockingThread, having answered nothing.
bool needs_blocking_thread(const HttpRequest& request, std::int64_t rows);

// Parses a day or an instant (see query_instant); false if malformed.
bool parse_instant(std::string_view text, bool end_of_day, Micros& out);

// "2026-01-31" for a day number (days since 1970-01-01; negative before);
// `out` holds 11 chars (the text and a NUL).
void format_day(std::int64_t day, char* out);
// "2026-01" for the month of a day number; `out` holds 8 chars.
void format_month(std::uint32_t day, char* out);
// The day number of the first day of `day`'s month (UTC).
std::uint32_t month_start(std::uint32_t day);

}  // namespace orderd::net
