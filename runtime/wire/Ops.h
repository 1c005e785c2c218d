// The operations generated code applies to values: arithmetic with the
// model's semantics (runtime/wire/Arith.h: overflow and a divisor <= 0 are
// errors), comparisons, set / map / sequence / option builtins, and
// copy-on-write updates of a role variable along an lvalue path. Every partial
// operation throws EvalError outside its domain, exactly where the checker
// reports an evaluation error: they are the checker's operators too
// (checker/Eval.cpp calls them), so each operator and its domain errors are
// written once.
#pragma once

#include "runtime/wire/Value.h"

#include <initializer_list>

namespace mommie::rt::ops {

inline Value B(bool b) { return Value::boolean(b); }
inline Value I(int64_t i) { return Value::integer(i); }
inline Value P(int64_t p) { return Value::principal(p); }

Value add(const Value &a, const Value &b);
Value sub(const Value &a, const Value &b);
Value mul(const Value &a, const Value &b);
Value div(const Value &a, const Value &b);
Value mod(const Value &a, const Value &b);
Value neg(const Value &a);
inline Value lnot(const Value &a) { return B(!a.asBool()); }

inline Value eq(const Value &a, const Value &b) { return B(a == b); }
inline Value ne(const Value &a, const Value &b) { return B(a != b); }
Value lt(const Value &a, const Value &b);
Value le(const Value &a, const Value &b);
Value gt(const Value &a, const Value &b);
Value ge(const Value &a, const Value &b);

Value in(const Value &x, const Value &s);
inline Value notIn(const Value &x, const Value &s) {
  return B(!in(x, s).asBool());
}
Value subsetEq(const Value &a, const Value &b);
Value setUnion(const Value &a, const Value &b);
Value setInter(const Value &a, const Value &b);
Value setDiff(const Value &a, const Value &b);
Value rangeSet(const Value &lo, const Value &hi);
Value rangeSet(int64_t lo, int64_t hi);

Value card(const Value &s);
Value dom(const Value &m);
Value len(const Value &s);
Value append(const Value &s, const Value &e);
Value head(const Value &s);
Value tail(const Value &s);
Value maxOf(const Value &s);
Value minOf(const Value &s);
Value get(const Value &o);
Value isSome(const Value &o);

// m[k] on maps, s[i] on sequences (0-based); indexRef without a copy (a
// reference into `c`).
const Value &indexRef(const Value &c, const Value &k);
inline Value index(const Value &c, const Value &k) { return indexRef(c, k); }
inline Value fieldOf(const Value &r, size_t i) { return r.field(i); }

// One step of an lvalue path.
struct PathStep {
  enum Kind { Index, Field } kind;
  Value key;
  size_t index;
  static PathStep key_(Value k) { return PathStep{Index, std::move(k), 0}; }
  static PathStep field_(size_t i) { return PathStep{Field, Value(), i}; }
};

// Replaces the element of `root` at `path` (n steps) by `v`, copying on
// write. A map key must already be in the domain, a sequence index in
// range.
void assignInPlace(Value &root, const PathStep *path, size_t n, Value v);
// `root` with the element at path[from..] replaced by `v`.
Value assignAt(const Value &root, const std::vector<PathStep> &path, Value v,
               size_t from = 0);

// The principals first..first+size-1 as a set (a principal set).
Value principalRange(int first, int size);

// Elements of a set, for loops in generated code.
const Value::Elems &members(const Value &s);

} // namespace mommie::rt::ops
