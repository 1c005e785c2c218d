// Successor generation: the actions of docs/semantics.md (transitions with
// binding enumeration and refraction, Deliver, Crash, Byzantine publish,
// lock-step round steps) and the initial states.
//
// Binding enumeration: parameters range over their type domains, then the
// trigger patterns are bound one after the other to the statements (or, for
// a quorum pattern, the distinct records) the principal knows. Each check
// (issuer, verifier, auditor, field constraint, quorum count) runs at the
// first pattern level where every slot it reads is bound, so joins prune
// early and pattern order does not matter.
#pragma once

#include "checker/Eval.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace mommie::checker {

// What happened in one step, for traces.
struct Action {
  enum class Kind { Init, Transition, Deliver, Crash, ByzPublish, RoundStep };
  Kind kind = Kind::Init;
  int principal = -1; // actor (transition, crash, Byzantine), receiver (deliver)
  int role = -1, transition = -1, round = -1;
  std::vector<std::pair<std::string, Value>> bindings;
  std::vector<Published> published; // transition publishes, Byzantine publish
  int record = -1;                  // deliver
  Value statement;                  // deliver
  std::vector<std::pair<int, Value>> mailboxes; // round step: receiver, mbox

  std::string describe(const Layout &layout) const;
};

// `[iss, ver, aud] Record{...}` with NOONE / ANY for empty / full sets.
std::string statementText(const Layout &layout, const Value &statement);

using Emit = std::function<void(State &&next, const Action *action)>;
// A Deliver step reported by position instead of a built state: statement
// `index` of the sorted pool of `record` becomes known to `receiver`.
using DeliverEmit = std::function<void(int record, int receiver, size_t index)>;

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
  bool terminated(const State &s) const;
  // Name of the first violated invariant, or empty. Throws EvalError.
  std::string violatedInvariant(const State &s) const;

private:
  struct TransPlan;
  void transitionSuccessors(const State &s, int role, int p, const TransPlan &plan,
                            bool labels, const Emit &emit) const;
  void roundSuccessors(const State &s, bool labels, const Emit &emit) const;
  void crashSuccessors(const State &s, bool labels, const Emit &emit) const;

  const Layout &layout_;
  std::vector<std::vector<std::unique_ptr<TransPlan>>> plans_; // [role][transition]
  std::vector<std::vector<Value>> byzDomains_; // per record; empty: not publishable
  std::vector<bool> byzPublishable_;
};

} // namespace mommie::checker
