#include "persistence/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace orderd::persistence {
namespace {

Status errno_status(std::string_view what, const std::string& path) {
  int e = errno;
  std::string message(what);
  message.append(" ");
  message.append(path);
  return Status::io_error(std::move(message), e);
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status("write", path_);
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Status();
  }

  Status sync() override {
    if (::fdatasync(fd_) != 0) return errno_status("fdatasync", path_);
    return Status();
  }

  Status start_writeback() override {
    if (::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) {
      return errno_status("sync_file_range", path_);
    }
    return Status();
  }

  Status close() override {
    int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0) return errno_status("close", path_);
    return Status();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixReadableFile final : public ReadableFile {
 public:
  PosixReadableFile(std::string path, int fd, std::uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixReadableFile() override { ::close(fd_); }

  std::uint64_t size() const override { return size_; }

  Status read_at(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) override {
    *got = 0;
    while (*got < n) {
      ssize_t r = ::pread(fd_, dst + *got, n - *got, static_cast<off_t>(offset + *got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return errno_status("read", path_);
      }
      if (r == 0) break;
      *got += static_cast<std::size_t>(r);
    }
    return Status();
  }

 private:
  std::string path_;
  int fd_;
  std::uint64_t size_;
};

class PosixDirectoryLock final : public DirectoryLock {
 public:
  explicit PosixDirectoryLock(int fd) : fd_(fd) {}
  ~PosixDirectoryLock() override { ::close(fd_); }  // closing releases the flock

 private:
  int fd_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Status create_file(const std::string& path, std::unique_ptr<WritableFile>* file) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno_status("create", path);
    *file = std::make_unique<PosixWritableFile>(path, fd);
    return Status();
  }

  Status open_file(const std::string& path, std::unique_ptr<ReadableFile>* file) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::not_found(path);
      return errno_status("open", path);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      Status s = errno_status("stat", path);
      ::close(fd);
      return s;
    }
    // Recovery reads front to back: let the kernel read ahead further.
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    *file = std::make_unique<PosixReadableFile>(path, fd, static_cast<std::uint64_t>(st.st_size));
    return Status();
  }

  Status file_size(const std::string& path, std::uint64_t* size) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return Status::not_found(path);
      return errno_status("stat", path);
    }
    *size = static_cast<std::uint64_t>(st.st_size);
    return Status();
  }

  Status list_dir(const std::string& dir, std::vector<std::string>* names) override {
    names->clear();
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      if (errno == ENOENT) return Status::not_found(dir);
      return errno_status("opendir", dir);
    }
    while (dirent* entry = ::readdir(d)) {
      std::string_view name = entry->d_name;
      if (name != "." && name != "..") names->emplace_back(name);
    }
    ::closedir(d);
    return Status();
  }

  Status create_dir(const std::string& dir) override {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return errno_status("mkdir", dir);
    return Status();
  }

  Status sync_dir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno_status("open directory", dir);
    Status s = ::fsync(fd) == 0 ? Status() : errno_status("fsync directory", dir);
    ::close(fd);
    return s;
  }

  Status rename_file(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return errno_status("rename", from + " to " + to);
    return Status();
  }

  Status remove_file(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return errno_status("remove", path);
    return Status();
  }

  Status truncate_file(const std::string& path, std::uint64_t size) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno_status("open", path);
    Status s = Status();
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
      s = errno_status("truncate", path);
    } else if (::fsync(fd) != 0) {
      s = errno_status("fsync", path);
    }
    ::close(fd);
    return s;
  }

  Status lock_directory(const std::string& dir, std::unique_ptr<DirectoryLock>* lock) override {
    std::string path = join_path(dir, "LOCK");
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_status("open", path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      Status s = errno == EWOULDBLOCK
                     ? Status::io_error(dir + " is in use by another orderd process", EWOULDBLOCK)
                     : errno_status("lock", path);
      ::close(fd);
      return s;
    }
    *lock = std::make_unique<PosixDirectoryLock>(fd);
    return Status();
  }
};

}  // namespace

Status StringFile::read_at(std::uint64_t offset, std::size_t n, char* dst, std::size_t* got) {
  *got = 0;
  if (offset >= contents_.size()) return Status();
  *got = contents_.copy(dst, n, static_cast<std::size_t>(offset));
  return Status();
}

Status read_file(FileSystem& fs, const std::string& path, std::string* contents) {
  contents->clear();
  std::unique_ptr<ReadableFile> file;
  if (Status s = fs.open_file(path, &file); !s.ok()) return s;
  contents->resize(static_cast<std::size_t>(file->size()));
  std::size_t got = 0;
  if (Status s = file->read_at(0, contents->size(), contents->data(), &got); !s.ok()) return s;
  contents->resize(got);
  return Status();
}

Status copy_tail(ReadableFile& from, std::uint64_t offset, WritableFile& to) {
  std::string block(1u << 20, '\0');
  while (offset < from.size()) {
    std::size_t got = 0;
    if (Status s = from.read_at(offset, block.size(), block.data(), &got); !s.ok()) return s;
    if (got == 0) break;  // the file shrank meanwhile
    if (Status s = to.append(std::string_view(block.data(), got)); !s.ok()) return s;
    offset += got;
  }
  return Status();
}

FileSystem& posix_file_system() {
  static PosixFileSystem fs;
  return fs;
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (!path.empty() && path.back() != '/') path.push_back('/');
  path.append(name);
  return path;
}

}  // namespace orderd::persistence
