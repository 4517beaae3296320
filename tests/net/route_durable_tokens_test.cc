// The seed 000 and 002 routes and the customer routes hold their answers
// until the change they report is durable: each sets the response's
// durable token from the engine's result.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "demo/demo_catalog.h"
#include "engine/engine.h"
#include "net/api.h"
#include "tests/engine/recording_sink.h"
#include "tests/support/wait_until.h"

namespace orderd::net {
namespace {

class RouteDurableTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine = std::make_unique<Engine>(EngineConfig{.workers = 1, .max_products = 64});
    demo::add_demo_catalog(engine->catalog(), {20, 1000});
    engine->set_event_sink(&sink);
    engine->start();
    api = std::make_unique<Api>(*engine);
    api->set_ready(true);
    handler = std::make_unique<ApiHandler>(*api);
  }
  void TearDown() override {
    handler.reset();
    api.reset();
    engine->stop();
  }

  HttpResponse call(HttpMethod method, const std::string& target, std::string body) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = std::span<char>(body.data(), body.size());
    HttpResponse response;
    EXPECT_EQ(handler->handle(request, response), HandleOutcome::kDone);
    return response;
  }

  orderd::testing::RecordingSink sink;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Api> api;
  std::unique_ptr<ApiHandler> handler;
};

TEST_F(RouteDurableTokensTest, EveryChangeCarriesItsToken) {
  auto r = call(HttpMethod::kPost, "/register_customer", R"({"name": "A", "email": "a@x.io"})");
  ASSERT_EQ(r.status, 201u);
  EXPECT_GT(r.durable_token, 0u);
  r = call(HttpMethod::kPost, "/api/v1/customers", R"({"name": "B", "email": "b@x.io"})");
  ASSERT_EQ(r.status, 201u);
  EXPECT_GT(r.durable_token, 0u);

  const std::string order = R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 1}]})";
  r = call(HttpMethod::kPost, "/place_order", order);
  ASSERT_EQ(r.status, 201u);
  EXPECT_GT(r.durable_token, 0u);
  r = call(HttpMethod::kPost, "/place_order", order);
  ASSERT_EQ(r.status, 201u);
  ASSERT_TRUE(orderd::testing::wait_until([&] {
    auto a = engine->get(OrderKey::by_seq(1));
    auto b = engine->get(OrderKey::by_seq(2));
    return a && b && a->status == OrderStatus::kCompleted && b->status == OrderStatus::kCompleted;
  }));

  r = call(HttpMethod::kPut, "/api/orders/1", R"({"status": "Shipped"})");
  ASSERT_EQ(r.status, 200u);
  const DurableToken shipped = r.durable_token;
  EXPECT_GT(shipped, 0u);
  r = call(HttpMethod::kPatch, "/update_order_status", R"({"order_id": 1, "status": "delivered"})");
  ASSERT_EQ(r.status, 200u);
  EXPECT_GT(r.durable_token, shipped);

  r = call(
      HttpMethod::kPut, "/api/orders/bulk/status",
      R"({"orders": [{"order_id": 2, "status": "Shipped"}, {"order_id": 9, "status": "Shipped"},
                          {"order_id": 1, "status": "Delivered"}]})");
  ASSERT_EQ(r.status, 200u);
  // The largest of the moves made: order 2's (order 9 is unknown, 1 unchanged).
  EXPECT_GT(r.durable_token, shipped);
}

}  // namespace
}  // namespace orderd::net
