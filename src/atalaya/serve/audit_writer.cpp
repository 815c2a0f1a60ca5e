#include "atalaya/serve/audit_writer.h"

#include <iostream>

namespace atalaya::serve {

AuditWriter::AuditWriter(std::shared_ptr<audit::AuditLog> log, std::chrono::milliseconds every, size_t batch,
                         size_t max_waiting)
    : log_(std::move(log)), every_(every), batch_(std::max<size_t>(1, batch)), max_waiting_(max_waiting) {
  if (log_) thread_ = std::thread([this] { run(); });
}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  flush();
}

void AuditWriter::add(AuditEntry entry) {
  if (!log_) return;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (waiting_.size() >= max_waiting_) {
      waiting_.pop_front();
      ++dropped_;
    }
    waiting_.push_back(std::move(entry));
    wake = waiting_.size() >= batch_;
  }
  if (wake) wake_.notify_one();
}

std::vector<audit::AuditRecord> AuditWriter::lines(const audit::AuditFilter& filter) {
  if (!log_) throw std::logic_error("this server keeps no audit trail");
  std::lock_guard writing(write_mu_);
  return log_->lines(filter);
}

size_t AuditWriter::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void AuditWriter::flush() {
  if (!log_) return;
  std::deque<AuditEntry> lines;
  std::lock_guard writing(write_mu_);
  {
    std::lock_guard lock(mu_);
    lines.swap(waiting_);
  }
  write(lines);
}

void AuditWriter::write(std::deque<AuditEntry>& lines) {
  size_t failed = 0;
  std::string why;
  for (auto& line : lines) {
    try {
      log_->record(line);
    } catch (const std::exception& e) {
      if (!failed++) why = e.what();
    }
  }
  if (failed)
    std::cerr << "atalaya serve: " << failed << " audit line(s) could not be written: " << why << std::endl;
}

void AuditWriter::run() {
  size_t reported = 0;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, every_, [this] { return stopping_ || waiting_.size() >= batch_; });
    if (stopping_) break;
    if (dropped_ != reported) {
      std::cerr << "atalaya serve: the audit trail fell behind; " << dropped_ - reported
                << " waiting line(s) were dropped" << std::endl;
      reported = dropped_;
    }
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace atalaya::serve
