// A FileSystem held in memory, for fuzz targets that run recovery
// thousands of times a second: files are strings, a directory is a path
// prefix, syncs do nothing and locks always succeed.
//
// Thread safety: one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "persistence/file_system.h"

namespace orderd::fuzz {

class MemoryFileSystem final : public persistence::FileSystem {
 public:
  // The files, by path.
  std::map<std::string, std::string>& files() { return files_; }

  persistence::Status create_file(const std::string& path,
                                  std::unique_ptr<persistence::WritableFile>* file) override;
  persistence::Status open_file(const std::string& path,
                                std::unique_ptr<persistence::ReadableFile>* file) override;
  persistence::Status file_size(const std::string& path, std::uint64_t* size) override;
  persistence::Status list_dir(const std::string& dir, std::vector<std::string>* names) override;
  persistence::Status create_dir(const std::string&) override { return {}; }
  persistence::Status sync_dir(const std::string&) override { return {}; }
  persistence::Status rename_file(const std::string& from, const std::string& to) override;
  persistence::Status remove_file(const std::string& path) override;
  persistence::Status truncate_file(const std::string& path, std::uint64_t size) override;
  persistence::Status lock_directory(const std::string& dir,
                                     std::unique_ptr<persistence::DirectoryLock>* lock) override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace orderd::fuzz
