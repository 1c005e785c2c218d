// The local pool of one principal: the statements it knows (its own
// publications and the ones delivered to it), deduplicated by canonical
// encoding, with the indexes the generated pattern matchers use:
//   - per record type: every statement id (ofType),
//   - per record type and value: the statements carrying exactly that
//     record (withValue) and the distinct values in arrival order
//     (valuesOf) -- quorum counting of distinct issuers per record value,
//   - optional per (record type, field) equality indexes (byField),
//     registered by the generated code for `field == expr` constraints.
//
// Collection (retire clauses, docs/runtime.md "Collecting statements"):
// remove() takes a statement out of the pool and of every index. withValue
// and byField lists drop it at once; ofType and valuesOf keep positions
// stable for the matchers' Consumed bitmaps, so the removed entry becomes a
// tombstone (kDeadStmt, valueLive() false) that matchers skip, and a list
// is compacted once its tombstones outnumber its live entries: positions
// shift, and every Consumed attached to that list is remapped. A removed
// statement's id is reused by a later insert; removal and compaction are
// amortized O(1) per statement.
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
// An ofType entry whose statement was removed.
inline constexpr StmtId kDeadStmt = ~StmtId(0);

// Positions of an index (Pool::ofType, Pool::valuesOf) that a
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
    advance();
  }
  // The index was compacted: old position k moved to the rank of k among
  // the kept positions (`kept[k]`), the others are gone.
  void remap(const std::vector<bool> &kept);

private:
  void advance() {
    while (cursor_ < bits_.size() && bits_[cursor_])
      ++cursor_;
  }
  std::vector<bool> bits_;
  size_t cursor_ = 0;
};

class Pool {
public:
  enum class Index { OfType, Values };

  explicit Pool(size_t numRecords = 0) : types_(numRecords) {}
  void resize(size_t numRecords) { types_.resize(numRecords); }

  // Adds an equality index on `field` of `record` (before any insert).
  void addFieldIndex(int record, int field);
  // Remaps `c` when the `index` list of `record` is compacted. `c` must
  // outlive the pool's use of it (the role that owns it lives as long).
  void attach(Consumed &c, int record, Index index);

  // Inserts `s` (dedup); returns its id and whether it is new.
  std::pair<StmtId, bool> insert(Statement s);
  bool contains(const Statement &s) const { return keys_.count(s.key()) != 0; }
  // Takes statement `id` out of the pool and its indexes.
  void remove(StmtId id);

  const Statement &at(StmtId id) const { return stmts_[id]; }
  // The statements in the pool.
  size_t size() const { return live_; }
  // The statements of `record` in the pool.
  size_t sizeOf(int record) const;
  // Statements removed so far.
  uint64_t removed() const { return removed_; }

  // May hold kDeadStmt entries once statements of `record` were removed.
  const std::vector<StmtId> &ofType(int record) const;
  const std::vector<StmtId> &byField(int record, int field,
                                     const Value &v) const;
  // May hold dead entries (valueLive false) once statements were removed.
  const std::vector<Value> &valuesOf(int record) const;
  bool valueLive(int record, size_t k) const;
  const std::vector<StmtId> &withValue(int record, const Value &msg) const;

  // The set of distinct issuers of statements carrying `msg` accepted by
  // `accept(const Statement&)` (quorum patterns).
  template <class F>
  Value issuersOf(int record, const Value &msg, F accept) const {
    Value::Elems iss;
    for (StmtId id : withValue(record, msg)) {
      const Statement &s = stmts_[id];
      if (accept(s))
        iss.push_back(Value::principal(s.issuer));
    }
    return Value::set(std::move(iss));
  }

  // The (issuer, record) pairs of the statements of `record` accepted by
  // `accept`, and in `issuers` their distinct issuers (statement-set
  // patterns `[S >= k, ...] Record* x`).
  template <class F>
  Value statementsOf(int record, F accept, Value &issuers) const {
    Value::Elems pairs, iss;
    for (StmtId id : ofType(record)) {
      if (id == kDeadStmt || !accept(stmts_[id]))
        continue;
      const Statement &s = stmts_[id];
      pairs.push_back(Value::tuple({Value::principal(s.issuer), s.msg}));
      iss.push_back(Value::principal(s.issuer));
    }
    issuers = Value::set(std::move(iss));
    return Value::set(std::move(pairs));
  }

private:
  struct SameValue {
    std::vector<StmtId> ids;
    size_t pos = 0; // in TypeIndex::values
  };
  struct TypeIndex {
    std::vector<StmtId> all;
    size_t deadAll = 0;
    std::vector<Value> values;
    std::vector<bool> valueDead;
    size_t deadValues = 0;
    std::unordered_map<Value, SameValue, ValueHash> byValue;
    std::map<int, std::unordered_map<Value, std::vector<StmtId>, ValueHash>>
        fields;
    std::vector<Consumed *> consumedAll, consumedValues;
    size_t live = 0;
  };
  const TypeIndex *type(int record) const;
  void compactAll(TypeIndex &t);
  void compactValues(TypeIndex &t);
  std::vector<Statement> stmts_;
  std::vector<size_t> posInAll_; // per id: its position in its type's `all`
  std::vector<StmtId> free_;     // ids of removed statements, for reuse
  std::unordered_set<std::string> keys_;
  std::vector<TypeIndex> types_;
  size_t live_ = 0;
  uint64_t removed_ = 0;
};

} // namespace mommie::rt
