// Snapshot loading and change watching (see snapshot.h).
#include "atalaya/serve/snapshot.h"

#include <sys/stat.h>

#include "atalaya/core/utc_time.h"

namespace atalaya::serve {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string file_signature(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace

SnapshotSource::SnapshotSource(std::string db_path, StoreAccess& store, std::chrono::milliseconds check_every)
    : db_path_(std::move(db_path)), store_(store), check_every_(check_every) {
  reload();
}

std::string SnapshotSource::signature() const {
  return file_signature(db_path_) + "|" + file_signature(db_path_ + "-wal");
}

void SnapshotSource::reload() {
  const std::string sig = signature();
  auto next = std::make_shared<Snapshot>();
  store_.with([&](Store& s) {
    next->cube = Cube::load(s);
    next->sources = s.sources();
    for (auto& summary : next->sources) next->vintages[summary.source] = s.vintages(summary.source);
  });
  next->loaded_at = utc_now();
  signature_ = sig;
  std::lock_guard lock(data_mu_);
  next->generation = data_ ? data_->generation + 1 : 1;
  data_ = std::move(next);
}

std::shared_ptr<const Snapshot> SnapshotSource::current() {
  const int64_t now = now_ns();
  if (forced_.load() || now >= next_check_ns_.load()) {
    std::unique_lock reloading(reload_mu_, std::try_to_lock);
    if (reloading.owns_lock()) {
      next_check_ns_ = now + std::chrono::duration_cast<std::chrono::nanoseconds>(check_every_).count();
      // Both read before deciding: a change this server made itself both
      // touches the files and forces, and must cost one reload, not two.
      const bool forced = forced_.exchange(false);
      if (signature() != signature_ || forced) reload();
    }
  }
  std::lock_guard lock(data_mu_);
  return data_;
}

void SnapshotSource::invalidate() { forced_ = true; }

}  // namespace atalaya::serve
