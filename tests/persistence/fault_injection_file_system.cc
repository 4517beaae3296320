#include "tests/persistence/fault_injection_file_system.h"

#include <filesystem>

namespace orderd::persistence::testing {

class FaultInjectionFileSystem::File final : public WritableFile {
 public:
  File(FaultInjectionFileSystem& fs, std::string path, std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  Status append(std::string_view data) override {
    std::lock_guard io(fs_.io_mutex_);
    int error_number = 0;
    switch (fs_.write_fault(path_, &error_number)) {
      case WriteFault::kNone:
        break;
      case WriteFault::kError:
        return Status::io_error("injected write fault on " + path_, error_number);
      case WriteFault::kShortWriteThenError: {
        std::string_view half = data.substr(0, data.size() / 2);
        if (Status s = base_->append(half); !s.ok()) return s;
        fs_.wrote(path_, half.size());
        return Status::io_error("injected short write on " + path_, error_number);
      }
    }
    Status s = base_->append(data);
    if (s.ok()) fs_.wrote(path_, data.size());
    return s;
  }

  Status sync() override {
    fs_.wait_while_stalled(path_);
    std::lock_guard io(fs_.io_mutex_);
    fs_.syncs_.fetch_add(1);
    if (int e = fs_.sync_fault(path_); e != 0) {
      return Status::io_error("injected fsync fault on " + path_, e);
    }
    Status s = fs_.skip_real_syncs_.load() ? Status() : base_->sync();
    if (s.ok()) fs_.synced(path_);
    return s;
  }

  Status start_writeback() override { return base_->start_writeback(); }
  Status close() override { return base_->close(); }

 private:
  FaultInjectionFileSystem& fs_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

void FaultInjectionFileSystem::set_write_fault(WriteFault fault, int error_number,
                                               std::string name_filter) {
  std::lock_guard guard(mutex_);
  write_fault_ = fault;
  write_errno_ = error_number;
  write_filter_ = std::move(name_filter);
}

void FaultInjectionFileSystem::set_sync_fault(int error_number, std::string name_filter) {
  std::lock_guard guard(mutex_);
  sync_errno_ = error_number;
  sync_filter_ = std::move(name_filter);
}

void FaultInjectionFileSystem::stall_syncs(std::string name_filter) {
  std::lock_guard guard(mutex_);
  sync_stalled_ = true;
  stall_filter_ = std::move(name_filter);
}

void FaultInjectionFileSystem::lift_sync_stall() {
  {
    std::lock_guard guard(mutex_);
    sync_stalled_ = false;
  }
  stall_lifted_.notify_all();
}

int FaultInjectionFileSystem::stalled_syncs() const {
  std::lock_guard guard(mutex_);
  return stalled_syncs_;
}

void FaultInjectionFileSystem::wait_while_stalled(const std::string& path) {
  std::unique_lock guard(mutex_);
  if (!sync_stalled_ || path.find(stall_filter_) == std::string::npos) return;
  ++stalled_syncs_;
  stall_lifted_.wait(guard, [this] { return !sync_stalled_; });
  --stalled_syncs_;
}

void FaultInjectionFileSystem::set_rename_fault(int error_number) {
  std::lock_guard guard(mutex_);
  rename_errno_ = error_number;
}

void FaultInjectionFileSystem::set_read_fault(int error_number, std::string name_filter,
                                              std::uint64_t from_offset) {
  std::lock_guard guard(mutex_);
  read_errno_ = error_number;
  read_filter_ = std::move(name_filter);
  read_fault_from_ = from_offset;
}

void FaultInjectionFileSystem::clear_faults() {
  std::lock_guard guard(mutex_);
  write_fault_ = WriteFault::kNone;
  sync_errno_ = 0;
  rename_errno_ = 0;
  read_errno_ = 0;
}

int FaultInjectionFileSystem::read_fault(const std::string& path, std::uint64_t offset,
                                         std::size_t n) {
  std::size_t largest = largest_read_.load();
  while (n > largest && !largest_read_.compare_exchange_weak(largest, n)) {
  }
  std::lock_guard guard(mutex_);
  if (read_errno_ == 0 || path.find(read_filter_) == std::string::npos) return 0;
  return offset + n > read_fault_from_ ? read_errno_ : 0;
}

class FaultInjectionFileSystem::ReadFile final : public ReadableFile {
 public:
  ReadFile(FaultInjectionFileSystem& fs, std::string path, std::unique_ptr<ReadableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}
  std::uint64_t size() const override { return base_->size(); }
  Status read_at(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override {
    if (int e = fs_.read_fault(path_, offset, n); e != 0) {
      *got = 0;
      return Status::io_error("injected read failure on " + path_, e);
    }
    return base_->read_at(offset, n, dst, got);
  }

 private:
  FaultInjectionFileSystem& fs_;
  std::string path_;
  std::unique_ptr<ReadableFile> base_;
};

Status FaultInjectionFileSystem::open_file(const std::string& path,
                                           std::unique_ptr<ReadableFile>* file) {
  std::unique_ptr<ReadableFile> base;
  if (Status s = base_.open_file(path, &base); !s.ok()) return s;
  *file = std::make_unique<ReadFile>(*this, path, std::move(base));
  return Status();
}

FaultInjectionFileSystem::WriteFault FaultInjectionFileSystem::write_fault(
    const std::string& path, int* error_number) const {
  std::lock_guard guard(mutex_);
  if (write_fault_ == WriteFault::kNone || path.find(write_filter_) == std::string::npos) {
    return WriteFault::kNone;
  }
  *error_number = write_errno_;
  return write_fault_;
}

int FaultInjectionFileSystem::sync_fault(const std::string& path) const {
  std::lock_guard guard(mutex_);
  return path.find(sync_filter_) == std::string::npos ? 0 : sync_errno_;
}

void FaultInjectionFileSystem::wrote(const std::string& path, std::uint64_t bytes) {
  std::lock_guard guard(mutex_);
  files_[path].written += bytes;
}

void FaultInjectionFileSystem::synced(const std::string& path) {
  std::lock_guard guard(mutex_);
  Sizes& sizes = files_[path];
  sizes.synced = sizes.written;
}

Status FaultInjectionFileSystem::create_file(const std::string& path,
                                             std::unique_ptr<WritableFile>* file) {
  std::unique_ptr<WritableFile> base;
  if (Status s = base_.create_file(path, &base); !s.ok()) return s;
  {
    std::lock_guard guard(mutex_);
    files_[path] = {};
  }
  *file = std::make_unique<File>(*this, path, std::move(base));
  return Status();
}

Status FaultInjectionFileSystem::rename_file(const std::string& from, const std::string& to) {
  {
    std::lock_guard guard(mutex_);
    if (rename_errno_ != 0)
      return Status::io_error("injected rename fault on " + from, rename_errno_);
  }
  Status s = base_.rename_file(from, to);
  if (s.ok()) {
    std::lock_guard guard(mutex_);
    if (auto it = files_.find(from); it != files_.end()) {
      files_[to] = it->second;
      files_.erase(from);
    }
  }
  return s;
}

Status FaultInjectionFileSystem::remove_file(const std::string& path) {
  Status s = base_.remove_file(path);
  if (s.ok()) {
    std::lock_guard guard(mutex_);
    files_.erase(path);
  }
  return s;
}

Status FaultInjectionFileSystem::truncate_file(const std::string& path, std::uint64_t size) {
  Status s;
  if (skip_real_syncs_.load()) {
    std::error_code error;
    std::filesystem::resize_file(path, size, error);
    if (error) s = Status::io_error("truncate " + path, error.value());
  } else {
    s = base_.truncate_file(path, size);
  }
  if (s.ok()) {
    std::lock_guard guard(mutex_);
    if (auto it = files_.find(path); it != files_.end()) {
      it->second.written = size;
      it->second.synced = size;
    }
  }
  return s;
}

void FaultInjectionFileSystem::drop_unsynced_data() {
  std::lock_guard io(io_mutex_);
  std::lock_guard guard(mutex_);
  for (auto& [path, sizes] : files_) {
    if (sizes.written > sizes.synced) {
      (void)base_.truncate_file(path, sizes.synced);
      sizes.written = sizes.synced;
    }
  }
}

}  // namespace orderd::persistence::testing
