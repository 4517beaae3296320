// Helpers shared by the persistence tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persistence/data_files.h"
#include "persistence/file_system.h"
#include "persistence/record_reader.h"

namespace orderd::persistence::testing {

struct ReadRecord {
  std::string file;
  std::uint8_t type = 0;
  std::uint64_t seq = 0;
  std::string payload;
};

// Every intact record of every journal segment in `dir`, in file order;
// fails the test on damage.
inline std::vector<ReadRecord> read_journal(const std::string& dir) {
  FileSystem& fs = posix_file_system();
  DataDirectoryListing listing;
  EXPECT_TRUE(list_data_files(fs, dir, &listing).ok());
  std::vector<ReadRecord> out;
  for (const auto& segment : listing.journals) {
    std::string contents;
    EXPECT_TRUE(read_file(fs, join_path(dir, segment.name), &contents).ok());
    StringFile file(contents);
    RecordReader reader(file);
    format::FileHeader header;
    EXPECT_EQ(reader.read_header(&header), format::FileHeaderError::kNone) << segment.name;
    EXPECT_EQ(header.first_seq, segment.seq);
    Record r;
    RecordReader::Outcome outcome;
    while ((outcome = reader.next(&r)) == RecordReader::Outcome::kRecord) {
      out.push_back({segment.name, r.type, r.seq, std::string(r.payload)});
    }
    EXPECT_EQ(outcome, RecordReader::Outcome::kEnd)
        << segment.name << ": " << reader.damage().reason;
  }
  return out;
}

inline std::string read_whole(const std::string& path) {
  std::string contents;
  EXPECT_TRUE(read_file(posix_file_system(), path, &contents).ok()) << path;
  return contents;
}

// Replaces the file. Removed first: emptying a file in place makes ext4
// flush it (auto_da_alloc), which would make loops over many damaged
// copies slow.
inline void write_whole(const std::string& path, std::string_view contents) {
  (void)posix_file_system().remove_file(path);
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(posix_file_system().create_file(path, &f).ok()) << path;
  ASSERT_TRUE(f->append(contents).ok());
  ASSERT_TRUE(f->close().ok());
}

}  // namespace orderd::persistence::testing
