// Proof obligations of the bounded encoding. A program is encoded into
// steps: `init` and one per action of docs/semantics.md (each round step,
// each transition, crash, delivery, ...). A step carries the hypotheses
// (typing of the pre-state, every invariant and lemma on the pre-state, the
// step relation) and one goal per invariant / lemma (plus TypeOK) on the
// post-state. A goal that fails to encode (an unsupported construct) is kept
// with its reason, so that the prover reports it as `unknown`.
#pragma once

#include "ir/IR.h"
#include "proofs/SymEval.h"
#include "proofs/SymValue.h"
#include "proofs/Term.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mommie::proofs {

using ModelEval = std::function<int64_t(Term)>;

struct Goal {
  std::string invariant; // invariant / lemma name, or "TypeOK"
  ir::SourceLoc loc;
  Term term = nullptr;     // null when unsupported
  std::string unsupported; // why it could not be encoded
};

struct StepEncoding {
  std::string
      name; // "init", "round Exchange", "crash", "recover", "transition T"
  ir::SourceLoc loc;
  std::vector<Term> hyps;
  std::vector<Goal> goals;
  std::string unsupported; // the whole step could not be encoded
  // Prints the pre-state, the step's choices and the post-state under a
  // model (the counterexample to induction).
  std::function<std::string(const ModelEval &)> describe;
};

struct Encoding {
  std::unique_ptr<TermStore> store;
  std::vector<StepEncoding> steps;
  std::vector<std::shared_ptr<void>> keepAlive; // what the closures use
};

// What a step stored and published beyond its canonical post-state
// (Evaluator::stored, outside, published), as typing constraints: the model
// ranges (`int model lo..hi`) of the values the post-state holds, set
// elements and map keys that canonicalisation dropped included, and of the
// published records are hypotheses of the step, since a step that leaves
// them is outside the model and so outside the proof, as a state outside
// the model is not expanded by `mommie check` and TLC; the declared ranges
// of every stored value belong to TypeOK (canonicalisation would otherwise
// drop a set element or map key outside its type unseen).
struct StepRanges {
  std::vector<Term> model, declared;
  // The domain of every arithmetic operation the step evaluated
  // (Evaluator::arith): the goal ArithOK.
  std::vector<Term> arith;
  std::vector<std::pair<std::string, Term>> arithChecked; // for counterexamples
  // The stored values that a declared range may not admit, for
  // counterexamples (the post-state shows them canonicalised).
  struct Checked {
    std::string what;
    const ir::Type *type;
    SVal value;
    Term ok;
  };
  std::vector<Checked> checked;
  // A value stored whole into a variable (an initial value).
  void addValue(ValueOps &ops, const std::string &what, const ir::Type &type,
                const SVal &v, Term cond);
  // The arithmetic `ev` evaluated, under `cond`.
  void addArith(ValueOps &ops, const Evaluator &ev, Term cond);
  // Everything `ev` stored and published, and its arithmetic, under `cond`
  // (e.g. liveness).
  void addEvaluator(ValueOps &ops, const Evaluator &ev, Term cond);
  // The declared ranges of one stored value.
  void addDeclared(ValueOps &ops, const std::string &what, const ir::Type &type,
                   const SVal &v, Term cond);
  // The stored values outside their declared type under a model, one line
  // each ("  stored: seen = {0, 1, 2}, outside its declared type"), and the
  // evaluation errors ("  evaluation error: f.mom:3:7: integer overflow in +").
  std::string show(const ir::Program &prog, const ModelEval &ev) const;
};

// The bounded encoding of a program (parameters already concrete).
// Sequences hold at most `seqBound` elements (ValueOps::seqBound).
Encoding encodeBounded(const ir::Program &program, size_t seqBound = 4);

// Shared by the round and event-driven encoders.
class StateBuilder {
public:
  StateBuilder(ValueOps &ops)
      : ops(ops), s(ops.s), prog(ops.prog), names(ops.prog) {}
  ValueOps &ops;
  TermStore &s;
  const ir::Program &prog;
  // Counterexamples show named constants by name (ir/ConstantNames.h).
  const ir::ConstantNames names;

  // A state of fresh variables; typing and fault-bound constraints are
  // appended to `hyps`.
  SymState freshState(const std::string &tag, std::vector<Term> &hyps);
  // The fault-bound constraints of crashed / byz vectors.
  void faultBounds(const std::vector<Term> &crashed,
                   const std::vector<Term> &byz, std::vector<Term> &hyps);
  // Every initial state: role vars from their initializers (whose values
  // go to `ranges`).
  SymState initState(std::vector<Term> &hyps, StepRanges &ranges);
  // An initial value of `var` at principal `p` as in Init: its `= e` value
  // (whose ranges and arithmetic go to `ranges` under `cond`), or a fresh
  // value (named with `tag`) within its `in S` set.
  SVal initialValue(const ir::VarDecl &var, int p, const std::string &tag,
                    Term cond, std::vector<Term> &hyps, StepRanges &ranges);
  // The typing constraint of the role variables of `st` (`which` ranges).
  Term typeOk(const SymState &st, Ranges which = Ranges::All);
  // The hypothesis that a step stays within the model: the post-state's
  // role variables and everything in `ranges` keep their model ranges.
  // (The pre-state is within the model by freshState's typing, the pool by
  // its universe.)
  void assumeWithinModel(const SymState &post, const StepRanges &ranges,
                         std::vector<Term> &hyps);
  // Evaluates each invariant / lemma on `st`: (term or null, reason).
  std::vector<Goal> invariantGoals(const SymState &st);
  Term live(const SymState &st, int p) {
    return s.mkAnd(s.mkNot(st.crashed[p]), s.mkNot(st.byz[p]));
  }
  // A crash or recover fault / a recover fault is declared.
  bool hasCrash() const;
  bool hasRecover() const;

  // Event-driven programs (installed by prepareEvents): extends a fresh
  // (`init` false) or initial state with pool, knowledge and refraction
  // variables; the structural pool invariant (PoolOK, assumed and proved
  // like TypeOK); KNOWN in invariants (membership in the pool).
  std::function<void(SymState &, const std::string &, bool init)> extendState;
  std::function<Term(const SymState &)> structuralOk;
  KnownHook invariantKnown;
  std::shared_ptr<void> eventModel;
  // The goals every step proves about its post-state besides the
  // invariants: TypeOK (the declared ranges of the post-state and of what
  // the step stored: `ranges`), ArithOK (no arithmetic of the step
  // overflowed or divided by a divisor that is not positive: `ranges`), and
  // PoolOK for event-driven programs. The model ranges are hypotheses
  // (assumeWithinModel), not goals.
  void addBuiltinGoals(const SymState &post, std::vector<Goal> &goals,
                       const StepRanges *ranges = nullptr);
  // Text of a state under a model.
  std::string showState(const SymState &st, const ModelEval &ev,
                        const char *indent) const;
  std::string principalName(int p) const;
};

void encodeRounds(StateBuilder &b, Encoding &enc);
// Installs the event-driven hooks of `b` (before any state is built).
void prepareEvents(StateBuilder &b);
void encodeEvents(StateBuilder &b, Encoding &enc);
StepEncoding encodeInit(StateBuilder &b);
StepEncoding encodeCrash(StateBuilder &b);
// The principals that a fault declaration selected by `which` covers.
std::vector<bool>
faultMembers(const ir::Program &prog,
             const std::function<bool(const ir::FaultDecl &)> &which);
// A crashed principal of a recover fault restarts (docs/semantics.md,
// Recover): durable and ghost variables kept, the others initial, timers,
// refraction and knowledge emptied, pools unchanged.
StepEncoding encodeRecover(StateBuilder &b);
// Adds TypeOK-independent hypotheses: every invariant and lemma on `pre`.
void assumeInvariantsOn(StateBuilder &b, const SymState &pre,
                        std::vector<Term> &hyps);

} // namespace mommie::proofs
