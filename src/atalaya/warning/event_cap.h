// A warning event as a CAP 1.2 message (cap.h): one message per event, at a
// stable address, each later version an Update referencing the event's first
// message, a Cancel once the event is closed. Its areas are the checkpoints
// that see the movement and those it is projected to reach, with their
// countries; onset and expiry span the projected windows.
#pragma once

#include "atalaya/warning/cap.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya {

// Throws std::invalid_argument for bad options or event timestamps.
CapSubject cap_subject(const WarningEvent& event, const CapOptions& options = {});

}  // namespace atalaya
