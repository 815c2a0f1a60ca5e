#include "atalaya/access/login_throttle.h"

#include <algorithm>

namespace atalaya::access::throttle {
namespace {

struct Lock {
  TimePoint locked_until{};
  int64_t lockouts = 0;
  TimePoint counting_from{};
};

Lock lock_of(sql::Connection& db, const std::string& subject) {
  auto q = db.prepare("SELECT locked_until, lockouts, counting_from FROM login_lock WHERE subject = ?");
  q->bind(1, subject);
  Lock l;
  if (q->step()) {
    l.locked_until = parse_utc_text(q->text(0));
    l.lockouts = q->i64(1);
    l.counting_from = parse_utc_text(q->text(2));
  }
  return l;
}

void save(sql::Connection& db, const std::string& subject, const Lock& l) {
  auto q = db.prepare(
      "INSERT INTO login_lock(subject, locked_until, lockouts, counting_from) VALUES(?, ?, ?, ?) "
      "ON CONFLICT(subject) DO UPDATE SET locked_until = excluded.locked_until, lockouts = excluded.lockouts, "
      "counting_from = excluded.counting_from");
  q->bind(1, subject).bind(2, utc_text(l.locked_until)).bind(3, l.lockouts).bind(4, utc_text(l.counting_from));
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

  Lock l = lock_of(db, subject);
  // Failures that earned the previous lock do not count towards the next.
  const bool after_lock = l.counting_from > now - policy.window;
  auto count = db.prepare(after_lock ? "SELECT count(*) FROM login_failure WHERE subject = ? AND at > ?"
                                     : "SELECT count(*) FROM login_failure WHERE subject = ? AND at >= ?");
  count->bind(1, subject).bind(2, after_lock ? utc_text(l.counting_from) : since);
  count->step();
  if (count->i64(0) < limit) return std::chrono::seconds(0);

  ++l.lockouts;
  std::chrono::seconds length = policy.first_lockout;
  for (int64_t i = 1; i < l.lockouts && length < policy.max_lockout; ++i) length *= 2;
  length = std::min(length, policy.max_lockout);
  l.locked_until = now + length;
  l.counting_from = now;
  save(db, subject, l);
  return length;
}

void clear(sql::Connection& db, const std::string& subject, TimePoint now) {
  save(db, subject, Lock{TimePoint{}, 0, now});
}

}  // namespace atalaya::access::throttle
