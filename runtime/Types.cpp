// Run-time type descriptors and the conformance check (see Types.h).
#include "runtime/Types.h"

namespace mommie::rt {

namespace {
TypeP make(TypeDesc d) { return std::make_shared<const TypeDesc>(std::move(d)); }
bool fail(std::string *why, const std::string &msg) {
  if (why && why->empty())
    *why = msg;
  return false;
}
} // namespace

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

bool conforms(const Value &v, const TypeDesc &t, const Schema &schema, std::string *why) {
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
      return (p >= 0 && p < schema.numPrincipals) || fail(why, "unknown principal");
    return (p >= t.first && p < t.first + t.count) || fail(why, "principal not in its set");
  }
  case K::Record: {
    if (!v.is(Kind::Record) || v.recordIndex() != t.record)
      return fail(why, "expected a record of another type");
    if (t.record < 0 || size_t(t.record) >= schema.records.size())
      return fail(why, "unknown record type");
    const auto &rs = schema.records[size_t(t.record)];
    if (v.size() != rs.fieldTypes.size())
      return fail(why, "wrong number of fields in " + rs.name);
    for (size_t i = 0; i < v.size(); ++i)
      if (!conforms(v.elems()[i], *rs.fieldTypes[i], schema, why))
        return fail(why, "in field " + rs.fieldNames[i]);
    return true;
  }
  case K::Set:
    if (!v.is(Kind::Set))
      return fail(why, "expected a set");
    for (const auto &e : v.elems())
      if (!conforms(e, *t.args[0], schema, why))
        return false;
    return true;
  case K::Map:
    if (!v.is(Kind::Map))
      return fail(why, "expected a map");
  {
    const auto &e = v.elems();
    const TypeDesc &kt = *t.args[0], &vt = *t.args[1];
    for (size_t i = 0; i + 1 < e.size(); i += 2)
      if (!conforms(e[i], kt, schema, why) || !conforms(e[i + 1], vt, schema, why))
        return false;
    return true;
  }
  case K::Option:
    if (!v.is(Kind::Option))
      return fail(why, "expected an option");
    return v.size() == 0 || conforms(v.elems()[0], *t.args[0], schema, why);
  case K::Seq:
    if (!v.is(Kind::Seq))
      return fail(why, "expected a sequence");
    for (const auto &e : v.elems())
      if (!conforms(e, *t.args[0], schema, why))
        return false;
    return true;
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
