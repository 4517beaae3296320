#include "net/api.h"

#include <gtest/gtest.h>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using ApiTest = testing::ApiFixture;
using testing::Reply;

TEST_F(ApiTest, UnknownRouteIs404) {
  auto r = get("/nowhere");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.body, R"({"error":"Not found"})");
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  auto r = call(HttpMethod::kDelete, "/orders/ORD1");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "GET, HEAD");
  EXPECT_EQ(r.error(), "Method not allowed");
  r = get("/orders/");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "POST");
}

TEST_F(ApiTest, HealthIsAlwaysOk) {
  auto r = get("/health");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
}

TEST_F(ApiTest, ReadyFollowsTheApiFlagAndTheEngine) {
  EXPECT_EQ(get("/health/ready").status, 200u);
  api->set_ready(false);
  EXPECT_EQ(get("/health/ready").status, 503u);
  api->set_ready(true);
  engine->stop();
  EXPECT_EQ(get("/health/ready").status, 503u);
  EXPECT_EQ(get("/health").status, 200u);
}

TEST_F(ApiTest, DuringStartupOnlyHealthAndMetricsAnswer) {
  api->begin_startup("recovering the data directory /tmp/x");
  auto r = get("/health/ready");
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.body, R"({"status":"not ready","reason":"recovering the data directory /tmp/x"})");
  r = post("/orders", R"({"user_id":1,"order_id":"A","item_ids":[1],"total_amount":1})");
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.retry_after, 1u);
  EXPECT_NE(r.body.find("recovering"), std::string::npos) << r.body;
  EXPECT_EQ(get("/orders/A").status, 503u);
  EXPECT_EQ(get("/api/v1/products").status, 503u);
  EXPECT_EQ(get("/health").status, 200u);
  EXPECT_EQ(get("/metrics").status, 200u);
  EXPECT_EQ(get("/nowhere").status, 404u);
  api->end_startup();
  EXPECT_EQ(get("/health/ready").status, 200u);
  EXPECT_EQ(get("/health/ready").body, R"({"status":"ready"})");
  EXPECT_EQ(get("/orders/A").status, 404u);
}

TEST_F(ApiTest, NotReadySaysWhy) {
  api->set_ready(false);
  EXPECT_NE(get("/health/ready").body.find("shutting down"), std::string::npos);
  api->set_ready(true);
  engine->refuse_writes("disk full");
  auto r = get("/health/ready");
  EXPECT_EQ(r.status, 503u);
  EXPECT_NE(r.body.find("disk full"), std::string::npos) << r.body;
}

TEST_F(ApiTest, ResponsesNameTheirRoute) {
  EXPECT_EQ(get("/orders/X").route, Route::kGetOrder);
  EXPECT_EQ(get("/nowhere").route, Route::kNotFound);
  EXPECT_EQ(get("/metrics").route, Route::kMetrics);
}

TEST_F(ApiTest, HeadAnswersLikeGet) {
  auto r = call(HttpMethod::kHead, "/health");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, R"({"status":"ok"})");  // the connection drops the body on the wire
}

TEST_F(ApiTest, HandlersReuseOneResponseBufferPerThread) {
  auto first = get("/orders/none");
  auto second = get("/health");
  EXPECT_EQ(first.status, 404u);
  EXPECT_EQ(second.body, R"({"status":"ok"})");
}

TEST_F(ApiTest, AbortFlagStopsPopulateEarly) {
  api->abort_long_operations();
  auto r = post("/orders/populate", R"({"total_entries": 50})");
  ASSERT_EQ(r.status, 201u);
  EXPECT_EQ(r.json["success_count"].GetInt(), 0);
  EXPECT_EQ(r.json["failure_count"].GetInt(), 50);
}

TEST_F(ApiTest, HandlersOnManyThreadsShareOneApi) {
  constexpr int kThreads = 4;
  constexpr int kOrders = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ApiHandler handler(*api);
      for (int i = 0; i < kOrders; ++i) {
        std::string body = R"({"user_id": 1, "order_id": "T)" + std::to_string(t) + "-" +
                           std::to_string(i) + R"(", "item_ids": [1], "total_amount": 1})";
        HttpRequest request;
        request.method = HttpMethod::kPost;
        request.target = "/orders";
        request.body = std::span<char>(body.data(), body.size());
        HttpResponse response;
        handler.handle(request, response);
        EXPECT_EQ(response.status, 201u);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(engine->counters().accepted, kThreads * kOrders);
}

TEST_F(ApiTest, MangledBodiesNeverYieldA5xxOrACrash) {
  const std::string valid =
      R"({"user_id": 1, "order_id": "F", "item_ids": [1, 2, 3], "total_amount": 59.99})";
  constexpr std::string_view kJsonBits = R"({}[]\",:0-e.u )";
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const char* targets[] = {"/orders/", "/orders/populate", "/api/v1/products",
                           "/api/v1/products/1/restock"};
  for (int i = 0; i < 3000; ++i) {
    std::string body = valid;
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next() % body.size();
      switch (next() % 3) {
        case 0:
          body[at] = static_cast<char>(next() % 256);
          break;
        case 1:
          body.erase(at, 1 + next() % 8);
          break;
        default:
          body.insert(at, 1, kJsonBits[next() % kJsonBits.size()]);
          break;
      }
      if (body.empty()) body = "{";
    }
    auto r = post(targets[i % 4], body);
    ASSERT_TRUE(r.status == 201 || r.status == 200 || r.status == 400 || r.status == 404 ||
                r.status == 409)
        << r.status << " for " << body;
  }
}

// --- Media types, OPTIONS and CORS ------------------------------------------------

TEST_F(ApiTest, ABodyThatIsNotJsonByItsContentTypeIs415) {
  content_type = "application/x-www-form-urlencoded";
  Reply r = create("F1");
  EXPECT_EQ(r.status, 415u);
  EXPECT_EQ(r.error(), "the body must be JSON: send Content-Type: application/json");
  for (std::string json :
       {"application/json", "Application/JSON; charset=utf-8", " application/json "}) {
    content_type = json;
    EXPECT_EQ(create("F-" + std::to_string(json.size())).status, 201u) << json;
  }
  content_type.clear();  // not sent: taken as JSON
  EXPECT_EQ(create("F2").status, 201u);
  content_type = "text/plain";  // no body, nothing to refuse
  EXPECT_EQ(get("/orders/F2").status, 200u);
}

TEST_F(ApiTest, OptionsListsThePathsMethods) {
  Reply r = call(HttpMethod::kOptions, "/api/v1/orders");
  EXPECT_EQ(r.status, 204u);
  EXPECT_EQ(r.allow, "GET, HEAD, POST");
  EXPECT_FALSE(r.cors_preflight);
  EXPECT_EQ(call(HttpMethod::kOptions, "/nowhere").status, 404u);
}

TEST_F(ApiTest, ConfiguredOriginsGetCorsAnswersAndOthersNone) {
  ApiLimits limits;
  limits.cors_origins = {"https://shop.example"};
  start({}, limits);
  origin = "https://shop.example";
  Reply preflight = call(HttpMethod::kOptions, "/api/v1/orders/");
  EXPECT_EQ(preflight.status, 204u);
  EXPECT_EQ(preflight.cors_origin, "https://shop.example");
  EXPECT_TRUE(preflight.cors_preflight);
  EXPECT_EQ(preflight.allow, "GET, HEAD, POST");
  Reply answer = get("/health");
  EXPECT_EQ(answer.cors_origin, "https://shop.example");
  EXPECT_FALSE(answer.cors_preflight);
  origin = "https://evil.example";
  EXPECT_EQ(call(HttpMethod::kOptions, "/api/v1/orders/").cors_origin, "");
  EXPECT_EQ(get("/health").cors_origin, "");
  // "*" allows any origin, named back.
  limits.cors_origins = {"*"};
  start({}, limits);
  EXPECT_EQ(get("/health").cors_origin, "https://evil.example");
}

}  // namespace
}  // namespace orderd::net
