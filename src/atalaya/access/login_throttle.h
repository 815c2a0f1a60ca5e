// The login throttle's bookkeeping (account_store.h says the rules): failed
// sign-ins counted per subject ("account:ID", "login:HASH" for an unknown
// login, "origin:ADDRESS") and the locks they earn, in the tables
// login_failure and login_lock. Functions on a connection; the writes run
// inside the caller's Write transaction.
#pragma once

#include <chrono>
#include <string>

#include "atalaya/access/account_store.h"
#include "atalaya/access/utc_text.h"
#include "atalaya/store/sql/connection.h"

namespace atalaya::access::throttle {

// How long `subject` stays locked from `now` (zero: not locked).
std::chrono::seconds locked_for(sql::Connection& db, const std::string& subject, TimePoint now);

// Counts one failure; past `limit` failures within the policy's window the
// subject is locked and the lock's length is returned (else zero).
std::chrono::seconds count_failure(sql::Connection& db, const LoginPolicy& policy, const std::string& subject,
                                   int limit, TimePoint now);

// A successful sign-in: earlier failures no longer count and the next
// lockout is the first again.
void clear(sql::Connection& db, const std::string& subject);

}  // namespace atalaya::access::throttle
