// A store's connection to a PostgreSQL server, through libpq
// (store/sql/connection.h is the contract).
//
// How the dialect's differences are met:
// - `?` placeholders become $1..$n (not inside string literals, quoted
//   identifiers or comments). Parameters travel as text with no declared
//   type: the server infers each one's type from its context, as it would
//   for a quoted literal. Where the context says nothing (`? IS NULL`),
//   write CAST(? AS BIGINT), which both dialects accept.
// - Rows stream (libpq's single-row mode): a select of millions of rows is
//   never held in memory at once. While one statement streams, the
//   connection is busy; when another statement, exec() or begin()/commit()
//   needs it, the streaming statement first reads its remaining rows into
//   memory (reading a small outer query while running inner queries is
//   fine; do not nest queries inside a huge one).
// - Prepared statements are kept per SQL text for the connection's life.
//   Statements and bulk inserts must be destroyed before their connection.
// - begin(Write) takes a transaction-scoped advisory lock, waiting at most
//   the session's lock_timeout (10 s unless the URI sets one, e.g.
//   `?options=-c%20lock_timeout%3D200`), else throws Error(Busy).
// - data_version() reads the one-row table store_change; a Write
//   transaction's commit() advances it and sends NOTIFY atalaya_change,
//   which wait_for_change() listens for.
#pragma once

#include <memory>
#include <string>

#include "atalaya/store/sql/connection.h"

namespace atalaya::postgres {

// Connects to `uri` (libpq's URI "postgresql://..." / "postgres://...", or
// "postgresql:" followed by libpq's key-value string "host=... dbname=...").
// Creates the bookkeeping tables store_change and store_schema when missing.
// Throws Error(Unavailable) naming the URI (password masked) when the
// server cannot be reached.
std::unique_ptr<sql::Connection> connect_postgres(const std::string& uri);

// `uri` with any password replaced by "***", for messages.
std::string mask_password(const std::string& uri);

// The same server, user and options as `uri`, another database: a
// "postgresql:" key-value location. For tests and `store copy`.
std::string with_database(const std::string& uri, const std::string& database);

}  // namespace atalaya::postgres
