// Finished answers to read queries, kept so a repeated query costs a lookup:
// the body, its gzip form and its ETag. Bounded by bytes, least recently used
// first out, so the server's memory stays flat under any mix of queries.
//
// Entries belong to one generation of the data (see Snapshot): a lookup with
// another generation misses, and the first store of a new generation drops
// every older entry. Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace atalaya::serve {

struct CachedAnswer {
  std::string content_type;
  std::string body;
  std::string gzip_body;  // empty when not worth compressing
  std::string etag;       // quoted, e.g. "\"5f2c...\""; empty when not cacheable
  std::string gzip_etag;  // the gzip form's: "\"5f2c...-gz\""
  std::string disposition;  // Content-Disposition for downloads, else empty
};

class ResponseCache {
 public:
  explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  std::shared_ptr<const CachedAnswer> find(const std::string& key, uint64_t generation);
  void put(const std::string& key, uint64_t generation, std::shared_ptr<const CachedAnswer> answer);

  size_t bytes() const;
  size_t entries() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedAnswer> answer;
    size_t bytes;
  };
  mutable std::mutex mu_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  uint64_t generation_ = 0;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

// A strong ETag for a body: a quoted hex digest (FNV-1a, 64 bits), stable
// across restarts for the same bytes.
std::string etag_of(const std::string& body);

}  // namespace atalaya::serve
