// Recovery from journal segments and snapshots: torn tails, corruption,
// missing and empty segments, fallback snapshots, resumed orders.
#include "persistence/recovery.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <map>

#include "engine/state_digest.h"
#include "persistence/coding.h"
#include "persistence/data_files.h"
#include "persistence/journal_sink.h"
#include "persistence/record_codec.h"
#include "persistence/record_reader.h"
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

  // Like run_engine, with what clients of the order-management API do
  // (testing::run_managed_traffic) among plain orders moved on through
  // their lifecycle. Keeps every live order in `live_orders`.
  std::uint64_t run_managed_engine(int managed, int plain) {
    std::unique_ptr<JournalWriter> journal;
    EXPECT_TRUE(JournalWriter::open(fs, dir.path(), next_seq, {}, &journal).ok());
    JournalSink sink(*journal);
    Engine engine(testing::small_engine_config());
    engine.set_event_sink(&sink);
    testing::add_products(engine);
    testing::add_sku_products(engine);
    engine.start();
    testing::submit_orders(engine, "o", plain);
    testing::run_managed_traffic(engine, "m", managed);
    EXPECT_TRUE(testing::wait_until_quiet(engine));
    testing::move_completed_orders_on(engine, "o", plain);
    engine.stop();
    EXPECT_TRUE(journal->close().ok());
    next_seq = journal->next_seq();
    engine.for_each_order([&](const Order& o) {
      live_orders[o.client_id] = o.snapshot();
      return true;
    });
    live_customers = engine.customers().list(0, 1 << 20);
    return engine.state_digest();
  }

  // Every live order's details and notes, and every customer, as recovered.
  void expect_live_orders_and_customers(const Engine& engine) {
    for (const auto& [id, live] : live_orders) {
      auto recovered = engine.get(id);
      ASSERT_TRUE(recovered) << id;
      EXPECT_EQ(recovered->details, live.details) << id;
      EXPECT_EQ(recovered->notes, live.notes) << id;
      EXPECT_EQ(recovered->reason, live.reason) << id;
      EXPECT_EQ(recovered->version(), live.version()) << id;
    }
    EXPECT_EQ(engine.customers().list(0, 1 << 20), live_customers);
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
  std::vector<ProductInfo> live_products;            // the last run's catalog at shutdown
  std::map<std::string, OrderSnapshot> live_orders;  // run_managed_engine's
  std::vector<CustomerInfo> live_customers;          // run_managed_engine's
  Reports reports;
};

// Rewrites a journal segment or snapshot as orderd version 2 wrote it: the
// header says 2, client moves carry no by-client flag (and so no note),
// snapshot orders no notes and the snapshot end no customer count. Only
// for data without what version 2 could not hold (details, SKUs,
// customers, updates, which the rewrite refuses).
void rewrite_as_version_two(const std::string& path) {
  const std::string contents = testing::read_whole(path);
  StringFile file(contents);
  RecordReader reader(file);
  format::FileHeader header;
  ASSERT_EQ(reader.read_header(&header), format::FileHeaderError::kNone) << path;
  header.version = 2;
  std::string out(format::kFileHeaderSize, '\0');
  format::encode_file_header(header, out.data());
  Record r;
  while (reader.next(&r) == RecordReader::Outcome::kRecord) {
    std::string payload(r.payload);
    switch (static_cast<RecordType>(r.type)) {
      case RecordType::kOrderStatusChanged: {
        OrderTransition t;
        std::vector<Cents> prices;
        ASSERT_TRUE(decode_status_change(payload, &t, &prices));
        ASSERT_FALSE(t.note.has_value()) << "no confirmations in version 2";
        payload[4 + t.client_id.size() + 1 + 8] &= 0x01;  // the flags byte: priced stays
        break;
      }
      case RecordType::kOrderAccepted:
      case RecordType::kSnapshotOrder: {
        OrderSnapshot o;
        ASSERT_TRUE(decode_order(payload, &o));
        ASSERT_FALSE(o.details.has_value()) << "no managed orders in version 2";
        o.notes.clear();
        payload.clear();
        encode_order(o, &payload);
        break;
      }
      case RecordType::kProductAdded:
      case RecordType::kSnapshotProduct: {
        ProductInfo p;
        ASSERT_TRUE(decode_product(payload, &p));
        ASSERT_TRUE(p.sku.empty()) << "no SKUs in version 2";
        break;
      }
      case RecordType::kSnapshotEnd: {
        SnapshotEndRecord end;
        ASSERT_TRUE(decode_snapshot_end(payload, &end));
        ASSERT_EQ(end.customers, 0u);
        payload.resize(24);  // orders, products, captured through
        break;
      }
      case RecordType::kProductRestocked:
      case RecordType::kSnapshotBegin:
        break;
      default:
        FAIL() << "record type " << int(r.type) << " is not in version 2";
    }
    format::append_record(&out, static_cast<RecordType>(r.type), r.seq, payload);
  }
  testing::write_whole(path, out);
}

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

TEST_F(RecoveryTest, ADataDirectoryOfFormatVersionTwoIsReadAsItIs) {
  const std::uint64_t live = run_engine(300, {}, false, /*move_on=*/true);
  for (const DataFile& segment : segments()) {
    const std::string path = dir.file(segment.name);
    std::string contents = testing::read_whole(path);
    format::FileHeader header;
    ASSERT_EQ(format::decode_file_header(contents, &header), format::FileHeaderError::kNone);
    EXPECT_EQ(header.version, 4u);
    header.version = 2;
    format::encode_file_header(header, contents.data());
    testing::write_whole(path, contents);
  }
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), live);
}

TEST_F(RecoveryTest, ADataDirectoryOfFormatVersionThreeIsReadAsItIs) {
  const std::uint64_t live = run_engine(300, {}, false, /*move_on=*/true);
  for (const DataFile& segment : segments()) {
    const std::string path = dir.file(segment.name);
    std::string contents = testing::read_whole(path);
    format::FileHeader header;
    ASSERT_EQ(format::decode_file_header(contents, &header), format::FileHeaderError::kNone);
    header.version = 3;
    format::encode_file_header(header, contents.data());
    testing::write_whole(path, contents);
  }
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), live);
}

// What version 2 wrote has no notes: an order recovered from it has its
// status, timestamps and reason, and no log of the client moves that
// reached them (the moves after the upgrade are logged as usual).
TEST_F(RecoveryTest, ClientMovesRecordedByVersionTwoRecoverWithoutNotes) {
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
  JournalSink sink(*journal);
  Engine engine(testing::small_engine_config());
  engine.set_event_sink(&sink);
  testing::add_products(engine);
  engine.start();
  testing::submit_orders(engine, "a", 300, 1);
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  testing::move_completed_orders_on(engine, "a", 150);
  SnapshotInfo info;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), engine, *journal, &info).ok());
  testing::submit_orders(engine, "b", 300, 2);
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  testing::move_completed_orders_on(engine, "a", 150, 150);
  testing::move_completed_orders_on(engine, "b", 300);
  engine.stop();
  ASSERT_TRUE(journal->close().ok());
  for (const DataFile& segment : segments()) {
    ASSERT_NO_FATAL_FAILURE(rewrite_as_version_two(dir.file(segment.name)));
  }
  ASSERT_NO_FATAL_FAILURE(rewrite_as_version_two(dir.file(info.file)));

  Engine recovered(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(recovered, &result).ok());
  EXPECT_EQ(result.snapshot_file, info.file) << "the version 2 snapshot is used";
  EXPECT_GT(result.records_replayed, 0u);
  std::size_t with_notes = 0;
  engine.for_each_order([&](const Order& o) {
    OrderSnapshot live = o.snapshot();
    with_notes += !live.notes.empty();
    live.notes.clear();
    auto r = recovered.get(live.client_id);
    EXPECT_TRUE(r && r->notes.empty()) << live.client_id;
    if (r) {
      EXPECT_EQ(digest_of(*r), digest_of(live)) << live.client_id;
    }
    return true;
  });
  EXPECT_GT(with_notes, 100u) << "the live engine logged the client moves";
  const auto products = recovered.catalog().list(0, recovered.catalog().capacity());
  const auto live_catalog = engine.catalog().list(0, engine.catalog().capacity());
  ASSERT_EQ(products.size(), live_catalog.size());
  for (std::size_t i = 0; i < products.size(); ++i) {
    EXPECT_EQ(digest_of(products[i]), digest_of(live_catalog[i])) << products[i].id;
  }
  EXPECT_EQ(recovered.counters().by_status, engine.counters().by_status);

  // After the upgrade: new segments are of the current version and log the moves.
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), result.next_seq, {}, &journal).ok());
  JournalSink sink3(*journal);
  recovered.set_event_sink(&sink3);
  recovered.start();
  std::vector<ItemRequest> items = {{1, 1}};
  ASSERT_TRUE(recovered.submit({"after-upgrade", 1, items, 100}).ok());
  ASSERT_TRUE(recovered.cancel("after-upgrade", "changed my mind").error == CancelError::kNone);
  recovered.stop();
  ASSERT_TRUE(journal->close().ok());
  Engine again(testing::small_engine_config());
  ASSERT_TRUE(recover_into(again, &result).ok());
  EXPECT_EQ(again.state_digest(), recovered.state_digest());
  ASSERT_EQ(again.get("after-upgrade")->notes.size(), 1u);
  EXPECT_EQ(again.get("after-upgrade")->notes[0].note, "changed my mind");
}

TEST_F(RecoveryTest, AJournalOfANewerFormatVersionIsRefused) {
  run_engine(20);
  const std::string name = segments().back().name;
  std::string contents = testing::read_whole(dir.file(name));
  format::FileHeader header;
  ASSERT_EQ(format::decode_file_header(contents, &header), format::FileHeaderError::kNone);
  header.version = format::kFormatVersion + 1;
  format::encode_file_header(header, contents.data());
  testing::write_whole(dir.file(name), contents);
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover_into(engine, &result);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(name + " was written by a newer orderd"), std::string::npos)
      << s.to_string();
}

TEST_F(RecoveryTest, ManagedOrdersNotesCustomersAndSkusReplayToTheLiveState) {
  const std::uint64_t live = run_managed_engine(40, 200);
  std::map<std::uint8_t, int> types;
  for (const auto& r : testing::read_journal(dir.path())) ++types[r.type];
  EXPECT_EQ(types[static_cast<std::uint8_t>(RecordType::kCustomerAdded)], 40);
  EXPECT_GT(types[static_cast<std::uint8_t>(RecordType::kOrderUpdated)], 20);

  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(result.records_replayed, result.last_seq);
  EXPECT_EQ(engine.state_digest(), live);
  expect_live_orders_and_customers(engine);
  EXPECT_EQ(engine.catalog().find_sku("sku-103").value_or(0), 103u);
  auto customer = engine.customers().find_by_email("m7@example.com");
  ASSERT_TRUE(customer);
  EXPECT_EQ(customer->external_ref, "cust_m7");
  EXPECT_FALSE(customer->implicit);
  EXPECT_EQ(customer->password_hash, "") << "m7 has no password";
  customer = engine.customers().find_by_email("m8@example.com");
  ASSERT_TRUE(customer);
  EXPECT_EQ(customer->password_hash, testing::password_hash_of(8));
  // A confirmation the order limit rejected: the engine's reason, the client's note.
  auto rejected = engine.get("m1");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, OrderStatus::kRejected);
  EXPECT_EQ(rejected->reason, "order total exceeds the limit per order");
  ASSERT_FALSE(rejected->notes.empty());
  EXPECT_EQ(rejected->notes.back().note, "confirmed by phone");
  // A plain order made managed by an update.
  ASSERT_TRUE(engine.get("m-plain0")->details.has_value());
  EXPECT_EQ(engine.get("m-plain0")->details->shipping_address.city, "Springfield");

  // And what the recovered engine does next survives the next restart.
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), result.next_seq, {}, &journal).ok());
  JournalSink sink(*journal);
  engine.set_event_sink(&sink);
  engine.start();
  testing::run_managed_traffic(engine, "n", 8);
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  engine.stop();
  ASSERT_TRUE(journal->close().ok());
  Engine again(testing::small_engine_config());
  ASSERT_TRUE(recover_into(again, &result).ok());
  EXPECT_EQ(again.state_digest(), engine.state_digest());
}

TEST_F(RecoveryTest, AnAcceptedOrderRecordWithNotesIsMalformed) {
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
  std::string payload;
  encode_product({1, "p", 100, 5, 5, 0, 0, 0, 0, {}}, &payload);
  journal->append(RecordType::kProductAdded, payload);
  OrderSnapshot order;
  order.seq = 1;
  order.client_id = "noted";
  order.items = {{1, 1, 0}};
  order.at[0] = 1000;
  order.notes = {{1000, 1, OrderChange::kStatus, OrderStatus::kPending, "not yet"}};
  payload.clear();
  encode_order(order, &payload);
  journal->append(RecordType::kOrderAccepted, payload);
  ASSERT_TRUE(journal->close().ok());
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  Status s = recover_into(engine, &result);
  ASSERT_TRUE(s.is_corruption()) << s.to_string();
  EXPECT_NE(s.message().find("malformed order accepted record 2"), std::string::npos)
      << s.message();
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

TEST_F(RecoveryTest, SnapshotsAndSegmentsAreReadInBoundedBlocksNotWhole) {
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(fs, dir.path(), 1, {}, &journal).ok());
  JournalSink sink(*journal);
  Engine engine(testing::small_engine_config());
  engine.set_event_sink(&sink);
  testing::add_products(engine);
  engine.start();
  testing::submit_orders(engine, "a", 20000, 1);
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  SnapshotInfo snapshot;
  ASSERT_TRUE(write_snapshot(fs, dir.path(), engine, *journal, &snapshot).ok());
  testing::submit_orders(engine, "b", 20000, 2);
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  engine.stop();
  ASSERT_TRUE(journal->close().ok());
  // Both files span several blocks, or the test would prove nothing.
  std::uint64_t snapshot_size = 0, segment_size = 0;
  ASSERT_TRUE(fs.file_size(dir.file(snapshot.file), &snapshot_size).ok());
  ASSERT_TRUE(fs.file_size(dir.file(segments().back().name), &segment_size).ok());
  ASSERT_GT(snapshot_size, 2 * RecordReader::kDefaultBlockBytes);
  ASSERT_GT(segment_size, 2 * RecordReader::kDefaultBlockBytes);

  Engine recovered(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(recovered, &result).ok());
  EXPECT_EQ(result.snapshot_file, snapshot.file);
  EXPECT_EQ(recovered.state_digest(), engine.state_digest());
  EXPECT_GT(fs.largest_read(), 0u);
  EXPECT_LE(fs.largest_read(), RecordReader::kDefaultBlockBytes);
}

TEST_F(RecoveryTest, AReadFailureFailsRecoveryAndCutsNothing) {
  const std::uint64_t digest = run_engine(3000);
  const std::string name = segments().back().name;
  std::uint64_t size_before = 0;
  ASSERT_TRUE(fs.file_size(dir.file(name), &size_before).ok());
  fs.set_read_fault(EIO, name, size_before / 2);
  {
    Engine engine(testing::small_engine_config());
    RecoveryResult result;
    Status s = recover_into(engine, &result);
    EXPECT_TRUE(s.is_io_error()) << s.to_string();
    EXPECT_TRUE(result.truncated_file.empty());
  }
  std::uint64_t size_after = 0;
  ASSERT_TRUE(fs.file_size(dir.file(name), &size_after).ok());
  EXPECT_EQ(size_after, size_before);

  fs.clear_faults();
  Engine engine(testing::small_engine_config());
  RecoveryResult result;
  ASSERT_TRUE(recover_into(engine, &result).ok());
  EXPECT_EQ(engine.state_digest(), digest);
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
