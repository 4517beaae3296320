// Reading framed records back, and telling a torn tail from corruption
// (LevelDB's log_test.cc is the model).
#include "persistence/record_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace orderd::persistence {
namespace {

using format::RecordType;
using Outcome = RecordReader::Outcome;

std::string file_with(const std::vector<std::string>& payloads, std::uint64_t first_seq = 1) {
  std::string file(format::kFileHeaderSize, '\0');
  format::encode_file_header({format::FileKind::kJournal, format::kFormatVersion, first_seq},
                             file.data());
  std::uint64_t seq = first_seq;
  for (const auto& p : payloads) format::append_record(&file, RecordType::kOrderAccepted, seq++, p);
  return file;
}

// A file read through copies, as from a disk, with an optional read failure.
class CopyingFile final : public ReadableFile {
 public:
  explicit CopyingFile(std::string_view contents) : contents_(contents) {}
  std::uint64_t size() const override { return contents_.size(); }
  Status read_at(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override {
    largest_read = std::max(largest_read, n);
    if (offset + n > fail_from) return Status::io_error("injected read failure", 5);
    return StringFile(contents_).read_at(offset, n, dst, got);
  }

  std::uint64_t fail_from = UINT64_MAX;  // reads reaching this offset fail
  std::size_t largest_read = 0;

 private:
  std::string_view contents_;
};

// Every test runs on a file held in memory and on files read in blocks
// smaller than a record, so that records straddle the blocks.
class RecordReaderTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  // 0: in memory.
  std::unique_ptr<ReadableFile> open(std::string_view contents) {
    if (GetParam() == 0) return std::make_unique<StringFile>(contents);
    return std::make_unique<CopyingFile>(contents);
  }
  std::size_t block() const {
    return GetParam() == 0 ? RecordReader::kDefaultBlockBytes : GetParam();
  }

  std::vector<std::string> read_all(std::string_view contents, Outcome* last,
                                    RecordDamage* damage = nullptr) {
    auto file = open(contents);
    RecordReader reader(*file, block());
    format::FileHeader header;
    EXPECT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
    std::vector<std::string> out;
    Record r;
    while ((*last = reader.next(&r)) == Outcome::kRecord) out.emplace_back(r.payload);
    if (damage) *damage = reader.damage();
    return out;
  }
};

const std::vector<std::string> kPayloads = {"first", std::string(1000, 'b'), "", "last one"};

TEST_P(RecordReaderTest, ReadsBackWhatWasWritten) {
  std::string contents = file_with(kPayloads, 10);
  auto file = open(contents);
  RecordReader reader(*file, block());
  format::FileHeader header;
  ASSERT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
  EXPECT_EQ(header.first_seq, 10u);
  Record r;
  for (std::size_t i = 0; i < kPayloads.size(); ++i) {
    ASSERT_EQ(reader.next(&r), Outcome::kRecord);
    EXPECT_EQ(r.payload, kPayloads[i]);
    EXPECT_EQ(r.seq, 10 + i);
    EXPECT_EQ(r.type, static_cast<std::uint8_t>(RecordType::kOrderAccepted));
  }
  EXPECT_EQ(reader.next(&r), Outcome::kEnd);
  EXPECT_EQ(reader.offset(), contents.size());
}

TEST_P(RecordReaderTest, EmptySegmentEndsAtOnce) {
  Outcome last;
  EXPECT_TRUE(read_all(file_with({}), &last).empty());
  EXPECT_EQ(last, Outcome::kEnd);
}

TEST_P(RecordReaderTest, TruncatedTrailingRecordIsATornTailAtEveryByteOffset) {
  const std::string file = file_with(kPayloads);
  const std::size_t last_start = file.size() - format::kRecordHeaderSize - kPayloads.back().size();
  for (std::size_t cut = last_start + 1; cut < file.size(); ++cut) {
    Outcome last;
    RecordDamage damage;
    auto records = read_all(std::string_view(file).substr(0, cut), &last, &damage);
    EXPECT_EQ(records.size(), kPayloads.size() - 1) << cut;
    ASSERT_EQ(last, Outcome::kDamaged) << cut;
    EXPECT_TRUE(damage.is_tail) << cut;
    EXPECT_EQ(damage.offset, last_start) << cut;
  }
}

TEST_P(RecordReaderTest, TruncationAtARecordBoundaryIsACleanEnd) {
  const std::string file = file_with(kPayloads);
  const std::size_t last_start = file.size() - format::kRecordHeaderSize - kPayloads.back().size();
  Outcome last;
  auto records = read_all(std::string_view(file).substr(0, last_start), &last);
  EXPECT_EQ(records.size(), kPayloads.size() - 1);
  EXPECT_EQ(last, Outcome::kEnd);
}

TEST_P(RecordReaderTest, EverySingleBitFlipIsDetected) {
  const std::string file = file_with({"alpha", "beta-beta", "gamma"});
  const std::size_t last_start = file.size() - format::kRecordHeaderSize - 5;
  for (std::size_t bit = 8 * format::kFileHeaderSize; bit < 8 * file.size(); ++bit) {
    std::string damaged = file;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    Outcome last;
    RecordDamage damage;
    auto records = read_all(damaged, &last, &damage);
    ASSERT_EQ(last, Outcome::kDamaged) << "bit " << bit;
    // Damage in the last record reads as a torn tail; anywhere else an intact
    // record follows it and it is corruption.
    EXPECT_EQ(damage.is_tail, bit / 8 >= last_start) << "bit " << bit;
    EXPECT_LT(records.size(), 3u);
  }
}

TEST_P(RecordReaderTest, DamageInTheMiddlePointsAtTheNextIntactRecord) {
  std::string file = file_with({"one", "two", "three"});
  const std::size_t second = format::kFileHeaderSize + format::kRecordHeaderSize + 3;
  const std::size_t third = second + format::kRecordHeaderSize + 3;
  file[second + format::kRecordHeaderSize] ^= 0x01;  // second payload
  Outcome last;
  RecordDamage damage;
  auto records = read_all(file, &last, &damage);
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(last, Outcome::kDamaged);
  EXPECT_FALSE(damage.is_tail);
  EXPECT_EQ(damage.offset, second);
  EXPECT_EQ(damage.next_intact_offset, third);
  EXPECT_EQ(damage.reason, "record payload checksum mismatch");
}

TEST_P(RecordReaderTest, ZeroFilledTailIsATornTail) {
  std::string file = file_with({"one"}) + std::string(100, '\0');
  Outcome last;
  RecordDamage damage;
  auto records = read_all(file, &last, &damage);
  EXPECT_EQ(records.size(), 1u);
  ASSERT_EQ(last, Outcome::kDamaged);
  EXPECT_TRUE(damage.is_tail);
}

TEST_P(RecordReaderTest, HeaderOfAnotherKindOrVersionIsReported) {
  std::string contents = file_with({"x"});
  contents[0] = 'Z';
  auto file = open(contents);
  RecordReader reader(*file, block());
  format::FileHeader header;
  EXPECT_EQ(reader.read_header(&header), format::FileHeaderError::kBadMagic);
  auto short_file = open(std::string_view(contents).substr(0, 10));
  RecordReader short_reader(*short_file, block());
  EXPECT_EQ(short_reader.read_header(&header), format::FileHeaderError::kTooShort);
  EXPECT_TRUE(short_reader.status().ok());
}

TEST_P(RecordReaderTest, RewindReadsTheSameRecordsAgain) {
  const std::string contents = file_with(kPayloads);
  auto file = open(contents);
  RecordReader reader(*file, block());
  format::FileHeader header;
  ASSERT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
  for (int pass = 0; pass < 2; ++pass) {
    Record r;
    std::vector<std::string> read;
    while (reader.next(&r) == Outcome::kRecord) read.emplace_back(r.payload);
    EXPECT_EQ(read, kPayloads) << "pass " << pass;
    reader.rewind();
  }
}

INSTANTIATE_TEST_SUITE_P(InMemoryAndInBlocks, RecordReaderTest, ::testing::Values(0, 64, 100),
                         [](const auto& info) {
                           return info.param == 0 ? std::string("InMemory")
                                                  : "Blocks" + std::to_string(info.param);
                         });

TEST(RecordReaderBlocksTest, MemoryStaysWithinABlockWhateverTheFileSize) {
  std::vector<std::string> payloads(20000, std::string(200, 'p'));
  const std::string contents = file_with(payloads);  // about 4.5 MiB
  CopyingFile file(contents);
  RecordReader reader(file, 64 << 10);
  format::FileHeader header;
  ASSERT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
  Record r;
  std::size_t n = 0;
  while (reader.next(&r) == Outcome::kRecord) ++n;
  EXPECT_EQ(n, payloads.size());
  EXPECT_LE(reader.window_capacity(), 64u << 10);
  EXPECT_LE(file.largest_read, 64u << 10);
}

TEST(RecordReaderBlocksTest, ARecordLargerThanABlockIsReadWhole) {
  const std::vector<std::string> payloads = {"a", std::string(5000, 'b'), "c"};
  const std::string contents = file_with(payloads);
  CopyingFile file(contents);
  RecordReader reader(file, 1024);
  format::FileHeader header;
  ASSERT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
  Record r;
  std::vector<std::string> read;
  while (reader.next(&r) == Outcome::kRecord) read.emplace_back(r.payload);
  EXPECT_EQ(read, payloads);
  EXPECT_LE(reader.window_capacity(), 5000u + format::kRecordHeaderSize);
}

TEST(RecordReaderBlocksTest, AFailedReadIsAnErrorNotATornTail) {
  const std::string contents = file_with(kPayloads);
  CopyingFile file(contents);
  file.fail_from = contents.size() - 3;  // inside the last record
  RecordReader reader(file, 64);
  format::FileHeader header;
  ASSERT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
  Record r;
  Outcome last;
  std::size_t n = 0;
  while ((last = reader.next(&r)) == Outcome::kRecord) ++n;
  EXPECT_EQ(last, Outcome::kError);
  EXPECT_TRUE(reader.status().is_io_error()) << reader.status().to_string();
  EXPECT_LT(n, kPayloads.size());
}

TEST(RecordReaderBlocksTest, AFailedHeaderReadIsReportedByStatus) {
  const std::string contents = file_with(kPayloads);
  CopyingFile file(contents);
  file.fail_from = 0;
  RecordReader reader(file);
  format::FileHeader header;
  EXPECT_NE(reader.read_header(&header), format::FileHeaderError::kNone);
  EXPECT_TRUE(reader.status().is_io_error());
}

}  // namespace
}  // namespace orderd::persistence
