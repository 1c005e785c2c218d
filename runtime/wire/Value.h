// Dynamic values of statements and role state: bools, integers, principals,
// options, records, tuples, sequences, sets and maps. Values are immutable
// and share their element vectors; sets and maps are kept sorted (canonical),
// so equality, ordering, hashing and the wire encoding are structural and
// deterministic. Evaluation errors of the model (a lookup outside a map's
// domain, get(none), ...) throw EvalError: the node driver turns it into a
// fail-stop. C++17 (generated code includes it).
#pragma once

#include "runtime/wire/Wire.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

class EvalError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

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

  Kind kind() const { return kind_; }
  bool is(Kind k) const { return kind_ == k; }
  bool asBool() const;
  int64_t asInt() const;
  int asPrincipal() const;
  int recordIndex() const;
  // Elements of an option/record/tuple/seq/set (maps: interleaved).
  const Elems &elems() const;
  size_t size() const; // element count (maps: number of entries)
  const Value &field(size_t i) const;
  // Maps.
  const Value &mapKey(size_t i) const { return elems()[2 * i]; }
  const Value &mapValue(size_t i) const { return elems()[2 * i + 1]; }
  const Value *mapFind(const Value &key) const;
  // Index of `key` among the map's keys, or size() (binary search).
  size_t mapIndex(const Value &key) const;
  // A copy with element `i` of elems() replaced (record field, tuple
  // component, sequence element; maps: element 2k+1 is the value of key
  // k). O(size) copy, keeps the kind, no re-sorting: the callers keep sets
  // and map keys as they are.
  Value withElem(size_t i, Value v) const;
  // The same representation (kind, scalar, shared element vector): then
  // the same value, found without looking at the elements.
  bool sameRep(const Value &o) const { return kind_ == o.kind_ && i_ == o.i_ && elems_ == o.elems_; }
  bool setContains(const Value &v) const;

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
  Value(Kind k, int64_t i) : kind_(k), i_(i) {}
  Value(Kind k, int64_t i, Elems elems);
  Kind kind_ = Kind::Bool;
  int64_t i_ = 0;
  std::shared_ptr<const Elems> elems_;
};

// `after` as JSON relative to `before`: for two maps, only the entries
// that changed: {"$mapDelta":[[k,v],...],"$removed":[k,...]}; else the value.
void appendJsonDelta(std::string &out, const Value &before, const Value &after, const Names *names);

struct ValueHash {
  size_t operator()(const Value &v) const { return v.hash(); }
};

// Appends `s` to `out` as a JSON string literal.
void appendJsonString(std::string &out, const std::string &s);

} // namespace mommie::rt
