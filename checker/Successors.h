// Successor generation: the actions of docs/semantics.md (transitions with
// binding enumeration and refraction, Deliver, Crash, Byzantine publish,
// lock-step round steps) and the initial states.
//
// Binding enumeration: parameters range over their type domains, then the
// trigger patterns are bound one after the other to the statements (or, for
// a quorum pattern, the distinct records) the principal knows, following
// the transition's match plan (ir/MatchPlan.h, which the C++ backend's
// matchers follow too): each check (issuer, verifier, auditor, field
// constraint, quorum count, and each guard conjunct that cannot fail and
// follows none that can) runs at the first pattern level where every slot
// it reads is bound, so joins prune early and pattern order does not
// matter.
#pragma once

#include "checker/Eval.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace mommie::checker {

// What happened in one step, for traces.
struct Action {
  enum class Kind {
    Init,
    Transition,
    Deliver,
    Crash,
    Recover,
    ByzPublish,
    RoundStep
  };
  Kind kind = Kind::Init;
  int principal =
      -1; // actor (transition, crash, recover, Byzantine), receiver (deliver)
  int role = -1, transition = -1, round = -1;
  std::vector<std::pair<std::string, Value>> bindings;
  std::vector<Published> published; // transition publishes, Byzantine publish
  int record = -1;                  // deliver
  Value statement;                  // deliver
  std::vector<std::pair<int, Value>> mailboxes; // round step: receiver, mbox
  std::vector<int> crashing; // round step: the processes that crash during it

  std::string describe(const Layout &layout) const;
};

// `[iss, ver, aud] Record{...}` with NOONE / ANY for empty / full sets.
std::string statementText(const Layout &layout, const Value &statement);

using Emit = std::function<void(State &&next, const Action *action)>;
// A Deliver step reported by position instead of a built state: statement
// `index` of the sorted pool of `record` becomes known to `receiver`.
using DeliverEmit = std::function<void(int record, int receiver, size_t index)>;

// What a transition did to the parent it ran on in place (explorer fast
// path): its variable and timer updates are applied to the state passed
// along; refraction and publishes are not.
struct FireEffect {
  int role = -1, principal = -1;
  int firedIndex = -1;                              // -1: not refracted
  const Value *binding = nullptr;                   // refraction tuple
  const std::vector<size_t> *changedVars = nullptr; // var indices that changed
  const std::vector<Published> *published = nullptr;
};
// `s` holds the updates until the callback returns; they are undone then.
using FireEmit = std::function<void(State &s, const FireEffect &effect)>;

class Generator {
public:
  // Throws EvalError when the program cannot be explored (unbounded domain).
  explicit Generator(const Layout &layout);
  ~Generator();

  const Layout &layout() const { return layout_; }
  void initialStates(const Emit &emit) const;
  // Every successor of `s` (labels only when `labels`). Throws EvalError.
  void successors(const State &s, bool labels, const Emit &emit) const {
    successors(s, labels, emit, nullptr);
  }
  // Same, but Deliver steps go to `deliver` (when not null and not
  // `labels`) without copying the state; the explorer flips one bit of the
  // parent's encoding instead.
  void successors(const State &s, bool labels, const Emit &emit,
                  const DeliverEmit *deliver) const;
  // Explorer fast path (event-driven programs, no labels): plan `ti` of
  // `role` at live principal `p` runs on `s` itself and reports each
  // successor's effect to `fire` (its updates are undone afterwards); and
  // the Crash / Byzantine steps, which come after the Deliver steps.
  void transitionInPlace(State &s, int role, int p, int ti,
                         const FireEmit &fire) const {
    transitionSuccessors(s, role, p, *plans_[size_t(role)][size_t(ti)], false,
                         nullEmit_, &s, &fire);
  }
  void faultSuccessors(const State &s, const Emit &emit) const {
    if (layout_.hasCrash())
      crashSuccessors(s, false, emit);
    recoveries(s, emit);
    byzantineSuccessors(s, emit);
  }
  void recoveries(const State &s, const Emit &emit) const {
    if (layout_.hasRecover())
      recoverSuccessors(s, false, emit);
  }
  void byzantineSuccessors(const State &s, const Emit &emit) const {
    if (layout_.hasByz())
      byzSuccessors(s, false, emit);
  }
  bool terminated(const State &s) const;
  // Name of the first violated invariant, or empty. Throws EvalError.
  std::string violatedInvariant(const State &s) const;
  // Whether `s` satisfies every `constraint` (TLC's CONSTRAINT) and keeps
  // its `int model` values in range: a state that does not is checked
  // against the invariants but neither counted nor expanded. Throws
  // EvalError.
  bool withinConstraints(const State &s) const {
    return withinModelRanges(layout_, s) &&
           firstFalse(layout_.program().constraints, s).empty();
  }
  bool hasConstraints() const {
    return !layout_.program().constraints.empty() || layout_.hasModelRanges();
  }

private:
  // Name of the first predicate of `preds` that is false in `s`, or empty.
  std::string firstFalse(const std::vector<ir::Predicate> &preds,
                         const State &s) const;
  struct TransPlan;
  void transitionSuccessors(const State &s, int role, int p,
                            const TransPlan &plan, bool labels,
                            const Emit &emit, State *inPlace = nullptr,
                            const FireEmit *fire = nullptr) const;
  void deliverSuccessors(const State &s, bool labels, const Emit &emit,
                         const DeliverEmit *deliver) const;
  void byzSuccessors(const State &s, bool labels, const Emit &emit) const;
  void roundSuccessors(const State &s, bool labels, const Emit &emit) const;
  void crashSuccessors(const State &s, bool labels, const Emit &emit) const;
  void recoverSuccessors(const State &s, bool labels, const Emit &emit) const;
  // The initial values of var `var` of `role` at `p` (evaluated on `s`).
  std::vector<Value> initialValues(const State &s, int role, int p,
                                   int var) const;

  const Layout &layout_;
  std::vector<std::vector<std::unique_ptr<TransPlan>>>
      plans_; // [role][transition]
  std::vector<std::vector<Value>>
      byzDomains_; // per record; empty: not publishable
  std::vector<bool> byzPublishable_;
  Emit nullEmit_ = [](State &&, const Action *) {};
};

} // namespace mommie::checker
