#include "engine/idempotency_store.h"

#include <gtest/gtest.h>

#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace orderd {
namespace {

using namespace std::chrono_literals;

constexpr Micros kT0 = 1'700'000'000'000'000;  // an arbitrary wall clock reading
constexpr std::uint64_t kFingerprint = 0xF1F2F3F4;

IdempotencyStore make_store(std::size_t max_keys = 1000, std::chrono::microseconds ttl = 24h,
                            std::size_t shards = 64) {
  return IdempotencyStore({.ttl = ttl, .max_keys = max_keys, .shards = shards});
}

BeginOutcome begin(IdempotencyStore& store, std::string_view key, Micros now = kT0,
                   std::uint64_t fingerprint = kFingerprint) {
  return store.begin(key, fingerprint, now).outcome;
}

struct Recorded {
  std::string key;
  std::uint64_t fingerprint;
  unsigned status;
  std::string body;
  std::string etag;
  Micros created_at;
};

// Keeps what idempotency_recorded() reports; the order and product hooks
// are not used by the store.
class ReplySink final : public EventSink {
 public:
  DurableToken order_accepted(const Order&) override { return 0; }
  DurableToken order_status_changed(const Order&, OrderStatus, bool) override { return 0; }
  DurableToken order_updated(const Order&) override { return 0; }
  DurableToken customer_added(const CustomerInfo&) override { return 0; }
  DurableToken product_added(const ProductInfo&) override { return 0; }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return 0; }
  DurableToken idempotency_recorded(std::string_view key, std::uint64_t fingerprint,
                                    unsigned status, std::string_view body, std::string_view etag,
                                    Micros created_at) override {
    std::lock_guard guard(mutex);
    recorded.push_back(
        {std::string(key), fingerprint, status, std::string(body), std::string(etag), created_at});
    return 100 + recorded.size();
  }
  std::mutex mutex;
  std::vector<Recorded> recorded;
};

TEST(IdempotencyStoreTest, TheFirstRequestStartsAndItsRetryGetsTheStoredReply) {
  auto store = make_store();
  EXPECT_EQ(begin(store, "k1"), BeginOutcome::kStarted);
  EXPECT_EQ(store.size(), 1u);
  store.finish("k1", 201, R"({"order_id":"A"})", R"("3")", kT0 + 5);
  BeginResult again = store.begin("k1", kFingerprint, kT0 + 10);
  EXPECT_EQ(again.outcome, BeginOutcome::kReplay);
  EXPECT_EQ(again.reply.status, 201u);
  EXPECT_EQ(again.reply.body, R"({"order_id":"A"})");
  EXPECT_EQ(again.reply.etag, R"("3")");
  // Replays change nothing: the next one gets the same.
  EXPECT_EQ(store.begin("k1", kFingerprint, kT0 + 20).reply.body, R"({"order_id":"A"})");
  EXPECT_EQ(store.size(), 1u);
}

TEST(IdempotencyStoreTest, KeysAreIndependent) {
  auto store = make_store();
  EXPECT_EQ(begin(store, "a"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "b"), BeginOutcome::kStarted);
  store.finish("a", 200, "A", "", kT0);
  EXPECT_EQ(begin(store, "b"), BeginOutcome::kInProgress);
  EXPECT_EQ(store.begin("a", kFingerprint, kT0).reply.body, "A");
  EXPECT_EQ(store.size(), 2u);
}

TEST(IdempotencyStoreTest, TheSameKeyForAnotherRequestIsAMismatch) {
  auto store = make_store();
  EXPECT_EQ(begin(store, "k", kT0, 1), BeginOutcome::kStarted);
  // While the first runs...
  EXPECT_EQ(begin(store, "k", kT0, 2), BeginOutcome::kMismatch);
  store.finish("k", 201, "first", "", kT0);
  // ... and after it was stored; the stored reply stays.
  EXPECT_EQ(begin(store, "k", kT0, 2), BeginOutcome::kMismatch);
  EXPECT_EQ(store.begin("k", 1, kT0).reply.body, "first");
}

TEST(IdempotencyStoreTest, ARetryWhileTheFirstRunsIsInProgress) {
  auto store = make_store();
  EXPECT_EQ(begin(store, "k"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "k"), BeginOutcome::kInProgress);
  EXPECT_EQ(begin(store, "k"), BeginOutcome::kInProgress);
  store.finish("k", 201, "done", "", kT0);
  EXPECT_EQ(begin(store, "k"), BeginOutcome::kReplay);
}

TEST(IdempotencyStoreTest, AbandonForgetsTheKeySoTheNextRequestStartsAfresh) {
  auto store = make_store();
  EXPECT_EQ(begin(store, "k", kT0, 1), BeginOutcome::kStarted);
  store.abandon("k");
  EXPECT_EQ(store.size(), 0u);
  // Even another request may take it now: nothing was stored.
  EXPECT_EQ(begin(store, "k", kT0, 2), BeginOutcome::kStarted);
  store.finish("k", 201, "second", "", kT0);
  EXPECT_EQ(store.begin("k", 2, kT0).reply.body, "second");
}

TEST(IdempotencyStoreTest, FinishAndAbandonLeaveKeysThatAreNotInProgressAlone) {
  auto store = make_store();
  EXPECT_EQ(store.finish("never", 201, "x", "", kT0), 0u);
  store.abandon("never");
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(begin(store, "k"), BeginOutcome::kStarted);
  store.finish("k", 201, "stored", "", kT0);
  store.abandon("k");  // a stored reply is not abandoned
  store.finish("k", 500, "late", "", kT0);
  EXPECT_EQ(store.begin("k", kFingerprint, kT0).reply.body, "stored");
  EXPECT_EQ(store.size(), 1u);
}

TEST(IdempotencyStoreTest, AReplyExpiresTtlAfterItWasStored) {
  auto store = make_store(1000, 10s);
  const Micros stored_at = kT0 + 1'000'000;
  EXPECT_EQ(begin(store, "k", kT0), BeginOutcome::kStarted);
  store.finish("k", 201, "old", "", stored_at);
  EXPECT_EQ(begin(store, "k", stored_at + 10'000'000 - 1), BeginOutcome::kReplay);
  // At the ttl the key counts as absent, whatever the request.
  EXPECT_EQ(begin(store, "k", stored_at + 10'000'000, 99), BeginOutcome::kStarted);
  EXPECT_EQ(store.size(), 1u);
  store.finish("k", 200, "new", "", stored_at + 10'000'001);
  EXPECT_EQ(store.begin("k", 99, stored_at + 10'000'002).reply.body, "new");
}

TEST(IdempotencyStoreTest, RequestsInProgressNeverExpire) {
  auto store = make_store(1000, 1s);
  EXPECT_EQ(begin(store, "slow", kT0, 1), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "slow", kT0 + 3'600'000'000, 2), BeginOutcome::kMismatch);
  EXPECT_EQ(begin(store, "slow", kT0 + 3'600'000'000, 1), BeginOutcome::kInProgress);
  EXPECT_EQ(store.prune(kT0 + 3'600'000'000, 1'000'000), 0u);
  EXPECT_EQ(store.size(), 1u);
}

TEST(IdempotencyStoreTest, ExpiredRepliesArePrunedAsRequestsArrive) {
  // One shard, so that every begin() prunes where the old replies are.
  auto store = make_store(1000, 1s, 1);
  for (int i = 0; i < 100; ++i) {
    const std::string key = "old-" + std::to_string(i);
    ASSERT_EQ(begin(store, key), BeginOutcome::kStarted);
    store.finish(key, 201, "x", "", kT0);
  }
  EXPECT_EQ(store.size(), 100u);
  const Micros later = kT0 + 2'000'000;
  for (int i = 0; i < 20; ++i) {
    const std::string key = "new-" + std::to_string(i);
    ASSERT_EQ(begin(store, key, later), BeginOutcome::kStarted);
    store.finish(key, 201, "y", "", later);
  }
  // Each begin() looked at a few old replies: more were removed than added.
  const std::size_t left = store.size();
  EXPECT_LT(left, 100u);
  EXPECT_EQ(store.prune(later, 1'000'000), left - 20);
  EXPECT_EQ(store.size(), 20u);
}

TEST(IdempotencyStoreTest, PruningStepsPastRequestsInProgress) {
  auto store = make_store(1000, 1s, 1);
  EXPECT_EQ(begin(store, "running"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "stored"), BeginOutcome::kStarted);
  store.finish("stored", 201, "x", "", kT0);
  EXPECT_EQ(store.prune(kT0 + 2'000'000, 10), 1u);
  EXPECT_EQ(begin(store, "running"), BeginOutcome::kInProgress);
  EXPECT_EQ(store.size(), 1u);
}

TEST(IdempotencyStoreTest, AFullStoreRefusesNewKeysButStillAnswersKnownOnes) {
  auto store = make_store(2);
  EXPECT_EQ(begin(store, "a"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "b"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "c"), BeginOutcome::kFull);
  EXPECT_EQ(store.size(), 2u);
  store.finish("a", 201, "A", "", kT0);
  EXPECT_EQ(begin(store, "a"), BeginOutcome::kReplay);
  EXPECT_EQ(begin(store, "b"), BeginOutcome::kInProgress);
  // An abandoned key gives its room back.
  store.abandon("b");
  EXPECT_EQ(begin(store, "c"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "d"), BeginOutcome::kFull);
}

TEST(IdempotencyStoreTest, AFullStoreMakesRoomFromExpiredRepliesInAnyShard) {
  auto store = make_store(8, 1s, 64);
  for (int i = 0; i < 8; ++i) {
    const std::string key = "k" + std::to_string(i);
    ASSERT_EQ(begin(store, key), BeginOutcome::kStarted);
    store.finish(key, 201, "x", "", kT0);
  }
  EXPECT_EQ(begin(store, "more", kT0 + 999'999), BeginOutcome::kFull);
  // Once they expired the new key gets in, wherever the old ones live.
  EXPECT_EQ(begin(store, "more", kT0 + 1'000'000), BeginOutcome::kStarted);
  EXPECT_LE(store.size(), 8u);
}

TEST(IdempotencyStoreTest, FinishReportsTheReplyToTheSinkAndReturnsItsToken) {
  auto store = make_store();
  ReplySink sink;
  store.set_event_sink(&sink);
  EXPECT_EQ(begin(store, "k"), BeginOutcome::kStarted);
  EXPECT_EQ(store.finish("k", 409, R"({"error":"x"})", R"("7")", kT0 + 3), 101u);
  ASSERT_EQ(sink.recorded.size(), 1u);
  const Recorded& r = sink.recorded[0];
  EXPECT_EQ(r.key, "k");
  EXPECT_EQ(r.fingerprint, kFingerprint);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.body, R"({"error":"x"})");
  EXPECT_EQ(r.etag, R"("7")");
  EXPECT_EQ(r.created_at, kT0 + 3);
  // Neither abandoned requests nor restores are reported.
  EXPECT_EQ(begin(store, "gone"), BeginOutcome::kStarted);
  store.abandon("gone");
  EXPECT_EQ(store.restore("restored", 1, 201, "b", "", kT0), RestoreResult::kApplied);
  EXPECT_EQ(sink.recorded.size(), 1u);
}

TEST(IdempotencyStoreTest, RestoredRepliesAreReplayed) {
  auto store = make_store(1000, 10s);
  EXPECT_EQ(store.restore("k", 5, 201, "body", R"("1")", kT0), RestoreResult::kApplied);
  BeginResult r = store.begin("k", 5, kT0 + 1);
  EXPECT_EQ(r.outcome, BeginOutcome::kReplay);
  EXPECT_EQ(r.reply.status, 201u);
  EXPECT_EQ(r.reply.body, "body");
  EXPECT_EQ(r.reply.etag, R"("1")");
  EXPECT_EQ(begin(store, "k", kT0 + 1, 6), BeginOutcome::kMismatch);
  // The snapshot and the journal after it may both hold a record.
  EXPECT_EQ(store.restore("k", 5, 201, "body", R"("1")", kT0), RestoreResult::kAlreadyApplied);
  EXPECT_EQ(store.restore("k", 4, 200, "older", "", kT0 - 1), RestoreResult::kAlreadyApplied);
  // A later record is the key reused after it expired.
  EXPECT_EQ(store.restore("k", 6, 200, "later", "", kT0 + 20'000'000), RestoreResult::kApplied);
  EXPECT_EQ(store.begin("k", 6, kT0 + 20'000'001).reply.body, "later");
  EXPECT_EQ(store.size(), 1u);
}

TEST(IdempotencyStoreTest, RestoreRefusesWhatNoRequestCouldHaveStored) {
  auto store = make_store();
  EXPECT_EQ(store.restore("", 1, 201, "", "", kT0), RestoreResult::kInvalid);
  EXPECT_EQ(store.restore(std::string(256, 'k'), 1, 201, "", "", kT0), RestoreResult::kInvalid);
  EXPECT_EQ(store.restore(std::string(255, 'k'), 1, 201, "", "", kT0), RestoreResult::kApplied);
  EXPECT_EQ(store.restore("k", 1, 99, "", "", kT0), RestoreResult::kInvalid);
  EXPECT_EQ(store.restore("k", 1, 600, "", "", kT0), RestoreResult::kInvalid);
}

TEST(IdempotencyStoreTest, RestoreKeepsGuaranteesBeyondTheKeyBound) {
  auto store = make_store(1);
  EXPECT_EQ(store.restore("a", 1, 201, "", "", kT0), RestoreResult::kApplied);
  EXPECT_EQ(store.restore("b", 1, 201, "", "", kT0), RestoreResult::kApplied);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(begin(store, "a", kT0, 1), BeginOutcome::kReplay);
  EXPECT_EQ(begin(store, "c"), BeginOutcome::kFull);
}

TEST(IdempotencyStoreTest, ForEachVisitsStoredRepliesButNotRequestsInProgress) {
  auto store = make_store();
  EXPECT_EQ(begin(store, "running"), BeginOutcome::kStarted);
  EXPECT_EQ(begin(store, "done"), BeginOutcome::kStarted);
  store.finish("done", 201, "body", R"("2")", kT0 + 1);
  EXPECT_EQ(store.restore("restored", 9, 400, "bad", "", kT0 + 2), RestoreResult::kApplied);
  std::vector<Recorded> seen;
  store.for_each([&](const IdempotencyRecord& r) {
    seen.push_back({std::string(r.key), r.fingerprint, r.status, std::string(r.body),
                    std::string(r.etag), r.created_at});
    return true;
  });
  ASSERT_EQ(seen.size(), 2u);
  std::sort(seen.begin(), seen.end(), [](auto& a, auto& b) { return a.key < b.key; });
  EXPECT_EQ(seen[0].key, "done");
  EXPECT_EQ(seen[0].fingerprint, kFingerprint);
  EXPECT_EQ(seen[0].etag, R"("2")");
  EXPECT_EQ(seen[0].created_at, kT0 + 1);
  EXPECT_EQ(seen[1].key, "restored");
  EXPECT_EQ(seen[1].status, 400u);
  int visited = 0;
  store.for_each([&](const IdempotencyRecord&) { return ++visited < 1; });
  EXPECT_EQ(visited, 1);
}

TEST(IdempotencyStoreTest, ManyThreadsWithOneKeyStartItExactlyOnce) {
  auto store = make_store();
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = "shared-" + std::to_string(round);
    std::atomic<int> started{0};
    std::atomic<int> replayed{0};
    std::barrier sync(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        sync.arrive_and_wait();
        // Each thread retries until it has a reply, as a client would.
        for (;;) {
          BeginResult r = store.begin(key, kFingerprint, kT0);
          if (r.outcome == BeginOutcome::kStarted) {
            started.fetch_add(1);
            store.finish(key, 201, key, "", kT0);
            return;
          }
          if (r.outcome == BeginOutcome::kReplay) {
            EXPECT_EQ(r.reply.body, key);
            replayed.fetch_add(1);
            return;
          }
          ASSERT_EQ(r.outcome, BeginOutcome::kInProgress);
          std::this_thread::yield();
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(started.load(), 1) << round;
    ASSERT_EQ(replayed.load(), kThreads - 1) << round;
  }
  EXPECT_EQ(store.size(), static_cast<std::size_t>(kRounds));
}

TEST(IdempotencyStoreTest, ConcurrentNewKeysNeverExceedTheBound) {
  constexpr std::size_t kMax = 100;
  auto store = make_store(kMax);
  constexpr int kThreads = 8;
  constexpr int kKeysPerThread = 50;
  std::atomic<int> started{0};
  std::atomic<int> full{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeysPerThread; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        switch (store.begin(key, kFingerprint, kT0).outcome) {
          case BeginOutcome::kStarted:
            started.fetch_add(1);
            store.finish(key, 201, "x", "", kT0);
            break;
          case BeginOutcome::kFull:
            full.fetch_add(1);
            break;
          default:
            ADD_FAILURE() << "unexpected outcome for a new key";
        }
        EXPECT_LE(store.size(), kMax);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(started.load(), static_cast<int>(kMax));
  EXPECT_EQ(full.load(), kThreads * kKeysPerThread - static_cast<int>(kMax));
  EXPECT_EQ(store.size(), kMax);
}

TEST(IdempotencyStoreTest, TheEngineConfiguresItsStoreAndGivesItItsSink) {
  EngineConfig config;
  config.workers = 1;
  config.idempotency_ttl = 90s;
  config.idempotency_max_keys = 3;
  Engine engine(config);
  EXPECT_EQ(engine.idempotency().config().ttl, 90s);
  EXPECT_EQ(engine.idempotency().config().max_keys, 3u);
  ReplySink sink;
  engine.set_event_sink(&sink);
  EXPECT_EQ(begin(engine.idempotency(), "k"), BeginOutcome::kStarted);
  EXPECT_EQ(engine.idempotency().finish("k", 201, "x", "", kT0), 101u);
  engine.set_event_sink(nullptr);
  EXPECT_EQ(begin(engine.idempotency(), "k2"), BeginOutcome::kStarted);
  EXPECT_EQ(engine.idempotency().finish("k2", 201, "x", "", kT0), 0u);
  EXPECT_EQ(sink.recorded.size(), 1u);
}

TEST(IdempotencyStoreTest, OutcomesHaveNames) {
  EXPECT_EQ(begin_outcome_name(BeginOutcome::kStarted), "started");
  EXPECT_EQ(begin_outcome_name(BeginOutcome::kReplay), "replay");
  EXPECT_EQ(begin_outcome_name(BeginOutcome::kMismatch), "mismatch");
  EXPECT_EQ(begin_outcome_name(BeginOutcome::kInProgress), "in_progress");
  EXPECT_EQ(begin_outcome_name(BeginOutcome::kFull), "full");
}

}  // namespace
}  // namespace orderd
