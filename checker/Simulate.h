// Random simulation for state spaces too big to exhaust: `runs` random
// walks of at most `depth` steps from random initial states, checking
// invariants, evaluation errors and deadlocks along the way.
#pragma once

#include "checker/Explorer.h"

namespace mommie::checker {

struct SimulateOptions {
  uint64_t runs = 100;
  uint64_t depth = 100;
  uint64_t seed = 1;
  bool deadlock = true;
  double timeLimit = 0;
};

CheckResult simulate(const ir::Program &program, const SimulateOptions &options);

} // namespace mommie::checker
