#include "atalaya/serve/static_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "atalaya/serve/byte_range.h"
#include "atalaya/serve/gzip.h"

namespace atalaya::serve {
namespace {

namespace fs = std::filesystem;

const char* content_type_of(const fs::path& file) {
  static const std::map<std::string, const char*> types{
      {".html", "text/html; charset=utf-8"},     {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},             {".map", "application/json"},
      {".webmanifest", "application/manifest+json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"},                     {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                   {".gif", "image/gif"},
      {".webp", "image/webp"},                   {".ico", "image/x-icon"},
      {".woff", "font/woff"},                    {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},     {".csv", "text/csv; charset=utf-8"},
      {".xml", "application/xml"},               {".geojson", "application/geo+json"},
      {".pdf", "application/pdf"},
  };
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

bool compressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type.rfind("application/json", 0) == 0 || type == "image/svg+xml" ||
         type == "application/manifest+json" || type == "application/geo+json" || type == "application/xml";
}

}  // namespace

StaticFiles::StaticFiles(std::string dir) : dir_(fs::weakly_canonical(dir).string()) {}

bool StaticFiles::answer(const httplib::Request& req, httplib::Response& res) const {
  const std::string& path = req.path;
  if (path.empty() || path.front() != '/' || path.find('\0') != std::string::npos) return false;
  // No segment may climb out of the directory.
  for (size_t at = 0; at != std::string::npos;) {
    const size_t next = path.find('/', at + 1);
    const std::string segment = path.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    if (segment == ".." || segment == ".") return false;
    at = next;
  }
  fs::path file = fs::path(dir_) / path.substr(1);
  std::error_code ec;
  if (fs::is_directory(file, ec)) file /= "index.html";
  if (!fs::is_regular_file(file, ec)) return false;
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  const std::string type = content_type_of(file);
  // Vite names built assets by content hash: they never change.
  res.set_header("Cache-Control",
                 path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("Accept-Ranges", "bytes");
  if (req.has_header("Range")) {
    const RangeChoice r = choose_range(req.get_header_value("Range"), body.size());
    if (r.kind == RangeChoice::Kind::Unsatisfiable) {
      res.status = 416;
      res.set_header("Content-Range", "bytes */" + std::to_string(body.size()));
      res.set_content("", "text/plain");
      return true;
    }
    if (r.kind == RangeChoice::Kind::Partial) {
      res.status = 206;
      res.set_header("Content-Range", "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" +
                                          std::to_string(body.size()));
      res.set_content(body.substr(r.first, r.last - r.first + 1), type.c_str());
      return true;
    }
  }
  res.status = 200;
  if (compressible(type)) {
    res.set_header("Vary", "Accept-Encoding");
    if (body.size() > 1024 && accepts_gzip(req.get_header_value("Accept-Encoding"))) {
      res.set_header("Content-Encoding", "gzip");
      body = gzip(body);
    }
  }
  res.set_header("Content-Type", type);
  res.body = std::move(body);
  return true;
}

}  // namespace atalaya::serve
