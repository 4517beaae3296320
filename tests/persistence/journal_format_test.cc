#include "persistence/journal_format.h"

#include <gtest/gtest.h>

#include "persistence/coding.h"
#include "persistence/crc32c.h"

namespace orderd::persistence::format {
namespace {

TEST(JournalFormatTest, FileHeaderRoundTrips) {
  char buf[kFileHeaderSize];
  encode_file_header({FileKind::kSnapshot, kFormatVersion, 123456789012ull}, buf);
  FileHeader h;
  ASSERT_EQ(decode_file_header({buf, sizeof buf}, &h), FileHeaderError::kNone);
  EXPECT_EQ(h.kind, FileKind::kSnapshot);
  EXPECT_EQ(h.version, kFormatVersion);
  EXPECT_EQ(h.first_seq, 123456789012ull);
  EXPECT_EQ(std::string_view(buf, 8), kSnapshotMagic);
}

TEST(JournalFormatTest, FileHeaderDamageIsNamed) {
  char buf[kFileHeaderSize];
  encode_file_header({FileKind::kJournal, kFormatVersion, 1}, buf);
  FileHeader h;
  EXPECT_EQ(decode_file_header({buf, 31}, &h), FileHeaderError::kTooShort);
  std::string bad_magic(buf, sizeof buf);
  bad_magic[0] = 'X';
  EXPECT_EQ(decode_file_header(bad_magic, &h), FileHeaderError::kBadMagic);
  for (std::size_t bit = 64; bit < 8 * kFileHeaderSize; ++bit) {  // past the magic
    std::string flipped(buf, sizeof buf);
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_EQ(decode_file_header(flipped, &h), FileHeaderError::kBadChecksum) << bit;
  }
}

TEST(JournalFormatTest, NewerVersionIsRefused) {
  char buf[kFileHeaderSize];
  encode_file_header({FileKind::kJournal, kFormatVersion + 1, 1}, buf);
  FileHeader h;
  EXPECT_EQ(decode_file_header({buf, sizeof buf}, &h), FileHeaderError::kNewerVersion);
}

TEST(JournalFormatTest, PasswordHashesAreVersionFourAndVersionsOneToThreeStillDecode) {
  EXPECT_EQ(kFormatVersion, 4u);
  for (std::uint32_t version : {1u, 2u, 3u}) {
    char buf[kFileHeaderSize];
    encode_file_header({FileKind::kSnapshot, version, 7}, buf);
    FileHeader h;
    ASSERT_EQ(decode_file_header({buf, sizeof buf}, &h), FileHeaderError::kNone);
    EXPECT_EQ(h.version, version);
  }
}

TEST(JournalFormatTest, RecordHeaderRoundTripsWithTheLayoutOfTheDiagram) {
  std::string out;
  append_record(&out, RecordType::kProductRestocked, 0x0102030405060708ull, "payload");
  ASSERT_EQ(out.size(), kRecordHeaderSize + 7);
  EXPECT_EQ(decode_u32(out.data() + 8), 7u);
  EXPECT_EQ(static_cast<std::uint8_t>(out[12]),
            static_cast<std::uint8_t>(RecordType::kProductRestocked));
  EXPECT_EQ(out.substr(13, 3), std::string(3, '\0'));
  EXPECT_EQ(decode_u64(out.data() + 16), 0x0102030405060708ull);
  EXPECT_EQ(crc32c::unmask(decode_u32(out.data() + 4)), crc32c::value("payload"));
  RecordHeader h;
  ASSERT_TRUE(decode_record_header(out.data(), &h));
  EXPECT_EQ(h.length, 7u);
  EXPECT_EQ(h.seq, 0x0102030405060708ull);
  EXPECT_EQ(h.payload_crc, payload_checksum("payload"));
}

TEST(JournalFormatTest, EveryBitFlipInARecordHeaderIsDetected) {
  std::string out;
  append_record(&out, RecordType::kOrderAccepted, 77, "x");
  for (std::size_t bit = 0; bit < 8 * kRecordHeaderSize; ++bit) {
    std::string flipped = out;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    RecordHeader h;
    bool intact = decode_record_header(flipped.data(), &h) &&
                  h.payload_crc == payload_checksum(flipped.substr(kRecordHeaderSize));
    EXPECT_FALSE(intact) << "bit " << bit;
  }
}

TEST(JournalFormatTest, OversizedLengthIsRefusedEvenWithAValidChecksum) {
  RecordHeader h;
  h.length = kMaxPayloadSize + 1;
  h.seq = 1;
  char buf[kRecordHeaderSize];
  encode_record_header(h, buf);
  RecordHeader out;
  EXPECT_FALSE(decode_record_header(buf, &out));
}

TEST(JournalFormatTest, TypesAreNamedAndTheSkippableBitIsKnown) {
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kOrderAccepted)),
            "order accepted");
  EXPECT_TRUE(is_known_record_type(static_cast<std::uint8_t>(RecordType::kSnapshotEnd)));
  for (RecordType t :
       {RecordType::kOrderUpdated, RecordType::kCustomerAdded, RecordType::kSnapshotCustomer}) {
    EXPECT_TRUE(is_known_record_type(static_cast<std::uint8_t>(t)));
  }
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kOrderUpdated)),
            "order updated");
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kCustomerAdded)),
            "customer added");
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kSnapshotCustomer)),
            "snapshot customer");
  EXPECT_FALSE(is_known_record_type(0x7F));
  EXPECT_FALSE(is_known_record_type(kSkippableTypeBit | 0x05));
  EXPECT_EQ(record_type_name(kSkippableTypeBit | 0x05), "unknown (skippable)");
}

TEST(JournalFormatTest, IdempotencyRepliesAreKnownAndSkippableByOlderReaders) {
  for (RecordType t : {RecordType::kIdempotencyReply, RecordType::kSnapshotIdempotencyReply}) {
    const auto type = static_cast<std::uint8_t>(t);
    EXPECT_TRUE(is_known_record_type(type));
    EXPECT_NE(type & kSkippableTypeBit, 0) << int(type);
    // Apart from the bit, no other type's number: a reader that masks it off
    // could not confuse them.
    EXPECT_FALSE(is_known_record_type(type & ~kSkippableTypeBit)) << int(type);
  }
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kIdempotencyReply)),
            "idempotency reply");
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kSnapshotIdempotencyReply)),
            "snapshot idempotency reply");
}

TEST(JournalFormatTest, TokenRevocationsAreKnownAndNoReaderMaySkipThem) {
  for (RecordType t : {RecordType::kTokenRevoked, RecordType::kSnapshotTokenRevocation}) {
    const auto type = static_cast<std::uint8_t>(t);
    EXPECT_TRUE(is_known_record_type(type));
    EXPECT_EQ(type & kSkippableTypeBit, 0) << "dropping one would let a revoked token in";
    EXPECT_FALSE(is_known_record_type(type | kSkippableTypeBit)) << int(type);
  }
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kTokenRevoked)),
            "token revoked");
  EXPECT_EQ(record_type_name(static_cast<std::uint8_t>(RecordType::kSnapshotTokenRevocation)),
            "snapshot token revocation");
}

}  // namespace
}  // namespace orderd::persistence::format
