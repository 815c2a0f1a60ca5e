// The lifecycle rules a person's change must follow, for alerts and warning
// events alike: open -> acknowledged -> resolved, or expired by the system.
// Resolved and expired are final; a person may acknowledge or resolve, not
// open or expire; a change to the state already held is refused.
#pragma once

#include <string>

#include "atalaya/warning/alert.h"

namespace atalaya {

// Throws Error(Conflict) for a change from a final state or to the state
// already held, and Error(InvalidArgument, "status") for a state a person
// may not set. `what` names the thing ("alert 12", "event 3"); `noun` is
// "alert" or "event".
void check_person_change(const std::string& what, const std::string& noun, AlertStatus from, AlertStatus to);

}  // namespace atalaya
