// IR node construction helpers (see Lower.h).
#include "frontend/Lower.h"

#include "frontend/Ast.h"
#include "frontend/Types.h"

namespace mommie::frontend::lower {

using ir::Expr;
using ir::ExprKind;
using ir::ExprPtr;

static std::shared_ptr<Expr> make(ExprKind k, ir::TypeRef type,
                                  const ir::SourceLoc &loc) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  e->type = std::move(type);
  e->loc = loc;
  return e;
}

ExprPtr intLit(int64_t v, const ir::SourceLoc &loc, ir::TypeRef type) {
  auto e = make(ExprKind::IntLit, type ? type : intType(), loc);
  e->intVal = v;
  return e;
}
ExprPtr boolLit(bool v, const ir::SourceLoc &loc) {
  auto e = make(ExprKind::BoolLit, boolType(), loc);
  e->intVal = v ? 1 : 0;
  return e;
}
ExprPtr principalLit(int id, int set, const ir::SourceLoc &loc) {
  auto e = make(ExprKind::PrincipalLit, principalType(set), loc);
  e->intVal = id;
  return e;
}
ExprPtr me(int set, const ir::SourceLoc &loc) {
  return make(ExprKind::Me, principalType(set), loc);
}
ExprPtr slot(int s, ir::TypeRef type, const ir::SourceLoc &loc) {
  auto e = make(ExprKind::Slot, std::move(type), loc);
  e->slot = s;
  return e;
}
ExprPtr stateVar(int role, int var, ir::TypeRef type,
                 const ir::SourceLoc &loc) {
  auto e = make(ExprKind::StateVar, std::move(type), loc);
  e->role = role;
  e->var = var;
  return e;
}
ExprPtr stateVarOf(int role, int var, ExprPtr who, ir::TypeRef type,
                   const ir::SourceLoc &loc) {
  auto e = make(ExprKind::StateVarOf, std::move(type), loc);
  e->role = role;
  e->var = var;
  e->args.push_back(std::move(who));
  return e;
}
ExprPtr principalSet(int set, const ir::SourceLoc &loc) {
  auto e = make(ExprKind::PrincipalSet, setType(principalType(set)), loc);
  e->index = set;
  return e;
}
ExprPtr unary(ir::Op op, ExprPtr a, ir::TypeRef type,
              const ir::SourceLoc &loc) {
  auto e = make(ExprKind::Unary, std::move(type), loc);
  e->op = op;
  e->args.push_back(std::move(a));
  return e;
}
ExprPtr binary(ir::Op op, ExprPtr a, ExprPtr b, ir::TypeRef type,
               const ir::SourceLoc &loc) {
  auto e = make(ExprKind::Binary, std::move(type), loc);
  e->op = op;
  e->args = {std::move(a), std::move(b)};
  return e;
}
ExprPtr builtin(ir::Builtin b, std::vector<ExprPtr> args, ir::TypeRef type,
                const ir::SourceLoc &loc) {
  auto e = make(ExprKind::Builtin, std::move(type), loc);
  e->builtin = b;
  e->args = std::move(args);
  return e;
}
ExprPtr node(ExprKind kind, ir::TypeRef type, std::vector<ExprPtr> args,
             const ir::SourceLoc &loc, int s, int index) {
  auto e = make(kind, std::move(type), loc);
  e->args = std::move(args);
  e->slot = s;
  e->index = index;
  return e;
}

ir::Op binOp(int op) {
  using B = ast::BinOp;
  switch (static_cast<B>(op)) {
  case B::Implies:
    return ir::Op::Implies;
  case B::Or:
    return ir::Op::Or;
  case B::And:
    return ir::Op::And;
  case B::Eq:
    return ir::Op::Eq;
  case B::Ne:
    return ir::Op::Ne;
  case B::Lt:
    return ir::Op::Lt;
  case B::Le:
    return ir::Op::Le;
  case B::Gt:
    return ir::Op::Gt;
  case B::Ge:
    return ir::Op::Ge;
  case B::In:
    return ir::Op::In;
  case B::NotIn:
    return ir::Op::NotIn;
  case B::SubsetEq:
    return ir::Op::SubsetEq;
  case B::Union:
    return ir::Op::Union;
  case B::Diff:
    return ir::Op::Diff;
  case B::Inter:
    return ir::Op::Inter;
  case B::Add:
    return ir::Op::Add;
  case B::Sub:
    return ir::Op::Sub;
  case B::Mul:
    return ir::Op::Mul;
  case B::Div:
    return ir::Op::Div;
  case B::Mod:
    return ir::Op::Mod;
  }
  return ir::Op::Add;
}

} // namespace mommie::frontend::lower
