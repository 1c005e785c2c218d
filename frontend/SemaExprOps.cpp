// Sema: the expression dispatcher, operators, conditionals, literals, sets,
// comprehensions and quantifiers.
#include "frontend/AstPrinter.h"
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

using ast::BinOp;
using ast::ExprKind;
using ir::TypeKind;
using ir::TypeRef;

// Literals whose type comes from the context (`none`, `{}`, `<<>>`).
static bool needsContext(const ast::Expr &e) {
  return e.kind == ExprKind::NoneLit ||
         (e.kind == ExprKind::SetLit && e.args.empty()) ||
         (e.kind == ExprKind::SeqLit && e.args.empty());
}

static TypeRef elemOf(const TypeRef &t, TypeKind k) {
  if (t && t->kind == k && !t->args.empty())
    return t->args[0];
  return nullptr;
}

ir::ExprPtr Sema::exprOfType(const ast::Expr &e, ExprCtx &ctx,
                             const TypeRef &want, const std::string &what) {
  auto x = expr(e, ctx, want);
  if (!x || !want)
    return x;
  if (!assignable(*x->type, *want)) {
    error(e.loc, fmt::format("type mismatch in {}: expected {}, found {}", what,
                             typeStr(want), typeStr(x->type)));
    return nullptr;
  }
  return x;
}

ir::ExprPtr Sema::boolExpr(const ast::Expr &e, ExprCtx &ctx,
                           const std::string &what) {
  auto x = expr(e, ctx, boolType());
  if (x && !isBool(*x->type)) {
    error(e.loc,
          fmt::format("{} must be a boolean, not {}", what, typeStr(x->type)));
    return nullptr;
  }
  return x;
}

ir::ExprPtr Sema::intExpr(const ast::Expr &e, ExprCtx &ctx,
                          const std::string &what) {
  auto x = expr(e, ctx, intType());
  if (x && !isIntLike(*x->type)) {
    error(e.loc,
          fmt::format("{} must be an integer, not {}", what, typeStr(x->type)));
    return nullptr;
  }
  return x;
}

ir::ExprPtr Sema::expr(const ast::Expr &e, ExprCtx &ctx, TypeRef expected) {
  const auto &loc = e.loc;
  auto arg = [&](size_t i) -> const ast::Expr * {
    return i < e.args.size() && e.args[i] ? e.args[i].get() : nullptr;
  };
  switch (e.kind) {
  case ExprKind::IntLit:
    return lower::intLit(e.intVal, loc);
  case ExprKind::BoolLit:
    return lower::boolLit(e.boolVal, loc);
  case ExprKind::Name:
    return nameExpr(e, ctx);
  case ExprKind::Me:
    if (ctx.kind == ExprCtx::Kind::Fun ||
        ctx.kind == ExprCtx::Kind::Invariant ||
        ctx.kind == ExprCtx::Kind::Assume || ctx.role < 0) {
      error(loc, "'ME' is only meaningful inside a role");
      return nullptr;
    }
    return lower::me(out_.roles[ctx.role].principalSet, loc);
  case ExprKind::NoneLit: {
    TypeRef t = expected && expected->kind == TypeKind::Option
                    ? expected
                    : optionType(intType());
    return lower::node(ir::ExprKind::NoneLit, t, {}, loc);
  }
  case ExprKind::Some: {
    if (!arg(0))
      return nullptr;
    auto a = expr(*arg(0), ctx, elemOf(expected, TypeKind::Option));
    if (!a)
      return nullptr;
    return lower::node(ir::ExprKind::SomeCons, optionType(a->type), {a}, loc);
  }
  case ExprKind::Unary:
    return unaryExpr(e, ctx);
  case ExprKind::Binary:
    return binaryExpr(e, ctx);
  case ExprKind::Ite: {
    if (!arg(0) || !arg(1) || !arg(2))
      return nullptr;
    auto c = boolExpr(*arg(0), ctx, "condition");
    auto a = expr(*arg(1), ctx, expected);
    auto b = expr(*arg(2), ctx, a ? a->type : expected);
    if (!c || !a || !b)
      return nullptr;
    auto t = joinTypes(a->type, b->type);
    if (!t) {
      error(loc,
            fmt::format(
                "branches of the conditional have incompatible types {} and {}",
                typeStr(a->type), typeStr(b->type)));
      return nullptr;
    }
    return lower::node(ir::ExprKind::Ite, t, {c, a, b}, loc);
  }
  case ExprKind::Range:
  case ExprKind::SetLit:
    return setExpr(e, ctx, expected);
  case ExprKind::SetFilter:
  case ExprKind::SetMap:
  case ExprKind::MapCons:
  case ExprKind::Forall:
  case ExprKind::Exists:
    return binderExpr(e, ctx, expected);
  case ExprKind::Call:
    return callExpr(e, ctx, expected);
  case ExprKind::RecordNamed: {
    const Global *g = global(e.name);
    if (!g || g->kind != GlobalKind::Record) {
      std::string msg = fmt::format("unknown record '{}'", e.name);
      std::string close = closestName(e.name, recordNames());
      if (!close.empty())
        msg += fmt::format("; did you mean '{}'?", close);
      error(loc, msg);
      return nullptr;
    }
    return recordCons(e, ctx, g->index);
  }
  case ExprKind::Field:
    return fieldExpr(e, ctx);
  case ExprKind::TupleGet: {
    if (!arg(0))
      return nullptr;
    auto b = expr(*arg(0), ctx);
    if (!b)
      return nullptr;
    if (b->type->kind != TypeKind::Tuple) {
      error(loc, fmt::format("'.{}' needs a tuple, not {}", e.intVal,
                             typeStr(b->type)));
      return nullptr;
    }
    if (e.intVal < 0 || e.intVal >= (int64_t)b->type->args.size()) {
      error(loc, fmt::format("tuple index {} is out of range for {}", e.intVal,
                             typeStr(b->type)));
      return nullptr;
    }
    return lower::node(ir::ExprKind::TupleGet, b->type->args[e.intVal], {b},
                       loc, -1, (int)e.intVal);
  }
  case ExprKind::Index:
    return indexExpr(e, ctx);
  case ExprKind::Tuple: {
    std::vector<ir::ExprPtr> args;
    std::vector<TypeRef> types;
    bool ok = true;
    for (size_t i = 0; i < e.args.size(); ++i) {
      TypeRef want = expected && expected->kind == TypeKind::Tuple &&
                             i < expected->args.size()
                         ? expected->args[i]
                         : nullptr;
      auto a = arg(i) ? expr(*arg(i), ctx, want) : nullptr;
      ok = ok && a;
      args.push_back(a);
      types.push_back(a ? a->type : nullptr);
    }
    if (!ok)
      return nullptr;
    return lower::node(ir::ExprKind::TupleCons, tupleType(types), args, loc);
  }
  case ExprKind::SeqLit: {
    TypeRef elem = elemOf(expected, TypeKind::Seq);
    std::vector<ir::ExprPtr> args;
    TypeRef joined;
    if (!literalElements(e, ctx, elem, /*contextFromEarlier=*/false, "sequence",
                         args, joined))
      return nullptr;
    TypeRef t = joined ? seqType(joined)
                       : (expected && expected->kind == TypeKind::Seq
                              ? expected
                              : seqType(intType()));
    return lower::node(ir::ExprKind::SeqCons, t, args, loc);
  }
  case ExprKind::Known: {
    if (ctx.retire) {
      error(loc, "KNOWN is not allowed in a retire condition: whether a "
                 "statement is retired "
                 "depends only on the statement and the role's variables");
      return nullptr;
    }
    if (ctx.kind != ExprCtx::Kind::Transition && !ctx.poolKnown) {
      error(
          loc,
          "KNOWN is only allowed in transitions (the local pool of ME) and in "
          "invariants and lemmas (the whole pool)");
      return nullptr;
    }
    if (ctx.poolKnown && phaseRole_ >= 0) {
      error(loc, "KNOWN in an invariant needs an event-driven program (a round "
                 "program "
                 "has no pool)");
      return nullptr;
    }
    if (!e.pattern)
      return nullptr;
    auto p = knownPattern(*e.pattern, ctx);
    if (!p)
      return nullptr;
    auto x = std::make_shared<ir::Expr>();
    x->kind = ir::ExprKind::Known;
    x->type = boolType();
    x->loc = loc;
    x->pattern = p;
    return x;
  }
  case ExprKind::Always:
  case ExprKind::Eventually:
  case ExprKind::LeadsTo:
    error(loc, "temporal operator outside a property");
    return nullptr;
  }
  error(loc, "unsupported expression");
  return nullptr;
}

ir::ExprPtr Sema::unaryExpr(const ast::Expr &e, ExprCtx &ctx) {
  if (e.args.empty() || !e.args[0])
    return nullptr;
  if (e.unOp == ast::UnOp::Not) {
    auto a = boolExpr(*e.args[0], ctx, "operand of '!'");
    return a ? lower::unary(ir::Op::Not, a, boolType(), e.loc) : nullptr;
  }
  auto a = intExpr(*e.args[0], ctx, "operand of unary '-'");
  return a ? lower::unary(ir::Op::Neg, a, intType(), e.loc) : nullptr;
}

ir::ExprPtr Sema::binaryExpr(const ast::Expr &e, ExprCtx &ctx) {
  if (e.args.size() != 2 || !e.args[0] || !e.args[1])
    return nullptr;
  const ast::Expr &l = *e.args[0], &r = *e.args[1];
  ir::Op op = lower::binOp((int)e.binOp);
  std::string opName = fmt::format("operand of '{}'", binOpText(e.binOp));
  switch (e.binOp) {
  case BinOp::And:
  case BinOp::Or:
  case BinOp::Implies: {
    auto a = boolExpr(l, ctx, opName);
    auto b = boolExpr(r, ctx, opName);
    return a && b ? lower::binary(op, a, b, boolType(), e.loc) : nullptr;
  }
  case BinOp::Add:
  case BinOp::Sub:
  case BinOp::Mul:
  case BinOp::Div:
  case BinOp::Mod: {
    auto a = intExpr(l, ctx, opName);
    auto b = intExpr(r, ctx, opName);
    if (!a || !b)
      return nullptr;
    auto x = lower::binary(op, a, b, intType(), e.loc);
    // Parameters are numbers already: fold constant arithmetic, keeping the
    // symbolic form when an operand has one.
    if (a->kind == ir::ExprKind::IntLit && b->kind == ir::ExprKind::IntLit)
      if (auto v = foldInt(*x)) {
        if (!a->sym && !b->sym)
          return lower::intLit(*v, e.loc);
        auto lit = std::make_shared<ir::Expr>(*lower::intLit(*v, e.loc));
        lit->sym = lower::binary(op, a->sym ? a->sym : a, b->sym ? b->sym : b,
                                 intType(), e.loc);
        return lit;
      }
    return x;
  }
  case BinOp::Lt:
  case BinOp::Le:
  case BinOp::Gt:
  case BinOp::Ge: {
    auto a = intExpr(l, ctx, opName);
    auto b = intExpr(r, ctx, opName);
    return a && b ? lower::binary(op, a, b, boolType(), e.loc) : nullptr;
  }
  case BinOp::Eq:
  case BinOp::Ne: {
    ir::ExprPtr a, b;
    if (needsContext(l) && !needsContext(r)) {
      b = expr(r, ctx);
      a = expr(l, ctx, b ? b->type : nullptr);
    } else {
      a = expr(l, ctx);
      b = expr(r, ctx, a ? a->type : nullptr);
    }
    if (!a || !b)
      return nullptr;
    if (!comparable(*a->type, *b->type)) {
      error(e.loc, fmt::format("cannot compare {} with {}", typeStr(a->type),
                               typeStr(b->type)));
      return nullptr;
    }
    return lower::binary(op, a, b, boolType(), e.loc);
  }
  case BinOp::In:
  case BinOp::NotIn: {
    auto s = expr(r, ctx);
    if (s && s->type->kind != TypeKind::Set) {
      error(r.loc, fmt::format("right operand of '{}' must be a set, not {}",
                               binOpText(e.binOp), typeStr(s->type)));
      s = nullptr;
    }
    auto a = expr(l, ctx, s ? s->type->args[0] : nullptr);
    if (!a || !s)
      return nullptr;
    if (!comparable(*a->type, *s->type->args[0])) {
      error(e.loc, fmt::format("cannot test membership of {} in {}",
                               typeStr(a->type), typeStr(s->type)));
      return nullptr;
    }
    return lower::binary(op, a, s, boolType(), e.loc);
  }
  case BinOp::SubsetEq:
  case BinOp::Union:
  case BinOp::Inter:
  case BinOp::Diff: {
    ir::ExprPtr a, b;
    if (needsContext(l) && !needsContext(r)) {
      b = expr(r, ctx);
      a = expr(l, ctx, b ? b->type : nullptr);
    } else {
      a = expr(l, ctx);
      b = expr(r, ctx, a ? a->type : nullptr);
    }
    if (!a || !b)
      return nullptr;
    if (a->type->kind != TypeKind::Set || b->type->kind != TypeKind::Set) {
      error(e.loc, fmt::format("operands of '{}' must be sets, not {} and {}",
                               binOpText(e.binOp), typeStr(a->type),
                               typeStr(b->type)));
      return nullptr;
    }
    auto j = joinTypes(a->type, b->type);
    if (!j) {
      error(e.loc, fmt::format(
                       "operands of '{}' have incompatible types {} and {}",
                       binOpText(e.binOp), typeStr(a->type), typeStr(b->type)));
      return nullptr;
    }
    return lower::binary(op, a, b, e.binOp == BinOp::SubsetEq ? boolType() : j,
                         e.loc);
  }
  }
  return nullptr;
}

bool Sema::literalElements(const ast::Expr &e, ExprCtx &ctx,
                           const TypeRef &want, bool contextFromEarlier,
                           const char *what, std::vector<ir::ExprPtr> &args,
                           TypeRef &joined) {
  bool ok = true;
  for (const auto &a : e.args) {
    auto x = a ? expr(*a, ctx, want || !contextFromEarlier ? want : joined)
               : nullptr;
    ok = ok && x;
    if (x) {
      auto j = joined ? joinTypes(joined, x->type) : x->type;
      if (!j) {
        error(a->loc, fmt::format("{} element of type {} does not match {}",
                                  what, typeStr(x->type), typeStr(joined)));
        ok = false;
      } else {
        joined = j;
      }
    }
    args.push_back(x);
  }
  return ok;
}

ir::ExprPtr Sema::setExpr(const ast::Expr &e, ExprCtx &ctx,
                          const TypeRef &expected) {
  if (e.kind == ExprKind::Range) {
    if (e.args.size() != 2 || !e.args[0] || !e.args[1])
      return nullptr;
    auto a = intExpr(*e.args[0], ctx, "range bound");
    auto b = intExpr(*e.args[1], ctx, "range bound");
    if (!a || !b)
      return nullptr;
    auto lo = foldInt(*a), hi = foldInt(*b);
    TypeRef elem = lo && hi && *lo <= *hi ? rangeType(*lo, *hi, a->sym, b->sym)
                                          : intType();
    return lower::node(ir::ExprKind::RangeSet, setType(elem), {a, b}, e.loc);
  }
  TypeRef want = elemOf(expected, TypeKind::Set);
  std::vector<ir::ExprPtr> args;
  TypeRef joined;
  if (!literalElements(e, ctx, want, /*contextFromEarlier=*/true, "set", args,
                       joined))
    return nullptr;
  TypeRef t = joined ? setType(joined) : (want ? expected : setType(intType()));
  return lower::node(ir::ExprKind::SetLit, t, args, e.loc);
}

ir::ExprPtr Sema::openBinder(const ast::Binder &b, ExprCtx &ctx, int &slot) {
  slot = -1;
  ir::ExprPtr set = b.set ? expr(*b.set, ctx) : nullptr;
  TypeRef elem = intType();
  if (set) {
    if (set->type->kind != TypeKind::Set) {
      error(b.set->loc, fmt::format("'{} in ...' needs a set, not {}", b.name,
                                    typeStr(set->type)));
      set = nullptr;
    } else {
      elem = set->type->args[0];
    }
  }
  ctx.scopes->push();
  slot = ctx.frame->addSlot(b.name, elem, b.loc);
  Local l;
  l.slot = slot;
  l.type = elem;
  l.loc = b.loc;
  l.kind = LocalKind::Binder;
  l.name = b.name;
  l.warnUnused = false;
  ctx.scopes->declare(l);
  return set;
}

int Sema::declareMailbox(ExprCtx &ctx, const TypeRef &payload,
                         const ir::SourceLoc &loc) {
  Local mbox;
  mbox.name = "mbox";
  mbox.type = mapType(principalType(-1), payload);
  mbox.loc = loc;
  mbox.kind = LocalKind::Mailbox;
  mbox.warnUnused = false;
  mbox.slot = ctx.frame->addSlot("mbox", mbox.type, loc);
  ctx.scopes->declare(mbox);
  return mbox.slot;
}

void Sema::closeScope(ExprCtx &ctx, bool warn) {
  std::vector<Local> unused;
  ctx.scopes->pop(warn ? &unused : nullptr);
  warnUnused(unused);
}

ir::ExprPtr Sema::binderExpr(const ast::Expr &e, ExprCtx &ctx,
                             const TypeRef &expected) {
  if (e.binders.empty() || !e.body)
    return nullptr;
  if (e.kind == ExprKind::Forall || e.kind == ExprKind::Exists) {
    // forall x in S, y in T: p  ==  forall x in S: forall y in T: p
    std::vector<std::pair<int, ir::ExprPtr>> opened;
    bool ok = true;
    for (const auto &b : e.binders) {
      int slot;
      auto s = openBinder(b, ctx, slot);
      ok = ok && s;
      opened.push_back({slot, s});
    }
    auto body = boolExpr(*e.body, ctx, "quantifier body");
    for (size_t i = 0; i < opened.size(); ++i)
      closeScope(ctx, false);
    if (!ok || !body)
      return nullptr;
    auto kind = e.kind == ExprKind::Forall ? ir::ExprKind::Forall
                                           : ir::ExprKind::Exists;
    ir::ExprPtr acc = body;
    for (size_t i = opened.size(); i-- > 0;)
      acc = lower::node(kind, boolType(), {opened[i].second, acc},
                        e.binders[i].loc, opened[i].first);
    return acc;
  }
  int slot;
  auto set = openBinder(e.binders[0], ctx, slot);
  ir::ExprPtr result;
  if (e.kind == ExprKind::SetFilter) {
    auto p = boolExpr(*e.body, ctx, "set filter condition");
    if (set && p)
      result = lower::node(ir::ExprKind::SetFilter, set->type, {set, p}, e.loc,
                           slot);
  } else if (e.kind == ExprKind::SetMap) {
    auto v = expr(*e.body, ctx);
    ir::ExprPtr c = e.cond
                        ? boolExpr(*e.cond, ctx, "set comprehension condition")
                        : nullptr;
    if (set && v && (!e.cond || c))
      result = lower::node(ir::ExprKind::SetMap, setType(v->type), {set, v, c},
                           e.loc, slot);
  } else { // MapCons
    TypeRef want = expected && expected->kind == TypeKind::Map &&
                           expected->args.size() == 2
                       ? expected->args[1]
                       : nullptr;
    auto v = expr(*e.body, ctx, want);
    if (set && v)
      result = lower::node(ir::ExprKind::MapCons,
                           mapType(set->type->args[0], v->type), {set, v},
                           e.loc, slot);
  }
  closeScope(ctx, false);
  return result;
}

} // namespace mommie::frontend
