#include "persistence/journal_format.h"

#include <cstring>

#include "persistence/coding.h"
#include "persistence/crc32c.h"

namespace orderd::persistence::format {

std::string_view record_type_name(std::uint8_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::kOrderAccepted:
      return "order accepted";
    case RecordType::kOrderStatusChanged:
      return "order status changed";
    case RecordType::kProductAdded:
      return "product added";
    case RecordType::kProductRestocked:
      return "product restocked";
    case RecordType::kOrderUpdated:
      return "order updated";
    case RecordType::kCustomerAdded:
      return "customer added";
    case RecordType::kSnapshotBegin:
      return "snapshot begin";
    case RecordType::kSnapshotOrder:
      return "snapshot order";
    case RecordType::kSnapshotProduct:
      return "snapshot product";
    case RecordType::kSnapshotEnd:
      return "snapshot end";
    case RecordType::kSnapshotCustomer:
      return "snapshot customer";
    case RecordType::kIdempotencyReply:
      return "idempotency reply";
    case RecordType::kSnapshotIdempotencyReply:
      return "snapshot idempotency reply";
    case RecordType::kTokenRevoked:
      return "token revoked";
    case RecordType::kSnapshotTokenRevocation:
      return "snapshot token revocation";
  }
  return (type & kSkippableTypeBit) ? "unknown (skippable)" : "unknown";
}

bool is_known_record_type(std::uint8_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::kOrderAccepted:
    case RecordType::kOrderStatusChanged:
    case RecordType::kProductAdded:
    case RecordType::kProductRestocked:
    case RecordType::kOrderUpdated:
    case RecordType::kCustomerAdded:
    case RecordType::kSnapshotBegin:
    case RecordType::kSnapshotOrder:
    case RecordType::kSnapshotProduct:
    case RecordType::kSnapshotEnd:
    case RecordType::kSnapshotCustomer:
    case RecordType::kIdempotencyReply:
    case RecordType::kSnapshotIdempotencyReply:
    case RecordType::kTokenRevoked:
    case RecordType::kSnapshotTokenRevocation:
      return true;
  }
  return false;
}

void encode_file_header(const FileHeader& header, char* out) {
  std::memset(out, 0, kFileHeaderSize);
  std::string_view magic = header.kind == FileKind::kJournal ? kJournalMagic : kSnapshotMagic;
  std::memcpy(out, magic.data(), magic.size());
  encode_u32(out + 8, header.version);
  encode_u32(out + 12, static_cast<std::uint32_t>(kFileHeaderSize));
  encode_u64(out + 16, header.first_seq);
  encode_u32(out + 28, crc32c::mask(crc32c::value(out, 28)));
}

FileHeaderError decode_file_header(std::string_view file, FileHeader* header) {
  if (file.size() < kFileHeaderSize) return FileHeaderError::kTooShort;
  const char* p = file.data();
  FileKind kind;
  if (file.substr(0, 8) == kJournalMagic) {
    kind = FileKind::kJournal;
  } else if (file.substr(0, 8) == kSnapshotMagic) {
    kind = FileKind::kSnapshot;
  } else {
    return FileHeaderError::kBadMagic;
  }
  if (crc32c::unmask(decode_u32(p + 28)) != crc32c::value(p, 28)) {
    return FileHeaderError::kBadChecksum;
  }
  std::uint32_t version = decode_u32(p + 8);
  if (version > kFormatVersion) return FileHeaderError::kNewerVersion;
  header->kind = kind;
  header->version = version;
  header->first_seq = decode_u64(p + 16);
  return FileHeaderError::kNone;
}

std::string_view file_header_error_name(FileHeaderError e) {
  switch (e) {
    case FileHeaderError::kNone:
      return "ok";
    case FileHeaderError::kTooShort:
      return "file shorter than its header";
    case FileHeaderError::kBadMagic:
      return "not an orderd journal or snapshot file";
    case FileHeaderError::kBadChecksum:
      return "file header checksum mismatch";
    case FileHeaderError::kNewerVersion:
      return "written by a newer format version";
  }
  return "unknown";
}

void encode_record_header(const RecordHeader& header, char* out) {
  encode_u32(out + 4, header.payload_crc);
  encode_u32(out + 8, header.length);
  out[12] = static_cast<char>(header.type);
  out[13] = out[14] = out[15] = 0;
  encode_u64(out + 16, header.seq);
  encode_u32(out, crc32c::mask(crc32c::value(out + 4, kRecordHeaderSize - 4)));
}

bool decode_record_header(const char* in, RecordHeader* header) {
  if (crc32c::unmask(decode_u32(in)) != crc32c::value(in + 4, kRecordHeaderSize - 4)) {
    return false;
  }
  header->payload_crc = decode_u32(in + 4);
  header->length = decode_u32(in + 8);
  header->type = static_cast<std::uint8_t>(in[12]);
  header->seq = decode_u64(in + 16);
  return header->length <= kMaxPayloadSize;
}

std::uint32_t payload_checksum(std::string_view payload) {
  return crc32c::mask(crc32c::value(payload));
}

void append_record(std::string* out, RecordType type, std::uint64_t seq, std::string_view payload) {
  RecordHeader header;
  header.payload_crc = payload_checksum(payload);
  header.length = static_cast<std::uint32_t>(payload.size());
  header.type = static_cast<std::uint8_t>(type);
  header.seq = seq;
  char framed[kRecordHeaderSize];
  encode_record_header(header, framed);
  out->append(framed, sizeof framed);
  out->append(payload.data(), payload.size());
}

}  // namespace orderd::persistence::format
