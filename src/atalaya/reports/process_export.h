// A declaration's commitments with their latest self-reported status and
// latest assessment, as files for people: CSV and an Excel workbook, one
// commitment a row, in one layout (the API's ?format=csv|xlsx).
//
// As the series exports: text cells are neutralised (no formula runs), the
// CSV may begin with a byte-order mark, a missing target or status is an
// empty cell (never 0).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atalaya/process/process_store.h"

namespace atalaya {

// declaration, code, parties, pillar, package, kind, text, target_value,
// target_unit, deadline, deadline_by, made_on, made_at, latest_status,
// status_meeting, status_held_on, latest_completion, assessment_meeting,
// assessment_held_on.
const std::vector<std::string>& commitment_export_header();

struct CommitmentExport {
  std::vector<process::CommitmentRecord> commitments;
  std::vector<process::Meeting> meetings;  // for the day each status and assessment was recorded at
  std::string lang = "en";                 // the language of the text column (the other when empty)
};

// RFC 4180, LF line ends; parties joined by "; ".
std::string commitments_csv(const CommitmentExport& e, bool bom);

// One sheet "commitments": a bold header row frozen above the rows, the
// target's value as a number, column widths fitted to the text (the
// commitment's text at most 80 wide). Throws std::runtime_error when
// libxlsxwriter fails.
std::string commitments_xlsx(const CommitmentExport& e);

}  // namespace atalaya
