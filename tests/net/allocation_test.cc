// The HTTP layer reuses its buffers: once warmed up, answering a request
// allocates nothing beyond what the engine itself allocates for an order.
// Counts every operator new in this test binary (a passthrough to malloc).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "tests/net/api_test_util.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// GCC cannot see that these replacements pair malloc with free and warns
// where they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace orderd::net {
namespace {

class AllocationTest : public testing::ApiFixture {
 protected:
  // Allocations made by `requests` calls of handler->handle().
  long allocations_for(HttpMethod method, const std::string& target, const std::string& body,
                       int requests) {
    std::string buffer;
    buffer.reserve(body.size() + 1);
    HttpResponse response;
    long before = g_allocations.load();
    for (int i = 0; i < requests; ++i) {
      buffer.assign(body);
      HttpRequest request;
      request.method = method;
      request.target = target;
      request.body = std::span<char>(buffer.data(), buffer.size());
      handler->handle(request, response);
    }
    return g_allocations.load() - before;
  }
};

TEST_F(AllocationTest, ParsingValidatingAndAnsweringAllocateNothing) {
  const std::string invalid =
      R"({"user_id": 1, "order_id": "A", "item_ids": [1, 2, 0], "total_amount": 59.99})";
  const std::string malformed = R"({"user_id": 1, "order_id": )";
  // Warm up: buffers grow to their working size once.
  allocations_for(HttpMethod::kPost, "/orders/", invalid, 10);
  allocations_for(HttpMethod::kPost, "/orders/", malformed, 10);
  allocations_for(HttpMethod::kGet, "/health", "", 10);
  allocations_for(HttpMethod::kGet, "/nowhere", "", 10);
  allocations_for(HttpMethod::kDelete, "/orders/x", "", 10);

  EXPECT_EQ(allocations_for(HttpMethod::kPost, "/orders/", invalid, 500), 0);
  EXPECT_EQ(allocations_for(HttpMethod::kGet, "/health", "", 500), 0);
  EXPECT_EQ(allocations_for(HttpMethod::kGet, "/nowhere", "", 500), 0);
  EXPECT_EQ(allocations_for(HttpMethod::kDelete, "/orders/x", "", 500), 0);
  EXPECT_EQ(allocations_for(HttpMethod::kGet, "/orders/metrics", "", 500), 0);
}

TEST_F(AllocationTest, CreatingAnOrderAllocatesOnlyWhatTheEngineDoes) {
  start({}, {}, {.products = 20, .stock = 1'000'000});
  // The engine's share, measured by submitting directly.
  auto producer = engine->make_producer();
  const ItemRequest items[] = {{1, 1}, {2, 1}, {3, 1}};
  std::string id;
  auto submit_direct = [&](int from, int count) {
    long before = g_allocations.load();
    for (int i = from; i < from + count; ++i) {
      id = "D" + std::to_string(i);
      EXPECT_TRUE(engine->submit({id, 1, items, 5999}, &producer).ok());
    }
    return g_allocations.load() - before;
  };
  // And through the handler, with the order id written into the body.
  auto submit_http = [&](int from, int count) {
    long total = 0;
    for (int i = from; i < from + count; ++i) {
      total += allocations_for(HttpMethod::kPost, "/orders/",
                               R"({"user_id": 1, "order_id": "H)" + std::to_string(100000 + i) +
                                   R"(", "item_ids": [1, 2, 3], "total_amount": 59.99})",
                               1);
    }
    return total;
  };
  submit_direct(0, 200);  // warm up both paths
  submit_http(0, 200);
  long direct = 0;
  long http = 0;
  for (int round = 0; round < 5; ++round) {
    direct += submit_direct(1000 + round * 100, 100);
    http += submit_http(1000 + round * 100, 100);
  }
  // Direct submits also build the id string ("D1000": within the small
  // string buffer, so no allocation); hash-table growth may land in either
  // half, hence the small tolerance.
  EXPECT_NEAR(static_cast<double>(http), static_cast<double>(direct), 8.0)
      << "http " << http << " direct " << direct;
}

}  // namespace
}  // namespace orderd::net
