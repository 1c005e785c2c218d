// Value operations with the model's semantics (see Ops.h).
#include "runtime/wire/Ops.h"

#include "runtime/wire/Arith.h"

#include <algorithm>

namespace mommie::rt::ops {

namespace {
void expect(const Value &v, Kind k, const char *what) {
  if (v.kind() != k)
    throw EvalError(std::string("operand of ") + what + " has the wrong kind");
}
} // namespace

namespace {
Value arithmetic(arith::Op op, int64_t x, int64_t y) {
  int64_t r = 0;
  if (const char *msg = arith::apply(op, x, y, r))
    throw EvalError(msg);
  return I(r);
}
} // namespace

Value add(const Value &a, const Value &b) {
  return arithmetic(arith::Op::Add, a.asInt(), b.asInt());
}
Value sub(const Value &a, const Value &b) {
  return arithmetic(arith::Op::Sub, a.asInt(), b.asInt());
}
Value mul(const Value &a, const Value &b) {
  return arithmetic(arith::Op::Mul, a.asInt(), b.asInt());
}
Value div(const Value &a, const Value &b) {
  return arithmetic(arith::Op::Div, a.asInt(), b.asInt());
}
Value mod(const Value &a, const Value &b) {
  return arithmetic(arith::Op::Mod, a.asInt(), b.asInt());
}
Value neg(const Value &a) { return arithmetic(arith::Op::Neg, a.asInt(), 0); }
Value lt(const Value &a, const Value &b) { return B(a.asInt() < b.asInt()); }
Value le(const Value &a, const Value &b) { return B(a.asInt() <= b.asInt()); }
Value gt(const Value &a, const Value &b) { return B(a.asInt() > b.asInt()); }
Value ge(const Value &a, const Value &b) { return B(a.asInt() >= b.asInt()); }

Value in(const Value &x, const Value &s) { return B(s.setContains(x)); }

Value subsetEq(const Value &a, const Value &b) {
  expect(a, Kind::Set, "subseteq");
  expect(b, Kind::Set, "subseteq");
  const auto &x = a.elems(), &y = b.elems();
  return B(std::includes(y.begin(), y.end(), x.begin(), x.end()));
}

Value setUnion(const Value &a, const Value &b) {
  expect(a, Kind::Set, "union");
  expect(b, Kind::Set, "union");
  Value::Elems out;
  std::set_union(a.elems().begin(), a.elems().end(), b.elems().begin(),
                 b.elems().end(), std::back_inserter(out));
  return Value::sortedSet(std::move(out));
}
Value setInter(const Value &a, const Value &b) {
  expect(a, Kind::Set, "inter");
  expect(b, Kind::Set, "inter");
  Value::Elems out;
  std::set_intersection(a.elems().begin(), a.elems().end(), b.elems().begin(),
                        b.elems().end(), std::back_inserter(out));
  return Value::sortedSet(std::move(out));
}
Value setDiff(const Value &a, const Value &b) {
  expect(a, Kind::Set, "\\");
  expect(b, Kind::Set, "\\");
  Value::Elems out;
  std::set_difference(a.elems().begin(), a.elems().end(), b.elems().begin(),
                      b.elems().end(), std::back_inserter(out));
  return Value::sortedSet(std::move(out));
}

Value rangeSet(int64_t lo, int64_t hi) {
  if (hi >= lo && uint64_t(hi) - uint64_t(lo) > (1u << 24))
    throw EvalError("integer range too large to enumerate");
  Value::Elems out;
  if (hi >= lo)
    out.reserve(size_t(uint64_t(hi) - uint64_t(lo) + 1));
  for (int64_t i = lo; i <= hi; ++i)
    out.push_back(I(i));
  return Value::sortedSet(std::move(out));
}
Value rangeSet(const Value &lo, const Value &hi) {
  return rangeSet(lo.asInt(), hi.asInt());
}

Value card(const Value &s) {
  expect(s, Kind::Set, "card");
  return I(int64_t(s.size()));
}
Value dom(const Value &m) {
  expect(m, Kind::Map, "dom");
  Value::Elems keys;
  keys.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i)
    keys.push_back(m.mapKey(i));
  return Value::sortedSet(std::move(keys));
}
Value len(const Value &s) {
  expect(s, Kind::Seq, "len");
  return I(int64_t(s.size()));
}
Value append(const Value &s, const Value &e) {
  expect(s, Kind::Seq, "append");
  Value::Elems out;
  out.reserve(s.size() + 1);
  out = s.elems();
  out.push_back(e);
  return Value::seq(std::move(out));
}
Value head(const Value &s) {
  expect(s, Kind::Seq, "head");
  if (s.size() == 0)
    throw EvalError("head of an empty sequence");
  return s.elems()[0];
}
Value tail(const Value &s) {
  expect(s, Kind::Seq, "tail");
  if (s.size() == 0)
    throw EvalError("tail of an empty sequence");
  return Value::seq(Value::Elems(s.elems().begin() + 1, s.elems().end()));
}
Value maxOf(const Value &s) {
  expect(s, Kind::Set, "max");
  if (s.size() == 0)
    throw EvalError("max of an empty set");
  return s.elems().back();
}
Value minOf(const Value &s) {
  expect(s, Kind::Set, "min");
  if (s.size() == 0)
    throw EvalError("min of an empty set");
  return s.elems().front();
}
Value get(const Value &o) {
  expect(o, Kind::Option, "get");
  if (o.size() == 0)
    throw EvalError("get(none)");
  return o.elems()[0];
}
Value isSome(const Value &o) {
  expect(o, Kind::Option, "isSome");
  return B(o.size() == 1);
}

const Value &indexRef(const Value &c, const Value &k) {
  if (c.is(Kind::Map)) {
    if (const Value *v = c.mapFind(k))
      return *v;
    throw EvalError("map lookup outside the domain", k);
  }
  if (c.is(Kind::Seq)) {
    int64_t i = k.asInt();
    if (i < 0 || uint64_t(i) >= c.size())
      throw EvalError("sequence index out of range");
    return c.elems()[size_t(i)];
  }
  throw EvalError("indexing a value that is not a map or a sequence");
}

void assignInPlace(Value &root, const PathStep *path, size_t n, Value v) {
  Value *target = &root;
  // Copy on write along the path: a vector shared with another value is
  // cloned (one level, O(size)), an unshared one is updated in place. No
  // re-sorting: map keys and their order are unchanged.
  for (size_t i = 0; i < n; ++i) {
    const PathStep &step = path[i];
    if (step.kind == PathStep::Field) {
      if (!target->is(Kind::Record) && !target->is(Kind::Tuple))
        throw EvalError(
            "field assignment on a value that is not a record or tuple");
      if (step.index >= target->elems().size())
        throw EvalError("field index out of range");
      target = &target->mutableElems()[step.index];
    } else if (target->is(Kind::Map)) {
      Value *slot = target->mapFindMut(step.key);
      if (!slot)
        throw EvalError("map update outside the domain", step.key);
      target = slot;
    } else if (target->is(Kind::Seq)) {
      int64_t j = step.key.asInt();
      if (j < 0 || uint64_t(j) >= target->size())
        throw EvalError("sequence index out of range in assignment");
      target = &target->mutableElems()[size_t(j)];
    } else {
      throw EvalError(
          "indexed assignment on a value that is not a map or a sequence");
    }
  }
  *target = std::move(v);
}

Value assignAt(const Value &root, const std::vector<PathStep> &path, Value v,
               size_t from) {
  Value r = root;
  if (from < path.size())
    assignInPlace(r, path.data() + from, path.size() - from, std::move(v));
  else
    r = std::move(v);
  return r;
}

Value principalRange(int first, int size) {
  Value::Elems ps;
  for (int i = 0; i < size; ++i)
    ps.push_back(P(first + i));
  return Value::sortedSet(std::move(ps));
}

const Value::Elems &members(const Value &s) {
  expect(s, Kind::Set, "a set iteration");
  return s.elems();
}

} // namespace mommie::rt::ops
