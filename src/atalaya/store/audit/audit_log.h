// The audit trail: an append-only table (feature "audit") in the same
// database as the data it speaks of, so that a change and its audit line
// are written in one transaction: both or neither. Nothing updates or
// deletes a line (both backends refuse it with a trigger).
//
// Any store that changes something (series, alerts, accounts, the process)
// calls migrate_audit() when it opens and append() inside its own write
// transaction. A refused or denied attempt, which writes nothing else, is
// appended in a transaction of its own (AuditLog::record).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "atalaya/core/audit_entry.h"
#include "atalaya/store/sql/connection.h"

namespace atalaya::audit {

struct AuditRecord {
  int64_t id = 0;
  std::string at;  // UTC, ISO 8601 with milliseconds
  AuditEntry entry;
};

// Every field narrows; empty fields do not.
struct AuditFilter {
  int64_t person_id = 0;     // the actor's account
  std::string person;        // the actor's name (exact)
  std::string action;        // exact, or a prefix ending in '.' ("alert.")
  std::string object;        // exact, or a prefix ending in ':' ("source:")
  std::string outcome;
  std::string from, to;      // UTC bounds on `at` (ISO 8601 date or timestamp; `to` inclusive of its day)
  int64_t before_id = 0;     // paging: lines older than this id
  size_t limit = 200;
};

// Creates or migrates the audit table on this connection.
void migrate_audit(sql::Connection& db);

// Appends one line inside the caller's open Write transaction.
void append(sql::Connection& db, const AuditEntry& entry);

// Appends one line in a transaction of its own (Bookkeeping: servers do not
// reload their data for it): an attempt that changed nothing else.
void record(sql::Connection& db, const AuditEntry& entry);

// Newest first.
std::vector<AuditRecord> query(sql::Connection& db, const AuditFilter& filter);

// The audit trail on its own connection: for `atalaya audit`, the API's
// /audit, and lines that record an attempt that changed nothing.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends in a transaction of its own (Bookkeeping: servers do not reload
  // their data for an audit line).
  virtual void record(const AuditEntry& entry) = 0;
  virtual std::vector<AuditRecord> lines(const AuditFilter& filter) = 0;
};

std::unique_ptr<AuditLog> open_audit_log(const std::string& location);

}  // namespace atalaya::audit
