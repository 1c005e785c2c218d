// Constant evaluation of AST expressions (see ConstEval.h).
#include "frontend/ConstEval.h"

#include "frontend/Lower.h"
#include "frontend/Types.h"
#include "ir/Arith.h"
#include "ir/Walk.h"

#include <fmt/format.h>

namespace mommie::frontend {

using ast::BinOp;
using ast::ExprKind;
using K = ConstValue::Kind;

static ConstValue mkInt(int64_t v) { return {K::Int, v, -1}; }
static ConstValue mkBool(bool v) { return {K::Bool, v ? 1 : 0, -1}; }

static const char *kindName(K k) {
  switch (k) {
  case K::Int:
    return "an integer";
  case K::Bool:
    return "a boolean";
  case K::Principal:
    return "a principal";
  }
  return "?";
}

std::optional<int64_t> ConstEval::evalInt(const ast::Expr &e,
                                          const std::string &what) {
  auto v = eval(e);
  if (!v)
    return std::nullopt;
  if (v->kind != K::Int) {
    error(e.loc, fmt::format("{} must be an integer, not {}", what,
                             kindName(v->kind)));
    return std::nullopt;
  }
  return v->value;
}

std::optional<ConstValue> ConstEval::eval(const ast::Expr &e) {
  if (depth_ > 200) {
    error(e.loc, "constant expression is nested too deeply");
    return std::nullopt;
  }
  struct Guard {
    int &d;
    Guard(int &d) : d(++d) {}
    ~Guard() { --d; }
  } guard(depth_);
  switch (e.kind) {
  case ExprKind::IntLit:
    return mkInt(e.intVal);
  case ExprKind::BoolLit:
    return mkBool(e.boolVal);
  case ExprKind::Name:
    return names_(e.name, e.loc);
  case ExprKind::Unary: {
    if (e.args.empty() || !e.args[0])
      return std::nullopt;
    auto v = eval(*e.args[0]);
    if (!v)
      return std::nullopt;
    if (e.unOp == ast::UnOp::Not) {
      if (v->kind != K::Bool) {
        error(e.loc, "operand of '!' must be a boolean");
        return std::nullopt;
      }
      return mkBool(!v->value);
    }
    if (v->kind != K::Int) {
      error(e.loc, "operand of unary '-' must be an integer");
      return std::nullopt;
    }
    int64_t r = 0;
    if (const char *msg = ir::arithError(ir::Op::Neg, v->value, 0, r)) {
      error(e.loc, fmt::format("{} in constant expression", msg));
      return std::nullopt;
    }
    return mkInt(r);
  }
  case ExprKind::Binary:
    return binary(e);
  case ExprKind::Ite: {
    if (e.args.size() != 3)
      return std::nullopt;
    auto c = eval(*e.args[0]);
    if (!c)
      return std::nullopt;
    if (c->kind != K::Bool) {
      error(e.args[0]->loc, "condition must be a boolean");
      return std::nullopt;
    }
    return eval(*e.args[c->value ? 1 : 2]);
  }
  case ExprKind::Index: {
    if (e.args.size() != 2 || e.args[0]->kind != ExprKind::Name) {
      error(e.loc, "expression is not a constant");
      return std::nullopt;
    }
    auto i = evalInt(*e.args[1], "principal index");
    if (!i)
      return std::nullopt;
    return members_(e.args[0]->name, *i, e.loc);
  }
  default:
    error(e.loc, "expression is not a constant");
    return std::nullopt;
  }
}

std::optional<ConstValue> ConstEval::binary(const ast::Expr &e) {
  if (e.args.size() != 2 || !e.args[0] || !e.args[1])
    return std::nullopt;
  // Short-circuit operators first.
  if (e.binOp == BinOp::And || e.binOp == BinOp::Or ||
      e.binOp == BinOp::Implies) {
    auto a = eval(*e.args[0]);
    if (!a)
      return std::nullopt;
    if (a->kind != K::Bool) {
      error(e.args[0]->loc, "operand must be a boolean");
      return std::nullopt;
    }
    if (e.binOp == BinOp::And && !a->value)
      return mkBool(false);
    if (e.binOp == BinOp::Or && a->value)
      return mkBool(true);
    if (e.binOp == BinOp::Implies && !a->value)
      return mkBool(true);
    auto b = eval(*e.args[1]);
    if (!b)
      return std::nullopt;
    if (b->kind != K::Bool) {
      error(e.args[1]->loc, "operand must be a boolean");
      return std::nullopt;
    }
    return mkBool(b->value != 0);
  }
  auto a = eval(*e.args[0]);
  auto b = eval(*e.args[1]);
  if (!a || !b)
    return std::nullopt;
  if (e.binOp == BinOp::Eq || e.binOp == BinOp::Ne) {
    if (a->kind != b->kind) {
      error(e.loc, fmt::format("cannot compare {} with {}", kindName(a->kind),
                               kindName(b->kind)));
      return std::nullopt;
    }
    bool eq = a->value == b->value;
    return mkBool(e.binOp == BinOp::Eq ? eq : !eq);
  }
  if (a->kind != K::Int || b->kind != K::Int) {
    error(e.loc, "operands must be integers in this constant expression");
    return std::nullopt;
  }
  int64_t x = a->value, y = b->value;
  switch (e.binOp) {
  case BinOp::Lt:
    return mkBool(x < y);
  case BinOp::Le:
    return mkBool(x <= y);
  case BinOp::Gt:
    return mkBool(x > y);
  case BinOp::Ge:
    return mkBool(x >= y);
  case BinOp::Add:
  case BinOp::Sub:
  case BinOp::Mul:
  case BinOp::Div:
  case BinOp::Mod: {
    int64_t r = 0;
    if (const char *msg = ir::arithError(lower::binOp(int(e.binOp)), x, y, r)) {
      error(e.loc, fmt::format("{} in constant expression", msg));
      return std::nullopt;
    }
    return mkInt(r);
  }
  default:
    error(e.loc, "expression is not a constant");
    return std::nullopt;
  }
}

std::optional<int64_t> foldInt(const ir::Expr &e) {
  using ir::ExprKind;
  using ir::Op;
  if (e.kind == ExprKind::IntLit)
    return e.intVal;
  if (e.kind == ExprKind::Unary && e.op == Op::Neg && e.args.size() == 1) {
    auto v = foldInt(*e.args[0]);
    return v ? ir::arith(Op::Neg, *v, 0) : std::nullopt;
  }
  if (e.kind != ExprKind::Binary || e.args.size() != 2)
    return std::nullopt;
  auto a = foldInt(*e.args[0]), b = foldInt(*e.args[1]);
  if (!a || !b)
    return std::nullopt;
  return ir::arith(e.op, *a, *b);
}

ir::ExprPtr ConstEval::symbolic(const ast::Expr &e, const SymNameFn &names) {
  auto arg = [&](size_t i) -> ir::ExprPtr {
    return i < e.args.size() && e.args[i] ? symbolic(*e.args[i], names)
                                          : nullptr;
  };
  switch (e.kind) {
  case ExprKind::IntLit:
    return lower::intLit(e.intVal, e.loc);
  case ExprKind::BoolLit:
    return lower::boolLit(e.boolVal, e.loc);
  case ExprKind::Name:
    return names(e.name, e.loc);
  case ExprKind::Unary: {
    auto a = arg(0);
    if (!a)
      return nullptr;
    bool isNot = e.unOp == ast::UnOp::Not;
    return lower::unary(isNot ? ir::Op::Not : ir::Op::Neg, a,
                        isNot ? boolType() : intType(), e.loc);
  }
  case ExprKind::Binary: {
    auto a = arg(0), b = arg(1);
    if (!a || !b)
      return nullptr;
    bool arith = e.binOp == BinOp::Add || e.binOp == BinOp::Sub ||
                 e.binOp == BinOp::Mul || e.binOp == BinOp::Div ||
                 e.binOp == BinOp::Mod;
    return lower::binary(lower::binOp(int(e.binOp)), a, b,
                         arith ? intType() : boolType(), e.loc);
  }
  case ExprKind::Ite: {
    auto c = arg(0), t = arg(1), f = arg(2);
    if (!c || !t || !f)
      return nullptr;
    return lower::node(ir::ExprKind::Ite, t->type, {c, t, f}, e.loc);
  }
  case ExprKind::Index: {
    auto set = arg(0), i = arg(1);
    if (!set || !i || set->kind != ir::ExprKind::PrincipalSet)
      return nullptr;
    return lower::node(ir::ExprKind::Index, principalType(set->index), {set, i},
                       e.loc);
  }
  default:
    return nullptr;
  }
}

bool usesParams(const ir::ExprPtr &e) {
  return e && ir::anyExpr(*e, [](const ir::Expr &x) {
           return x.kind == ir::ExprKind::Param ||
                  x.kind == ir::ExprKind::ConstRef;
         });
}

} // namespace mommie::frontend
