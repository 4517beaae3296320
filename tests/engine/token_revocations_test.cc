#include "engine/token_revocations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace orderd {
namespace {

constexpr Micros kT0 = 1'700'000'000'000'000;  // an arbitrary wall clock reading
constexpr Micros kHour = 3'600'000'000;

TokenRevocations make_set(std::size_t max_entries = 1000, std::size_t shards = 16) {
  return TokenRevocations({.max_entries = max_entries, .shards = shards});
}

struct Recorded {
  std::string id;
  Micros expires_at;
};

// Keeps what token_revoked() reports, numbering the records from 101; the
// other hooks are not used by the set.
class RevocationSink final : public EventSink {
 public:
  DurableToken order_accepted(const Order&) override { return 0; }
  DurableToken order_status_changed(const Order&, OrderStatus, bool) override { return 0; }
  DurableToken order_updated(const Order&) override { return 0; }
  DurableToken customer_added(const CustomerInfo&) override { return 0; }
  DurableToken product_added(const ProductInfo&) override { return 0; }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return 0; }
  DurableToken token_revoked(std::string_view id, Micros expires_at) override {
    std::lock_guard guard(mutex);
    recorded.push_back({std::string(id), expires_at});
    return 100 + recorded.size();
  }
  std::mutex mutex;
  std::vector<Recorded> recorded;
};

TEST(TokenRevocationsTest, ARevokedIdIsRevokedAndOthersAreNot) {
  auto set = make_set();
  EXPECT_FALSE(set.revoked("jti-1"));
  RevokeResult r = set.revoke("jti-1", kT0 + kHour, kT0);
  EXPECT_EQ(r.outcome, RevokeOutcome::kRevoked);
  EXPECT_TRUE(r.newly_revoked());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(set.revoked("jti-1"));
  EXPECT_FALSE(set.revoked("jti-2"));
  EXPECT_FALSE(set.revoked("jti-"));
  EXPECT_FALSE(set.revoked("JTI-1")) << "ids are compared byte for byte";
  EXPECT_EQ(set.size(), 1u);
}

TEST(TokenRevocationsTest, RevokingAgainChangesNothingAndHandsBackTheFirstRecord) {
  auto set = make_set();
  RevocationSink sink;
  set.set_event_sink(&sink);
  const RevokeResult first = set.revoke("jti-1", kT0 + kHour, kT0);
  ASSERT_EQ(first.outcome, RevokeOutcome::kRevoked);
  EXPECT_EQ(first.durable_token, 101u);
  for (Micros expiry : {kT0 + kHour, kT0 + 10}) {  // the same expiry, or an earlier one
    const RevokeResult again = set.revoke("jti-1", expiry, kT0 + 5);
    EXPECT_EQ(again.outcome, RevokeOutcome::kAlreadyRevoked);
    EXPECT_FALSE(again.newly_revoked());
    EXPECT_TRUE(again.ok());
    EXPECT_EQ(again.durable_token, first.durable_token)
        << "an answer of 'revoked' waits for the record that revoked it";
  }
  ASSERT_EQ(sink.recorded.size(), 1u);
  EXPECT_EQ(sink.recorded[0].id, "jti-1");
  EXPECT_EQ(sink.recorded[0].expires_at, kT0 + kHour);
  EXPECT_EQ(set.size(), 1u);
}

TEST(TokenRevocationsTest, ALaterExpiryExtendsTheRevocationAndIsRecorded) {
  auto set = make_set(1000, 1);
  RevocationSink sink;
  set.set_event_sink(&sink);
  ASSERT_EQ(set.revoke("jti-1", kT0 + kHour, kT0).outcome, RevokeOutcome::kRevoked);
  const RevokeResult extended = set.revoke("jti-1", kT0 + 2 * kHour, kT0);
  EXPECT_EQ(extended.outcome, RevokeOutcome::kExtended);
  EXPECT_EQ(extended.durable_token, 102u);
  ASSERT_EQ(sink.recorded.size(), 2u);
  EXPECT_EQ(sink.recorded[1].expires_at, kT0 + 2 * kHour);
  EXPECT_EQ(set.revoke("jti-1", kT0 + kHour, kT0).durable_token, 102u)
      << "the record of the expiry now held";
  // Held past the first expiry: pruning goes by the later one.
  EXPECT_EQ(set.prune(kT0 + kHour + 1), 0u);
  EXPECT_TRUE(set.revoked("jti-1"));
  EXPECT_EQ(set.prune(kT0 + 2 * kHour + 1), 1u);
  EXPECT_FALSE(set.revoked("jti-1"));
}

TEST(TokenRevocationsTest, TheEpochMovesOnlyWhenAnIdIsNewlyHeld) {
  auto set = make_set(2);
  EXPECT_EQ(set.epoch(), 0u);
  ASSERT_EQ(set.revoke("a", kT0 + kHour, kT0).outcome, RevokeOutcome::kRevoked);
  EXPECT_EQ(set.epoch(), 1u);
  EXPECT_EQ(set.revoke("a", kT0 + kHour, kT0).outcome, RevokeOutcome::kAlreadyRevoked);
  EXPECT_EQ(set.revoke("a", kT0 + 2 * kHour, kT0).outcome, RevokeOutcome::kExtended);
  EXPECT_EQ(set.revoke("old", kT0 - 1, kT0).outcome, RevokeOutcome::kAlreadyExpired);
  EXPECT_EQ(set.revoke("", kT0 + kHour, kT0).outcome, RevokeOutcome::kInvalid);
  EXPECT_EQ(set.epoch(), 1u) << "no id became revoked that was not before";
  ASSERT_EQ(set.revoke("b", kT0 + kHour, kT0).outcome, RevokeOutcome::kRevoked);
  EXPECT_EQ(set.epoch(), 2u);
  EXPECT_EQ(set.revoke("c", kT0 + kHour, kT0).outcome, RevokeOutcome::kFull);
  EXPECT_EQ(set.epoch(), 2u);
  EXPECT_EQ(set.restore("d", kT0 + kHour), RestoreResult::kApplied);
  EXPECT_EQ(set.epoch(), 3u) << "a restored id is newly held too";
  EXPECT_EQ(set.restore("d", kT0 + kHour), RestoreResult::kAlreadyApplied);
  EXPECT_EQ(set.epoch(), 3u);
}

TEST(TokenRevocationsTest, ATokenPastItsExpiryIsNotHeld) {
  auto set = make_set();
  RevocationSink sink;
  set.set_event_sink(&sink);
  const RevokeResult r = set.revoke("jti-1", kT0 - 1, kT0);
  EXPECT_EQ(r.outcome, RevokeOutcome::kAlreadyExpired);
  EXPECT_TRUE(r.ok()) << "its token is refused anyway";
  EXPECT_FALSE(r.newly_revoked());
  EXPECT_EQ(r.durable_token, 0u);
  EXPECT_FALSE(set.revoked("jti-1"));
  EXPECT_TRUE(sink.recorded.empty());
  EXPECT_EQ(set.revoke("jti-2", kT0, kT0).outcome, RevokeOutcome::kRevoked)
      << "expiring now is not expired yet";
}

TEST(TokenRevocationsTest, OnlyOneToAHundredTwentyEightPrintableAsciiBytesAreIds) {
  auto set = make_set();
  const std::string longest(kMaxTokenIdBytes, 'x');
  for (const std::string& id : {longest, std::string(" "), std::string("~"),
                                std::string("a b!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}")}) {
    EXPECT_TRUE(valid_token_id(id)) << id;
    EXPECT_EQ(set.revoke(id, kT0 + kHour, kT0).outcome, RevokeOutcome::kRevoked) << id;
  }
  for (const std::string& id :
       {std::string(), longest + "x", std::string("a\nb"), std::string("tab\t"),
        std::string("del\x7f"), std::string("nul\0", 4), std::string("caf\xc3\xa9")}) {
    EXPECT_FALSE(valid_token_id(id)) << id;
    EXPECT_EQ(set.revoke(id, kT0 + kHour, kT0).outcome, RevokeOutcome::kInvalid) << id;
    EXPECT_EQ(set.restore(id, kT0 + kHour), RestoreResult::kInvalid) << id;
  }
  EXPECT_EQ(set.revoke("jti", 0, -5).outcome, RevokeOutcome::kInvalid) << "no expiry";
  EXPECT_EQ(set.restore("jti", -1), RestoreResult::kInvalid);
  EXPECT_EQ(set.size(), 4u);
  EXPECT_FALSE((RevokeResult{RevokeOutcome::kInvalid, 0}.ok()));
}

TEST(TokenRevocationsTest, RevocationsPruneExpiredIdsOfTheirShard) {
  auto set = make_set(1000, 1);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(set.revoke("early-" + std::to_string(i), kT0 + i, kT0).newly_revoked());
  }
  ASSERT_EQ(set.size(), 20u);
  // Each later revocation removes a few of the expired ones, soonest first,
  // more than it adds: the set shrinks back to its live ids.
  const Micros later = kT0 + kHour;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(set.revoke("late-" + std::to_string(i), later + kHour, later).newly_revoked());
  }
  EXPECT_EQ(set.size(), 10u);
  EXPECT_FALSE(set.revoked("early-19"));
  EXPECT_TRUE(set.revoked("late-0"));
}

TEST(TokenRevocationsTest, PruneRemovesExactlyTheIdsExpiredBeforeNow) {
  auto set = make_set();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(set.revoke("id-" + std::to_string(i), kT0 + i, kT0).newly_revoked());
  }
  EXPECT_EQ(set.prune(kT0 + 50), 50u) << "ids 0 to 49";
  EXPECT_EQ(set.size(), 50u);
  EXPECT_FALSE(set.revoked("id-49"));
  EXPECT_TRUE(set.revoked("id-50")) << "expires at now: not expired yet";
  EXPECT_EQ(set.prune(kT0 + 50), 0u);
  EXPECT_EQ(set.prune(kT0 + 1000), 50u);
  EXPECT_EQ(set.size(), 0u);
}

TEST(TokenRevocationsTest, AFullSetRefusesNewIdsUntilSomeExpire) {
  auto set = make_set(3);
  RevocationSink sink;
  set.set_event_sink(&sink);
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_EQ(set.revoke(id, kT0 + kHour, kT0).outcome, RevokeOutcome::kRevoked) << id;
  }
  const RevokeResult refused = set.revoke("d", kT0 + 2 * kHour, kT0);
  EXPECT_EQ(refused.outcome, RevokeOutcome::kFull);
  EXPECT_FALSE(refused.ok()) << "a refusal the caller must report";
  EXPECT_FALSE(set.revoked("d"));
  EXPECT_EQ(sink.recorded.size(), 3u) << "nothing recorded for a refusal";
  EXPECT_EQ(set.revoke("a", kT0 + 3 * kHour, kT0).outcome, RevokeOutcome::kExtended)
      << "a held id may still be extended";
  // Once "b" and "c" expired, there is room for "d" again.
  EXPECT_EQ(set.revoke("d", kT0 + 2 * kHour, kT0 + kHour + 1).outcome, RevokeOutcome::kRevoked);
  EXPECT_TRUE(set.revoked("a"));
  EXPECT_TRUE(set.revoked("d"));
  set.prune(kT0 + kHour + 1);
  EXPECT_EQ(set.size(), 2u);
}

// With one id allowed, each revocation finds the set full of the previous
// one, expired by then, and nearly always in another shard: only pruning
// every shard makes room.
TEST(TokenRevocationsTest, AFullSetPrunesEveryShardBeforeItRefuses) {
  auto set = make_set(1, 16);
  for (int i = 0; i < 32; ++i) {
    const Micros now = kT0 + Micros{10} * i;
    EXPECT_EQ(set.revoke("id-" + std::to_string(i), now + 1, now).outcome, RevokeOutcome::kRevoked)
        << i;
    EXPECT_EQ(set.size(), 1u) << i;
  }
}

TEST(TokenRevocationsTest, RestoreBypassesTheSinkAndTheBoundAndKeepsTheLatestExpiry) {
  auto set = make_set(1);
  RevocationSink sink;
  set.set_event_sink(&sink);
  EXPECT_EQ(set.restore("a", kT0 + kHour), RestoreResult::kApplied);
  EXPECT_EQ(set.restore("b", kT0 + kHour), RestoreResult::kApplied) << "past max_entries";
  EXPECT_EQ(set.restore("a", kT0 + 2 * kHour), RestoreResult::kApplied);
  EXPECT_EQ(set.restore("a", kT0 + kHour), RestoreResult::kAlreadyApplied)
      << "an older record replayed after a newer one changes nothing";
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.revoked("a"));
  EXPECT_TRUE(set.revoked("b"));
  EXPECT_TRUE(sink.recorded.empty());
  const RevokeResult again = set.revoke("a", kT0 + kHour, kT0);
  EXPECT_EQ(again.outcome, RevokeOutcome::kAlreadyRevoked);
  EXPECT_EQ(again.durable_token, 0u) << "restored: durable already";
  EXPECT_EQ(set.revoke("c", kT0 + kHour, kT0).outcome, RevokeOutcome::kFull);
}

TEST(TokenRevocationsTest, ForEachVisitsTheIdsLiveAtNowWithTheirExpiry) {
  auto set = make_set();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(set.revoke("id-" + std::to_string(i), kT0 + i, kT0).newly_revoked());
  }
  std::map<std::string, Micros> seen;
  set.for_each(kT0 + 40, [&](const RevokedToken& t) {
    seen[std::string(t.id)] = t.expires_at;
    return true;
  });
  ASSERT_EQ(seen.size(), 10u) << "ids 40 to 49";
  EXPECT_EQ(seen["id-40"], kT0 + 40);
  EXPECT_EQ(seen["id-49"], kT0 + 49);
  EXPECT_EQ(set.size(), 50u) << "visiting removes nothing";
  int visited = 0;
  set.for_each(kT0, [&](const RevokedToken&) { return ++visited < 3; });
  EXPECT_EQ(visited, 3) << "fn stops the visit";
}

TEST(TokenRevocationsTest, OutcomesHaveNames) {
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kRevoked), "revoked");
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kExtended), "extended");
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kAlreadyRevoked), "already_revoked");
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kAlreadyExpired), "already_expired");
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kInvalid), "invalid");
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kFull), "full");
  EXPECT_EQ(revoke_outcome_name(RevokeOutcome::kUnavailable), "unavailable");
}

// Writers revoke ids, two writers each id, while readers check them the way
// a request path does, caching "not revoked" answers by epoch. Once a
// revoke() has returned, a reader that sees it returned must see the id
// revoked, cached answer or not; each id is newly revoked and recorded once.
TEST(TokenRevocationsTest, ConcurrentRevocationsAndLookupsAgree) {
  constexpr int kWriters = 4, kReaders = 3;
  constexpr int kPerWriter = 1000 / (ORDERD_TEST_SCALE_DIVISOR > 1 ? 4 : 1);
  auto set = make_set(1'000'000, 4);
  RevocationSink sink;
  set.set_event_sink(&sink);
  // Writers 2k and 2k + 1 revoke the same ids, jti-<k>-<i>, in the same order.
  auto id_of = [](int writer, int i) {
    return "jti-" + std::to_string(writer / 2) + "-" + std::to_string(i);
  };
  std::atomic<int> done[kWriters] = {};  // per writer: its ids below this are revoked
  std::atomic<int> newly{0};
  std::atomic<bool> stop{false};
  std::mutex tokens_mutex;
  std::map<std::string, std::set<DurableToken>> tokens;
  std::vector<std::thread> writers, readers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string id = id_of(w, i);
        const RevokeResult r = set.revoke(id, kT0 + kHour, kT0);
        EXPECT_TRUE(r.outcome == RevokeOutcome::kRevoked ||
                    r.outcome == RevokeOutcome::kAlreadyRevoked);
        if (r.newly_revoked()) newly.fetch_add(1);
        {
          std::lock_guard guard(tokens_mutex);
          tokens[id].insert(r.durable_token);
        }
        done[w].store(i + 1, std::memory_order_release);
      }
    });
  }
  std::atomic<int> missed{0};
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      std::map<std::string, std::uint64_t> not_revoked_at;  // the cache: id -> epoch
      std::uint64_t last_epoch = 0;
      for (unsigned round = 0; !stop.load(); ++round, std::this_thread::yield()) {
        const int w = static_cast<int>((round + static_cast<unsigned>(r)) % kWriters);
        const int upto = done[w].load(std::memory_order_acquire);
        const std::uint64_t epoch = set.epoch();
        EXPECT_GE(epoch, last_epoch) << "the epoch never moves back";
        last_epoch = epoch;
        // The last id the writer finished, and the next, which may be racing.
        for (int i : {upto - 1, upto}) {
          if (i < 0 || i >= kPerWriter) continue;
          const std::string id = id_of(w, i);
          auto cached = not_revoked_at.find(id);
          bool is_revoked = false;
          if (cached == not_revoked_at.end() || cached->second != epoch) {
            is_revoked = set.revoked(id);
            if (!is_revoked) not_revoked_at[id] = epoch;
          }
          if (i < upto && !is_revoked) missed.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop.store(true);
  for (auto& t : readers) t.join();

  constexpr int kIds = kWriters / 2 * kPerWriter;
  EXPECT_EQ(missed.load(), 0) << "a revocation that had returned was not seen";
  EXPECT_EQ(newly.load(), kIds) << "each id newly revoked once";
  EXPECT_EQ(set.epoch(), static_cast<std::uint64_t>(kIds));
  EXPECT_EQ(set.size(), static_cast<std::size_t>(kIds));
  EXPECT_EQ(sink.recorded.size(), static_cast<std::size_t>(kIds)) << "one record per id";
  ASSERT_EQ(tokens.size(), static_cast<std::size_t>(kIds));
  for (const auto& [id, seen] : tokens) {
    EXPECT_EQ(seen.size(), 1u) << "both writers' calls name the one record of " << id;
    EXPECT_TRUE(set.revoked(id)) << id;
  }
}

}  // namespace
}  // namespace orderd
