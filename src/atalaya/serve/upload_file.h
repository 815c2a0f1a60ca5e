// A request body kept on disk as it arrives (an upload), not in memory: a
// temporary file that no directory lists (it is unlinked as soon as it is
// made), so nothing is left behind whatever happens to the process. Read it
// through path(), which names the open descriptor (/proc/self/fd/N).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace atalaya::serve {

class UploadFile {
 public:
  // Makes the file in `dir`. Throws std::runtime_error naming the directory
  // and why when it cannot.
  explicit UploadFile(const std::string& dir);
  ~UploadFile();
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;

  // Appends; false (and error() says why) when the disk refuses.
  bool write(std::string_view bytes);
  const std::string& error() const { return error_; }
  size_t size() const { return size_; }
  // A name the file can be opened by while this object lives.
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  size_t size_ = 0;
  std::string path_, error_;
};

}  // namespace atalaya::serve
