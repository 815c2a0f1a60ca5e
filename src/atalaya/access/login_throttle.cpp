#include "atalaya/access/login_throttle.h"

#include <algorithm>

namespace atalaya::access::throttle {
namespace {

struct Lock {
  TimePoint locked_until{};
  int64_t lockouts = 0;
};

Lock lock_of(sql::Connection& db, const std::string& subject) {
  auto q = db.prepare("SELECT locked_until, lockouts FROM login_lock WHERE subject = ?");
  q->bind(1, subject);
  Lock l;
  if (q->step()) {
    l.locked_until = parse_utc_text(q->text(0));
    l.lockouts = q->i64(1);
  }
  return l;
}

void forget_failures(sql::Connection& db, const std::string& subject) {
  auto q = db.prepare("DELETE FROM login_failure WHERE subject = ?");
  q->bind(1, subject);
  q->step();
}

}  // namespace

std::chrono::seconds locked_for(sql::Connection& db, const std::string& subject, TimePoint now) {
  const Lock l = lock_of(db, subject);
  if (l.locked_until <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(l.locked_until - now);
}

std::chrono::seconds count_failure(sql::Connection& db, const LoginPolicy& policy, const std::string& subject,
                                   int limit, TimePoint now) {
  const std::string since = utc_text(now - policy.window);
  auto prune = db.prepare("DELETE FROM login_failure WHERE subject = ? AND at < ?");
  prune->bind(1, subject).bind(2, since);
  prune->step();
  auto add = db.prepare("INSERT INTO login_failure(subject, at) VALUES(?, ?)");
  add->bind(1, subject).bind(2, utc_text(now));
  add->step();
  auto count = db.prepare("SELECT count(*) FROM login_failure WHERE subject = ?");
  count->bind(1, subject);
  count->step();
  if (count->i64(0) < limit) return std::chrono::seconds(0);

  // Locked: the failures that earned the lock do not count towards the next.
  forget_failures(db, subject);
  Lock l = lock_of(db, subject);
  ++l.lockouts;
  std::chrono::seconds length = policy.first_lockout;
  for (int64_t i = 1; i < l.lockouts && length < policy.max_lockout; ++i) length *= 2;
  length = std::min(length, policy.max_lockout);
  auto save = db.prepare(
      "INSERT INTO login_lock(subject, locked_until, lockouts) VALUES(?, ?, ?) "
      "ON CONFLICT(subject) DO UPDATE SET locked_until = excluded.locked_until, lockouts = excluded.lockouts");
  save->bind(1, subject).bind(2, utc_text(now + length)).bind(3, l.lockouts);
  save->step();
  return length;
}

void clear(sql::Connection& db, const std::string& subject) {
  forget_failures(db, subject);
  auto q = db.prepare("DELETE FROM login_lock WHERE subject = ?");
  q->bind(1, subject);
  q->step();
}

}  // namespace atalaya::access::throttle
