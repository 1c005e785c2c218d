// Symbolic evaluation for the parameterized encoding (see ParamEval.h).
#include "proofs/ParamEval.h"
#include "proofs/Limits.h"

#include <fmt/format.h>

namespace mommie::proofs::param {

Ctx::Ctx(cvc5::Solver &slv, const ir::Program &prog,
         const SymbolicParams &symParams)
    : slv(slv), prog(prog), symParams(symParams), role(prog.roles.at(0)),
      set(prog.principalSets.at(prog.roles.at(0).principalSet)) {
  proc = slv.mkUninterpretedSort("Proc");
  pset = slv.mkSetSort(proc);
  emptySet = slv.mkEmptySet(pset);
  tt = slv.mkTrue();
  ff = slv.mkFalse();
  all = slv.mkConst(pset, "All");
  for (const auto &name : symParams.symbolic) {
    params.push_back(slv.mkConst(slv.getIntegerSort(), name));
    hyps.push_back(mk(Kind::GEQ, {params.back(), mkInt(0)}));
  }
  size = affine(symParams.setSizes.at(role.principalSet));
  hyps.push_back(mkEq(card(all), size));
  hyps.push_back(mk(Kind::GEQ, {size, mkInt(1)}));
  for (const auto &v : role.vars)
    varDomains.push_back(domainOf(*v.type));
}

Term Ctx::mk(Kind k, const std::vector<Term> &args) {
  pollLimits();
  switch (k) {
  case Kind::GEQ:
  case Kind::LEQ:
  case Kind::GT:
  case Kind::LT:
    if (args[0] == args[1])
      return slv.mkBoolean(k == Kind::GEQ || k == Kind::LEQ);
    if (args[0].isIntegerValue() && args[1].isIntegerValue()) {
      int64_t a = args[0].getInt64Value(), b = args[1].getInt64Value();
      return slv.mkBoolean(k == Kind::GEQ   ? a >= b
                           : k == Kind::LEQ ? a <= b
                           : k == Kind::GT  ? a > b
                                            : a < b);
    }
    break;
  case Kind::SET_MEMBER:
    if (args[1] == emptySet)
      return ff;
    if (args[1] == all && inAll.count(args[0]))
      return tt;
    if (args[1].getKind() == Kind::SET_SINGLETON && args[1][0] == args[0])
      return tt;
    break;
  case Kind::SET_SUBSET:
    if (args[0] == emptySet || args[1] == all || args[0] == args[1])
      return tt;
    break;
  case Kind::SET_CARD:
    if (args[0] == emptySet)
      return mkInt(0);
    break;
  default:
    break;
  }
  return slv.mkTerm(k, args);
}

Term Ctx::mkNot(const Term &a) {
  if (a.isBooleanValue())
    return slv.mkBoolean(!a.getBooleanValue());
  if (a.getKind() == Kind::NOT)
    return a[0];
  return mk(Kind::NOT, {a});
}

Term Ctx::mkAnd(const std::vector<Term> &args) {
  std::vector<Term> keep;
  for (const auto &a : args) {
    if (a.isBooleanValue()) {
      if (!a.getBooleanValue())
        return ff;
      continue;
    }
    keep.push_back(a);
  }
  if (keep.empty())
    return tt;
  return keep.size() == 1 ? keep[0] : mk(Kind::AND, keep);
}

Term Ctx::mkOr(const std::vector<Term> &args) {
  std::vector<Term> keep;
  for (const auto &a : args) {
    if (a.isBooleanValue()) {
      if (a.getBooleanValue())
        return tt;
      continue;
    }
    keep.push_back(a);
  }
  if (keep.empty())
    return ff;
  return keep.size() == 1 ? keep[0] : mk(Kind::OR, keep);
}

Term Ctx::mkIte(const Term &c, const Term &a, const Term &b) {
  if (c.isBooleanValue())
    return c.getBooleanValue() ? a : b;
  if (a == b)
    return a;
  if (a.getSort().isSet() && isBinderFree(c) && isBinderFree(a) &&
      isBinderFree(b)) {
    // A fresh set defined by cases: cvc5 1.0.3's set solver builds wrong
    // models for set-valued ite terms under cardinality.
    std::string key = std::to_string(c.getId()) + ":" +
                      std::to_string(a.getId()) + ":" +
                      std::to_string(b.getId());
    auto it = setIte_.find(key);
    if (it != setIte_.end())
      return it->second;
    Term s = slv.mkConst(pset, fmt::format("ite!{}", fresh_++));
    hyps.push_back(mkImplies(c, mkEq(s, a)));
    hyps.push_back(mkImplies(mkNot(c), mkEq(s, b)));
    setIte_[key] = s;
    iteDefs[s] = {c, a, b};
    return s;
  }
  return mk(Kind::ITE, {c, a, b});
}

Term Ctx::mkEq(const Term &a, const Term &b) {
  if (a == b)
    return tt;
  if (a.isIntegerValue() && b.isIntegerValue())
    return slv.mkBoolean(a.getInt64Value() == b.getInt64Value());
  if (a.isBooleanValue() && b.isBooleanValue())
    return slv.mkBoolean(a.getBooleanValue() == b.getBooleanValue());
  return mk(Kind::EQUAL, {a, b});
}

Term Ctx::inter(const Term &a, const Term &b) {
  if (a == emptySet || b == emptySet)
    return emptySet;

  if (disjoint(a, b))
    return emptySet;
  if (a == all)
    return b;
  if (b == all || a == b)
    return a;
  return mk(Kind::SET_INTER, {a, b});
}

Term Ctx::unite(const Term &a, const Term &b) {
  if (a == emptySet || b == a)
    return b;
  if (b == emptySet)
    return a;
  if (a == all || b == all)
    return all;
  // X u (All \ X) = All
  if ((b.getKind() == Kind::SET_MINUS && b[0] == all && b[1] == a) ||
      (a.getKind() == Kind::SET_MINUS && a[0] == all && a[1] == b))
    return all;
  return mk(Kind::SET_UNION, {a, b});
}

Term Ctx::minus(const Term &a, const Term &b) {
  if (a == emptySet || b == emptySet)
    return a;
  if (a == b || b == all)
    return emptySet;
  if (a == all) {
    if (b.getKind() == Kind::SET_MINUS && b[0] == all)
      return b[1];
    auto it = complement.find(b);
    if (it != complement.end())
      return it->second;
  }
  if (disjoint(a, b))
    return a;
  return mk(Kind::SET_MINUS, {a, b});
}

bool Ctx::disjoint(const Term &a, const Term &b) {
  auto it = cellOf.find(a), jt = cellOf.find(b);
  return it != cellOf.end() && jt != cellOf.end() &&
         it->second.first == jt->second.first &&
         it->second.second != jt->second.second;
}

Term Ctx::freshSet(const std::string &name) {
  Term s = slv.mkConst(pset, fmt::format("{}!{}", name, fresh_++));
  // Not subset(): it folds `X subset All` to true, which holds only for
  // terms built from All; a fresh set must be tied to All explicitly.
  hyps.push_back(slv.mkTerm(Kind::SET_SUBSET, {s, all}));
  return s;
}

Term Ctx::freshElem(const std::string &name) {
  return slv.mkConst(proc, fmt::format("{}!{}", name, fresh_++));
}

Term Ctx::binder() {
  Term b = slv.mkConst(proc, fmt::format("@e{}", fresh_++));
  binders_.push_back(b);
  return b;
}

bool Ctx::isBinderFree(const Term &t) {
  for (const auto &b : binders_)
    if (contains(t, b))
      return false;
  return true;
}

bool Ctx::contains(const Term &f, const Term &e) {
  if (f == e)
    return true;
  if (f.getNumChildren() == 0)
    return false;
  std::string key = std::to_string(f.getId()) + ":" + std::to_string(e.getId());
  auto it = containsMemo_.find(key);
  if (it != containsMemo_.end())
    return it->second;
  bool r = false;
  for (size_t i = 0; i < f.getNumChildren() && !r; ++i)
    r = contains(f[i], e);
  containsMemo_[key] = r;
  return r;
}

Term Ctx::simp(const Term &t) {
  if (t.getNumChildren() == 0)
    return t;
  std::vector<Term> kids;
  bool changed = false;
  for (size_t i = 0; i < t.getNumChildren(); ++i) {
    kids.push_back(simp(t[i]));
    changed |= kids.back() != t[i];
  }
  switch (t.getKind()) {
  case Kind::NOT:
    return mkNot(kids[0]);
  case Kind::AND:
    return mkAnd(kids);
  case Kind::OR:
    return mkOr(kids);
  case Kind::IMPLIES:
    return mkImplies(kids[0], kids[1]);
  case Kind::ITE:
    return mkIte(kids[0], kids[1], kids[2]);
  case Kind::EQUAL:
    return mkEq(kids[0], kids[1]);
  case Kind::SET_INTER:
    return inter(kids[0], kids[1]);
  case Kind::SET_UNION:
    return unite(kids[0], kids[1]);
  case Kind::SET_MINUS:
    return minus(kids[0], kids[1]);
  default:
    break;
  }
  if (!changed)
    return t;
  return mk(t.getKind(), kids);
}

namespace {

// The condition of some ite under `f` that mentions `e`.
std::optional<Term>
splitCondition(const Term &f, const Term &e,
               const std::function<bool(const Term &)> &has) {
  if (f.getKind() == Kind::ITE && has(f[0]))
    return f[0];
  for (size_t i = 0; i < f.getNumChildren(); ++i)
    if (has(f[i]))
      if (auto c = splitCondition(f[i], e, has))
        return c;
  return std::nullopt;
}

} // namespace

std::optional<Term> Ctx::groundSplit(const Term &f, const Term &e) {
  if (f.getKind() == Kind::ITE && !contains(f[0], e) &&
      (contains(f[1], e) || contains(f[2], e)))
    return f[0];
  for (size_t i = 0; i < f.getNumChildren(); ++i)
    if (contains(f[i], e))
      if (auto g = groundSplit(f[i], e))
        return g;
  return std::nullopt;
}

Term Ctx::lift(const Term &f, const Term &e) {
  if (!contains(f, e))
    return mkIte(f, all, emptySet);
  switch (f.getKind()) {
  case Kind::NOT:
    return minus(all, lift(f[0], e));
  case Kind::AND: {
    Term r = all;
    for (size_t i = 0; i < f.getNumChildren(); ++i)
      r = inter(r, lift(f[i], e));
    return r;
  }
  case Kind::OR: {
    Term r = emptySet;
    for (size_t i = 0; i < f.getNumChildren(); ++i)
      r = unite(r, lift(f[i], e));
    return r;
  }
  case Kind::IMPLIES:
    return unite(minus(all, lift(f[0], e)), lift(f[1], e));
  case Kind::SET_MEMBER:
    if (f[0] == e && !contains(f[1], e))
      return inter(f[1], all);
    break;
  case Kind::EQUAL:
    if (f[0].getSort().isBoolean()) {
      Term a = lift(f[0], e), b = lift(f[1], e);
      return unite(inter(a, b), minus(all, unite(a, b)));
    }
    if (f[0] == e && !contains(f[1], e))
      return inter(mk(Kind::SET_SINGLETON, {f[1]}), all);
    if (f[1] == e && !contains(f[0], e))
      return inter(mk(Kind::SET_SINGLETON, {f[0]}), all);
    break;
  case Kind::ITE:
    if (f.getSort().isBoolean()) {
      Term c = lift(f[0], e);
      return unite(inter(c, lift(f[1], e)), minus(lift(f[2], e), c));
    }
    break;
  default:
    break;
  }
  // A condition that does not mention e (phaseNo == 0, say) but selects
  // between branches that do: split at the set level, which keeps the sets
  // small (ite(phaseNo == 0, input=v, x=v) rather than a mix of both).
  if (auto g = groundSplit(f, e)) {
    Term f1 = simp(f.substitute(*g, tt)), f2 = simp(f.substitute(*g, ff));
    return mkIte(*g, lift(f1, e), lift(f2, e));
  }
  auto cond =
      splitCondition(f, e, [&](const Term &t) { return contains(t, e); });
  // e in a cell of a covering partition: split over every cell at once.
  if (cond && cond->getKind() == Kind::SET_MEMBER && (*cond)[0] == e) {
    auto it = cellOf.find((*cond)[1]);
    if (it != cellOf.end() && covered_.count(it->second.first)) {
      const auto &cells = partitionCells_[it->second.first];
      Term r = emptySet;
      for (size_t j = 0; j < cells.size(); ++j) {
        std::vector<Term> from, to;
        for (size_t k = 0; k < cells.size(); ++k) {
          from.push_back(member(e, cells[k]));
          to.push_back(k == j ? tt : ff);
        }
        Term fj = simp(f.substitute(from, to));
        r = unite(r, inter(cells[j], lift(fj, e)));
      }
      return r;
    }
  }
  if (!cond)
    throw NotSupported("a condition over principals is not expressible with "
                       "sets (" +
                       f.toString().substr(0, 120) + ")");
  Term c = lift(*cond, e);
  Term f1 = simp(f.substitute(*cond, tt)), f2 = simp(f.substitute(*cond, ff));
  return unite(inter(c, lift(f1, e)), minus(lift(f2, e), c));
}

std::vector<DomVal> Ctx::domainOf(const ir::Type &type) {
  std::vector<DomVal> out;
  switch (type.kind) {
  case ir::TypeKind::Bool:
    return {{PV::scalar(ff), "false"}, {PV::scalar(tt), "true"}};
  case ir::TypeKind::Range:
    requireConcrete(type);
    if (type.hi - type.lo >= 256)
      throw NotSupported("a range of more than 256 values");
    for (int64_t v = type.lo; v <= type.hi; ++v)
      out.push_back({PV::scalar(mkInt(v)), std::to_string(v)});
    return out;
  case ir::TypeKind::Option: {
    auto inner = domainOf(*type.args.at(0));
    PV none = PV::of(PV::K::Opt, ff);
    none.sub = {inner.at(0).v};
    out.push_back({none, "none"});
    for (const auto &d : inner) {
      PV s = PV::of(PV::K::Opt, tt);
      s.sub = {d.v};
      out.push_back({s, "some(" + d.text + ")"});
    }
    return out;
  }
  case ir::TypeKind::Tuple:
  case ir::TypeKind::Record: {
    const ir::RecordDecl *rec = type.kind == ir::TypeKind::Record
                                    ? &prog.records.at(type.record)
                                    : nullptr;
    std::vector<ir::TypeRef> comps;
    if (rec)
      for (const auto &f : rec->fields)
        comps.push_back(f.type);
    else
      comps = type.args;
    std::vector<std::pair<std::vector<PV>, std::vector<std::string>>> acc{{}};
    for (const auto &ct : comps) {
      auto d = domainOf(*ct);
      std::vector<std::pair<std::vector<PV>, std::vector<std::string>>> next;
      for (const auto &a : acc)
        for (const auto &x : d) {
          auto n = a;
          n.first.push_back(x.v);
          n.second.push_back(x.text);
          next.push_back(std::move(n));
        }
      if (next.size() > 256)
        throw NotSupported("a record or tuple type of more than 256 values");
      acc = std::move(next);
    }
    for (auto &a : acc) {
      PV v;
      v.k = PV::K::Tuple;
      v.sub = a.first;
      std::string text = rec ? rec->name + "{" : "(";
      for (size_t i = 0; i < a.second.size(); ++i)
        text += (i ? ", " : "") +
                (rec ? rec->fields[i].name + ": " : std::string()) +
                a.second[i];
      out.push_back({v, text + (rec ? "}" : ")")});
    }
    return out;
  }
  default:
    throw NotSupported("state of a type other than bool, a range, an option, "
                       "a record or a tuple of those");
  }
}

PV Ctx::defaultValue(const ir::Type &type) {
  switch (type.kind) {
  case ir::TypeKind::Bool:
    return PV::scalar(ff);
  case ir::TypeKind::Int:
    return PV::scalar(mkInt(0));
  case ir::TypeKind::Range:
    requireConcrete(type);
    return PV::scalar(mkInt(type.lo));
  case ir::TypeKind::Option: {
    PV v = PV::of(PV::K::Opt, ff);
    v.sub = {defaultValue(*type.args.at(0))};
    return v;
  }
  case ir::TypeKind::Tuple:
  case ir::TypeKind::Record: {
    PV v;
    v.k = PV::K::Tuple;
    if (type.kind == ir::TypeKind::Record)
      for (const auto &f : prog.records.at(type.record).fields)
        v.sub.push_back(defaultValue(*f.type));
    else
      for (const auto &a : type.args)
        v.sub.push_back(defaultValue(*a));
    return v;
  }
  case ir::TypeKind::Principal:
    return PV::of(PV::K::Elem, elemOf(0));
  case ir::TypeKind::Set:
    if (type.args.at(0)->kind == ir::TypeKind::Principal)
      return PV::of(PV::K::PSet, emptySet);
    return PV::of(PV::K::VSet, Term());
  default:
    throw NotSupported("values of a sequence or map type");
  }
}

PV Ctx::ite(const Term &c, const PV &a, const PV &b) {
  if (c.isBooleanValue())
    return c.getBooleanValue() ? a : b;
  if (a.k != b.k)
    throw NotSupported("a conditional over values of different shapes");
  PV r;
  r.k = a.k;
  switch (a.k) {
  case PV::K::Scalar:
  case PV::K::Elem:
  case PV::K::PSet:
    r.t = mkIte(c, a.t, b.t);
    return r;
  case PV::K::Opt:
    r.t = mkIte(c, a.t, b.t);
    r.sub = {ite(c, a.sub[0], b.sub[0])};
    return r;
  case PV::K::Tuple:
    for (size_t i = 0; i < a.sub.size(); ++i)
      r.sub.push_back(ite(c, a.sub[i], b.sub[i]));
    return r;
  case PV::K::VSet:
    for (const auto &[g, x] : a.items)
      r.items.push_back({mkAnd({c, g}), x});
    for (const auto &[g, x] : b.items)
      r.items.push_back({mkAnd({mkNot(c), g}), x});
    return r;
  case PV::K::Mbox:
    if (a.mbox == b.mbox)
      return a;
    throw NotSupported("a conditional between two mailboxes");
  }
  return r;
}

Term Ctx::eq(const PV &a, const PV &b) {
  if (a.k != b.k)
    throw NotSupported("comparing values of different shapes");
  switch (a.k) {
  case PV::K::Scalar:
  case PV::K::Elem:
  case PV::K::PSet:
    return mkEq(a.t, b.t);
  case PV::K::Opt:
    return mkAnd({mkEq(a.t, b.t), mkImplies(a.t, eq(a.sub[0], b.sub[0]))});
  case PV::K::Tuple: {
    std::vector<Term> parts;
    for (size_t i = 0; i < a.sub.size(); ++i)
      parts.push_back(eq(a.sub[i], b.sub[i]));
    return mkAnd(parts);
  }
  case PV::K::VSet: {
    std::vector<Term> parts;
    auto within = [&](const PV &x, const PV &y) {
      for (const auto &[g, item] : x.items) {
        std::vector<Term> alts;
        for (const auto &[h, other] : y.items)
          alts.push_back(mkAnd({h, eq(item, other)}));
        parts.push_back(mkImplies(g, mkOr(alts)));
      }
    };
    within(a, b);
    within(b, a);
    return mkAnd(parts);
  }
  case PV::K::Mbox:
    break;
  }
  throw NotSupported("comparing mailboxes");
}

Term Ctx::typeOk(const ir::Type &type, const PV &v) {
  switch (type.kind) {
  case ir::TypeKind::Range:
    requireConcrete(type);
    // A step that leaves an `int model` range is outside the model, so
    // outside the proof: the range holds by hypothesis.
    if (type.model)
      return tt;
    return mkAnd({mk(Kind::LEQ, {mkInt(type.lo), v.t}),
                  mk(Kind::LEQ, {v.t, mkInt(type.hi)})});
  case ir::TypeKind::Option:
    return mkImplies(v.t, typeOk(*type.args.at(0), v.sub.at(0)));
  case ir::TypeKind::Tuple:
  case ir::TypeKind::Record: {
    std::vector<Term> parts;
    for (size_t i = 0; i < v.sub.size(); ++i)
      parts.push_back(typeOk(type.kind == ir::TypeKind::Record
                                 ? *prog.records.at(type.record).fields[i].type
                                 : *type.args[i],
                             v.sub[i]));
    return mkAnd(parts);
  }
  default:
    return tt;
  }
}

PV Ctx::decode(const Term &elem, int var, const std::vector<Term> &cells) {
  const auto &dom = varDomains.at(var);
  PV acc = dom.back().v;
  for (size_t i = dom.size() - 1; i-- > 0;)
    acc = ite(member(elem, cells[i]), dom[i].v, acc);
  return acc;
}

std::vector<Term> Ctx::freshCells(int var, const std::string &tag, bool cover) {
  const auto &name = role.vars.at(var).name;
  std::vector<Term> cells;
  for (const auto &d : varDomains.at(var))
    cells.push_back(freshSet(fmt::format("{}={}{}", name, d.text, tag)));
  Term u = emptySet;
  for (size_t i = 0; i < cells.size(); ++i) {
    for (size_t j = 0; j < i; ++j)
      hyps.push_back(isEmpty(inter(cells[i], cells[j])));
    u = unite(u, cells[i]);
  }
  if (cover) {
    hyps.push_back(mkEq(u, all));
    for (size_t i = 0; i < cells.size(); ++i) {
      Term rest = emptySet;
      for (size_t j = 0; j < cells.size(); ++j)
        if (j != i)
          rest = unite(rest, cells[j]);
      complement[cells[i]] = rest;
    }
  }
  ++partitions_;
  for (size_t i = 0; i < cells.size(); ++i)
    cellOf[cells[i]] = {partitions_, i};
  partitionCells_[partitions_] = cells;
  if (cover)
    covered_.insert(partitions_);
  return cells;
}

Term Ctx::affine(const Affine &a) {
  std::vector<Term> parts;
  if (a.c0 != 0 || a.constant())
    parts.push_back(mkInt(a.c0));
  for (size_t i = 0; i < a.coef.size(); ++i)
    if (a.coef[i] == 1)
      parts.push_back(params.at(i));
    else if (a.coef[i] != 0)
      parts.push_back(mk(Kind::MULT, {mkInt(a.coef[i]), params.at(i)}));
  return parts.size() == 1 ? parts[0] : mk(Kind::ADD, parts);
}

namespace {

// The affine form of a literal that depends on the symbolic parameters; null
// for one that does not.
const AffineOrWhy *literalOf(const SymbolicParams &sp, const ir::Expr &e) {
  auto it = sp.literals.find(&e);
  if (it == sp.literals.end())
    return nullptr;
  if (!it->second.affine)
    throw NotSupported(it->second.why);
  return &it->second;
}

} // namespace

Term Ctx::intLit(const ir::Expr &e) {
  if (const AffineOrWhy *a = literalOf(symParams, e))
    return affine(*a->affine);
  return mkInt(e.intVal);
}

Term Ctx::principalLit(const ir::Expr &e) {
  const AffineOrWhy *a = literalOf(symParams, e);
  if (!a)
    return elemOf(static_cast<int>(e.intVal));
  if (a->affine->constant())
    return elemOf(set.first + static_cast<int>(a->affine->c0));
  return indexedElem(affine(*a->affine));
}

Term Ctx::boolLit(const ir::Expr &e) {
  literalOf(symParams, e); // none is supported
  return e.intVal ? tt : ff;
}

void Ctx::requireConcrete(const ir::Type &type) {
  if (symParams.symbolicRange(type))
    throw NotSupported("a range type whose bounds depend on the symbolic "
                       "parameters");
}

// P[i] and P[j] (indices i, j) are one principal exactly when i = j, as
// long as both indices lie in 0..|All|-1 (a constant index names a
// principal the query already has).
void Ctx::sameIffSameIndex(const Term &i, const Term &e, const Term &j,
                           const Term &f) {
  auto inRange = [&](const Term &k) {
    if (k.isIntegerValue())
      return tt;
    return mkAnd({mk(Kind::GEQ, {k, mkInt(0)}), mk(Kind::LT, {k, size})});
  };
  hyps.push_back(mkImplies(mkEq(i, j), mkEq(e, f)));
  hyps.push_back(mkImplies(mkAnd({inRange(i), inRange(j), mkNot(mkEq(i, j))}),
                           mkNot(mkEq(e, f))));
}

Term Ctx::indexedElem(const Term &i) {
  if (!isBinderFree(i))
    throw NotSupported("a principal index that depends on a bound principal");
  for (const auto &[j, e] : indexed_)
    if (j == i)
      return e;
  Term e = freshElem("P[" + i.toString() + "]");
  named.push_back({e, "P[" + i.toString() + "]"});
  hyps.push_back(member(e, all));
  inAll.insert(e);
  for (const auto &[j, f] : indexed_)
    sameIffSameIndex(i, e, j, f);
  for (size_t k = 0; k < constElems.size(); ++k)
    sameIffSameIndex(i, e, mkInt(static_cast<int64_t>(k)), constElems[k]);
  indexed_.push_back({i, e});
  return e;
}

Term Ctx::elemOf(int principal) {
  int k = principal - set.first;
  if (k < 0 || k >= set.size)
    throw NotSupported("a principal outside the role's principal set");
  while (static_cast<int>(constElems.size()) <= k) {
    int i = static_cast<int>(constElems.size());
    std::string name = set.name + std::to_string(i);
    Term e = slv.mkConst(proc, name);
    hyps.push_back(member(e, all));
    inAll.insert(e);
    for (const auto &o : constElems)
      hyps.push_back(mkNot(mkEq(e, o)));
    for (const auto &[j, f] : indexed_)
      sameIffSameIndex(j, f, mkInt(i), e);
    constElems.push_back(e);
    named.push_back({e, name});
  }
  return constElems[k];
}

std::string Ctx::valueText(const ir::Type &type, const PV &v,
                           const std::function<Term(const Term &)> &value) {
  switch (v.k) {
  case PV::K::Scalar: {
    Term x = value(v.t);
    if (x.isBooleanValue())
      return x.getBooleanValue() ? "true" : "false";
    return x.toString();
  }
  case PV::K::Opt:
    if (!value(v.t).getBooleanValue())
      return "none";
    return "some(" + valueText(*type.args.at(0), v.sub[0], value) + ")";
  case PV::K::Tuple: {
    const ir::RecordDecl *rec = type.kind == ir::TypeKind::Record
                                    ? &prog.records.at(type.record)
                                    : nullptr;
    std::string out = rec ? rec->name + "{" : "(";
    for (size_t i = 0; i < v.sub.size(); ++i)
      out += (i ? ", " : "") +
             (rec ? rec->fields[i].name + ": " +
                        valueText(*rec->fields[i].type, v.sub[i], value)
                  : valueText(*type.args.at(i), v.sub[i], value));
    return out + (rec ? "}" : ")");
  }
  default:
    return value(v.t).toString();
  }
}

} // namespace mommie::proofs::param
