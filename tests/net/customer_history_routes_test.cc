#include "net/customer_history_routes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "net/read_model_params.h"
#include "net/time_format.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;
using testing::wait_until;

constexpr Micros kSecond = 1'000'000;
constexpr Micros kHour = 3600 * kSecond;
constexpr Micros kDay = 24 * kHour;

// 2025-01-10T12:00:00Z: imported orders are created in the past, months apart.
constexpr Micros kJan10 = 1'736'510'400 * kSecond;

// What the test knows of an order, read from the engine (not the views).
struct Known {
  OrderSeq seq = 0;
  UserId customer = 0;
  OrderStatus status = OrderStatus::kPending;
  std::int64_t units = 0;
  Micros created = 0;
  Micros delivered = 0;
  Cents total = 0;
  std::string city;
};

// numerator / denominator to two decimals, halves up, as the JSON parses it.
double two_decimals(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return 0.0;
  return static_cast<double>((numerator * 200 + denominator) / (2 * denominator)) / 100.0;
}

std::string iso(Micros at) {
  char text[kIso8601Chars];
  return {text, format_iso8601(at, text)};
}

// "2025-01" for an instant, by the C library's calendar.
std::string month_of(Micros at) {
  const std::time_t seconds = at / kSecond;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[8];
  std::strftime(text, sizeof text, "%Y-%m", &tm);
  return text;
}

std::string status_text(OrderStatus s) { return std::string(status_name(s)); }
std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::int64_t i64(const rapidjson::Value& v, const char* key) { return v[key].GetInt64(); }
double num(const rapidjson::Value& v, const char* key) { return v[key].GetDouble(); }
std::string text(const rapidjson::Value& v, const char* key) {
  return v[key].IsString() ? v[key].GetString() : "<not a string>";
}

class CustomerHistoryRoutesTest : public ApiFixture {
 protected:
  UserId add_customer(const std::string& first, const std::string& last, const std::string& city) {
    const std::string email = lowercase(first + "." + last) + "@example.com";
    auto r = post("/api/v1/customers", R"({"first_name": ")" + first + R"(", "last_name": ")" +
                                           last + R"(", "email": ")" + email + R"(", "city": ")" +
                                           city + R"("})");
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.json["id"].GetUint64();
  }

  // A seed-004 order of `units` units for `customer`, once the workers have
  // completed it; its seq.
  OrderSeq place(UserId customer, int units) {
    const std::string id = "H" + std::to_string(++placed_);
    std::string items = "[1";
    for (int i = 1; i < units; ++i) items += ", " + std::to_string(1 + i % 5);
    items += "]";
    auto r = create(id, items, "10.50", std::to_string(customer));
    EXPECT_EQ(r.status, 201u) << r.body;
    EXPECT_TRUE(wait_until([&] { return order_has_status(id, OrderStatus::kCompleted); }));
    return engine->get(id)->seq;
  }

  void move(OrderSeq seq, const std::string& status) {
    auto r = call(HttpMethod::kPut, "/api/orders/" + std::to_string(seq),
                  R"({"status": ")" + status + R"("})");
    ASSERT_EQ(r.status, 200u) << r.body;
  }

  // An order with a past: created at `created`, ended in `status` along the
  // usual path, delivered `delivery` after creation when it got that far.
  OrderSeq import(UserId customer, OrderStatus status, Micros created, std::uint32_t units = 2,
                  Micros delivery = 3 * kDay, const std::string& city = "") {
    using S = OrderStatus;
    OrderSnapshot o;
    o.user_id = customer;
    o.items = {{ProductId{1} + static_cast<ProductId>(placed_++ % 20), units, 0}};
    o.status = status;
    const auto stamp = [&](S s, Micros after) {
      o.at[timestamp_index(reached_at(s))] = created + after;
    };
    stamp(S::kPending, 0);
    stamp(S::kProcessing, kSecond);
    if (status == S::kRejected) stamp(S::kRejected, 2 * kSecond);
    if (status != S::kRejected) stamp(S::kCompleted, 60 * kSecond);
    if (status == S::kCancelled) stamp(S::kCancelled, 120 * kSecond);
    if (status == S::kShipped || status == S::kDelivered || status == S::kReturned) {
      stamp(S::kShipped, kHour);
    }
    if (status == S::kDelivered || status == S::kReturned) stamp(S::kDelivered, delivery);
    if (status == S::kReturned) stamp(S::kReturned, delivery + kDay);
    if (!city.empty()) {
      OrderDetails d;
      d.customer_email = "someone@example.com";
      d.shipping_address.city = city;
      o.details = d;
    }
    const SubmitResult r = engine->import_order(o);
    EXPECT_TRUE(r.ok()) << r.message;
    return r.seq;
  }

  Known known(OrderSeq seq) {
    const auto s = engine->get(OrderKey::by_seq(seq));
    EXPECT_TRUE(s.has_value()) << seq;
    Known k;
    k.seq = seq;
    k.customer = s->user_id;
    k.status = s->status;
    k.units = static_cast<std::int64_t>(s->unit_count());
    k.created = s->timestamp(OrderTimestamp::kCreated);
    k.delivered = s->timestamp(OrderTimestamp::kDelivered);
    k.total = s->details ? s->grand_total() : s->client_total;
    if (s->details) k.city = s->details->shipping_address.city;
    return k;
  }
  std::vector<Known> known_all(const std::vector<OrderSeq>& seqs) {
    std::vector<Known> out;
    for (OrderSeq s : seqs) out.push_back(known(s));
    return out;
  }

  std::string orders_url(UserId c, const std::string& query = "") {
    return "/api/customers/" + std::to_string(c) + "/orders" + (query.empty() ? "" : "?" + query);
  }
  std::string history_url(UserId c, const std::string& query = "") {
    return "/api/customers/" + std::to_string(c) + "/order-history" +
           (query.empty() ? "" : "?" + query);
  }
  std::string shop_url(UserId c, const std::string& query = "") {
    return "/order_history/" + std::to_string(c) + (query.empty() ? "" : "?" + query);
  }

  static std::vector<OrderSeq> ids_of(const rapidjson::Value& list) {
    std::vector<OrderSeq> out;
    for (const auto& o : list.GetArray()) out.push_back(o["order_id"].GetUint64());
    return out;
  }

  // A customer with a Completed, a Shipped, a Delivered, a Returned and a
  // Cancelled order, made through the API; their seqs.
  std::vector<OrderSeq> five_orders(UserId c) {
    std::vector<OrderSeq> seqs;
    for (int units : {1, 4, 2, 5, 3}) seqs.push_back(place(c, units));
    move(seqs[1], "Shipped");
    move(seqs[2], "Shipped");
    move(seqs[2], "Delivered");
    move(seqs[3], "Shipped");
    move(seqs[3], "Delivered");
    move(seqs[3], "Returned");
    move(seqs[4], "Cancelled");
    return seqs;
  }

  int placed_ = 0;
};

// Delivered = reached the customer, returns included.
bool was_delivered(const Known& k) { return k.delivered != 0; }

void expect_analytics(const rapidjson::Value& a, const std::vector<Known>& orders) {
  std::int64_t delivered = 0, cancelled = 0, returned = 0, units = 0;
  for (const Known& k : orders) {
    delivered += was_delivered(k);
    cancelled += k.status == OrderStatus::kCancelled;
    returned += k.status == OrderStatus::kReturned;
    units += k.units;
  }
  const auto n = static_cast<std::int64_t>(orders.size());
  EXPECT_EQ(i64(a, "total_orders"), n);
  EXPECT_EQ(i64(a, "delivered_orders"), delivered);
  EXPECT_EQ(i64(a, "cancelled_orders"), cancelled);
  EXPECT_EQ(i64(a, "returned_orders"), returned);
  EXPECT_EQ(i64(a, "total_items_ordered"), units);
  EXPECT_DOUBLE_EQ(num(a, "avg_items_per_order"), two_decimals(units, n));
  EXPECT_DOUBLE_EQ(num(a, "delivery_rate"), two_decimals(delivered * 100, n));
}

// --- GET /api/customers/{customer_id}/orders -------------------------------------

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersAnswerTheSeedShapeWithEveryField) {
  const UserId c = add_customer("John", "Doe", "New York");
  const std::vector<Known> orders = known_all(five_orders(c));
  add_customer("Someone", "Else", "Paris");
  place(c + 1, 2);  // another customer's order is not listed

  auto r = get(orders_url(c));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["customer"]["id"].GetUint64(), c);
  EXPECT_EQ(text(r.json["customer"], "name"), "John Doe");
  const auto& listed = r.json["orders"];
  ASSERT_EQ(listed.Size(), orders.size());
  // Newest first by default: the orders were placed one after another.
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const Known& k = orders[orders.size() - 1 - i];
    const auto& o = listed[static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(o["order_id"].GetUint64(), k.seq);
    EXPECT_EQ(o["user_id"].GetUint64(), c);
    EXPECT_EQ(text(o, "status"), status_text(k.status));
    EXPECT_EQ(i64(o, "num_of_item"), k.units);
    EXPECT_EQ(text(o, "created_at"), iso(k.created));
    if (was_delivered(k)) {
      EXPECT_EQ(text(o, "delivered_at"), iso(k.delivered));
    } else {
      EXPECT_TRUE(o["delivered_at"].IsNull());
    }
  }
  expect_analytics(r.json["analytics"], orders);
  EXPECT_EQ(i64(r.json["analytics"], "delivered_orders"), 2);  // Delivered and Returned
  const auto& p = r.json["pagination"];
  EXPECT_EQ(i64(p, "page"), 1);
  EXPECT_EQ(i64(p, "per_page"), 20);
  EXPECT_EQ(i64(p, "total"), 5);
  EXPECT_EQ(i64(p, "pages"), 1);
}

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersAnalyticsCoverEveryOrderNotTheFilteredPage) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  const std::vector<Known> orders = known_all(five_orders(c));
  auto r = get(orders_url(c, "status=Delivered&per_page=1"));
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_EQ(r.json["orders"].Size(), 1u);
  EXPECT_EQ(r.json["orders"][0]["order_id"].GetUint64(), orders[2].seq);
  EXPECT_EQ(i64(r.json["pagination"], "total"), 1);
  expect_analytics(r.json["analytics"], orders);
}

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersFilterByOneOrSeveralStatusesInAnySpelling) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  const std::vector<OrderSeq> s = five_orders(c);
  const std::vector<std::pair<std::string, std::set<OrderSeq>>> cases = {
      {"status=delivered", {s[2]}},
      {"status=Shipped,canceled", {s[1], s[4]}},
      {"status=RETURNED&status=completed", {s[3], s[0]}},
      {"status=confirmed", {s[0]}},
      {"status=Pending", {}},
  };
  for (const auto& [query, want] : cases) {
    auto r = get(orders_url(c, query));
    ASSERT_EQ(r.status, 200u) << query << " " << r.body;
    const std::vector<OrderSeq> got = ids_of(r.json["orders"]);
    EXPECT_EQ(std::set<OrderSeq>(got.begin(), got.end()), want) << query;
    EXPECT_EQ(i64(r.json["pagination"], "total"), static_cast<std::int64_t>(want.size())) << query;
  }
}

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersSortByEveryKeyInBothDirections) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  std::vector<OrderSeq> seqs = five_orders(c);
  // Equal keys (two Delivered orders, equal units) fall back to the order id.
  seqs.push_back(import(c, OrderStatus::kDelivered, kJan10, 4, 2 * kDay));
  const std::vector<Known> orders = known_all(seqs);
  using Key = std::int64_t (*)(const Known&);
  const std::vector<std::pair<std::string, Key>> keys = {
      {"created_at", [](const Known& k) { return std::int64_t{k.created}; }},
      {"status", [](const Known& k) { return static_cast<std::int64_t>(k.status); }},
      {"num_of_item", [](const Known& k) { return k.units; }},
      {"delivered_at", [](const Known& k) { return std::int64_t{k.delivered}; }},
  };
  for (const auto& [name, key] : keys) {
    for (const std::string order : {"asc", "DESC", "Asc"}) {
      const bool descending = order == "DESC";
      std::vector<std::pair<std::int64_t, OrderSeq>> want;
      for (const Known& k : orders) want.emplace_back(key(k), k.seq);
      std::sort(want.begin(), want.end());
      if (descending) std::reverse(want.begin(), want.end());
      std::vector<OrderSeq> want_ids;
      for (const auto& w : want) want_ids.push_back(w.second);
      auto r = get(orders_url(c, "sort_by=" + name + "&sort_order=" + order));
      ASSERT_EQ(r.status, 200u) << r.body;
      EXPECT_EQ(ids_of(r.json["orders"]), want_ids) << name << " " << order;
    }
  }
  // sort_order alone defaults the key to created_at; neither gives newest first.
  std::vector<OrderSeq> newest = {seqs[4], seqs[3], seqs[2], seqs[1], seqs[0], seqs[5]};
  EXPECT_EQ(ids_of(get(orders_url(c)).json["orders"]), newest);
  std::reverse(newest.begin(), newest.end());
  EXPECT_EQ(ids_of(get(orders_url(c, "sort_order=asc")).json["orders"]), newest);
}

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersPagesCoverEveryOrderOnce) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  std::vector<OrderSeq> seqs;
  for (int i = 0; i < 7; ++i) {
    seqs.push_back(import(c, OrderStatus::kShipped, kJan10 + i * kDay, 1 + i % 3));
  }
  std::vector<OrderSeq> seen;
  for (int page = 1; page <= 3; ++page) {
    auto r = get(orders_url(c, "page=" + std::to_string(page) + "&per_page=3"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json["orders"].Size(), page < 3 ? 3u : 1u);
    const auto& p = r.json["pagination"];
    EXPECT_EQ(i64(p, "page"), page);
    EXPECT_EQ(i64(p, "per_page"), 3);
    EXPECT_EQ(i64(p, "total"), 7);
    EXPECT_EQ(i64(p, "pages"), 3);
    for (OrderSeq s : ids_of(r.json["orders"])) seen.push_back(s);
  }
  std::reverse(seen.begin(), seen.end());  // newest first, created a day apart
  EXPECT_EQ(seen, seqs);
  // A page past the last is empty, not an error.
  auto beyond = get(orders_url(c, "page=4&per_page=3"));
  ASSERT_EQ(beyond.status, 200u) << beyond.body;
  EXPECT_EQ(beyond.json["orders"].Size(), 0u);
  EXPECT_EQ(i64(beyond.json["pagination"], "total"), 7);
  // At most 100 a page.
  EXPECT_EQ(get(orders_url(c, "per_page=100")).json["orders"].Size(), 7u);
}

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersFollowStatusChanges) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  const OrderSeq a = place(c, 2);
  const OrderSeq b = place(c, 3);
  auto r = get(orders_url(c));
  expect_analytics(r.json["analytics"], known_all({a, b}));
  EXPECT_EQ(i64(r.json["analytics"], "delivered_orders"), 0);

  move(a, "Shipped");
  move(a, "Delivered");
  move(b, "Cancelled");
  r = get(orders_url(c, "sort_order=asc"));
  EXPECT_EQ(text(r.json["orders"][0], "status"), "Delivered");
  EXPECT_EQ(text(r.json["orders"][0], "delivered_at"), iso(known(a).delivered));
  EXPECT_EQ(text(r.json["orders"][1], "status"), "Cancelled");
  expect_analytics(r.json["analytics"], known_all({a, b}));
  EXPECT_DOUBLE_EQ(num(r.json["analytics"], "delivery_rate"), 50.0);

  // A return keeps the order delivered: it did reach the customer.
  move(a, "Returned");
  r = get(orders_url(c, "status=returned"));
  EXPECT_EQ(ids_of(r.json["orders"]), std::vector<OrderSeq>{a});
  EXPECT_EQ(i64(r.json["analytics"], "delivered_orders"), 1);
  EXPECT_EQ(i64(r.json["analytics"], "returned_orders"), 1);
  EXPECT_EQ(get(orders_url(c, "status=delivered")).json["orders"].Size(), 0u);
}

TEST_F(CustomerHistoryRoutesTest, CustomerOrdersRejectBadParametersNamingThem) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  place(c, 1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"per_page=0", "per_page must be an integer from 1 to 100"},
      {"per_page=101", "per_page must be an integer from 1 to 100"},
      {"per_page=ten", "per_page must be an integer from 1 to 100"},
      {"per_page=", "per_page must be an integer from 1 to 100"},
      {"page=0", "page must be an integer from 1 to 5001"},
      {"page=-1", "page must be an integer from 1 to 5001"},
      {"page=5002", "page must be an integer from 1 to 5001"},
      {"page=1002&per_page=100", "page must be an integer from 1 to 1001"},
      {"page=1.5", "page must be an integer from 1 to 5001"},
      {"sort_by=total_amount",
       "sort_by must be one of created_at, status, num_of_item, delivered_at"},
      {"sort_by=", "sort_by must be one of created_at, status, num_of_item, delivered_at"},
      {"sort_order=up", "sort_order must be asc or desc"},
  };
  for (const auto& [query, error] : cases) {
    auto r = get(orders_url(c, query));
    EXPECT_EQ(r.status, 400u) << query;
    EXPECT_EQ(r.error(), error) << query;
  }
  auto r = get(orders_url(c, "status=Lost"));
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(r.error().starts_with("status must be one or more of")) << r.error();
  EXPECT_NE(r.error().find("\"Lost\""), std::string::npos) << r.error();
  EXPECT_EQ(get(orders_url(c, "page=5001")).status, 200u);  // the deepest page there is
}

TEST_F(CustomerHistoryRoutesTest, CustomerWithoutOrdersHasZeroFiguresAndNoPages) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  auto r = get(orders_url(c));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["orders"].Size(), 0u);
  expect_analytics(r.json["analytics"], {});
  EXPECT_EQ(i64(r.json["pagination"], "total"), 0);
  EXPECT_EQ(i64(r.json["pagination"], "pages"), 0);

  r = get(history_url(c));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto& m = r.json["customer_metrics"];
  EXPECT_EQ(i64(m, "total_orders"), 0);
  EXPECT_DOUBLE_EQ(num(m, "success_rate"), 0.0);
  EXPECT_DOUBLE_EQ(num(m, "avg_order_size"), 0.0);
  EXPECT_TRUE(m["first_order_date"].IsNull());
  EXPECT_TRUE(m["last_order_date"].IsNull());
  EXPECT_TRUE(m["avg_delivery_time_days"].IsNull());
  EXPECT_EQ(r.json["order_history"].Size(), 0u);
  EXPECT_EQ(r.json["order_timeline"].Size(), 0u);
  EXPECT_FALSE(r.json["truncated"].GetBool());

  r = get(shop_url(c));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["orders"].Size(), 0u);
  EXPECT_TRUE(r.json["next_after"].IsNull());
}

// --- Every customer route ----------------------------------------------------------

TEST_F(CustomerHistoryRoutesTest, CustomerRoutesNameCustomersByIdOrReferenceAnd404Others) {
  auto created =
      post("/api/v1/customers",
           R"({"name": "Ref Holder", "email": "ref@example.com", "external_ref": "cust_9"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const UserId c = created.json["id"].GetUint64();
  place(c, 1);
  for (const std::string suffix : {"/orders", "/order-history"}) {
    auto r = get("/api/customers/cust_9" + suffix);
    ASSERT_EQ(r.status, 200u) << suffix << r.body;
    EXPECT_EQ(r.json["customer"]["id"].GetUint64(), c);
    r = get("/api/customers/999" + suffix);
    EXPECT_EQ(r.status, 404u) << suffix;
    EXPECT_EQ(r.error(), "Customer not found");
    EXPECT_EQ(get("/api/customers/nobody" + suffix).status, 404u);
    r = get("/api/customers/%zz" + suffix);
    EXPECT_EQ(r.status, 400u) << suffix;
    EXPECT_EQ(r.error(), "the customer id in the path has a malformed %-escape");
  }
  EXPECT_EQ(get("/order_history/cust_9").json["customer_id"].GetUint64(), c);
  EXPECT_EQ(get("/order_history/999").status, 404u);
  EXPECT_EQ(get("/order_history/%zz").status, 400u);
}

TEST_F(CustomerHistoryRoutesTest, AnImplicitCustomerHasNullNameAndContact) {
  ASSERT_EQ(create("I1", "[1, 2]", "5.00", "77").status, 201u);
  ASSERT_TRUE(wait_until([&] { return order_has_status("I1", OrderStatus::kCompleted); }));
  auto r = get(orders_url(77));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json["customer"]["name"].IsNull());
  EXPECT_EQ(i64(r.json["analytics"], "total_items_ordered"), 2);
  r = get(history_url(77));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json["customer"]["email"].IsNull());
  EXPECT_TRUE(r.json["customer"]["city"].IsNull());
  EXPECT_EQ(text(r.json["customer"], "member_since"),
            iso(engine->get("I1")->timestamp(OrderTimestamp::kCreated)));
  r = get(shop_url(77));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json["name"].IsNull());
  EXPECT_TRUE(r.json["email"].IsNull());
  EXPECT_DOUBLE_EQ(num(r.json["orders"][0], "total"), 5.0);
}

TEST_F(CustomerHistoryRoutesTest, EveryRouteAnswers503WithoutReadModels) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  api->attach_views(nullptr);
  for (const std::string& url :
       {orders_url(c), history_url(c), shop_url(c), std::string("/api/orders/analytics/summary")}) {
    auto r = get(url);
    EXPECT_EQ(r.status, 503u) << url;
    EXPECT_EQ(r.error(), "the read models are not running") << url;
  }
}

TEST_F(CustomerHistoryRoutesTest, OnlyGetAndHeadAreAllowed) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  for (const std::string& url :
       {orders_url(c), history_url(c), shop_url(c), std::string("/api/orders/analytics/summary")}) {
    EXPECT_EQ(call(HttpMethod::kHead, url).status, 200u) << url;
    auto r = call(HttpMethod::kPost, url, "{}");
    EXPECT_EQ(r.status, 405u) << url;
    EXPECT_EQ(r.allow, "GET, HEAD");
  }
}

TEST_F(CustomerHistoryRoutesTest, ACustomerWithVeryManyOrdersIsAnsweredOffTheIoThread) {
  start({}, {}, {20, 1'000'000});
  const UserId c = add_customer("Busy", "Buyer", "Lima");
  for (std::int64_t i = 0; i <= kInlineRows; ++i) {
    import(c, OrderStatus::kCompleted, kJan10 + i * kSecond, 1);
  }
  for (const std::string& url : {orders_url(c), history_url(c), shop_url(c)}) {
    EXPECT_TRUE(call(HttpMethod::kGet, url, "", false).needs_blocking) << url;
    auto r = get(url);  // then on a blocking thread
    ASSERT_EQ(r.status, 200u) << url;
  }
  auto r = get(history_url(c, "limit=5"));
  EXPECT_EQ(i64(r.json["customer_metrics"], "total_orders"), kInlineRows + 1);
  EXPECT_EQ(r.json["order_history"].Size(), 5u);
  EXPECT_TRUE(r.json["truncated"].GetBool());
  // A small customer is answered where it stands.
  const UserId small = add_customer("Small", "Buyer", "Lima");
  EXPECT_FALSE(call(HttpMethod::kGet, orders_url(small), "", false).needs_blocking);
}

// --- GET /api/customers/{customer_id}/order-history ------------------------------

TEST_F(CustomerHistoryRoutesTest, OrderHistoryAnswersTheSeedShapeWithLifetimeMetrics) {
  const UserId c = add_customer("John", "Doe", "New York");
  const Micros feb = kJan10 + 31 * kDay, mar = feb + 28 * kDay;
  const std::vector<OrderSeq> seqs = {
      import(c, OrderStatus::kDelivered, kJan10, 3, 4 * kDay),
      import(c, OrderStatus::kReturned, kJan10 + kHour, 1, 2 * kDay + 12 * kHour),
      import(c, OrderStatus::kCancelled, kJan10 + 2 * kHour, 2),
      import(c, OrderStatus::kDelivered, feb, 5, kDay + kHour),
      import(c, OrderStatus::kShipped, feb + kHour, 1),
      import(c, OrderStatus::kDelivered, mar, 2, 7 * kDay),
      import(c, OrderStatus::kRejected, mar + kDay, 4),
  };
  const std::vector<Known> orders = known_all(seqs);

  auto r = get(history_url(c));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto& customer = r.json["customer"];
  const CustomerInfo info = *engine->customers().get(c);
  EXPECT_EQ(customer["id"].GetUint64(), c);
  EXPECT_EQ(text(customer, "name"), "John Doe");
  EXPECT_EQ(text(customer, "email"), "john.doe@example.com");
  EXPECT_EQ(text(customer, "city"), "New York");
  EXPECT_EQ(text(customer, "member_since"), iso(info.member_since));

  // Newest first, each with its delivery time in days.
  const auto& history = r.json["order_history"];
  ASSERT_EQ(history.Size(), orders.size());
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const Known& k = orders[orders.size() - 1 - i];
    const auto& o = history[static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(o["order_id"].GetUint64(), k.seq);
    EXPECT_EQ(text(o, "status"), status_text(k.status));
    EXPECT_EQ(i64(o, "num_of_item"), k.units);
    EXPECT_EQ(text(o, "created_at"), iso(k.created));
    if (was_delivered(k)) {
      EXPECT_EQ(text(o, "delivered_at"), iso(k.delivered));
      EXPECT_DOUBLE_EQ(num(o, "delivery_days"), two_decimals(k.delivered - k.created, kDay));
    } else {
      EXPECT_TRUE(o["delivered_at"].IsNull());
      EXPECT_TRUE(o["delivery_days"].IsNull());
    }
  }
  EXPECT_FALSE(r.json["truncated"].GetBool());

  std::int64_t delivered = 0, cancelled = 0, units = 0;
  Micros took = 0, first = orders[0].created, last = orders[0].created;
  std::map<std::pair<std::string, std::string>, std::int64_t> timeline;
  for (const Known& k : orders) {
    delivered += was_delivered(k);
    cancelled += k.status == OrderStatus::kCancelled;
    units += k.units;
    if (was_delivered(k)) took += k.delivered - k.created;
    first = std::min(first, k.created);
    last = std::max(last, k.created);
    timeline[{month_of(k.created), status_text(k.status)}] += 1;
  }
  const auto n = static_cast<std::int64_t>(orders.size());
  const auto& m = r.json["customer_metrics"];
  EXPECT_EQ(i64(m, "total_orders"), n);
  EXPECT_EQ(i64(m, "successful_orders"), delivered);
  EXPECT_EQ(i64(m, "cancelled_orders"), cancelled);
  EXPECT_EQ(i64(m, "returned_orders"), 1);
  EXPECT_DOUBLE_EQ(num(m, "avg_order_size"), two_decimals(units, n));
  EXPECT_EQ(i64(m, "total_items_ordered"), units);
  EXPECT_EQ(text(m, "first_order_date"), iso(first));
  EXPECT_EQ(text(m, "last_order_date"), iso(last));
  EXPECT_DOUBLE_EQ(num(m, "avg_delivery_time_days"), two_decimals(took / delivered, kDay));
  EXPECT_DOUBLE_EQ(num(m, "success_rate"), two_decimals(delivered * 100, n));

  // Months newest first; within a month, statuses in lifecycle order.
  std::vector<std::tuple<std::string, std::string, std::int64_t>> want;
  for (const auto& [key, count] : timeline) want.emplace_back(key.first, key.second, count);
  std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return parse_status(std::get<1>(a)) < parse_status(std::get<1>(b));
  });
  std::vector<std::tuple<std::string, std::string, std::int64_t>> got;
  for (const auto& t : r.json["order_timeline"].GetArray()) {
    got.emplace_back(text(t, "month"), text(t, "status"), i64(t, "count"));
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(std::get<0>(got.front()), "2025-03");
  EXPECT_EQ(std::get<0>(got.back()), "2025-01");
}

TEST_F(CustomerHistoryRoutesTest, OrderHistoryListsTheNewestUpToLimitWhileMetricsCoverAll) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  std::vector<OrderSeq> seqs;
  for (int i = 0; i < 6; ++i)
    seqs.push_back(import(c, OrderStatus::kCompleted, kJan10 + i * kDay, 1));
  auto r = get(history_url(c, "limit=2"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(ids_of(r.json["order_history"]), (std::vector<OrderSeq>{seqs[5], seqs[4]}));
  EXPECT_TRUE(r.json["truncated"].GetBool());
  EXPECT_EQ(i64(r.json["customer_metrics"], "total_orders"), 6);
  EXPECT_EQ(i64(r.json["customer_metrics"], "total_items_ordered"), 6);
  EXPECT_EQ(i64(r.json["order_timeline"][0], "count"), 6);

  EXPECT_FALSE(get(history_url(c, "limit=6")).json["truncated"].GetBool());
  for (const std::string bad : {"limit=0", "limit=1001", "limit=many", "limit="}) {
    auto e = get(history_url(c, bad));
    EXPECT_EQ(e.status, 400u) << bad;
    EXPECT_EQ(e.error(), "limit must be an integer from 1 to 1000") << bad;
  }
}

TEST_F(CustomerHistoryRoutesTest, OrderHistoryFollowsStatusChanges) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  const OrderSeq a = place(c, 2);
  auto r = get(history_url(c));
  EXPECT_EQ(i64(r.json["customer_metrics"], "successful_orders"), 0);
  EXPECT_TRUE(r.json["customer_metrics"]["avg_delivery_time_days"].IsNull());
  EXPECT_EQ(text(r.json["order_timeline"][0], "status"), "Completed");

  move(a, "Shipped");
  move(a, "Delivered");
  r = get(history_url(c));
  const Known k = known(a);
  EXPECT_EQ(text(r.json["order_history"][0], "status"), "Delivered");
  EXPECT_DOUBLE_EQ(num(r.json["order_history"][0], "delivery_days"),
                   two_decimals(k.delivered - k.created, kDay));
  EXPECT_EQ(i64(r.json["customer_metrics"], "successful_orders"), 1);
  EXPECT_DOUBLE_EQ(num(r.json["customer_metrics"], "success_rate"), 100.0);
  ASSERT_EQ(r.json["order_timeline"].Size(), 1u);
  EXPECT_EQ(text(r.json["order_timeline"][0], "status"), "Delivered");
  EXPECT_EQ(text(r.json["order_timeline"][0], "month"), month_of(k.created));
}

// --- GET /order_history/{customer_id} (seed 002) ----------------------------------

TEST_F(CustomerHistoryRoutesTest, ShopOrderHistoryPagesOldestFirstWithLowercaseStatuses) {
  auto reg =
      post("/register_customer", R"({"name": "Customer Name", "email": "email@example.com"})");
  ASSERT_EQ(reg.status, 201u) << reg.body;
  const UserId c = reg.json["customer_id"].GetUint64();
  std::vector<OrderSeq> seqs;
  for (int quantity : {2, 11, 1, 3, 5}) {
    auto r = post("/place_order", R"({"customer_id": )" + std::to_string(c) +
                                      R"(, "items": [{"product_id": 1, "quantity": )" +
                                      std::to_string(quantity) + R"(}]})");
    ASSERT_EQ(r.status, 201u) << r.body;
    seqs.push_back(r.json["order_id"].GetUint64());
  }
  for (OrderSeq s : seqs) {
    ASSERT_TRUE(wait_until([&] { return known(s).status == OrderStatus::kCompleted; }));
  }
  // An older order imported afterwards comes first: the order is by creation.
  seqs.insert(seqs.begin(), import(c, OrderStatus::kShipped, kJan10, 4));

  std::vector<OrderSeq> seen;
  std::string after;
  for (int page = 0; page < 3; ++page) {
    auto r = get(shop_url(c, "limit=2" + after));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json["customer_id"].GetUint64(), c);
    EXPECT_EQ(text(r.json, "name"), "Customer Name");
    EXPECT_EQ(text(r.json, "email"), "email@example.com");
    EXPECT_EQ(i64(r.json, "total_orders"), 6);
    ASSERT_EQ(r.json["orders"].Size(), 2u);
    for (const auto& o : r.json["orders"].GetArray()) {
      const Known k = known(o["order_id"].GetUint64());
      EXPECT_EQ(text(o, "status"), lowercase(status_text(k.status)));
      EXPECT_EQ(i64(o, "num_of_item"), k.units);
      EXPECT_DOUBLE_EQ(num(o, "total"), static_cast<double>(k.total) / 100.0);
      EXPECT_EQ(text(o, "currency"), "USD");
      EXPECT_EQ(text(o, "created_at"), iso(k.created));
      seen.push_back(k.seq);
    }
    if (page < 2) {
      after = "&after=" + std::to_string(r.json["next_after"].GetUint64());
    } else {
      EXPECT_TRUE(r.json["next_after"].IsNull());
    }
  }
  EXPECT_EQ(seen, seqs);
}

TEST_F(CustomerHistoryRoutesTest, ShopOrderHistoryWithoutPagingStreamsTheWholeHistoryOldestFirst) {
  auto reg = post("/register_customer", R"({"name": "Many Orders", "email": "many@example.com"})");
  ASSERT_EQ(reg.status, 201u) << reg.body;
  const UserId c = reg.json["customer_id"].GetUint64();
  // Newest first on purpose: the stream sorts by creation.
  std::vector<OrderSeq> seqs;
  for (int i = 0; i < 1500; ++i) {
    seqs.push_back(import(c, OrderStatus::kShipped, kJan10 + (1500 - i) * kHour, 1 + i % 3));
  }
  import(c + 1000, OrderStatus::kShipped, kJan10);  // someone else's
  const Reply r = get(shop_url(c));
  ASSERT_EQ(r.status, 200u) << r.body.substr(0, 200);
  EXPECT_TRUE(r.streamed);
  EXPECT_GT(r.body.size(), 64u * 1024);  // more than one piece
  ASSERT_TRUE(r.json.IsObject());
  EXPECT_EQ(r.json["customer_id"].GetUint64(), c);
  EXPECT_EQ(i64(r.json, "total_orders"), 1500);
  EXPECT_TRUE(r.json["next_after"].IsNull());
  EXPECT_EQ(ids_of(r.json["orders"]), std::vector<OrderSeq>(seqs.rbegin(), seqs.rend()));
  EXPECT_EQ(text(r.json["orders"][0], "status"), "shipped");
}

TEST_F(CustomerHistoryRoutesTest, ShopOrderHistoryFollowsStatusChanges) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  const OrderSeq a = place(c, 2);
  EXPECT_EQ(text(get(shop_url(c)).json["orders"][0], "status"), "completed");
  auto r = call(HttpMethod::kPatch, "/update_order_status",
                R"({"order_id": )" + std::to_string(a) + R"(, "status": "shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(text(get(shop_url(c)).json["orders"][0], "status"), "shipped");
}

TEST_F(CustomerHistoryRoutesTest, ShopOrderHistoryRejectsBadAfterAndLimit) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  const UserId other = add_customer("Bob", "Other", "Paris");
  place(c, 1);
  const OrderSeq theirs = place(other, 1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"limit=0", "limit must be an integer from 1 to 1000"},
      {"limit=1001", "limit must be an integer from 1 to 1000"},
      {"after=0", "after must be an integer from 1 to 9007199254740991"},
      {"after=x", "after must be an integer from 1 to 9007199254740991"},
      {"after=" + std::to_string(theirs),
       "after must be the order_id of one of the customer's orders"},
      {"after=99999", "after must be the order_id of one of the customer's orders"},
  };
  for (const auto& [query, error] : cases) {
    auto r = get(shop_url(c, query));
    EXPECT_EQ(r.status, 400u) << query;
    EXPECT_EQ(r.error(), error) << query;
  }
}

// --- GET /api/orders/analytics/summary ---------------------------------------------

class CustomerHistorySummaryTest : public CustomerHistoryRoutesTest {
 protected:
  // Customers with different numbers of orders over four months, some with
  // shipping cities; the seqs.
  std::vector<OrderSeq> shop() {
    using S = OrderStatus;
    const UserId a = add_customer("Ann", "Able", "Oslo");
    const UserId b = add_customer("Ben", "Baker", "Rome");
    const UserId d = add_customer("Dee", "Dunn", "Kyiv");
    const Micros month = 31 * kDay;
    std::vector<OrderSeq> s = {
        import(a, S::kDelivered, kJan10, 3, 2 * kDay, "Oslo"),
        import(a, S::kDelivered, kJan10 + month, 1, 5 * kDay, "Oslo"),
        import(a, S::kReturned, kJan10 + 2 * month, 2, kDay + 6 * kHour, "Bergen"),
        import(b, S::kCancelled, kJan10, 4, 0, "Rome"),
        import(b, S::kShipped, kJan10 + 3 * month, 7, 0, "Rome"),
        import(b, S::kRejected, kJan10 + 3 * month + kDay, 1),
        import(d, S::kCompleted, kJan10 + 2 * month, 2),
        import(a, S::kDelivered, kJan10 + 3 * month, 6, 10 * kDay, "Oslo"),
    };
    s.push_back(place(d, 3));  // this month, Completed
    return s;
  }
};

TEST_F(CustomerHistorySummaryTest, SummaryAnswersTheSeedShapeWithFiguresOverEveryOrder) {
  const std::vector<Known> orders = known_all(shop());
  auto r = get("/api/orders/analytics/summary");
  ASSERT_EQ(r.status, 200u) << r.body;

  std::map<OrderStatus, std::int64_t> by_status;
  std::int64_t units = 0;
  for (const Known& k : orders) {
    by_status[k.status] += 1;
    units += k.units;
  }
  const auto n = static_cast<std::int64_t>(orders.size());
  const std::int64_t delivered =
      by_status[OrderStatus::kDelivered] + by_status[OrderStatus::kReturned];
  const auto& o = r.json["overall_statistics"];
  EXPECT_EQ(i64(o, "total_orders"), n);
  EXPECT_EQ(i64(o, "delivered_orders"), delivered);
  EXPECT_EQ(i64(o, "cancelled_orders"), by_status[OrderStatus::kCancelled]);
  EXPECT_EQ(i64(o, "shipped_orders"), by_status[OrderStatus::kShipped]);
  EXPECT_EQ(i64(o, "pending_orders"), 0);
  EXPECT_EQ(i64(o, "returned_orders"), by_status[OrderStatus::kReturned]);
  EXPECT_EQ(i64(o, "total_items_ordered"), units);
  EXPECT_DOUBLE_EQ(num(o, "avg_items_per_order"), two_decimals(units, n));
  EXPECT_DOUBLE_EQ(num(o, "delivery_rate"), two_decimals(delivered * 100, n));

  // Months newest first.
  std::map<std::string, std::pair<std::int64_t, std::int64_t>, std::greater<>> months;
  for (const Known& k : orders) {
    months[month_of(k.created)].first += 1;
    months[month_of(k.created)].second += k.units;
  }
  const auto& trends = r.json["monthly_trends"];
  ASSERT_EQ(trends.Size(), months.size());
  rapidjson::SizeType i = 0;
  for (const auto& [month, figures] : months) {
    const auto& t = trends[i++];
    EXPECT_EQ(text(t, "month"), month);
    EXPECT_EQ(i64(t, "count"), figures.first);
    EXPECT_DOUBLE_EQ(num(t, "avg_items"), two_decimals(figures.second, figures.first));
  }

  // Customers by orders, then id.
  std::map<UserId, std::pair<std::int64_t, std::int64_t>> per_customer;
  for (const Known& k : orders) {
    per_customer[k.customer].first += 1;
    per_customer[k.customer].second += k.units;
  }
  std::vector<std::tuple<std::int64_t, UserId, std::int64_t>> ranked;
  for (const auto& [id, f] : per_customer) ranked.emplace_back(-f.first, id, f.second);
  std::sort(ranked.begin(), ranked.end());
  const auto& top = r.json["top_customers"];
  ASSERT_EQ(top.Size(), ranked.size());
  for (rapidjson::SizeType j = 0; j < top.Size(); ++j) {
    const auto& [minus_orders, id, items] = ranked[j];
    const CustomerInfo info = *engine->customers().get(id);
    EXPECT_EQ(top[j]["id"].GetUint64(), id);
    EXPECT_EQ(text(top[j], "first_name"), info.first_name);
    EXPECT_EQ(text(top[j], "last_name"), info.last_name);
    EXPECT_EQ(text(top[j], "email"), info.email);
    EXPECT_EQ(i64(top[j], "order_count"), -minus_orders);
    EXPECT_EQ(i64(top[j], "total_items"), items);
    EXPECT_DOUBLE_EQ(num(top[j], "avg_items_per_order"), two_decimals(items, -minus_orders));
  }

  Micros shortest = INT64_MAX, longest = 0, took = 0;
  std::int64_t timed = 0;
  for (const Known& k : orders) {
    if (!was_delivered(k)) continue;
    const Micros t = k.delivered - k.created;
    shortest = std::min(shortest, t);
    longest = std::max(longest, t);
    took += t;
    ++timed;
  }
  const auto& d = r.json["delivery_timeline"];
  EXPECT_DOUBLE_EQ(num(d, "avg_delivery_days"), two_decimals(took / timed, kDay));
  EXPECT_DOUBLE_EQ(num(d, "min_delivery_days"), two_decimals(shortest, kDay));
  EXPECT_DOUBLE_EQ(num(d, "max_delivery_days"), two_decimals(longest, kDay));
  EXPECT_EQ(i64(d, "delivered_orders"), timed);

  // Shipping cities by orders, then name.
  std::map<std::string, std::tuple<std::int64_t, std::int64_t, std::int64_t>> cities;
  for (const Known& k : orders) {
    if (k.city.empty()) continue;
    auto& [count, items, delivered_count] = cities[k.city];
    count += 1;
    items += k.units;
    delivered_count += was_delivered(k);
  }
  std::vector<std::pair<std::int64_t, std::string>> city_order;
  for (const auto& [name, f] : cities) city_order.emplace_back(-std::get<0>(f), name);
  std::sort(city_order.begin(), city_order.end());
  const auto& dist = r.json["city_distribution"];
  ASSERT_EQ(dist.Size(), city_order.size());
  for (rapidjson::SizeType j = 0; j < dist.Size(); ++j) {
    const auto& [count, items, delivered_count] = cities[city_order[j].second];
    EXPECT_EQ(text(dist[j], "city"), city_order[j].second);
    EXPECT_EQ(i64(dist[j], "order_count"), count);
    EXPECT_DOUBLE_EQ(num(dist[j], "avg_items"), two_decimals(items, count));
    EXPECT_EQ(i64(dist[j], "delivered_count"), delivered_count);
  }
}

TEST_F(CustomerHistorySummaryTest, SummaryFollowsStatusChanges) {
  const std::vector<OrderSeq> seqs = shop();
  const OrderSeq completed = seqs.back();
  const Reply before = get("/api/orders/analytics/summary");
  const std::int64_t shipped = i64(before.json["overall_statistics"], "shipped_orders");
  const std::int64_t delivered = i64(before.json["overall_statistics"], "delivered_orders");
  move(completed, "Shipped");
  auto r = get("/api/orders/analytics/summary");
  EXPECT_EQ(i64(r.json["overall_statistics"], "shipped_orders"), shipped + 1);
  move(completed, "Delivered");
  r = get("/api/orders/analytics/summary");
  EXPECT_EQ(i64(r.json["overall_statistics"], "shipped_orders"), shipped);
  EXPECT_EQ(i64(r.json["overall_statistics"], "delivered_orders"), delivered + 1);
  EXPECT_EQ(i64(r.json["delivery_timeline"], "delivered_orders"), delivered + 1);
  move(completed, "Returned");  // still delivered
  r = get("/api/orders/analytics/summary");
  EXPECT_EQ(i64(r.json["overall_statistics"], "delivered_orders"), delivered + 1);
}

TEST_F(CustomerHistorySummaryTest, PendingOrdersCountThoseNotYetThroughTheWorkers) {
  const UserId c = add_customer("Ada", "Lovelace", "London");
  engine->pause_workers();
  ASSERT_EQ(create("P1", "[1]", "1.00", std::to_string(c)).status, 201u);
  ASSERT_EQ(create("P2", "[2]", "1.00", std::to_string(c)).status, 201u);
  auto r = get("/api/orders/analytics/summary");
  EXPECT_EQ(i64(r.json["overall_statistics"], "pending_orders"), 2);
  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return order_has_status("P2", OrderStatus::kCompleted); }));
  ASSERT_TRUE(wait_until([&] { return order_has_status("P1", OrderStatus::kCompleted); }));
  r = get("/api/orders/analytics/summary");
  EXPECT_EQ(i64(r.json["overall_statistics"], "pending_orders"), 0);
}

TEST_F(CustomerHistorySummaryTest, SummaryOfNoOrdersIsZerosAndEmptyLists) {
  auto r = get("/api/orders/analytics/summary");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto& o = r.json["overall_statistics"];
  EXPECT_EQ(i64(o, "total_orders"), 0);
  EXPECT_DOUBLE_EQ(num(o, "avg_items_per_order"), 0.0);
  EXPECT_DOUBLE_EQ(num(o, "delivery_rate"), 0.0);
  EXPECT_EQ(r.json["monthly_trends"].Size(), 0u);
  EXPECT_EQ(r.json["top_customers"].Size(), 0u);
  EXPECT_TRUE(r.json["delivery_timeline"]["avg_delivery_days"].IsNull());
  EXPECT_TRUE(r.json["delivery_timeline"]["min_delivery_days"].IsNull());
  EXPECT_TRUE(r.json["delivery_timeline"]["max_delivery_days"].IsNull());
  EXPECT_EQ(r.json["city_distribution"].Size(), 0u);
}

TEST_F(CustomerHistorySummaryTest, SummaryKeepsTheTwelveLatestMonthsAndTenTopEntries) {
  // 14 months of orders, by 12 customers, shipped to 12 cities.
  std::vector<UserId> customers;
  for (int i = 0; i < 12; ++i) customers.push_back(add_customer("C" + std::to_string(i), "X", "Y"));
  std::vector<OrderSeq> seqs;
  for (int m = 0; m < 14; ++m) {
    for (int j = 0; j <= m % 12; ++j) {
      seqs.push_back(import(customers[static_cast<std::size_t>(j)], OrderStatus::kCompleted,
                            kJan10 + m * 31 * kDay, 1, 0, "City" + std::to_string(j)));
    }
  }
  auto r = get("/api/orders/analytics/summary");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto& trends = r.json["monthly_trends"];
  ASSERT_EQ(trends.Size(), 12u);
  EXPECT_EQ(text(trends[0], "month"), month_of(kJan10 + 13 * 31 * kDay));
  EXPECT_EQ(text(trends[11], "month"), month_of(kJan10 + 2 * 31 * kDay));
  EXPECT_EQ(r.json["top_customers"].Size(), 10u);
  EXPECT_EQ(r.json["top_customers"][0]["id"].GetUint64(), customers[0]);
  EXPECT_EQ(r.json["city_distribution"].Size(), 10u);
  EXPECT_EQ(text(r.json["city_distribution"][0], "city"), "City0");
  EXPECT_EQ(i64(r.json["overall_statistics"], "total_orders"),
            static_cast<std::int64_t>(seqs.size()));
}

}  // namespace
}  // namespace orderd::net
