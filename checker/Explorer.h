// Exhaustive breadth-first exploration with invariant checking, deadlock
// detection, resource limits and shortest counterexample traces.
//
// Algorithm: level-synchronous BFS. Each distinct state (its canonical bytes,
// after symmetry reduction) is fingerprinted with a 64-bit hash and entered
// in a lock-free open-addressing set; the state itself only lives in the
// queue of the level being expanded. Per distinct state the explorer keeps
// its fingerprint and its parent's id (12 bytes) besides the set slot; a
// trace is rebuilt by re-running the successor function from an initial
// state along the chain of fingerprints, so the path printed is a shortest
// one. Workers take batches of the current level; the next level is merged
// in worker order, so counts do not depend on the number of workers.
#pragma once

#include "checker/Successors.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::checker {

struct CheckOptions {
  int workers = 1;
  bool deadlock = true;
  bool symmetry = true;
  uint64_t maxStates = 0;   // 0: unlimited
  uint64_t maxMemoryMB = 0; // 0: unlimited
  double timeLimit = 0;     // seconds, 0: unlimited
  bool progress = true;     // progress line on stderr every 2 s
  bool liveness = true;     // check `property` items
};

struct TraceStep {
  Action action;
  State state;
};

struct CheckResult {
  enum class Verdict {
    Ok,
    InvariantViolated,
    Deadlock,
    EvalError,
    PropertyViolated,
    ResourceLimit,
  };
  Verdict verdict = Verdict::Ok;
  std::string name;    // invariant / property name, or the limit hit
  std::string message; // evaluation error text
  ir::SourceLoc loc;   // evaluation error location
  uint64_t generated = 0, distinct = 0, depth = 0, queueLeft = 0;
  double seconds = 0;
  uint64_t peakRssBytes = 0;
  std::string symmetry; // description
  std::vector<TraceStep> trace;
  int loopStart = -1; // liveness lasso: index in `trace` the last state loops to
};

const char *verdictName(CheckResult::Verdict v);

// Explores `program`. Throws EvalError only for setup errors (unbounded
// domains): the caller reports them as bad input.
CheckResult explore(const ir::Program &program, const CheckOptions &options);

// 64-bit fingerprint of canonical state bytes.
uint64_t fingerprint(const std::string &bytes);
uint64_t currentRssBytes();

// Rebuilds concrete states along canonical fingerprints `fps` (the first is
// an initial state). Returns false if the chain cannot be followed.
bool replayTrace(const Generator &gen, const class Symmetry &sym,
                 const std::vector<uint64_t> &fps, std::vector<TraceStep> &out);

} // namespace mommie::checker
