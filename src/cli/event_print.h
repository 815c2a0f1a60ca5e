// How the CLI prints warning events: the compact inbox (one line per event,
// ranked) and one event in full, checkpoint by checkpoint.
#pragma once

#include <ostream>
#include <vector>

#include "atalaya/core/messages.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya::cli {

// The events in the order given (rank them first), with the latest
// explanation under each when `explain`.
void print_event_inbox(std::ostream& out, const std::vector<WarningEvent>& events, bool explain,
                       Language lang = Language::En);
// The inbox's header and one event's line (status column optional).
void print_event_header(std::ostream& out, bool with_status);
void print_event_line(std::ostream& out, const WarningEvent& event, bool with_status);
// One event with every checkpoint's evidence and projected window, and its history.
void print_event_detail(std::ostream& out, const WarningEvent& event, Language lang = Language::En);

// A count as printed ("13,141"), "no data" for a missing month.
std::string count_text(double v);

}  // namespace atalaya::cli
