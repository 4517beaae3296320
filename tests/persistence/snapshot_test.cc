#include "persistence/snapshot.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

#include "persistence/data_files.h"
#include "persistence/journal_sink.h"
#include "persistence/recovery.h"
#include "tests/persistence/engine_fixture.h"
#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/journal_test_util.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

using testing::FaultInjectionFileSystem;

// A live engine journaling into a temporary directory.
struct SnapshotTest : ::testing::Test {
  void SetUp() override {
    ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
    sink = std::make_unique<JournalSink>(*journal);
    engine = std::make_unique<Engine>(testing::small_engine_config());
    engine->set_event_sink(sink.get());
    testing::add_products(*engine);
    engine->start();
  }
  void TearDown() override {
    if (engine) engine->stop();
  }
  // Stops the engine and the journal, as a shutdown would.
  void stop() {
    ASSERT_TRUE(testing::wait_until_quiet(*engine));
    engine->stop();
    ASSERT_TRUE(journal->close().ok());
  }
  std::unique_ptr<Engine> recover_fresh(RecoveryResult* result = nullptr) {
    auto fresh = std::make_unique<Engine>(testing::small_engine_config());
    RecoveryResult local;
    Status s = recover(fs, dir.path(), {}, *fresh, result ? result : &local);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return fresh;
  }
  std::string only_snapshot_path() {
    DataDirectoryListing listing;
    EXPECT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
    EXPECT_EQ(listing.snapshots.size(), 1u);
    return listing.snapshots.empty() ? "" : dir.file(listing.snapshots.back().name);
  }

  testing::TempDir dir;
  FaultInjectionFileSystem fs;
  std::unique_ptr<JournalWriter> journal;
  std::unique_ptr<JournalSink> sink;
  std::unique_ptr<Engine> engine;
};

TEST_F(SnapshotTest, SnapshotOfAQuietEngineLoadsToTheSameDigest) {
  testing::submit_orders(*engine, "o", 500);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  EXPECT_EQ(info.orders, static_cast<std::uint64_t>(engine->counters().accepted));
  EXPECT_EQ(info.products, testing::kProducts);
  EXPECT_EQ(info.file, snapshot_file_name(info.replay_from_seq));
  EXPECT_GE(info.captured_through_seq + 1, info.replay_from_seq);
  EXPECT_GE(journal->synced_seq(), info.captured_through_seq)
      << "a snapshot never gets ahead of the journal";

  std::string contents = testing::read_whole(dir.file(info.file));
  EXPECT_EQ(contents.size(), info.bytes);
  SnapshotSummary summary;
  ASSERT_TRUE(verify_snapshot(contents, &summary).ok());
  EXPECT_EQ(summary.orders, info.orders);
  EXPECT_EQ(summary.replay_from_seq, info.replay_from_seq);
  Engine loaded(testing::small_engine_config());
  ASSERT_TRUE(load_snapshot(contents, loaded).ok());
  EXPECT_EQ(loaded.state_digest(), engine->state_digest());
}

TEST_F(SnapshotTest, FuzzySnapshotUnderTrafficPlusReplayEqualsTheLiveState) {
  // Orders, cancellations and restocks keep flowing while the snapshot is
  // taken; replaying the journal from its position must land exactly on
  // the live state, restocks counted once.
  testing::submit_orders(*engine, "before", 2000, 1);
  std::atomic<bool> snapshot_done{false};
  std::atomic<int> rounds{0};
  std::thread traffic([&] {
    for (int round = 0; !snapshot_done.load() || round < 2; ++round) {
      testing::submit_orders(*engine, "during" + std::to_string(round) + "-", 200, 10 + round);
      rounds.store(round + 1);
    }
  });
  // The snapshot starts mid-traffic (and the traffic thread is joined either way).
  EXPECT_TRUE(testing::wait_until([&] { return rounds.load() >= 1; }));
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  snapshot_done.store(true);
  traffic.join();
  testing::submit_orders(*engine, "after", 500, 3);
  stop();
  const std::uint64_t live = engine->state_digest();

  RecoveryResult result;
  auto recovered = recover_fresh(&result);
  EXPECT_EQ(result.snapshot_file, info.file);
  EXPECT_EQ(result.replay_from_seq, info.replay_from_seq);
  EXPECT_GT(result.records_replayed, 0u);
  EXPECT_EQ(recovered->state_digest(), live);
  for (ProductId id = 1; id <= testing::kProducts; ++id) {
    EXPECT_EQ(recovered->catalog().get(id)->restocked, engine->catalog().get(id)->restocked);
  }
}

TEST_F(SnapshotTest, SnapshotAndReplayKeepTheLaterLifecycleAndReturnedStock) {
  testing::submit_orders(*engine, "o", 800);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  testing::move_completed_orders_on(*engine, "o", 400);
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  Engine loaded(testing::small_engine_config());
  ASSERT_TRUE(load_snapshot(testing::read_whole(dir.file(info.file)), loaded).ok());
  EXPECT_EQ(loaded.state_digest(), engine->state_digest()) << "the snapshot alone";

  testing::move_completed_orders_on(*engine, "o", 400, 400);  // replayed from the journal
  stop();
  auto recovered = recover_fresh();
  EXPECT_EQ(recovered->state_digest(), engine->state_digest());
  std::int64_t returned = 0;
  for (ProductId id = 1; id <= testing::kProducts; ++id) {
    const ProductInfo a = *recovered->catalog().get(id), b = *engine->catalog().get(id);
    EXPECT_EQ(a.returned, b.returned) << id;
    EXPECT_EQ(a.available, b.available) << id;
    testing::expect_stock_invariant(a);
    returned += a.returned;
  }
  EXPECT_GT(returned, 0);
}

TEST_F(SnapshotTest, ManagedOrdersCustomersAndSkusLoadFromASnapshotAlone) {
  testing::add_sku_products(*engine);
  testing::submit_orders(*engine, "o", 200);
  testing::run_managed_traffic(*engine, "m", 40);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  EXPECT_EQ(info.customers, 40u) << "registered customers only";
  EXPECT_EQ(info.products, testing::kProducts + testing::kSkuProducts);
  SnapshotSummary summary;
  const std::string contents = testing::read_whole(dir.file(info.file));
  ASSERT_TRUE(verify_snapshot(contents, &summary).ok());
  EXPECT_EQ(summary.customers, 40u);
  EXPECT_GT(engine->customers().size(), 40u) << "plain orders' user ids are implicit customers";

  Engine loaded(testing::small_engine_config());
  ASSERT_TRUE(load_snapshot(contents, loaded).ok());
  EXPECT_EQ(loaded.state_digest(), engine->state_digest());
  engine->for_each_order([&](const Order& o) {
    const OrderSnapshot live = o.snapshot();
    auto copy = loaded.get(live.client_id);
    EXPECT_TRUE(copy && copy->notes == live.notes && copy->details == live.details)
        << live.client_id;
    return true;
  });
  EXPECT_EQ(loaded.catalog().find_sku("sku-102").value_or(0), 102u);
}

TEST_F(SnapshotTest, ManagedTrafficDuringAFuzzySnapshotPlusReplayEqualsTheLiveState) {
  testing::add_sku_products(*engine);
  testing::run_managed_traffic(*engine, "before", 30);
  std::atomic<bool> snapshot_done{false};
  std::atomic<int> rounds{0};
  std::thread traffic([&] {
    for (int round = 0; !snapshot_done.load() || round < 2; ++round) {
      const std::string prefix = "during" + std::to_string(round) + "-";
      testing::submit_orders(*engine, prefix + "p", 100, 10 + round);
      testing::run_managed_traffic(*engine, prefix, 10);
      rounds.store(round + 1);
    }
  });
  EXPECT_TRUE(testing::wait_until([&] { return rounds.load() >= 1; }));
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  snapshot_done.store(true);
  traffic.join();
  testing::run_managed_traffic(*engine, "after", 20);
  testing::move_completed_orders_on(*engine, "before-plain", 30);
  stop();

  RecoveryResult result;
  auto recovered = recover_fresh(&result);
  EXPECT_EQ(result.snapshot_file, info.file);
  EXPECT_EQ(result.snapshot_customers, info.customers);
  EXPECT_GE(info.customers, 30u);
  EXPECT_GT(result.records_replayed, 0u);
  EXPECT_EQ(recovered->state_digest(), engine->state_digest());
  EXPECT_EQ(recovered->customers().list(0, 1 << 20), engine->customers().list(0, 1 << 20));
}

TEST_F(SnapshotTest, WriteRateCapStretchesTheSnapshot) {
  testing::submit_orders(*engine, "o", 300);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo info;
  SnapshotWriteOptions capped;
  capped.max_bytes_per_second = 200'000;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info, capped).ok());
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_GT(info.bytes, 20'000u);
  EXPECT_GE(elapsed, std::chrono::microseconds((info.bytes - 100) * 1'000'000 / 200'000));
}

TEST_F(SnapshotTest, EveryBitFlipInASnapshotIsDetected) {
  testing::submit_orders(*engine, "o", 3);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &info).ok());
  const std::string contents = testing::read_whole(dir.file(info.file));
  for (std::size_t bit = 0; bit < 8 * contents.size(); ++bit) {
    std::string damaged = contents;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    SnapshotSummary summary;
    EXPECT_FALSE(verify_snapshot(damaged, &summary).ok()) << "bit " << bit;
  }
  for (std::size_t size = 0; size < contents.size(); ++size) {
    SnapshotSummary summary;
    EXPECT_FALSE(verify_snapshot(contents.substr(0, size), &summary).ok()) << "size " << size;
  }
}

TEST_F(SnapshotTest, CrashMidSnapshotLeavesThePreviousSnapshotUsable) {
  testing::submit_orders(*engine, "first", 200, 1);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo first;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), *engine, *journal, &first).ok());

  testing::submit_orders(*engine, "second", 200, 2);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo failed;
  fs.set_write_fault(FaultInjectionFileSystem::WriteFault::kShortWriteThenError, ENOSPC,
                     "snapshot-");
  EXPECT_FALSE(write_snapshot(fs, dir.path(), *engine, *journal, &failed).ok());
  fs.clear_faults();
  fs.set_rename_fault(EIO);  // written and synced, but never published
  EXPECT_FALSE(write_snapshot(fs, dir.path(), *engine, *journal, &failed).ok());
  fs.clear_faults();
  EXPECT_EQ(only_snapshot_path(), dir.file(first.file)) << "failed snapshots leave nothing";

  // A crash after the temporary file was written leaves it behind.
  testing::write_whole(dir.file(snapshot_temp_file_name(journal->next_seq())), "half a snapshot");
  stop();
  RecoveryResult result;
  auto recovered = recover_fresh(&result);
  EXPECT_EQ(result.snapshot_file, first.file);
  EXPECT_EQ(recovered->state_digest(), engine->state_digest());
  DataDirectoryListing listing;
  ASSERT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
  EXPECT_TRUE(listing.temporaries.empty()) << "recovery removes unfinished snapshots";
}

}  // namespace
}  // namespace orderd::persistence
