// Small helpers to build IR by hand in the proofs tests (independent of the
// front end).
#pragma once

#include "ir/IR.h"

#include <memory>

namespace mommie::proofs::test {

using namespace mommie::ir;

inline TypeRef ty(TypeKind k) {
  auto t = std::make_shared<Type>();
  t->kind = k;
  return t;
}
inline TypeRef tRange(int64_t lo, int64_t hi) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Range;
  t->lo = lo;
  t->hi = hi;
  return t;
}
inline TypeRef tPrincipal(int set) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Principal;
  t->principalSet = set;
  return t;
}
inline TypeRef tOf(TypeKind k, std::vector<TypeRef> args) {
  auto t = std::make_shared<Type>();
  t->kind = k;
  t->args = std::move(args);
  return t;
}

inline ExprPtr mk(ExprKind k, TypeRef type, std::vector<ExprPtr> args = {}) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  e->type = std::move(type);
  e->args = std::move(args);
  return e;
}
inline ExprPtr intLit(int64_t v) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::IntLit;
  e->type = ty(TypeKind::Int);
  e->intVal = v;
  return e;
}
inline ExprPtr boolLit(bool b) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::BoolLit;
  e->type = ty(TypeKind::Bool);
  e->intVal = b;
  return e;
}
inline ExprPtr slotRef(int slot, TypeRef type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Slot;
  e->type = std::move(type);
  e->slot = slot;
  return e;
}
inline ExprPtr varOf(int var, ExprPtr who, TypeRef type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::StateVarOf;
  e->type = std::move(type);
  e->role = 0;
  e->var = var;
  e->args = {std::move(who)};
  return e;
}
inline ExprPtr myVar(int var, TypeRef type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::StateVar;
  e->type = std::move(type);
  e->role = 0;
  e->var = var;
  return e;
}
inline ExprPtr bin(Op op, ExprPtr a, ExprPtr b,
                   TypeRef type = ty(TypeKind::Bool)) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Binary;
  e->type = std::move(type);
  e->op = op;
  e->args = {std::move(a), std::move(b)};
  return e;
}
inline ExprPtr allOf(int set) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::PrincipalSet;
  e->type = tOf(TypeKind::Set, {tPrincipal(set)});
  e->index = set;
  return e;
}
inline ExprPtr binder(ExprKind k, int slot, ExprPtr set, ExprPtr body,
                      TypeRef type = ty(TypeKind::Bool)) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  e->type = std::move(type);
  e->slot = slot;
  e->args = {std::move(set), std::move(body)};
  return e;
}
inline ExprPtr builtin(Builtin b, std::vector<ExprPtr> args, TypeRef type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Builtin;
  e->type = std::move(type);
  e->builtin = b;
  e->args = std::move(args);
  return e;
}

inline StmtPtr assign(int var, ExprPtr value) {
  auto s = std::make_shared<Stmt>();
  s->kind = StmtKind::Assign;
  s->var = var;
  s->value = std::move(value);
  return s;
}
inline StmtPtr ifStmt(ExprPtr cond, Block then, Block els = {}) {
  auto s = std::make_shared<Stmt>();
  s->kind = StmtKind::If;
  s->cond = std::move(cond);
  s->thenBody = std::move(then);
  s->elseBody = std::move(els);
  return s;
}

inline Predicate pred(std::string name, ExprPtr e, int slots,
                      bool lemma = false) {
  Predicate p;
  p.name = std::move(name);
  p.expr = std::move(e);
  p.lemma = lemma;
  for (int i = 0; i < slots; ++i)
    p.slots.push_back({"s" + std::to_string(i), tPrincipal(0), {}});
  p.loc = {"hand.mom", 1, 1};
  return p;
}

} // namespace mommie::proofs::test
