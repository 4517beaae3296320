// The file operations persistence needs, behind an interface so that tests
// can substitute a file system that fails on purpose (short writes, fsync
// errors, a full disk) or forgets what was never synced.
//
// Thread safety: a FileSystem may be used from any thread. A WritableFile is
// used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/status.h"

namespace orderd::persistence {

class WritableFile {
 public:
  virtual ~WritableFile() = default;  // closes the file if still open, ignoring errors

  // Appends all of `data`, retrying short writes. On error an unknown prefix
  // of `data` may have reached the file.
  virtual Status append(std::string_view data) = 0;
  // Makes everything appended so far durable (fdatasync).
  virtual Status sync() = 0;
  // Starts writing back what was appended so far without waiting for it
  // and without forcing a file system commit (sync_file_range): spreads a
  // large file's writes over time so that a later sync() is short. A hint;
  // durability still needs sync().
  virtual Status start_writeback() { return Status(); }
  virtual Status close() = 0;
};

// A file opened for reading at any offset. Recovery reads through one in
// bounded blocks, so that a multi-GiB journal or snapshot never has to fit
// in memory.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;

  virtual std::uint64_t size() const = 0;
  // Reads up to `n` bytes at `offset` into `dst`; fewer (`*got`) only at
  // the end of the file.
  virtual Status read_at(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) = 0;
  // The whole file, when it is already in memory and reading needs no copy.
  virtual bool in_memory(std::string_view* /*contents*/) const { return false; }
};

// A ReadableFile over bytes held elsewhere, which must outlive it.
class StringFile final : public ReadableFile {
 public:
  explicit StringFile(std::string_view contents) : contents_(contents) {}
  std::uint64_t size() const override { return contents_.size(); }
  Status read_at(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override;
  bool in_memory(std::string_view* contents) const override {
    *contents = contents_;
    return true;
  }

 private:
  std::string_view contents_;
};

// Held while a process owns a data directory; released when destroyed.
class DirectoryLock {
 public:
  virtual ~DirectoryLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates `path`, or empties it if it exists, for appending.
  virtual Status create_file(const std::string& path, std::unique_ptr<WritableFile>* file) = 0;
  // Opens `path` for reading; not_found if it does not exist.
  virtual Status open_file(const std::string& path, std::unique_ptr<ReadableFile>* file) = 0;
  virtual Status file_size(const std::string& path, std::uint64_t* size) = 0;
  // Names (not paths) of the entries in `dir`, without "." and "..".
  virtual Status list_dir(const std::string& dir, std::vector<std::string>* names) = 0;
  // Creates `dir` (one level); OK if it exists.
  virtual Status create_dir(const std::string& dir) = 0;
  // Makes the directory's entries (creations, renames, removals) durable.
  virtual Status sync_dir(const std::string& dir) = 0;
  // Atomically replaces `to` with `from`.
  virtual Status rename_file(const std::string& from, const std::string& to) = 0;
  virtual Status remove_file(const std::string& path) = 0;
  // Cuts the file to `size` bytes and makes that durable.
  virtual Status truncate_file(const std::string& path, std::uint64_t size) = 0;
  // Takes an exclusive advisory lock on `dir`/LOCK; fails if another
  // process (or another open in this one) holds it.
  virtual Status lock_directory(const std::string& dir, std::unique_ptr<DirectoryLock>* lock) = 0;
};

// Replaces `contents` with the whole file at `path`: for small files and
// tests; recovery reads through open_file() in blocks.
Status read_file(FileSystem& fs, const std::string& path, std::string* contents);

// Copies [offset, end of file) of `from` to `to`, a block at a time.
Status copy_tail(ReadableFile& from, std::uint64_t offset, WritableFile& to);

// The operating system's files (POSIX). Lives for the whole program.
FileSystem& posix_file_system();

std::string join_path(std::string_view dir, std::string_view name);

}  // namespace orderd::persistence
