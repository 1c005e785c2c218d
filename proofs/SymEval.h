// Symbolic evaluation of IR expressions and statements over a symbolic
// state, for the bounded encoding: quantifiers and comprehensions over
// finite sets are expanded, `ME` is a concrete principal, and a body or a
// round update runs as a guarded (if-merged) symbolic execution.
#pragma once

#include "ir/IR.h"
#include "proofs/SymValue.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mommie::proofs {

// A symbolic global state.
struct SymState {
  // vars[role][var][principal index within the role's set]
  std::vector<std::vector<std::vector<SVal>>> vars;
  std::vector<Term> crashed, byz; // per global principal id
  Term phaseNo = nullptr, roundNo = nullptr;
  // Event-driven programs: the pool (see EventEncoding.h).
  std::vector<std::vector<std::vector<Term>>> timers; // [role][timer][p]
  std::vector<std::vector<std::vector<Term>>> fired;  // [role][trans][p*B+b]
  // pool[record][statement index] and known[record][principal][statement
  // index]: statements are those of the encoder's finite universe
  // (EventEncoding.cpp, PoolModel).
  std::vector<std::vector<Term>> pool;
  std::vector<std::vector<std::vector<Term>>> known;
};

// Answers KNOWN patterns for the evaluator (event-driven programs).
using KnownHook = std::function<Term(const ir::Pattern &,
                                     std::vector<std::optional<SVal>> &slots,
                                     class Evaluator &ev)>;

class Evaluator {
public:
  Evaluator(ValueOps &ops, const SymState &state, int me, size_t numSlots)
      : ops(ops), s(ops.s), prog(ops.prog), state(state), me(me),
        slots(numSlots), cond_(s.boolConst(true)) {}

  ValueOps &ops;
  TermStore &s;
  const ir::Program &prog;
  const SymState &state;
  int me; // the executing principal, or -1
  std::vector<std::optional<SVal>> slots;
  // While executing a body or update: ME's own role vars (role `localRole`).
  int localRole = -1;
  std::vector<SVal> local;
  KnownHook known;
  // Statements published by the body: (verifier, auditor kind, auditor,
  // record value, record index, path condition).
  struct Published {
    int record;
    SVal value;
    SVal verifier; // a set of principals
    SVal auditor;  // a set of principals
    Term cond;
  };
  std::vector<Published> published;
  std::vector<std::pair<int, Term>> timerStarts, timerCancels; // (timer, cond)
  // Every value an assignment stored (a whole value, or a new map key),
  // under its path condition, as it was before canonicalisation dropped
  // the elements outside a finite type: a step proves their declared
  // ranges (TypeOK, StepRanges), as the checker checks every assignment.
  struct Stored {
    const ir::Type *type;
    SVal value;
    Term cond;
    std::string what; // "seen", "a key of log"
  };
  std::vector<Stored> stored;
  // Per variable of `local`: the value the body left there holds a set
  // element or map key outside its model range, which the canonical
  // `local` dropped (ValueOps::dropsModel); the post-state is then outside
  // the model. Only what the variable holds at the end counts, as for the
  // checker: an assignment of the whole variable starts afresh.
  std::vector<Term> outside;
  // Every arithmetic operation evaluated, with the condition under which
  // it was (path conditions of statements, `&&`/`||`/`=>`/`if` operands,
  // binder membership) and its domain: no overflow, a positive divisor
  // (runtime/wire/Arith.h). A step proves each (ArithOK, docs/prove.md).
  struct Arith {
    Term cond;
    Term ok;
    std::string what; // "file:line:col: integer overflow in +"
  };
  std::vector<Arith> arith;
  // The conditions under which an `append` made a sequence longer than
  // ValueOps::seqBound: the step is then outside the proof.
  std::vector<Term> beyondSeqBound;

  SVal eval(const ir::Expr &e);
  Term evalBool(const ir::Expr &e) { return eval(e).t; }
  // Runs `block` under path condition `pc`, updating `local` and `slots`.
  void exec(const ir::Block &block, Term pc);

  // `v` as a set of principals (a principal becomes a singleton).
  SVal asPrincipalSet(const ir::Expr &e);
  SVal principalSetOf(int set);
  SVal stateVarOf(int role, int var, Term principal);

private:
  // The condition under which the expression being evaluated is (see
  // `arith`); Under conjoins to it for a scope.
  Term cond_;
  struct Under;
  SVal arithmetic(const ir::Expr &e, Term a, Term b);
  int assigning = -1; // the role variable an assignment is storing into
  void sizeOutside();
  SVal evalBuiltin(const ir::Expr &e);
  SVal evalBinary(const ir::Expr &e);
  const ir::Type &partType(const ir::Type &type,
                           const std::vector<ir::LValueStep> &path);
  SVal assignPath(const SVal &cur, const ir::Type &type,
                  const std::vector<ir::LValueStep> &path, size_t i,
                  const SVal &value, Term pc);
  void exec(const ir::Stmt &st, Term pc);
};

} // namespace mommie::proofs
