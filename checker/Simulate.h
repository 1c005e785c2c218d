// Random simulation for state spaces too big to exhaust: `runs` random
// walks of at most `depth` steps from random initial states, checking
// invariants, evaluation errors, deadlocks and retire clauses along the way.
#pragma once

#include "checker/Explorer.h"

namespace mommie::checker {

struct SimulateOptions {
  uint64_t runs = 100;
  uint64_t depth = 100;
  uint64_t seed = 1;
  bool deadlock = true;
  double timeLimit = 0;
  bool retireCheck =
      true; // CheckOptions::retireCheck, at every state of a walk
};

CheckResult simulate(const ir::Program &program,
                     const SimulateOptions &options);

} // namespace mommie::checker
