// Sema: names, indexing (maps, sequences, principal-set members, `x[p]` in
// invariants), record fields, calls (functions, builtins, positional record
// construction) and named record construction.
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

using ast::ExprKind;
using ir::TypeKind;
using ir::TypeRef;

static bool invariantCtx(const ExprCtx &ctx) {
  return ctx.kind == ExprCtx::Kind::Invariant;
}

std::optional<std::pair<int, int>> Sema::findRoleVar(const std::string &name,
                                                     const ir::SourceLoc &loc,
                                                     bool report) {
  std::optional<std::pair<int, int>> found;
  for (size_t r = 0; r < roleInfo_.size(); ++r) {
    auto it = roleInfo_[r].vars.find(name);
    if (it == roleInfo_[r].vars.end())
      continue;
    if (found) {
      if (report)
        error(loc,
              fmt::format(
                  "'{}' is a variable of roles '{}' and '{}'; write {}.{}[p]",
                  name, out_.roles[found->first].name, out_.roles[r].name,
                  out_.roles[r].name, name));
      return std::nullopt;
    }
    found = std::make_pair((int)r, it->second);
  }
  return found;
}

ir::ExprPtr Sema::nameExpr(const ast::Expr &e, ExprCtx &ctx) {
  const std::string &n = e.name;
  if (Local *l = ctx.scopes ? ctx.scopes->lookup(n) : nullptr) {
    l->used = true;
    return lower::slot(l->slot, l->type, e.loc);
  }
  if (ctx.role >= 0 && ctx.role < (int)roleInfo_.size()) {
    auto &info = roleInfo_[ctx.role];
    auto it = info.vars.find(n);
    if (it != info.vars.end()) {
      if (ctx.kind == ExprCtx::Kind::VarInit) {
        error(e.loc,
              fmt::format("the initial value of a variable cannot read role "
                          "variable '{}'",
                          n));
        return nullptr;
      }
      if (ctx.kind == ExprCtx::Kind::Transition ||
          ctx.kind == ExprCtx::Kind::Round) {
        info.varRead[it->second] = true;
        const auto &v = out_.roles[ctx.role].vars[it->second];
        return lower::stateVar(ctx.role, it->second, v.type, e.loc);
      }
    }
  }
  if ((n == "phaseNo" || n == "roundNo") && !global(n)) {
    if (phaseRole_ < 0 || (ctx.kind != ExprCtx::Kind::Round &&
                           ctx.kind != ExprCtx::Kind::Invariant)) {
      error(e.loc, fmt::format("'{}' is only available in round programs", n));
      return nullptr;
    }
    return lower::node(n == "phaseNo" ? ir::ExprKind::PhaseNo
                                      : ir::ExprKind::RoundNo,
                       intType(), {}, e.loc);
  }
  const Global *g = global(n);
  if (!g) {
    if (auto rv = findRoleVar(n, e.loc, false)) {
      if (invariantCtx(ctx))
        error(e.loc,
              fmt::format(
                  "role variable '{}' must be indexed by a principal here "
                  "(write {}[p])",
                  n, n));
      else
        error(e.loc,
              fmt::format(
                  "'{}' is a variable of role '{}' and cannot be read here", n,
                  out_.roles[rv->first].name));
      return nullptr;
    }
    error(e.loc, fmt::format("use of undeclared identifier '{}'", n) +
                     didYouMean(n, ctx));
    return nullptr;
  }
  switch (g->kind) {
  case GlobalKind::Param:
  case GlobalKind::Const: {
    auto v = constOf(n, e.loc);
    return v ? constExpr(*v, e.loc, symName(n, e.loc)) : nullptr;
  }
  case GlobalKind::PrincipalSet:
    return lower::principalSet(g->index, e.loc);
  case GlobalKind::Record:
    error(e.loc, fmt::format("'{}' is a record type, not a value", n));
    return nullptr;
  case GlobalKind::TypeAlias:
    error(e.loc, fmt::format("'{}' is a type, not a value", n));
    return nullptr;
  case GlobalKind::Fun:
    error(e.loc, fmt::format("function '{}' must be called", n));
    return nullptr;
  case GlobalKind::Role:
    error(e.loc, fmt::format("role '{}' is not a value", n));
    return nullptr;
  }
  return nullptr;
}

// "; did you mean 'x'?" for the visible name closest to `name`: locals in
// scope, the role's own variables where they can be read, and globals.
std::string Sema::didYouMean(const std::string &name, ExprCtx &ctx) {
  std::vector<std::string> names;
  if (ctx.scopes)
    for (const Local *l : ctx.scopes->all())
      names.push_back(l->name);
  if (ctx.role >= 0)
    for (const auto &v : out_.roles[size_t(ctx.role)].vars)
      names.push_back(v.name);
  for (const auto &[n, g] : globals_)
    names.push_back(n);
  std::string close = closestName(name, names);
  return close.empty() ? "" : fmt::format("; did you mean '{}'?", close);
}

ir::ExprPtr Sema::stateVarOf(const ast::Expr &e, int role, int var,
                             const ast::Expr &who, ExprCtx &ctx) {
  const auto &r = out_.roles[role];
  auto p = expr(who, ctx, principalType(r.principalSet));
  if (!p)
    return nullptr;
  if (!isPrincipal(*p->type)) {
    error(
        who.loc,
        fmt::format("role variable '{}' must be indexed by a principal, not {}",
                    r.vars[var].name, typeStr(p->type)));
    return nullptr;
  }
  if (r.principalSet >= 0 && p->type->principalSet >= 0 &&
      p->type->principalSet != r.principalSet) {
    error(who.loc,
          fmt::format("principals of {} do not play role '{}' (it is played by "
                      "'{}')",
                      typeStr(p->type), r.name,
                      out_.principalSets[r.principalSet].name));
    return nullptr;
  }
  roleInfo_[role].varRead[var] = true;
  return lower::stateVarOf(role, var, p, r.vars[var].type, e.loc);
}

ir::ExprPtr Sema::indexExpr(const ast::Expr &e, ExprCtx &ctx) {
  if (e.args.size() != 2 || !e.args[0] || !e.args[1])
    return nullptr;
  const ast::Expr &base = *e.args[0], &key = *e.args[1];
  bool local = base.kind == ExprKind::Name && ctx.scopes &&
               ctx.scopes->lookup(base.name);
  if (base.kind == ExprKind::Name && !local) {
    const Global *g = global(base.name);
    if (g && g->kind == GlobalKind::PrincipalSet) {
      auto k = intExpr(key, ctx, "principal index");
      if (!k)
        return nullptr;
      auto i = foldInt(*k);
      if (!i) {
        // A computed member, e.g. P[phaseNo % N]: an evaluation error at
        // check time (and in TLC) when the index leaves 0..size-1.
        return lower::node(ir::ExprKind::Index, principalType(g->index),
                           {lower::principalSet(g->index, base.loc), k}, e.loc);
      }
      auto m = memberOf(base.name, *i, e.loc);
      ir::ExprPtr sym;
      if (k->sym)
        sym = lower::node(ir::ExprKind::Index, principalType(g->index),
                          {lower::principalSet(g->index, base.loc), k->sym},
                          e.loc);
      return m ? constExpr(*m, e.loc, sym) : nullptr;
    }
    bool ownVar = ctx.role >= 0 && roleInfo_[ctx.role].vars.count(base.name) &&
                  (ctx.kind == ExprCtx::Kind::Transition ||
                   ctx.kind == ExprCtx::Kind::Round);
    if (!g && !ownVar && invariantCtx(ctx)) {
      if (auto rv = findRoleVar(base.name, base.loc, true))
        return stateVarOf(e, rv->first, rv->second, key, ctx);
    }
  }
  if (base.kind == ExprKind::Field && !base.args.empty() && base.args[0] &&
      base.args[0]->kind == ExprKind::Name &&
      !(ctx.scopes && ctx.scopes->lookup(base.args[0]->name))) {
    const Global *g = global(base.args[0]->name);
    if (g && g->kind == GlobalKind::Role) {
      auto it = roleInfo_[g->index].vars.find(base.name);
      if (it == roleInfo_[g->index].vars.end()) {
        error(base.loc, fmt::format("role '{}' has no variable '{}'",
                                    base.args[0]->name, base.name));
        return nullptr;
      }
      if (!invariantCtx(ctx)) {
        error(base.loc,
              fmt::format("'{}.{}[p]' may only be used in invariants and "
                          "properties",
                          base.args[0]->name, base.name));
        return nullptr;
      }
      return stateVarOf(e, g->index, it->second, key, ctx);
    }
  }
  auto b = expr(base, ctx);
  if (!b)
    return nullptr;
  if (b->type->kind == TypeKind::Map) {
    auto k = expr(key, ctx, b->type->args[0]);
    if (!k)
      return nullptr;
    if (!comparable(*k->type, *b->type->args[0])) {
      error(key.loc, fmt::format("map key of type {} does not match {}",
                                 typeStr(k->type), typeStr(b->type->args[0])));
      return nullptr;
    }
    return lower::node(ir::ExprKind::Index, b->type->args[1], {b, k}, e.loc);
  }
  if (b->type->kind == TypeKind::Seq) {
    auto k = intExpr(key, ctx, "sequence index");
    if (!k)
      return nullptr;
    return lower::node(ir::ExprKind::Index, b->type->args[0], {b, k}, e.loc);
  }
  error(e.loc,
        fmt::format("cannot index a value of type {}", typeStr(b->type)));
  return nullptr;
}

ir::ExprPtr Sema::fieldExpr(const ast::Expr &e, ExprCtx &ctx) {
  if (e.args.empty() || !e.args[0])
    return nullptr;
  const ast::Expr &base = *e.args[0];
  if (base.kind == ExprKind::Name &&
      !(ctx.scopes && ctx.scopes->lookup(base.name))) {
    const Global *g = global(base.name);
    if (g && g->kind == GlobalKind::Role) {
      error(e.loc,
            fmt::format("'{}.{}' must be indexed by a principal ({}.{}[p])",
                        base.name, e.name, base.name, e.name));
      return nullptr;
    }
  }
  auto b = expr(base, ctx);
  if (!b)
    return nullptr;
  if (b->kind == ir::ExprKind::Slot &&
      unknownRecordSlots_.count({ctx.frame, b->slot}))
    return nullptr; // its unknown record was reported
  if (b->type->kind != TypeKind::Record) {
    error(e.loc, fmt::format("'.{}' needs a record, not {}", e.name,
                             typeStr(b->type)));
    return nullptr;
  }
  const auto &rec = out_.records[b->type->record];
  for (size_t i = 0; i < rec.fields.size(); ++i)
    if (rec.fields[i].name == e.name)
      return lower::node(ir::ExprKind::Field, rec.fields[i].type, {b}, e.loc,
                         -1, (int)i);
  error(e.loc, fmt::format("record '{}' has no field '{}'", rec.name, e.name));
  return nullptr;
}

ir::ExprPtr Sema::callExpr(const ast::Expr &e, ExprCtx &ctx,
                           const TypeRef &expected) {
  const Global *g = global(e.name);
  if (g && g->kind == GlobalKind::Fun) {
    const auto &params = funParams_[g->index];
    if (e.args.size() != params.size()) {
      error(e.loc, fmt::format("function '{}' takes {} argument{}, {} given",
                               e.name, params.size(),
                               params.size() == 1 ? "" : "s", e.args.size()));
      return nullptr;
    }
    std::vector<ir::ExprPtr> args;
    bool ok = true;
    for (size_t i = 0; i < params.size(); ++i) {
      auto a =
          e.args[i]
              ? exprOfType(*e.args[i], ctx, params[i],
                           fmt::format("argument {} of '{}'", i + 1, e.name))
              : nullptr;
      ok = ok && a;
      args.push_back(a);
    }
    if (ctx.fun >= 0)
      calls_[ctx.fun].insert(g->index);
    if (!ok || !funResult_[g->index])
      return nullptr;
    return lower::node(ir::ExprKind::Call, funResult_[g->index], args, e.loc,
                       -1, g->index);
  }
  if (g && g->kind == GlobalKind::Record)
    return recordCons(e, ctx, g->index);
  if (!g)
    return builtinCall(e, ctx, expected);
  error(e.loc, fmt::format("'{}' is not a function", e.name));
  return nullptr;
}

ir::ExprPtr Sema::recordCons(const ast::Expr &e, ExprCtx &ctx, int record) {
  const auto &rec = out_.records[record];
  std::vector<ir::ExprPtr> args(rec.fields.size());
  bool ok = true;
  if (e.kind == ExprKind::Call) {
    if (e.args.size() != rec.fields.size()) {
      error(e.loc, fmt::format("record '{}' has {} field{}, {} value{} given",
                               rec.name, rec.fields.size(),
                               rec.fields.size() == 1 ? "" : "s", e.args.size(),
                               e.args.size() == 1 ? "" : "s"));
      return nullptr;
    }
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      args[i] = e.args[i]
                    ? exprOfType(*e.args[i], ctx, rec.fields[i].type,
                                 fmt::format("field '{}' of '{}'",
                                             rec.fields[i].name, rec.name))
                    : nullptr;
      ok = ok && args[i];
    }
  } else {
    std::vector<bool> given(rec.fields.size(), false);
    for (const auto &f : e.fields) {
      size_t i = 0;
      while (i < rec.fields.size() && rec.fields[i].name != f.name)
        ++i;
      if (i == rec.fields.size()) {
        error(f.loc,
              fmt::format("record '{}' has no field '{}'", rec.name, f.name));
        ok = false;
        continue;
      }
      if (given[i]) {
        error(f.loc, fmt::format("field '{}' is given twice", f.name));
        ok = false;
        continue;
      }
      given[i] = true;
      args[i] =
          f.value
              ? exprOfType(*f.value, ctx, rec.fields[i].type,
                           fmt::format("field '{}' of '{}'", f.name, rec.name))
              : nullptr;
      ok = ok && args[i];
    }
    for (size_t i = 0; i < rec.fields.size(); ++i)
      if (!given[i]) {
        error(e.loc, fmt::format("missing field '{}' in construction of '{}'",
                                 rec.fields[i].name, rec.name));
        ok = false;
      }
  }
  if (!ok)
    return nullptr;
  return lower::node(ir::ExprKind::RecordCons, recordType(record), args, e.loc,
                     -1, record);
}

ir::ExprPtr Sema::builtinCall(const ast::Expr &e, ExprCtx &ctx,
                              const TypeRef &expected) {
  auto named = ir::builtinNamed(e.name); // the builtins: ir/ExprKinds.def
  if (!named) {
    error(e.loc, fmt::format("unknown function '{}'", e.name));
    return nullptr;
  }
  auto b = *named;
  size_t arity = ir::builtinInfo(b).arity;
  if (e.args.size() != arity) {
    error(e.loc, fmt::format("'{}' takes {} argument{}, {} given", e.name,
                             arity, arity == 1 ? "" : "s", e.args.size()));
    return nullptr;
  }
  for (const auto &a : e.args)
    if (!a)
      return nullptr;
  const ast::Expr &a0 = *e.args[0];
  if (b == ir::Builtin::Correct || b == ir::Builtin::Crashed) {
    // In a communication predicate, crashed(p) says whether p has crashed
    // by the end of the round (docs/semantics.md, round programs).
    if (!invariantCtx(ctx) && ctx.kind != ExprCtx::Kind::Comm) {
      error(e.loc,
            fmt::format("'{}' may only be used in invariants, properties and "
                        "communication predicates",
                        e.name));
      return nullptr;
    }
    if (b == ir::Builtin::Correct) {
      const Global *g = a0.kind == ExprKind::Name ? global(a0.name) : nullptr;
      if (!g || g->kind != GlobalKind::PrincipalSet) {
        error(a0.loc, "'correct' needs the name of a principal set");
        return nullptr;
      }
      return lower::builtin(b, {lower::principalSet(g->index, a0.loc)},
                            setType(principalType(g->index)), e.loc);
    }
    auto p = expr(a0, ctx);
    if (!p)
      return nullptr;
    if (!isPrincipal(*p->type)) {
      error(a0.loc, fmt::format("'crashed' needs a principal, not {}",
                                typeStr(p->type)));
      return nullptr;
    }
    return lower::builtin(b, {p}, boolType(), e.loc);
  }
  TypeRef want;
  if (b == ir::Builtin::Get && expected)
    want = optionType(expected);
  auto x = expr(a0, ctx, want);
  if (!x)
    return nullptr;
  const auto &t = x->type;
  auto need = [&](TypeKind k, const char *what) {
    if (t->kind == k)
      return true;
    error(a0.loc,
          fmt::format("'{}' needs {}, not {}", e.name, what, typeStr(t)));
    return false;
  };
  switch (b) {
  case ir::Builtin::Card:
    return need(TypeKind::Set, "a set")
               ? lower::builtin(b, {x}, intType(), e.loc)
               : nullptr;
  case ir::Builtin::Dom:
    return need(TypeKind::Map, "a map")
               ? lower::builtin(b, {x}, setType(t->args[0]), e.loc)
               : nullptr;
  case ir::Builtin::Len:
    return need(TypeKind::Seq, "a sequence")
               ? lower::builtin(b, {x}, intType(), e.loc)
               : nullptr;
  case ir::Builtin::Head:
    return need(TypeKind::Seq, "a sequence")
               ? lower::builtin(b, {x}, t->args[0], e.loc)
               : nullptr;
  case ir::Builtin::Tail:
    return need(TypeKind::Seq, "a sequence") ? lower::builtin(b, {x}, t, e.loc)
                                             : nullptr;
  case ir::Builtin::Append: {
    if (!need(TypeKind::Seq, "a sequence"))
      return nullptr;
    auto y = exprOfType(*e.args[1], ctx, t->args[0], "argument 2 of 'append'");
    return y ? lower::builtin(b, {x, y}, t, e.loc) : nullptr;
  }
  case ir::Builtin::Max:
  case ir::Builtin::Min:
    if (!isSetOf(*t, isIntLike)) {
      error(a0.loc, fmt::format("'{}' needs a set of integers, not {}", e.name,
                                typeStr(t)));
      return nullptr;
    }
    return lower::builtin(b, {x}, t->args[0], e.loc);
  case ir::Builtin::Get:
    return need(TypeKind::Option, "an option")
               ? lower::builtin(b, {x}, t->args[0], e.loc)
               : nullptr;
  case ir::Builtin::IsSome:
    return need(TypeKind::Option, "an option")
               ? lower::builtin(b, {x}, boolType(), e.loc)
               : nullptr;
  default:
    return nullptr;
  }
}

} // namespace mommie::frontend
