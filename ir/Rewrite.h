// A generic rewriter over every expression and type of a program: the one
// place that knows where a Program keeps its ExprPtrs and TypeRefs
// (records, functions, role variables, triggers, guards, bodies, rounds,
// predicates, properties, communication predicates, termination). Nodes are
// immutable and shared, so rewriting rebuilds bottom-up and copies a node
// only when one of its children changed; a node reached twice is rewritten
// once. Symbolic forms (Expr::sym, Type::symLo/symHi and the Program's
// symbolic fields) are carried over unchanged.
#pragma once

#include "ir/IR.h"

#include <functional>
#include <unordered_map>

namespace mommie::ir {

class Rewriter {
public:
  virtual ~Rewriter() = default;

  // Called on a node after its children (and type) were rewritten: returns
  // it or its replacement.
  virtual ExprPtr leave(ExprPtr e) { return e; }
  virtual TypeRef leaveType(TypeRef t) { return t; }

  ExprPtr expr(const ExprPtr &e);
  TypeRef type(const TypeRef &t);
  std::shared_ptr<const Pattern>
  pattern(const std::shared_ptr<const Pattern> &p);
  Pattern pattern(const Pattern &p);
  Block block(const Block &b);
  // Rewrites every expression and type of `p` in place.
  void program(Program &p);

private:
  void slots(std::vector<SlotInfo> &s);
  void predicate(Predicate &p);
  TemporalPtr temporal(const TemporalPtr &t);
  std::unordered_map<const Expr *, ExprPtr> exprs_;
  std::unordered_map<const Type *, TypeRef> types_;
};

// Calls `fn` on every expression node of `p` reachable from its evaluated
// positions (not the symbolic forms), children before parents.
void forEachExpr(const Program &p, const std::function<void(const Expr &)> &fn);

} // namespace mommie::ir
