// The facade the server uses: open = recover + attach, acknowledgements,
// snapshots and their housekeeping, and what an I/O error does.
#include "persistence/durability.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

#include "persistence/data_files.h"
#include "tests/persistence/engine_fixture.h"
#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

using testing::FaultInjectionFileSystem;

struct DurabilityTest : ::testing::Test {
  DurabilityOptions options() {
    DurabilityOptions o;
    o.file_system = &fs;
    o.reporter = [](Severity, const std::string&) {};
    o.snapshot_interval = std::chrono::milliseconds(0);
    o.snapshot_journal_bytes = 0;
    return o;
  }
  // Opens `data` into a fresh engine; seeds the catalog on first use.
  void open(DurabilityOptions o) {
    engine = std::make_unique<Engine>(testing::small_engine_config());
    Status s = Durability::open(data, std::move(o), *engine, &durability);
    ASSERT_TRUE(s.ok()) << s.to_string();
    if (engine->catalog().size() == 0) testing::add_products(*engine);
    engine->start();
  }
  void open() { open(options()); }
  // The engine stops before durability goes away, as the server must do it.
  void TearDown() override {
    if (engine) engine->stop();
    durability.reset();
  }
  // A clean shutdown: the engine first, then durability.
  std::uint64_t shut_down() {
    EXPECT_TRUE(testing::wait_until_quiet(*engine));
    engine->stop();
    std::uint64_t digest = engine->state_digest();
    EXPECT_TRUE(durability->close().ok());
    durability.reset();
    return digest;
  }

  testing::TempDir dir;
  std::string data = dir.file("data");  // created by open()
  FaultInjectionFileSystem fs;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Durability> durability;
};

TEST_F(DurabilityTest, ReopeningRestoresTheSameStateFromSnapshotAndJournal) {
  open();
  testing::submit_orders(*engine, "a", 500, 1);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo info;
  ASSERT_TRUE(durability->snapshot_now(&info).ok());
  EXPECT_EQ(info.orders, 500u - 0u - static_cast<std::uint64_t>(engine->counters().refused_stock));
  testing::submit_orders(*engine, "b", 500, 2);
  const std::uint64_t live = shut_down();

  open();
  EXPECT_EQ(durability->recovery().snapshot_file, info.file);
  EXPECT_GT(durability->recovery().records_replayed, 0u);
  engine->stop();
  EXPECT_EQ(engine->state_digest(), live);
}

TEST_F(DurabilityTest, ManagedOrdersAndCustomersSurviveReopeningFromSnapshotAndJournal) {
  open();
  testing::add_sku_products(*engine);
  testing::run_managed_traffic(*engine, "a", 30);
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  SnapshotInfo info;
  ASSERT_TRUE(durability->snapshot_now(&info).ok());
  EXPECT_EQ(info.customers, 30u);
  testing::run_managed_traffic(*engine, "b", 30);
  const std::uint64_t live = shut_down();

  open();
  EXPECT_EQ(durability->recovery().snapshot_file, info.file);
  EXPECT_EQ(durability->recovery().snapshot_customers, 30u);
  EXPECT_GT(durability->recovery().records_replayed, 0u);
  engine->stop();
  EXPECT_EQ(engine->state_digest(), live);
  EXPECT_EQ(engine->customers().find_by_email("b5@example.com").value_or(CustomerInfo{}).name,
            "Ada Buyer 5");
}

TEST_F(DurabilityTest, AcknowledgementWaitsForTheAcceptanceRecord) {
  open();
  std::vector<ItemRequest> items = {{1, 1}};
  auto r = engine->submit({"ack", 1, items, 100});
  ASSERT_TRUE(r.ok());
  ASSERT_GT(r.durable_token, 0u);
  std::promise<Status> acked;
  durability->on_durable(r.durable_token, [&](const Status& s) { acked.set_value(s); });
  EXPECT_TRUE(acked.get_future().get().ok());
  EXPECT_GE(durability->durable_token(), r.durable_token);
  EXPECT_TRUE(durability->wait_durable(r.durable_token).ok());
  auto stats = durability->stats();
  EXPECT_GE(stats.journal.records, 1u);
  EXPECT_GE(stats.journal.fsyncs, 1u);
}

TEST_F(DurabilityTest, AsADurabilityWaiterItReportsErrorsAsText) {
  open();
  DurabilityWaiter& waiter = *durability;
  std::vector<ItemRequest> items = {{1, 1}};
  auto ok = engine->submit({"text-ok", 1, items, 100});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(wait_until_durable(waiter, ok.durable_token), "");
  EXPECT_EQ(waiter.sticky_error(), "");
  EXPECT_GE(waiter.last_token(), ok.durable_token);

  fs.set_sync_fault(EIO, "journal-");
  auto lost = engine->submit({"text-lost", 1, items, 100});
  ASSERT_TRUE(lost.ok());
  const std::string error = wait_until_durable(waiter, lost.durable_token);
  EXPECT_EQ(error, durability->wait_durable(lost.durable_token).to_string());
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(waiter.sticky_error(), durability->health().to_string());
  fs.clear_faults();
}

TEST_F(DurabilityTest, CatalogChangesAreDurableThroughTheLastToken) {
  open();
  ASSERT_EQ(engine->catalog().add(100, "new", 5, 7), AddProductResult::kAdded);
  ASSERT_EQ(engine->catalog().restock(100, 3), RestockResult::kRestocked);
  ASSERT_TRUE(durability->wait_durable(durability->last_token()).ok());
  shut_down();
  open();
  auto p = engine->catalog().get(100);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->initial, 7);
  EXPECT_EQ(p->restocked, 3);
  EXPECT_EQ(p->available, 10);
}

TEST_F(DurabilityTest, AcknowledgedOrdersSurviveLosingEverythingUnsynced) {
  open();
  constexpr int kThreads = 4;
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> power_lost{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<ItemRequest> items = {{1 + static_cast<ProductId>(t), 2}};
      for (int i = 0; !power_lost.load(); ++i) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = engine->submit({id, 1, items, 100});
        if (r.ok() && durability->wait_durable(r.durable_token).ok()) {
          std::lock_guard guard(mutex);
          acknowledged.insert(id);
        }
      }
    });
  }
  // The power goes out while the clients are busy: unsynced bytes are lost
  // and the dying process writes nothing more.
  auto enough_acknowledged = [&] {
    std::lock_guard guard(mutex);
    return acknowledged.size() >= 20;
  };
  // Checked after the clients are stopped, which must happen either way.
  const bool acknowledged_in_time =
      testing::wait_until(enough_acknowledged, std::chrono::seconds(60));
  fs.set_write_fault(FaultInjectionFileSystem::WriteFault::kError, EIO);
  fs.set_sync_fault(EIO);
  fs.drop_unsynced_data();
  power_lost.store(true);
  for (auto& t : threads) t.join();
  ASSERT_TRUE(acknowledged_in_time);
  engine->stop();
  (void)durability->close();
  durability.reset();
  fs.clear_faults();

  open();
  for (const auto& id : acknowledged) {
    auto order = engine->get(id);
    ASSERT_TRUE(order) << id << " was acknowledged and must survive";
    EXPECT_EQ(order->items.size(), 1u);
    EXPECT_EQ(order->items[0].quantity, 2u);
  }
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  for (ProductId id = 1; id <= testing::kProducts; ++id) {
    auto p = *engine->catalog().get(id);
    testing::expect_stock_invariant(p);
  }
}

struct FaultCase {
  const char* name;
  FaultInjectionFileSystem::WriteFault write_fault;
  int error_number;
  bool sync_fault;
};

class DurabilityFaultTest : public DurabilityTest,
                            public ::testing::WithParamInterface<FaultCase> {};

TEST_P(DurabilityFaultTest, AnIoErrorMakesTheEngineRefuseWritesButServeReads) {
  const FaultCase& c = GetParam();
  open();
  std::vector<ItemRequest> items = {{1, 1}};
  auto before = engine->submit({"before", 1, items, 100});
  ASSERT_TRUE(durability->wait_durable(before.durable_token).ok());

  if (c.sync_fault) {
    fs.set_sync_fault(c.error_number, "journal-");
  } else {
    fs.set_write_fault(c.write_fault, c.error_number, "journal-");
  }
  auto hit = engine->submit({"hit", 1, items, 100});
  ASSERT_TRUE(hit.ok()) << "accepted in memory before the failure is known";
  Status s = durability->wait_durable(hit.durable_token);
  EXPECT_TRUE(s.is_io_error()) << s.to_string();
  EXPECT_EQ(s.error_number(), c.error_number);

  fs.clear_faults();
  EXPECT_TRUE(engine->refusing_writes());
  auto after = engine->submit({"after", 1, items, 100});
  EXPECT_EQ(after.error, SubmitError::kUnavailable);
  EXPECT_NE(after.message.find("journal"), std::string::npos) << after.message;
  EXPECT_EQ(engine->cancel("before", "").error, CancelError::kUnavailable);
  EXPECT_FALSE(durability->health().ok());
  ASSERT_TRUE(engine->get("before")) << "reads keep working";
  EXPECT_FALSE(engine->get("after"));
  EXPECT_FALSE(durability->snapshot_now().ok()) << "no snapshot from a failed journal";
  engine->stop();
  EXPECT_FALSE(durability->close().ok());
  durability.reset();

  // After a restart the acknowledged order is there; the unacknowledged one
  // may or may not be, but the state is consistent.
  open();
  EXPECT_TRUE(engine->get("before"));
  EXPECT_FALSE(engine->refusing_writes());
  EXPECT_TRUE(engine->submit({"after", 1, items, 100}).ok());
}

INSTANTIATE_TEST_SUITE_P(
    Faults, DurabilityFaultTest,
    ::testing::Values(
        FaultCase{"FsyncError", FaultInjectionFileSystem::WriteFault::kNone, EIO, true},
        FaultCase{"ShortWrite", FaultInjectionFileSystem::WriteFault::kShortWriteThenError, ENOSPC,
                  false},
        FaultCase{"NoSpace", FaultInjectionFileSystem::WriteFault::kError, ENOSPC, false}),
    [](const ::testing::TestParamInfo<FaultCase>& info) { return info.param.name; });

TEST_F(DurabilityTest, PeriodicSnapshotsRemoveWhatTheyMakeObsolete) {
  DurabilityOptions o = options();
  o.segment_bytes = 8ull << 10;
  o.snapshot_journal_bytes = 32ull << 10;
  open(o);
  // Each round writes more journal than the trigger and waits for the
  // background thread to notice.
  for (int round = 0; round < 4; ++round) {
    const std::uint64_t before = durability->stats().snapshots_written;
    testing::submit_orders(*engine, "r" + std::to_string(round) + "-", 300, round);
    ASSERT_TRUE(testing::wait_until([&] { return durability->stats().snapshots_written != before; },
                                    std::chrono::seconds(60), std::chrono::milliseconds(5)))
        << "no periodic snapshot in round " << round;
  }
  ASSERT_TRUE(testing::wait_until_quiet(*engine));
  auto stats = durability->stats();
  EXPECT_GT(stats.segments_deleted, 0u);
  EXPECT_GT(stats.snapshots_deleted, 0u);
  const std::uint64_t live = shut_down();

  DataDirectoryListing listing;
  ASSERT_TRUE(list_data_files(fs, data, &listing).ok());
  ASSERT_EQ(listing.snapshots.size(), 2u) << "the newest and one fallback are kept";
  // The journal is kept from the fallback snapshot on: its first segment
  // starts at or before the fallback's replay position.
  EXPECT_LE(listing.journals.front().seq, listing.snapshots.front().seq);
  EXPECT_GT(listing.journals.front().seq, 1u);

  // Even with the newest snapshot damaged, the state comes back whole.
  std::string newest = join_path(data, listing.snapshots.back().name);
  std::filesystem::resize_file(newest, std::filesystem::file_size(newest) / 2);
  open(o);
  EXPECT_EQ(durability->recovery().snapshot_file, listing.snapshots.front().name);
  engine->stop();
  EXPECT_EQ(engine->state_digest(), live);
}

TEST_F(DurabilityTest, RequestedSnapshotRunsInTheBackground) {
  open();
  testing::submit_orders(*engine, "a", 100);
  std::promise<std::pair<Status, SnapshotInfo>> done;
  durability->request_snapshot([&](const Status& s, const SnapshotInfo& info) {
    done.set_value({s, info});
  });
  auto [status, info] = done.get_future().get();
  EXPECT_TRUE(status.ok()) << status.to_string();
  EXPECT_FALSE(info.file.empty());
  EXPECT_EQ(durability->stats().snapshots_written, 1u);
}

TEST_F(DurabilityTest, SnapshotOnCloseLeavesNothingToReplay) {
  DurabilityOptions o = options();
  o.snapshot_on_close = true;
  open(o);
  testing::submit_orders(*engine, "a", 300);
  const std::uint64_t live = shut_down();
  open(o);
  EXPECT_FALSE(durability->recovery().snapshot_file.empty());
  EXPECT_EQ(durability->recovery().records_replayed, 0u);
  engine->stop();
  EXPECT_EQ(engine->state_digest(), live);
}

TEST_F(DurabilityTest, ADataDirectoryServesOneProcessAtATime) {
  open();
  Engine second(testing::small_engine_config());
  std::unique_ptr<Durability> other;
  Status s = Durability::open(data, options(), second, &other);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("in use"), std::string::npos) << s.to_string();
}

TEST_F(DurabilityTest, OpenNeedsAnEmptyStoppedEngine) {
  Engine busy(testing::small_engine_config());
  busy.catalog().add(1, "p", 1, 1);
  std::unique_ptr<Durability> d;
  EXPECT_EQ(Durability::open(data, options(), busy, &d).code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(data));
}

}  // namespace
}  // namespace orderd::persistence
