// `mommie prove`'s engine: discharges every (invariant, step) obligation of
// an encoding with one or more solvers, and collects verdicts, timings,
// counterexamples to induction and solver disagreements.
#pragma once

#include "ir/IR.h"
#include "proofs/Limits.h"
#include "proofs/Solver.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mommie::proofs {

enum class Verdict { Proved, Counterexample, Unknown };

const char *
verdictName(Verdict v); // "proved", "counterexample to induction", "unknown"

struct ObligationResult {
  std::string invariant; // invariant / lemma name, or TypeOK
  std::string step;      // "init", "round Exchange", "crash", ...
  ir::SourceLoc loc;     // of the invariant (or of the step)
  SolverKind solver = SolverKind::Z3;
  Verdict verdict = Verdict::Unknown;
  double seconds = 0;
  std::string detail; // the counterexample, or why unknown
  // Unknown because the obligation reached --timeout or --max-memory.
  bool limit = false;
};

struct ProveOptions {
  std::vector<SolverKind> solvers{SolverKind::Z3};
  unsigned timeoutMs = 0;   // per obligation, every stage of it; 0 = none
  uint64_t maxMemoryMb = 0; // resident memory; 0 = none
  size_t seqBound = 4;      // the longest sequence of the bounded encoding
  // Parameterized encoding: only these invariants (and TypeOK if named);
  // empty = all.
  std::vector<std::string> only;
  // Called with each note and each result as soon as it is known (the
  // report collects them too), so that a long run shows its progress.
  std::function<void(const std::string &)> onNote;
  std::function<void(const ObligationResult &)> onResult;

  Limits limits() const { return {timeoutMs, maxMemoryMb}; }
};

struct ProveReport {
  std::vector<ObligationResult> results;
  // "Agreement / round Exchange: z3 proved, cvc5 counterexample ..."
  std::vector<std::string> disagreements;
  double encodeSeconds = 0;
  std::vector<std::string> notes; // e.g. which parameters were symbolic
  bool allProved() const;
  // Some result is unknown because of a limit.
  bool limitReached() const;
  // Collect a note / a result and pass it to `options`' observer.
  void addNote(std::string note, const ProveOptions &options);
  void add(ObligationResult result, const ProveOptions &options);
};

// The report's note on the `int model lo..hi` ranges of `program` (empty
// when it has none): where they occur, and that a step leaving one is
// outside the model, so outside the proof, as `mommie check` and TLC do not
// expand a state outside the model.
std::string modelRangesNote(const ir::Program &program);

// The bounded encoding, checked with every solver of `options`.
ProveReport proveBounded(const ir::Program &program,
                         const ProveOptions &options);

// The parameterized encoding (round programs; cvc5's finite sets with
// cardinality, or its Venn reduction decided by the selected solver): the
// parameters that size the principal set or bound a fault are symbolic,
// read from the program's symbolic forms (proofs/SymbolicParams.h); the
// others keep `program`'s values. When a query is incomplete, real
// counterexamples are looked for in instances of `program`
// (ir::instantiate) with the bounded encoding.
ProveReport proveParameterized(const ir::Program &program,
                               const ProveOptions &options);

} // namespace mommie::proofs
