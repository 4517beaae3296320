// A FileSystem for tests that passes calls to the real one until told to
// fail: short writes, write errors (ENOSPC, EIO), fsync errors, renames.
// It can also simulate a power loss: forget every byte written through it
// that was never synced.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "persistence/file_system.h"

namespace orderd::persistence::testing {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  enum class WriteFault {
    kNone,
    kError,               // nothing written, the call fails with write_errno()
    kShortWriteThenError  // half the bytes written, then the failure
  };

  explicit FaultInjectionFileSystem(FileSystem& base = posix_file_system()) : base_(base) {}

  // Faults stay armed until changed. Only files whose name contains
  // `name_filter` are affected (empty: all).
  void set_write_fault(WriteFault fault, int error_number, std::string name_filter = "");
  void set_sync_fault(int error_number, std::string name_filter = "");  // 0: none
  void set_rename_fault(int error_number);                              // 0: none
  // Reads reaching past `from_offset` of a matching file fail.
  void set_read_fault(int error_number, std::string name_filter = "",
                      std::uint64_t from_offset = 0);
  void clear_faults();

  // The most bytes any one read asked for.
  std::size_t largest_read() const { return largest_read_.load(); }

  // A stalled disk: while set, every sync of a file whose name contains
  // `name_filter` blocks (before it starts) until the stall is lifted.
  void stall_syncs(std::string name_filter = "");
  void lift_sync_stall();
  // Syncs blocked by the stall right now.
  int stalled_syncs() const;

  // Syncs succeed without reaching the disk: for tests that run thousands
  // of recoveries and never lose power.
  void skip_real_syncs(bool skip) { skip_real_syncs_.store(skip); }

  // Truncates every file written through this object to its last synced
  // size, as a power loss would leave it (directory entries are kept).
  void drop_unsynced_data();

  std::uint64_t syncs() const { return syncs_.load(); }

  // FileSystem
  Status create_file(const std::string& path, std::unique_ptr<WritableFile>* file) override;
  Status open_file(const std::string& path, std::unique_ptr<ReadableFile>* file) override;
  Status file_size(const std::string& path, std::uint64_t* size) override {
    return base_.file_size(path, size);
  }
  Status list_dir(const std::string& dir, std::vector<std::string>* names) override {
    return base_.list_dir(dir, names);
  }
  Status create_dir(const std::string& dir) override { return base_.create_dir(dir); }
  Status sync_dir(const std::string& dir) override {
    return skip_real_syncs_.load() ? Status() : base_.sync_dir(dir);
  }
  Status rename_file(const std::string& from, const std::string& to) override;
  Status remove_file(const std::string& path) override;
  Status truncate_file(const std::string& path, std::uint64_t size) override;
  Status lock_directory(const std::string& dir, std::unique_ptr<DirectoryLock>* lock) override {
    return base_.lock_directory(dir, lock);
  }

 private:
  class File;
  class ReadFile;
  struct Sizes {
    std::uint64_t written = 0;
    std::uint64_t synced = 0;
  };

  // Returns the fault for a write to `path` and its errno.
  WriteFault write_fault(const std::string& path, int* error_number) const;
  int sync_fault(const std::string& path) const;
  // The errno a read of [offset, offset + n) of `path` fails with (0: none).
  int read_fault(const std::string& path, std::uint64_t offset, std::size_t n);
  void wait_while_stalled(const std::string& path);
  void wrote(const std::string& path, std::uint64_t bytes);
  void synced(const std::string& path);

  FileSystem& base_;
  // Held across a write or sync and its bookkeeping, so that
  // drop_unsynced_data() never sees one half done.
  std::mutex io_mutex_;
  mutable std::mutex mutex_;
  WriteFault write_fault_ = WriteFault::kNone;  // under mutex_
  int write_errno_ = 0;
  std::string write_filter_;
  int sync_errno_ = 0;
  std::string sync_filter_;
  int rename_errno_ = 0;
  int read_errno_ = 0;
  std::string read_filter_;
  std::uint64_t read_fault_from_ = 0;
  std::atomic<std::size_t> largest_read_{0};
  bool sync_stalled_ = false;  // under mutex_
  std::string stall_filter_;
  int stalled_syncs_ = 0;
  std::condition_variable stall_lifted_;  // with mutex_
  std::map<std::string, Sizes> files_;    // under mutex_
  std::atomic<std::uint64_t> syncs_{0};
  std::atomic<bool> skip_real_syncs_{false};
};

}  // namespace orderd::persistence::testing
