// The data the server answers read queries from: the cube (the store's latest
// view in memory) and the source summaries, loaded together and replaced
// whole when the store changes, so a request sees one consistent state and
// never waits for a reload (it keeps the snapshot it started with).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/store/store.h"

namespace atalaya::serve {

struct Snapshot {
  uint64_t generation = 0;  // increases with each reload; cached answers carry it
  std::string loaded_at;    // UTC
  Cube cube;
  std::vector<SourceSummary> sources;
  std::map<std::string, std::vector<VintageInfo>> vintages;  // per source, as Store::vintages
};

// The one store connection the server holds, used by one thread at a time
// (an SQLite connection is not safe to share unguarded).
class StoreAccess {
 public:
  explicit StoreAccess(std::unique_ptr<Store> store) : store_(std::move(store)) {}
  template <class F>
  auto with(F&& f) {
    std::lock_guard lock(mu_);
    return f(*store_);
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Store> store_;
};

// Watches the store's files (the database and its write-ahead log: any
// commit, by this process or another, changes their size or time) and
// reloads when they change, checking at most every `check_every`.
class SnapshotSource {
 public:
  SnapshotSource(std::string db_path, StoreAccess& store,
                 std::chrono::milliseconds check_every = std::chrono::milliseconds(500));
  SnapshotSource(const SnapshotSource&) = delete;
  SnapshotSource& operator=(const SnapshotSource&) = delete;

  // The newest snapshot; reloads first when the store has changed and no
  // other thread is already reloading (that one's callers get the old one).
  std::shared_ptr<const Snapshot> current();
  // Reload now, whatever the files say (after the server itself wrote).
  void invalidate();

 private:
  std::string signature() const;
  void reload();

  std::string db_path_;
  StoreAccess& store_;
  std::chrono::milliseconds check_every_;
  std::mutex reload_mu_;  // one reloader at a time; guards signature_
  std::mutex data_mu_;    // guards data_ (held only to swap or copy the pointer)
  std::shared_ptr<const Snapshot> data_;
  std::string signature_;  // of the files data_ was loaded from
  std::atomic<int64_t> next_check_ns_{0};
  std::atomic<bool> forced_{false};
};

}  // namespace atalaya::serve
