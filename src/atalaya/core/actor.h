// Who is acting: the person (or script, through a personal token) behind a
// change or a read, as the audit trail records it and as a change's history
// shows it. Every layer that changes something takes one; only access/
// (accounts, sessions, tokens) decides who it is.
#pragma once

#include <cstdint>
#include <string>

namespace atalaya {

struct Actor {
  int64_t person_id = 0;   // the account's id; 0: no account (the local operator, an anonymous reader)
  std::string name;        // the account's name, "operator:<unix user>" at a CLI of a store without accounts, or "anonymous"
  std::string origin;      // "cli", or the client's address as the server saw it (behind a trusted proxy: as it forwarded)
  std::string credential;  // how it was established: "session", "token:<id>", "editors-file", "local"
};

}  // namespace atalaya
