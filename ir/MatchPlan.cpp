// Trigger-pattern match planning (the algorithm is described in MatchPlan.h).
#include "ir/MatchPlan.h"

#include "ir/Walk.h"

#include <algorithm>

namespace mommie::ir {

bool cannotFail(const Expr &e) {
  using K = ExprKind;
  switch (e.kind) {
  case K::IntLit:
  case K::BoolLit:
  case K::PrincipalLit:
  case K::Me:
  case K::NoneLit:
  case K::Slot:
  case K::StateVar:
  case K::PrincipalSet:
  case K::Field:
  case K::TupleGet:
  case K::Ite:
  case K::SetLit:
  case K::TupleCons:
  case K::SomeCons:
    break;
  case K::Unary:
    if (e.op != Op::Not)
      return false;
    break;
  case K::Binary:
    switch (e.op) {
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::And:
    case Op::Or:
    case Op::Implies:
    case Op::In:
    case Op::NotIn:
    case Op::SubsetEq:
      break;
    default:
      return false;
    }
    break;
  case K::Builtin:
    if (e.builtin != Builtin::Card && e.builtin != Builtin::Dom &&
        e.builtin != Builtin::Len && e.builtin != Builtin::IsSome)
      return false;
    break;
  default:
    return false;
  }
  for (const auto &a : e.args)
    if (!a || !cannotFail(*a))
      return false;
  return true;
}

static void addConjuncts(const Expr &e, std::vector<const Expr *> &out) {
  if (e.kind == ExprKind::Binary && e.op == Op::And && e.args.size() == 2 &&
      e.args[0] && e.args[1]) {
    addConjuncts(*e.args[0], out);
    addConjuncts(*e.args[1], out);
  } else {
    out.push_back(&e);
  }
}

std::vector<const Expr *> conjuncts(const Expr &e) {
  std::vector<const Expr *> out;
  addConjuncts(e, out);
  return out;
}

int MatchPlan::levelOf(const Expr *e) const {
  int l = 0;
  if (!e)
    return l;
  walkExpr(*e, [&](const Expr &x) {
    if (x.kind == ExprKind::Slot && x.slot >= 0 &&
        size_t(x.slot) < slotLevel.size())
      l = std::max(l, slotLevel[size_t(x.slot)]);
  });
  return l;
}

namespace {

using CK = MatchCheck::Kind;
using IK = IssuerPattern::Kind;
using PK = PartyPattern::Kind;

// Whether `e` reads a slot the match binds.
bool readsBound(const MatchPlan &plan, const Expr &e) {
  return anyExpr(e, [&](const Expr &x) {
    return x.kind == ExprKind::Slot && x.slot >= 0 &&
           size_t(x.slot) < plan.slotLevel.size() &&
           plan.slotLevel[size_t(x.slot)] >= 0;
  });
}

void bindSlot(MatchPlan &plan, int slot, int level) {
  if (slot < 0)
    return;
  if (size_t(slot) >= plan.slotLevel.size())
    plan.slotLevel.resize(size_t(slot) + 1, -1);
  plan.slotLevel[size_t(slot)] = level;
}

// Quorum counts and statement sets: where they run, and the slots they
// bind there. Returns the statement sets' (level, pattern).
std::vector<std::pair<int, int>>
placeQuorums(MatchPlan &plan, const std::vector<Pattern> &pats) {
  std::vector<std::pair<int, int>> sets;
  for (size_t i = 0; i < pats.size(); ++i) {
    const auto &p = pats[i];
    if (p.issuer.kind != IK::Quorum)
      continue;
    int l = std::max({int(i + 1), plan.levelOf(p.verifier.expr.get()),
                      plan.levelOf(p.auditor.expr.get()),
                      plan.levelOf(p.issuer.threshold.get())});
    if (p.statementSet) {
      for (const auto &c : p.constraints)
        l = std::max(l, plan.levelOf(c.expr.get()));
      sets.push_back({l, int(i)});
      bindSlot(plan, p.slot, l);
      continue;
    }
    plan.checks[size_t(l)].push_back({CK::Quorum, int(i)});
    bindSlot(plan, p.issuer.slot, l);
  }
  return sets;
}

// Issuer, verifier, auditor and field-constraint checks, and the index a
// plain pattern's loop may read.
void placePatternChecks(MatchPlan &plan, const std::vector<Pattern> &pats) {
  for (size_t i = 0; i < pats.size(); ++i) {
    const auto &p = pats[i];
    int l = int(i + 1);
    auto at = [&](const Expr *e) {
      return size_t(std::max(l, plan.levelOf(e)));
    };
    bool quorum = p.issuer.kind == IK::Quorum;
    if (!quorum) {
      if (p.issuer.kind != IK::Any)
        plan.checks[at(p.issuer.expr.get())].push_back({CK::Issuer, int(i)});
      if (p.verifier.kind != PK::Any)
        plan.checks[at(p.verifier.expr.get())].push_back(
            {CK::Verifier, int(i)});
      if (p.auditor.kind != PK::Any)
        plan.checks[at(p.auditor.expr.get())].push_back({CK::Auditor, int(i)});
    }
    if (p.statementSet)
      continue;
    auto &access = plan.access[i];
    for (size_t k = 0; k < p.constraints.size(); ++k) {
      const auto &c = p.constraints[k];
      plan.checks[at(c.expr.get())].push_back({CK::Constraint, int(i), int(k)});
      if (!quorum && access.joinPattern < 0 && access.index < 0 &&
          c.op == Op::Eq && plan.levelOf(c.expr.get()) <= int(i))
        access.index = int(k);
    }
  }
}

// A plain pattern whose record variable an earlier pattern's `field == x`
// names is looked up by that field's value.
void findJoins(MatchPlan &plan, const std::vector<Pattern> &pats) {
  for (size_t i = 0; i < pats.size(); ++i) {
    const auto &p = pats[i];
    if (p.issuer.kind == IK::Quorum || p.statementSet || p.slot < 0)
      continue;
    for (size_t e = 0; e < i && plan.access[i].joinPattern < 0; ++e) {
      if (pats[e].statementSet) // its constraints filter its statements
        continue;
      const auto &cs = pats[e].constraints;
      for (size_t k = 0; k < cs.size(); ++k)
        if (cs[k].op == Op::Eq && cs[k].expr &&
            cs[k].expr->kind == ExprKind::Slot && cs[k].expr->slot == p.slot) {
          plan.access[i].joinPattern = int(e);
          plan.access[i].joinConstraint = int(k);
          break;
        }
    }
  }
}

void placeGuard(MatchPlan &plan, const Expr *guard, bool loops,
                const MatchPlanOptions &options) {
  if (!guard)
    return;
  plan.guard = conjuncts(*guard);
  int innermost = int(plan.patterns);
  plan.guardLevel.assign(plan.guard.size(), innermost);
  bool earlierMayFail = false;
  for (size_t k = 0; k < plan.guard.size() && loops; ++k) {
    const Expr &e = *plan.guard[k];
    if (!cannotFail(e)) {
      earlierMayFail = true;
      continue;
    }
    if (earlierMayFail && options.keepGuardErrors)
      break;
    int l = readsBound(plan, e) ? plan.levelOf(&e) : MatchPlan::kBeforeLoops;
    if (l >= innermost)
      continue;
    plan.guardLevel[k] = l;
    if (l >= 0)
      plan.checks[size_t(l)].push_back({CK::Guard, -1, int(k)});
  }
  plan.guardEarly = plan.patterns > 0 && plan.levelOf(guard) == 0;
}

} // namespace

MatchPlan planMatch(const std::vector<Pattern> &pats,
                    const std::vector<int> &params, const Expr *guard,
                    const MatchPlanOptions &options) {
  MatchPlan plan;
  size_t n = pats.size();
  plan.patterns = n;
  plan.checks.resize(n + 1);
  plan.access.resize(n);
  for (int s : params)
    bindSlot(plan, s, 0);
  for (size_t i = 0; i < n; ++i) {
    bindSlot(plan, pats[i].slot, int(i + 1));
    if (pats[i].issuer.kind == IK::Bind)
      bindSlot(plan, pats[i].issuer.slot, int(i + 1));
  }
  auto sets = placeQuorums(plan, pats);
  findJoins(plan, pats);
  placePatternChecks(plan, pats);
  for (auto [l, i] : sets)
    plan.checks[size_t(l)].push_back({CK::Quorum, i});
  placeGuard(plan, guard, n > 0 || !params.empty(), options);
  return plan;
}

MatchPlan planMatch(const Transition &t, const MatchPlanOptions &options) {
  return planMatch(t.triggers, t.params, t.guard.get(), options);
}

} // namespace mommie::ir
