#include "net/analytics_routes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "net/read_model_params.h"
#include "net/time_format.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;

constexpr Micros kDay = 86'400'000'000;
constexpr Micros kSecond = 1'000'000;
constexpr ProductId kImportedProduct = 1;  // the demo catalog's price: 1.99
constexpr Cents kImportedPrice = 199;
constexpr const char* kStatusNames[] = {"pending",   "processing", "completed", "rejected",
                                        "cancelled", "shipped",    "delivered", "returned"};

// What the test made, to compute every figure from by brute force.
struct Placed {
  std::string id;  // the client id
  std::int64_t day = 0;
  Micros created = 0;
  OrderStatus status = OrderStatus::kPending;
  std::string currency = "USD";
  Cents amount = 0;
  UserId customer = 0;
};

// The statuses whose orders count in revenue, written out independently of
// the views' definition.
bool standing(OrderStatus s) {
  return s != OrderStatus::kCancelled && s != OrderStatus::kRejected && s != OrderStatus::kReturned;
}

struct Expected {
  std::int64_t orders = 0;
  Cents revenue = 0;
  std::int64_t revenue_orders = 0;
  std::int64_t by_status[kOrderStatusCount] = {};
  Cents average() const {
    return revenue_orders == 0 ? 0 : std::llround(static_cast<double>(revenue) / revenue_orders);
  }
};

Cents cents(const rapidjson::Value& v) { return std::llround(v.GetDouble() * 100); }

std::string day_text(std::int64_t day) {
  char text[11];
  format_day(day, text);
  return text;
}

// A path through the lifecycle to `status`, a second per step.
void stamp(OrderSnapshot& o, OrderStatus status, Micros created) {
  using S = OrderStatus;
  std::vector<OrderTimestamp> path = {OrderTimestamp::kCreated};
  if (status != S::kPending) path.push_back(OrderTimestamp::kProcessingStarted);
  if (status == S::kRejected) path.push_back(OrderTimestamp::kRejected);
  if (status == S::kCompleted || status == S::kShipped || status == S::kDelivered ||
      status == S::kReturned) {
    path.push_back(OrderTimestamp::kCompleted);
  }
  if (status == S::kShipped || status == S::kDelivered || status == S::kReturned) {
    path.push_back(OrderTimestamp::kShipped);
  }
  if (status == S::kDelivered || status == S::kReturned) {
    path.push_back(OrderTimestamp::kDelivered);
  }
  if (status == S::kReturned) path.push_back(OrderTimestamp::kReturned);
  if (status == S::kCancelled) path.push_back(OrderTimestamp::kCancelled);
  for (std::size_t i = 0; i < path.size(); ++i) {
    o.at[timestamp_index(path[i])] = created + static_cast<Micros>(i) * kSecond;
  }
  o.status = status;
}

class AnalyticsRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    ASSERT_EQ(engine->catalog().add(456, "Premium Widget", 2999, 1000, "prod_456"),
              AddProductResult::kAdded);
    // Orders made through the API stay Pending unless a test moves them.
    engine->pause_workers();
    today = views::day_of(wall_clock_micros());
  }
  void TearDown() override { engine->resume_workers(); }

  // An order created `days_ago` UTC days before today (at 01:00 plus
  // `minutes`), imported with a past, worth `amount` cents in `currency`.
  Placed& import(std::int64_t days_ago, OrderStatus status, Cents amount,
                 std::string currency = "USD", UserId customer = 7, int minutes = 0) {
    EXPECT_GT(amount, kImportedPrice);
    OrderSnapshot o;
    o.user_id = customer;
    o.items = {{kImportedProduct, 1, 0}};
    OrderDetails d;
    d.currency = currency;
    d.tax = amount - kImportedPrice;  // so that the total is `amount`
    o.details = d;
    const std::int64_t day = today - days_ago;
    const Micros created = day * kDay + 3600 * kSecond + minutes * 60 * kSecond;
    stamp(o, status, created);
    const SubmitResult r = engine->import_order(o);
    EXPECT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(engine->get(r.client_id)->grand_total(), amount);
    placed.push_back({r.client_id, day, created, status, currency, amount, customer});
    return placed.back();
  }

  // A managed order placed now through POST /api/v1/orders: `quantity`
  // Premium Widgets at 29.99 plus 1.00 tax and 2.00 shipping.
  Placed& create_managed(const std::string& customer_json, const std::string& email,
                         int quantity = 1, const std::string& currency = "USD") {
    const std::string body =
        R"({"customer_id": )" + customer_json + R"(, "customer_email": ")" + email +
        R"(", "items": [{"product_id": "prod_456", "product_name": "Premium Widget", "quantity": )" +
        std::to_string(quantity) +
        R"(, "unit_price": 29.99}], "billing_address": {"street": "1 Main St", "city": "Seattle",)"
        R"( "state": "WA", "postal_code": "98101", "country": "US"},)"
        R"( "payment_info": {"method": "credit_card"}, "tax_amount": 1.00,)"
        R"( "shipping_amount": 2.00, "currency": ")" +
        currency + R"("})";
    auto r = post("/api/v1/orders/", body);
    EXPECT_EQ(r.status, 201u) << r.body;
    const auto snapshot = engine->get(r.str("id"));
    placed.push_back({r.str("id"), today, snapshot->timestamp(OrderTimestamp::kCreated),
                      OrderStatus::kPending, currency, 2999 * quantity + 300, snapshot->user_id});
    return placed.back();
  }

  // A plain order placed now through POST /orders.
  Placed& create_plain(const std::string& id, Cents amount, UserId user) {
    const std::string total = std::to_string(amount / 100) + "." + (amount % 100 < 10 ? "0" : "") +
                              std::to_string(amount % 100);
    auto r = create(id, "[1]", total, std::to_string(user));
    EXPECT_EQ(r.status, 201u) << r.body;
    const Micros created = engine->get(id)->timestamp(OrderTimestamp::kCreated);
    placed.push_back({id, today, created, OrderStatus::kPending, "USD", amount, user});
    return placed.back();
  }

  Reply put(std::string target, std::string body) {
    return call(HttpMethod::kPut, std::move(target), std::move(body));
  }

  void move(Placed& order, const char* status, OrderStatus now) {
    auto r = put("/api/v1/orders/" + order.id + "/status",
                 std::string(R"({"status": ")") + status + "\"}");
    ASSERT_EQ(r.status, 200u) << r.body;
    order.status = now;
  }

  Expected expected(std::int64_t first, std::int64_t last, const std::string& currency = "USD",
                    std::optional<UserId> customer = std::nullopt) const {
    Expected e;
    for (const Placed& p : placed) {
      if (p.day < first || p.day > last || (customer && p.customer != *customer)) continue;
      e.orders += 1;
      e.by_status[status_index(p.status)] += 1;
      if (standing(p.status) && p.currency == currency) {
        e.revenue += p.amount;
        e.revenue_orders += 1;
      }
    }
    return e;
  }

  // The fields every period answer has, against `e`.
  static void expect_period(const rapidjson::Value& v, std::int64_t first, std::int64_t last,
                            const Expected& e, const std::string& where) {
    SCOPED_TRACE(where);
    EXPECT_EQ(v["period_start"].GetString(), day_text(first));
    EXPECT_EQ(v["period_end"].GetString(), day_text(last));
    EXPECT_EQ(v["days"].GetInt64(), last - first + 1);
    EXPECT_EQ(v["total_orders"].GetInt64(), e.orders);
    EXPECT_EQ(cents(v["total_revenue"]), e.revenue);
    EXPECT_EQ(v["revenue_orders"].GetInt64(), e.revenue_orders);
    EXPECT_EQ(cents(v["average_order_value"]), e.average());
  }

  static void expect_breakdown(const rapidjson::Value& v, const Expected& e) {
    const auto& list = v["status_breakdown"];
    ASSERT_EQ(list.Size(), kOrderStatusCount);
    for (std::size_t i = 0; i < kOrderStatusCount; ++i) {
      SCOPED_TRACE(kStatusNames[i]);
      EXPECT_STREQ(list[i]["status"].GetString(), kStatusNames[i]);
      EXPECT_EQ(list[i]["count"].GetInt64(), e.by_status[i]);
      const double share = e.orders == 0 ? 0 : 100.0 * e.by_status[i] / e.orders;
      EXPECT_NEAR(list[i]["percentage"].GetDouble(), share, 0.005);
    }
  }

  void expect_bad(const std::string& target, const std::string& parameter) {
    auto r = get(target);
    EXPECT_EQ(r.status, 400u) << target << ": " << r.body;
    EXPECT_NE(r.error().find(parameter), std::string::npos) << target << ": " << r.error();
  }

  std::int64_t today = 0;
  std::deque<Placed> placed;  // a deque: the references handed out stay valid
};

TEST_F(AnalyticsRoutesTest, DailyListsTheLastThirtyDaysEndingTodayWithEmptyDaysAsZeros) {
  create_plain("P1", 1250, 7);
  import(3, OrderStatus::kCompleted, 2000);
  import(3, OrderStatus::kDelivered, 3001);
  import(29, OrderStatus::kShipped, 500);
  import(30, OrderStatus::kCompleted, 9900);  // the day before the default period

  auto r = get("/api/v1/analytics/daily");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kAnalyticsDaily);
  const auto& metrics = r.json["metrics"];
  ASSERT_EQ(metrics.Size(), 30u);
  EXPECT_EQ(r.json["total_days"].GetInt(), 30);
  for (rapidjson::SizeType i = 0; i < metrics.Size(); ++i) {
    const std::int64_t day = today - 29 + i;
    const Expected e = expected(day, day);
    SCOPED_TRACE(day_text(day));
    EXPECT_EQ(metrics[i]["date"].GetString(), day_text(day));
    EXPECT_EQ(metrics[i]["order_count"].GetInt64(), e.orders);
    EXPECT_EQ(cents(metrics[i]["total_revenue"]), e.revenue);
    EXPECT_EQ(cents(metrics[i]["average_order_value"]), e.average());
    EXPECT_STREQ(metrics[i]["currency"].GetString(), "USD");
  }
  EXPECT_EQ(metrics[26]["order_count"].GetInt(), 2);
  EXPECT_EQ(cents(metrics[26]["average_order_value"]), 2501);  // 50.01 / 2, half up
  EXPECT_EQ(metrics[1]["order_count"].GetInt(), 0);
  expect_period(r.json["period_summary"], today - 29, today, expected(today - 29, today),
                "period_summary");
  EXPECT_EQ(cents(r.json["period_summary"]["total_revenue"]), 1250 + 2000 + 3001 + 500);
}

TEST_F(AnalyticsRoutesTest, DailyCoversTheNamedRangeInclusive) {
  import(12, OrderStatus::kCompleted, 1000);
  import(11, OrderStatus::kCompleted, 1100);
  import(5, OrderStatus::kShipped, 1500);
  import(2, OrderStatus::kCompleted, 2200);
  import(1, OrderStatus::kCompleted, 4400);

  const std::int64_t first = today - 11, last = today - 2;
  auto r =
      get("/api/v1/analytics/daily?start_date=" + day_text(first) + "&end_date=" + day_text(last));
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_EQ(r.json["metrics"].Size(), 10u);
  EXPECT_EQ(r.json["metrics"][0]["date"].GetString(), day_text(first));
  EXPECT_EQ(r.json["metrics"][9]["date"].GetString(), day_text(last));
  const Expected e = expected(first, last);
  EXPECT_EQ(e.orders, 3);
  expect_period(r.json["period_summary"], first, last, e, "period_summary");

  // end_date alone: the 30 days ending there.
  r = get("/api/v1/analytics/daily?end_date=" + day_text(last));
  ASSERT_EQ(r.status, 200u) << r.body;
  expect_period(r.json["period_summary"], last - 29, last, expected(last - 29, last), "end only");
  // start_date alone: from there to today.
  r = get("/api/v1/analytics/daily?start_date=" + day_text(first));
  ASSERT_EQ(r.status, 200u) << r.body;
  expect_period(r.json["period_summary"], first, today, expected(first, today), "start only");
  // An instant names its UTC day.
  r = get("/api/v1/analytics/daily?start_date=" + day_text(first) +
          "T23:30:00-02:00&end_date=" + day_text(last));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["metrics"][0]["date"].GetString(), day_text(first + 1));
}

TEST_F(AnalyticsRoutesTest, RevenueLeavesOutCancelledRejectedAndReturnedOrdersButCountsThem) {
  for (OrderStatus s : {OrderStatus::kCompleted, OrderStatus::kShipped, OrderStatus::kDelivered,
                        OrderStatus::kCancelled, OrderStatus::kRejected, OrderStatus::kReturned,
                        OrderStatus::kProcessing}) {
    import(4, s, 1000 + 100 * static_cast<Cents>(status_index(s)));
  }
  auto r = get("/api/v1/analytics/daily?start_date=" + day_text(today - 4) +
               "&end_date=" + day_text(today - 4));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto& day = r.json["metrics"][0];
  EXPECT_EQ(day["order_count"].GetInt(), 7);
  // Completed 1200, Shipped 1500, Delivered 1600, Processing 1100.
  EXPECT_EQ(cents(day["total_revenue"]), 5400);
  EXPECT_EQ(day["revenue_orders"].GetInt(), 4);
  EXPECT_EQ(cents(day["average_order_value"]), 1350);
}

TEST_F(AnalyticsRoutesTest, CancellingAndReturningThroughTheApiTakesTheRevenueBack) {
  Placed& kept = create_managed("\"cust_1\"", "one@example.com");
  Placed& cancelled = create_managed("\"cust_1\"", "one@example.com", 2);
  Placed& returned = create_managed("\"cust_2\"", "two@example.com", 3);
  Placed& plain = create_plain("P1", 4321, 9);
  Placed& plain_cancelled = create_plain("P2", 999, 9);
  auto r = post("/api/v1/orders/" + cancelled.id + "/cancel", R"({"reason": "no longer needed"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  cancelled.status = OrderStatus::kCancelled;
  move(returned, "confirmed", OrderStatus::kCompleted);
  move(returned, "shipped", OrderStatus::kShipped);
  move(returned, "delivered", OrderStatus::kDelivered);
  move(returned, "returned", OrderStatus::kReturned);
  ASSERT_EQ(post("/api/v1/orders/P2/cancel", "").status, 200u);
  plain_cancelled.status = OrderStatus::kCancelled;

  r = get("/api/v1/analytics/quick/today");
  ASSERT_EQ(r.status, 200u) << r.body;
  const Expected e = expected(today, today);
  EXPECT_EQ(e.revenue, kept.amount + plain.amount);
  expect_period(r.json, today, today, e, "today");
  expect_breakdown(r.json, e);
  EXPECT_EQ(r.json["status_breakdown"][4]["count"].GetInt(), 2);  // cancelled
  EXPECT_EQ(r.json["status_breakdown"][7]["count"].GetInt(), 1);  // returned
}

TEST_F(AnalyticsRoutesTest, EachCurrencyHasItsOwnRevenueAndUnknownOnesAreZero) {
  import(2, OrderStatus::kCompleted, 1000, "USD");
  import(2, OrderStatus::kCompleted, 2500, "EUR");
  import(2, OrderStatus::kShipped, 3500, "EUR");
  import(2, OrderStatus::kCancelled, 9000, "EUR");
  create_managed("\"cust_eu\"", "eu@example.com", 1, "EUR");

  const std::string range = "start_date=" + day_text(today - 6) + "&end_date=" + day_text(today);
  for (const std::string currency : {"USD", "EUR", "GBP"}) {
    SCOPED_TRACE(currency);
    auto r = get("/api/v1/analytics/daily?" + range + "&currency=" + currency);
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto& metrics = r.json["metrics"];
    for (rapidjson::SizeType i = 0; i < metrics.Size(); ++i) {
      const std::int64_t day = today - 6 + i;
      const Expected e = expected(day, day, currency);
      EXPECT_EQ(metrics[i]["order_count"].GetInt64(), e.orders);
      EXPECT_EQ(cents(metrics[i]["total_revenue"]), e.revenue);
      EXPECT_EQ(metrics[i]["currency"].GetString(), currency);
    }
    expect_period(r.json["period_summary"], today - 6, today, expected(today - 6, today, currency),
                  "period_summary");
  }
  // Orders count whatever their currency; revenue is the currency's.
  EXPECT_EQ(expected(today - 2, today - 2, "EUR").revenue, 6000);
  auto gbp = get("/api/v1/analytics/summary?currency=GBP");
  ASSERT_EQ(gbp.status, 200u) << gbp.body;
  EXPECT_EQ(cents(gbp.json["total_revenue"]), 0);
  EXPECT_EQ(gbp.json["total_orders"].GetInt(), 5);
}

TEST_F(AnalyticsRoutesTest, DailyRejectsMalformedAndOutOfRangeParameters) {
  const std::string base = "/api/v1/analytics/daily?";
  expect_bad(base + "start_date=2026-13-01", "start_date");
  expect_bad(base + "start_date=2026-02-30", "start_date");
  expect_bad(base + "end_date=yesterday", "end_date");
  expect_bad(base + "end_date=", "end_date");
  expect_bad(base + "start_date=1969-12-31", "start_date");
  expect_bad(base + "end_date=2150-01-01", "end_date");
  expect_bad(base + "start_date=2026-02-01&end_date=2026-01-31", "end_date must not be before");
  expect_bad(base + "start_date=2025-01-01&end_date=2026-01-02", "at most 366 days");
  expect_bad(base + "start_date=" + day_text(today + 1), "end_date must not be before");
  expect_bad(base + "currency=usd", "currency");
  expect_bad(base + "currency=EURO", "currency");
  expect_bad(base + "currency=", "currency");
  // 366 days is allowed.
  EXPECT_EQ(get(base + "start_date=2024-01-01&end_date=2024-12-31").status, 200u);
}

TEST_F(AnalyticsRoutesTest, StatusBreakdownCountsEveryStatusOverAllTimeOrARange) {
  import(400, OrderStatus::kCompleted, 1000);
  import(10, OrderStatus::kCancelled, 1000);
  import(10, OrderStatus::kDelivered, 1000);
  import(3, OrderStatus::kReturned, 1000);
  create_plain("P1", 500, 7);
  create_plain("P2", 500, 7);

  auto r = get("/api/v1/analytics/orders/status");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kAnalyticsStatus);
  const Expected all = expected(today - 400, today);
  EXPECT_EQ(r.json["total_orders"].GetInt64(), 6);
  EXPECT_EQ(r.json["period_start"].GetString(), day_text(today - 400));
  EXPECT_EQ(r.json["period_end"].GetString(), day_text(today));
  expect_breakdown(r.json, all);
  EXPECT_EQ(r.json["status_breakdown"][0]["percentage"].GetDouble(), 33.33);  // 2 of 6 pending

  const std::int64_t first = today - 10, last = today - 3;
  r = get("/api/v1/analytics/orders/status?start_date=" + day_text(first) +
          "&end_date=" + day_text(last));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["total_orders"].GetInt64(), 3);
  expect_breakdown(r.json, expected(first, last));

  expect_bad("/api/v1/analytics/orders/status?start_date=2026-1-1", "start_date");
  expect_bad("/api/v1/analytics/orders/status?start_date=2026-01-02&end_date=2026-01-01",
             "end_date");
}

TEST_F(AnalyticsRoutesTest, StatusBreakdownWithoutOrdersIsAllZeros) {
  auto r = get("/api/v1/analytics/orders/status");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["total_orders"].GetInt(), 0);
  EXPECT_EQ(r.json["period_start"].GetString(), day_text(today));
  expect_breakdown(r.json, Expected{});
}

TEST_F(AnalyticsRoutesTest, TopCustomersRankByRevenueWithTheirOwnOrderDates) {
  const Placed& ref = create_managed("\"cust_top\"", "top@example.com", 3);  // 92.97
  const UserId top = ref.customer;
  import(20, OrderStatus::kDelivered, 5000, "USD", 8);
  import(5, OrderStatus::kCompleted, 3000, "USD", 8);
  import(3, OrderStatus::kCancelled, 90000, "USD", 8);  // no revenue
  import(40, OrderStatus::kCompleted, 2000, "USD", 9);
  import(1, OrderStatus::kCompleted, 99000, "EUR", 9);  // another currency
  import(2, OrderStatus::kCompleted, 1000, "USD", 10);

  auto r = get("/api/v1/analytics/customers/top?limit=3");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kAnalyticsTopCustomers);
  const auto& list = r.json["customers"];
  ASSERT_EQ(list.Size(), 3u);
  const UserId order[] = {top, 8, 9};
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    const UserId id = order[i];
    SCOPED_TRACE(id);
    const Expected e = expected(0, today, "USD", id);
    Micros first = INT64_MAX, last = 0;
    for (const Placed& p : placed) {
      if (p.customer != id) continue;
      first = std::min(first, p.created);
      last = std::max(last, p.created);
    }
    EXPECT_EQ(list[i]["user_id"].GetUint64(), id);
    EXPECT_EQ(list[i]["total_orders"].GetInt64(), e.orders);
    EXPECT_EQ(cents(list[i]["total_spent"]), e.revenue);
    EXPECT_EQ(cents(list[i]["average_order_value"]), e.average());
    char first_text[kIso8601Chars + 1] = {}, last_text[kIso8601Chars + 1] = {};
    format_iso8601(first, first_text);
    format_iso8601(last, last_text);
    EXPECT_STREQ(list[i]["first_order_date"].GetString(), first_text);
    EXPECT_STREQ(list[i]["last_order_date"].GetString(), last_text);
  }
  // The external reference when there is one, else the integer id.
  EXPECT_STREQ(list[0]["customer_id"].GetString(), "cust_top");
  EXPECT_STREQ(list[0]["customer_email"].GetString(), "top@example.com");
  EXPECT_EQ(list[1]["customer_id"].GetUint64(), 8u);
  EXPECT_TRUE(list[1]["customer_email"].IsNull());
  EXPECT_EQ(cents(list[1]["total_spent"]), 8000);
  EXPECT_EQ(r.json["limit"].GetInt(), 3);

  r = get("/api/v1/analytics/customers/top");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["customers"].Size(), 4u);  // at most 10
  EXPECT_EQ(r.json["customers"][3]["user_id"].GetUint64(), 10u);
  for (const char* bad : {"0", "101", "ten", "-1", ""}) {
    expect_bad(std::string("/api/v1/analytics/customers/top?limit=") + bad, "limit");
  }
}

TEST_F(AnalyticsRoutesTest, CustomerAnalyticsByReferenceOrIntegerId) {
  Placed& a = create_managed("\"cust_123\"", "john.doe@example.com", 1);
  Placed& b = create_managed("\"cust_123\"", "john.doe@example.com", 2);
  create_managed("\"cust_other\"", "other@example.com", 5);
  ASSERT_EQ(post("/api/v1/orders/" + b.id + "/cancel", "").status, 200u);
  b.status = OrderStatus::kCancelled;
  import(15, OrderStatus::kShipped, 7000, "USD", a.customer);

  const Expected e = expected(0, today, "USD", a.customer);
  for (const std::string& id : {std::string("cust_123"), std::to_string(a.customer)}) {
    SCOPED_TRACE(id);
    auto r = get("/api/v1/analytics/customers/" + id);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.route, Route::kAnalyticsCustomer);
    EXPECT_EQ(r.str("customer_id"), "cust_123");
    EXPECT_EQ(r.str("customer_email"), "john.doe@example.com");
    EXPECT_EQ(r.json["total_orders"].GetInt(), 3);
    EXPECT_EQ(cents(r.json["total_spent"]), a.amount + 7000);
    EXPECT_EQ(cents(r.json["average_order_value"]), e.average());
    char first[kIso8601Chars + 1] = {}, last[kIso8601Chars + 1] = {};
    format_iso8601(placed.back().created, first);
    format_iso8601(b.created, last);
    EXPECT_EQ(r.str("first_order_date"), first);
    EXPECT_EQ(r.str("last_order_date"), last);
    expect_breakdown(r.json, e);
  }
  auto r = get("/api/v1/analytics/customers/cust_123?currency=EUR");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(cents(r.json["total_spent"]), 0);
  EXPECT_EQ(r.json["total_orders"].GetInt(), 3);
  expect_bad("/api/v1/analytics/customers/cust_123?currency=eur", "currency");
}

TEST_F(AnalyticsRoutesTest, CustomerAnalyticsAnswers404ForAnUnknownCustomerAndZerosWithoutOrders) {
  auto r = get("/api/v1/analytics/customers/cust_nobody");
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(r.error(), "Customer not found");
  EXPECT_EQ(get("/api/v1/analytics/customers/424242").status, 404u);
  EXPECT_EQ(get("/api/v1/analytics/customers/bad%zz").status, 400u);

  ASSERT_EQ(
      post("/api/v1/customers",
           R"({"name": "New Customer", "email": "new@example.com", "external_ref": "cust_new"})")
          .status,
      201u);
  r = get("/api/v1/analytics/customers/cust_new");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["total_orders"].GetInt(), 0);
  EXPECT_EQ(cents(r.json["total_spent"]), 0);
  EXPECT_EQ(cents(r.json["average_order_value"]), 0);
  EXPECT_TRUE(r.json["first_order_date"].IsNull());
  EXPECT_TRUE(r.json["last_order_date"].IsNull());
  expect_breakdown(r.json, Expected{});
}

TEST_F(AnalyticsRoutesTest, CustomersWithVeryManyOrdersAreAnsweredOffTheIoThread) {
  // Cancelled before completion: each import gives its stock back.
  for (std::int64_t i = 0; i <= kInlineRows; ++i) import(1, OrderStatus::kCancelled, 1000);
  import(1, OrderStatus::kCompleted, 1000, "USD", 8);
  for (const std::string url :
       {"/api/v1/analytics/customers/7", "/api/v1/analytics/customers/top"}) {
    SCOPED_TRACE(url);
    EXPECT_TRUE(call(HttpMethod::kGet, url, "", false).needs_blocking);
    auto r = get(url);  // then on a blocking thread
    ASSERT_EQ(r.status, 200u) << r.body;
  }
  auto r = get("/api/v1/analytics/customers/7");
  EXPECT_EQ(r.json["total_orders"].GetInt64(), kInlineRows + 1);
  EXPECT_EQ(cents(r.json["total_spent"]), 0);
  EXPECT_FALSE(call(HttpMethod::kGet, "/api/v1/analytics/customers/8", "", false).needs_blocking);
}

TEST_F(AnalyticsRoutesTest, SummaryComparesThePeriodWithThePreviousOneOfEqualLength) {
  // Current period: the 10 days ending yesterday; previous: the 10 before.
  const std::int64_t first = today - 10, last = today - 1;
  import(1, OrderStatus::kCompleted, 1000);
  import(4, OrderStatus::kCompleted, 1500);
  import(4, OrderStatus::kCompleted, 1500);
  import(4, OrderStatus::kCancelled, 1500);
  import(7, OrderStatus::kDelivered, 8000);
  import(10, OrderStatus::kReturned, 3000);
  import(11, OrderStatus::kCompleted, 4000);  // previous period
  import(20, OrderStatus::kCompleted, 2000);  // previous period's first day
  import(21, OrderStatus::kCompleted, 9999);  // before both
  create_plain("P1", 100000, 7);              // today: after both

  auto r = get("/api/v1/analytics/summary?start_date=" + day_text(first) +
               "&end_date=" + day_text(last));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kAnalyticsSummary);
  const Expected now = expected(first, last), before = expected(first - 10, first - 1);
  expect_period(r.json, first, last, now, "current");
  expect_breakdown(r.json, now);
  expect_period(r.json["previous_period"], first - 10, first - 1, before, "previous");
  EXPECT_EQ(before.orders, 2);
  const auto growth = [](double a, double b) { return 100.0 * (a - b) / b; };
  const auto& g = r.json["growth"];
  EXPECT_NEAR(g["orders_percent"].GetDouble(), growth(now.orders, before.orders), 0.005);
  EXPECT_NEAR(g["revenue_percent"].GetDouble(), growth(now.revenue, before.revenue), 0.005);
  EXPECT_NEAR(g["average_order_value_percent"].GetDouble(), growth(now.average(), before.average()),
              0.005);
  // Busiest: 3 orders 4 days ago; highest revenue: 80.00 7 days ago.
  EXPECT_EQ(r.json["busiest_day"]["date"].GetString(), day_text(today - 4));
  EXPECT_EQ(r.json["busiest_day"]["order_count"].GetInt(), 3);
  EXPECT_EQ(r.json["highest_revenue_day"]["date"].GetString(), day_text(today - 7));
  EXPECT_EQ(cents(r.json["highest_revenue_day"]["total_revenue"]), 8000);

  // By default the last 30 days, today included.
  r = get("/api/v1/analytics/summary");
  ASSERT_EQ(r.status, 200u) << r.body;
  expect_period(r.json, today - 29, today, expected(today - 29, today), "default");
  expect_period(r.json["previous_period"], today - 59, today - 30, expected(today - 59, today - 30),
                "default previous");
}

TEST_F(AnalyticsRoutesTest, SummaryGrowthIsNullWhenThePreviousPeriodIsEmpty) {
  import(2, OrderStatus::kCompleted, 1000);
  auto r = get("/api/v1/analytics/summary?start_date=" + day_text(today - 6));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["previous_period"]["total_orders"].GetInt(), 0);
  EXPECT_EQ(r.json["previous_period"]["period_end"].GetString(), day_text(today - 7));
  EXPECT_TRUE(r.json["growth"]["orders_percent"].IsNull());
  EXPECT_TRUE(r.json["growth"]["revenue_percent"].IsNull());
  EXPECT_TRUE(r.json["growth"]["average_order_value_percent"].IsNull());

  // Nothing at all: no busiest day either.
  r = get("/api/v1/analytics/summary?end_date=" + day_text(today - 100));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json["busiest_day"].IsNull());
  EXPECT_TRUE(r.json["highest_revenue_day"].IsNull());
  expect_bad("/api/v1/analytics/summary?start_date=2020-01-01&end_date=2022-01-01", "366");
  expect_bad("/api/v1/analytics/summary?currency=1", "currency");
}

TEST_F(AnalyticsRoutesTest, RevenueTrendsCompareEachDayWithTheDayBefore) {
  import(5, OrderStatus::kCompleted, 2000);  // the day before the period
  import(4, OrderStatus::kCompleted, 3000);
  import(2, OrderStatus::kCompleted, 1000);
  import(2, OrderStatus::kReturned, 5000);
  create_plain("P1", 1500, 7);

  auto r = get("/api/v1/analytics/revenue/trends?days=5");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kAnalyticsRevenueTrends);
  const auto& trends = r.json["trends"];
  ASSERT_EQ(trends.Size(), 5u);
  Cents previous = expected(today - 5, today - 5).revenue;
  for (rapidjson::SizeType i = 0; i < 5; ++i) {
    const std::int64_t day = today - 4 + i;
    SCOPED_TRACE(day_text(day));
    const Expected e = expected(day, day);
    EXPECT_EQ(trends[i]["date"].GetString(), day_text(day));
    EXPECT_EQ(cents(trends[i]["total_revenue"]), e.revenue);
    EXPECT_EQ(cents(trends[i]["revenue_change"]), e.revenue - previous);
    if (previous == 0) {
      EXPECT_TRUE(trends[i]["revenue_change_percent"].IsNull());
    } else {
      EXPECT_NEAR(trends[i]["revenue_change_percent"].GetDouble(),
                  100.0 * (e.revenue - previous) / previous, 0.005);
    }
    previous = e.revenue;
  }
  EXPECT_NEAR(trends[0]["revenue_change_percent"].GetDouble(), 50.0, 0.005);
  const Expected total = expected(today - 4, today);
  expect_period(r.json, today - 4, today, total, "totals");
  EXPECT_EQ(cents(r.json["average_daily_revenue"]), total.revenue / 5);

  r = get("/api/v1/analytics/revenue/trends");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["trends"].Size(), 30u);
  for (const char* bad : {"0", "367", "week", ""}) {
    expect_bad(std::string("/api/v1/analytics/revenue/trends?days=") + bad, "days");
  }
}

TEST_F(AnalyticsRoutesTest, QuickPeriodsAreTodayTheLastSevenDaysAndTheMonthToDate) {
  CivilDate month_start = civil_from_days(today);
  month_start.day = 1;
  const std::int64_t into_month = today - days_from_civil(month_start);
  import(0, OrderStatus::kCompleted, 1000);
  import(6, OrderStatus::kCompleted, 2000);
  import(7, OrderStatus::kCompleted, 4000);
  import(into_month, OrderStatus::kShipped, 8000);
  import(into_month + 1, OrderStatus::kCompleted, 16000);  // last month
  create_plain("P1", 300, 7);

  struct Case {
    const char* path;
    Route route;
    std::int64_t first;
  };
  for (const Case& c : {Case{"today", Route::kAnalyticsToday, today},
                        Case{"week", Route::kAnalyticsWeek, today - 6},
                        Case{"month", Route::kAnalyticsMonth, today - into_month}}) {
    SCOPED_TRACE(c.path);
    auto r = get(std::string("/api/v1/analytics/quick/") + c.path);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.route, c.route);
    EXPECT_EQ(r.str("period"), c.path);
    const Expected e = expected(c.first, today);
    expect_period(r.json, c.first, today, e, c.path);
    expect_breakdown(r.json, e);
  }
  expect_bad("/api/v1/analytics/quick/week?currency=dollars", "currency");
}

TEST_F(AnalyticsRoutesTest, AnalyticsAnswer503WithoutReadModels) {
  api->attach_views(nullptr);
  for (const char* path : {"daily", "orders/status", "customers/top", "customers/cust_1", "summary",
                           "revenue/trends", "quick/today", "quick/week", "quick/month"}) {
    EXPECT_EQ(get(std::string("/api/v1/analytics/") + path).status, 503u) << path;
  }
}

}  // namespace
}  // namespace orderd::net
