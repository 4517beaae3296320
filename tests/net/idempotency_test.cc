// Idempotency-Key on the API's changing requests (ApiHandler::handle): one
// run per key, the stored reply answered again, and what is refused.
#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/durability_waiter.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using namespace std::chrono_literals;
using testing::wait_until;

struct KeyedReply {
  unsigned status = 0;
  std::string body;
  std::string etag;
  bool replayed = false;
  unsigned retry_after = 0;
  Route route = Route::kNotFound;
  DurableToken durable_token = 0;
  bool needs_blocking = false;
};

constexpr std::string_view kOrder =
    R"({"user_id": 1, "order_id": "IDEM-1", "item_ids": [1, 2], "total_amount": 3.98})";
constexpr std::string_view kLongKeyError =
    R"({"error":"Idempotency-Key must be 1-255 printable characters"})";

HttpRequest make_request(HttpMethod method, std::string_view target, std::string& body,
                         std::optional<std::string_view> key, std::string_view if_match = {}) {
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = std::span<char>(body.data(), body.size());
  if (key) {
    request.idempotency_key = *key;
    request.has_idempotency_key = true;
  }
  request.if_match = if_match;
  return request;
}

class IdempotencyTest : public testing::ApiFixture {
 protected:
  // One request, run again on a "blocking thread" if the route asks, as the
  // server does.
  KeyedReply send(HttpMethod method, std::string_view target, std::string_view body,
                  std::optional<std::string_view> key, std::string_view if_match = {}) {
    std::string buffer(body);  // parsed in place
    HttpRequest request = make_request(method, target, buffer, key, if_match);
    HttpResponse response;
    KeyedReply r;
    if (handler->handle(request, response) == HandleOutcome::kNeedsBlockingThread) {
      r.needs_blocking = true;
      buffer.assign(body);
      request.body = std::span<char>(buffer.data(), buffer.size());
      request.may_block = true;
      EXPECT_EQ(handler->handle(request, response), HandleOutcome::kDone);
    }
    r.status = response.status;
    r.body.assign(response.body);
    r.etag.assign(response.etag);
    r.replayed = response.idempotent_replayed;
    r.retry_after = response.retry_after_seconds;
    r.route = response.route;
    r.durable_token = response.durable_token;
    return r;
  }
  KeyedReply post_with_key(std::string_view target, std::string_view body,
                           std::optional<std::string_view> key) {
    return send(HttpMethod::kPost, target, body, key);
  }

  std::int64_t accepted() const { return engine->counters().accepted; }
};

TEST_F(IdempotencyTest, ARetryWithTheSameKeyGetsTheFirstReplyAndCreatesNothing) {
  const KeyedReply first = post_with_key("/orders/", kOrder, "key-1");
  EXPECT_EQ(first.status, 201u) << first.body;
  EXPECT_FALSE(first.replayed);
  ASSERT_TRUE(wait_until([&] { return order_has_status("IDEM-1", OrderStatus::kCompleted); }));
  // The order has moved on since; the retry still hears what the first heard.
  const KeyedReply retry = post_with_key("/orders/", kOrder, "key-1");
  EXPECT_EQ(retry.status, 201u);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.route, Route::kCreateOrder);
  EXPECT_EQ(accepted(), 1);
  EXPECT_EQ(engine->idempotency().size(), 1u);
}

TEST_F(IdempotencyTest, TheSameKeyForAnotherRequestIs422) {
  ASSERT_EQ(post_with_key("/orders/", kOrder, "key-1").status, 201u);
  const std::string other =
      R"({"user_id": 1, "order_id": "IDEM-2", "item_ids": [1, 2], "total_amount": 3.98})";
  KeyedReply r = post_with_key("/orders/", other, "key-1");
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.body, R"({"error":"Idempotency-Key was used with a different request"})");
  EXPECT_FALSE(r.replayed);
  // The target as sent is part of the request, even where two route alike.
  EXPECT_EQ(post_with_key("/orders", kOrder, "key-1").status, 422u);
  EXPECT_EQ(send(HttpMethod::kPost, "/orders/", kOrder, "key-1", R"("1")").status, 422u);
  EXPECT_EQ(accepted(), 1);
  EXPECT_FALSE(engine->get("IDEM-2"));
}

TEST_F(IdempotencyTest, WithoutAKeyRequestsBehaveAsBefore) {
  EXPECT_EQ(post_with_key("/orders/", kOrder, std::nullopt).status, 201u);
  const KeyedReply again = post_with_key("/orders/", kOrder, std::nullopt);
  EXPECT_EQ(again.status, 409u);
  EXPECT_FALSE(again.replayed);
  EXPECT_EQ(engine->idempotency().size(), 0u);
}

TEST_F(IdempotencyTest, ClientErrorsAreStoredAndReplayed) {
  const KeyedReply first = post_with_key("/orders/", R"({"user_id": 1})", "bad-1");
  EXPECT_EQ(first.status, 400u);
  const KeyedReply retry = post_with_key("/orders/", R"({"user_id": 1})", "bad-1");
  EXPECT_EQ(retry.status, 400u);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_TRUE(retry.replayed);
  // A corrected request needs a new key.
  EXPECT_EQ(post_with_key("/orders/", kOrder, "bad-1").status, 422u);
  EXPECT_EQ(post_with_key("/orders/", kOrder, "bad-2").status, 201u);
}

TEST_F(IdempotencyTest, ServerErrorsAreNotStoredSoARetryRunsAgain) {
  EngineConfig config;
  config.capacity = 1;
  start(config);
  engine->pause_workers();
  ASSERT_EQ(create("FILLS-CAPACITY").status, 201u);
  const KeyedReply refused = post_with_key("/orders/", kOrder, "key-1");
  EXPECT_EQ(refused.status, 503u);
  EXPECT_EQ(engine->idempotency().size(), 0u);
  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return engine->counters().in_flight == 0; }));
  const KeyedReply retry = post_with_key("/orders/", kOrder, "key-1");
  EXPECT_EQ(retry.status, 201u) << retry.body;
  EXPECT_FALSE(retry.replayed);
}

TEST_F(IdempotencyTest, KeysMustBe1To255PrintableCharacters) {
  const std::string longest(255, 'k');
  const std::string too_long(256, 'k');
  for (std::string_view bad :
       {std::string_view(), std::string_view(too_long), std::string_view("a\tb"),
        std::string_view("a\x01"), std::string_view("a\x7F"), std::string_view("caf\xC3\xA9")}) {
    KeyedReply r = post_with_key("/orders/", kOrder, bad);
    EXPECT_EQ(r.status, 400u) << bad;
    EXPECT_EQ(r.body, kLongKeyError);
  }
  EXPECT_EQ(accepted(), 0);
  EXPECT_EQ(post_with_key("/orders/", kOrder, longest).status, 201u);
  EXPECT_EQ(post_with_key("/orders/", kOrder, longest).replayed, true);
  EXPECT_EQ(
      post_with_key("/api/v1/products/1/restock", R"({"quantity": 1})", "with space ~!").status,
      200u);
}

TEST_F(IdempotencyTest, ANonEmptyKeyCountsEvenWithoutThePresenceFlag) {
  for (int i = 0; i < 2; ++i) {
    std::string body(kOrder);
    HttpRequest request = make_request(HttpMethod::kPost, "/orders/", body, std::nullopt);
    request.idempotency_key = "set-by-hand";
    HttpResponse response;
    ASSERT_EQ(handler->handle(request, response), HandleOutcome::kDone);
    EXPECT_EQ(response.status, 201u);
    EXPECT_EQ(response.idempotent_replayed, i == 1);
  }
}

TEST_F(IdempotencyTest, ReadsAndUnknownRoutesIgnoreTheKey) {
  const std::string bad(300, 'k');
  EXPECT_EQ(send(HttpMethod::kGet, "/orders/NONE", "", bad).status, 404u);
  EXPECT_EQ(send(HttpMethod::kHead, "/health", "", bad).status, 200u);
  EXPECT_EQ(send(HttpMethod::kGet, "/orders/metrics", "", "k").status, 200u);
  EXPECT_EQ(post_with_key("/nowhere", "{}", bad).status, 404u);
  EXPECT_EQ(send(HttpMethod::kDelete, "/orders/X", "", "k").status, 405u);
  EXPECT_EQ(engine->idempotency().size(), 0u);
}

TEST_F(IdempotencyTest, ARetryWhileTheFirstRunsIs409) {
  std::string body(kOrder);
  const HttpRequest first = make_request(HttpMethod::kPost, "/orders/", body, "key-1");
  // Another thread is running this very request.
  ASSERT_EQ(engine->idempotency().begin("key-1", idempotency_fingerprint(first), 0).outcome,
            BeginOutcome::kStarted);
  const KeyedReply r = post_with_key("/orders/", kOrder, "key-1");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.body, R"({"error":"a request with this Idempotency-Key is in progress"})");
  EXPECT_EQ(accepted(), 0);
  engine->idempotency().abandon("key-1");
  EXPECT_EQ(post_with_key("/orders/", kOrder, "key-1").status, 201u);
}

TEST_F(IdempotencyTest, AFullKeyStoreIs503WithRetryAfter) {
  EngineConfig config;
  config.idempotency_max_keys = 2;
  start(config);
  ASSERT_EQ(post_with_key("/orders/", kOrder, "a").status, 201u);
  ASSERT_EQ(post_with_key("/api/v1/products/1/restock", R"({"quantity": 1})", "b").status, 200u);
  const KeyedReply r = post_with_key("/api/v1/products/1/restock", R"({"quantity": 1})", "c");
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.retry_after, 1u);
  EXPECT_EQ(r.body, R"({"error":"too many Idempotency-Keys are held, retry later"})");
  // Known keys still replay, and requests without a key still run.
  EXPECT_TRUE(post_with_key("/orders/", kOrder, "a").replayed);
  EXPECT_EQ(post_with_key("/api/v1/products/1/restock", R"({"quantity": 1})", std::nullopt).status,
            200u);
  EXPECT_EQ(engine->catalog().get(1)->restocked, 2);
}

TEST_F(IdempotencyTest, PopulateUnderAKeyRunsOnceAndItsReplayNeedsNoBlockingThread) {
  constexpr std::string_view kBatch = R"({"total_entries": 5, "batch_id": "idem"})";
  const KeyedReply first = post_with_key("/orders/populate", kBatch, "pop-1");
  EXPECT_TRUE(first.needs_blocking);
  EXPECT_EQ(first.status, 201u) << first.body;
  const KeyedReply retry = post_with_key("/orders/populate", kBatch, "pop-1");
  EXPECT_FALSE(retry.needs_blocking);
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.route, Route::kPopulateOrders);
  EXPECT_EQ(accepted(), 5);
}

TEST_F(IdempotencyTest, TheFingerprintCoversMethodTargetIfMatchAndBody) {
  auto fingerprint = [](HttpMethod method, std::string_view target, std::string body,
                        std::string_view if_match = {}) {
    return idempotency_fingerprint(make_request(method, target, body, "k", if_match));
  };
  const std::uint64_t base = fingerprint(HttpMethod::kPost, "/orders/", "{}");
  EXPECT_EQ(fingerprint(HttpMethod::kPost, "/orders/", "{}"), base);
  EXPECT_NE(fingerprint(HttpMethod::kPut, "/orders/", "{}"), base);
  EXPECT_NE(fingerprint(HttpMethod::kPost, "/orders", "{}"), base);
  EXPECT_NE(fingerprint(HttpMethod::kPost, "/orders/?x=1", "{}"), base);
  EXPECT_NE(fingerprint(HttpMethod::kPost, "/orders/", "{ }"), base);
  EXPECT_NE(fingerprint(HttpMethod::kPost, "/orders/", "{}", R"("1")"), base);
  // Fields are delimited: bytes moved from one field to the next change it.
  EXPECT_NE(fingerprint(HttpMethod::kPost, "/orders/a", "bc"),
            fingerprint(HttpMethod::kPost, "/orders/ab", "c"));
  // The key itself is not part of it.
  std::string body = "{}";
  EXPECT_EQ(idempotency_fingerprint(make_request(HttpMethod::kPost, "/orders/", body, "other")),
            base);
  // Fingerprints will be journaled: the function must not change.
  EXPECT_EQ(base, 0xF46992266DB355DEULL);
}

// Records stored replies, with a token the test can recognise; every other
// change gets a small one.
class TokenSink final : public EventSink {
 public:
  static constexpr DurableToken kReplyToken = 1000;
  DurableToken order_accepted(const Order&) override { return next(); }
  DurableToken order_status_changed(const Order&, OrderStatus, bool) override { return next(); }
  DurableToken order_updated(const Order&) override { return next(); }
  DurableToken customer_added(const CustomerInfo&) override { return next(); }
  DurableToken product_added(const ProductInfo&) override { return next(); }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return next(); }
  DurableToken idempotency_recorded(std::string_view key, std::uint64_t fingerprint,
                                    unsigned status, std::string_view body, std::string_view,
                                    Micros) override {
    std::lock_guard guard(mutex);
    keys.emplace_back(key);
    fingerprints.push_back(fingerprint);
    statuses.push_back(status);
    bodies.emplace_back(body);
    return kReplyToken + keys.size() - 1;
  }

  std::mutex mutex;
  std::vector<std::string> keys;
  std::vector<std::uint64_t> fingerprints;
  std::vector<unsigned> statuses;
  std::vector<std::string> bodies;

 private:
  DurableToken next() {
    std::lock_guard guard(mutex);
    return ++last;
  }
  DurableToken last = 0;
};

// Everything is durable at once, except the tokens in `failing`.
class ImmediateWaiter final : public DurabilityWaiter {
 public:
  void on_durable(DurableToken token, Completion done) override {
    done(token == failing ? "the disk is gone" : "");
  }
  DurableToken last_token() const override { return 4242; }
  std::string sticky_error() const override { return {}; }
  DurableToken failing = 0;
};

class IdempotencyDurabilityTest : public IdempotencyTest {
 protected:
  void SetUp() override {
    IdempotencyTest::SetUp();
    engine->stop();  // the sink is set while no other thread uses the engine
    engine->set_event_sink(&sink);
    engine->start();
  }
  void TearDown() override {
    engine->stop();
    engine->set_event_sink(nullptr);
  }
  TokenSink sink;
  ImmediateWaiter waiter;
};

TEST_F(IdempotencyDurabilityTest, TheStoredReplyIsReportedAndTheAnswerWaitsForItsRecord) {
  std::string body(kOrder);
  const std::uint64_t fingerprint =
      idempotency_fingerprint(make_request(HttpMethod::kPost, "/orders/", body, "key-1"));
  const KeyedReply first = post_with_key("/orders/", kOrder, "key-1");
  ASSERT_EQ(first.status, 201u);
  // The acceptance record comes first; the reply's record is the later one.
  EXPECT_EQ(first.durable_token, TokenSink::kReplyToken);
  ASSERT_EQ(sink.keys.size(), 1u);
  EXPECT_EQ(sink.keys[0], "key-1");
  EXPECT_EQ(sink.fingerprints[0], fingerprint);
  EXPECT_EQ(sink.statuses[0], 201u);
  EXPECT_EQ(sink.bodies[0], first.body);
  // Replays record nothing, and are not answered before everything so far
  // is durable, the first reply's record included.
  api->attach_durability(&waiter, nullptr);
  const KeyedReply retry = post_with_key("/orders/", kOrder, "key-1");
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.durable_token, 4242u);
  EXPECT_EQ(sink.keys.size(), 1u);
  // Refusals before the route runs are stored nowhere.
  EXPECT_EQ(post_with_key("/orders/", "{}", "key-1").status, 422u);
  EXPECT_EQ(sink.keys.size(), 1u);
}

TEST_F(IdempotencyDurabilityTest, OnABlockingThreadTheReplysRecordIsLeftForTheConnectionToAwait) {
  // The connection holds a blocking thread's answer as it holds an I/O
  // thread's, so the blocking thread never waits on the disk itself.
  api->attach_durability(&waiter, nullptr);
  const KeyedReply r = post_with_key("/orders/populate", R"({"total_entries": 2})", "pop-1");
  EXPECT_TRUE(r.needs_blocking);
  EXPECT_EQ(r.status, 201u);
  EXPECT_EQ(r.durable_token, TokenSink::kReplyToken);
  EXPECT_EQ(r.route, Route::kPopulateOrders);
}

}  // namespace
}  // namespace orderd::net
