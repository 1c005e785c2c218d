// Symbolic value operations for the bounded encoding (see SymValue.h).
#include "proofs/SymValue.h"

#include <set>

namespace mommie::proofs {

using ir::Type;
using ir::TypeKind;

static bool isScalarKind(TypeKind k) {
  return k == TypeKind::Bool || k == TypeKind::Int || k == TypeKind::Range ||
         k == TypeKind::Principal;
}

Term ValueOps::eq(const SVal &a, const SVal &b) {
  switch (a.kind) {
  case SVal::Kind::Scalar:
    if (b.kind != SVal::Kind::Scalar || a.t->isBool != b.t->isBool)
      throw Unsupported("ill-typed comparison");
    return s.mkEq(a.t, b.t);
  case SVal::Kind::Tuple: {
    std::vector<Term> cs;
    for (size_t i = 0; i < a.elems.size() && i < b.elems.size(); ++i)
      cs.push_back(eq(a.elems[i], b.elems[i]));
    return s.mkAnd(cs);
  }
  case SVal::Kind::Option:
    return s.mkAnd(s.mkEq(a.t, b.t),
                   s.mkImplies(a.t, eq(a.elems[0], b.elems[0])));
  case SVal::Kind::Set:
    return s.mkAnd(subset(a, b), subset(b, a));
  case SVal::Kind::Seq: {
    std::vector<Term> cs{s.mkEq(a.t, b.t)};
    for (size_t i = 0; i < a.items.size() && i < b.items.size(); ++i)
      cs.push_back(s.mkImplies(s.mkLt(s.intConst(int64_t(i)), a.t),
                               eq(a.items[i], b.items[i])));
    return s.mkAnd(cs);
  }
  case SVal::Kind::Map: {
    std::vector<Term> cs;
    auto covered = [&](const SVal &x, const SVal &y) {
      for (size_t i = 0; i < x.items.size(); ++i) {
        std::vector<Term> match;
        for (size_t j = 0; j < y.items.size(); ++j)
          match.push_back(s.mkAnd(y.guards[j], eq(y.items[j], x.items[i])));
        cs.push_back(s.mkImplies(x.guards[i], s.mkOr(match)));
      }
    };
    covered(a, b);
    covered(b, a);
    // Values agree on every key of a (first present entry of each side).
    for (size_t i = 0; i < a.items.size(); ++i) {
      SVal va = a.vals[i];
      // b's value at a's key: first present match.
      if (b.items.empty())
        continue;
      SVal vb = b.vals.back();
      for (size_t j = b.items.size(); j-- > 0;)
        vb = ite(s.mkAnd(b.guards[j], eq(b.items[j], a.items[i])), b.vals[j],
                 vb);
      // Only the first present entry of a for this key counts.
      std::vector<Term> earlier;
      for (size_t k = 0; k < i; ++k)
        earlier.push_back(s.mkAnd(a.guards[k], eq(a.items[k], a.items[i])));
      cs.push_back(s.mkImplies(s.mkAnd(a.guards[i], s.mkNot(s.mkOr(earlier))),
                               eq(va, vb)));
    }
    return s.mkAnd(cs);
  }
  }
  return s.boolConst(false);
}

bool ValueOps::identical(const SVal &a, const SVal &b) const {
  if (a.kind != b.kind || a.t != b.t || a.elems.size() != b.elems.size() ||
      a.guards.size() != b.guards.size() || a.items.size() != b.items.size() ||
      a.vals.size() != b.vals.size())
    return false;
  for (size_t i = 0; i < a.elems.size(); ++i)
    if (!identical(a.elems[i], b.elems[i]))
      return false;
  for (size_t i = 0; i < a.items.size(); ++i)
    if (!identical(a.items[i], b.items[i]))
      return false;
  for (size_t i = 0; i < a.vals.size(); ++i)
    if (!identical(a.vals[i], b.vals[i]))
      return false;
  return true;
}

SVal ValueOps::ite(Term c, const SVal &a, const SVal &b) {
  if (s.isTrue(c))
    return a;
  if (s.isFalse(c))
    return b;
  SVal r;
  r.kind = a.kind;
  switch (a.kind) {
  case SVal::Kind::Scalar:
    r.t = s.mkIte(c, a.t, b.t);
    return r;
  case SVal::Kind::Tuple:
    for (size_t i = 0; i < a.elems.size(); ++i)
      r.elems.push_back(ite(c, a.elems[i], b.elems[i]));
    return r;
  case SVal::Kind::Option:
    r.t = s.mkIte(c, a.t, b.t);
    r.elems.push_back(ite(c, a.elems[0], b.elems[0]));
    return r;
  case SVal::Kind::Seq: // both hold seqBound positions
    r.t = s.mkIte(c, a.t, b.t);
    for (size_t i = 0; i < a.items.size(); ++i)
      r.items.push_back(ite(c, a.items[i], b.items.at(i)));
    return r;
  case SVal::Kind::Set:
  case SVal::Kind::Map: {
    bool sameKeys = a.items.size() == b.items.size();
    for (size_t i = 0; sameKeys && i < a.items.size(); ++i)
      sameKeys = identical(a.items[i], b.items[i]);
    if (sameKeys) {
      r.items = a.items;
      for (size_t i = 0; i < a.items.size(); ++i) {
        r.guards.push_back(s.mkIte(c, a.guards[i], b.guards[i]));
        if (a.kind == SVal::Kind::Map)
          r.vals.push_back(ite(c, a.vals[i], b.vals[i]));
      }
      return r;
    }
    Term nc = s.mkNot(c);
    for (size_t i = 0; i < a.items.size(); ++i) {
      r.guards.push_back(s.mkAnd(c, a.guards[i]));
      r.items.push_back(a.items[i]);
      if (a.kind == SVal::Kind::Map)
        r.vals.push_back(a.vals[i]);
    }
    for (size_t i = 0; i < b.items.size(); ++i) {
      r.guards.push_back(s.mkAnd(nc, b.guards[i]));
      r.items.push_back(b.items[i]);
      if (b.kind == SVal::Kind::Map)
        r.vals.push_back(b.vals[i]);
    }
    return r;
  }
  }
  return r;
}

Term ValueOps::member(const SVal &set, const SVal &x) {
  std::vector<Term> cs;
  for (size_t i = 0; i < set.items.size(); ++i)
    cs.push_back(s.mkAnd(set.guards[i], eq(set.items[i], x)));
  return s.mkOr(cs);
}

Term ValueOps::subset(const SVal &a, const SVal &b) {
  std::vector<Term> cs;
  for (size_t i = 0; i < a.items.size(); ++i)
    cs.push_back(s.mkImplies(a.guards[i], member(b, a.items[i])));
  return s.mkAnd(cs);
}

Term ValueOps::card(const SVal &set) {
  std::vector<Term> parts;
  for (size_t i = 0; i < set.items.size(); ++i) {
    std::vector<Term> fresh{set.guards[i]};
    for (size_t j = 0; j < i; ++j)
      fresh.push_back(
          s.mkNot(s.mkAnd(set.guards[j], eq(set.items[j], set.items[i]))));
    parts.push_back(s.boolToInt(s.mkAnd(fresh)));
  }
  return s.mkAdd(parts);
}

SVal ValueOps::lookup(const SVal &map, const SVal &key, const Type &valType) {
  // Outside the domain the result is unspecified: any value of the type.
  SVal r = defaultValue(valType);
  for (size_t i = map.items.size(); i-- > 0;)
    r = ite(s.mkAnd(map.guards[i], eq(map.items[i], key)), map.vals[i], r);
  return r;
}

Term ValueOps::inDom(const SVal &map, const SVal &key) {
  return member(map, key);
}

SVal ValueOps::dom(const SVal &map) {
  SVal r;
  r.kind = SVal::Kind::Set;
  r.guards = map.guards;
  r.items = map.items;
  return r;
}

SVal ValueOps::setUnion(const SVal &a, const SVal &b) {
  SVal r = a;
  r.guards.insert(r.guards.end(), b.guards.begin(), b.guards.end());
  r.items.insert(r.items.end(), b.items.begin(), b.items.end());
  return r;
}

SVal ValueOps::setInter(const SVal &a, const SVal &b) {
  SVal r = a;
  for (size_t i = 0; i < r.items.size(); ++i)
    r.guards[i] = s.mkAnd(r.guards[i], member(b, r.items[i]));
  return r;
}

SVal ValueOps::setDiff(const SVal &a, const SVal &b) {
  SVal r = a;
  for (size_t i = 0; i < r.items.size(); ++i)
    r.guards[i] = s.mkAnd(r.guards[i], s.mkNot(member(b, r.items[i])));
  return r;
}

bool ValueOps::finite(const Type &t) {
  switch (t.kind) {
  case TypeKind::Bool:
  case TypeKind::Range:
  case TypeKind::Principal:
    return true;
  case TypeKind::Int:
  case TypeKind::Seq:
    return false;
  case TypeKind::Record:
    for (const auto &f : prog.records.at(t.record).fields)
      if (!finite(*f.type))
        return false;
    return true;
  case TypeKind::Set:
  case TypeKind::Option:
    return finite(*t.args[0]);
  case TypeKind::Map:
    return finite(*t.args[0]) && finite(*t.args[1]);
  case TypeKind::Tuple:
    for (const auto &a : t.args)
      if (!finite(*a))
        return false;
    return true;
  }
  return false;
}

static std::pair<int, int> principalRange(const ir::Program &prog,
                                          const Type &t) {
  if (t.principalSet >= 0 &&
      t.principalSet < static_cast<int>(prog.principalSets.size())) {
    const auto &ps = prog.principalSets[t.principalSet];
    return {ps.first, ps.first + ps.size};
  }
  return {0, prog.numPrincipals};
}

std::vector<SVal> ValueOps::domain(const Type &t, size_t limit) {
  std::vector<SVal> out;
  auto product = [&](const std::vector<const Type *> &parts) {
    std::vector<SVal> acc(1);
    acc[0].kind = SVal::Kind::Tuple;
    for (const Type *p : parts) {
      auto d = domain(*p, limit);
      if (acc.size() * d.size() > limit)
        throw Unsupported("finite domain too large to enumerate");
      std::vector<SVal> next;
      for (const auto &a : acc)
        for (const auto &x : d) {
          SVal n = a;
          n.elems.push_back(x);
          next.push_back(std::move(n));
        }
      acc = std::move(next);
    }
    return acc;
  };
  switch (t.kind) {
  case TypeKind::Bool:
    return {SVal::scalar(s.boolConst(false)), SVal::scalar(s.boolConst(true))};
  case TypeKind::Range:
    if (t.hi >= t.lo && static_cast<uint64_t>(t.hi - t.lo) >= limit)
      throw Unsupported("range too large to enumerate");
    for (int64_t v = t.lo; v <= t.hi; ++v)
      out.push_back(SVal::scalar(s.intConst(v)));
    return out;
  case TypeKind::Principal: {
    auto [lo, hi] = principalRange(prog, t);
    for (int v = lo; v < hi; ++v)
      out.push_back(SVal::scalar(s.intConst(v)));
    return out;
  }
  case TypeKind::Record: {
    std::vector<const Type *> parts;
    for (const auto &f : prog.records.at(t.record).fields)
      parts.push_back(f.type.get());
    return product(parts);
  }
  case TypeKind::Tuple: {
    std::vector<const Type *> parts;
    for (const auto &a : t.args)
      parts.push_back(a.get());
    return product(parts);
  }
  case TypeKind::Option: {
    SVal none;
    none.kind = SVal::Kind::Option;
    none.t = s.boolConst(false);
    none.elems.push_back(defaultValue(*t.args[0]));
    out.push_back(none);
    for (auto &x : domain(*t.args[0], limit)) {
      SVal v;
      v.kind = SVal::Kind::Option;
      v.t = s.boolConst(true);
      v.elems.push_back(std::move(x));
      out.push_back(std::move(v));
    }
    return out;
  }
  default:
    throw Unsupported("cannot enumerate the values of a set, map, sequence "
                      "or unbounded int type");
  }
}

SVal ValueOps::defaultValue(const Type &t) {
  SVal v;
  switch (t.kind) {
  case TypeKind::Bool:
    return SVal::scalar(s.boolConst(false));
  case TypeKind::Int:
    return SVal::scalar(s.intConst(0));
  case TypeKind::Range:
    return SVal::scalar(s.intConst(t.lo));
  case TypeKind::Principal:
    return SVal::scalar(s.intConst(principalRange(prog, t).first));
  case TypeKind::Record:
    v.kind = SVal::Kind::Tuple;
    for (const auto &f : prog.records.at(t.record).fields)
      v.elems.push_back(defaultValue(*f.type));
    return v;
  case TypeKind::Tuple:
    v.kind = SVal::Kind::Tuple;
    for (const auto &a : t.args)
      v.elems.push_back(defaultValue(*a));
    return v;
  case TypeKind::Option:
    v.kind = SVal::Kind::Option;
    v.t = s.boolConst(false);
    v.elems.push_back(defaultValue(*t.args[0]));
    return v;
  case TypeKind::Set:
    v.kind = SVal::Kind::Set;
    return v;
  case TypeKind::Map:
    v.kind = SVal::Kind::Map;
    return v;
  case TypeKind::Seq:
    return seqOf(*t.args[0], {});
  }
  return v;
}

SVal ValueOps::fresh(const Type &t, const std::string &name,
                     std::vector<Term> &constraints) {
  SVal v;
  switch (t.kind) {
  case TypeKind::Bool:
    return SVal::scalar(s.freshBool(name));
  case TypeKind::Int:
  case TypeKind::Range:
  case TypeKind::Principal:
    v = SVal::scalar(s.freshInt(name));
    constraints.push_back(typeOk(t, v));
    return v;
  case TypeKind::Record: {
    v.kind = SVal::Kind::Tuple;
    const auto &rec = prog.records.at(t.record);
    for (const auto &f : rec.fields)
      v.elems.push_back(fresh(*f.type, name + "." + f.name, constraints));
    return v;
  }
  case TypeKind::Tuple:
    v.kind = SVal::Kind::Tuple;
    for (size_t i = 0; i < t.args.size(); ++i)
      v.elems.push_back(
          fresh(*t.args[i], name + "." + std::to_string(i), constraints));
    return v;
  case TypeKind::Option:
    v.kind = SVal::Kind::Option;
    v.t = s.freshBool(name + "?");
    v.elems.push_back(fresh(*t.args[0], name + "!", constraints));
    return v;
  case TypeKind::Set: {
    v.kind = SVal::Kind::Set;
    auto d = domain(*t.args[0]);
    for (size_t i = 0; i < d.size(); ++i) {
      v.guards.push_back(s.freshBool(name + "{" + std::to_string(i) + "}"));
      v.items.push_back(d[i]);
    }
    return v;
  }
  case TypeKind::Map: {
    v.kind = SVal::Kind::Map;
    auto d = domain(*t.args[0]);
    for (size_t i = 0; i < d.size(); ++i) {
      std::string n = name + "[" + std::to_string(i) + "]";
      v.guards.push_back(s.freshBool(n + "?"));
      v.items.push_back(d[i]);
      v.vals.push_back(fresh(*t.args[1], n, constraints));
    }
    return v;
  }
  case TypeKind::Seq: {
    v.kind = SVal::Kind::Seq;
    v.t = s.freshInt(name + ".len");
    constraints.push_back(s.mkAnd(s.mkLe(s.intConst(0), v.t),
                                  s.mkLe(v.t, s.intConst(int64_t(seqBound)))));
    for (size_t i = 0; i < seqBound; ++i)
      v.items.push_back(
          fresh(*t.args[0], name + "<" + std::to_string(i) + ">", constraints));
    return v;
  }
  }
  return v;
}

SVal ValueOps::canon(const Type &t, const SVal &v) {
  if (isScalarKind(t.kind))
    return v;
  SVal r;
  r.kind = v.kind;
  switch (t.kind) {
  case TypeKind::Record: {
    const auto &rec = prog.records.at(t.record);
    for (size_t i = 0; i < rec.fields.size(); ++i)
      r.elems.push_back(canon(*rec.fields[i].type, v.elems.at(i)));
    return r;
  }
  case TypeKind::Tuple:
    for (size_t i = 0; i < t.args.size(); ++i)
      r.elems.push_back(canon(*t.args[i], v.elems.at(i)));
    return r;
  case TypeKind::Option:
    r.t = v.t;
    r.elems.push_back(canon(*t.args[0], v.elems.at(0)));
    return r;
  case TypeKind::Set:
    if (!finite(*t.args[0]))
      return v;
    for (auto &d : domain(*t.args[0])) {
      r.guards.push_back(member(v, d));
      r.items.push_back(d);
    }
    return r;
  case TypeKind::Map:
    if (!finite(*t.args[0]))
      return v;
    for (auto &d : domain(*t.args[0])) {
      r.guards.push_back(inDom(v, d));
      r.vals.push_back(canon(*t.args[1], lookup(v, d, *t.args[1])));
      r.items.push_back(d);
    }
    return r;
  case TypeKind::Seq: {
    // The positions past the length hold the default, so that equal
    // sequences are equal term-wise.
    r.t = v.t;
    SVal unused = defaultValue(*t.args[0]);
    for (size_t i = 0; i < v.items.size(); ++i)
      r.items.push_back(ite(s.mkLt(s.intConst(int64_t(i)), v.t),
                            canon(*t.args[0], v.items[i]), unused));
    return r;
  }
  default:
    return v;
  }
}

SVal ValueOps::seqOf(const Type &elem, const std::vector<SVal> &elems) {
  if (elems.size() > seqBound)
    throw Unsupported("a sequence literal of " + std::to_string(elems.size()) +
                      " elements, longer than --seq-bound " +
                      std::to_string(seqBound));
  SVal v;
  v.kind = SVal::Kind::Seq;
  v.t = s.intConst(int64_t(elems.size()));
  v.items = elems;
  while (v.items.size() < seqBound)
    v.items.push_back(defaultValue(elem));
  return v;
}

SVal ValueOps::append(const Type &elem, const SVal &seq, const SVal &x,
                      Term &beyond) {
  (void)elem;
  SVal r;
  r.kind = SVal::Kind::Seq;
  beyond = s.mkLe(s.intConst(int64_t(seqBound)), seq.t);
  r.t = s.mkIte(beyond, seq.t, s.mkAdd(seq.t, s.intConst(1)));
  for (size_t i = 0; i < seq.items.size(); ++i)
    r.items.push_back(
        ite(s.mkEq(seq.t, s.intConst(int64_t(i))), x, seq.items[i]));
  return r;
}

SVal ValueOps::head(const SVal &seq) { return seq.items.at(0); }

SVal ValueOps::tail(const Type &elem, const SVal &seq) {
  SVal r;
  r.kind = SVal::Kind::Seq;
  r.t = s.mkIte(s.mkLt(s.intConst(0), seq.t), s.mkSub(seq.t, s.intConst(1)),
                s.intConst(0));
  for (size_t i = 1; i < seq.items.size(); ++i)
    r.items.push_back(seq.items[i]);
  r.items.push_back(defaultValue(elem));
  return r;
}

SVal ValueOps::at(const Type &elem, const SVal &seq, Term index) {
  SVal r = defaultValue(elem);
  for (size_t i = seq.items.size(); i-- > 0;)
    r = ite(s.mkEq(index, s.intConst(int64_t(i))), seq.items[i], r);
  return r;
}

Term ValueOps::dropsModel(const Type &t, const SVal &v) {
  if (!prog.hasModelRange(t))
    return s.boolConst(false);
  std::vector<Term> cs;
  switch (t.kind) {
  case TypeKind::Record: {
    const auto &rec = prog.records.at(t.record);
    for (size_t i = 0; i < rec.fields.size(); ++i)
      cs.push_back(dropsModel(*rec.fields[i].type, v.elems.at(i)));
    return s.mkOr(cs);
  }
  case TypeKind::Tuple:
    for (size_t i = 0; i < t.args.size(); ++i)
      cs.push_back(dropsModel(*t.args[i], v.elems.at(i)));
    return s.mkOr(cs);
  case TypeKind::Option:
    return s.mkAnd(v.t, dropsModel(*t.args[0], v.elems.at(0)));
  case TypeKind::Set:
    if (!finite(*t.args[0]))
      return s.boolConst(false); // canon keeps such a set as it is
    for (size_t i = 0; i < v.items.size(); ++i)
      cs.push_back(s.mkAnd(
          v.guards[i], s.mkNot(typeOk(*t.args[0], v.items[i], Ranges::Model))));
    return s.mkOr(cs);
  case TypeKind::Map:
    if (!finite(*t.args[0]))
      return s.boolConst(false);
    for (size_t i = 0; i < v.items.size(); ++i)
      cs.push_back(
          s.mkAnd(v.guards[i],
                  s.mkOr(s.mkNot(typeOk(*t.args[0], v.items[i], Ranges::Model)),
                         dropsModel(*t.args[1], v.vals[i]))));
    return s.mkOr(cs);
  default:
    return s.boolConst(false); // a scalar is kept as it is
  }
}

Term ValueOps::typeOk(const Type &t, const SVal &v, Ranges which) {
  if (which == Ranges::Model && !prog.hasModelRange(t))
    return s.boolConst(true);
  switch (t.kind) {
  case TypeKind::Bool:
  case TypeKind::Int:
    return s.boolConst(true);
  case TypeKind::Range:
    if (which != Ranges::All && t.model != (which == Ranges::Model))
      return s.boolConst(true);
    return s.mkAnd(s.mkLe(s.intConst(t.lo), v.t),
                   s.mkLe(v.t, s.intConst(t.hi)));
  case TypeKind::Principal: {
    auto [lo, hi] = principalRange(prog, t);
    return s.mkAnd(s.mkLe(s.intConst(lo), v.t), s.mkLt(v.t, s.intConst(hi)));
  }
  case TypeKind::Record: {
    std::vector<Term> cs;
    const auto &rec = prog.records.at(t.record);
    for (size_t i = 0; i < rec.fields.size(); ++i)
      cs.push_back(typeOk(*rec.fields[i].type, v.elems.at(i), which));
    return s.mkAnd(cs);
  }
  case TypeKind::Tuple: {
    std::vector<Term> cs;
    for (size_t i = 0; i < t.args.size(); ++i)
      cs.push_back(typeOk(*t.args[i], v.elems.at(i), which));
    return s.mkAnd(cs);
  }
  case TypeKind::Option:
    return s.mkImplies(v.t, typeOk(*t.args[0], v.elems.at(0), which));
  case TypeKind::Set: {
    std::vector<Term> cs;
    for (size_t i = 0; i < v.items.size(); ++i)
      cs.push_back(
          s.mkImplies(v.guards[i], typeOk(*t.args[0], v.items[i], which)));
    return s.mkAnd(cs);
  }
  case TypeKind::Map: {
    std::vector<Term> cs;
    for (size_t i = 0; i < v.items.size(); ++i)
      cs.push_back(s.mkImplies(v.guards[i],
                               s.mkAnd(typeOk(*t.args[0], v.items[i], which),
                                       typeOk(*t.args[1], v.vals[i], which))));
    return s.mkAnd(cs);
  }
  case TypeKind::Seq: {
    std::vector<Term> cs;
    if (which != Ranges::Model)
      cs.push_back(s.mkAnd(s.mkLe(s.intConst(0), v.t),
                           s.mkLe(v.t, s.intConst(int64_t(seqBound)))));
    for (size_t i = 0; i < v.items.size(); ++i)
      cs.push_back(s.mkImplies(s.mkLt(s.intConst(int64_t(i)), v.t),
                               typeOk(*t.args[0], v.items[i], which)));
    return s.mkAnd(cs);
  }
  }
  return s.boolConst(true);
}

static std::string principalName(const ir::Program &prog, int64_t id) {
  for (const auto &ps : prog.principalSets)
    if (id >= ps.first && id < ps.first + ps.size)
      return ps.name + std::to_string(id - ps.first);
  return "principal#" + std::to_string(id);
}

namespace {

// The name of an integer, if it is a named constant of its place.
using NameOf = std::function<const std::string *(int64_t)>;

std::string show(const ir::Program &prog, const Type &t, const SVal &v,
                 const std::function<int64_t(Term)> &ev,
                 const ir::ConstantNames *names,
                 const NameOf &nameOf = nullptr) {
  switch (t.kind) {
  case TypeKind::Bool:
    return ev(v.t) ? "true" : "false";
  case TypeKind::Int:
  case TypeKind::Range: {
    int64_t x = ev(v.t);
    const std::string *name = nameOf ? nameOf(x) : nullptr;
    return name ? *name : std::to_string(x);
  }
  case TypeKind::Principal:
    return principalName(prog, ev(v.t));
  case TypeKind::Record: {
    const auto &rec = prog.records.at(t.record);
    std::string out = rec.name + "{";
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      NameOf field;
      if (names)
        field = [&, i](int64_t x) {
          return names->ofField(t.record, int(i), x);
        };
      out += (i ? ", " : "") + rec.fields[i].name + ": " +
             show(prog, *rec.fields[i].type, v.elems.at(i), ev, names, field);
    }
    return out + "}";
  }
  case TypeKind::Tuple: {
    std::string out = "(";
    for (size_t i = 0; i < t.args.size(); ++i)
      out += (i ? ", " : "") + show(prog, *t.args[i], v.elems.at(i), ev, names);
    return out + ")";
  }
  case TypeKind::Option:
    if (!ev(v.t))
      return "none";
    return "some(" + show(prog, *t.args[0], v.elems.at(0), ev, names) + ")";
  case TypeKind::Set: {
    std::set<std::string> seen;
    std::string out = "{";
    for (size_t i = 0; i < v.items.size(); ++i) {
      if (!ev(v.guards[i]))
        continue;
      std::string x = show(prog, *t.args[0], v.items[i], ev, names);
      if (!seen.insert(x).second)
        continue;
      out += (seen.size() > 1 ? ", " : "") + x;
    }
    return out + "}";
  }
  case TypeKind::Map: {
    std::set<std::string> seen;
    std::string out = "[";
    for (size_t i = 0; i < v.items.size(); ++i) {
      if (!ev(v.guards[i]))
        continue;
      std::string k = show(prog, *t.args[0], v.items[i], ev, names);
      if (!seen.insert(k).second)
        continue;
      out += (seen.size() > 1 ? ", " : "") + k + " |-> " +
             show(prog, *t.args[1], v.vals[i], ev, names);
    }
    return out + "]";
  }
  case TypeKind::Seq: {
    std::string out = "<<";
    int64_t len = ev(v.t);
    for (int64_t i = 0; i < len && size_t(i) < v.items.size(); ++i)
      out += (i ? ", " : "") +
             show(prog, *t.args[0], v.items[size_t(i)], ev, names);
    return out + ">>";
  }
  }
  return "?";
}

} // namespace

std::string showValue(const ir::Program &prog, const Type &t, const SVal &v,
                      const std::function<int64_t(Term)> &ev,
                      const ir::ConstantNames *names, int role, int var) {
  NameOf nameOf;
  if (names && role >= 0)
    nameOf = [&](int64_t x) { return names->ofVar(role, var, x); };
  return show(prog, t, v, ev, names, nameOf);
}

} // namespace mommie::proofs
