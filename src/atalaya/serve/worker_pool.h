// A fixed set of threads taking jobs from one bounded queue. The server
// keeps two: one for cheap requests (health, catalogue, cached answers,
// alerts), and one, small, for expensive ones (back-tests, forecasts, wide
// series), so expensive work never delays a cheap request and never holds
// more cores than it is given.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace atalaya::serve {

class WorkerPool {
 public:
  // `threads` run jobs at once; at most `max_queued` more wait. `nice`
  // above 0 lowers the threads' scheduling priority (Linux: per thread), so
  // under a full CPU the other pool's short requests run first.
  WorkerPool(int threads, size_t max_queued, int nice = 0);
  // Finishes the jobs running; jobs still waiting are dropped.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues the job; false (and the job not taken) when the queue is full.
  bool try_submit(std::function<void()> job);

 private:
  void work();

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace atalaya::serve
