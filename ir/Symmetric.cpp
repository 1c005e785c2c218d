// The symmetric-set analysis (see Symmetric.h).
#include "ir/Symmetric.h"

#include "ir/Walk.h"

#include <fmt/format.h>

namespace mommie::ir {

namespace {

// Marks sets that an expression can distinguish members of.
struct Analyzer {
  const Program &prog;
  std::vector<bool> &sym;
  std::vector<std::string> *reasons;

  void breakSet(int set, const SourceLoc &loc, const std::string &why) {
    auto mark = [&](int s) {
      if (s < 0 || size_t(s) >= sym.size() || !sym[size_t(s)])
        return;
      sym[size_t(s)] = false;
      if (reasons)
        reasons->push_back(fmt::format(
            "{}: {} at line {}", prog.principalSets[s].name, why, loc.line));
    };
    if (set >= 0) {
      mark(set);
    } else {
      for (size_t s = 0; s < sym.size(); ++s)
        mark(int(s));
    }
  }

  int setOfPrincipal(int64_t p) {
    for (size_t s = 0; s < prog.principalSets.size(); ++s) {
      const auto &ps = prog.principalSets[s];
      if (p >= ps.first && p < ps.first + ps.size)
        return int(s);
    }
    return -1;
  }

  // The principal set a type's principals come from (-1: any, -2: none).
  int principalSetIn(const Type *t) {
    if (!t)
      return -2;
    if (t->kind == TypeKind::Principal)
      return t->principalSet;
    for (const auto &a : t->args) {
      int s = principalSetIn(a.get());
      if (s != -2)
        return s;
    }
    return -2;
  }

  // The rules for one node (its children are walked by expr()).
  void node(const Expr &e) {
    switch (e.kind) {
    case ExprKind::PrincipalLit:
      breakSet(setOfPrincipal(e.intVal), e.loc, "a member is named");
      break;
    case ExprKind::Index:
      if (!e.args.empty() && e.args[0]->kind == ExprKind::PrincipalSet)
        breakSet(e.args[0]->index, e.loc, "a member is selected by index");
      break;
    case ExprKind::Binary:
      if (e.op == Op::Lt || e.op == Op::Le || e.op == Op::Gt || e.op == Op::Ge)
        ordered(e.args[0]->type.get(), e.loc);
      break;
    case ExprKind::Builtin:
      if (e.builtin == Builtin::Max || e.builtin == Builtin::Min)
        ordered(e.args[0]->type.get(), e.loc);
      break;
    case ExprKind::Known:
      if (e.pattern)
        patternRules(*e.pattern);
      break;
    default:
      break;
    }
  }

  void ordered(const Type *t, const SourceLoc &loc) {
    int s = principalSetIn(t);
    if (s != -2)
      breakSet(s, loc, "principals are ordered");
  }

  // A field constraint other than == / != orders its field's values.
  void patternRules(const Pattern &p) {
    for (const auto &c : p.constraints)
      if (c.op != Op::Eq && c.op != Op::Ne)
        ordered(c.expr ? c.expr->type.get() : nullptr, c.loc);
  }

  void expr(const Expr *e) {
    if (e)
      walkExpr(*e, [&](const Expr &x) { node(x); });
  }

  void pattern(const Pattern &p) {
    patternRules(p);
    forEachPatternExpr(p, [&](const Expr &x) { expr(&x); });
  }

  void block(const Block &b) {
    forEachStmt(b, [&](const Stmt &s) {
      forEachStmtExpr(
          s, [&](const Expr &x) { expr(&x); }, StmtExprs::Evaluated);
      if (s.progress)
        pattern(*s.progress);
    });
  }

  void temporal(const Temporal *t) {
    if (!t)
      return;
    expr(t->state.get());
    for (const auto &a : t->args)
      temporal(a.get());
  }

  // Every evaluated expression and pattern except the assumptions (over
  // parameters only, they say nothing about states).
  void program() {
    for (const auto &f : prog.funs)
      expr(f.body.get());
    for (const auto &r : prog.roles) {
      for (const auto &v : r.vars) {
        expr(v.init.get());
        expr(v.initSet.get());
      }
      for (const auto &t : r.transitions) {
        for (const auto &p : t.triggers)
          pattern(p);
        expr(t.guard.get());
        block(t.body);
      }
      // The checker tests retire clauses on the representatives of states.
      for (const auto &rt : r.retires) {
        pattern(rt.pattern);
        expr(rt.cond.get());
      }
      if (r.phase)
        for (const auto &rd : r.phase->rounds) {
          for (const auto &pc : rd.progress)
            expr(pc.expr.get());
          for (const auto &s : rd.sends) {
            expr(s.payload.get());
            expr(s.dest.get());
            expr(s.cond.get());
          }
          block(rd.update);
        }
    }
    for (const auto &i : prog.invariants)
      expr(i.expr.get());
    for (const auto &c : prog.constraints)
      expr(c.expr.get());
    for (const auto &p : prog.properties)
      temporal(p.formula.get());
    for (const auto &c : prog.commPredicates)
      expr(c.expr.get());
    expr(prog.termination.expr.get());
  }
};

} // namespace

SymmetricSets symmetricSets(const Program &program, size_t maxGroupOrder) {
  SymmetricSets out;
  std::vector<bool> sym(program.principalSets.size(), true);
  for (size_t s = 0; s < sym.size(); ++s)
    if (program.principalSets[s].size < 2)
      sym[s] = false;
  Analyzer a{program, sym, &out.reasons};
  a.program();
  out.reduced.assign(sym.size(), false);
  size_t order = 1;
  for (size_t s = 0; s < sym.size(); ++s) {
    if (!sym[s])
      continue;
    const auto &ps = program.principalSets[s];
    // |S|!, saturated past maxGroupOrder (100000! wrapped around to 0 and
    // let a 100,000-member set be reduced, whose canonical form enumerated
    // its orderings for ever).
    size_t fact = 1;
    for (int i = 2; i <= ps.size && fact <= maxGroupOrder; ++i)
      fact *= size_t(i);
    if (fact > maxGroupOrder || order * fact > maxGroupOrder) {
      out.reasons.push_back(fmt::format("{}: group too large", ps.name));
      continue;
    }
    order *= fact;
    out.reduced[s] = true;
  }
  return out;
}

} // namespace mommie::ir
