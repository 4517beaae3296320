#include "tests/fuzz/memory_file_system.h"

#include <cerrno>

namespace orderd::fuzz {

using persistence::Status;

namespace {

class MemoryFile final : public persistence::WritableFile {
 public:
  explicit MemoryFile(std::string& contents) : contents_(contents) {}
  Status append(std::string_view data) override {
    contents_.append(data);
    return {};
  }
  Status sync() override { return {}; }
  Status close() override { return {}; }

 private:
  std::string& contents_;
};

class NoLock final : public persistence::DirectoryLock {};

}  // namespace

Status MemoryFileSystem::create_file(const std::string& path,
                                     std::unique_ptr<persistence::WritableFile>* file) {
  std::string& contents = files_[path];
  contents.clear();
  *file = std::make_unique<MemoryFile>(contents);
  return {};
}

Status MemoryFileSystem::open_file(const std::string& path,
                                   std::unique_ptr<persistence::ReadableFile>* file) {
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::not_found(path);
  // Read in place: recovery's reader does not change the files it reads.
  *file = std::make_unique<persistence::StringFile>(it->second);
  return {};
}

Status MemoryFileSystem::file_size(const std::string& path, std::uint64_t* size) {
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("cannot stat " + path, ENOENT);
  *size = it->second.size();
  return {};
}

Status MemoryFileSystem::list_dir(const std::string& dir, std::vector<std::string>* names) {
  names->clear();
  const std::string prefix = dir + "/";
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const std::string name = it->first.substr(prefix.size());
    if (name.find('/') == std::string::npos) names->push_back(name);
  }
  return {};
}

Status MemoryFileSystem::rename_file(const std::string& from, const std::string& to) {
  const auto it = files_.find(from);
  if (it == files_.end()) return Status::io_error("cannot rename " + from, ENOENT);
  std::string contents = std::move(it->second);
  files_.erase(it);
  files_[to] = std::move(contents);
  return {};
}

Status MemoryFileSystem::remove_file(const std::string& path) {
  if (files_.erase(path) == 0) return Status::io_error("cannot remove " + path, ENOENT);
  return {};
}

Status MemoryFileSystem::truncate_file(const std::string& path, std::uint64_t size) {
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("cannot truncate " + path, ENOENT);
  if (size < it->second.size()) it->second.resize(size);
  return {};
}

Status MemoryFileSystem::lock_directory(const std::string&,
                                        std::unique_ptr<persistence::DirectoryLock>* lock) {
  *lock = std::make_unique<NoLock>();
  return {};
}

}  // namespace orderd::fuzz
