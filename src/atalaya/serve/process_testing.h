// For the server's tests of the L.A. Process: the shipped Los Angeles
// Declaration seed (data/process/los-angeles-declaration.toml) loaded into
// the store a test server reads, as `atalaya process seed` loads it.
#pragma once

#include <string>

#include "atalaya/access/permissions.h"
#include "atalaya/process/process_store.h"
#include "atalaya/process/seed.h"

namespace atalaya::testing {

inline void seed_la_declaration(const std::string& db) {
  auto store = process::open_process_store(db);
  process::load_seed(*store,
                     process::read_seed(std::string(ATALAYA_SOURCE_DIR) + "/data/process/los-angeles-declaration.toml"),
                     access::Principal::local_operator("test").actor);
}

}  // namespace atalaya::testing
