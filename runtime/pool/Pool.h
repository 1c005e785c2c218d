// The local pool of one principal: the statements it knows (its own
// publications and the ones delivered to it), deduplicated by canonical
// encoding, with the indexes the generated pattern matchers use:
//   - per record type: every statement id (ofType),
//   - per record type and value: the statements carrying exactly that
//     record (withValue) and the distinct values in arrival order
//     (valuesOf) -- quorum counting of distinct issuers per record value,
//   - optional per (record type, field) equality indexes (byField),
//     registered by the generated code for `field == expr` constraints.
#pragma once

#include "runtime/pool/Statement.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace mommie::rt {

using StmtId = uint32_t;

// Positions of an append-only index (Pool::ofType, Pool::valuesOf) that a
// single-pattern refracted transition has consumed: their only binding
// has fired, so the matcher skips them (and the consumed prefix entirely).
class Consumed {
public:
  size_t cursor() const { return cursor_; }
  bool test(size_t k) const { return k < bits_.size() && bits_[k]; }
  void set(size_t k) {
    if (k >= bits_.size())
      bits_.resize(k + 1, false);
    bits_[k] = true;
    while (cursor_ < bits_.size() && bits_[cursor_])
      ++cursor_;
  }

private:
  std::vector<bool> bits_;
  size_t cursor_ = 0;
};

class Pool {
public:
  explicit Pool(size_t numRecords = 0) : types_(numRecords) {}
  void resize(size_t numRecords) { types_.resize(numRecords); }

  // Adds an equality index on `field` of `record` (before any insert).
  void addFieldIndex(int record, int field);

  // Inserts `s` (dedup); returns its id and whether it is new.
  std::pair<StmtId, bool> insert(Statement s);
  bool contains(const Statement &s) const { return keys_.count(s.key()) != 0; }

  const Statement &at(StmtId id) const { return stmts_[id]; }
  size_t size() const { return stmts_.size(); }

  const std::vector<StmtId> &ofType(int record) const;
  const std::vector<StmtId> &byField(int record, int field, const Value &v) const;
  const std::vector<Value> &valuesOf(int record) const;
  const std::vector<StmtId> &withValue(int record, const Value &msg) const;

  // The set of distinct issuers of statements carrying `msg` accepted by
  // `accept(const Statement&)` (quorum patterns).
  template <class F> Value issuersOf(int record, const Value &msg, F accept) const {
    Value::Elems iss;
    for (StmtId id : withValue(record, msg)) {
      const Statement &s = stmts_[id];
      if (accept(s))
        iss.push_back(Value::principal(s.issuer));
    }
    return Value::set(std::move(iss));
  }

private:
  struct TypeIndex {
    std::vector<StmtId> all;
    std::vector<Value> values;
    std::unordered_map<Value, std::vector<StmtId>, ValueHash> byValue;
    std::map<int, std::unordered_map<Value, std::vector<StmtId>, ValueHash>> fields;
  };
  const TypeIndex *type(int record) const;
  std::vector<Statement> stmts_;
  std::unordered_set<std::string> keys_;
  std::vector<TypeIndex> types_;
};

} // namespace mommie::rt
