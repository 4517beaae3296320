#include "persistence/journal_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <thread>

#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/journal_test_util.h"
#include "tests/persistence/temp_dir.h"
#include "tests/support/wait_until.h"

namespace orderd::persistence {
namespace {

using format::RecordType;
using orderd::testing::wait_until;
using testing::FaultInjectionFileSystem;

struct JournalWriterTest : ::testing::Test {
  std::unique_ptr<JournalWriter> open(JournalWriterOptions options = {},
                                      std::uint64_t next_seq = 1) {
    std::unique_ptr<JournalWriter> w;
    Status s = JournalWriter::open(fs, dir.path(), next_seq, options, &w);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return w;
  }
  testing::TempDir dir;
  FaultInjectionFileSystem fs;
};

TEST_F(JournalWriterTest, AppendsFromManyThreadsAreNumberedAndWrittenInOrder) {
  auto journal = open();
  constexpr int kThreads = 4, kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::uint64_t previous = 0;
      for (int i = 0; i < kPerThread; ++i) {
        std::uint64_t seq = journal->append(RecordType::kOrderAccepted,
                                            std::to_string(t) + ":" + std::to_string(i));
        EXPECT_GT(seq, previous);
        previous = seq;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(journal->close().ok());

  auto records = testing::read_journal(dir.path());
  ASSERT_EQ(records.size(), std::size_t{kThreads} * kPerThread);
  std::map<int, int> next_of_thread;
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].seq, i + 1);
    auto colon = records[i].payload.find(':');
    int t = std::stoi(records[i].payload.substr(0, colon));
    int n = std::stoi(records[i].payload.substr(colon + 1));
    EXPECT_EQ(n, next_of_thread[t]++) << "one thread's records keep their order";
  }
}

TEST_F(JournalWriterTest, GroupCommitSyncsOncePerBatchNotPerRecord) {
  auto journal = open();
  constexpr int kThreads = 8, kPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        std::uint64_t seq = journal->append(RecordType::kOrderAccepted, "record");
        if (i % 50 == 49) {
          ASSERT_TRUE(journal->wait_committed(seq).ok());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(journal->wait_committed(std::uint64_t{kThreads} * kPerThread).ok());
  JournalStats stats = journal->stats();
  EXPECT_EQ(stats.records, std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(stats.synced_seq, stats.records) << "always: committed means synced";
  EXPECT_LT(stats.fsyncs, stats.records);
  EXPECT_GT(stats.records_per_fsync(), 1.0);
  EXPECT_EQ(stats.fsyncs, stats.fsync_micros.count);
  EXPECT_EQ(stats.records_per_batch.sum, stats.records);
}

TEST_F(JournalWriterTest, CompletionRunsOnceTheRecordIsDurable) {
  auto journal = open();
  std::atomic<int> calls{0};
  Status seen = Status::corruption("not called");
  std::mutex mutex;
  std::uint64_t seq = journal->append(RecordType::kOrderAccepted, "x");
  journal->on_committed(seq, [&](const Status& s) {
    std::lock_guard guard(mutex);
    seen = s;
    EXPECT_GE(journal->synced_seq(), seq);
    calls.fetch_add(1);
  });
  ASSERT_TRUE(journal->wait_committed(seq).ok());
  ASSERT_TRUE(journal->close().ok());
  EXPECT_EQ(calls.load(), 1);
  std::lock_guard guard(mutex);
  EXPECT_TRUE(seen.ok());
}

TEST_F(JournalWriterTest, TokenZeroAndCommittedRecordsCompleteAtOnce) {
  auto journal = open();
  bool called = false;
  journal->on_committed(0, [&](const Status& s) {
    called = true;
    EXPECT_TRUE(s.ok());
  });
  EXPECT_TRUE(called);
  std::uint64_t seq = journal->append(RecordType::kOrderAccepted, "x");
  ASSERT_TRUE(journal->wait_committed(seq).ok());
  called = false;
  journal->on_committed(seq, [&](const Status&) { called = true; });
  EXPECT_TRUE(called) << "already committed: runs on the calling thread";
}

TEST_F(JournalWriterTest, NeverPolicyAcknowledgesWithoutSyncing) {
  JournalWriterOptions options;
  options.fsync = FsyncPolicy::never();
  auto journal = open(options);
  const std::uint64_t syncs_at_open = fs.syncs();
  std::uint64_t seq = 0;
  for (int i = 0; i < 100; ++i) seq = journal->append(RecordType::kOrderAccepted, "x");
  ASSERT_TRUE(journal->wait_committed(seq).ok());
  EXPECT_EQ(fs.syncs(), syncs_at_open);
  EXPECT_EQ(journal->synced_seq(), 0u);
  ASSERT_TRUE(journal->sync_through(seq).ok()) << "a snapshot can still force a sync";
  EXPECT_EQ(journal->synced_seq(), seq);
  EXPECT_EQ(fs.syncs(), syncs_at_open + 1);
}

TEST_F(JournalWriterTest, IntervalPolicySyncsWithinTheInterval) {
  JournalWriterOptions options;
  options.fsync = FsyncPolicy::every(std::chrono::milliseconds(20));
  auto journal = open(options);
  std::uint64_t seq = journal->append(RecordType::kOrderAccepted, "x");
  ASSERT_TRUE(journal->wait_committed(seq).ok());
  EXPECT_TRUE(wait_until([&] { return journal->synced_seq() >= seq; }, std::chrono::seconds(10)))
      << "synced without further appends";
  EXPECT_EQ(journal->synced_seq(), seq);
}

TEST_F(JournalWriterTest, SegmentsRotateBySizeWithoutSplittingABatch) {
  JournalWriterOptions options;
  options.segment_bytes = 1024;
  auto journal = open(options, 100);
  std::string payload(100, 'p');
  for (int i = 0; i < 60; ++i) {
    std::uint64_t seq = journal->append(RecordType::kOrderAccepted, payload);
    if (i % 3 == 2) {
      ASSERT_TRUE(journal->wait_committed(seq).ok());
    }
  }
  ASSERT_TRUE(journal->close().ok());
  EXPECT_GT(journal->stats().segments, 3u);
  auto records = testing::read_journal(dir.path());
  ASSERT_EQ(records.size(), 60u);
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].seq, 100 + i);
  // read_journal checked every segment's header names its first record.
  DataDirectoryListing listing;
  ASSERT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
  EXPECT_EQ(listing.journals.front().seq, 100u);
}

TEST_F(JournalWriterTest, CloseCommitsWhatCameBeforeAndDropsWhatComesAfter) {
  JournalWriterOptions options;
  options.fsync = FsyncPolicy::never();
  auto journal = open(options);
  std::uint64_t before = 0;
  for (int i = 0; i < 1000; ++i) before = journal->append(RecordType::kOrderAccepted, "x");
  ASSERT_TRUE(journal->close().ok());
  EXPECT_EQ(journal->committed_seq(), before);
  EXPECT_EQ(journal->synced_seq(), before) << "close syncs whatever the policy";
  std::uint64_t after = journal->append(RecordType::kOrderAccepted, "late");
  EXPECT_EQ(journal->wait_committed(after).code(), Status::Code::kClosed);
  EXPECT_EQ(testing::read_journal(dir.path()).size(), 1000u);
  EXPECT_TRUE(journal->close().ok()) << "close is idempotent";
}

TEST_F(JournalWriterTest, OpenRefusesToEmptyASegmentThatHoldsRecords) {
  {
    auto journal = open();
    journal->append(RecordType::kOrderAccepted, "keep me");
    ASSERT_TRUE(journal->close().ok());
  }
  std::unique_ptr<JournalWriter> again;
  Status s = JournalWriter::open(fs, dir.path(), 1, {}, &again);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(testing::read_journal(dir.path()).size(), 1u);
}

// The failure modes below all end the same way: the error sticks.
struct StickyErrorCase {
  const char* name;
  FaultInjectionFileSystem::WriteFault write_fault;
  int error_number;
  bool sync_fault;
};

class JournalWriterFaultTest : public JournalWriterTest,
                               public ::testing::WithParamInterface<StickyErrorCase> {};

TEST_P(JournalWriterFaultTest, AnIoErrorSticksAndEveryWaiterHearsIt) {
  const StickyErrorCase& c = GetParam();
  auto journal = open();
  std::atomic<int> handler_calls{0};
  journal->set_failure_handler([&](const Status&) { handler_calls.fetch_add(1); });
  std::uint64_t good = journal->append(RecordType::kOrderAccepted, "before the fault");
  ASSERT_TRUE(journal->wait_committed(good).ok());

  if (c.sync_fault) {
    fs.set_sync_fault(c.error_number, "journal-");
  } else {
    fs.set_write_fault(c.write_fault, c.error_number, "journal-");
  }
  std::uint64_t bad = journal->append(RecordType::kOrderAccepted, "hits the fault");
  Status s = journal->wait_committed(bad);
  EXPECT_TRUE(s.is_io_error()) << s.to_string();
  EXPECT_EQ(s.error_number(), c.error_number);

  fs.clear_faults();  // even a healed disk does not bring the journal back
  std::uint64_t later = journal->append(RecordType::kOrderAccepted, "after the fault");
  EXPECT_TRUE(journal->wait_committed(later).is_io_error());
  Status callback_status;
  journal->on_committed(later, [&](const Status& st) { callback_status = st; });
  EXPECT_TRUE(callback_status.is_io_error());
  EXPECT_EQ(journal->committed_seq(), good);
  EXPECT_FALSE(journal->error().ok());
  EXPECT_EQ(handler_calls.load(), 1);
  EXPECT_TRUE(journal->wait_committed(good).ok()) << "what was durable stays durable";
  EXPECT_FALSE(journal->close().ok());
}

INSTANTIATE_TEST_SUITE_P(
    Faults, JournalWriterFaultTest,
    ::testing::Values(
        StickyErrorCase{"FsyncError", FaultInjectionFileSystem::WriteFault::kNone, EIO, true},
        StickyErrorCase{"ShortWrite", FaultInjectionFileSystem::WriteFault::kShortWriteThenError,
                        ENOSPC, false},
        StickyErrorCase{"NoSpace", FaultInjectionFileSystem::WriteFault::kError, ENOSPC, false}),
    [](const ::testing::TestParamInfo<StickyErrorCase>& info) { return info.param.name; });

// A disk that stalls on fdatasync: the first record's batch is written and
// its sync blocks, so everything appended meanwhile waits in the queue.
struct StalledDisk {
  StalledDisk(FaultInjectionFileSystem& fs, JournalWriter& journal) : fs_(fs) {
    fs_.stall_syncs("journal-");
    journal.append(RecordType::kOrderAccepted, "first");
    EXPECT_TRUE(wait_until([&] { return fs_.stalled_syncs() == 1; }));
  }
  ~StalledDisk() { fs_.lift_sync_stall(); }
  FaultInjectionFileSystem& fs_;
};

TEST_F(JournalWriterTest, AGroupCommitWritesAtMostTheBatchCapOfWholeRecords) {
  JournalWriterOptions options;
  options.max_batch_bytes = 1024;
  auto journal = open(options);
  const std::string payload(100, 'p');  // 124 bytes framed: 8 fit in a batch
  std::uint64_t last = 0;
  {
    StalledDisk stall(fs, *journal);
    for (int i = 0; i < 80; ++i) last = journal->append(RecordType::kOrderAccepted, payload);
    EXPECT_EQ(journal->stats().queued_bytes, 80u * 124);
  }
  ASSERT_TRUE(journal->wait_committed(last).ok());
  const JournalStats stats = journal->stats();
  EXPECT_EQ(stats.batches, 11u) << "the first record, then 80 records 8 at a time";
  EXPECT_EQ(stats.queued_bytes, 0u);
  ASSERT_TRUE(journal->close().ok());
  const auto records = testing::read_journal(dir.path());
  ASSERT_EQ(records.size(), 81u);
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].seq, i + 1);
}

TEST_F(JournalWriterTest, ARecordLargerThanTheBatchCapIsWrittenAlone) {
  JournalWriterOptions options;
  options.max_batch_bytes = 64;
  auto journal = open(options);
  std::uint64_t last = 0;
  {
    StalledDisk stall(fs, *journal);
    for (int i = 0; i < 3; ++i)
      last = journal->append(RecordType::kOrderAccepted, std::string(500, 'x'));
  }
  ASSERT_TRUE(journal->wait_committed(last).ok());
  EXPECT_EQ(journal->stats().batches, 4u);
  ASSERT_TRUE(journal->close().ok());
  EXPECT_EQ(testing::read_journal(dir.path()).size(), 4u);
}

TEST_F(JournalWriterTest, HasNoRoomPastTheQueueCapUntilTheDiskCatchesUp) {
  JournalWriterOptions options;
  options.max_queued_bytes = 1000;
  auto journal = open(options);
  std::uint64_t last = 0;
  {
    StalledDisk stall(fs, *journal);
    EXPECT_TRUE(journal->has_room());
    while (journal->has_room()) last = journal->append(RecordType::kOrderAccepted, "a change");
    EXPECT_GE(journal->stats().queued_bytes, 1000u);
    // Refused once the deadline passes, and counted.
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(journal->wait_for_room(start + std::chrono::milliseconds(50)));
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
    EXPECT_EQ(journal->stats().writes_refused, 1u);
    // A writer that waits longer gets in once the disk catches up.
    std::atomic<bool> admitted{false};
    std::thread writer([&] {
      admitted =
          journal->wait_for_room(std::chrono::steady_clock::now() + std::chrono::seconds(60));
    });
    EXPECT_TRUE(wait_until([&] { return journal->stats().room_waiters == 1; }));
    EXPECT_FALSE(admitted.load());
    fs.lift_sync_stall();
    writer.join();
    EXPECT_TRUE(admitted.load());
  }
  ASSERT_TRUE(journal->wait_committed(last).ok());
  EXPECT_TRUE(journal->has_room());
  EXPECT_EQ(journal->stats().room_waiters, 0u);
  EXPECT_EQ(journal->stats().writes_refused, 1u);
}

TEST_F(JournalWriterTest, AWriterWaitingForRoomHearsOfAFailureAtOnce) {
  JournalWriterOptions options;
  options.max_queued_bytes = 100;
  auto journal = open(options);
  {
    StalledDisk stall(fs, *journal);
    while (journal->has_room()) journal->append(RecordType::kOrderAccepted, "a change");
    fs.set_sync_fault(EIO, "journal-");
    std::thread lift([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      fs.lift_sync_stall();
    });
    const auto start = std::chrono::steady_clock::now();
    (void)journal->wait_for_room(start + std::chrono::seconds(60));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
    lift.join();
  }
  EXPECT_FALSE(journal->error().ok());
}

}  // namespace
}  // namespace orderd::persistence
