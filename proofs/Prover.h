// `mommie prove`'s engine: discharges every (invariant, step) obligation of
// an encoding with one or more solvers, and collects verdicts, timings,
// counterexamples to induction and solver disagreements.
#pragma once

#include "ir/IR.h"
#include "proofs/ParamShape.h"
#include "proofs/Solver.h"

#include <map>
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
  // Parameterized encoding: only these invariants (and TypeOK if named);
  // empty = all.
  std::vector<std::string> only;
};

struct ProveReport {
  std::vector<ObligationResult> results;
  // "Agreement / round Exchange: z3 proved, cvc5 counterexample ..."
  std::vector<std::string> disagreements;
  double encodeSeconds = 0;
  std::vector<std::string> notes; // e.g. which parameters were symbolic
  bool allProved() const;
};

// The bounded encoding, checked with every solver of `options`.
ProveReport proveBounded(const ir::Program &program,
                         const ProveOptions &options);

// The parameterized encoding (round programs; cvc5's finite sets with
// cardinality): every principal-set size and the parameters it depends on
// are symbolic. `base` is the program lowered with `defines`; `lower`
// lowers other instances (to recover the parameters, and to look for real
// counterexamples when a parameterized query is incomplete). Z3 gets
// `unknown` for every obligation.
ProveReport proveParameterized(const ir::Program &base,
                               const std::map<std::string, int64_t> &defines,
                               const Lowerer &lower,
                               const ProveOptions &options);

} // namespace mommie::proofs
