// Trigger-pattern match planning: the one plan the checker's successor
// generator (checker/Successors.cpp) and the C++ backend's matchers
// (backends/cpp/CppMatch.cpp) both follow.
//
// A match binds the parameters first (level 0), then the patterns one
// after the other: pattern i binds its record and issuer variables at level
// i + 1. Every check (issuer, verifier, auditor, field constraint, quorum
// count) runs at the shallowest level where each slot it reads is bound, so
// a mismatch prunes as early as possible and pattern order does not matter.
// A quorum check binds its issuer-set slot where it runs; a statement set
// binds its record slot where its quorum check runs, which is at the level
// where its threshold, parties and constraints can all be evaluated. Within
// a level the checks run in this order: quorum counts (pattern order), then
// per pattern its issuer, verifier, auditor and field constraints, then the
// statement sets (no other check of the level reads them), then the guard
// conjuncts placed there.
//
// A plain pattern's loop may read an index instead of every statement of
// its record type: a join (an earlier pattern's `field == x`, x this
// pattern's record variable, makes the record a direct lookup) or else the
// per-field equality index of its first `field == e` constraint whose e is
// bound before the loop. Only the C++ backend has such indexes; the plan
// still lists that constraint's check, which the index enforces.
//
// A conjunct of the transition's guard that cannot fail at evaluation
// (cannotFail) moves to the shallowest level where its slots are bound, or
// before every loop when it reads none of the match's slots; the others
// are tested when firing. The guard is pure, so only the evaluation order
// changes and the same bindings fire.
#pragma once

#include "ir/IR.h"

#include <cstddef>
#include <vector>

namespace mommie::ir {

// Whether evaluating `e` (well-typed) can never raise an evaluation error:
// no arithmetic, lookup, partial builtin, call or KNOWN.
bool cannotFail(const Expr &e);

// The conjuncts of `e`: its `&&` operands, left to right, flattened; `e`
// itself if it is no conjunction.
std::vector<const Expr *> conjuncts(const Expr &e);

struct MatchCheck {
  enum class Kind { Issuer, Verifier, Auditor, Constraint, Quorum, Guard };
  Kind kind = Kind::Issuer;
  int pattern = -1; // every kind but Guard
  int index = -1;   // Constraint: the field constraint; Guard: the conjunct
  bool operator==(const MatchCheck &o) const {
    return kind == o.kind && pattern == o.pattern && index == o.index;
  }
};

// How a plain pattern's loop finds its statements (C++ backend): every
// statement of its record type, the records an earlier pattern's field
// names (join), or the per-field index of constraint `index`.
struct PatternAccess {
  int joinPattern = -1, joinConstraint = -1; // pattern e < i, its constraint
  int index = -1;                            // when no join
};

struct MatchPlan {
  // Guard conjunct levels besides 0 .. patterns - 1: tested before every
  // loop (reads no slot of the match), or when firing.
  static constexpr int kBeforeLoops = -1;

  size_t patterns = 0;
  // Per slot (up to the highest slot the match binds): the level that binds
  // it; -1 for a slot the match does not bind.
  std::vector<int> slotLevel;
  // [level]: the checks that run once level is bound (0: the parameters,
  // i + 1: pattern i), in order.
  std::vector<std::vector<MatchCheck>> checks;
  // Per pattern; unused (all -1) for quorum patterns and statement sets.
  std::vector<PatternAccess> access;
  // The guard's conjuncts, and per conjunct its level: kBeforeLoops, a level
  // below `patterns` (then it is a Guard check there too) or `patterns`
  // (tested when firing, in conjunct order).
  std::vector<const Expr *> guard;
  std::vector<int> guardLevel;
  // The guard reads no pattern binding (and there is a pattern): it can be
  // tested once the parameters are bound.
  bool guardEarly = false;

  // The level where every slot `e` reads is bound (0 for none).
  int levelOf(const Expr *e) const;
  bool testedWhenFiring(size_t conjunct) const {
    return guardLevel[conjunct] == int(patterns);
  }
  bool constraintIsIndex(const MatchCheck &c) const {
    return c.kind == MatchCheck::Kind::Constraint &&
           access[size_t(c.pattern)].index == c.index;
  }
};

struct MatchPlanOptions {
  // Move a guard conjunct only when every conjunct before it cannot fail
  // either, so that a moved conjunct found false never hides the error an
  // earlier one would raise (the checker reports evaluation errors).
  bool keepGuardErrors = false;
};

// The plan for binding `params`, then `patterns`, then testing `guard`
// (may be null).
MatchPlan planMatch(const std::vector<Pattern> &patterns,
                    const std::vector<int> &params, const Expr *guard,
                    const MatchPlanOptions &options = {});
// A transition's trigger: its parameters, patterns and guard.
MatchPlan planMatch(const Transition &t, const MatchPlanOptions &options = {});

} // namespace mommie::ir
