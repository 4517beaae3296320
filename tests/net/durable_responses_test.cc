// Responses that report a change are sent only once the change is durable,
// and never when it could not be made so.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/durability_waiter.h"
#include "tests/net/durable_server_fixture.h"
#include "tests/net/server_test_util.h"

namespace orderd::net {
namespace {

using testing::get_request;
using testing::order_json;
using testing::post_request;
using testing::RawHttpClient;
using testing::RawResponse;
using namespace std::chrono_literals;

using DurableResponsesTest = testing::DurableServerFixture;

TEST_F(DurableResponsesTest, CreatedIsSentOnlyOnceTheOrderIsSynced) {
  start();
  auto c = connect();
  // Paused workers journal no transitions, so the acceptance is the last record.
  engine->pause_workers();
  const std::uint64_t syncs_before = fs.syncs();
  auto r = c->request(post_request("/orders", order_json("D-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
  // By the time the client hears 201 the record is synced.
  EXPECT_GT(fs.syncs(), syncs_before);
  EXPECT_GE(durability->durable_token(), durability->last_token());
  engine->resume_workers();
}

TEST_F(DurableResponsesTest, AcknowledgedOrdersAreThereAfterAPowerLoss) {
  start();
  auto c = connect();
  for (int i = 0; i < 20; ++i) {
    auto r = c->request(post_request("/orders", order_json("P-" + std::to_string(i))));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201u);
  }
  stop();
  fs.drop_unsynced_data();
  start();
  c = connect();
  for (int i = 0; i < 20; ++i) {
    auto r = c->request(get_request("/orders/P-" + std::to_string(i)));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u) << i;
  }
}

TEST_F(DurableResponsesTest, PipelinedCreatesAreAnsweredInOrder) {
  start();
  auto c = connect();
  std::string batch;
  for (int i = 0; i < 10; ++i)
    batch += post_request("/orders", order_json("Q-" + std::to_string(i)));
  batch += get_request("/orders/Q-9");
  ASSERT_TRUE(c->send(batch));
  for (int i = 0; i < 10; ++i) {
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201u);
    EXPECT_NE(r->body.find("\"Q-" + std::to_string(i) + "\""), std::string::npos) << r->body;
  }
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(DurableResponsesTest, ASyncFailureIsA503AndLaterWritesAreRefused) {
  start();
  auto c = connect();
  ASSERT_EQ(c->request(post_request("/orders", order_json("OK-1")))->status, 201u);
  fs.set_sync_fault(EIO);
  auto r = c->request(post_request("/orders", order_json("LOST-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("\"error\""), std::string::npos);
  // From here on writes are refused at once; reads keep working.
  r = c->request(post_request("/orders", order_json("LOST-2")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  r = c->request(post_request("/api/v1/products", R"({"id":40,"name":"n","price":1,"stock":1})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  r = c->request(get_request("/orders/OK-1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  r = c->request(get_request("/health/ready"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("\"reason\""), std::string::npos) << r->body;
  EXPECT_EQ(c->request(get_request("/health"))->status, 200u);
}

TEST_F(DurableResponsesTest, AWriteFailureIsA503) {
  start();
  auto c = connect();
  fs.set_write_fault(persistence::testing::FaultInjectionFileSystem::WriteFault::kError, ENOSPC);
  auto r = c->request(post_request("/orders", order_json("FULL-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("space"), std::string::npos) << r->body;
}

TEST_F(DurableResponsesTest, CatalogChangesAreDurableBeforeTheAnswer) {
  start();
  auto c = connect();
  auto r = c->request(
      post_request("/api/v1/products", R"({"id":50,"name":"Lamp","price":12.5,"stock":7})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201u);
  r = c->request(post_request("/api/v1/products/50/restock", R"({"quantity":3})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u);
  EXPECT_GE(durability->durable_token(), durability->last_token());
  stop();
  fs.drop_unsynced_data();
  start();
  c = connect();
  r = c->request(get_request("/api/v1/products/50"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_NE(r->body.find("\"available\":10"), std::string::npos) << r->body;
}

TEST_F(DurableResponsesTest, PopulateAnswersOnceItsOrdersAreDurable) {
  start();
  auto c = connect();
  engine->pause_workers();
  auto r = c->request(post_request("/orders/populate", R"({"total_entries":50,"batch_id":"b1"})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201u);
  EXPECT_GE(durability->durable_token(), durability->last_token());
  engine->resume_workers();
}

TEST_F(DurableResponsesTest, NeverPolicyStillAnswers) {
  start(persistence::FsyncPolicy::never());
  auto c = connect();
  auto r = c->request(post_request("/orders", order_json("N-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
}

// The HTTP layer through the engine-level interface alone: a journal stand-in
// numbers the engine's changes and says they are durable when the test does.
// A disk that stalls in fdatasync: once the journal holds more than its cap,
// writes wait for room (journal_wait), then are refused with 503 and a
// Retry-After, while reads go on; the queue stays near the cap; once the
// disk catches up the held creates are answered and new ones accepted.
TEST_F(DurableResponsesTest, AStalledDiskTurnsWritesInto503sAndKeepsReadsAndMemoryBounded) {
  durability_options.max_queued_bytes = 4096;
  limits.journal_wait = 100ms;
  start();
  engine->pause_workers();  // only the creates' own records reach the journal
  auto reader = connect();
  fs.stall_syncs("journal-");
  // Lifted however the test ends, or the server's shutdown would wait forever.
  struct Lift {
    persistence::testing::FaultInjectionFileSystem& fs;
    ~Lift() { fs.lift_sync_stall(); }
  } lift{fs};
  // Each create is held until durable, so each needs its own connection.
  std::vector<std::unique_ptr<RawHttpClient>> clients;
  for (int i = 0; i < 150; ++i) {
    clients.push_back(connect());
    ASSERT_TRUE(
        clients.back()->send(post_request("/orders", order_json("S-" + std::to_string(i)))));
  }
  // Past journal_wait, the refused ones are answered; the others are held.
  std::this_thread::sleep_for(400ms);
  std::vector<std::unique_ptr<RawHttpClient>> held;
  std::string a_held_id;
  int accepted = 0, refusals = 0;
  std::optional<RawResponse> refused;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    auto& c = clients[i];
    if (c->readable_within(0ms)) {
      refused = c->read_response();
      ASSERT_TRUE(refused);
      EXPECT_EQ(refused->status, 503u) << refused->body << " " << fs.stalled_syncs() << " "
                                       << durability->stats().journal.fsyncs;
      ++refusals;
    } else {
      ++accepted;
      held.push_back(std::move(c));
      a_held_id = "S-" + std::to_string(i);
    }
  }
  ASSERT_GT(refusals, 0) << "the queue never filled: " << durability->stats().journal.queued_bytes
                         << " bytes queued, " << fs.stalled_syncs() << " syncs stalled, "
                         << accepted << " held";
  EXPECT_EQ(refused->status, 503u);
  EXPECT_EQ(refused->header("retry-after"), "1");
  EXPECT_NE(refused->body.find("the disk has fallen behind"), std::string::npos) << refused->body;
  EXPECT_GT(accepted, 1);
  const persistence::JournalStats stalled = durability->stats().journal;
  EXPECT_LE(stalled.queued_bytes, 4096u + 1024u) << "one create's records past the cap at most";
  EXPECT_GE(stalled.writes_refused, 1u);
  // Reads are answered meanwhile.
  auto read = reader->request(get_request("/orders/" + a_held_id));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200u);
  fs.lift_sync_stall();
  for (auto& c : held) {
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201u);
  }
  auto after = reader->request(post_request("/orders", order_json("S-after")));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 201u);
  engine->resume_workers();
}

class ManualJournal final : public EventSink, public DurabilityWaiter {
 public:
  DurableToken order_accepted(const Order&) override { return next(); }
  DurableToken order_status_changed(const Order&, OrderStatus, bool) override { return next(); }
  DurableToken order_updated(const Order&) override { return next(); }
  DurableToken customer_added(const CustomerInfo&) override { return next(); }
  DurableToken product_added(const ProductInfo&) override { return next(); }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return next(); }

  void on_durable(DurableToken token, Completion done) override {
    std::unique_lock lock(mutex_);
    if (!sticky_error_.empty()) {
      const std::string error = sticky_error_;
      lock.unlock();
      done(error);
      return;
    }
    waiting_.emplace_back(token, std::move(done));
  }
  DurableToken last_token() const override {
    std::lock_guard guard(mutex_);
    return last_token_;
  }
  std::string sticky_error() const override {
    std::lock_guard guard(mutex_);
    return sticky_error_;
  }

  std::vector<DurableToken> waiting_tokens() const {
    std::lock_guard guard(mutex_);
    std::vector<DurableToken> tokens;
    for (const auto& [token, done] : waiting_) tokens.push_back(token);
    return tokens;
  }
  // Completes every waiter with `error` (empty: durable); a non-empty error
  // also becomes sticky, as the journal's does.
  void complete_all(const std::string& error) {
    std::vector<std::pair<DurableToken, Completion>> waiting;
    {
      std::lock_guard guard(mutex_);
      if (!error.empty()) sticky_error_ = error;
      waiting.swap(waiting_);
    }
    for (auto& [token, done] : waiting) done(error);
  }

 private:
  DurableToken next() {
    std::lock_guard guard(mutex_);
    return ++last_token_;
  }

  mutable std::mutex mutex_;
  DurableToken last_token_ = 0;
  std::string sticky_error_;
  std::vector<std::pair<DurableToken, Completion>> waiting_;
};

class HeldResponsesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineConfig config;
    config.workers = 1;
    config.max_products = 64;
    engine = std::make_unique<Engine>(config);
    demo::add_demo_catalog(engine->catalog(), {20, 1'000'000});
    engine->set_event_sink(&journal);
    engine->pause_workers();  // only the acceptances are journaled
    engine->start();
    api = std::make_unique<Api>(*engine);
    api->attach_durability(&journal, nullptr);
    ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    server = std::make_unique<HttpServer>(*api, options);
    server->start();
  }
  void TearDown() override {
    // Held responses hold their connections: release them before the server goes.
    journal.complete_all("the test is over");
    server->stop(5s);
    engine->resume_workers();
    engine->stop();
  }
  std::unique_ptr<testing::RawHttpClient> connect() {
    auto c = std::make_unique<testing::RawHttpClient>(server->port());
    EXPECT_TRUE(c->connected());
    return c;
  }
  bool wait_for_waiters(std::size_t count) {
    return testing::wait_until([&] { return journal.waiting_tokens().size() == count; }, 10s);
  }

  ManualJournal journal;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Api> api;
  std::unique_ptr<HttpServer> server;
};

TEST_F(HeldResponsesTest, ACreatedOrderIsAnsweredOnlyOnceTheWaiterSaysSo) {
  auto c = connect();
  ASSERT_TRUE(c->send(post_request("/orders", order_json("H-1")) + get_request("/health")));
  ASSERT_TRUE(wait_for_waiters(1));
  EXPECT_EQ(journal.waiting_tokens()[0], journal.last_token());
  // Neither the held response nor the one pipelined behind it goes out.
  EXPECT_FALSE(c->readable_within(100ms));
  journal.complete_all("");
  auto created = c->read_response();
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201u) << created->body;
  auto health = c->read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200u);
}

TEST_F(HeldResponsesTest, ACatalogChangeWaitsForTheLastToken) {
  auto c = connect();
  ASSERT_TRUE(
      c->send(post_request("/api/v1/products", R"({"id":50,"name":"Lamp","price":1,"stock":7})")));
  ASSERT_TRUE(wait_for_waiters(1));
  EXPECT_EQ(journal.waiting_tokens()[0], journal.last_token());
  journal.complete_all("");
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u) << r->body;
}

TEST_F(HeldResponsesTest, ShutdownWaitsForAHeldResponseThenCloses) {
  auto c = connect();
  ASSERT_TRUE(c->send(post_request("/orders", order_json("H-3"))));
  ASSERT_TRUE(wait_for_waiters(1));
  std::thread stopper([&] { server->stop(30s); });
  ASSERT_TRUE(testing::wait_until([&] { return !api->ready(); }, 10s));
  EXPECT_FALSE(c->readable_within(50ms));
  journal.complete_all("");
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
  EXPECT_TRUE(c->closed_by_peer(10s));
  stopper.join();
}

TEST_F(HeldResponsesTest, AFailureIsA503AndMakesTheServerNotReady) {
  auto c = connect();
  ASSERT_TRUE(c->send(post_request("/orders", order_json("H-2"))));
  ASSERT_TRUE(wait_for_waiters(1));
  // Whatever the error text holds, the body stays valid JSON.
  journal.complete_all("IO error: sync \"journal\\1\":\x01 Input/output error");
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_EQ(r->body, R"({"error":"the change could not be made durable: IO error: sync )"
                     R"(\"journal\\1\":\u0001 Input/output error"})");
  r = c->request(get_request("/health/ready"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("the journal cannot write: IO error"), std::string::npos) << r->body;
}

TEST_F(HeldResponsesTest, AReplayIsHeldUntilTheFirstReplyIsDurable) {
  auto first = connect();
  auto retry = connect();
  const std::string keyed = post_request("/orders", order_json("H-K"), "Idempotency-Key: k1\r\n");
  ASSERT_TRUE(first->send(keyed));
  ASSERT_TRUE(wait_for_waiters(1));
  // The retry finds the stored reply, but may not answer it before the
  // first client hears it is durable.
  ASSERT_TRUE(retry->send(keyed));
  ASSERT_TRUE(wait_for_waiters(2));
  EXPECT_FALSE(retry->readable_within(100ms));
  journal.complete_all("");
  auto a = first->read_response();
  auto b = retry->read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 201u) << a->body;
  EXPECT_EQ(a->header("idempotent-replayed"), "");
  EXPECT_EQ(b->status, 201u);
  EXPECT_EQ(b->header("idempotent-replayed"), "true");
  EXPECT_EQ(b->body, a->body);
  EXPECT_EQ(engine->counters().accepted, 1);
}

TEST_F(HeldResponsesTest, AReplayOfAReplyThatNeverBecameDurableIsA503) {
  auto first = connect();
  auto retry = connect();
  const std::string keyed = post_request("/orders", order_json("H-L"), "Idempotency-Key: k2\r\n");
  ASSERT_TRUE(first->send(keyed));
  ASSERT_TRUE(wait_for_waiters(1));
  ASSERT_TRUE(retry->send(keyed));
  ASSERT_TRUE(wait_for_waiters(2));
  journal.complete_all("IO error: sync failed");
  auto a = first->read_response();
  auto b = retry->read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 503u);
  EXPECT_EQ(b->status, 503u);
  EXPECT_EQ(b->body, a->body);
}

}  // namespace
}  // namespace orderd::net
