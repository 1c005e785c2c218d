// Type constructors, equality, assignability, joins and printing.
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

using ir::Type;
using ir::TypeKind;
using ir::TypeRef;

static TypeRef make(TypeKind k) {
  auto t = std::make_shared<Type>();
  t->kind = k;
  return t;
}

TypeRef boolType() {
  static TypeRef t = make(TypeKind::Bool);
  return t;
}
TypeRef intType() {
  static TypeRef t = make(TypeKind::Int);
  return t;
}
TypeRef rangeType(int64_t lo, int64_t hi, ir::ExprPtr symLo, ir::ExprPtr symHi,
                  bool model) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Range;
  t->lo = lo;
  t->hi = hi;
  t->model = model;
  // Both bounds symbolic, or neither.
  if (symLo || symHi) {
    t->symLo = symLo ? symLo : symbolicInt(lo);
    t->symHi = symHi ? symHi : symbolicInt(hi);
  }
  return t;
}

ir::ExprPtr symbolicInt(int64_t v) {
  auto e = std::make_shared<ir::Expr>();
  e->kind = ir::ExprKind::IntLit;
  e->type = intType();
  e->intVal = v;
  return e;
}
TypeRef principalType(int set) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Principal;
  t->principalSet = set;
  return t;
}
TypeRef recordType(int record) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Record;
  t->record = record;
  return t;
}
static TypeRef withArgs(TypeKind k, std::vector<TypeRef> args) {
  auto t = std::make_shared<Type>();
  t->kind = k;
  t->args = std::move(args);
  return t;
}
TypeRef setType(TypeRef e) { return withArgs(TypeKind::Set, {std::move(e)}); }
TypeRef mapType(TypeRef k, TypeRef v) {
  return withArgs(TypeKind::Map, {std::move(k), std::move(v)});
}
TypeRef optionType(TypeRef e) {
  return withArgs(TypeKind::Option, {std::move(e)});
}
TypeRef seqType(TypeRef e) { return withArgs(TypeKind::Seq, {std::move(e)}); }
TypeRef tupleType(std::vector<TypeRef> e) {
  return withArgs(TypeKind::Tuple, std::move(e));
}

bool isIntLike(const Type &t) {
  return t.kind == TypeKind::Int || t.kind == TypeKind::Range;
}
bool isPrincipal(const Type &t) { return t.kind == TypeKind::Principal; }
bool isBool(const Type &t) { return t.kind == TypeKind::Bool; }
bool isSetOf(const Type &t, bool (*pred)(const Type &)) {
  return t.kind == TypeKind::Set && t.args.size() == 1 && t.args[0] &&
         pred(*t.args[0]);
}
bool isPrincipalOrSet(const Type &t) {
  return isPrincipal(t) || isSetOf(t, isPrincipal);
}

static bool argsSame(const Type &a, const Type &b) {
  if (a.args.size() != b.args.size())
    return false;
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!a.args[i] || !b.args[i] || !sameType(*a.args[i], *b.args[i]))
      return false;
  }
  return true;
}

bool sameType(const Type &a, const Type &b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case TypeKind::Range:
    return a.lo == b.lo && a.hi == b.hi && a.model == b.model;
  case TypeKind::Principal:
    return a.principalSet == b.principalSet;
  case TypeKind::Record:
    return a.record == b.record;
  default:
    return argsSame(a, b);
  }
}

// Structural compatibility where integer-like and principal-like types are
// interchangeable.
bool assignable(const Type &from, const Type &to) {
  if (isIntLike(from) && isIntLike(to))
    return true;
  if (from.kind != to.kind)
    return false;
  switch (from.kind) {
  case TypeKind::Bool:
  case TypeKind::Principal:
    return true;
  case TypeKind::Record:
    return from.record == to.record;
  default:
    break;
  }
  if (from.args.size() != to.args.size())
    return false;
  for (size_t i = 0; i < from.args.size(); ++i)
    if (!from.args[i] || !to.args[i] || !assignable(*from.args[i], *to.args[i]))
      return false;
  return true;
}

bool comparable(const Type &a, const Type &b) { return assignable(a, b); }

TypeRef joinTypes(const TypeRef &a, const TypeRef &b) {
  if (!a || !b)
    return nullptr;
  if (a->kind == TypeKind::Range && b->kind == TypeKind::Range)
    return rangeType(std::min(a->lo, b->lo), std::max(a->hi, b->hi), nullptr,
                     nullptr, a->model || b->model);
  if (isIntLike(*a) && isIntLike(*b))
    return intType();
  if (a->kind != b->kind)
    return nullptr;
  switch (a->kind) {
  case TypeKind::Bool:
    return a;
  case TypeKind::Principal:
    return a->principalSet == b->principalSet ? a : principalType(-1);
  case TypeKind::Record:
    return a->record == b->record ? a : nullptr;
  default:
    break;
  }
  if (a->args.size() != b->args.size())
    return nullptr;
  std::vector<TypeRef> args;
  for (size_t i = 0; i < a->args.size(); ++i) {
    auto j = joinTypes(a->args[i], b->args[i]);
    if (!j)
      return nullptr;
    args.push_back(j);
  }
  return withArgs(a->kind, std::move(args));
}

static bool boundedRec(const Type &t,
                       const std::vector<ir::RecordDecl> &records, int depth) {
  if (depth > 32)
    return false;
  switch (t.kind) {
  case TypeKind::Bool:
  case TypeKind::Range:
  case TypeKind::Principal:
    return true;
  case TypeKind::Int:
  case TypeKind::Seq:
    return false;
  case TypeKind::Record: {
    if (t.record < 0 || t.record >= (int)records.size())
      return false;
    for (const auto &f : records[t.record].fields)
      if (!f.type || !boundedRec(*f.type, records, depth + 1))
        return false;
    return true;
  }
  default:
    for (const auto &a : t.args)
      if (!a || !boundedRec(*a, records, depth + 1))
        return false;
    return true;
  }
}

bool isBounded(const Type &t, const std::vector<ir::RecordDecl> &records) {
  return boundedRec(t, records, 0);
}

bool recordBounded(int record, const std::vector<ir::RecordDecl> &records,
                   std::string &field) {
  if (record < 0 || record >= (int)records.size())
    return true;
  for (const auto &f : records[record].fields) {
    if (!f.type || !isBounded(*f.type, records)) {
      field = f.name;
      return false;
    }
  }
  return true;
}

std::string typeName(const Type &t, const std::vector<ir::RecordDecl> &records,
                     const std::vector<ir::PrincipalSet> &sets) {
  auto arg = [&](size_t i) {
    return i < t.args.size() && t.args[i] ? typeName(*t.args[i], records, sets)
                                          : std::string("?");
  };
  switch (t.kind) {
  case TypeKind::Bool:
    return "bool";
  case TypeKind::Int:
    return "int";
  case TypeKind::Range:
    return fmt::format("{}{}..{}", t.model ? "int model " : "", t.lo, t.hi);
  case TypeKind::Principal:
    if (t.principalSet >= 0 && t.principalSet < (int)sets.size())
      return sets[t.principalSet].name;
    return "principal";
  case TypeKind::Record:
    if (t.record >= 0 && t.record < (int)records.size())
      return records[t.record].name;
    return "record";
  case TypeKind::Set:
    return "set<" + arg(0) + ">";
  case TypeKind::Map:
    return "map<" + arg(0) + ", " + arg(1) + ">";
  case TypeKind::Option:
    return "option<" + arg(0) + ">";
  case TypeKind::Seq:
    return "seq<" + arg(0) + ">";
  case TypeKind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < t.args.size(); ++i)
      s += (i ? ", " : "") + arg(i);
    return s + ")";
  }
  }
  return "?";
}

} // namespace mommie::frontend
