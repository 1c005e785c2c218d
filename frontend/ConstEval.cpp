// Constant evaluation of AST expressions (see ConstEval.h).
#include "frontend/ConstEval.h"

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

std::optional<int64_t> ConstEval::evalInt(const ast::Expr &e, const std::string &what) {
  auto v = eval(e);
  if (!v)
    return std::nullopt;
  if (v->kind != K::Int) {
    error(e.loc, fmt::format("{} must be an integer, not {}", what, kindName(v->kind)));
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
    if (v->value == INT64_MIN) {
      error(e.loc, "integer overflow in constant expression");
      return std::nullopt;
    }
    return mkInt(-v->value);
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
  if (e.binOp == BinOp::And || e.binOp == BinOp::Or || e.binOp == BinOp::Implies) {
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
  int64_t x = a->value, y = b->value, r = 0;
  bool overflow = false;
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
    overflow = __builtin_add_overflow(x, y, &r);
    break;
  case BinOp::Sub:
    overflow = __builtin_sub_overflow(x, y, &r);
    break;
  case BinOp::Mul:
    overflow = __builtin_mul_overflow(x, y, &r);
    break;
  case BinOp::Div:
  case BinOp::Mod:
    if (y == 0) {
      error(e.loc, "division by zero in constant expression");
      return std::nullopt;
    }
    if (x == INT64_MIN && y == -1) {
      overflow = true;
      break;
    }
    // Floor division and TLA+ modulus, as in docs/semantics.md.
    r = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0)))
      --r;
    if (e.binOp == BinOp::Mod)
      r = x - r * y;
    break;
  default:
    error(e.loc, "expression is not a constant");
    return std::nullopt;
  }
  if (overflow) {
    error(e.loc, "integer overflow in constant expression");
    return std::nullopt;
  }
  return mkInt(r);
}

std::optional<int64_t> foldInt(const ir::Expr &e) {
  using ir::ExprKind;
  using ir::Op;
  if (e.kind == ExprKind::IntLit)
    return e.intVal;
  if (e.kind == ExprKind::Unary && e.op == Op::Neg && e.args.size() == 1) {
    auto v = foldInt(*e.args[0]);
    if (v && *v != INT64_MIN)
      return -*v;
    return std::nullopt;
  }
  if (e.kind != ExprKind::Binary || e.args.size() != 2)
    return std::nullopt;
  auto a = foldInt(*e.args[0]), b = foldInt(*e.args[1]);
  if (!a || !b)
    return std::nullopt;
  int64_t r = 0;
  switch (e.op) {
  case Op::Add:
    if (__builtin_add_overflow(*a, *b, &r))
      return std::nullopt;
    return r;
  case Op::Sub:
    if (__builtin_sub_overflow(*a, *b, &r))
      return std::nullopt;
    return r;
  case Op::Mul:
    if (__builtin_mul_overflow(*a, *b, &r))
      return std::nullopt;
    return r;
  case Op::Div:
  case Op::Mod: {
    int64_t x = *a, y = *b;
    if (y == 0 || (x == INT64_MIN && y == -1))
      return std::nullopt;
    int64_t q = x / y;
    if (x % y != 0 && ((x < 0) != (y < 0)))
      --q; // floor division, as TLA+ \div
    return e.op == Op::Div ? q : x - q * y;
  }
  default:
    return std::nullopt;
  }
}

} // namespace mommie::frontend
