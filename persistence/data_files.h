// The names of the files in a data directory, and listing them in order.
//
//   journal-<first seq, 20 digits>.log     a journal segment
//   snapshot-<replay-from seq, 20 digits>.snap
//   snapshot-<...>.snap.tmp                a snapshot being written (or a
//                                          crash's leftover, removed on open)
//   LOCK                                   held by the running process
//
// Zero-padded numbers make name order equal sequence order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/file_system.h"
#include "persistence/status.h"

namespace orderd::persistence {

enum class DataFileKind { kJournal, kSnapshot, kSnapshotTemp, kOther };

struct DataFile {
  DataFileKind kind = DataFileKind::kOther;
  std::uint64_t seq = 0;
  std::string name;
};

std::string journal_file_name(std::uint64_t first_seq);
std::string snapshot_file_name(std::uint64_t replay_from_seq);
std::string snapshot_temp_file_name(std::uint64_t replay_from_seq);

DataFile parse_data_file_name(std::string_view name);

struct DataDirectoryListing {
  std::vector<DataFile> journals;   // ascending first seq
  std::vector<DataFile> snapshots;  // ascending replay-from seq
  std::vector<DataFile> temporaries;
};

Status list_data_files(FileSystem& fs, const std::string& dir, DataDirectoryListing* listing);

}  // namespace orderd::persistence
