#include "atalaya/serve/upload_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace atalaya::serve {

UploadFile::UploadFile(const std::string& dir) {
  std::string pattern = (dir.empty() ? std::string("/tmp") : dir) + "/atalaya-upload-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0)
    throw std::runtime_error("cannot make a temporary file for the upload in " + dir + ": " + std::strerror(errno));
  ::unlink(name.data());  // no name: gone when the descriptor closes
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

UploadFile::~UploadFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool UploadFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t w = ::write(fd_, bytes.data(), bytes.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      error_ = std::strerror(errno);
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(w));
    size_ += static_cast<size_t>(w);
  }
  return true;
}

}  // namespace atalaya::serve
