#include "persistence/data_files.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace orderd::persistence {
namespace {

constexpr std::string_view kJournalPrefix = "journal-";
constexpr std::string_view kJournalSuffix = ".log";
constexpr std::string_view kSnapshotPrefix = "snapshot-";
constexpr std::string_view kSnapshotSuffix = ".snap";
constexpr std::string_view kTempSuffix = ".snap.tmp";
constexpr std::size_t kDigits = 20;

std::string numbered(std::string_view prefix, std::uint64_t seq, std::string_view suffix) {
  char digits[kDigits + 1];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(seq));
  std::string name(prefix);
  name.append(digits, kDigits);
  name.append(suffix);
  return name;
}

// Parses prefix + exactly kDigits digits + suffix.
bool parse_numbered(std::string_view name, std::string_view prefix, std::string_view suffix,
                    std::uint64_t* seq) {
  if (name.size() != prefix.size() + kDigits + suffix.size()) return false;
  if (name.substr(0, prefix.size()) != prefix) return false;
  if (name.substr(prefix.size() + kDigits) != suffix) return false;
  std::string_view digits = name.substr(prefix.size(), kDigits);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *seq);
  return ec == std::errc() && end == digits.data() + digits.size();
}

bool by_seq(const DataFile& a, const DataFile& b) { return a.seq < b.seq; }

}  // namespace

std::string journal_file_name(std::uint64_t first_seq) {
  return numbered(kJournalPrefix, first_seq, kJournalSuffix);
}

std::string snapshot_file_name(std::uint64_t replay_from_seq) {
  return numbered(kSnapshotPrefix, replay_from_seq, kSnapshotSuffix);
}

std::string snapshot_temp_file_name(std::uint64_t replay_from_seq) {
  return numbered(kSnapshotPrefix, replay_from_seq, kTempSuffix);
}

DataFile parse_data_file_name(std::string_view name) {
  DataFile f;
  f.name.assign(name);
  if (parse_numbered(name, kJournalPrefix, kJournalSuffix, &f.seq)) {
    f.kind = DataFileKind::kJournal;
  } else if (parse_numbered(name, kSnapshotPrefix, kSnapshotSuffix, &f.seq)) {
    f.kind = DataFileKind::kSnapshot;
  } else if (parse_numbered(name, kSnapshotPrefix, kTempSuffix, &f.seq)) {
    f.kind = DataFileKind::kSnapshotTemp;
  }
  return f;
}

Status list_data_files(FileSystem& fs, const std::string& dir, DataDirectoryListing* listing) {
  *listing = {};
  std::vector<std::string> names;
  if (Status s = fs.list_dir(dir, &names); !s.ok()) return s;
  for (const auto& name : names) {
    DataFile f = parse_data_file_name(name);
    switch (f.kind) {
      case DataFileKind::kJournal:
        listing->journals.push_back(std::move(f));
        break;
      case DataFileKind::kSnapshot:
        listing->snapshots.push_back(std::move(f));
        break;
      case DataFileKind::kSnapshotTemp:
        listing->temporaries.push_back(std::move(f));
        break;
      case DataFileKind::kOther:
        break;
    }
  }
  std::sort(listing->journals.begin(), listing->journals.end(), by_seq);
  std::sort(listing->snapshots.begin(), listing->snapshots.end(), by_seq);
  return Status();
}

}  // namespace orderd::persistence
