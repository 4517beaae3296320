// Replies stored under idempotency keys survive a restart: journaled by the
// sink, copied into snapshots, put back by recovery unless expired.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <tuple>

#include "persistence/data_files.h"
#include "persistence/journal_format.h"
#include "persistence/journal_sink.h"
#include "persistence/record_codec.h"
#include "persistence/recovery.h"
#include "persistence/snapshot.h"
#include "tests/persistence/engine_fixture.h"
#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/journal_test_util.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

using format::RecordType;
using std::chrono::hours;
using std::chrono::minutes;

constexpr Micros kMinute = 60'000'000;

// A store's stored replies, key by key, for comparing two stores.
using Contents = std::map<std::string, std::tuple<std::uint64_t, unsigned, std::string, std::string,
                                                  Micros>>;  // fingerprint, status, body, etag, at

Contents contents_of(const IdempotencyStore& store) {
  Contents out;
  store.for_each([&](const IdempotencyRecord& r) {
    out[std::string(r.key)] = {r.fingerprint, r.status, std::string(r.body), std::string(r.etag),
                               r.created_at};
    return true;
  });
  return out;
}

EngineConfig config_with_ttl(std::chrono::microseconds ttl) {
  EngineConfig c = testing::small_engine_config();
  c.idempotency_ttl = ttl;
  return c;
}

// Stores a reply under `key` as the front end does, stamped `at`.
DurableToken store_reply(Engine& engine, const std::string& key, std::uint64_t fingerprint,
                         unsigned status, const std::string& body, const std::string& etag,
                         Micros at) {
  IdempotencyStore& store = engine.idempotency();
  EXPECT_EQ(store.begin(key, fingerprint, at).outcome, BeginOutcome::kStarted) << key;
  return store.finish(key, status, body, etag, at);
}

// Stores `count` replies named prefix<i>, a mix of statuses, bodies and tags.
void store_replies(Engine& engine, const std::string& prefix, int count, Micros at) {
  for (int i = 0; i < count; ++i) {
    const unsigned status = i % 3 == 0 ? 201 : i % 3 == 1 ? 200 : 409;
    const std::string body = R"({"order_id":")" + prefix + std::to_string(i) + R"("})";
    const std::string etag = i % 2 ? "\"" + std::to_string(i) + "\"" : "";
    EXPECT_NE(store_reply(engine, prefix + std::to_string(i), 1000 + i, status, body, etag, at),
              0u);
  }
}

// Every reply of `expected` replays from `engine` as it was stored.
void expect_replays(Engine& engine, const Contents& expected) {
  for (const auto& [key, reply] : expected) {
    const auto& [fingerprint, status, body, etag, at] = reply;
    BeginResult r = engine.idempotency().begin(key, fingerprint, wall_clock_micros());
    ASSERT_EQ(r.outcome, BeginOutcome::kReplay) << key;
    EXPECT_EQ(r.reply.status, status) << key;
    EXPECT_EQ(r.reply.body, body) << key;
    EXPECT_EQ(r.reply.etag, etag) << key;
    // And another request under the key is still refused.
    EXPECT_EQ(engine.idempotency().begin(key, fingerprint + 1, wall_clock_micros()).outcome,
              BeginOutcome::kMismatch)
        << key;
  }
}

struct IdempotencyRecoveryTest : ::testing::Test {
  void SetUp() override { fs.skip_real_syncs(true); }

  void open_journal() {
    ASSERT_TRUE(JournalWriter::open(fs, dir.path(), next_seq, {}, &journal).ok());
    sink = std::make_unique<JournalSink>(*journal);
  }
  void close_journal() {
    ASSERT_TRUE(journal->close().ok());
    next_seq = journal->next_seq();
  }

  // A live engine journaling into `dir`, with products and orders, left
  // stopped with its journal open.
  std::unique_ptr<Engine> run_engine(const EngineConfig& config) {
    open_journal();
    auto engine = std::make_unique<Engine>(config);
    engine->set_event_sink(sink.get());
    testing::add_products(*engine);
    engine->start();
    testing::submit_orders(*engine, "o", 200);
    EXPECT_TRUE(testing::wait_until_quiet(*engine));
    engine->stop();
    return engine;
  }

  std::unique_ptr<Engine> recover_fresh(const EngineConfig& config, RecoveryResult* result,
                                        Micros now = 0) {
    auto fresh = std::make_unique<Engine>(config);
    RecoveryOptions options;
    options.now = now;
    Status s = recover(fs, dir.path(), options, *fresh, result);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return fresh;
  }

  testing::TempDir dir;
  testing::FaultInjectionFileSystem fs;
  std::uint64_t next_seq = 1;
  std::unique_ptr<JournalWriter> journal;
  std::unique_ptr<JournalSink> sink;
};

TEST_F(IdempotencyRecoveryTest, TheSinkJournalsEveryStoredReplyAsStored) {
  auto engine = run_engine(testing::small_engine_config());
  const Micros at = wall_clock_micros();
  const DurableToken token = store_reply(*engine, "key-1", 42, 201, "{}", "\"1\"", at);
  ASSERT_TRUE(journal->wait_committed(token).ok());
  close_journal();
  auto records = testing::read_journal(dir.path());
  ASSERT_FALSE(records.empty());
  const auto& last = records.back();
  EXPECT_EQ(last.type, static_cast<std::uint8_t>(RecordType::kIdempotencyReply));
  EXPECT_EQ(last.seq, token);
  IdempotencyRecord r;
  ASSERT_TRUE(decode_idempotency_reply(last.payload, &r));
  EXPECT_EQ(r.key, "key-1");
  EXPECT_EQ(r.fingerprint, 42u);
  EXPECT_EQ(r.status, 201u);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(r.etag, "\"1\"");
  EXPECT_EQ(r.created_at, at);
}

TEST_F(IdempotencyRecoveryTest, RepliesRecoverFromTheJournalAlone) {
  auto engine = run_engine(testing::small_engine_config());
  store_replies(*engine, "k", 300, wall_clock_micros());
  const Contents live = contents_of(engine->idempotency());
  const std::uint64_t digest = engine->state_digest();
  close_journal();

  RecoveryResult result;
  auto recovered = recover_fresh(testing::small_engine_config(), &result);
  EXPECT_EQ(recovered->state_digest(), digest);
  EXPECT_EQ(contents_of(recovered->idempotency()), live);
  EXPECT_EQ(result.idempotency_restored, 300u);
  EXPECT_EQ(result.idempotency_expired, 0u);
  EXPECT_EQ(recovered->idempotency().size(), 300u);
  expect_replays(*recovered, live);
}

TEST_F(IdempotencyRecoveryTest, RepliesRecoverFromASnapshotWithoutTheSegmentsBeforeIt) {
  auto engine = run_engine(testing::small_engine_config());
  store_replies(*engine, "before", 100, wall_clock_micros());
  close_journal();
  // A new segment, then a snapshot whose replay position is that segment's
  // start: the first segment is then all before the snapshot.
  open_journal();
  engine->set_event_sink(sink.get());
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  EXPECT_EQ(info.idempotency_replies, 100u);
  store_replies(*engine, "after", 50, wall_clock_micros());
  const Contents live = contents_of(engine->idempotency());
  const std::uint64_t digest = engine->state_digest();
  close_journal();

  DataDirectoryListing listing;
  ASSERT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
  ASSERT_EQ(listing.journals.size(), 2u);
  ASSERT_EQ(listing.journals[1].seq, info.replay_from_seq);
  ASSERT_TRUE(fs.remove_file(dir.file(listing.journals[0].name)).ok());

  RecoveryResult result;
  auto recovered = recover_fresh(testing::small_engine_config(), &result);
  EXPECT_EQ(result.snapshot_file, info.file);
  EXPECT_EQ(recovered->state_digest(), digest);
  EXPECT_EQ(contents_of(recovered->idempotency()), live);
  EXPECT_EQ(result.idempotency_restored, 150u);
  expect_replays(*recovered, live);
}

TEST_F(IdempotencyRecoveryTest, RepliesStoredDuringAFuzzySnapshotAreRestoredOnceEach) {
  auto engine = run_engine(testing::small_engine_config());
  store_replies(*engine, "before", 500, wall_clock_micros());
  // Replies keep arriving while the snapshot copies the store: some are in
  // both the snapshot and the journal after its replay position.
  std::atomic<bool> go{false};
  std::thread traffic([&] {
    while (!go.load()) std::this_thread::yield();
    store_replies(*engine, "during", 3000, wall_clock_micros());
  });
  go = true;
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  traffic.join();
  const Contents live = contents_of(engine->idempotency());
  close_journal();

  RecoveryResult result;
  auto recovered = recover_fresh(testing::small_engine_config(), &result);
  EXPECT_EQ(result.snapshot_file, info.file);
  EXPECT_EQ(contents_of(recovered->idempotency()), live);
  EXPECT_EQ(result.idempotency_restored, live.size()) << "a reply in both counts once";
  EXPECT_EQ(recovered->idempotency().size(), live.size());
}

TEST_F(IdempotencyRecoveryTest, RepliesExpiredAtRecoveryAreLeftOutOfTheJournalReplay) {
  const EngineConfig config = config_with_ttl(hours(1));
  auto engine = run_engine(config);
  const Micros now = wall_clock_micros();
  store_replies(*engine, "fresh", 10, now - 10 * kMinute);
  store_replies(*engine, "old", 5, now - 50 * kMinute);
  // A key whose first reply expired and that was then used again: the
  // later reply is the one kept.
  store_reply(*engine, "reused", 1, 201, "first", "", now - 120 * kMinute);
  store_reply(*engine, "reused", 2, 200, "second", "", now - 5 * kMinute);
  close_journal();

  // Twenty minutes later, the "old" ones are past the hour.
  RecoveryResult result;
  auto recovered = recover_fresh(config, &result, now + 20 * kMinute);
  EXPECT_EQ(result.idempotency_restored, 11u);  // fresh, and reused's second reply
  EXPECT_EQ(result.idempotency_expired, 6u);    // old, and reused's first reply
  const Contents contents = contents_of(recovered->idempotency());
  EXPECT_EQ(contents.size(), 11u);
  EXPECT_FALSE(contents.contains("old0"));
  ASSERT_TRUE(contents.contains("reused"));
  EXPECT_EQ(std::get<2>(contents.at("reused")), "second");
  for (const auto& [key, reply] : contents)
    EXPECT_TRUE(key.starts_with("fresh") || key == "reused");
}

TEST_F(IdempotencyRecoveryTest, SnapshotsHoldOnlyUnexpiredRepliesAndLoadingLeavesOutExpiredOnes) {
  const EngineConfig config = config_with_ttl(hours(1));
  auto engine = run_engine(config);
  const Micros now = wall_clock_micros();
  store_replies(*engine, "fresh", 10, now - 10 * kMinute);
  store_replies(*engine, "ageing", 4, now - 50 * kMinute);
  store_replies(*engine, "expired", 3, now - 70 * kMinute);  // journaled, but expired already
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  EXPECT_EQ(info.idempotency_replies, 14u) << "the expired ones are not copied";
  SnapshotSummary summary;
  ASSERT_TRUE(verify_snapshot(testing::read_whole(dir.file(info.file)), &summary).ok());
  EXPECT_EQ(summary.idempotency_replies, 14u);
  close_journal();

  // From the snapshot alone, judged now: all 14 come back.
  {
    Engine loaded(config);
    SnapshotLoadResult r;
    ASSERT_TRUE(load_snapshot(testing::read_whole(dir.file(info.file)), loaded, now, &r).ok());
    EXPECT_EQ(r.idempotency_restored, 14u);
    EXPECT_EQ(r.idempotency_expired, 0u);
  }
  // Twenty minutes later, snapshot and journal together: "ageing" expired.
  RecoveryResult result;
  auto recovered = recover_fresh(config, &result, now + 20 * kMinute);
  const Contents contents = contents_of(recovered->idempotency());
  EXPECT_EQ(contents.size(), 10u);
  for (const auto& [key, reply] : contents) EXPECT_TRUE(key.starts_with("fresh")) << key;
}

TEST_F(IdempotencyRecoveryTest, UnknownSkippableRecordsAmongTheRepliesAreSkipped) {
  // What a version 3 reader without idempotency replies does with them: the
  // type carries the skippable bit, so such a reader's replay (here, the
  // generic path for skippable types) counts it as skipped and goes on.
  auto engine = run_engine(testing::small_engine_config());
  const std::uint64_t digest = engine->state_digest();
  journal->append(static_cast<RecordType>(format::kSkippableTypeBit | 0x7E), "from the future");
  store_replies(*engine, "k", 3, wall_clock_micros());
  close_journal();
  RecoveryResult result;
  auto recovered = recover_fresh(testing::small_engine_config(), &result);
  EXPECT_EQ(result.records_skipped, 1u);
  EXPECT_EQ(result.idempotency_restored, 3u);
  EXPECT_EQ(recovered->state_digest(), digest);
}

TEST_F(IdempotencyRecoveryTest, AMalformedReplyRecordStopsRecoveryNamingIt) {
  auto engine = run_engine(testing::small_engine_config());
  std::string payload;
  encode_idempotency_reply({"key", 1, 200, "{}", "", 5}, &payload);
  payload.push_back('x');  // a trailing byte: malformed, though its checksum is right
  journal->append(RecordType::kIdempotencyReply, payload);
  close_journal();
  Engine fresh(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover(fs, dir.path(), {}, fresh, &result);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.to_string().find("malformed idempotency reply"), std::string::npos) << s.to_string();
}

}  // namespace
}  // namespace orderd::persistence
