#include "net/shop_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;
using testing::wait_until;

class ShopRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    auto r = post("/register_customer", R"({"name": "Shopper", "email": "shop@example.com"})");
    ASSERT_EQ(r.status, 201u) << r.body;
    customer = r.json["customer_id"].GetUint64();
  }

  Reply place(const std::string& items) {
    return post("/place_order",
                R"({"customer_id": )" + std::to_string(customer) + R"(, "items": )" + items + "}");
  }
  Reply patch(const std::string& body) {
    return call(HttpMethod::kPatch, "/update_order_status", body);
  }
  Reply patch_if(const std::string& if_match, const std::string& body) {
    return call_if_match(HttpMethod::kPatch, "/update_order_status", if_match, body);
  }
  // A placed order, Completed (version 3); its seq.
  std::uint64_t completed_order() {
    auto placed = place(R"([{"product_id": 1, "quantity": 1}])");
    const auto seq = placed.json["order_id"].GetUint64();
    EXPECT_TRUE(wait_until([&] { return seq_has_status(seq, OrderStatus::kCompleted); }));
    return seq;
  }
  bool seq_has_status(std::uint64_t seq, OrderStatus s) {
    auto o = engine->get(OrderKey::by_seq(seq));
    return o && o->status == s;
  }

  std::uint64_t customer = 0;
};

TEST_F(ShopRoutesTest, PlaceOrderAnswers201WithPricesAndTheDiscount) {
  // Demo prices: product 1 is 1.99, product 2 is 2.99; 12 units get 10% off.
  auto r = place(R"([{"product_id": 1, "quantity": 2}, {"product_id": 2, "quantity": 10}])");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.str("message"), "Order placed");
  const auto seq = r.json["order_id"].GetUint64();
  EXPECT_EQ(r.str("id"), "order_" + std::to_string(seq));
  EXPECT_EQ(r.json["customer_id"].GetUint64(), customer);
  ASSERT_EQ(r.json["items"].Size(), 2u);
  EXPECT_EQ(r.json["items"][1]["product_id"].GetInt(), 2);
  EXPECT_EQ(r.json["items"][1]["quantity"].GetInt(), 10);
  EXPECT_NE(r.body.find("\"subtotal\":33.88"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"discount\":3.38"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"total\":30.5"), std::string::npos) << r.body;
  EXPECT_EQ(r.str("status"), "pending");
  // The order as accepted, whatever a worker did since.
  EXPECT_EQ(r.json["version"].GetUint(), 1u);
  EXPECT_EQ(r.etag, R"("1")");

  auto stored = engine->get(OrderKey::by_seq(seq));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->user_id, customer);
  ASSERT_TRUE(stored->details.has_value());
  EXPECT_EQ(stored->details->customer_email, "shop@example.com");
  EXPECT_EQ(stored->details->currency, "USD");
}

TEST_F(ShopRoutesTest, TenUnitsGetNoDiscount) {
  auto r = place(R"([{"product_id": 1, "quantity": 10}])");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_NE(r.body.find("\"discount\":0.0"), std::string::npos) << r.body;
}

TEST_F(ShopRoutesTest, UnknownCustomerIs404AndPlacesNothing) {
  auto r =
      post("/place_order", R"({"customer_id": 999, "items": [{"product_id": 1, "quantity": 1}]})");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.error(), "Customer not found");
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(ShopRoutesTest, UnknownProductIs404WithStockIssues) {
  auto r = place(R"([{"product_id": 1, "quantity": 1}, {"product_id": 999, "quantity": 1}])");
  ASSERT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(r.error(), "Product 999 not found");
  EXPECT_TRUE(r.json["stock_issues"][0]["unknown_product"].GetBool());
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(ShopRoutesTest, StockShortageIs409WithStockIssues) {
  auto r = place(R"([{"product_id": 3, "quantity": 1001}])");
  ASSERT_EQ(r.status, 409u) << r.body;
  const auto& issue = r.json["stock_issues"][0];
  EXPECT_EQ(issue["product_id"].GetInt(), 3);
  EXPECT_EQ(issue["requested"].GetInt(), 1001);
  EXPECT_EQ(issue["available"].GetInt(), 1000);
  EXPECT_EQ(engine->catalog().get(3)->held, 0);
}

struct BadOrder {
  const char* body;
  const char* error;
};

TEST_F(ShopRoutesTest, InvalidOrdersAre400NamingTheField) {
  const BadOrder cases[] = {
      {R"({"items": [{"product_id": 1, "quantity": 1}]})", "customer_id is required"},
      {R"({"customer_id": "1", "items": [{"product_id": 1, "quantity": 1}]})",
       "customer_id must be a positive integer"},
      {R"({"customer_id": 1})", "items is required"},
      {R"({"customer_id": 1, "items": {}})",
       R"(items must be an array of {"product_id", "quantity"} objects)"},
      {R"({"customer_id": 1, "items": []})", "items must not be empty"},
      {R"({"customer_id": 1, "items": [5]})", "items[0] must be an object, not a number"},
      {R"({"customer_id": 1, "items": [{"quantity": 1}]})", "items[0].product_id is required"},
      {R"({"customer_id": 1, "items": [{"product_id": 1}]})", "items[0].quantity is required"},
      {R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 1},
                                        {"product_id": 2, "quantity": -3}]})",
       "items[1].quantity must be a positive integer"},
      {R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 0}]})",
       "items[0].quantity must be a positive integer"},
      {R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 1.5}]})",
       "items[0].quantity must be a positive integer"},
      {R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 1000001}]})",
       "items[0].quantity must be at most 1000000"},
      {R"({"customer_id": 1, "items": [{"product_id": "1", "quantity": 1}]})",
       "items[0].product_id must be a positive integer"},
      {R"([1])", "the request body must be a JSON object"},
      {"", "the request body must be a JSON object"},
  };
  for (const auto& c : cases) {
    auto r = post("/place_order", c.body);
    EXPECT_EQ(r.status, 400u) << c.body;
    EXPECT_EQ(r.error(), c.error) << c.body;
  }
  EXPECT_EQ(post("/place_order", "{").error().rfind("malformed JSON", 0), 0u);
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(ShopRoutesTest, PatchMovesTheOrderAndAnswersLowercase) {
  auto placed = place(R"([{"product_id": 1, "quantity": 1}])");
  const auto seq = placed.json["order_id"].GetUint64();
  ASSERT_TRUE(wait_until([&] { return seq_has_status(seq, OrderStatus::kCompleted); }));
  auto r = patch(R"({"order_id": )" + std::to_string(seq) + R"(, "status": "shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("message"), "Order status updated");
  EXPECT_EQ(r.json["order_id"].GetUint64(), seq);
  EXPECT_EQ(r.str("status"), "shipped");
  EXPECT_FALSE(r.json.HasMember("changed"));
  EXPECT_EQ(r.json["version"].GetUint(), 4u);
  EXPECT_EQ(r.etag, R"("4")");
  EXPECT_TRUE(seq_has_status(seq, OrderStatus::kShipped));

  r = patch(R"({"order_id": )" + std::to_string(seq) + R"(, "status": "SHIPPED"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(r.json["changed"].GetBool());
  EXPECT_EQ(r.etag, R"("4")");
}

TEST_F(ShopRoutesTest, PatchWithIfMatchAppliesOnlyToThatVersion) {
  const auto seq = completed_order();
  const std::string ship = R"({"order_id": )" + std::to_string(seq) + R"(, "status": "shipped"})";
  for (const char* tag : {R"("2")", R"("9")", "nonsense"}) {
    auto r = patch_if(tag, ship);
    ASSERT_EQ(r.status, 412u) << tag << " " << r.body;
    EXPECT_EQ(r.str("status"), "completed");
    EXPECT_EQ(r.json["version"].GetUint(), 3u);
    EXPECT_EQ(r.etag, R"("3")");
  }
  EXPECT_TRUE(seq_has_status(seq, OrderStatus::kCompleted));
  EXPECT_EQ(engine->get(OrderKey::by_seq(seq))->version(), 3u);
  auto r = patch_if(R"("3")", ship);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("4")");
  // "*" checks nothing.
  const auto other = completed_order();
  EXPECT_EQ(patch_if("*", R"({"order_id": )" + std::to_string(other) + R"(, "status": "shipped"})")
                .status,
            200u);
  EXPECT_EQ(patch_if("nonsense", R"({"order_id": 999, "status": "shipped"})").status, 404u);
}

TEST_F(ShopRoutesTest, PatchRefusalsAnswer404And409And400) {
  auto placed = place(R"([{"product_id": 1, "quantity": 1}])");
  const auto seq = placed.json["order_id"].GetUint64();
  ASSERT_TRUE(wait_until([&] { return seq_has_status(seq, OrderStatus::kCompleted); }));
  auto r = patch(R"({"order_id": )" + std::to_string(seq) + R"(, "status": "returned"})");
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.str("status"), "completed");
  ASSERT_TRUE(r.json["allowed"].IsArray());
  EXPECT_EQ(r.json["allowed"][0].GetString(), std::string("cancelled"));

  EXPECT_EQ(patch(R"({"order_id": 999, "status": "shipped"})").status, 404u);
  EXPECT_EQ(patch(R"({"order_id": 1, "status": "lost"})").error().rfind("status must be one of", 0),
            0u);
  EXPECT_EQ(patch(R"({"status": "shipped"})").error(), "order_id is required");
  EXPECT_EQ(patch(R"({"order_id": "1", "status": "shipped"})").error(),
            "order_id must be a positive integer");
  EXPECT_EQ(patch(R"({"order_id": 1})").error(), "status is required");
  EXPECT_EQ(patch(R"({"order_id": 1, "status": 3})").error(), "status must be a string");
}

TEST_F(ShopRoutesTest, WrongMethodsAre405) {
  EXPECT_EQ(call(HttpMethod::kPost, "/update_order_status", "{}").allow, "PATCH");
  EXPECT_EQ(call(HttpMethod::kGet, "/place_order").allow, "POST");
}

}  // namespace
}  // namespace orderd::net
