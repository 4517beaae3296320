#include "persistence/record_reader.h"

#include <algorithm>

#include "persistence/crc32c.h"

namespace orderd::persistence {

RecordReader::RecordReader(ReadableFile& file, std::size_t block_bytes)
    : file_(file), size_(file.size()), block_bytes_(std::max<std::size_t>(block_bytes, 64)) {
  whole_file_in_window_ = file_.in_memory(&window_);
}

bool RecordReader::fetch(std::uint64_t at, std::size_t n) {
  if (at > size_ || size_ - at < n) return false;
  if (at >= window_start_ && at - window_start_ <= window_.size() &&
      window_.size() - (at - window_start_) >= n) {
    return true;
  }
  if (!status_.ok() || whole_file_in_window_) return false;
  // Start the window at `at`: the reader moves forward, so what lies
  // before is not needed again.
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(std::max(n, block_bytes_), size_ - at));
  if (buffer_.size() < want) buffer_.resize(want);
  std::size_t got = 0;
  status_ = file_.read_at(at, want, buffer_.data(), &got);
  if (status_.ok() && got < n) {
    status_ = Status::io_error("the file ended early at offset " + std::to_string(at + got), 0);
  }
  if (!status_.ok()) {
    window_ = {};
    return false;
  }
  window_start_ = at;
  window_ = std::string_view(buffer_.data(), got);
  return true;
}

format::FileHeaderError RecordReader::read_header(format::FileHeader* header) {
  const std::size_t n =
      static_cast<std::size_t>(std::min<std::uint64_t>(size_, format::kFileHeaderSize));
  if (!fetch(0, n)) return format::FileHeaderError::kTooShort;
  format::FileHeaderError e = format::decode_file_header(std::string_view(bytes_at(0), n), header);
  if (e == format::FileHeaderError::kNone) offset_ = format::kFileHeaderSize;
  return e;
}

bool RecordReader::intact_at(std::uint64_t at, format::RecordHeader* header, const char** reason) {
  if (size_ - at < format::kRecordHeaderSize) {
    if (reason) *reason = "record header cut short by the end of the file";
    return false;
  }
  if (!fetch(at, format::kRecordHeaderSize)) return false;
  if (!format::decode_record_header(bytes_at(at), header)) {
    if (reason) *reason = "record header checksum mismatch";
    return false;
  }
  if (size_ - at - format::kRecordHeaderSize < header->length) {
    if (reason) *reason = "record payload cut short by the end of the file";
    return false;
  }
  // Bounded: the header's checksum held, so length <= kMaxPayloadSize.
  if (!fetch(at, format::kRecordHeaderSize + header->length)) return false;
  std::string_view payload(bytes_at(at) + format::kRecordHeaderSize, header->length);
  if (crc32c::unmask(header->payload_crc) != crc32c::value(payload)) {
    if (reason) *reason = "record payload checksum mismatch";
    return false;
  }
  return true;
}

RecordReader::Outcome RecordReader::next(Record* record) {
  if (!status_.ok()) return Outcome::kError;
  if (offset_ == size_) return Outcome::kEnd;
  format::RecordHeader header;
  const char* reason = nullptr;
  if (intact_at(offset_, &header, &reason)) {
    record->type = header.type;
    record->seq = header.seq;
    record->payload =
        std::string_view(bytes_at(offset_) + format::kRecordHeaderSize, header.length);
    record->offset = offset_;
    offset_ += format::kRecordHeaderSize + header.length;
    return Outcome::kRecord;
  }
  if (!status_.ok()) return Outcome::kError;
  damage_ = {};
  damage_.offset = offset_;
  damage_.reason = reason;
  damage_.is_tail = !find_intact_record(offset_ + 1, &damage_.next_intact_offset);
  if (!status_.ok()) return Outcome::kError;
  return Outcome::kDamaged;
}

bool RecordReader::find_intact_record(std::uint64_t from, std::uint64_t* found) {
  format::RecordHeader header;
  for (std::uint64_t at = from; at + format::kRecordHeaderSize <= size_; ++at) {
    if (intact_at(at, &header, nullptr)) {
      *found = at;
      return true;
    }
    if (!status_.ok()) return false;
  }
  return false;
}

}  // namespace orderd::persistence
