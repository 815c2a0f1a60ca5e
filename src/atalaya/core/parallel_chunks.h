// Work over the indices 0..n-1 split into chunks that a few threads take in
// turn, each chunk writing only its own result, so the caller can combine
// the results in chunk order: the answer is the same whatever the number of
// threads and whichever thread ran which chunk.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace atalaya {

// The threads worth using here: the machine's cores (1 when unknown).
inline int hardware_threads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Calls work(begin, end, results[c]) for each chunk c = [begin, end) of
// `chunk` indices, on up to `threads` threads (the caller's among them), and
// returns the results in chunk order. If chunks throw, the exception of the
// first of them in chunk order is rethrown after every thread has finished.
template <class Result, class Work>
std::vector<Result> parallel_chunks(size_t n, size_t chunk, int threads, Work&& work) {
  chunk = std::max<size_t>(1, chunk);
  const size_t chunks = (n + chunk - 1) / chunk;
  std::vector<Result> results(chunks);
  std::vector<std::exception_ptr> failed(chunks);
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t c; (c = next.fetch_add(1)) < chunks;) {
      try {
        work(c * chunk, std::min(n, (c + 1) * chunk), results[c]);
      } catch (...) {
        failed[c] = std::current_exception();
      }
    }
  };
  const size_t helpers = std::min<size_t>(chunks, static_cast<size_t>(std::max(1, threads))) - (chunks > 0);
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  try {
    for (size_t i = 0; i < helpers; ++i) pool.emplace_back(run);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started (and this one) do the work.
  }
  run();
  for (auto& t : pool) t.join();
  for (auto& e : failed)
    if (e) std::rethrow_exception(e);
  return results;
}

}  // namespace atalaya
