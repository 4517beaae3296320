// The on-disk format shared by the journal writer, the journal reader and
// snapshots: one file header, then records, each framed and checksummed.
// Both sides include this header and nothing else defines the layout.
//
// A file (journal segment or snapshot):
//
//   +--------------------+----------+----------+-- ... --+----------+
//   | file header (32 B) | record 1 | record 2 |         | record N |
//   +--------------------+----------+----------+-- ... --+----------+
//
// File header, little-endian:
//
//    0               8       12      16              24      28      32
//   +---------------+-------+-------+---------------+-------+-------+
//   | magic (8)     |version|  size | first seq (8) |   0   | crc   |
//   +---------------+-------+-------+---------------+-------+-------+
//   magic    "orderdJL" (journal segment) or "orderdSS" (snapshot)
//   version  kFormatVersion; a reader refuses a newer version
//   size     header bytes (32); lets a later version grow the header
//   first    journal: sequence number of the first record in the file;
//            snapshot: the sequence number replay starts from
//   crc      masked CRC32C of bytes 0..27
//
// Record, little-endian, 24-byte header then `length` payload bytes:
//
//    0       4       8       12  13      16              24
//   +-------+-------+-------+---+-------+---------------+----------------+
//   | hcrc  | pcrc  | length|typ|  0 0 0| sequence (8)  | payload ...    |
//   +-------+-------+-------+---+-------+---------------+----------------+
//   hcrc     masked CRC32C of header bytes 4..23 (which include pcrc, so it
//            checks the whole record: header and payload)
//   pcrc     masked CRC32C of the payload
//   length   payload bytes, at most kMaxPayloadSize
//   type     RecordType; bit 7 set marks a record an older reader may skip
//   sequence one number per record, +1 from the previous record of the
//            journal, across segment files
//
// The header has its own checksum so that a damaged length is caught before
// it is believed: a reader can then tell a torn tail (the file ends inside a
// record) from damage in the middle, and can scan forward for the next
// intact record without reading garbage lengths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace orderd::persistence::format {

// 2: statuses Shipped, Delivered and Returned and their timestamps.
// 3: managed orders' details and client notes, SKUs, order updates and
// registered customers; later, still 3: replies stored under idempotency
// keys, in record types an older version 3 reader skips (see RecordType).
// 4: a registered customer's password hash, a trailing field; revoked
// tokens, in record types no reader may skip (see RecordType).
// Each version only adds (record types, flag bits,
// fields behind them, trailing fields), so a record of an older version is a
// valid record of this one with the same meaning, and older files are read
// as they are; an older reader refuses a newer file by its header version.
// So the version goes up whenever an older reader could not read a newer
// file right: a field it does not know (version 3 takes a trailing password
// hash for damage), or a record it must not skip. It stays when the older
// reader, skipping what it may, still rebuilds a correct state.
inline constexpr std::uint32_t kFormatVersion = 4;
inline constexpr std::size_t kFileHeaderSize = 32;
inline constexpr std::size_t kRecordHeaderSize = 24;
// Far above any record orderd writes (an order of 1000 items is ~20 KiB);
// bounds what a damaged but checksum-valid header could make a reader read.
inline constexpr std::uint32_t kMaxPayloadSize = 16u << 20;

inline constexpr std::string_view kJournalMagic = "orderdJL";
inline constexpr std::string_view kSnapshotMagic = "orderdSS";

// A reader that meets an unknown type with this bit set skips the record;
// an unknown type without it is an error (the file needs a newer reader).
inline constexpr std::uint8_t kSkippableTypeBit = 0x80;

enum class RecordType : std::uint8_t {
  // Journal records (see record_codec.h for payloads).
  kOrderAccepted = 1,
  kOrderStatusChanged = 2,
  kProductAdded = 3,
  kProductRestocked = 4,
  kOrderUpdated = 5,   // version 3
  kCustomerAdded = 6,  // version 3
  // Snapshot records.
  kSnapshotBegin = 16,
  kSnapshotOrder = 17,
  kSnapshotProduct = 18,
  kSnapshotEnd = 19,
  kSnapshotCustomer = 20,  // version 3
  // A reply stored under an idempotency key, in the journal and in
  // snapshots (version 3, added later). Skippable: no other record depends
  // on one, so a reader that drops them rebuilds the same orders, products
  // and customers and only forgets the replies, which is what a reader
  // without them did anyway. Refusing them instead would make such a
  // reader treat every newer snapshot as damaged and stop at every journal
  // segment that holds one, for no gain in safety.
  kIdempotencyReply = kSkippableTypeBit | 7,
  kSnapshotIdempotencyReply = kSkippableTypeBit | 21,
  // A revoked token, its id and the instant its token expires anyway, in
  // the journal and in snapshots (version 4). Not skippable, unlike the
  // replies: a reader that dropped them would let every revoked token in
  // again until it expires, a loss of security that nothing would show.
  // So a reader that does not know them must stop there, and an older one
  // refuses the file by its version before it gets to one.
  kTokenRevoked = 8,
  kSnapshotTokenRevocation = 22,
};

std::string_view record_type_name(std::uint8_t type);
bool is_known_record_type(std::uint8_t type);

enum class FileKind { kJournal, kSnapshot };

struct FileHeader {
  FileKind kind = FileKind::kJournal;
  std::uint32_t version = kFormatVersion;
  std::uint64_t first_seq = 0;
};

// Writes kFileHeaderSize bytes.
void encode_file_header(const FileHeader& header, char* out);

enum class FileHeaderError { kNone, kTooShort, kBadMagic, kBadChecksum, kNewerVersion };
// Reads the header at the start of `file`; on success fills `header`.
FileHeaderError decode_file_header(std::string_view file, FileHeader* header);
std::string_view file_header_error_name(FileHeaderError e);

struct RecordHeader {
  std::uint32_t payload_crc = 0;  // masked
  std::uint32_t length = 0;
  std::uint8_t type = 0;
  std::uint64_t seq = 0;
};

// Writes kRecordHeaderSize bytes for a payload whose masked CRC is
// `header.payload_crc`; computes hcrc over the rest.
void encode_record_header(const RecordHeader& header, char* out);

// Parses and checks the header checksum of the kRecordHeaderSize bytes at
// `in`. The payload is not checked here.
bool decode_record_header(const char* in, RecordHeader* header);

// The masked payload CRC to put in a RecordHeader.
std::uint32_t payload_checksum(std::string_view payload);

// Appends a whole framed record (header and payload) to `out`.
void append_record(std::string* out, RecordType type, std::uint64_t seq, std::string_view payload);

}  // namespace orderd::persistence::format
