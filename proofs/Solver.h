// The two SMT back ends behind one small interface: each translates terms of
// a TermStore (memoized) into its own API, asserts them, checks, and reads
// back variable values from a model.
#pragma once

#include "proofs/Term.h"

#include <memory>
#include <string>

namespace cvc5 {
class Result;
class Solver;
} // namespace cvc5

namespace mommie::proofs {

enum class SolverKind { Z3, Cvc5 };

const char *solverName(SolverKind kind);

enum class SatResult { Sat, Unsat, Unknown };

class SmtSolver {
public:
  virtual ~SmtSolver() = default;
  virtual void push() = 0;
  virtual void pop() = 0;
  virtual void add(Term t) = 0;
  virtual SatResult check() = 0;
  // Why the last check returned Unknown (timeout, incomplete, ...).
  virtual std::string reasonUnknown() = 0;
  // After Sat: the model value of a variable (Bool as 0/1).
  virtual int64_t value(Term var) = 0;
};

// A solver for formulas over `store`; `timeoutMs` per check (0: none),
// shortened to what is left of the obligation's budget (proofs/Limits.h);
// check() throws LimitReached when the budget is spent.
std::unique_ptr<SmtSolver> makeSolver(SolverKind kind, const TermStore &store,
                                      unsigned timeoutMs);

// `slv.checkSat()` within `timeoutMs` (0: none) and the current budget:
// throws LimitReached when the budget is spent, before or after the call.
cvc5::Result checkSatWithin(cvc5::Solver &slv, unsigned timeoutMs);

} // namespace mommie::proofs
