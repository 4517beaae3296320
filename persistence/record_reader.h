// Reads the records of one journal segment or snapshot file and tells intact
// records from damage (LevelDB's log::Reader is the model). It classifies
// but does not decide: recovery chooses what to do.
//
// The file is read in blocks (block_bytes, 1 MiB by default) into a window
// the reader reuses, so memory stays bounded whatever the file's size: at
// most a block, or one record's header and payload if larger (a payload is
// at most format::kMaxPayloadSize). A file already in memory is read in
// place.
//
// Damage is anything at the read position that is not an intact record: a
// header cut short by the end of the file, a header checksum mismatch, a
// payload running past the end of the file, a payload checksum mismatch.
// Damage with no intact record after it is the torn tail a crashed writer
// leaves; damage with an intact record after it is corruption in the middle.
// Telling them apart scans forward for an intact record, which the header's
// own checksum keeps cheap.
//
// A failed read is neither: the reader stops with kError and status(), so
// that an I/O error is never taken for a torn tail and cut off.
//
// Thread safety: one thread per reader. No allocation while reading, once
// the window has grown to the largest record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/file_system.h"
#include "persistence/journal_format.h"
#include "persistence/status.h"

namespace orderd::persistence {

struct Record {
  std::uint8_t type = 0;
  std::uint64_t seq = 0;
  std::string_view payload;  // valid until the reader's next call
  std::uint64_t offset = 0;  // where its header starts
};

struct RecordDamage {
  std::uint64_t offset = 0;  // where the damaged record starts
  std::string reason;
  // No intact record follows: the end of the log, as a crashed writer leaves it.
  bool is_tail = false;
  // When !is_tail: the first intact record after the damage.
  std::uint64_t next_intact_offset = 0;
};

class RecordReader {
 public:
  enum class Outcome { kRecord, kEnd, kDamaged, kError };

  static constexpr std::size_t kDefaultBlockBytes = 1u << 20;

  // `file` must outlive the reader.
  explicit RecordReader(ReadableFile& file, std::size_t block_bytes = kDefaultBlockBytes);

  // Checks the file header; call first. On success records start after it.
  // On a failed read returns kTooShort and status() says why: check it.
  format::FileHeaderError read_header(format::FileHeader* header);

  // kRecord: `record` is filled and the reader moves past it. kEnd: the
  // file ends exactly after the last record. kDamaged: see damage(); the
  // reader stays at the damage. kError: a read failed, see status().
  Outcome next(Record* record);

  // Back to the first record, for another pass over the file.
  void rewind() { offset_ = format::kFileHeaderSize; }

  const RecordDamage& damage() const { return damage_; }
  const Status& status() const { return status_; }
  // End of the last intact record read (after the header at first).
  std::uint64_t offset() const { return offset_; }
  std::uint64_t file_size() const { return size_; }
  // The most bytes the reader has held at once.
  std::size_t window_capacity() const { return buffer_.size(); }

  // Whether an intact record starts anywhere in [from, end of file).
  // Returns its offset in `*found`. False on a failed read too: check
  // status().
  bool find_intact_record(std::uint64_t from, std::uint64_t* found);

 private:
  // Checks the record at `at`; on failure sets `reason` when given.
  bool intact_at(std::uint64_t at, format::RecordHeader* header, const char** reason);
  // Makes [at, at + n) of the file readable at window_ + (at - window_start_).
  // False when the file ends first or a read fails (status_).
  bool fetch(std::uint64_t at, std::size_t n);
  const char* bytes_at(std::uint64_t at) const { return window_.data() + (at - window_start_); }

  ReadableFile& file_;
  const std::uint64_t size_;
  const std::size_t block_bytes_;
  std::string buffer_;       // the window's storage, unless in memory
  std::string_view window_;  // file bytes [window_start_, + size)
  std::uint64_t window_start_ = 0;
  bool whole_file_in_window_ = false;  // the file was in memory: read in place
  std::uint64_t offset_ = 0;
  RecordDamage damage_;
  Status status_;
};

}  // namespace orderd::persistence
