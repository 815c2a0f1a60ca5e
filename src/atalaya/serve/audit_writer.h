// The server's audit lines that stand alone (reads of non-public data,
// refused attempts at a change), written off the request path: a request
// only appends to a queue, and a background thread hands the queue to the
// audit trail (audit::AuditLog::record) every second or every `batch`
// lines, whichever comes first. Changes themselves are audited by the store
// that makes them, in their own transaction (store/audit/audit_log.h).
//
// The queue is bounded: when the audit trail cannot keep up (its database
// is gone), the oldest waiting lines are dropped and the drop is reported
// on standard error, so a broken audit database slows no reader.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "atalaya/store/audit/audit_log.h"

namespace atalaya::serve {

class AuditWriter {
 public:
  // `log` null: lines are discarded (a server without an audit trail).
  explicit AuditWriter(std::shared_ptr<audit::AuditLog> log, std::chrono::milliseconds every = std::chrono::seconds(1),
                       size_t batch = 256, size_t max_waiting = 100'000);
  // Writes what is waiting, then stops.
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  bool enabled() const { return log_ != nullptr; }
  // Never blocks on the database.
  void add(AuditEntry entry);
  // Writes what is waiting now, on the caller's thread (tests; shutdown).
  void flush();
  // The trail's lines (GET /api/v1/audit), read on the connection the
  // writer uses, one at a time with its writes. Throws std::logic_error
  // without a trail.
  std::vector<audit::AuditRecord> lines(const audit::AuditFilter& filter);
  size_t dropped() const;

 private:
  void run();
  void write(std::deque<AuditEntry>& lines);

  std::shared_ptr<audit::AuditLog> log_;
  std::chrono::milliseconds every_;
  size_t batch_, max_waiting_;
  mutable std::mutex mu_;
  std::mutex write_mu_;  // one writer at a time, in order
  std::condition_variable wake_;
  std::deque<AuditEntry> waiting_;
  size_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace atalaya::serve
