// Sema: lazy resolution of parameters, consts, principal sets, type
// aliases and record fields, with cycle detection; AST types -> IR types.
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

using K = ConstValue::Kind;

ConstEval Sema::constEval() {
  return ConstEval(
      diags_,
      [this](const std::string &n, const ir::SourceLoc &l) {
        return constOf(n, l);
      },
      [this](const std::string &s, int64_t i, const ir::SourceLoc &l) {
        return memberOf(s, i, l);
      });
}

std::optional<int64_t> Sema::evalIntConst(const ast::Expr &e,
                                          const std::string &what) {
  return constEval().evalInt(e, what);
}

std::optional<ConstValue> Sema::constOf(const std::string &name,
                                        const ir::SourceLoc &loc) {
  const Global *g = global(name);
  if (!g) {
    error(loc, fmt::format("use of undeclared identifier '{}'", name));
    return std::nullopt;
  }
  switch (g->kind) {
  case GlobalKind::Param: {
    auto v = paramValue(g->index);
    if (!v)
      return std::nullopt;
    return ConstValue{K::Int, *v, -1};
  }
  case GlobalKind::Const:
    return constValue(g->index);
  default:
    error(loc, fmt::format("'{}' is not a constant", name));
    return std::nullopt;
  }
}

std::optional<ConstValue> Sema::memberOf(const std::string &set, int64_t i,
                                         const ir::SourceLoc &loc) {
  const Global *g = global(set);
  if (!g || g->kind != GlobalKind::PrincipalSet) {
    error(loc, fmt::format("'{}' is not a principal set", set));
    return std::nullopt;
  }
  if (!principalSetReady(g->index))
    return std::nullopt;
  const auto &ps = out_.principalSets[g->index];
  if (i < 0 || i >= ps.size) {
    error(loc, fmt::format(
                   "index {} is out of range for principal set '{}' of size {}",
                   i, set, ps.size));
    return std::nullopt;
  }
  return ConstValue{K::Principal, ps.first + i, g->index};
}

std::optional<int64_t> Sema::paramValue(int index) {
  int &st = paramState_[index];
  if (st == 2)
    return paramValues_[index];
  if (st == 3)
    return std::nullopt;
  const auto *p = params_[index];
  if (st == 1) {
    error(p->loc, fmt::format("parameter '{}' depends on itself", p->name));
    st = 3;
    return std::nullopt;
  }
  st = 1;
  std::optional<int64_t> v;
  auto it = options_.defines.find(p->name);
  if (it != options_.defines.end())
    v = it->second;
  else if (p->value)
    v = evalIntConst(*p->value,
                     fmt::format("the value of parameter '{}'", p->name));
  if (st == 3)
    return std::nullopt;
  st = v ? 2 : 3;
  if (v)
    paramValues_[index] = *v;
  return v;
}

std::optional<ConstValue> Sema::constValue(int index) {
  int &st = constState_[index];
  if (st == 2)
    return constValues_[index];
  if (st == 3)
    return std::nullopt;
  const auto *c = consts_[index];
  if (st == 1) {
    error(c->loc, fmt::format("constant '{}' depends on itself", c->name));
    st = 3;
    return std::nullopt;
  }
  st = 1;
  std::optional<ConstValue> v;
  if (c->value)
    v = constEval().eval(*c->value);
  if (st == 3)
    return std::nullopt;
  st = v ? 2 : 3;
  if (v)
    constValues_[index] = *v;
  return v;
}

bool Sema::principalSetReady(int index) {
  if (setState_[index] == 2)
    return true;
  if (setState_[index] == 1) {
    error(sets_[index]->loc,
          fmt::format("size of principal set '{}' depends on itself",
                      sets_[index]->name));
    setState_[index] = 3;
    return false;
  }
  if (setState_[index] == 3)
    return false;
  // Global ids are assigned in declaration order: size every earlier set.
  for (int i = 0; i < index; ++i)
    if (setState_[i] == 0)
      principalSetReady(i);
  setState_[index] = 1;
  const auto *s = sets_[index];
  std::optional<int64_t> size;
  if (s->size)
    size = evalIntConst(*s->size,
                        fmt::format("the size of principal set '{}'", s->name));
  if (setState_[index] == 3)
    return false;
  bool ok = size.has_value();
  if (size && *size < 1) {
    error(s->size ? s->size->loc : s->loc,
          fmt::format(
              "principal set '{}' must have at least one member (size is {})",
              s->name, *size));
    ok = false;
  }
  if (size && *size > 100000) {
    error(s->size ? s->size->loc : s->loc,
          fmt::format("principal set '{}' is too large ({} members)", s->name,
                      *size));
    ok = false;
  }
  auto &ps = out_.principalSets[index];
  ps.first = nextPrincipal_;
  ps.size = ok ? (int)*size : 1;
  if (ok)
    ps.symSize = symIfParams(*s->size);
  nextPrincipal_ += ps.size;
  setState_[index] = ok ? 2 : 3;
  return true; // a failed size was reported; continue with size 1
}

ir::TypeRef Sema::aliasType(int index, const ir::SourceLoc &use) {
  int &st = aliasState_[index];
  if (st == 2)
    return aliasTypes_[index];
  if (st == 3)
    return nullptr;
  if (st == 1) {
    error(aliases_[index]->loc,
          fmt::format("type '{}' is defined in terms of itself",
                      aliases_[index]->name));
    st = 3;
    return nullptr;
  }
  st = 1;
  ir::TypeRef t =
      aliases_[index]->type ? resolveType(*aliases_[index]->type) : nullptr;
  if (st == 3)
    return nullptr;
  st = t ? 2 : 3;
  aliasTypes_[index] = t;
  return t;
}

ir::TypeRef Sema::resolveType(const ast::Type &t) {
  using TK = ast::TypeKind;
  auto arg = [&](size_t i) -> ir::TypeRef {
    if (i >= t.args.size() || !t.args[i])
      return nullptr;
    return resolveType(*t.args[i]);
  };
  switch (t.kind) {
  case TK::Bool:
    return boolType();
  case TK::Int:
    return intType();
  case TK::Principal:
    return principalType(-1);
  case TK::Named: {
    const Global *g = global(t.name);
    if (!g) {
      error(t.loc, fmt::format("unknown type '{}'", t.name));
      return nullptr;
    }
    switch (g->kind) {
    case GlobalKind::Record:
      return recordType(g->index);
    case GlobalKind::PrincipalSet:
      return principalType(g->index);
    case GlobalKind::TypeAlias:
      return aliasType(g->index, t.loc);
    default:
      error(t.loc, fmt::format("'{}' is not a type", t.name));
      return nullptr;
    }
  }
  case TK::Range: {
    if (!t.lo || !t.hi)
      return nullptr;
    auto lo = evalIntConst(*t.lo, "a range bound");
    auto hi = evalIntConst(*t.hi, "a range bound");
    if (!lo || !hi)
      return nullptr;
    if (*lo > *hi) {
      error(t.loc, fmt::format("empty range type {}..{}", *lo, *hi));
      return nullptr;
    }
    return rangeType(*lo, *hi, symIfParams(*t.lo), symIfParams(*t.hi), t.model);
  }
  case TK::Set: {
    auto a = arg(0);
    return a ? setType(a) : nullptr;
  }
  case TK::Map: {
    auto k = arg(0), v = arg(1);
    return k && v ? mapType(k, v) : nullptr;
  }
  case TK::Option: {
    auto a = arg(0);
    return a ? optionType(a) : nullptr;
  }
  case TK::Seq: {
    auto a = arg(0);
    return a ? seqType(a) : nullptr;
  }
  case TK::Tuple: {
    std::vector<ir::TypeRef> elems;
    bool ok = true;
    for (size_t i = 0; i < t.args.size(); ++i) {
      auto a = arg(i);
      ok = ok && a;
      elems.push_back(a);
    }
    return ok ? tupleType(std::move(elems)) : nullptr;
  }
  }
  return nullptr;
}

// Whether record `r` contains itself through its fields (an infinite value).
static bool selfContaining(int r, const std::vector<ir::RecordDecl> &records,
                           int target, std::vector<int> &seen,
                           const ir::Type *t = nullptr) {
  if (!t) {
    if (r < 0 || r >= (int)records.size())
      return false;
    for (int s : seen)
      if (s == r)
        return false;
    seen.push_back(r);
    for (const auto &f : records[r].fields)
      if (f.type && selfContaining(r, records, target, seen, f.type.get()))
        return true;
    return false;
  }
  if (t->kind == ir::TypeKind::Record)
    return t->record == target ||
           selfContaining(t->record, records, target, seen);
  if (t->kind == ir::TypeKind::Set || t->kind == ir::TypeKind::Seq ||
      t->kind == ir::TypeKind::Map)
    return false; // finite collections may be empty
  for (const auto &a : t->args)
    if (a && selfContaining(r, records, target, seen, a.get()))
      return true;
  return false;
}

void Sema::resolveRecords() {
  for (size_t i = 0; i < records_.size(); ++i) {
    const auto *r = records_[i];
    std::map<std::string, ir::SourceLoc> seen;
    for (const auto &f : r->fields) {
      auto [it, ins] = seen.emplace(f.name, f.loc);
      if (!ins) {
        error(f.loc, fmt::format("duplicate field '{}' in record '{}'", f.name,
                                 r->name));
        note(it->second, "previous definition is here");
        continue;
      }
      ir::FieldDecl fd;
      fd.name = f.name;
      fd.loc = f.loc;
      fd.type = f.type ? resolveType(*f.type) : nullptr;
      if (!fd.type)
        fd.type = intType(); // error reported; keep indices stable
      out_.records[i].fields.push_back(fd);
    }
  }
  for (size_t i = 0; i < records_.size(); ++i) {
    std::vector<int> seen;
    if (selfContaining((int)i, out_.records, (int)i, seen))
      error(records_[i]->loc,
            fmt::format("record '{}' contains itself through its fields",
                        records_[i]->name));
  }
}

std::string Sema::typeStr(const ir::TypeRef &t) const {
  return t ? "'" + typeName(*t, out_.records, out_.principalSets) + "'" : "'?'";
}

ir::ExprPtr Sema::constExpr(const ConstValue &v, const ir::SourceLoc &loc,
                            ir::ExprPtr sym) {
  ir::ExprPtr lit;
  switch (v.kind) {
  case K::Int:
    lit = lower::intLit(v.value, loc);
    break;
  case K::Bool:
    lit = lower::boolLit(v.value != 0, loc);
    break;
  case K::Principal:
    lit = lower::principalLit((int)v.value, v.set, loc);
    break;
  }
  if (!lit || !sym)
    return lit;
  auto withSym = std::make_shared<ir::Expr>(*lit);
  withSym->sym = std::move(sym);
  return withSym;
}

ir::ExprPtr Sema::symName(const std::string &name, const ir::SourceLoc &loc) {
  const Global *g = global(name);
  if (!g)
    return nullptr;
  switch (g->kind) {
  case GlobalKind::Param:
    return lower::node(ir::ExprKind::Param, intType(), {}, loc, -1, g->index);
  case GlobalKind::Const: {
    auto v = constValue(g->index);
    if (!v)
      return nullptr;
    ir::TypeRef t = v->kind == K::Int    ? intType()
                    : v->kind == K::Bool ? boolType()
                                         : principalType(v->set);
    return lower::node(ir::ExprKind::ConstRef, t, {}, loc, -1, g->index);
  }
  case GlobalKind::PrincipalSet:
    return lower::principalSet(g->index, loc);
  default:
    return nullptr;
  }
}

std::vector<std::string> Sema::recordNames() const {
  std::vector<std::string> names;
  for (const auto &r : out_.records)
    names.push_back(r.name);
  return names;
}

ir::ExprPtr Sema::symbolicConst(const ast::Expr &e) {
  return ConstEval::symbolic(
      e, [this](const std::string &n, const ir::SourceLoc &l) {
        return symName(n, l);
      });
}

ir::ExprPtr Sema::symIfParams(const ast::Expr &e) {
  auto s = symbolicConst(e);
  return usesParams(s) ? s : nullptr;
}

} // namespace mommie::frontend
