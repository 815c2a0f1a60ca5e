// A throw-away store file for tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace atalaya {

// A store path under the temp directory; the database and its WAL and SHM
// files are deleted when the test ends.
class TempDb {
 public:
  explicit TempDb(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("atalaya-store-test-" + std::to_string(::getpid()) + "-" + name + ".db"))
                  .string()) {
    remove();
  }
  ~TempDb() { remove(); }
  const std::string& path() const { return path_; }

 private:
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

}  // namespace atalaya
