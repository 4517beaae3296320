#include "persistence/file_system.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

TEST(FileSystemTest, WritesReadsRenamesTruncatesAndRemoves) {
  testing::TempDir dir;
  FileSystem& fs = posix_file_system();
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs.create_file(dir.file("a"), &f).ok());
  ASSERT_TRUE(f->append("hello ").ok());
  ASSERT_TRUE(f->append("world").ok());
  ASSERT_TRUE(f->start_writeback().ok());
  ASSERT_TRUE(f->sync().ok());
  ASSERT_TRUE(f->close().ok());
  std::string contents;
  ASSERT_TRUE(read_file(fs, dir.file("a"), &contents).ok());
  EXPECT_EQ(contents, "hello world");
  ASSERT_TRUE(fs.rename_file(dir.file("a"), dir.file("b")).ok());
  ASSERT_TRUE(fs.truncate_file(dir.file("b"), 5).ok());
  std::uint64_t size = 0;
  ASSERT_TRUE(fs.file_size(dir.file("b"), &size).ok());
  EXPECT_EQ(size, 5u);
  std::vector<std::string> names;
  ASSERT_TRUE(fs.list_dir(dir.path(), &names).ok());
  EXPECT_EQ(names, std::vector<std::string>{"b"});
  ASSERT_TRUE(fs.sync_dir(dir.path()).ok());
  ASSERT_TRUE(fs.remove_file(dir.file("b")).ok());
  EXPECT_TRUE(read_file(fs, dir.file("b"), &contents).is_not_found());
  EXPECT_TRUE(fs.file_size(dir.file("b"), &size).is_not_found());
}

TEST(FileSystemTest, CreateEmptiesAnExistingFile) {
  testing::TempDir dir;
  FileSystem& fs = posix_file_system();
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(fs.create_file(dir.file("a"), &f).ok());
  ASSERT_TRUE(f->append("old").ok());
  f.reset();
  ASSERT_TRUE(fs.create_file(dir.file("a"), &f).ok());
  f.reset();
  std::string contents = "x";
  ASSERT_TRUE(read_file(fs, dir.file("a"), &contents).ok());
  EXPECT_EQ(contents, "");
}

TEST(FileSystemTest, ADirectoryIsLockedOnceAtATime) {
  testing::TempDir dir;
  FileSystem& fs = posix_file_system();
  std::unique_ptr<DirectoryLock> first, second;
  ASSERT_TRUE(fs.lock_directory(dir.path(), &first).ok());
  Status s = fs.lock_directory(dir.path(), &second);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("in use"), std::string::npos) << s.to_string();
  first.reset();
  EXPECT_TRUE(fs.lock_directory(dir.path(), &second).ok());
}

TEST(FileSystemTest, CreateDirAcceptsAnExistingDirectory) {
  testing::TempDir dir;
  FileSystem& fs = posix_file_system();
  ASSERT_TRUE(fs.create_dir(dir.file("sub")).ok());
  ASSERT_TRUE(fs.create_dir(dir.file("sub")).ok());
  EXPECT_FALSE(fs.create_dir(dir.file("missing/deeper")).ok());
  EXPECT_EQ(join_path("a", "b"), "a/b");
  EXPECT_EQ(join_path("a/", "b"), "a/b");
}

}  // namespace
}  // namespace orderd::persistence
