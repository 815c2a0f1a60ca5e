// Trigger evaluation: every trigger of a set applied to the latest month of
// every group it selects in the cube. The result says which keys fired (with
// evidence) and which were evaluated, for the alert book (alert_book.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/warning/alert_book.h"
#include "atalaya/warning/trigger.h"

namespace atalaya {

struct Evaluation {
  std::vector<Firing> firings;
  // Keys evaluated, with their month: every key, or only the active alerts'
  // keys when evaluate_triggers is given them (all the alert book needs).
  Evaluated evaluated;
  uint64_t series_evaluated = 0;   // (trigger, group) pairs whose rule was run
  uint64_t below_volume = 0;       // groups skipped by the minimum volume
  std::vector<std::string> notes;  // what the reader should know (a route checkpoint without data, ...)
};

// Evaluates `set` on `cube`. Deterministic; reads nothing but the cube.
// With `active`, only those alerts' keys are recorded in `evaluated`: on a
// hemisphere of series, recording every key would cost more than the rules.
// A trigger's groups are evaluated on `threads` threads (0: one per core);
// the result is the same for any number.
Evaluation evaluate_triggers(const Cube& cube, const TriggerSet& set, const std::vector<Alert>* active = nullptr,
                             int threads = 0);

}  // namespace atalaya
