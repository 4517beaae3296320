// Customer A never sees, lists, changes or counts customer B's orders,
// through any route or filter (OWASP API1, broken object-level
// authorization), and an admin sees everyone's.
#include <gtest/gtest.h>

#include "tests/net/auth_test_util.h"

namespace orderd::net {
namespace {

using testing::AuthFixture;
using testing::Reply;

class AuthIsolation : public AuthFixture {
 protected:
  // Every order id ("id" of managed documents, "order_id" of seed-004
  // rows) an answer mentions, as text.
  static bool mentions(const Reply& r, const std::string& needle) {
    return r.body.find(needle) != std::string::npos;
  }
};

TEST_F(AuthIsolation, BCannotReadAsOrdersByAnyName) {
  as(customer_b());
  EXPECT_EQ(get("/orders/a-1").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/3").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/1").status, 404u);  // by sequence number
  EXPECT_EQ(get("/api/v1/orders/number/" + number_a).status, 404u);
  EXPECT_EQ(get("/api/v1/orders/3/events").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/3/statistics").status, 404u);
  // The answer is the one for an order that does not exist.
  EXPECT_EQ(get("/api/v1/orders/3").body, get("/api/v1/orders/999").body);
  // Their own, they read.
  EXPECT_EQ(get("/orders/b-1").status, 200u);
  EXPECT_EQ(get("/api/v1/orders/4").status, 200u);
}

TEST_F(AuthIsolation, BCannotChangeOrCancelAsOrders) {
  as(customer_b());
  EXPECT_EQ(
      call(HttpMethod::kPut, "/api/v1/orders/3", R"({"customer_email": "bob@example.com"})").status,
      404u);
  EXPECT_EQ(post("/api/v1/orders/3/cancel", "").status, 404u);
  EXPECT_EQ(call(HttpMethod::kDelete, "/api/v1/orders/3").status, 404u);
  as(customer_a());
  const Reply mine = get("/api/v1/orders/3");
  ASSERT_EQ(mine.status, 200u);
  EXPECT_EQ(mine.etag, "\"1\"");  // never changed
  EXPECT_FALSE(mentions(mine, "bob@example.com"));
}

TEST_F(AuthIsolation, BCannotOrderInAsName) {
  as(customer_b());
  EXPECT_EQ(create("b-2", "[1]", "10", "1").status, 403u);
  EXPECT_EQ(
      post("/place_order", R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 1}]})")
          .status,
      403u);
  EXPECT_EQ(post("/api/v1/orders", managed_order_body(1)).status, 403u);
  // A reference names the customer just as well.
  std::string by_ref = managed_order_body(1);
  by_ref.replace(by_ref.find("1,"), 1, "\"cust_a\"");
  EXPECT_EQ(post("/api/v1/orders", by_ref).status, 403u);
  // Without a customer named, the order is B's own.
  const Reply own = post("/api/v1/orders", R"({"order_items": [{"product_id": 1, "quantity": 1}],
        "shipping_address_line1": "1 Main St", "shipping_city": "Seattle",
        "shipping_state": "WA", "shipping_postal_code": "98101", "shipping_country": "US"})");
  ASSERT_EQ(own.status, 201u) << own.body;
  EXPECT_EQ(engine->get(OrderKey::by_seq(5))->user_id, 2u);
}

TEST_F(AuthIsolation, ListingsAndExportsShowOnlyTheCallersOrders) {
  as(customer_b());
  for (const std::string query :
       {"", "?customer_id=1", "?user_id=1", "?customer_id=cust_a", "?status=pending",
        "?sort_by=total_amount&sort_order=desc", "?min_amount=0", "?start_date=2000-01-01"}) {
    for (const std::string path : {"/api/v1/orders", "/api/v1/orders/my-orders"}) {
      const Reply r = get(path + query);
      ASSERT_EQ(r.status, 200u) << path << query << " " << r.body;
      EXPECT_FALSE(mentions(r, "\"a-1\"")) << path << query;
      EXPECT_FALSE(mentions(r, number_a)) << path << query;
      EXPECT_FALSE(mentions(r, "alice@example.com")) << path << query;
    }
    if (query.find("sort_by") != std::string::npos) continue;  // exports take no order
    for (const std::string format : {"jsonl", "csv"}) {
      const Reply r = get("/api/v1/orders/export?format=" + format +
                          (query.empty() ? "" : "&" + query.substr(1)));
      ASSERT_EQ(r.status, 200u) << query << " " << r.body;
      EXPECT_FALSE(mentions(r, number_a)) << format << query;
      EXPECT_FALSE(mentions(r, "alice@example.com")) << format << query;
    }
  }
  const Reply own = get("/api/v1/orders");
  EXPECT_TRUE(mentions(own, "bob@example.com") || mentions(own, "\"customer_id\""));
}

TEST_F(AuthIsolation, BCannotSeeAsProfileHistoryOrFigures) {
  as(customer_b());
  for (const std::string path :
       {"/api/v1/customers/1", "/api/v1/customers/cust_a", "/api/customers/1/orders",
        "/api/customers/1/order-history", "/order_history/1", "/api/v1/orders/customers/1/orders",
        "/api/v1/orders/customers/cust_a/orders", "/api/v1/analytics/customers/1"}) {
    const Reply r = get(path);
    EXPECT_EQ(r.status, 404u) << path;
    EXPECT_FALSE(mentions(r, "alice")) << path;
  }
  for (const std::string path :
       {"/api/v1/customers", "/api/v1/analytics/summary", "/api/v1/analytics/customers/top",
        "/api/orders/analytics/summary", "/orders/metrics"}) {
    EXPECT_EQ(get(path).status, 403u) << path;
  }
  EXPECT_EQ(get("/api/v1/customers/2").status, 200u);
  EXPECT_EQ(get("/api/v1/analytics/customers/2").status, 200u);
}

TEST_F(AuthIsolation, AnIdempotencyKeyNeverReplaysAnotherCallersReply) {
  as(customer_a());
  // A's create under a key, then B sending the same request and key.
  const std::string create_body = R"({"order_items": [{"product_id": 1, "quantity": 1}],
        "shipping_address_line1": "1 Main St", "shipping_city": "Seattle",
        "shipping_state": "WA", "shipping_postal_code": "98101", "shipping_country": "US"})";
  auto with_key = [&](const std::string& key) {
    std::string buffer = create_body;
    HttpRequest request;
    request.method = HttpMethod::kPost;
    request.target = "/api/v1/orders";
    request.authorization = authorization;
    request.idempotency_key = key;
    request.has_idempotency_key = true;
    request.body = std::span<char>(buffer.data(), buffer.size());
    HttpResponse response;
    handler->handle(request, response);
    return std::pair{response.status, std::string(response.body)};
  };
  const auto first = with_key("k-1");
  ASSERT_EQ(first.first, 201u) << first.second;
  as(customer_b());
  const auto other = with_key("k-1");
  EXPECT_EQ(other.first, 422u) << other.second;
  EXPECT_EQ(other.second.find("alice"), std::string::npos);
}

TEST_F(AuthIsolation, AnAdminSeesEveryone) {
  as(admin());
  EXPECT_EQ(get("/api/v1/orders/3").status, 200u);
  EXPECT_EQ(get("/api/v1/orders/4").status, 200u);
  const Reply all = get("/api/v1/orders");
  EXPECT_TRUE(mentions(all, number_a));
  EXPECT_EQ(get("/api/v1/customers/2").status, 200u);
}

}  // namespace
}  // namespace orderd::net
