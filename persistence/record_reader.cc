#include "persistence/record_reader.h"

#include "persistence/crc32c.h"

namespace orderd::persistence {

format::FileHeaderError RecordReader::read_header(format::FileHeader* header) {
  format::FileHeaderError e = format::decode_file_header(file_, header);
  if (e == format::FileHeaderError::kNone) offset_ = format::kFileHeaderSize;
  return e;
}

bool RecordReader::intact_at(std::uint64_t at, format::RecordHeader* header,
                             const char** reason) const {
  const std::uint64_t size = file_.size();
  if (size - at < format::kRecordHeaderSize) {
    if (reason) *reason = "record header cut short by the end of the file";
    return false;
  }
  if (!format::decode_record_header(file_.data() + at, header)) {
    if (reason) *reason = "record header checksum mismatch";
    return false;
  }
  if (size - at - format::kRecordHeaderSize < header->length) {
    if (reason) *reason = "record payload cut short by the end of the file";
    return false;
  }
  std::string_view payload = file_.substr(at + format::kRecordHeaderSize, header->length);
  if (crc32c::unmask(header->payload_crc) != crc32c::value(payload)) {
    if (reason) *reason = "record payload checksum mismatch";
    return false;
  }
  return true;
}

RecordReader::Outcome RecordReader::next(Record* record) {
  if (offset_ == file_.size()) return Outcome::kEnd;
  format::RecordHeader header;
  const char* reason = nullptr;
  if (intact_at(offset_, &header, &reason)) {
    record->type = header.type;
    record->seq = header.seq;
    record->payload = file_.substr(offset_ + format::kRecordHeaderSize, header.length);
    record->offset = offset_;
    offset_ += format::kRecordHeaderSize + header.length;
    return Outcome::kRecord;
  }
  damage_ = {};
  damage_.offset = offset_;
  damage_.reason = reason;
  damage_.is_tail = !find_intact_record(offset_ + 1, &damage_.next_intact_offset);
  return Outcome::kDamaged;
}

bool RecordReader::find_intact_record(std::uint64_t from, std::uint64_t* found) const {
  format::RecordHeader header;
  for (std::uint64_t at = from; at + format::kRecordHeaderSize <= file_.size(); ++at) {
    if (intact_at(at, &header, nullptr)) {
      *found = at;
      return true;
    }
  }
  return false;
}

}  // namespace orderd::persistence
