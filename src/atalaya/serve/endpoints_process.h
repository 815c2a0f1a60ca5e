// Shared by the process's read and change endpoints (endpoints_process.cpp,
// endpoints_process_write.cpp): finding what a path names (404 naming it)
// and writing records as the reads answer them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atalaya/process/process_store.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/process_view.h"

namespace atalaya::serve {

// The caller's view: the answer's language; people only for read_restricted.
ProcessView process_view(const ApiCall& call);

// Throw ApiError(404) naming "declaration" or "commitment".
process::Declaration declaration_of(process::ProcessStore& s, const std::string& code);
process::CommitmentRecord commitment_of(process::ProcessStore& s, const std::string& declaration,
                                        const std::string& code);

// Today's UTC day (YYYY-MM-DD).
std::string today();

// A pillar as the API shows it: without its declaration, with "open" (today).
nlohmann::json pillar_json(const process::Pillar& p);

// The changes: reports, assessments, commitments, meetings, pillar changes.
std::vector<Endpoint> process_change_endpoints();

}  // namespace atalaya::serve
