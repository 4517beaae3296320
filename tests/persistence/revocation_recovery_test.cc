// Revoked tokens survive a restart: journaled by the sink, copied into
// snapshots, put back by recovery unless their tokens have expired.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>

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

constexpr Micros kMinute = 60'000'000;
constexpr Micros kHour = 60 * kMinute;

// The ids a set holds live at `now`, with their expiry, for comparing two sets.
using Contents = std::map<std::string, Micros>;

Contents contents_of(const TokenRevocations& set, Micros now) {
  Contents out;
  set.for_each(now, [&](const RevokedToken& t) {
    out[std::string(t.id)] = t.expires_at;
    return true;
  });
  return out;
}

// Revokes `count` tokens named prefix<i>, expiring one minute apart from `first_expiry`.
void revoke_tokens(Engine& engine, const std::string& prefix, int count, Micros first_expiry) {
  for (int i = 0; i < count; ++i) {
    const RevokeResult r =
        engine.revoke_token(prefix + std::to_string(i), first_expiry + i * kMinute);
    EXPECT_TRUE(r.newly_revoked()) << prefix << i << ": " << revoke_outcome_name(r.outcome);
    EXPECT_NE(r.durable_token, 0u);
  }
}

struct RevocationRecoveryTest : ::testing::Test {
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
  std::unique_ptr<Engine> run_engine() {
    open_journal();
    auto engine = std::make_unique<Engine>(testing::small_engine_config());
    engine->set_event_sink(sink.get());
    testing::add_products(*engine);
    engine->start();
    testing::submit_orders(*engine, "o", 200);
    EXPECT_TRUE(testing::wait_until_quiet(*engine));
    engine->stop();
    return engine;
  }

  std::unique_ptr<Engine> recover_fresh(RecoveryResult* result, Micros now = 0) {
    auto fresh = std::make_unique<Engine>(testing::small_engine_config());
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

TEST_F(RevocationRecoveryTest, TheSinkJournalsEachRevocationOnceAndEachExtension) {
  auto engine = run_engine();
  const Micros expires_at = wall_clock_micros() + kHour;
  const RevokeResult first = engine->revoke_token("jti-1", expires_at);
  ASSERT_TRUE(first.newly_revoked());
  EXPECT_EQ(engine->revoke_token("jti-1", expires_at).durable_token, first.durable_token);
  const RevokeResult extended = engine->revoke_token("jti-1", expires_at + kHour);
  ASSERT_EQ(extended.outcome, RevokeOutcome::kExtended);
  ASSERT_TRUE(journal->wait_committed(extended.durable_token).ok());
  close_journal();

  std::vector<testing::ReadRecord> revocations;
  for (auto& r : testing::read_journal(dir.path())) {
    if (r.type == static_cast<std::uint8_t>(RecordType::kTokenRevoked)) revocations.push_back(r);
  }
  ASSERT_EQ(revocations.size(), 2u) << "the repeat is not journaled";
  EXPECT_EQ(revocations[0].seq, first.durable_token);
  EXPECT_EQ(revocations[1].seq, extended.durable_token);
  RevokedToken t;
  ASSERT_TRUE(decode_revocation(revocations[0].payload, &t));
  EXPECT_EQ(t.id, "jti-1");
  EXPECT_EQ(t.expires_at, expires_at);
  ASSERT_TRUE(decode_revocation(revocations[1].payload, &t));
  EXPECT_EQ(t.expires_at, expires_at + kHour);
}

TEST_F(RevocationRecoveryTest, RevocationsRecoverFromTheJournalAloneToTheLiveState) {
  auto engine = run_engine();
  const Micros now = wall_clock_micros();
  revoke_tokens(*engine, "jti-", 300, now + kHour);
  ASSERT_EQ(engine->revoke_token("jti-7", now + 24 * kHour).outcome, RevokeOutcome::kExtended);
  const Contents live = contents_of(engine->revocations(), now);
  const std::uint64_t digest = engine->state_digest(now);
  close_journal();

  RecoveryResult result;
  auto recovered = recover_fresh(&result, now);
  EXPECT_EQ(contents_of(recovered->revocations(), now), live);
  EXPECT_EQ(contents_of(recovered->revocations(), now)["jti-7"], now + 24 * kHour);
  EXPECT_EQ(recovered->state_digest(now), digest);
  EXPECT_EQ(result.revocations_restored, 301u) << "300 revocations and one extension";
  EXPECT_EQ(result.revocations_expired, 0u);
  EXPECT_EQ(recovered->revocations().size(), 300u);
  EXPECT_TRUE(recovered->revocations().revoked("jti-299"));
  EXPECT_GT(recovered->revocations().epoch(), 0u)
      << "a cache taken before the restart cannot outlive it unnoticed";
}

TEST_F(RevocationRecoveryTest, RevocationsRecoverFromASnapshotWithoutTheSegmentsBeforeIt) {
  auto engine = run_engine();
  const Micros now = wall_clock_micros();
  revoke_tokens(*engine, "before-", 100, now + kHour);
  close_journal();
  // A new segment, then a snapshot whose replay position is that segment's
  // start: the first segment is then all before the snapshot.
  open_journal();
  engine->set_event_sink(sink.get());
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  EXPECT_EQ(info.revocations, 100u);
  revoke_tokens(*engine, "after-", 50, now + kHour);
  // Extended after the snapshot: the journal's later expiry wins.
  ASSERT_EQ(engine->revoke_token("before-3", now + 5 * kHour).outcome, RevokeOutcome::kExtended);
  const Contents live = contents_of(engine->revocations(), now);
  const std::uint64_t digest = engine->state_digest(now);
  close_journal();

  DataDirectoryListing listing;
  ASSERT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
  ASSERT_EQ(listing.journals.size(), 2u);
  ASSERT_EQ(listing.journals[1].seq, info.replay_from_seq);
  ASSERT_TRUE(fs.remove_file(dir.file(listing.journals[0].name)).ok());

  RecoveryResult result;
  auto recovered = recover_fresh(&result, now);
  EXPECT_EQ(result.snapshot_file, info.file);
  EXPECT_EQ(contents_of(recovered->revocations(), now), live);
  EXPECT_EQ(recovered->state_digest(now), digest);
  EXPECT_EQ(result.revocations_restored, 151u)
      << "100 from the snapshot, 50 and one extension after";
}

TEST_F(RevocationRecoveryTest, RevocationsDuringAFuzzySnapshotAreRestoredToTheLiveState) {
  auto engine = run_engine();
  const Micros now = wall_clock_micros();
  revoke_tokens(*engine, "before-", 500, now + kHour);
  // Revocations keep arriving while the snapshot copies the set: some are
  // in both the snapshot and the journal after its replay position.
  std::atomic<bool> go{false};
  std::thread traffic([&] {
    while (!go.load()) std::this_thread::yield();
    revoke_tokens(*engine, "during-", 3000, now + kHour);
  });
  go = true;
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  traffic.join();
  const Contents live = contents_of(engine->revocations(), now);
  const std::uint64_t digest = engine->state_digest(now);
  close_journal();

  RecoveryResult result;
  auto recovered = recover_fresh(&result, now);
  EXPECT_EQ(result.snapshot_file, info.file);
  EXPECT_GE(info.revocations, 500u);
  EXPECT_EQ(contents_of(recovered->revocations(), now), live);
  EXPECT_EQ(recovered->state_digest(now), digest);
  EXPECT_EQ(result.revocations_restored, live.size()) << "an id in both counts once";
}

TEST_F(RevocationRecoveryTest, RevocationsWhoseTokensExpiredAreLeftOutOfTheJournalReplay) {
  auto engine = run_engine();
  const Micros now = wall_clock_micros();
  revoke_tokens(*engine, "short-", 5, now + kMinute);    // expire within five minutes
  revoke_tokens(*engine, "long-", 10, now + 2 * kHour);  // outlive the restart
  close_journal();

  // An hour later, the short ones' tokens are refused by their expiry anyway.
  RecoveryResult result;
  auto recovered = recover_fresh(&result, now + kHour);
  EXPECT_EQ(result.revocations_restored, 10u);
  EXPECT_EQ(result.revocations_expired, 5u);
  EXPECT_EQ(recovered->revocations().size(), 10u);
  EXPECT_FALSE(recovered->revocations().revoked("short-0"));
  EXPECT_TRUE(recovered->revocations().revoked("long-9"));
}

TEST_F(RevocationRecoveryTest, SnapshotsHoldOnlyLiveRevocationsAndLoadingLeavesOutExpiredOnes) {
  auto engine = run_engine();
  const Micros now = wall_clock_micros();
  // Expiring within a fifth of a second: expired by the time the snapshot copies them.
  constexpr Micros kFleeting = 200'000;
  for (const char* id : {"fleeting-0", "fleeting-1", "fleeting-2"}) {
    ASSERT_TRUE(engine->revoke_token(id, now + kFleeting).newly_revoked()) << id;
  }
  revoke_tokens(*engine, "ageing-", 4, now + 30 * kMinute);
  revoke_tokens(*engine, "long-", 10, now + 2 * kHour);
  ASSERT_TRUE(testing::wait_until([&] { return wall_clock_micros() > now + kFleeting + 2'000; }));
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  EXPECT_EQ(info.revocations, 14u) << "the expired ones are not copied";
  const std::string contents = testing::read_whole(dir.file(info.file));
  SnapshotSummary summary;
  ASSERT_TRUE(verify_snapshot(contents, &summary).ok());
  EXPECT_EQ(summary.revocations, 14u);
  EXPECT_EQ(engine->revocations().size(), 17u) << "a snapshot prunes nothing in the live set";
  close_journal();

  // From the snapshot alone, judged now: all 14 come back.
  {
    Engine loaded(testing::small_engine_config());
    SnapshotLoadResult r;
    ASSERT_TRUE(load_snapshot(contents, loaded, wall_clock_micros(), &r).ok());
    EXPECT_EQ(r.revocations_restored, 14u);
    EXPECT_EQ(r.revocations_expired, 0u);
  }
  // An hour later, snapshot and journal together: the "ageing" ones expired too.
  RecoveryResult result;
  auto recovered = recover_fresh(&result, now + kHour);
  EXPECT_EQ(contents_of(recovered->revocations(), now + kHour).size(), 10u);
  EXPECT_EQ(recovered->revocations().size(), 10u);
  EXPECT_EQ(result.revocations_expired, 4u)
      << "the snapshot's; the journal before it is not replayed";
}

TEST_F(RevocationRecoveryTest, AMalformedRevocationRecordStopsRecoveryNamingIt) {
  auto engine = run_engine();
  std::string payload;
  encode_revocation({"jti-1", wall_clock_micros() + kHour}, &payload);
  payload.push_back('x');  // a trailing byte: malformed, though its checksum is right
  journal->append(RecordType::kTokenRevoked, payload);
  close_journal();
  Engine fresh(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover(fs, dir.path(), {}, fresh, &result);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.to_string().find("malformed token revoked record"), std::string::npos)
      << s.to_string();
}

// The end record counts the revocations, so a snapshot that lost one (a
// writer bug, a damaged copy with a valid checksum) is refused, not loaded
// with a revoked token let in again.
TEST_F(RevocationRecoveryTest, ASnapshotWhoseEndRecordCountsOtherRevocationsIsRefused) {
  for (std::uint64_t counted : {0u, 2u}) {
    std::string file(format::kFileHeaderSize, '\0');
    format::encode_file_header({format::FileKind::kSnapshot, format::kFormatVersion, 1},
                               file.data());
    std::string payload;
    encode_snapshot_begin({1, wall_clock_micros()}, &payload);
    format::append_record(&file, RecordType::kSnapshotBegin, 1, payload);
    payload.clear();
    encode_revocation({"jti-1", wall_clock_micros() + kHour}, &payload);
    format::append_record(&file, RecordType::kSnapshotTokenRevocation, 2, payload);
    payload.clear();
    encode_snapshot_end({0, 0, 0, 0, counted}, &payload);
    format::append_record(&file, RecordType::kSnapshotEnd, 3, payload);
    SnapshotSummary summary;
    Status s = verify_snapshot(file, &summary);
    EXPECT_FALSE(s.ok()) << counted;
    EXPECT_NE(s.to_string().find("end record does not match"), std::string::npos) << s.to_string();
  }
}

}  // namespace
}  // namespace orderd::persistence
