#include "persistence/data_files.h"

#include <gtest/gtest.h>

#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

TEST(DataFilesTest, NamesSortLikeTheirSequenceNumbers) {
  EXPECT_EQ(journal_file_name(1), "journal-00000000000000000001.log");
  EXPECT_EQ(snapshot_file_name(42), "snapshot-00000000000000000042.snap");
  EXPECT_EQ(snapshot_temp_file_name(42), "snapshot-00000000000000000042.snap.tmp");
  EXPECT_LT(journal_file_name(9), journal_file_name(10));
  EXPECT_LT(journal_file_name(99999), journal_file_name(100000));
}

TEST(DataFilesTest, ParsesWhatItNamesAndNothingElse) {
  auto f = parse_data_file_name(journal_file_name(18446744073709551615ull));
  EXPECT_EQ(f.kind, DataFileKind::kJournal);
  EXPECT_EQ(f.seq, 18446744073709551615ull);
  EXPECT_EQ(parse_data_file_name(snapshot_file_name(7)).kind, DataFileKind::kSnapshot);
  EXPECT_EQ(parse_data_file_name(snapshot_temp_file_name(7)).kind, DataFileKind::kSnapshotTemp);
  for (const char* other :
       {"LOCK", "journal-1.log", "journal-0000000000000000000x.log",
        "journal-00000000000000000001.log.discarded", "snapshot-00000000000000000001.snapx"}) {
    EXPECT_EQ(parse_data_file_name(other).kind, DataFileKind::kOther) << other;
  }
}

TEST(DataFilesTest, ListingGroupsAndOrdersFiles) {
  testing::TempDir dir;
  FileSystem& fs = posix_file_system();
  for (const auto& name : {journal_file_name(30), journal_file_name(1), snapshot_file_name(20),
                           snapshot_temp_file_name(40), std::string("LOCK")}) {
    std::unique_ptr<WritableFile> f;
    ASSERT_TRUE(fs.create_file(dir.file(name), &f).ok());
  }
  DataDirectoryListing listing;
  ASSERT_TRUE(list_data_files(fs, dir.path(), &listing).ok());
  ASSERT_EQ(listing.journals.size(), 2u);
  EXPECT_EQ(listing.journals[0].seq, 1u);
  EXPECT_EQ(listing.journals[1].seq, 30u);
  ASSERT_EQ(listing.snapshots.size(), 1u);
  EXPECT_EQ(listing.snapshots[0].seq, 20u);
  ASSERT_EQ(listing.temporaries.size(), 1u);
}

}  // namespace
}  // namespace orderd::persistence
