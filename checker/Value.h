// Values of the checker: one tagged tree type for every IR type (ints,
// bools, principals, records, tuples, sequences, options, sets, maps).
//
// Canonical form: a Set keeps its elements sorted and unique, a Map keeps
// its entries as a flat key0, val0, key1, val1, ... list sorted by key, so
// two equal values are structurally identical and serialize to the same
// bytes. The total order (kind, num, elems lexicographically) is the one
// every sorted container uses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::ir {
struct Program;
}

namespace mommie::checker {

struct Value {
  enum class Kind : uint8_t {
    Int,
    Bool,
    Principal,
    None,
    Some,   // elems[0]
    Record, // num = record index, elems = fields
    Tuple,
    Seq,
    Set, // sorted, unique
    Map, // k0, v0, k1, v1, ... sorted by key
  };
  Kind kind = Kind::Int;
  int64_t num = 0;
  std::vector<Value> elems;

  static Value integer(int64_t v) { return {Kind::Int, v, {}}; }
  static Value boolean(bool b) { return {Kind::Bool, b ? 1 : 0, {}}; }
  static Value principal(int64_t p) { return {Kind::Principal, p, {}}; }
  static Value none() { return {Kind::None, 0, {}}; }
  static Value some(Value v) {
    Value r{Kind::Some, 0, {}};
    r.elems.push_back(std::move(v));
    return r;
  }
  static Value emptySet() { return {Kind::Set, 0, {}}; }
  // Sorts and deduplicates `elems` into a canonical set.
  static Value setOf(std::vector<Value> elems);

  bool isTrue() const { return kind == Kind::Bool && num != 0; }
  size_t mapSize() const { return elems.size() / 2; }

  // Set operations (both operands canonical sets).
  bool contains(const Value &v) const;
  // Inserts into a canonical set; returns false if already present.
  bool insert(Value v);
  // Map lookup; null if the key is absent.
  const Value *lookup(const Value &key) const;
  Value *lookupMut(const Value &key);
};

int compare(const Value &a, const Value &b);
inline bool operator==(const Value &a, const Value &b) { return compare(a, b) == 0; }
inline bool operator!=(const Value &a, const Value &b) { return compare(a, b) != 0; }
inline bool operator<(const Value &a, const Value &b) { return compare(a, b) < 0; }

Value setUnion(const Value &a, const Value &b);
Value setInter(const Value &a, const Value &b);
Value setDiff(const Value &a, const Value &b);
bool setSubsetEq(const Value &a, const Value &b);

// Re-establishes canonical order everywhere inside `v` (after renaming).
void canonicalize(Value &v);

// Serialization: compact, self-describing, canonical.
void encodeValue(const Value &v, std::string &out);
// Decodes one value at `pos`, advancing it. Returns false on bad bytes.
bool decodeValue(const std::string &in, size_t &pos, Value &out);
void putVarint(std::string &out, uint64_t v);
bool getVarint(const std::string &in, size_t &pos, uint64_t &v);

// Human-readable rendering in the language's syntax (records by name).
std::string showValue(const ir::Program &program, const Value &v);

} // namespace mommie::checker
