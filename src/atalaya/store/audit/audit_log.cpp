#include "atalaya/store/audit/audit_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>

#include "atalaya/core/error.h"
#include "atalaya/store/audit/audit_schema.h"

namespace atalaya::audit {
namespace {

// Milliseconds: two lines of one request must still sort by time.
std::string utc_now_ms() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto t = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

// A bound on `at`: a date or a UTC timestamp. `upper` makes a date
// inclusive of its whole day.
std::string time_bound(const std::string& text, const char* parameter, bool upper) {
  static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  static const std::regex stamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)");
  if (std::regex_match(text, date)) return upper ? text + "T23:59:59.999Z" : text;
  if (std::regex_match(text, stamp)) {
    std::string t = text;
    if (t.back() == 'Z') t.pop_back();
    // "…T10:15" as an upper bound covers the whole minute.
    return upper ? t + "~" : t;
  }
  throw Error(ErrorCode::InvalidArgument, parameter,
              std::string(parameter) + ": '" + text + "' is not a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
}

// The LIKE pattern of a prefix: its own % and _ escaped.
std::string prefix_pattern(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

class SqlAuditLog : public AuditLog {
 public:
  explicit SqlAuditLog(std::unique_ptr<sql::Connection> db) : db_(std::move(db)) { migrate_audit(*db_); }

  void record(const AuditEntry& entry) override { audit::record(*db_, entry); }

  std::vector<AuditRecord> lines(const AuditFilter& filter) override {
    sql::TransactionScope tx(*db_, sql::Transaction::Read);
    auto out = query(*db_, filter);
    tx.commit();
    return out;
  }

 private:
  std::unique_ptr<sql::Connection> db_;
};

}  // namespace

void migrate_audit(sql::Connection& db) { sql::migrate(db, "audit", audit_migrations()); }

void append(sql::Connection& db, const AuditEntry& e) {
  if (e.action.empty()) throw Error(ErrorCode::Internal, "", "audit: a line without an action");
  auto st = db.prepare(
      "INSERT INTO audit_line(at, person_id, person, origin, credential, action, object, outcome, detail) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st->bind(1, utc_now_ms())
      .bind(2, e.actor.person_id)
      .bind(3, e.actor.name)
      .bind(4, e.actor.origin)
      .bind(5, e.actor.credential)
      .bind(6, e.action)
      .bind(7, e.object)
      .bind(8, e.outcome)
      .bind(9, e.detail);
  st->step();
}

void record(sql::Connection& db, const AuditEntry& entry) {
  sql::TransactionScope tx(db, sql::Transaction::Bookkeeping);
  append(db, entry);
  tx.commit();
}

std::vector<AuditRecord> query(sql::Connection& db, const AuditFilter& f) {
  std::string where = " WHERE 1=1";
  std::vector<std::string> texts;
  std::vector<int64_t> numbers;
  // Parameters are bound in the order the clauses add them: record which.
  std::vector<std::pair<bool, size_t>> order;  // (is text, index)
  auto text = [&](const std::string& clause, std::string value) {
    where += clause;
    order.push_back({true, texts.size()});
    texts.push_back(std::move(value));
  };
  auto number = [&](const std::string& clause, int64_t value) {
    where += clause;
    order.push_back({false, numbers.size()});
    numbers.push_back(value);
  };
  if (f.person_id) number(" AND person_id = ?", f.person_id);
  if (!f.person.empty()) text(" AND person = ?", f.person);
  if (!f.action.empty()) {
    if (f.action.back() == '.') text(" AND action LIKE ? ESCAPE '\\'", prefix_pattern(f.action));
    else text(" AND action = ?", f.action);
  }
  if (!f.object.empty()) {
    if (f.object.back() == ':') text(" AND object LIKE ? ESCAPE '\\'", prefix_pattern(f.object));
    else text(" AND object = ?", f.object);
  }
  if (!f.outcome.empty()) text(" AND outcome = ?", f.outcome);
  if (!f.from.empty()) text(" AND at >= ?", time_bound(f.from, "from", false));
  if (!f.to.empty()) text(" AND at <= ?", time_bound(f.to, "to", true));
  if (f.before_id > 0) number(" AND id < ?", f.before_id);
  const size_t limit = f.limit == 0 ? 200 : f.limit;
  auto st = db.prepare(
      "SELECT id, at, person_id, person, origin, credential, action, object, outcome, detail FROM audit_line" +
      where + " ORDER BY id DESC LIMIT " + std::to_string(limit));
  int i = 1;
  for (auto [is_text, k] : order) {
    if (is_text) st->bind(i++, texts[k]);
    else st->bind(i++, numbers[k]);
  }
  std::vector<AuditRecord> out;
  while (st->step()) {
    AuditRecord r;
    r.id = st->i64(0);
    r.at = st->text(1);
    r.entry.actor.person_id = st->i64(2);
    r.entry.actor.name = st->text(3);
    r.entry.actor.origin = st->text(4);
    r.entry.actor.credential = st->text(5);
    r.entry.action = st->text(6);
    r.entry.object = st->text(7);
    r.entry.outcome = st->text(8);
    r.entry.detail = st->text(9);
    out.push_back(std::move(r));
  }
  return out;
}

std::unique_ptr<AuditLog> open_audit_log(const std::string& location) {
  return std::make_unique<SqlAuditLog>(sql::connect(location));
}

}  // namespace atalaya::audit
