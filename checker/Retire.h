// Retire clauses in the checker: which known statements a state retires,
// and the check that collecting them never changes behaviour.
//
// A statement x known to principal p is retired in state s when a retire
// clause of p's role matches x with ME = p and its condition holds in s.
// hide(s) is s with every retired statement removed from the knowledge of
// the principal that retires it (the pool, what was published, is kept).
// A node that collects runs on hide-images: after every step it drops what
// is retired, and it refuses a retired statement delivered again (a
// stutter). The check, at a state s that retires something:
//
//   { hide(s') : s -> s' } \ {hide(s)}  ==  { hide(t') : hide(s) -> t' }
//   \ {hide(s)}
//
// Holding at every reachable state, it makes the collected system's
// behaviours exactly the hide-images of the model's (a stuttering
// bisimulation): no transition ever needed a collected statement (a trigger,
// or a `!KNOWN` guard, reads only what is not retired) and no statement,
// once retired, stops being retired (a retire condition is monotone).
#pragma once

#include "checker/Successors.h"

#include <optional>
#include <string>
#include <vector>

namespace mommie::checker {

// "Retire(Replica:14)": a retire clause of `role`, as a verdict name.
std::string retireClauseName(const ir::Role &role, const ir::Retire &clause);

// One retired statement: known to `principal`, retired by clause `clause`
// of role `role`.
struct RetiredStatement {
  int principal = -1, record = -1, role = -1, clause = -1;
  Value statement;
};

// Why collecting changes behaviour at a state.
struct RetireFailure {
  std::string name;    // "Retire(Replica:14)": the clause, as a verdict name
  std::string message; // which statement at which principal, which successor
  ir::SourceLoc loc;   // the clause
};

class RetireCheck {
public:
  explicit RetireCheck(const Generator &gen);

  // Whether the program has retire clauses.
  bool active() const { return active_; }
  // The record types some retire clause matches (by role), for a cheap
  // pre-filter: a state whose principals know none of them retires nothing.
  bool retires(int role, int record) const {
    return retiredRecords_[size_t(role)][size_t(record)];
  }
  // The statements `s` retires. Throws EvalError.
  std::vector<RetiredStatement> retired(const State &s) const;
  // `s` without the statements it retires. Throws EvalError.
  State hide(const State &s) const;
  // The commutation check at `s`; nullopt when it holds (or nothing is
  // retired). Throws EvalError when evaluating `s` fails; an evaluation
  // error only after collecting is reported as a failure.
  std::optional<RetireFailure> check(const State &s) const;

  // The verdict name of clause `clause` of role `role`.
  std::string clauseName(int role, int clause) const;

private:
  bool retiredBy(const ir::Retire &rt, int p, const Value &statement,
                 const State &s) const;
  // Removes from `s` the statements it retires (only `only`, if not null).
  void hideIn(State &s, const RetiredStatement *only) const;
  // The hide-images of the successors of `s`, except `self`, by encoding.
  std::vector<std::string> images(const State &s, const RetiredStatement *only,
                                  const std::string &self) const;
  // The commutation at `s` with only `only` (all when null) collected:
  // empty when it holds, else the difference explained.
  std::string differs(const State &s, const RetiredStatement *only) const;
  // Why the images `model` (of `s`) and `collected` (of `h`, s hidden)
  // differ: a step only one side takes, or one step with different results.
  std::string explain(const State &s, const State &h,
                      const RetiredStatement *only,
                      const std::vector<std::string> &model,
                      const std::vector<std::string> &collected) const;

  const Generator &gen_;
  const Layout &layout_;
  bool active_ = false;
  std::vector<std::vector<bool>> retiredRecords_; // [role][record]
};

} // namespace mommie::checker
