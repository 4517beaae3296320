// Reads the records of one journal segment or snapshot file, held whole in
// memory, and tells intact records from damage (LevelDB's log::Reader is the
// model). It classifies but does not decide: recovery chooses what to do.
//
// Damage is anything at the read position that is not an intact record: a
// header cut short by the end of the file, a header checksum mismatch, a
// payload running past the end of the file, a payload checksum mismatch.
// Damage with no intact record after it is the torn tail a crashed writer
// leaves; damage with an intact record after it is corruption in the middle.
// Telling them apart scans forward for an intact record, which the header's
// own checksum keeps cheap.
//
// Thread safety: one thread per reader. No allocation while reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/journal_format.h"

namespace orderd::persistence {

struct Record {
  std::uint8_t type = 0;
  std::uint64_t seq = 0;
  std::string_view payload;  // points into the file
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
  enum class Outcome { kRecord, kEnd, kDamaged };

  // `file` is the whole file and must outlive the reader.
  explicit RecordReader(std::string_view file) : file_(file) {}

  // Checks the file header; call first. On success records start after it.
  format::FileHeaderError read_header(format::FileHeader* header);

  // kRecord: `record` is filled and the reader moves past it. kEnd: the
  // file ends exactly after the last record. kDamaged: see damage(); the
  // reader stays at the damage.
  Outcome next(Record* record);

  const RecordDamage& damage() const { return damage_; }
  // End of the last intact record read (after the header at first).
  std::uint64_t offset() const { return offset_; }
  std::uint64_t file_size() const { return file_.size(); }

  // Whether an intact record starts anywhere in [from, end of file).
  // Returns its offset in `*found`.
  bool find_intact_record(std::uint64_t from, std::uint64_t* found) const;

 private:
  // Checks the record at `at`; on failure sets `reason` when given.
  bool intact_at(std::uint64_t at, format::RecordHeader* header, const char** reason) const;

  std::string_view file_;
  std::uint64_t offset_ = 0;
  RecordDamage damage_;
};

}  // namespace orderd::persistence
