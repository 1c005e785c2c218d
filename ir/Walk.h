// The one generic walker over the IR's expressions and statements. An
// analysis that looks at subexpressions uses these instead of recursing over
// Expr::args by hand, so that no analysis forgets a pattern's parts:
//
//   forEachChild(e, fn)       the direct children of `e`: its operands, then
//                             the expressions of its pattern (KNOWN)
//   walkExpr(e, fn)           `e` and every descendant, parents first; fn may
//                             return false to skip a node's children
//   anyExpr(e, pred)          whether some node of `e` satisfies pred
//   forEachPatternExpr(p, fn) a pattern's expressions
//   slotReadInPatterns(ps, s) the first read of slot s in patterns ps
//   forEachStmt(b, fn)        a block's statements, nested bodies included
//   forEachStmtExpr(s, fn)    a statement's own expressions
//
// Children are what ExprKinds.def calls operands: Expr::args (null ones, such
// as SetMap's absent filter, skipped) and a Known node's pattern. Expr::sym
// and a type's symbolic bounds are annotations over parameters, not
// children; walk them explicitly where they matter. The program-wide walks
// are ir::forEachExpr and ir::Rewriter (ir/Rewrite.h).
#pragma once

#include "ir/IR.h"

#include <type_traits>

namespace mommie::ir {

// The expressions of a pattern, in order: the issuer's expression and
// quorum threshold, the verifier's and auditor's expressions, then each
// field constraint's.
template <class F> void forEachPatternExpr(const Pattern &p, F &&fn) {
  for (const ExprPtr *x :
       {&p.issuer.expr, &p.issuer.threshold, &p.verifier.expr, &p.auditor.expr})
    if (*x)
      fn(static_cast<const Expr &>(**x));
  for (const auto &c : p.constraints)
    if (c.expr)
      fn(static_cast<const Expr &>(*c.expr));
}

// The direct children of `e`, in order: its operands, then its pattern's
// expressions.
template <class F> void forEachChild(const Expr &e, F &&fn) {
  for (const auto &a : e.args)
    if (a)
      fn(static_cast<const Expr &>(*a));
  if (e.pattern)
    forEachPatternExpr(*e.pattern, fn);
}

// `e` and all its descendants, each node before its children. When `fn`
// returns bool, false skips the node's children.
template <class F> void walkExpr(const Expr &e, F &&fn) {
  if constexpr (std::is_same_v<std::invoke_result_t<F &, const Expr &>, bool>) {
    if (!fn(e))
      return;
  } else {
    fn(e);
  }
  forEachChild(e, [&](const Expr &c) { walkExpr(c, fn); });
}

// Whether `e` or one of its descendants satisfies `pred` (stops at the first).
template <class P> bool anyExpr(const Expr &e, P &&pred) {
  bool found = false;
  walkExpr(e, [&](const Expr &x) {
    found = found || pred(x);
    return !found;
  });
  return found;
}

// The first Slot node reading `slot` among the expressions of `pats`
// (parts and field constraints), or null: whether a pattern reads a
// statement set (Pattern::statementSet), which only the guard and the body
// may.
inline const Expr *slotReadInPatterns(const std::vector<Pattern> &pats,
                                      int slot) {
  const Expr *found = nullptr;
  for (const auto &p : pats)
    forEachPatternExpr(p, [&](const Expr &e) {
      walkExpr(e, [&](const Expr &x) {
        if (!found && x.kind == ExprKind::Slot && x.slot == slot)
          found = &x;
        return !found;
      });
    });
  return found;
}

// The statements of `b` and of the bodies nested in them, each statement
// before its bodies (then before else).
template <class F> void forEachStmt(const Block &b, F &&fn) {
  for (const auto &s : b) {
    if (!s)
      continue;
    fn(static_cast<const Stmt &>(*s));
    forEachStmt(s->thenBody, fn);
    forEachStmt(s->elseBody, fn);
  }
}

// Which expressions of a statement forEachStmtExpr reports.
enum class StmtExprs {
  All,       // every one, the PUBLISH's PROGRESS pattern included
  Evaluated, // those the checker evaluates: not the PROGRESS pattern (only the
             // runtime's dissemination layer tests it, docs/semantics.md)
};

// The expressions of one statement (not of its nested bodies), in order:
// value, condition, verifier, auditor, the lvalue's keys, then the PROGRESS
// pattern's expressions.
template <class F>
void forEachStmtExpr(const Stmt &s, F &&fn, StmtExprs which = StmtExprs::All) {
  for (const ExprPtr *x : {&s.value, &s.cond, &s.verifier, &s.auditor})
    if (*x)
      fn(static_cast<const Expr &>(**x));
  for (const auto &step : s.path)
    if (step.key)
      fn(static_cast<const Expr &>(*step.key));
  if (s.progress && which == StmtExprs::All)
    forEachPatternExpr(*s.progress, fn);
}

} // namespace mommie::ir
