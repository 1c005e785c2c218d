// Dynamic values of statements and role state: bools, integers, principals,
// options, records, tuples, sequences, sets and maps. This is the one value
// type of mommie: generated nodes and the checker (checker/Value.h) both use
// it, with the operators of runtime/wire/Ops.h.
//
// Values share their element vectors: a copy costs a reference count, and
// a value is mutated in place only through mutableElems() (copy on write:
// the vector is cloned first when another value shares it). Sets and maps
// are kept sorted (canonical), so equality, the total order, hashing and
// the wire encoding are structural and deterministic. Evaluation errors of
// the model (a lookup outside a map's domain, get(none), ...) throw
// EvalError: the node driver turns it into a fail-stop, the checker into an
// evaluation error with a trace. C++17 (generated code includes it).
#pragma once

#include "runtime/wire/Wire.h"

#include <cassert>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

enum class Kind : uint8_t {
  Bool = 1,
  Int = 2,
  Principal = 3,
  Option = 4, // 0 or 1 element
  Record = 5, // i_ = record index, elements = fields
  Tuple = 6,
  Seq = 7,
  Set = 8, // sorted, unique
  Map = 9, // interleaved key, value; sorted by unique key
};

// Names used to print values (principal and record/field names).
struct Names {
  std::vector<std::string> principals;
  std::vector<std::string> records;
  std::vector<std::vector<std::string>> fields;
};

class Value {
public:
  using Elems = std::vector<Value>;

  Value() = default; // false
  static Value boolean(bool b) { return Value(Kind::Bool, b ? 1 : 0); }
  static Value integer(int64_t i) { return Value(Kind::Int, i); }
  static Value principal(int64_t p) { return Value(Kind::Principal, p); }
  static Value none() { return Value(Kind::Option, 0); }
  static Value some(Value v);
  static Value record(int index, Elems fields);
  static Value tuple(Elems elems);
  static Value seq(Elems elems);
  // Sorts and removes duplicates.
  static Value set(Elems elems);
  // Sorts by key; a later duplicate key replaces an earlier one.
  static Value map(std::vector<std::pair<Value, Value>> entries);

  // Already canonical: `elems` strictly increasing (a set), or interleaved
  // keys and values with strictly increasing keys (a map). Checked by
  // assert only (debug builds).
  static Value sortedSet(Elems elems) {
    assert(increasing(elems, 1) && "sortedSet: elements out of order");
    return Value(Kind::Set, 0, std::move(elems));
  }
  static Value sortedMap(Elems interleaved) {
    assert(interleaved.size() % 2 == 0 && increasing(interleaved, 2) &&
           "sortedMap: keys out of order");
    return Value(Kind::Map, 0, std::move(interleaved));
  }
  static Value emptySet() { return Value(Kind::Set, 0); }

  Kind kind() const { return kind_; }
  bool is(Kind k) const { return kind_ == k; }
  bool asBool() const;
  int64_t asInt() const;
  int asPrincipal() const;
  int recordIndex() const;
  // The scalar, unchecked: an integer, a bool (0 / 1), a principal, a
  // record index, an option's element count (0 / 1).
  int64_t scalar() const { return i_; }
  bool isTrue() const { return kind_ == Kind::Bool && i_ != 0; }
  bool isNone() const { return kind_ == Kind::Option && i_ == 0; }
  bool isSome() const { return kind_ == Kind::Option && i_ != 0; }
  // Elements of an option/record/tuple/seq/set (maps: interleaved).
  const Elems &elems() const { return elems_ ? *elems_ : emptyElems_; }
  size_t size() const {
    return kind_ == Kind::Map ? elems().size() / 2 : elems().size();
  }
  const Value &field(size_t i) const;
  // Maps.
  const Value &mapKey(size_t i) const {
    assert(kind_ == Kind::Map && i < size());
    return elems()[2 * i];
  }
  const Value &mapValue(size_t i) const {
    assert(kind_ == Kind::Map && i < size());
    return elems()[2 * i + 1];
  }
  const Value *mapFind(const Value &key) const;
  // Index of `key` among the map's keys, or size() (binary search).
  size_t mapIndex(const Value &key) const;
  // The same representation (kind, scalar, shared element vector): then
  // the same value, found without looking at the elements.
  bool sameRep(const Value &o) const {
    return kind_ == o.kind_ && i_ == o.i_ && elems_ == o.elems_;
  }
  bool setContains(const Value &v) const;

  // Copy-on-write updates. mutableElems() is elems() for writing; it
  // clones the vector when another value shares it. The caller keeps the
  // value canonical (no new or re-ordered map keys, no unsorted sets) and
  // an option's element count.
  Elems &mutableElems();
  // Adds `v` to a set, in order; false if it was there.
  bool setInsert(Value v);
  // Removes `v` from a set; false if it was not there.
  bool setErase(const Value &v);
  // The value of `key` in a map, for writing; null outside the domain.
  Value *mapFindMut(const Value &key);
  // Sets the value of `key` in a map, adding the key if it is new.
  void mapPut(Value key, Value value);

  int compare(const Value &o) const;
  bool operator==(const Value &o) const { return compare(o) == 0; }
  bool operator!=(const Value &o) const { return compare(o) != 0; }
  bool operator<(const Value &o) const { return compare(o) < 0; }
  size_t hash() const;

  // Canonical binary encoding; decode rejects non-canonical input.
  void encode(Writer &w) const;
  std::string encoded() const;
  static bool decode(Reader &r, Value &out, int depth = 0);

  // JSON rendering (traces, logs): principals as names, records as objects
  // with a "$record" member, other compounds as {"$set": [...]} etc.
  std::string toJson(const Names *names = nullptr) const;
  void appendJson(std::string &out, const Names *names) const;

private:
  // Whether every `stride`-th element (from the first) is strictly larger
  // than the one before it.
  static bool increasing(const Elems &elems, size_t stride) {
    for (size_t i = stride; i < elems.size(); i += stride)
      if (!(elems[i - stride] < elems[i]))
        return false;
    return true;
  }

  Value(Kind k, int64_t i) : kind_(k), i_(i) {}
  Value(Kind k, int64_t i, Elems elems);
  static const Elems emptyElems_;
  Kind kind_ = Kind::Bool;
  int64_t i_ = 0;
  std::shared_ptr<Elems> elems_; // null: no elements
};

// An evaluation error of the model. `operand`, when set, is the value the
// message is about (a key outside a map's domain): what() renders it as
// JSON, the checker in the language's syntax.
class EvalError : public std::runtime_error {
public:
  explicit EvalError(const std::string &message)
      : std::runtime_error(message), message(message) {}
  EvalError(const std::string &message, Value operand)
      : std::runtime_error(message + ": " + operand.toJson()), message(message),
        operand(std::move(operand)), hasOperand(true) {}
  std::string message; // without the operand
  Value operand;
  bool hasOperand = false;
};

// `after` as JSON relative to `before`: for two maps, only the entries
// that changed: {"$mapDelta":[[k,v],...],"$removed":[k,...]}; else the value.
void appendJsonDelta(std::string &out, const Value &before, const Value &after,
                     const Names *names);

struct ValueHash {
  size_t operator()(const Value &v) const { return v.hash(); }
};

// Appends `s` to `out` as a JSON string literal.
void appendJsonString(std::string &out, const std::string &s);

} // namespace mommie::rt
