// Run-time type descriptors and the conformance check (see Types.h).
#include "runtime/wire/Types.h"

namespace mommie::rt {

namespace {
TypeP make(TypeDesc d) {
  return std::make_shared<const TypeDesc>(std::move(d));
}
bool fail(std::string *why, const std::string &msg) {
  if (why && why->empty())
    *why = msg;
  return false;
}
// Large containers (role variables are checked after every step): the
// last one that conformed to a type, per type. An element with the same
// representation as the element at the same position there conforms too
// (values are immutable), so a map updated in one entry per step costs a
// shallow pass instead of a deep one. The memo keeps its values alive, so
// a representation cannot be reused by another value.
constexpr size_t MemoMinElems = 32;
struct Memo {
  TypeDesc type; // a copy: compared structurally, not by address
  Value last;
};
thread_local std::vector<Memo> memos;

bool sameType(const TypeDesc &a, const TypeDesc &b) {
  if (&a == &b)
    return true;
  if (a.k != b.k || a.lo != b.lo || a.hi != b.hi || a.first != b.first ||
      a.count != b.count || a.record != b.record ||
      a.args.size() != b.args.size())
    return false;
  for (size_t i = 0; i < a.args.size(); ++i)
    if (!sameType(*a.args[i], *b.args[i]))
      return false;
  return true;
}

Memo *findMemo(const TypeDesc &t) {
  for (auto &m : memos)
    if (sameType(m.type, t))
      return &m;
  return nullptr;
}

} // namespace

// Whether the elements of `v` (a set, sequence or map) conform: `elem(i,
// e)` checks element i. Uses and updates the memo for large containers.
template <class F>
static bool conformsElems(const Value &v, const TypeDesc &t, F elem) {
  const auto &e = v.elems();
  Memo *m = e.size() >= MemoMinElems ? findMemo(t) : nullptr;
  const Value::Elems *prev =
      m && m->last.kind() == v.kind() ? &m->last.elems() : nullptr;
  for (size_t i = 0; i < e.size(); ++i)
    if (!(prev && i < prev->size() && e[i].sameRep((*prev)[i])) &&
        !elem(i, e[i]))
      return false;
  if (e.size() >= MemoMinElems) {
    if (!m && memos.size() < 64) {
      memos.push_back({t, v});
    } else if (m) {
      m->last = v;
    }
  }
  return true;
}

TypeP TypeDesc::boolean() { return make(TypeDesc{}); }
TypeP TypeDesc::integer() {
  TypeDesc d;
  d.k = K::Int;
  return make(d);
}
TypeP TypeDesc::range(int64_t lo, int64_t hi) {
  TypeDesc d;
  d.k = K::Range;
  d.lo = lo;
  d.hi = hi;
  return make(d);
}
TypeP TypeDesc::principal(int first, int count) {
  TypeDesc d;
  d.k = K::Principal;
  d.first = first;
  d.count = count;
  return make(d);
}
TypeP TypeDesc::recordOf(int index) {
  TypeDesc d;
  d.k = K::Record;
  d.record = index;
  return make(d);
}
TypeP TypeDesc::setOf(TypeP elem) {
  TypeDesc d;
  d.k = K::Set;
  d.args = {std::move(elem)};
  return make(d);
}
TypeP TypeDesc::mapOf(TypeP key, TypeP value) {
  TypeDesc d;
  d.k = K::Map;
  d.args = {std::move(key), std::move(value)};
  return make(d);
}
TypeP TypeDesc::optionOf(TypeP elem) {
  TypeDesc d;
  d.k = K::Option;
  d.args = {std::move(elem)};
  return make(d);
}
TypeP TypeDesc::seqOf(TypeP elem) {
  TypeDesc d;
  d.k = K::Seq;
  d.args = {std::move(elem)};
  return make(d);
}
TypeP TypeDesc::tupleOf(std::vector<TypeP> elems) {
  TypeDesc d;
  d.k = K::Tuple;
  d.args = std::move(elems);
  return make(d);
}

void Schema::finish(const std::vector<std::string> &principalNames) {
  names.principals = principalNames;
  names.records.clear();
  names.fields.clear();
  for (const auto &r : records) {
    names.records.push_back(r.name);
    names.fields.push_back(r.fieldNames);
  }
}

bool conforms(const Value &v, const TypeDesc &t, const Schema &schema,
              std::string *why) {
  using K = TypeDesc::K;
  switch (t.k) {
  case K::Bool:
    return v.is(Kind::Bool) || fail(why, "expected a bool");
  case K::Int:
    return v.is(Kind::Int) || fail(why, "expected an int");
  case K::Range:
    if (!v.is(Kind::Int))
      return fail(why, "expected an int");
    if (v.asInt() < t.lo || v.asInt() > t.hi)
      return fail(why, "value " + std::to_string(v.asInt()) + " outside " +
                           std::to_string(t.lo) + ".." + std::to_string(t.hi));
    return true;
  case K::Principal: {
    if (!v.is(Kind::Principal))
      return fail(why, "expected a principal");
    int p = v.asPrincipal();
    if (t.count < 0)
      return (p >= 0 && p < schema.numPrincipals) ||
             fail(why, "unknown principal");
    return (p >= t.first && p < t.first + t.count) ||
           fail(why, "principal not in its set");
  }
  case K::Record: {
    if (!v.is(Kind::Record) || v.recordIndex() != t.record)
      return fail(why, "expected a record of another type");
    if (t.record < 0 || size_t(t.record) >= schema.records.size())
      return fail(why, "unknown record type");
    const auto &rs = schema.records[size_t(t.record)];
    const auto &fs = v.elems();
    if (fs.size() != rs.fieldTypes.size())
      return fail(why, "wrong number of fields in " + rs.name);
    for (size_t i = 0; i < fs.size(); ++i)
      if (!conforms(fs[i], *rs.fieldTypes[i], schema, why))
        return fail(why, "in field " + rs.fieldNames[i]);
    return true;
  }
  case K::Set:
    if (!v.is(Kind::Set))
      return fail(why, "expected a set");
    return conformsElems(v, t, [&](size_t, const Value &e) {
      return conforms(e, *t.args[0], schema, why);
    });
  case K::Map:
    if (!v.is(Kind::Map))
      return fail(why, "expected a map");
    return conformsElems(v, t, [&](size_t i, const Value &e) {
      return conforms(e, *t.args[i % 2], schema,
                      why); // keys, values interleaved
    });
  case K::Option:
    if (!v.is(Kind::Option))
      return fail(why, "expected an option");
    return v.size() == 0 || conforms(v.elems()[0], *t.args[0], schema, why);
  case K::Seq:
    if (!v.is(Kind::Seq))
      return fail(why, "expected a sequence");
    return conformsElems(v, t, [&](size_t, const Value &e) {
      return conforms(e, *t.args[0], schema, why);
    });
  case K::Tuple:
    if (!v.is(Kind::Tuple) || v.size() != t.args.size())
      return fail(why, "expected a tuple of " + std::to_string(t.args.size()));
    for (size_t i = 0; i < v.size(); ++i)
      if (!conforms(v.elems()[i], *t.args[i], schema, why))
        return false;
    return true;
  }
  return false;
}

} // namespace mommie::rt
