// The built dashboard's files (web/dist), answered for GET and HEAD: the
// content type by extension, Vite's content-hashed /assets/ cached for a
// year and the rest revalidated, gzip for text when the client takes it,
// and at most one byte range (byte_range.h).
#pragma once

#include <httplib.h>

#include <string>

namespace atalaya::serve {

class StaticFiles {
 public:
  // `dir` must exist.
  explicit StaticFiles(std::string dir);
  // Answers a request for a file under the directory ("/" and directories:
  // their index.html); false when there is no such file (nothing is set).
  bool answer(const httplib::Request& req, httplib::Response& res) const;

 private:
  std::string dir_;
};

}  // namespace atalaya::serve
