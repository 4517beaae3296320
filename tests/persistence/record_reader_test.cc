// Reading framed records back, and telling a torn tail from corruption
// (LevelDB's log_test.cc is the model).
#include "persistence/record_reader.h"

#include <gtest/gtest.h>

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

std::vector<std::string> read_all(std::string_view file, Outcome* last,
                                  RecordDamage* damage = nullptr) {
  RecordReader reader(file);
  format::FileHeader header;
  EXPECT_EQ(reader.read_header(&header), format::FileHeaderError::kNone);
  std::vector<std::string> out;
  Record r;
  while ((*last = reader.next(&r)) == Outcome::kRecord) out.emplace_back(r.payload);
  if (damage) *damage = reader.damage();
  return out;
}

const std::vector<std::string> kPayloads = {"first", std::string(1000, 'b'), "", "last one"};

TEST(RecordReaderTest, ReadsBackWhatWasWritten) {
  std::string file = file_with(kPayloads, 10);
  RecordReader reader(file);
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
  EXPECT_EQ(reader.offset(), file.size());
}

TEST(RecordReaderTest, EmptySegmentEndsAtOnce) {
  Outcome last;
  EXPECT_TRUE(read_all(file_with({}), &last).empty());
  EXPECT_EQ(last, Outcome::kEnd);
}

TEST(RecordReaderTest, TruncatedTrailingRecordIsATornTailAtEveryByteOffset) {
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

TEST(RecordReaderTest, TruncationAtARecordBoundaryIsACleanEnd) {
  const std::string file = file_with(kPayloads);
  const std::size_t last_start = file.size() - format::kRecordHeaderSize - kPayloads.back().size();
  Outcome last;
  auto records = read_all(std::string_view(file).substr(0, last_start), &last);
  EXPECT_EQ(records.size(), kPayloads.size() - 1);
  EXPECT_EQ(last, Outcome::kEnd);
}

TEST(RecordReaderTest, EverySingleBitFlipIsDetected) {
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

TEST(RecordReaderTest, DamageInTheMiddlePointsAtTheNextIntactRecord) {
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

TEST(RecordReaderTest, ZeroFilledTailIsATornTail) {
  std::string file = file_with({"one"}) + std::string(100, '\0');
  Outcome last;
  RecordDamage damage;
  auto records = read_all(file, &last, &damage);
  EXPECT_EQ(records.size(), 1u);
  ASSERT_EQ(last, Outcome::kDamaged);
  EXPECT_TRUE(damage.is_tail);
}

TEST(RecordReaderTest, HeaderOfAnotherKindOrVersionIsReported) {
  std::string file = file_with({"x"});
  file[0] = 'Z';
  RecordReader reader(file);
  format::FileHeader header;
  EXPECT_EQ(reader.read_header(&header), format::FileHeaderError::kBadMagic);
  RecordReader short_reader(std::string_view(file).substr(0, 10));
  EXPECT_EQ(short_reader.read_header(&header), format::FileHeaderError::kTooShort);
}

}  // namespace
}  // namespace orderd::persistence
