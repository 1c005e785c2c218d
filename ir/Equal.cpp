// Structural equality and hashing (see Equal.h). Which scalar fields of an
// Expr take part is ExprKinds.def's Fields column, so a new kind or field is
// compared and hashed by editing that table only.
#include "ir/Equal.h"

#include <functional>

namespace mommie::ir {

namespace {

void mix(size_t &h, size_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
}

template <class T> size_t hashOf(const T &v) { return std::hash<T>()(v); }

bool uses(const Expr &e, unsigned field) {
  return (exprKindInfo(e.kind).fields & field) != 0;
}

bool equalParty(const PartyPattern &a, const PartyPattern &b) {
  return a.kind == b.kind &&
         (a.kind != PartyPattern::Kind::Contains || equal(a.expr, b.expr));
}

bool equalIssuer(const IssuerPattern &a, const IssuerPattern &b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case IssuerPattern::Kind::Any:
    return true;
  case IssuerPattern::Kind::Exact:
    return equal(a.expr, b.expr);
  case IssuerPattern::Kind::Bind:
    return a.set == b.set && a.slot == b.slot;
  case IssuerPattern::Kind::Quorum:
    return a.set == b.set && a.slot == b.slot && a.exact == b.exact &&
           equal(a.threshold, b.threshold);
  }
  return false;
}

// Equal sizes and equal elements, in order (ExprPtrs or TypeRefs).
template <class T>
bool equalEach(const std::vector<T> &a, const std::vector<T> &b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal(a[i], b[i]))
      return false;
  return true;
}

size_t hashPtr(const ExprPtr &e) { return e ? hash(*e) : 0x51ed27; }
size_t hashPtr(const TypeRef &t) { return t ? hash(*t) : 0x7e11a; }

} // namespace

bool equal(const ExprPtr &a, const ExprPtr &b) {
  if (!a || !b)
    return !a && !b;
  return a == b || equal(*a, *b);
}

bool equal(const TypeRef &a, const TypeRef &b) {
  if (!a || !b)
    return !a && !b;
  return a == b || equal(*a, *b);
}

// Besides kind and arguments, a range type has bounds (and their symbolic
// forms), a principal type its set, a record type its record.
bool equal(const Type &a, const Type &b) {
  if (a.kind != b.kind)
    return false;
  if (a.kind == TypeKind::Range &&
      (a.model != b.model || a.lo != b.lo || a.hi != b.hi ||
       !equal(a.symLo, b.symLo) || !equal(a.symHi, b.symHi)))
    return false;
  if (a.kind == TypeKind::Principal && a.principalSet != b.principalSet)
    return false;
  if (a.kind == TypeKind::Record && a.record != b.record)
    return false;
  return equalEach(a.args, b.args);
}

size_t hash(const Type &t) {
  size_t h = hashOf(int(t.kind));
  if (t.kind == TypeKind::Range) {
    mix(h, hashOf(t.model));
    mix(h, hashOf(t.lo));
    mix(h, hashOf(t.hi));
    if (t.symLo)
      mix(h, hash(*t.symLo));
    if (t.symHi)
      mix(h, hash(*t.symHi));
  }
  if (t.kind == TypeKind::Principal)
    mix(h, hashOf(t.principalSet));
  if (t.kind == TypeKind::Record)
    mix(h, hashOf(t.record));
  for (const auto &a : t.args)
    mix(h, hashPtr(a));
  return h;
}

bool equal(const Pattern &a, const Pattern &b) {
  if (a.record != b.record || a.slot != b.slot ||
      a.statementSet != b.statementSet || !equalIssuer(a.issuer, b.issuer) ||
      !equalParty(a.verifier, b.verifier) ||
      !equalParty(a.auditor, b.auditor) ||
      a.constraints.size() != b.constraints.size())
    return false;
  for (size_t i = 0; i < a.constraints.size(); ++i) {
    const auto &x = a.constraints[i], &y = b.constraints[i];
    if (x.field != y.field || x.op != y.op || !equal(x.expr, y.expr))
      return false;
  }
  return true;
}

size_t hash(const Pattern &p) {
  size_t h = hashOf(p.record);
  mix(h, hashOf(p.slot));
  mix(h, hashOf(int(p.issuer.kind)));
  mix(h, hashOf(int(p.verifier.kind)));
  mix(h, hashOf(int(p.auditor.kind)));
  mix(h, hashOf(p.statementSet));
  for (const auto &c : p.constraints) {
    mix(h, hashOf(c.field));
    mix(h, hashOf(int(c.op)));
  }
  // The parts' expressions that equal() compares, selected by kind.
  if (p.issuer.kind == IssuerPattern::Kind::Exact)
    mix(h, hashPtr(p.issuer.expr));
  if (p.issuer.kind == IssuerPattern::Kind::Quorum)
    mix(h, hashPtr(p.issuer.threshold));
  if (p.verifier.kind == PartyPattern::Kind::Contains)
    mix(h, hashPtr(p.verifier.expr));
  if (p.auditor.kind == PartyPattern::Kind::Contains)
    mix(h, hashPtr(p.auditor.expr));
  for (const auto &c : p.constraints)
    mix(h, hashPtr(c.expr));
  return h;
}

bool equal(const Expr &a, const Expr &b) {
  if (a.kind != b.kind || !equal(a.type, b.type))
    return false;
  if ((uses(a, ExprField::IntVal) && a.intVal != b.intVal) ||
      (uses(a, ExprField::Op) && a.op != b.op) ||
      (uses(a, ExprField::Builtin) && a.builtin != b.builtin) ||
      (uses(a, ExprField::Slot) && a.slot != b.slot) ||
      (uses(a, ExprField::Role) && a.role != b.role) ||
      (uses(a, ExprField::Var) && a.var != b.var) ||
      (uses(a, ExprField::Index) && a.index != b.index) ||
      (uses(a, ExprField::Sym) && !equal(a.sym, b.sym)))
    return false;
  if (uses(a, ExprField::Pattern)) {
    if (!a.pattern || !b.pattern) {
      if (a.pattern || b.pattern)
        return false;
    } else if (a.pattern != b.pattern && !equal(*a.pattern, *b.pattern)) {
      return false;
    }
  }
  return equalEach(a.args, b.args);
}

size_t hash(const Expr &e) {
  size_t h = hashOf(int(e.kind));
  mix(h, hashPtr(e.type));
  if (uses(e, ExprField::IntVal))
    mix(h, hashOf(e.intVal));
  if (uses(e, ExprField::Op))
    mix(h, hashOf(int(e.op)));
  if (uses(e, ExprField::Builtin))
    mix(h, hashOf(int(e.builtin)));
  if (uses(e, ExprField::Slot))
    mix(h, hashOf(e.slot));
  if (uses(e, ExprField::Role))
    mix(h, hashOf(e.role));
  if (uses(e, ExprField::Var))
    mix(h, hashOf(e.var));
  if (uses(e, ExprField::Index))
    mix(h, hashOf(e.index));
  if (uses(e, ExprField::Sym) && e.sym)
    mix(h, hash(*e.sym));
  if (uses(e, ExprField::Pattern) && e.pattern)
    mix(h, hash(*e.pattern));
  for (const auto &a : e.args)
    mix(h, hashPtr(a));
  return h;
}

} // namespace mommie::ir
