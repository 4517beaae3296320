#include "net/order_routes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::wait_until;

using OrderRoutesTest = ApiFixture;

TEST_F(OrderRoutesTest, CreateAnswers201WithTheSeedMessage) {
  auto r = create("ORD003");
  EXPECT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.body, R"({"message":"Order created","order_id":"ORD003"})");
  ASSERT_TRUE(engine->get("ORD003").has_value());
  EXPECT_EQ(engine->get("ORD003")->client_total, 5999);
}

TEST_F(OrderRoutesTest, GetShowsTheSeedFieldsOnceCompleted) {
  ASSERT_EQ(create("ORD003", "[3, 1, 3]").status, 201u);
  ASSERT_TRUE(wait_until([&] { return order_has_status("ORD003", OrderStatus::kCompleted); }));
  auto r = get("/orders/ORD003");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(r.str("order_id"), "ORD003");
  EXPECT_EQ(j["user_id"].GetInt(), 1);
  EXPECT_EQ(r.str("item_ids"), "1,3,3");
  EXPECT_DOUBLE_EQ(j["total_amount"].GetDouble(), 59.99);
  EXPECT_NE(r.body.find("\"total_amount\":59.99,"), std::string::npos) << r.body;
  EXPECT_EQ(r.str("status"), "Completed");
  for (const char* key : {"created_at", "processing_started_at", "completed_at"}) {
    std::string at = r.str(key);
    ASSERT_EQ(at.size(), 27u) << key << ": " << at;
    EXPECT_EQ(at[10], 'T');
    EXPECT_EQ(at[19], '.');
    EXPECT_EQ(at.back(), 'Z');
  }
  for (const char* key : {"pending_duration", "processing_duration", "total_duration"}) {
    ASSERT_TRUE(j[key].IsNumber()) << key;
    EXPECT_GE(j[key].GetDouble(), 0.0);
  }
  EXPECT_NEAR(j["total_duration"].GetDouble(),
              j["pending_duration"].GetDouble() + j["processing_duration"].GetDouble(), 1e-6);
  // Catalog prices: 1 -> 1.99, 3 -> 3.99.
  EXPECT_NE(r.body.find("\"catalog_total\":9.97"), std::string::npos) << r.body;
}

TEST_F(OrderRoutesTest, GetCarriesTheVersionInTheETagOnly) {
  engine->pause_workers();
  ASSERT_EQ(create("V1").status, 201u);
  auto r = get("/orders/V1");
  EXPECT_EQ(r.etag, R"("1")");
  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return order_has_status("V1", OrderStatus::kCompleted); }));
  r = get("/orders/V1");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("3")");
  // The seed's body, exactly its fields in its order: no version.
  std::vector<std::string> keys;
  for (const auto& m : r.json.GetObject()) keys.emplace_back(m.name.GetString());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "order_id", "user_id", "item_ids", "total_amount", "status", "created_at",
                      "processing_started_at", "completed_at", "pending_duration",
                      "processing_duration", "total_duration", "catalog_total"}));
  EXPECT_EQ(get("/orders/nope").etag, "");
}

TEST_F(OrderRoutesTest, GetShowsNullsUntilTimestampsAreReached) {
  engine->pause_workers();
  ASSERT_EQ(create("P1").status, 201u);
  auto r = get("/orders/P1");
  engine->resume_workers();
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.str("status"), "Pending");
  EXPECT_FALSE(r.str("created_at").empty());
  for (const char* key : {"processing_started_at", "completed_at", "pending_duration",
                          "processing_duration", "total_duration", "catalog_total"}) {
    EXPECT_TRUE(r.json[key].IsNull()) << key;
  }
}

TEST_F(OrderRoutesTest, GetDecodesPercentEscapesInTheId) {
  ASSERT_EQ(create("a/b c").status, 201u);
  EXPECT_EQ(get("/orders/a%2Fb%20c").status, 200u);
  EXPECT_EQ(get("/orders/%zz").status, 400u);
}

TEST_F(OrderRoutesTest, UnknownOrderIs404) {
  auto r = get("/orders/nope");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.body, R"({"error":"Order not found"})");
}

TEST_F(OrderRoutesTest, DuplicateOrderIdIs409AndKeepsTheFirst) {
  ASSERT_EQ(create("D1", "[1]", "1.00").status, 201u);
  auto r = create("D1", "[2]", "2.00");
  EXPECT_EQ(r.status, 409u);
  EXPECT_FALSE(r.error().empty());
  EXPECT_EQ(engine->get("D1")->client_total, 100);
}

TEST_F(OrderRoutesTest, StockShortageIs409WithStockIssues) {
  start({}, {}, {.products = 20, .stock = 2});
  auto r = create("S1", "[5, 5, 6, 5]");
  ASSERT_EQ(r.status, 409u) << r.body;
  ASSERT_TRUE(r.json["stock_issues"].IsArray());
  ASSERT_EQ(r.json["stock_issues"].Size(), 1u);
  const auto& issue = r.json["stock_issues"][0];
  EXPECT_EQ(issue["product_id"].GetInt(), 5);
  EXPECT_EQ(issue["requested"].GetInt(), 3);
  EXPECT_EQ(issue["available"].GetInt(), 2);
  EXPECT_FALSE(engine->get("S1").has_value());
}

TEST_F(OrderRoutesTest, UnknownProductIs409WithStockIssues) {
  auto r = create("U1", "[1, 999]");
  ASSERT_EQ(r.status, 409u) << r.body;
  const auto& issue = r.json["stock_issues"][0];
  EXPECT_EQ(issue["product_id"].GetInt(), 999);
  EXPECT_EQ(issue["available"].GetInt(), 0);
  EXPECT_TRUE(issue["unknown_product"].GetBool());
}

struct BadCreate {
  const char* body;
  const char* error;
};

TEST_F(OrderRoutesTest, InvalidCreatesAre400AndLeaveNothingBehind) {
  const BadCreate cases[] = {
      {R"({"order_id": "X", "item_ids": [1], "total_amount": 1})", "user_id is required"},
      {R"({"user_id": "1", "order_id": "X", "item_ids": [1], "total_amount": 1})",
       "user_id must be an integer"},
      {R"({"user_id": -1, "order_id": "X", "item_ids": [1], "total_amount": 1})",
       "user_id must not be negative"},
      {R"({"user_id": 1.5, "order_id": "X", "item_ids": [1], "total_amount": 1})",
       "user_id must be an integer"},
      {R"({"user_id": 9007199254740992, "order_id": "X", "item_ids": [1], "total_amount": 1})",
       "user_id must be at most 9007199254740991"},
      {R"({"user_id": 1, "item_ids": [1], "total_amount": 1})", "order_id is required"},
      {R"({"user_id": 1, "order_id": 7, "item_ids": [1], "total_amount": 1})",
       "order_id must be a string"},
      {R"({"user_id": 1, "order_id": "", "item_ids": [1], "total_amount": 1})",
       "order_id must not be empty"},
      {R"({"user_id": 1, "order_id": "a\u0001", "item_ids": [1], "total_amount": 1})",
       "order_id must not contain control characters"},
      {R"({"user_id": 1, "order_id": "metrics", "item_ids": [1], "total_amount": 1})",
       "order_id 'metrics' is reserved"},
      {R"({"user_id": 1, "order_id": "X", "total_amount": 1})", "item_ids is required"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": 1, "total_amount": 1})",
       "item_ids must be an array of product ids"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [], "total_amount": 1})",
       "item_ids must not be empty"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [1, "2"], "total_amount": 1})",
       "item_ids[1] must be a positive integer"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [0], "total_amount": 1})",
       "item_ids[0] must be a positive integer"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [-3], "total_amount": 1})",
       "item_ids[0] must be a positive integer"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [[1]], "total_amount": 1})",
       "item_ids[0] must be a positive integer"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [1]})", "total_amount is required"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [1], "total_amount": "59.99"})",
       "total_amount must be a number"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [1], "total_amount": -0.01})",
       "total_amount must not be negative"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [1], "total_amount": 1e20})",
       "total_amount must be at most 11258999068426.24"},
      {R"({"user_id": 1, "order_id": "X", "item_ids": [1], "total_amount": null})",
       "total_amount must be a number"},
      {R"([1, 2])", "the request body must be a JSON object"},
      {"", "the request body must be a JSON object"},
  };
  for (const auto& c : cases) {
    auto r = post("/orders/", c.body);
    EXPECT_EQ(r.status, 400u) << c.body;
    EXPECT_EQ(r.error(), c.error) << c.body;
  }
  EXPECT_EQ(post("/orders", R"({"user_id": 1,)").status, 400u);
  std::string long_id(129, 'x');
  EXPECT_EQ(create(long_id).error(), "order_id must be at most 128 bytes long");
  std::string many = "[";
  for (int i = 0; i < 1000; ++i) many += "1,";
  many += "1]";
  EXPECT_EQ(create("M1", many).error(), "item_ids must have at most 1000 entries");
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(OrderRoutesTest, AmountsRoundToTheNearestCent) {
  ASSERT_EQ(create("R1", "[1]", "1.005").status, 201u);
  EXPECT_EQ(engine->get("R1")->client_total, 101);
  ASSERT_EQ(create("R2", "[1]", "5.999e1").status, 201u);
  EXPECT_EQ(engine->get("R2")->client_total, 5999);
  ASSERT_EQ(create("R3", "[1]", "0").status, 201u);
  EXPECT_EQ(engine->get("R3")->client_total, 0);
}

TEST_F(OrderRoutesTest, ExtraFieldsAreIgnored) {
  auto r = post("/orders/", R"({"user_id": 1, "order_id": "E1", "item_ids": [1],
                               "total_amount": 1, "note": {"gift": true}})");
  EXPECT_EQ(r.status, 201u) << r.body;
}

TEST_F(OrderRoutesTest, AtCapacityIs503WithRetryAfter) {
  EngineConfig config;
  config.capacity = 1;
  start(config);
  engine->pause_workers();
  ASSERT_EQ(create("C1").status, 201u);
  auto r = create("C2");
  engine->resume_workers();
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.retry_after, 1u);
  EXPECT_FALSE(r.error().empty());
}

TEST_F(OrderRoutesTest, StoppedEngineIs503) {
  engine->stop();
  EXPECT_EQ(create("Z1").status, 503u);
}

TEST_F(OrderRoutesTest, MetricsCountByStatusWithSeedKeys) {
  ASSERT_EQ(create("A").status, 201u);
  ASSERT_EQ(create("B").status, 201u);
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 2; }));
  auto r = get("/orders/metrics");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(r.needs_blocking);
  EXPECT_EQ(r.json["total_orders"].GetInt(), 2);
  EXPECT_TRUE(r.json["average_processing_time"].IsNumber());
  EXPECT_TRUE(r.json["average_processing_time_from_creation"].IsNumber());
  EXPECT_EQ(r.json["completed"]["count"].GetInt(), 2);
  EXPECT_EQ(r.json["pending"]["count"].GetInt(), 0);
  EXPECT_EQ(r.json["processing"]["count"].GetInt(), 0);
  EXPECT_EQ(r.json["rejected"]["count"].GetInt(), 0);
  EXPECT_EQ(r.json["cancelled"]["count"].GetInt(), 0);
  EXPECT_FALSE(r.json["completed"].HasMember("order_ids"));
}

TEST_F(OrderRoutesTest, MetricsWithIdsRunOnABlockingThread) {
  ASSERT_EQ(create("A").status, 201u);
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 1; }));
  auto r = call(HttpMethod::kGet, "/orders/metrics?getOrderIds=true", "", false);
  EXPECT_TRUE(r.needs_blocking);
  r = get("/orders/metrics?getOrderIds=true");
  ASSERT_EQ(r.status, 200u);
  ASSERT_EQ(r.json["completed"]["order_ids"].Size(), 1u);
  EXPECT_STREQ(r.json["completed"]["order_ids"][0].GetString(), "A");
  EXPECT_EQ(r.json["pending"]["order_ids"].Size(), 0u);
  EXPECT_FALSE(r.json["completed"].HasMember("next_after"));
}

TEST_F(OrderRoutesTest, MetricsIdListsPageWithACursor) {
  for (int i = 0; i < 7; ++i) ASSERT_EQ(create("P" + std::to_string(i)).status, 201u);
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 7; }));
  std::vector<std::string> seen;
  std::string target = "/orders/metrics?getOrderIds=true&status=completed&limit=3";
  for (int page = 0; page < 5; ++page) {
    auto r = get(target);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_FALSE(r.json["pending"].HasMember("order_ids"));
    for (const auto& id : r.json["completed"]["order_ids"].GetArray())
      seen.push_back(id.GetString());
    if (!r.json["completed"].HasMember("next_after")) break;
    target = "/orders/metrics?getOrderIds=true&status=completed&limit=3&after=" +
             std::to_string(r.json["completed"]["next_after"].GetUint64());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"P0", "P1", "P2", "P3", "P4", "P5", "P6"}));
}

TEST_F(OrderRoutesTest, MetricsRefusesBadQueryValues) {
  EXPECT_EQ(get("/orders/metrics?getOrderIds=yes").status, 400u);
  EXPECT_EQ(get("/orders/metrics?getOrderIds=false").status, 200u);
  EXPECT_EQ(get("/orders/metrics?getOrderIds=true&status=Teleported").status, 400u);
  EXPECT_EQ(get("/orders/metrics?getOrderIds=true&status=shipped").status, 200u);
  EXPECT_EQ(get("/orders/metrics?getOrderIds=true&limit=0").status, 400u);
  EXPECT_EQ(get("/orders/metrics?getOrderIds=true&limit=10001").status, 400u);
  EXPECT_EQ(get("/orders/metrics?getOrderIds=true&after=-1").status, 400u);
}

TEST_F(OrderRoutesTest, PopulateCreatesOrdersThroughTheEngine) {
  auto r = call(HttpMethod::kPost, "/orders/populate", R"({"total_entries": 4})", false);
  EXPECT_TRUE(r.needs_blocking);
  EXPECT_EQ(engine->counters().accepted, 0);
  r = post("/orders/populate", R"({"total_entries": 4})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json["total_entries"].GetInt(), 4);
  EXPECT_EQ(r.json["success_count"].GetInt(), 4);
  EXPECT_EQ(r.json["failure_count"].GetInt(), 0);
  EXPECT_EQ(r.json["errors"].Size(), 0u);
  std::string batch = r.str("batch_id");
  EXPECT_EQ(batch.size(), 8u);
  EXPECT_EQ(engine->counters().accepted, 4);
  EXPECT_TRUE(engine->get(batch + "-1").has_value());
  EXPECT_TRUE(engine->get(batch + "-4").has_value());
}

TEST_F(OrderRoutesTest, PopulateWithAGivenBatchIdReportsDuplicates) {
  auto r = post("/orders/populate", R"({"total_entries": 3, "batch_id": "b1"})");
  ASSERT_EQ(r.status, 201u);
  EXPECT_EQ(r.str("batch_id"), "b1");
  r = post("/orders/populate", R"({"total_entries": 3, "batch_id": "b1"})");
  ASSERT_EQ(r.status, 201u);
  EXPECT_EQ(r.json["success_count"].GetInt(), 0);
  EXPECT_EQ(r.json["failure_count"].GetInt(), 3);
  ASSERT_EQ(r.json["errors"].Size(), 3u);
  EXPECT_EQ(std::string(r.json["errors"][0].GetString()).rfind("b1-1: ", 0), 0u);
}

TEST_F(OrderRoutesTest, PopulateRefusesBadInput) {
  ApiLimits limits;
  limits.populate_max_entries = 100;
  start({}, limits);
  for (const char* body :
       {R"({})", R"({"total_entries": 0})", R"({"total_entries": -4})", R"({"total_entries": 101})",
        R"({"total_entries": 1.5})", R"({"total_entries": "4"})",
        R"({"total_entries": 4, "batch_id": 7})", R"({"total_entries": 4, "batch_id": "a b"})",
        R"({"total_entries": 4, "batch_id": ""})", "nope"}) {
    auto r = post("/orders/populate", body);
    EXPECT_EQ(r.status, 400u) << body << " -> " << r.body;
  }
  EXPECT_EQ(engine->counters().accepted, 0);
}

}  // namespace
}  // namespace orderd::net
