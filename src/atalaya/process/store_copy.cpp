#include "atalaya/process/store_copy.h"

#include "atalaya/access/account_schema.h"
#include "atalaya/access/account_store.h"
#include "atalaya/core/error.h"
#include "atalaya/process/process_schema.h"
#include "atalaya/process/process_store.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/audit/audit_schema.h"
#include "atalaya/store/series_schema.h"
#include "atalaya/store/store.h"
#include "atalaya/warning/alert_schema.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya {

std::vector<sql::CopiedTable> copy_store(const std::string& from, const std::string& to) {
  if (from == to) throw Error(ErrorCode::InvalidArgument, "to", "to: the same store as from");
  // Opening each feature's store creates and migrates its tables.
  for (const std::string& location : {from, to}) {
    open_store(location);
    open_alert_store(location);
    audit::open_audit_log(location);
    access::open_account_store(location);
    process::open_process_store(location);
  }
  auto source = sql::connect(from);
  auto destination = sql::connect(to);
  sql::TransactionScope read(*source, sql::Transaction::Read);
  sql::TransactionScope write(*destination, sql::Transaction::Write);
  std::vector<sql::CopiedTable> copied = sql::copy_tables(*source, *destination, "series", series_tables());
  for (auto& t : sql::copy_tables(*source, *destination, "warning", alert_tables())) copied.push_back(t);
  for (auto& t : sql::copy_tables(*source, *destination, "process", process::process_tables())) copied.push_back(t);
  for (auto& t : sql::copy_tables(*source, *destination, "audit", audit::audit_tables())) copied.push_back(t);
  for (auto& t : sql::copy_tables(*source, *destination, "access", access::account_tables())) copied.push_back(t);
  write.commit();
  read.commit();
  return copied;
}

}  // namespace atalaya
