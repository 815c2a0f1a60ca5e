// Snapshot loading and change watching (see snapshot.h).
#include "atalaya/serve/snapshot.h"

#include "atalaya/core/utc_time.h"

namespace atalaya::serve {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SnapshotSource::SnapshotSource(StoreAccess& store, std::chrono::milliseconds check_every)
    : store_(store), check_every_(check_every) {
  reload();
}

int64_t SnapshotSource::signature() {
  return store_.with([](SeriesStore& s) { return s.data_version(); });
}

void SnapshotSource::reload() {
  const int64_t sig = signature();
  auto next = std::make_shared<Snapshot>();
  store_.with([&](SeriesStore& s) {
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
      // advances the version and forces, and must cost one reload, not two.
      const bool forced = forced_.exchange(false);
      if (signature() != signature_ || forced) reload();
    }
  }
  std::lock_guard lock(data_mu_);
  return data_;
}

void SnapshotSource::invalidate() { forced_ = true; }

}  // namespace atalaya::serve
