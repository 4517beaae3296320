#include "net/customer_history_routes.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "net/body_stream.h"
#include "net/read_model_params.h"
#include "net/status_answers.h"
#include "views/order_facts.h"
#include "views/order_views.h"

namespace orderd::net {
namespace {

using views::OrderViews;
using views::RowFacts;

// Seed 000 writes "Delivered", seed 002 "delivered".
constexpr StatusSpelling kSeed000 = StatusSpelling::kCapitalized;
constexpr StatusSpelling kSeed002 = StatusSpelling::kLowercase;

constexpr std::uint64_t kDefaultPerPage = 20;
constexpr std::uint64_t kMaxPerPage = 100;
constexpr std::uint64_t kMaxHistoryOrders = 1000;
constexpr std::uint64_t kDefaultShopPage = 100;
constexpr std::uint64_t kMaxShopPage = 1000;
constexpr std::size_t kTopCustomers = 10;
constexpr std::size_t kTopCities = 10;
constexpr std::size_t kTrendMonths = 12;

constexpr SortChoice kCustomerOrderSorts[] = {
    {"created_at", views::SortKey::kCreatedAt},
    {"status", views::SortKey::kStatus},
    {"num_of_item", views::SortKey::kUnits},
    {"delivered_at", views::SortKey::kDeliveredAt},
};

// --- One customer's figures, over all its orders ------------------------------

// Delivered means the order reached the customer: orders returned since
// count too (Returned can only follow Delivered), so a return does not
// lower the delivery rate after the fact.
bool was_delivered(const RowFacts& r) { return r.delivered_at != 0; }

struct CustomerFigures {
  std::int64_t orders = 0;
  std::int64_t delivered = 0;
  std::int64_t cancelled = 0;
  std::int64_t returned = 0;
  std::int64_t units = 0;
  Micros first_created = 0;  // 0 while there are no orders
  Micros last_created = 0;
  Micros delivery_total = 0;  // creation to delivery, over the delivered orders

  void add(const RowFacts& r) {
    first_created = orders == 0 ? r.created_at : std::min(first_created, r.created_at);
    last_created = orders == 0 ? r.created_at : std::max(last_created, r.created_at);
    ++orders;
    units += r.units;
    cancelled += r.order_status() == OrderStatus::kCancelled ? 1 : 0;
    returned += r.order_status() == OrderStatus::kReturned ? 1 : 0;
    if (was_delivered(r)) {
      ++delivered;
      delivery_total += r.delivered_at - r.created_at;
    }
  }
};

// Orders per UTC month of creation (newest first) and current status.
class OrderTimeline {
 public:
  void add(const RowFacts& r) { counts_[month_start(views::day_of(r.created_at))][r.status] += 1; }
  void write(JsonWriter& w) const;

 private:
  std::map<std::uint32_t, std::array<std::int64_t, kOrderStatusCount>, std::greater<>> counts_;
};

// Visits the row of every order of `customer`: O(its orders), whatever
// the number of orders of everyone else.
template <typename Visit>
void for_each_order_of(const OrderViews& v, UserId customer, Visit&& visit) {
  for (const OrderSeq seq : v.orders_of(customer)) {
    const RowFacts r = v.row(seq);
    if (r.present()) visit(r);
  }
}

bool owns_order(const OrderViews& v, UserId customer, OrderSeq seq) {
  const std::vector<OrderSeq> seqs = v.orders_of(customer);
  return std::binary_search(seqs.begin(), seqs.end(), seq);
}

// --- Writing ------------------------------------------------------------------

// A duration in days, null when there is none: no delivery to measure is
// not an instant one.
void write_days_or_null_field(JsonWriter& w, std::string_view key, std::optional<Micros> took) {
  write_key(w, key);
  if (took) {
    write_ratio(w, *took, views::kMicrosPerDay);
  } else {
    w.Null();
  }
}

std::optional<Micros> mean(Micros total, std::int64_t count) {
  return count == 0 ? std::nullopt : std::optional(total / count);
}

void write_month_field(JsonWriter& w, std::string_view key, std::uint32_t day) {
  char month[8];
  format_month(day, month);
  write_field(w, key, std::string_view(month));
}

void OrderTimeline::write(JsonWriter& w) const {
  w.StartArray();
  for (const auto& [month, by_status] : counts_) {
    for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
      if (by_status[s] == 0) continue;
      w.StartObject();
      write_month_field(w, "month", month);
      write_key(w, "status");
      write_status(w, static_cast<OrderStatus>(s), kSeed000);
      write_field(w, "count", by_status[s]);
      w.EndObject();
    }
  }
  w.EndArray();
}

void write_customer_object(JsonWriter& w, const CustomerInfo& c, bool with_contact) {
  write_key(w, "customer");
  w.StartObject();
  write_field(w, "id", c.id);
  write_text_or_null_field(w, "name", c.name);
  if (with_contact) {
    write_text_or_null_field(w, "email", c.email);
    write_text_or_null_field(w, "city", c.city);
    write_timestamp_or_null_field(w, "member_since", c.member_since);
  }
  w.EndObject();
}

// What every route writes of a listed order.
void write_order_core(JsonWriter& w, OrderSeq seq, const RowFacts& r, StatusSpelling spelling) {
  write_field(w, "order_id", seq);
  write_key(w, "status");
  write_status(w, r.order_status(), spelling);
  write_field(w, "num_of_item", r.units);
  write_timestamp_or_null_field(w, "created_at", r.created_at);
}

// `key`: [one object per listed order, its members written by `write_members`].
template <typename WriteMembers>
void write_order_list(JsonWriter& w, std::string_view key, const OrderViews& v,
                      const std::vector<OrderSeq>& seqs, WriteMembers&& write_members) {
  write_key(w, key);
  w.StartArray();
  for (const OrderSeq seq : seqs) {
    const RowFacts r = v.row(seq);
    if (!r.present()) continue;
    w.StartObject();
    write_members(seq, r);
    w.EndObject();
  }
  w.EndArray();
}

void write_customer_analytics(JsonWriter& w, const CustomerFigures& f) {
  write_key(w, "analytics");
  w.StartObject();
  write_field(w, "total_orders", f.orders);
  write_field(w, "delivered_orders", f.delivered);
  write_field(w, "cancelled_orders", f.cancelled);
  write_field(w, "returned_orders", f.returned);
  write_ratio_field(w, "avg_items_per_order", f.units, f.orders);
  write_field(w, "total_items_ordered", f.units);
  write_percent_field(w, "delivery_rate", f.delivered, f.orders);
  w.EndObject();
}

void write_customer_metrics(JsonWriter& w, const CustomerFigures& f) {
  write_key(w, "customer_metrics");
  w.StartObject();
  write_field(w, "total_orders", f.orders);
  write_field(w, "successful_orders", f.delivered);
  write_field(w, "cancelled_orders", f.cancelled);
  write_field(w, "returned_orders", f.returned);
  write_ratio_field(w, "avg_order_size", f.units, f.orders);
  write_field(w, "total_items_ordered", f.units);
  write_timestamp_or_null_field(w, "first_order_date", f.first_created);
  write_timestamp_or_null_field(w, "last_order_date", f.last_created);
  write_days_or_null_field(w, "avg_delivery_time_days", mean(f.delivery_total, f.delivered));
  write_percent_field(w, "success_rate", f.delivered, f.orders);
  w.EndObject();
}

void write_pagination(JsonWriter& w, std::uint64_t page, std::uint64_t per_page,
                      std::uint64_t total) {
  write_key(w, "pagination");
  w.StartObject();
  write_field(w, "page", page);
  write_field(w, "per_page", per_page);
  write_field(w, "total", total);
  write_field(w, "pages", (total + per_page - 1) / per_page);
  w.EndObject();
}

// --- The customer routes' shared start ---------------------------------------

struct CustomerScope {
  const OrderViews* views = nullptr;
  CustomerInfo customer;
};

// The read models and the customer the path names. Nullopt with `outcome`
// set when the request is answered already (503, 400, 404) or, for a
// customer with very many orders, must first move to a blocking thread.
std::optional<CustomerScope> open_customer(RequestContext& ctx, const HttpRequest& request,
                                           const RouteMatch& match, HandleOutcome& outcome) {
  outcome = HandleOutcome::kDone;
  const OrderViews* v = require_views(ctx);
  if (v == nullptr) return std::nullopt;
  std::optional<CustomerInfo> c = find_customer(ctx, match.id);
  if (!c) return std::nullopt;
  if (needs_blocking_thread(request, v->customer_sums(c->id).orders)) {
    outcome = HandleOutcome::kNeedsBlockingThread;
    return std::nullopt;
  }
  return CustomerScope{v, std::move(*c)};
}

// --- GET /api/customers/{customer_id}/orders ----------------------------------

struct CustomerOrdersQuery {
  views::ListingRequest listing;
  std::uint64_t page = 1;
  std::uint64_t per_page = kDefaultPerPage;
};

bool read_customer_orders_query(RequestContext& ctx, std::string_view query,
                                CustomerOrdersQuery& q) {
  if (!query_uint(ctx, query, "per_page", 1, kMaxPerPage, q.per_page)) return false;
  // Deeper pages would skip more rows than a listing keeps in hand.
  const std::uint64_t max_page = views::kMaxListingOffset / q.per_page + 1;
  if (!query_uint(ctx, query, "page", 1, max_page, q.page)) return false;
  views::ListingRequest& l = q.listing;
  if (!query_statuses(ctx, query, "status", l.filter.statuses)) return false;
  if (!query_sort_key(ctx, query, "sort_by", kCustomerOrderSorts, l.sort)) return false;
  if (!query_sort_order(ctx, query, "sort_order", l.descending)) return false;
  l.offset = (q.page - 1) * q.per_page;
  l.limit = q.per_page;
  return true;
}

// --- GET /order_history/{customer_id} -----------------------------------------

// Oldest first (creation instant, then order id), resuming behind the
// order `after` names: the previous page's next_after.
bool read_shop_history_query(RequestContext& ctx, const OrderViews& v, UserId customer,
                             std::string_view query, views::ListingRequest& out) {
  std::uint64_t limit = kDefaultShopPage;
  if (!query_uint(ctx, query, "limit", 1, kMaxShopPage, limit)) return false;
  std::uint64_t after = 0;
  if (!query_uint(ctx, query, "after", 1, kMaxJsonInteger, after)) return false;
  out.filter.customer = customer;
  out.sort = views::SortKey::kCreatedAt;
  out.descending = false;
  out.limit = limit;
  if (after == 0) return true;
  if (!owns_order(v, customer, after)) {
    ctx.error(400, "after must be the order_id of one of the customer's orders");
    return false;
  }
  out.after = views::PagePosition{v.row(after).created_at, after};
  return true;
}

void write_shop_history_head(JsonWriter& w, const CustomerInfo& c) {
  write_field(w, "customer_id", c.id);
  write_text_or_null_field(w, "name", c.name);
  write_text_or_null_field(w, "email", c.email);
}

void write_shop_order(JsonWriter& w, const OrderViews& v, OrderSeq seq, const RowFacts& r) {
  write_order_core(w, seq, r, kSeed002);
  write_money_field(w, "total", r.amount);
  write_field(w, "currency", v.currencies().code_of(r.currency));
}

// The whole history as one JSON document, written a piece at a time: the
// page's shape without paging (next_after is null). The customer's order
// ids, sorted oldest first, are all it holds besides the piece.
class ShopHistoryStream final : public BodyStream {
 public:
  ShopHistoryStream(const OrderViews& v, CustomerInfo customer)
      : views_(v), customer_(std::move(customer)), seqs_(v.orders_of(customer_.id)) {
    std::vector<std::pair<Micros, OrderSeq>> by_creation;
    by_creation.reserve(seqs_.size());
    for (OrderSeq seq : seqs_) by_creation.emplace_back(v.row(seq).created_at, seq);
    std::sort(by_creation.begin(), by_creation.end());
    for (std::size_t i = 0; i < seqs_.size(); ++i) seqs_[i] = by_creation[i].second;
  }

  bool next(std::string& out) override {
    buffer_.Clear();
    if (position_ == 0 && !started_) {
      started_ = true;
      writer_.StartObject();
      write_shop_history_head(writer_, customer_);
      write_key(writer_, "orders");
      writer_.StartArray();
    }
    while (position_ < seqs_.size() && buffer_.GetSize() < kStreamPieceBytes) {
      const OrderSeq seq = seqs_[position_++];
      const RowFacts r = views_.row(seq);
      if (!r.present()) continue;
      writer_.StartObject();
      write_shop_order(writer_, views_, seq, r);
      writer_.EndObject();
      ++written_;
    }
    const bool done = position_ == seqs_.size();
    if (done) {
      writer_.EndArray();
      write_field(writer_, "total_orders", written_);
      write_key(writer_, "next_after");
      writer_.Null();
      writer_.EndObject();
    }
    out.append(buffer_.GetString(), buffer_.GetSize());
    return !done;
  }

 private:
  const OrderViews& views_;
  const CustomerInfo customer_;
  std::vector<OrderSeq> seqs_;
  std::size_t position_ = 0;
  std::uint64_t written_ = 0;
  bool started_ = false;
  JsonBuffer buffer_;
  JsonWriter writer_{buffer_};
};

// --- GET /api/orders/analytics/summary ----------------------------------------

void write_overall_statistics(JsonWriter& w, const views::DayFigures& all) {
  const auto count = [&](OrderStatus s) { return all.orders[status_index(s)]; };
  const std::int64_t total = all.total_orders();
  // As for one customer: delivered includes what was returned since.
  const std::int64_t delivered = count(OrderStatus::kDelivered) + count(OrderStatus::kReturned);
  write_key(w, "overall_statistics");
  w.StartObject();
  write_field(w, "total_orders", total);
  write_field(w, "delivered_orders", delivered);
  write_field(w, "cancelled_orders", count(OrderStatus::kCancelled));
  write_field(w, "shipped_orders", count(OrderStatus::kShipped));
  // Pending for a client is "not yet through the workers": Processing too.
  write_field(w, "pending_orders", count(OrderStatus::kPending) + count(OrderStatus::kProcessing));
  write_field(w, "returned_orders", count(OrderStatus::kReturned));
  write_ratio_field(w, "avg_items_per_order", all.units, total);
  write_field(w, "total_items_ordered", all.units);
  write_percent_field(w, "delivery_rate", delivered, total);
  w.EndObject();
}

// The kTrendMonths latest UTC months with orders, newest first, each the
// sum of its days' figures.
void write_monthly_trends(JsonWriter& w, const OrderViews& v, std::uint32_t first,
                          std::uint32_t last) {
  write_key(w, "monthly_trends");
  w.StartArray();
  std::size_t written = 0;
  for (std::uint32_t end = last; first <= end && written < kTrendMonths;) {
    const std::uint32_t start = std::max(month_start(end), first);
    const views::DayFigures month = v.days(start, end);
    if (const std::int64_t count = month.total_orders(); count > 0) {
      w.StartObject();
      write_month_field(w, "month", start);
      write_field(w, "count", count);
      write_ratio_field(w, "avg_items", month.units, count);
      w.EndObject();
      ++written;
    }
    if (start == first) break;
    end = start - 1;
  }
  w.EndArray();
}

// `c` is blank for an order's user id no customer has.
void write_top_customer(JsonWriter& w, UserId id, const views::CustomerSums& sums,
                        const CustomerInfo& c) {
  w.StartObject();
  write_field(w, "id", id);
  write_text_or_null_field(w, "name", c.name);
  write_text_or_null_field(w, "first_name", c.first_name);
  write_text_or_null_field(w, "last_name", c.last_name);
  write_text_or_null_field(w, "email", c.email);
  write_field(w, "order_count", sums.orders);
  write_field(w, "total_items", sums.units);
  write_ratio_field(w, "avg_items_per_order", sums.units, sums.orders);
  w.EndObject();
}

void write_top_customers(JsonWriter& w, const OrderViews& v, const CustomerStore& customers) {
  write_key(w, "top_customers");
  w.StartArray();
  for (const auto& [id, sums] : v.top_customers(OrderViews::RankBy::kOrders, kTopCustomers)) {
    write_top_customer(w, id, sums, customers.get(id).value_or(CustomerInfo{}));
  }
  w.EndArray();
}

void write_delivery_timeline(JsonWriter& w, const views::DeliveryFigures& d) {
  write_key(w, "delivery_timeline");
  w.StartObject();
  const bool any = d.orders > 0;
  write_days_or_null_field(w, "avg_delivery_days", mean(d.total, d.orders));
  write_days_or_null_field(w, "min_delivery_days", any ? std::optional(d.shortest) : std::nullopt);
  write_days_or_null_field(w, "max_delivery_days", any ? std::optional(d.longest) : std::nullopt);
  write_field(w, "delivered_orders", d.orders);
  w.EndObject();
}

void write_city_distribution(JsonWriter& w, const std::vector<views::CityFigures>& cities) {
  write_key(w, "city_distribution");
  w.StartArray();
  const std::size_t n = std::min(cities.size(), kTopCities);
  for (std::size_t i = 0; i < n; ++i) {
    const views::CityFigures& city = cities[i];
    w.StartObject();
    write_field(w, "city", city.city);
    write_field(w, "order_count", city.orders);
    write_ratio_field(w, "avg_items", city.units, city.orders);
    write_field(w, "delivered_count", city.delivered);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

// --- The handlers -------------------------------------------------------------

HandleOutcome customer_orders(RequestContext& ctx, const HttpRequest& request,
                              const RouteMatch& match) {
  HandleOutcome outcome;
  const std::optional<CustomerScope> scope = open_customer(ctx, request, match, outcome);
  if (!scope) return outcome;
  CustomerOrdersQuery q;
  if (!read_customer_orders_query(ctx, match.query, q)) return HandleOutcome::kDone;
  const OrderViews& v = *scope->views;
  const CustomerInfo& c = scope->customer;
  q.listing.filter.customer = c.id;
  const views::ListingPage page = v.list(q.listing);
  // The analytics cover every order of the customer, not the filtered page.
  CustomerFigures figures;
  for_each_order_of(v, c.id, [&](const RowFacts& r) { figures.add(r); });

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_customer_object(w, c, false);
  write_order_list(w, "orders", v, page.seqs, [&](OrderSeq seq, const RowFacts& r) {
    write_order_core(w, seq, r, kSeed000);
    write_field(w, "user_id", c.id);
    write_timestamp_or_null_field(w, "delivered_at", r.delivered_at);
  });
  write_customer_analytics(w, figures);
  write_pagination(w, q.page, q.per_page, page.total);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome customer_order_history(RequestContext& ctx, const HttpRequest& request,
                                     const RouteMatch& match) {
  HandleOutcome outcome;
  const std::optional<CustomerScope> scope = open_customer(ctx, request, match, outcome);
  if (!scope) return outcome;
  std::uint64_t limit = kMaxHistoryOrders;
  if (!query_uint(ctx, match.query, "limit", 1, kMaxHistoryOrders, limit)) {
    return HandleOutcome::kDone;
  }
  const OrderViews& v = *scope->views;
  const CustomerInfo& c = scope->customer;
  views::ListingRequest newest;  // created_at, descending
  newest.filter.customer = c.id;
  newest.limit = limit;
  const views::ListingPage page = v.list(newest);
  // Metrics and timeline cover every order, however many are listed.
  CustomerFigures figures;
  OrderTimeline timeline;
  for_each_order_of(v, c.id, [&](const RowFacts& r) {
    figures.add(r);
    timeline.add(r);
  });

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_customer_object(w, c, true);
  write_order_list(w, "order_history", v, page.seqs, [&](OrderSeq seq, const RowFacts& r) {
    write_order_core(w, seq, r, kSeed000);
    write_timestamp_or_null_field(w, "delivered_at", r.delivered_at);
    write_days_or_null_field(
        w, "delivery_days",
        was_delivered(r) ? std::optional(r.delivered_at - r.created_at) : std::nullopt);
  });
  write_field(w, "truncated", page.seqs.size() < page.total);
  write_customer_metrics(w, figures);
  write_key(w, "order_timeline");
  timeline.write(w);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome order_history_stream(RequestContext& ctx, const HttpRequest& request,
                                   const RouteMatch& match) {
  HandleOutcome outcome;
  const std::optional<CustomerScope> scope = open_customer(ctx, request, match, outcome);
  if (!scope) return outcome;
  const OrderViews& v = *scope->views;
  const CustomerInfo& c = scope->customer;
  if (!query_param(match.query, "limit", ctx.text) &&
      !query_param(match.query, "after", ctx.text)) {
    ctx.response->status = 200;
    ctx.response->stream = std::make_shared<ShopHistoryStream>(v, c);
    return HandleOutcome::kDone;
  }
  views::ListingRequest oldest;
  if (!read_shop_history_query(ctx, v, c.id, match.query, oldest)) return HandleOutcome::kDone;
  const views::ListingPage page = v.list(oldest);

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_shop_history_head(w, c);
  write_order_list(w, "orders", v, page.seqs,
                   [&](OrderSeq seq, const RowFacts& r) { write_shop_order(w, v, seq, r); });
  write_field(w, "total_orders", page.total);
  write_field(w, "next_after", page.next ? std::optional(page.next->seq) : std::nullopt);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome order_analytics_summary(RequestContext& ctx, const HttpRequest& request,
                                      const RouteMatch&) {
  const OrderViews* v = require_views(ctx);
  if (v == nullptr) return HandleOutcome::kDone;
  // Ranking customers visits every one of them.
  const CustomerStore& customers = ctx.engine.customers();
  if (needs_blocking_thread(request, static_cast<std::int64_t>(customers.size()))) {
    return HandleOutcome::kNeedsBlockingThread;
  }
  const auto [first, last] = v->days_used();
  const views::DayFigures all = first <= last ? v->days(first, last) : views::DayFigures{};

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_overall_statistics(w, all);
  write_monthly_trends(w, *v, first, last);
  write_top_customers(w, *v, customers);
  write_delivery_timeline(w, v->delivery());
  write_city_distribution(w, v->cities());
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
