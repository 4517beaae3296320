#include "net/analytics_routes.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "engine/order_details.h"
#include "engine/order_status.h"
#include "net/read_model_params.h"
#include "net/router.h"
#include "net/status_answers.h"
#include "views/order_views.h"

namespace orderd::net {
namespace {

constexpr StatusSpelling kSpelling = StatusSpelling::kLowercase;
constexpr std::int64_t kDefaultPeriodDays = 30;
// Every day of a period is listed or scanned: a year, leap day included.
constexpr std::int64_t kMaxPeriodDays = 366;
constexpr std::uint64_t kDefaultTopCustomers = 10;
constexpr std::uint64_t kMaxTopCustomers = 100;
constexpr std::int64_t kWeekDays = 7;

// Days inclusive, as day numbers (days since 1970-01-01 UTC). Signed: the
// period before one that starts in 1970 lies partly before it, with no orders.
struct Period {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t length() const { return last - first + 1; }
};

std::int64_t today() { return views::day_of(wall_clock_micros()); }

// The currency revenue is reported in. A code no order has used has no slot:
// its revenue is zero everywhere.
struct Currency {
  std::string code{kDefaultCurrency};
  int slot = 0;
};

// What every answer reports of a day or a period: orders by status (every
// currency), and revenue in one currency.
struct Figures {
  std::array<std::int64_t, kOrderStatusCount> by_status{};
  std::int64_t orders = 0;
  Cents revenue = 0;
  std::int64_t revenue_orders = 0;  // the orders counted in `revenue`

  Figures& operator+=(const Figures& other) {
    for (std::size_t i = 0; i < kOrderStatusCount; ++i) by_status[i] += other.by_status[i];
    orders += other.orders;
    revenue += other.revenue;
    revenue_orders += other.revenue_orders;
    return *this;
  }
};

Figures in_currency(const views::DayFigures& days, const Currency& currency) {
  Figures f;
  f.by_status = days.orders;
  f.orders = days.total_orders();
  if (currency.slot >= 0) {
    f.revenue = days.revenue[static_cast<std::size_t>(currency.slot)];
    f.revenue_orders = days.revenue_orders[static_cast<std::size_t>(currency.slot)];
  }
  return f;
}

// Days before 1970 and after the views' last day hold no orders.
bool stored(std::int64_t day) { return day >= 0 && day < static_cast<std::int64_t>(views::kDays); }

Figures day_figures(const views::OrderViews& views, std::int64_t day, const Currency& currency) {
  if (!stored(day)) return {};
  return in_currency(views.day(static_cast<std::uint32_t>(day)), currency);
}

// Summed a bucket per day by the views, for periods not listed day by day.
Figures period_figures(const views::OrderViews& views, const Period& p, const Currency& currency) {
  const std::int64_t first = std::max<std::int64_t>(p.first, 0);
  const std::int64_t last = std::min<std::int64_t>(p.last, views::kDays - 1);
  if (first > last) return {};
  return in_currency(
      views.days(static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(last)), currency);
}

// Revenue per revenue-counted order, to the nearest cent (halves up: revenue
// is never negative); 0 without any.
Cents average_of(Cents total, std::int64_t count) {
  return count == 0 ? 0 : (total + count / 2) / count;
}

// The change from `before` to `now` in percent, null when `before` is 0 (no
// base to grow from).
void write_growth_field(JsonWriter& w, std::string_view key, std::int64_t now,
                        std::int64_t before) {
  if (before == 0) {
    write_key(w, key);
    w.Null();
    return;
  }
  write_percent_field(w, key, now - before, before);
}

void write_day_field(JsonWriter& w, std::string_view key, std::int64_t day) {
  char text[11];
  format_day(day, text);
  write_field(w, key, std::string_view(text));
}

// The members every day entry has.
void write_day_fields(JsonWriter& w, std::int64_t day, const Figures& f) {
  write_day_field(w, "date", day);
  write_field(w, "order_count", f.orders);
  write_money_field(w, "total_revenue", f.revenue);
  write_field(w, "revenue_orders", f.revenue_orders);
  write_money_field(w, "average_order_value", average_of(f.revenue, f.revenue_orders));
}

// The members every period has.
void write_period_fields(JsonWriter& w, const Period& p, const Figures& f,
                         const Currency& currency) {
  write_day_field(w, "period_start", p.first);
  write_day_field(w, "period_end", p.last);
  write_field(w, "days", p.length());
  write_field(w, "total_orders", f.orders);
  write_money_field(w, "total_revenue", f.revenue);
  write_field(w, "revenue_orders", f.revenue_orders);
  write_money_field(w, "average_order_value", average_of(f.revenue, f.revenue_orders));
  write_field(w, "currency", currency.code);
}

// [{"status": "pending", "count": 3, "percentage": 30.0}, ...]: every status,
// in lifecycle order.
void write_status_breakdown(JsonWriter& w, const Figures& f) {
  write_key(w, "status_breakdown");
  w.StartArray();
  for (std::size_t i = 0; i < kOrderStatusCount; ++i) {
    w.StartObject();
    write_key(w, "status");
    write_status(w, static_cast<OrderStatus>(i), kSpelling);
    write_field(w, "count", f.by_status[i]);
    write_percent_field(w, "percentage", f.by_status[i], f.orders);
    w.EndObject();
  }
  w.EndArray();
}

// The `currency` parameter, USD when absent.
bool read_currency(RequestContext& ctx, std::string_view query, const views::OrderViews& views,
                   Currency& out) {
  if (!query_currency(ctx, query, "currency", out.code)) return false;
  out.slot = views.currencies().find(out.code);
  return true;
}

// From the first day with orders to the last, widened to include today.
Period all_time(const views::OrderViews& views) {
  const auto [first, last] = views.days_used();
  const std::int64_t now = today();
  if (first > last) return {now, now};
  return {std::min<std::int64_t>(first, now), std::max<std::int64_t>(last, now)};
}

// A period's default length when it names no start: `window` days ending at
// its end (default today), or with kAllTime all_time().
constexpr std::int64_t kAllTime = 0;

std::int64_t default_end(const views::OrderViews& views, std::int64_t window) {
  return window == kAllTime ? all_time(views).last : today();
}

std::int64_t default_start(const views::OrderViews& views, std::int64_t window, std::int64_t end) {
  if (window == kAllTime) return std::min(all_time(views).first, end);
  return std::max<std::int64_t>(end - window + 1, 0);
}

// The period start_date..end_date names (UTC days, inclusive), at most
// `max_days` long.
bool read_period(RequestContext& ctx, std::string_view query, const views::OrderViews& views,
                 std::int64_t window, std::int64_t max_days, Period& out) {
  std::optional<std::uint32_t> start, end;
  if (!query_day(ctx, query, "start_date", start) || !query_day(ctx, query, "end_date", end)) {
    return false;
  }
  out.last = end ? *end : default_end(views, window);
  out.first = start ? *start : default_start(views, window, out.last);
  if (out.last < out.first) {
    ctx.error(400, "end_date must not be before start_date");
    return false;
  }
  if (out.length() > max_days) {
    ctx.message.assign("start_date to end_date must span at most ");
    append_uint(ctx.message, static_cast<std::uint64_t>(max_days));
    ctx.message.append(" days");
    ctx.error(400, ctx.message);
    return false;
  }
  return true;
}

// The period `p` and its figures, then its status breakdown: the core of the
// summary and quick answers. The caller closes the object.
void begin_period_report(JsonWriter& w, const Period& p, const Figures& f,
                         const Currency& currency) {
  w.StartObject();
  write_period_fields(w, p, f, currency);
  write_status_breakdown(w, f);
}

// A period read day by day: its figures, and its busiest day (most orders)
// and highest-revenue day, the earliest of equals; none without orders or
// revenue.
struct DayEntry {
  std::int64_t day = 0;
  Figures figures;
};
struct PeriodScan {
  Figures total;
  std::optional<DayEntry> busiest;
  std::optional<DayEntry> richest;
};

PeriodScan scan_days(const views::OrderViews& views, const Period& p, const Currency& currency) {
  PeriodScan scan;
  for (std::int64_t day = p.first; day <= p.last; ++day) {
    const Figures f = day_figures(views, day, currency);
    scan.total += f;
    if (f.orders > 0 && (!scan.busiest || f.orders > scan.busiest->figures.orders)) {
      scan.busiest = DayEntry{day, f};
    }
    if (f.revenue > 0 && (!scan.richest || f.revenue > scan.richest->figures.revenue)) {
      scan.richest = DayEntry{day, f};
    }
  }
  return scan;
}

void write_day_or_null(JsonWriter& w, std::string_view key, const std::optional<DayEntry>& e) {
  write_key(w, key);
  if (!e) {
    w.Null();
    return;
  }
  w.StartObject();
  write_day_fields(w, e->day, e->figures);
  w.EndObject();
}

void write_growth(JsonWriter& w, const Figures& now, const Figures& before) {
  write_key(w, "growth");
  w.StartObject();
  write_growth_field(w, "orders_percent", now.orders, before.orders);
  write_growth_field(w, "revenue_percent", now.revenue, before.revenue);
  write_growth_field(w, "average_order_value_percent", average_of(now.revenue, now.revenue_orders),
                     average_of(before.revenue, before.revenue_orders));
  w.EndObject();
}

// --- Customers ---------------------------------------------------------------

// A customer's orders, read from their rows: figures as for a period, and
// the first and last creation instants (0 without orders).
struct CustomerFigures {
  Figures figures;
  Micros first_order = 0;
  Micros last_order = 0;
};

CustomerFigures customer_figures(const views::OrderViews& views, UserId id,
                                 const Currency& currency) {
  CustomerFigures c;
  for (const OrderSeq seq : views.orders_of(id)) {
    const views::RowFacts row = views.row(seq);
    if (!row.present()) continue;
    Figures& f = c.figures;
    f.by_status[row.status] += 1;
    f.orders += 1;
    if (currency.slot == row.currency && views::counts_as_revenue(row.order_status())) {
      f.revenue += row.amount;
      f.revenue_orders += 1;
    }
    c.first_order = c.first_order == 0 ? row.created_at : std::min(c.first_order, row.created_at);
    c.last_order = std::max(c.last_order, row.created_at);
  }
  return c;
}

// A customer and the figures of its orders. customer_id as the order
// document shows it: the external reference when the customer has one, else
// the integer id.
void write_customer(JsonWriter& w, const views::OrderViews& views, UserId id,
                    const std::optional<CustomerInfo>& info, const Currency& currency) {
  const CustomerFigures c = customer_figures(views, id, currency);
  const Figures& f = c.figures;
  w.StartObject();
  write_key(w, "customer_id");
  if (info && !info->external_ref.empty()) {
    write_string(w, info->external_ref);
  } else {
    w.Uint64(id);
  }
  write_field(w, "user_id", id);
  write_key(w, "customer_email");
  if (info && !info->email.empty()) {
    write_string(w, info->email);
  } else {
    w.Null();
  }
  write_field(w, "total_orders", f.orders);
  write_money_field(w, "total_spent", f.revenue);
  write_field(w, "revenue_orders", f.revenue_orders);
  write_money_field(w, "average_order_value", average_of(f.revenue, f.revenue_orders));
  write_field(w, "currency", currency.code);
  write_timestamp_or_null_field(w, "first_order_date", c.first_order);
  write_timestamp_or_null_field(w, "last_order_date", c.last_order);
  write_status_breakdown(w, f);
  w.EndObject();
}

// --- Quick periods -------------------------------------------------------------

Period quick_period(Route route) {
  const std::int64_t now = today();
  switch (route) {
    case Route::kAnalyticsWeek:
      return {now - kWeekDays + 1, now};
    case Route::kAnalyticsMonth:
      return {month_start(static_cast<std::uint32_t>(now)), now};
    default:
      return {now, now};
  }
}

std::string_view quick_name(Route route) {
  switch (route) {
    case Route::kAnalyticsWeek:
      return "week";
    case Route::kAnalyticsMonth:
      return "month";
    default:
      return "today";
  }
}

}  // namespace

HandleOutcome analytics_daily(RequestContext& ctx, const HttpRequest&, const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  Period period;
  Currency currency;
  if (!read_period(ctx, match.query, *views, kDefaultPeriodDays, kMaxPeriodDays, period) ||
      !read_currency(ctx, match.query, *views, currency)) {
    return HandleOutcome::kDone;
  }
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "metrics");
  w.StartArray();
  // The summary adds up the days listed, so the two always agree.
  Figures total;
  for (std::int64_t day = period.first; day <= period.last; ++day) {
    const Figures f = day_figures(*views, day, currency);
    total += f;
    w.StartObject();
    write_day_fields(w, day, f);
    write_field(w, "currency", currency.code);
    w.EndObject();
  }
  w.EndArray();
  write_key(w, "period_summary");
  w.StartObject();
  write_period_fields(w, period, total, currency);
  w.EndObject();
  write_field(w, "total_days", period.length());
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome analytics_status(RequestContext& ctx, const HttpRequest&, const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  Period period;
  if (!read_period(ctx, match.query, *views, kAllTime, views::kDays, period)) {
    return HandleOutcome::kDone;
  }
  const Figures f = period_figures(*views, period, Currency{});
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_day_field(w, "period_start", period.first);
  write_day_field(w, "period_end", period.last);
  write_field(w, "total_orders", f.orders);
  write_status_breakdown(w, f);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome analytics_top_customers(RequestContext& ctx, const HttpRequest& request,
                                      const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  std::uint64_t limit = kDefaultTopCustomers;
  if (!query_uint(ctx, match.query, "limit", 1, kMaxTopCustomers, limit)) {
    return HandleOutcome::kDone;
  }
  // Ranking visits every customer, then each one listed has its orders read.
  const CustomerStore& customers = ctx.engine.customers();
  if (needs_blocking_thread(request, static_cast<std::int64_t>(customers.size()))) {
    return HandleOutcome::kNeedsBlockingThread;
  }
  // By the views' per-customer sums, kept in the default currency only.
  const Currency currency;
  const auto ranked = views->top_customers(views::OrderViews::RankBy::kRevenue, limit);
  std::int64_t rows = 0;
  for (const auto& [id, sums] : ranked) rows += sums.orders;
  if (needs_blocking_thread(request, rows)) return HandleOutcome::kNeedsBlockingThread;

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "customers");
  w.StartArray();
  for (const auto& [id, sums] : ranked) write_customer(w, *views, id, customers.get(id), currency);
  w.EndArray();
  write_field(w, "limit", limit);
  write_field(w, "currency", currency.code);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome analytics_customer(RequestContext& ctx, const HttpRequest& request,
                                 const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  Currency currency;
  if (!read_currency(ctx, match.query, *views, currency)) return HandleOutcome::kDone;
  const std::optional<CustomerInfo> customer = find_customer(ctx, match.id);
  if (!customer) return HandleOutcome::kDone;
  if (needs_blocking_thread(request, views->customer_sums(customer->id).orders)) {
    return HandleOutcome::kNeedsBlockingThread;
  }
  write_customer(ctx.begin(200), *views, customer->id, customer, currency);
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome analytics_summary(RequestContext& ctx, const HttpRequest&, const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  Period period;
  Currency currency;
  if (!read_period(ctx, match.query, *views, kDefaultPeriodDays, kMaxPeriodDays, period) ||
      !read_currency(ctx, match.query, *views, currency)) {
    return HandleOutcome::kDone;
  }
  const PeriodScan current = scan_days(*views, period, currency);
  const Period previous{period.first - period.length(), period.first - 1};
  const Figures before = period_figures(*views, previous, currency);

  JsonWriter& w = ctx.begin(200);
  begin_period_report(w, period, current.total, currency);
  write_key(w, "previous_period");
  w.StartObject();
  write_period_fields(w, previous, before, currency);
  w.EndObject();
  write_growth(w, current.total, before);
  write_day_or_null(w, "busiest_day", current.busiest);
  write_day_or_null(w, "highest_revenue_day", current.richest);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome analytics_revenue_trends(RequestContext& ctx, const HttpRequest&,
                                       const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  std::uint64_t days = kDefaultPeriodDays;
  Currency currency;
  if (!query_uint(ctx, match.query, "days", 1, kMaxPeriodDays, days) ||
      !read_currency(ctx, match.query, *views, currency)) {
    return HandleOutcome::kDone;
  }
  const std::int64_t now = today();
  const Period period{now - static_cast<std::int64_t>(days) + 1, now};
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "trends");
  w.StartArray();
  // The first day is compared with the day before the period.
  Cents previous = day_figures(*views, period.first - 1, currency).revenue;
  Figures total;
  for (std::int64_t day = period.first; day <= period.last; ++day) {
    const Figures f = day_figures(*views, day, currency);
    total += f;
    w.StartObject();
    write_day_fields(w, day, f);
    write_money_field(w, "revenue_change", f.revenue - previous);
    write_growth_field(w, "revenue_change_percent", f.revenue, previous);
    w.EndObject();
    previous = f.revenue;
  }
  w.EndArray();
  write_period_fields(w, period, total, currency);
  write_money_field(w, "average_daily_revenue", average_of(total.revenue, period.length()));
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome analytics_quick(RequestContext& ctx, const HttpRequest&, const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  Currency currency;
  if (!read_currency(ctx, match.query, *views, currency)) return HandleOutcome::kDone;
  const Period period = quick_period(match.route);
  JsonWriter& w = ctx.begin(200);
  begin_period_report(w, period, period_figures(*views, period, currency), currency);
  write_field(w, "period", quick_name(match.route));
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
