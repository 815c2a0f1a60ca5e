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
#include <type_traits>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/core/error.h"
#include "atalaya/process/process_store.h"
#include "atalaya/store/store.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya::serve {

struct Snapshot {
  uint64_t generation = 0;  // increases with each reload; cached answers carry it
  std::string loaded_at;    // UTC
  Cube cube;
  std::vector<SourceSummary> sources;
  std::map<std::string, std::vector<VintageInfo>> vintages;  // per source, as SeriesStore::vintages
};

// The store connections the server holds (the series store, the alert
// store and the process store), each used by one thread at a time: a
// connection is not safe to share unguarded. with(f) hands f the store its
// parameter names. Without a process store (`process` null), a call for it
// throws Error(Unavailable).
class StoreAccess {
 public:
  StoreAccess(std::unique_ptr<SeriesStore> series, std::unique_ptr<AlertStore> alerts,
              std::unique_ptr<process::ProcessStore> process = nullptr)
      : series_(std::move(series)), alerts_(std::move(alerts)), process_(std::move(process)) {}
  template <class F>
  auto with(F&& f) {
    if constexpr (std::is_invocable_v<F, AlertStore&>) {
      std::lock_guard lock(alerts_mu_);
      return f(*alerts_);
    } else if constexpr (std::is_invocable_v<F, process::ProcessStore&>) {
      std::lock_guard lock(process_mu_);
      if (!process_) throw Error(ErrorCode::Unavailable, "", "this server holds no process store");
      return f(*process_);
    } else {
      std::lock_guard lock(series_mu_);
      return f(*series_);
    }
  }

 private:
  std::mutex series_mu_, alerts_mu_, process_mu_;
  std::unique_ptr<SeriesStore> series_;
  std::unique_ptr<AlertStore> alerts_;
  std::unique_ptr<process::ProcessStore> process_;
};

// Watches the store's data version (any commit, by this process or another
// on the same database, advances it) and reloads when it changes, checking
// at most every `check_every`.
class SnapshotSource {
 public:
  SnapshotSource(StoreAccess& store,
                 std::chrono::milliseconds check_every = std::chrono::milliseconds(500));
  SnapshotSource(const SnapshotSource&) = delete;
  SnapshotSource& operator=(const SnapshotSource&) = delete;

  // The newest snapshot; reloads first when the store has changed and no
  // other thread is already reloading (that one's callers get the old one).
  std::shared_ptr<const Snapshot> current();
  // Reload now, whatever the files say (after the server itself wrote).
  void invalidate();

 private:
  int64_t signature();
  void reload();

  StoreAccess& store_;
  std::chrono::milliseconds check_every_;
  std::mutex reload_mu_;  // one reloader at a time; guards signature_
  std::mutex data_mu_;    // guards data_ (held only to swap or copy the pointer)
  std::shared_ptr<const Snapshot> data_;
  int64_t signature_ = -1;  // the data version data_ was loaded at
  std::atomic<int64_t> next_check_ns_{0};
  std::atomic<bool> forced_{false};
};

}  // namespace atalaya::serve
