// Recovery from journal segments and snapshots: torn tails, corruption,
// missing and empty segments, fallback snapshots, resumed orders.
#include "persistence/recovery.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "persistence/data_files.h"
#include "persistence/journal_sink.h"
#include "persistence/record_codec.h"
#include "persistence/snapshot.h"
#include "tests/persistence/engine_fixture.h"
#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/journal_test_util.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

using format::RecordType;

struct Reports {
  std::vector<std::pair<Severity, std::string>> lines;
  Reporter reporter() {
    return [this](Severity s, const std::string& m) { lines.emplace_back(s, m); };
  }
  bool contains(Severity severity, std::string_view text) const {
    for (const auto& [s, m] : lines) {
      if (s == severity && m.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

struct RecoveryTest : ::testing::Test {
  // Runs an engine that journals into `dir` until quiet, then shuts it down
  // (engine stopped, journal closed). Returns its final digest. With
  // `commit_each`, every order is committed before the next is submitted,
  // so the journal holds many small batches (and, with small segments,
  // many segments).
  std::uint64_t run_engine(int orders, JournalWriterOptions options = {}, bool commit_each = false,
                           bool move_on = false) {
    EngineConfig config = testing::small_engine_config();
    std::unique_ptr<JournalWriter> journal;
    EXPECT_TRUE(JournalWriter::open(fs, dir.path(), next_seq, options, &journal).ok());
    JournalSink sink(*journal);
    Engine engine(config);
    engine.set_event_sink(&sink);
    if (next_seq == 1) testing::add_products(engine);
    engine.start();
    if (commit_each) {
      for (int i = 0; i < orders; ++i) {
        auto tokens = testing::submit_orders(engine, "o", 1, i, i);
        EXPECT_TRUE(journal->wait_committed(std::max<DurableToken>(tokens[0], 1)).ok());
      }
    } else {
      testing::submit_orders(engine, "o", orders);
    }
    EXPECT_TRUE(testing::wait_until_quiet(engine));
    if (move_on) testing::move_completed_orders_on(engine, "o", orders);
    engine.stop();
    EXPECT_TRUE(journal->close().ok());
    next_seq = journal->next_seq();
    live_products = engine.catalog().list(0, engine.catalog().capacity());
    return engine.state_digest();
  }

  Status recover_into(Engine& engine, RecoveryResult* result, bool truncate = false) {
    RecoveryOptions options;
    options.truncate_at_corruption = truncate;
    options.reporter = reports.reporter();
    return recover(fs, dir.path(), options, engine, result);
  }

  std::vector<DataFile> segments() {
    DataDirectoryListing listing;
    EXPECT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
    return listing.journals;
  }

  void SetUp() override { fs.skip_real_syncs(true); }  // no test here loses power

  testing::TempDir dir;
  testing::FaultInjectionFileSystem fs;
  std::uint64_t next_seq = 1;
  std::vector<ProductInfo> live_products;  // the last run's catalog at shutdown
  Reports reports;
};

TEST_F(RecoveryTest, EmptyDirectoryRecoversToAnEmptyEngine) {
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(result.next_seq, 1u);
  EXPECT_EQ(result.last_seq, 0u);
  EXPECT_TRUE(result.snapshot_file.empty());
  EXPECT_EQ(engine.counters().accepted, 0);
}

TEST_F(RecoveryTest, JournalReplayReproducesTheLiveState) {
  const std::uint64_t live = run_engine(1000);
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), live);
  EXPECT_EQ(result.last_seq + 1, next_seq);
  EXPECT_EQ(result.next_seq, next_seq);
  EXPECT_EQ(result.records_replayed, result.last_seq);
  EXPECT_EQ(result.resumed_orders, 0u);
}

TEST_F(RecoveryTest, ShippedDeliveredReturnedAndLateCancelsReplayToTheLiveStateAndStock) {
  const std::uint64_t live = run_engine(1000, {}, false, /*move_on=*/true);
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), live);
  auto c = engine.counters();
  EXPECT_GT(c.count(OrderStatus::kShipped), 0);
  EXPECT_GT(c.count(OrderStatus::kDelivered), 0);
  EXPECT_GT(c.count(OrderStatus::kReturned), 0);
  const auto recovered = engine.catalog().list(0, engine.catalog().capacity());
  ASSERT_EQ(recovered.size(), live_products.size());
  std::int64_t returned = 0;
  for (std::size_t i = 0; i < recovered.size(); ++i) {
    const ProductInfo &a = recovered[i], &b = live_products[i];
    EXPECT_EQ(a.available, b.available) << a.id;
    EXPECT_EQ(a.held, b.held) << a.id;
    EXPECT_EQ(a.consumed, b.consumed) << a.id;
    EXPECT_EQ(a.returned, b.returned) << a.id;
    testing::expect_stock_invariant(a);
    returned += a.returned;
  }
  EXPECT_GT(returned, 0);
}

TEST_F(RecoveryTest, ADataDirectoryOfFormatVersionOneIsReadAsItIs) {
  const std::uint64_t live = run_engine(300);
  for (const DataFile& segment : segments()) {
    const std::string path = dir.file(segment.name);
    std::string contents = testing::read_whole(path);
    format::FileHeader header;
    ASSERT_EQ(format::decode_file_header(contents, &header), format::FileHeaderError::kNone);
    header.version = 1;
    format::encode_file_header(header, contents.data());
    testing::write_whole(path, contents);
  }
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), live);
}

TEST_F(RecoveryTest, TruncatedTrailingRecordIsCutAtEveryByteOffset) {
  run_engine(20);
  const std::string path = dir.file(segments().back().name);
  const std::string whole = testing::read_whole(path);
  auto records = testing::read_journal(dir.path());
  const std::size_t last_size = format::kRecordHeaderSize + records.back().payload.size();
  const std::size_t last_start = whole.size() - last_size;

  // The reference: the log without its last record.
  testing::write_whole(path, std::string_view(whole).substr(0, last_start));
  Engine reference(testing::tiny_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(reference, &result).ok());
  EXPECT_EQ(result.truncated_bytes, 0u);

  for (std::size_t cut = last_start + 1; cut < whole.size(); ++cut) {
    testing::write_whole(path, std::string_view(whole).substr(0, cut));
    Engine engine(testing::tiny_engine_config());
    Status s = recover_into(engine, &result);
    ASSERT_TRUE(s.ok()) << cut << ": " << s.to_string();
    EXPECT_EQ(result.truncated_bytes, cut - last_start) << cut;
    EXPECT_EQ(result.truncated_offset, last_start);
    EXPECT_EQ(result.last_seq, records.back().seq - 1);
    EXPECT_EQ(engine.state_digest(), reference.state_digest()) << cut;
    std::uint64_t size = 0;
    ASSERT_TRUE(fs.file_size(path, &size).ok());
    EXPECT_EQ(size, last_start) << "the torn tail is cut off the file";
  }
  EXPECT_TRUE(reports.contains(Severity::kWarning, "torn tail"));
}

TEST_F(RecoveryTest, EverySingleBitFlipIsDetected) {
  // Four records: a product, an order accepted, processing, completed.
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
  {
    JournalSink sink(*journal);
    Engine engine(testing::tiny_engine_config());
    engine.set_event_sink(&sink);
    engine.catalog().add(1, "p", 100, 10);
    engine.start();
    std::vector<ItemRequest> items = {{1, 2}};
    ASSERT_TRUE(engine.submit({"only", 1, items, 200}).ok());
    ASSERT_TRUE(testing::wait_until_quiet(engine));
    engine.stop();
  }
  ASSERT_TRUE(journal->close().ok());
  const std::string path = dir.file(segments().back().name);
  const std::string whole = testing::read_whole(path);
  auto records = testing::read_journal(dir.path());
  ASSERT_EQ(records.size(), 4u);
  const std::size_t last_start =
      whole.size() - format::kRecordHeaderSize - records.back().payload.size();

  for (std::size_t bit = 0; bit < 8 * whole.size(); ++bit) {
    std::string damaged = whole;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    testing::write_whole(path, damaged);
    Engine engine(testing::tiny_engine_config());
    RecoveryResult result;
    Status s = recover_into(engine, &result);
    if (bit / 8 >= last_start) {
      // In the last record: indistinguishable from a torn write, cut and reported.
      ASSERT_TRUE(s.ok()) << "bit " << bit << ": " << s.to_string();
      EXPECT_EQ(result.last_seq, 3u);
      EXPECT_GT(result.truncated_bytes, 0u);
    } else {
      EXPECT_TRUE(s.is_corruption()) << "bit " << bit << ": " << s.to_string();
      EXPECT_NE(s.message().find(segments().back().name), std::string::npos) << s.message();
      EXPECT_NE(s.message().find("offset"), std::string::npos) << s.message();
    }
  }
}

TEST_F(RecoveryTest, DamageBeforeTheTailRefusesToStartNamingFileAndOffset) {
  run_engine(50);
  const std::string name = segments().back().name;
  std::string contents = testing::read_whole(dir.file(name));
  const std::size_t offset = contents.size() / 2;
  contents[offset] ^= 0x40;
  testing::write_whole(dir.file(name), contents);
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover_into(engine, &result);
  ASSERT_TRUE(s.is_corruption()) << s.to_string();
  EXPECT_NE(s.message().find(name + " offset "), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("intact record follows"), std::string::npos) << s.message();
  std::uint64_t size = 0;
  ASSERT_TRUE(fs.file_size(dir.file(name), &size).ok());
  EXPECT_EQ(size, contents.size()) << "nothing is cut without being asked";
}

TEST_F(RecoveryTest, TruncateAtCorruptionCutsThereAndKeepsTheRestAside) {
  JournalWriterOptions options;
  options.segment_bytes = 4096;  // several segments
  run_engine(200, options, /*commit_each=*/true);
  auto before = segments();
  ASSERT_GE(before.size(), 3u);
  const std::string name = before[1].name;
  std::string contents = testing::read_whole(dir.file(name));
  const std::size_t offset = format::kFileHeaderSize + 30;  // inside its first record
  contents[offset] ^= 0x01;
  testing::write_whole(dir.file(name), contents);

  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result, /*truncate=*/true).ok());
  EXPECT_EQ(result.truncated_file, name);
  EXPECT_EQ(result.truncated_offset, format::kFileHeaderSize);
  EXPECT_EQ(result.last_seq + 1, before[1].seq) << "everything before the damage is kept";
  EXPECT_EQ(result.next_seq, before[1].seq);
  EXPECT_TRUE(std::filesystem::exists(dir.file(name + ".discarded-at-32")));
  EXPECT_TRUE(std::filesystem::exists(dir.file(before[2].name + ".discarded")));
  EXPECT_TRUE(reports.contains(Severity::kError, "journal corruption"));

  Engine again(testing::small_engine_config());
  ASSERT_TRUE(recover_into(again, &result).ok()) << "the cut log now recovers without the option";
  EXPECT_EQ(again.state_digest(), engine.state_digest());
}

TEST_F(RecoveryTest, MissingSegmentIsCorruption) {
  JournalWriterOptions options;
  options.segment_bytes = 4096;
  run_engine(200, options, /*commit_each=*/true);
  auto all = segments();
  ASSERT_GE(all.size(), 3u);
  std::filesystem::remove(dir.file(all[1].name));
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover_into(engine, &result);
  ASSERT_TRUE(s.is_corruption()) << s.to_string();
  EXPECT_NE(s.message().find("records are missing"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(all[2].name), std::string::npos) << s.message();
}

TEST_F(RecoveryTest, JournalThatDoesNotStartAtTheBeginningNeedsASnapshot) {
  JournalWriterOptions options;
  options.segment_bytes = 4096;
  run_engine(200, options, /*commit_each=*/true);
  std::filesystem::remove(dir.file(segments().front().name));
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover_into(engine, &result);
  ASSERT_TRUE(s.is_corruption());
  EXPECT_NE(s.message().find("journal records 1 to"), std::string::npos) << s.message();
}

TEST_F(RecoveryTest, EmptyAndZeroLengthSegmentsAreHarmless) {
  const std::uint64_t live = run_engine(100);
  // A later run opened a segment and died before writing a record; then one
  // died while creating the next file.
  std::unique_ptr<JournalWriter> idle;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), next_seq, {}, &idle).ok());
  ASSERT_TRUE(idle->close().ok());
  testing::write_whole(dir.file(journal_file_name(next_seq + 1000)), "");

  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), live);
  EXPECT_EQ(result.next_seq, next_seq);
  EXPECT_FALSE(std::filesystem::exists(dir.file(journal_file_name(next_seq + 1000))))
      << "a newest segment without even a header is removed";
  // The writer reuses the empty segment's name.
  std::unique_ptr<JournalWriter> again;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), result.next_seq, {}, &again).ok());
}

TEST_F(RecoveryTest, UnknownSkippableRecordsAreSkippedOthersRefused) {
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
  std::string product;
  encode_product({1, "p", 100, 5, 5, 0, 0, 0, 0, {}}, &product);
  journal->append(RecordType::kProductAdded, product);
  journal->append(static_cast<RecordType>(format::kSkippableTypeBit | 0x21), "from the future");
  ASSERT_TRUE(journal->close().ok());
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(result.records_skipped, 1u);
  EXPECT_EQ(engine.catalog().size(), 1u);

  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 3, {}, &journal).ok());
  journal->append(static_cast<RecordType>(0x21), "incompatible");
  ASSERT_TRUE(journal->close().ok());
  Engine strict(testing::small_engine_config());
  Status s = recover_into(strict, &result);
  EXPECT_TRUE(s.is_corruption());
  EXPECT_NE(s.message().find("newer orderd"), std::string::npos) << s.message();
}

TEST_F(RecoveryTest, UnreadableNewestSnapshotFallsBackToThePreviousWithAWarning) {
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
  JournalSink sink(*journal);
  Engine engine(testing::small_engine_config());
  engine.set_event_sink(&sink);
  testing::add_products(engine);
  engine.start();
  SnapshotInfo older, newer;
  testing::submit_orders(engine, "a", 300, 1);
  ASSERT_TRUE(write_snapshot(fs, dir.path(), engine, *journal, &older).ok());
  testing::submit_orders(engine, "b", 300, 2);
  ASSERT_TRUE(write_snapshot(fs, dir.path(), engine, *journal, &newer).ok());
  testing::submit_orders(engine, "c", 300, 3);
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  engine.stop();
  ASSERT_TRUE(journal->close().ok());

  std::string contents = testing::read_whole(dir.file(newer.file));
  contents[contents.size() / 2] ^= 0x10;
  testing::write_whole(dir.file(newer.file), contents);
  Engine recovered(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(recovered, &result).ok());
  EXPECT_EQ(result.snapshot_file, older.file);
  EXPECT_EQ(result.snapshots_skipped, 1u);
  EXPECT_TRUE(reports.contains(Severity::kWarning, newer.file));
  EXPECT_EQ(recovered.state_digest(), engine.state_digest());
}

TEST_F(RecoveryTest, ResumedOrdersCompleteExactlyOnceWithOriginalTimestamps) {
  // The process "crashes" with orders Pending (workers paused) and
  // Processing (a long simulated processing time).
  auto config = testing::small_engine_config();
  config.max_order_total = 0;
  config.processing_delay = {60'000'000, 60'000'000};
  std::map<std::string, OrderSnapshot> at_crash;
  {
    std::unique_ptr<JournalWriter> journal;
    ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
    JournalSink sink(*journal);
    Engine engine(config);
    engine.set_event_sink(&sink);
    testing::add_products(engine);
    engine.start();
    std::vector<ItemRequest> items = {{1, 1}, {2, 3}};
    for (int i = 0; i < 50; ++i)
      ASSERT_TRUE(engine.submit({"proc" + std::to_string(i), 1, items, 1}).ok());
    ASSERT_TRUE(testing::wait_until(
        [&] { return engine.counters().count(OrderStatus::kProcessing) >= 50; }));
    ASSERT_EQ(engine.counters().count(OrderStatus::kProcessing), 50);
    engine.pause_workers();
    for (int i = 0; i < 50; ++i)
      ASSERT_TRUE(engine.submit({"pend" + std::to_string(i), 1, items, 1}).ok());
    ASSERT_EQ(engine.counters().count(OrderStatus::kPending), 50);
    engine.for_each_order([&](const Order& o) {
      at_crash[o.client_id] = o.snapshot();
      return true;
    });
    // The crash: nothing after this point reaches the journal.
    engine.set_event_sink(nullptr);
    ASSERT_TRUE(journal->close().ok());
    engine.stop();
  }

  config.processing_delay = {};
  Engine engine(config);
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(result.resumed_orders, 100u);
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), result.next_seq, {}, &journal).ok());
  JournalSink sink(*journal);
  engine.set_event_sink(&sink);
  engine.start();
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  engine.stop();
  ASSERT_TRUE(journal->close().ok());

  EXPECT_EQ(engine.counters().completed, 100);
  for (const auto& [id, before] : at_crash) {
    auto after = *engine.get(id);
    EXPECT_EQ(after.status, OrderStatus::kCompleted) << id;
    EXPECT_EQ(after.timestamp(OrderTimestamp::kCreated),
              before.timestamp(OrderTimestamp::kCreated));
    if (before.status == OrderStatus::kProcessing) {
      EXPECT_EQ(after.timestamp(OrderTimestamp::kProcessingStarted),
                before.timestamp(OrderTimestamp::kProcessingStarted))
          << id;
    }
  }
  std::map<std::string, int> completions;
  for (const auto& r : testing::read_journal(dir.path())) {
    if (r.seq < result.next_seq ||
        r.type != static_cast<std::uint8_t>(RecordType::kOrderStatusChanged))
      continue;
    OrderTransition t;
    std::vector<Cents> prices;
    ASSERT_TRUE(decode_status_change(r.payload, &t, &prices));
    if (t.to == OrderStatus::kCompleted) ++completions[std::string(t.client_id)];
  }
  EXPECT_EQ(completions.size(), 100u);
  for (const auto& [id, n] : completions) EXPECT_EQ(n, 1) << id;

  // And the resumed completions themselves survive the next restart.
  Engine third(config);
  ASSERT_TRUE(recover_into(third, &result).ok());
  EXPECT_EQ(result.resumed_orders, 0u);
  EXPECT_EQ(third.state_digest(), engine.state_digest());
}

}  // namespace
}  // namespace orderd::persistence
