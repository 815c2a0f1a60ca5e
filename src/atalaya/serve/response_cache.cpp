// LRU of finished answers (see response_cache.h).
#include "atalaya/serve/response_cache.h"

#include <cstdio>

namespace atalaya::serve {

std::shared_ptr<const CachedAnswer> ResponseCache::find(const std::string& key, uint64_t generation) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return nullptr;
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->answer;
}

void ResponseCache::put(const std::string& key, uint64_t generation, std::shared_ptr<const CachedAnswer> answer) {
  const size_t size = key.size() + answer->body.size() + answer->gzip_body.size() + 256;
  std::lock_guard lock(mu_);
  if (generation < generation_) return;  // a slow answer from older data
  if (generation > generation_) {
    lru_.clear();
    index_.clear();
    bytes_ = 0;
    generation_ = generation;
  }
  if (size > max_bytes_ / 4) return;  // one huge answer must not flush the rest
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front(Entry{key, std::move(answer), size});
  index_[key] = lru_.begin();
  bytes_ += size;
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t ResponseCache::entries() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

std::string etag_of(const std::string& body) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace atalaya::serve
