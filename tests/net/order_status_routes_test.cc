#include "net/order_status_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;
using testing::wait_until;

class OrderStatusRoutesTest : public ApiFixture {
 protected:
  // A seed-004 order of `units` units of product 1, Completed; its seq.
  std::uint64_t completed_order(const std::string& id, int units = 3) {
    std::string items = "[1";
    for (int i = 1; i < units; ++i) items += ", 1";
    items += "]";
    EXPECT_EQ(create(id, items).status, 201u);
    EXPECT_TRUE(wait_until([&] { return order_has_status(id, OrderStatus::kCompleted); }));
    return engine->get(id)->seq;
  }
  Reply put(const std::string& target, const std::string& body) {
    return call(HttpMethod::kPut, target, body);
  }
  Reply put_order(std::uint64_t seq, const std::string& body) {
    return put("/api/orders/" + std::to_string(seq), body);
  }
  Reply put_order_if(std::uint64_t seq, const std::string& if_match, const std::string& body) {
    return call_if_match(HttpMethod::kPut, "/api/orders/" + std::to_string(seq), if_match, body);
  }
};

TEST_F(OrderStatusRoutesTest, PutAnswersTheSeedShape) {
  const auto seq = completed_order("A");
  auto r = put_order(seq, R"({"status": "Shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  // Completed is version 3 (created, Processing, Completed); Shipped 4.
  EXPECT_EQ(r.body, R"({"message":"Order )" + std::to_string(seq) +
                        R"( updated successfully","order_id":)" + std::to_string(seq) +
                        R"(,"status":"Shipped","version":4})");
  EXPECT_EQ(r.etag, R"("4")");
  EXPECT_TRUE(order_has_status("A", OrderStatus::kShipped));
  EXPECT_NE(engine->get("A")->timestamp(OrderTimestamp::kShipped), 0);
}

TEST_F(OrderStatusRoutesTest, PutAcceptsAnySpellingAndAnswersCapitalized) {
  const auto seq = completed_order("A");
  auto r = put_order(seq, R"({"status": "canceled"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "Cancelled");
}

TEST_F(OrderStatusRoutesTest, PutToTheCurrentStatusIsANoOp) {
  const auto seq = completed_order("A");
  ASSERT_EQ(put_order(seq, R"({"status": "Shipped"})").status, 200u);
  const auto version = engine->get("A")->version();
  auto r = put_order(seq, R"({"status": "shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "Shipped");
  EXPECT_FALSE(r.json["changed"].GetBool());
  EXPECT_EQ(engine->get("A")->version(), version);
  EXPECT_EQ(r.json["version"].GetUint(), version);
  EXPECT_EQ(r.etag, "\"" + std::to_string(version) + "\"");
}

TEST_F(OrderStatusRoutesTest, IfMatchOfTheCurrentVersionApplies) {
  const auto seq = completed_order("A");
  auto r = put_order_if(seq, R"("3")", R"({"status": "Shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("4")");
  r = put_order_if(seq, r.etag, R"({"status": "Delivered"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["version"].GetUint(), 5u);
}

TEST_F(OrderStatusRoutesTest, IfMatchOfAnotherVersionIs412AndChangesNothing) {
  const auto seq = completed_order("A");
  for (const char* tag : {R"("2")", R"("4")", "garbage", R"("0")"}) {
    auto r = put_order_if(seq, tag, R"({"status": "Shipped"})");
    ASSERT_EQ(r.status, 412u) << tag << " " << r.body;
    EXPECT_EQ(r.str("status"), "Completed");
    EXPECT_EQ(r.json["version"].GetUint(), 3u);
    EXPECT_EQ(r.etag, R"("3")");
  }
  EXPECT_TRUE(order_has_status("A", OrderStatus::kCompleted));
  EXPECT_EQ(engine->get("A")->version(), 3u);
  // "*" and no header check nothing.
  EXPECT_EQ(put_order_if(seq, "*", R"({"status": "Shipped"})").status, 200u);
  EXPECT_EQ(put_order(seq, R"({"status": "Delivered"})").status, 200u);
  // An unknown order is 404 whatever the tag.
  EXPECT_EQ(put_order_if(999, "garbage", R"({"status": "Shipped"})").status, 404u);
  EXPECT_EQ(put_order_if(999, R"("1")", R"({"status": "Shipped"})").status, 404u);
}

TEST_F(OrderStatusRoutesTest, BulkIgnoresIfMatch) {
  const auto a = completed_order("A");
  auto r = call_if_match(
      HttpMethod::kPut, "/api/orders/bulk/status", R"("1")",
      R"({"orders": [{"order_id": )" + std::to_string(a) + R"(, "status": "Shipped"}]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["updated_count"].GetInt(), 1);
  EXPECT_EQ(r.etag, "");
  EXPECT_TRUE(order_has_status("A", OrderStatus::kShipped));
}

TEST_F(OrderStatusRoutesTest, NumOfItemMustEqualTheOrdersUnits) {
  const auto seq = completed_order("A", 3);
  auto r = put_order(seq, R"({"status": "Shipped", "num_of_item": 5})");
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.error(), "num_of_item cannot change the order's units: order " + std::to_string(seq) +
                           " has 3, got 5");
  EXPECT_TRUE(order_has_status("A", OrderStatus::kCompleted));
  EXPECT_EQ(put_order(seq, R"({"status": "Shipped", "num_of_item": -1})").error(),
            "num_of_item must not be negative");
  EXPECT_EQ(put_order(seq, R"({"status": "Shipped", "num_of_item": "3"})").error(),
            "num_of_item must be an integer");
  r = put_order(seq, R"({"status": "Shipped", "num_of_item": 3})");
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(order_has_status("A", OrderStatus::kShipped));
}

TEST_F(OrderStatusRoutesTest, IllegalMoveIs409WithTheCurrentStatusAndAllowedMoves) {
  const auto seq = completed_order("A");
  auto r = put_order(seq, R"({"status": "Delivered"})");
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.str("status"), "Completed");
  ASSERT_EQ(r.json["allowed"].Size(), 2u);
  EXPECT_EQ(std::string(r.json["allowed"][1].GetString()), "Shipped");
}

TEST_F(OrderStatusRoutesTest, BadRequestsAre400Or404) {
  EXPECT_EQ(put("/api/orders/999", R"({"status": "Shipped"})").status, 404u);
  EXPECT_EQ(put("/api/orders/999", R"({"status": "Shipped", "num_of_item": 1})").status, 404u);
  EXPECT_EQ(put("/api/orders/abc", R"({"status": "Shipped"})").error(),
            "order_id in the path must be a positive integer");
  EXPECT_EQ(put("/api/orders/0", R"({"status": "Shipped"})").status, 400u);
  EXPECT_EQ(put("/api/orders/1", R"({})").error(), "status is required");
  EXPECT_EQ(put("/api/orders/1", R"({"status": "Lost"})").error().rfind("status must be one of", 0),
            0u);
  EXPECT_EQ(call(HttpMethod::kGet, "/api/orders/1").allow, "PUT");
}

TEST_F(OrderStatusRoutesTest, BulkAppliesEachEntryAndListsTheErrors) {
  const auto a = completed_order("A");
  const auto b = completed_order("B");
  const auto c = completed_order("C");
  ASSERT_EQ(put_order(c, R"({"status": "Shipped"})").status, 200u);
  const std::string body = R"({"orders": [
      {"order_id": )" + std::to_string(a) +
                           R"(, "status": "Shipped"},
      {"order_id": 999, "status": "Delivered"},
      {"order_id": )" + std::to_string(b) +
                           R"(, "status": "Returned"},
      {"order_id": "x", "status": "Shipped"},
      {"status": "Shipped"},
      {"order_id": )" + std::to_string(b) +
                           R"(, "status": "Lost"},
      7,
      {"order_id": )" + std::to_string(c) +
                           R"(, "status": "Shipped"},
      {"order_id": )" + std::to_string(b) +
                           R"(, "status": "Cancelled"}]})";
  auto r = put("/api/orders/bulk/status", body);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("message"), "Bulk update completed");
  EXPECT_EQ(r.json["total_orders"].GetInt(), 9);
  // A shipped, C already shipped (counted), B cancelled.
  EXPECT_EQ(r.json["updated_count"].GetInt(), 3);
  const auto& errors = r.json["errors"];
  ASSERT_EQ(errors.Size(), 6u) << r.body;
  EXPECT_EQ(std::string(errors[0].GetString()), "Order 999 not found");
  EXPECT_EQ(std::string(errors[1].GetString()),
            "Order " + std::to_string(b) +
                " cannot move from Completed to Returned (allowed: Cancelled, Shipped)");
  EXPECT_EQ(std::string(errors[2].GetString()), "orders[3].order_id must be a positive integer");
  EXPECT_EQ(std::string(errors[3].GetString()), "orders[4].order_id is required");
  EXPECT_EQ(std::string(errors[4].GetString()).rfind("orders[5].status must be", 0), 0u);
  EXPECT_EQ(std::string(errors[5].GetString()), "orders[6] must be an object");
  EXPECT_TRUE(order_has_status("A", OrderStatus::kShipped));
  EXPECT_TRUE(order_has_status("B", OrderStatus::kCancelled));
}

TEST_F(OrderStatusRoutesTest, BulkWithoutErrorsAnswersNull) {
  const auto a = completed_order("A");
  auto r = put("/api/orders/bulk/status",
               R"({"orders": [{"order_id": )" + std::to_string(a) + R"(, "status": "Shipped"}]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(
      r.body,
      R"({"message":"Bulk update completed","updated_count":1,"total_orders":1,"errors":null})");
}

TEST_F(OrderStatusRoutesTest, BulkIsNotShadowedByTheOrderIdRoute) {
  auto r = put("/api/orders/bulk/status", R"({"orders": []})");
  EXPECT_EQ(r.route, Route::kBulkOrderStatus);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(call(HttpMethod::kPost, "/api/orders/bulk/status", "{}").allow, "PUT");
}

TEST_F(OrderStatusRoutesTest, BulkRefusesAMalformedBody) {
  EXPECT_EQ(put("/api/orders/bulk/status", R"({})").error(), "orders is required");
  EXPECT_EQ(put("/api/orders/bulk/status", R"({"orders": {"order_id": 1}})").status, 400u);
  std::string many = R"({"orders": [)";
  for (int i = 0; i < 1001; ++i)
    many += std::string(i ? "," : "") + R"({"order_id": 1, "status": "Shipped"})";
  many += "]}";
  EXPECT_EQ(put("/api/orders/bulk/status", many).error(), "orders must have at most 1000 entries");
}

}  // namespace
}  // namespace orderd::net
