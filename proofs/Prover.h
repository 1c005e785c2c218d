// `mommie prove`'s engine: discharges every (invariant, step) obligation of
// an encoding with one or more solvers, and collects verdicts, timings,
// counterexamples to induction and solver disagreements.
#pragma once

#include "ir/IR.h"
#include "proofs/Solver.h"

#include <string>
#include <vector>

namespace mommie::proofs {

enum class Verdict { Proved, Counterexample, Unknown };

const char *verdictName(Verdict v); // "proved", "counterexample to induction", "unknown"

struct ObligationResult {
  std::string invariant; // invariant / lemma name, or TypeOK
  std::string step;      // "init", "round Exchange", "crash", ...
  ir::SourceLoc loc;     // of the invariant (or of the step)
  SolverKind solver = SolverKind::Z3;
  Verdict verdict = Verdict::Unknown;
  double seconds = 0;
  std::string detail; // the counterexample, or why unknown
};

struct ProveOptions {
  std::vector<SolverKind> solvers{SolverKind::Z3};
  unsigned timeoutMs = 0; // per check; 0 = none
};

struct ProveReport {
  std::vector<ObligationResult> results;
  // "Agreement / round Exchange: z3 proved, cvc5 counterexample ..."
  std::vector<std::string> disagreements;
  double encodeSeconds = 0;
  bool allProved() const;
};

// The bounded encoding, checked with every solver of `options`.
ProveReport proveBounded(const ir::Program &program,
                         const ProveOptions &options);

} // namespace mommie::proofs
