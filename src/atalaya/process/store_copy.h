// `atalaya store copy FROM TO`: moves a whole store (every vintage of every
// source, every alert and event with its history, the outbox, the L.A. Process's
// declarations, pillars, commitments, meetings and their history) between
// backends, ids kept, in one transaction on the destination. It sits with
// the highest feature whose tables it copies; a feature added above adds
// its tables here and moves it up.
#pragma once

#include <string>
#include <vector>

#include "atalaya/store/sql/table_copy.h"

namespace atalaya {

// Both stores are opened (and migrated to this program's versions); the
// destination must hold no rows. Returns each table copied with its rows.
std::vector<sql::CopiedTable> copy_store(const std::string& from, const std::string& to);

}  // namespace atalaya
