#include "net/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

constexpr Micros kSecond = 1'000'000;

RateLimitOptions limit(double per_second, double burst, std::size_t max_clients = 100'000) {
  RateLimitOptions o;
  o.per_second = per_second;
  o.burst = burst;
  o.max_clients = max_clients;
  return o;
}

TEST(RateLimiterTest, ExactlyTheBurstPassesThenRequestsAreRefused) {
  RateLimiter limiter(limit(1, 5));
  for (int i = 0; i < 5; ++i) {
    const RateDecision d = limiter.admit("10.0.0.1", 0);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 5u);
    EXPECT_EQ(d.remaining, static_cast<std::uint64_t>(4 - i));
  }
  const RateDecision refused = limiter.admit("10.0.0.1", 0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.retry_after_seconds, 1u);
  EXPECT_EQ(refused.reset_seconds, 5u);
}

TEST(RateLimiterTest, BucketsRefillAtTheConfiguredRate) {
  RateLimiter limiter(limit(10, 2));
  EXPECT_TRUE(limiter.admit("a", 0).allowed);
  EXPECT_TRUE(limiter.admit("a", 0).allowed);
  EXPECT_FALSE(limiter.admit("a", 0).allowed);
  EXPECT_FALSE(limiter.admit("a", kSecond / 20).allowed);  // half a token
  EXPECT_TRUE(limiter.admit("a", kSecond / 10).allowed);   // one token
  EXPECT_FALSE(limiter.admit("a", kSecond / 10).allowed);
  // Never more than the burst, however long the client waited.
  EXPECT_TRUE(limiter.admit("a", 100 * kSecond).allowed);
  EXPECT_TRUE(limiter.admit("a", 100 * kSecond).allowed);
  EXPECT_FALSE(limiter.admit("a", 100 * kSecond).allowed);
}

TEST(RateLimiterTest, ABurstOfZeroIsOneSecondsWorth) {
  RateLimiter limiter(limit(3, 0));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.admit("a", 0).allowed);
  EXPECT_FALSE(limiter.admit("a", 0).allowed);
}

TEST(RateLimiterTest, ClientsAreLimitedApart) {
  RateLimiter limiter(limit(1, 1));
  EXPECT_TRUE(limiter.admit("10.0.0.1", 0).allowed);
  EXPECT_FALSE(limiter.admit("10.0.0.1", 0).allowed);
  EXPECT_TRUE(limiter.admit("10.0.0.2", 0).allowed);
}

TEST(RateLimiterTest, AHundredThousandClientsStayWithinTheBound) {
  constexpr std::size_t kBound = 6'400;
  RateLimiter limiter(limit(1, 2, kBound));
  for (int i = 0; i < 100'000; ++i) {
    const std::string client = "10." + std::to_string(i / 65536) + "." +
                               std::to_string(i / 256 % 256) + "." + std::to_string(i % 256);
    ASSERT_TRUE(limiter.admit(client, i).allowed) << client;
    ASSERT_LE(limiter.clients(), kBound) << i;
  }
  EXPECT_GT(limiter.clients(), kBound / 2);
}

// --- Through the API ---------------------------------------------------------------

class RateLimitedApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    ApiLimits limits;
    limits.rate_limit = limit(0.001, 3);  // three requests, then about none
    start({}, limits);
  }
  testing::Reply from(std::string address, bool loopback, std::string target = "/orders/metrics") {
    address_ = std::move(address);
    loopback_ = loopback;
    HttpRequest request;
    request.method = HttpMethod::kGet;
    request.target = target;
    request.client_address = address_;
    request.client_loopback = loopback_;
    HttpResponse response;
    (void)handler->handle(request, response);
    testing::Reply r;
    r.status = response.status;
    r.body.assign(response.body);
    r.retry_after = response.retry_after_seconds;
    if (response.rate_limit) {
      limit_ = response.rate_limit->limit;
      remaining_ = response.rate_limit->remaining;
    }
    return r;
  }
  std::string address_;
  bool loopback_ = false;
  std::uint64_t limit_ = 0, remaining_ = 0;
};

TEST_F(RateLimitedApiTest, AClientBeyondItsBurstGets429WithRetryAfterAndRateLimitHeaders) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(from("192.0.2.7", false).status, 200u) << i;
    EXPECT_EQ(limit_, 3u);
    EXPECT_EQ(remaining_, static_cast<std::uint64_t>(2 - i));
  }
  const testing::Reply refused = from("192.0.2.7", false);
  EXPECT_EQ(refused.status, 429u);
  EXPECT_NE(refused.body.find("rate limit exceeded"), std::string::npos) << refused.body;
  EXPECT_GE(refused.retry_after, 1u);
  EXPECT_EQ(remaining_, 0u);
  // Another client is not affected.
  EXPECT_EQ(from("192.0.2.8", false).status, 200u);
}

TEST_F(RateLimitedApiTest, LoopbackClientsAndProbesAreNotLimited) {
  for (int i = 0; i < 10; ++i) EXPECT_EQ(from("127.0.0.1", true).status, 200u) << i;
  for (int i = 0; i < 3; ++i) (void)from("192.0.2.9", false);
  EXPECT_EQ(from("192.0.2.9", false).status, 429u);
  EXPECT_EQ(from("192.0.2.9", false, "/health").status, 200u);
  EXPECT_EQ(from("192.0.2.9", false, "/health/ready").status, 200u);
}

}  // namespace
}  // namespace orderd::net
