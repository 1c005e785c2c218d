// Exhaustive breadth-first exploration with invariant checking, deadlock
// detection, the retire check (checker/Retire.h), resource limits and
// shortest counterexample traces.
//
// Algorithm: level-synchronous BFS over compact states (checker/Compact.h:
// one interned value id per slot). Each distinct state's 64-bit
// fingerprint is entered in a lock-free open-addressing set, the only
// per-state structure in memory. The states of a level live in per-worker
// queues that spill to temporary files; every distinct state also gets a
// (parent record, fingerprint) record in a per-worker temporary file,
// read back only to rebuild a counterexample: the chain of fingerprints
// is replayed with the successor function from an initial state, so the
// path printed is a shortest one. Successors are computed on the parent's
// words: Deliver adds one statement id to a knowledge set, and a
// transition at a principal is run once per distinct value of the words it
// depends on, its effects cached as word operations. Workers take batches
// of the current level; counts do not depend on the number of workers.
#pragma once

#include "checker/Successors.h"

#include <cstdint>
#include <functional>
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
  // With retire clauses: at every state that retires a statement, check that
  // collecting commutes with every step (checker/Retire.h).
  bool retireCheck = true;
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
  int loopStart =
      -1; // liveness lasso: index in `trace` the last state loops to
  // The lasso's loop is its last state repeating (stuttering): no step that
  // fairness requires is enabled there.
  bool stutters = false;
  // The temporal properties checked and found to hold (in declaration
  // order), the states of the liveness graph and the time it took.
  std::vector<std::string> propertiesHeld;
  uint64_t livenessStates = 0;
  double livenessSeconds = 0;
};

const char *verdictName(CheckResult::Verdict v);

// The verdict, name, message and place of an evaluation error: an error of
// the program (EvalError), or an implementation limit met while evaluating
// (ResourceLimit, named "what at file:line:col"; EvalError::limit).
void setEvalError(CheckResult &r, const EvalError &e);

// Explores `program`. Throws EvalError only for setup errors (unbounded
// domains): the caller reports them as bad input.
CheckResult explore(const ir::Program &program, const CheckOptions &options);

// 64-bit fingerprint of canonical state bytes.
uint64_t fingerprint(const std::string &bytes);

// Rebuilds concrete states along fingerprints `fps` (the first is an
// initial state), `fpOf` giving a state's fingerprint as the search
// computed it. Returns false if the chain cannot be followed.
using FingerprintOf = std::function<uint64_t(const State &)>;
bool replayTrace(const Generator &gen, const FingerprintOf &fpOf,
                 const std::vector<uint64_t> &fps, std::vector<TraceStep> &out);

} // namespace mommie::checker
