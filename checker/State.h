// The global state of docs/semantics.md and its layout for one program:
// role variables and timers per principal, refraction sets, the pool and
// knowledge per record type, crashed / Byzantine principals, round counters.
//
// Statements are Tuple values <<iss, ver, aud, msg>> (ver, aud sets of
// principals). `known` is always a subset of `pool`, so the serialized form
// stores it as one bit per pool statement.
#pragma once

#include "checker/Value.h"
#include "ir/ConstantNames.h"
#include "ir/IR.h"

#include <cassert>
#include <cstdint>
#include <string>
#include <vector>

namespace mommie::checker {

struct State {
  std::vector<Value> vars;      // [role var slot], see Layout::varIndex
  std::vector<uint8_t> timers;  // see Layout::timerIndex
  std::vector<Value> fired;     // sets of binding tuples, Layout::firedIndex
  std::vector<Value> pool;      // per record type: set of statements
  std::vector<Value> known;     // per record type and principal
  std::vector<uint8_t> crashed; // per principal (empty if no crash fault)
  std::vector<uint8_t> byz;     // per principal (empty if no Byzantine fault)
  int64_t phaseNo = 0, roundNo = 0;

  bool isCrashed(int p) const { return !crashed.empty() && crashed[p]; }
  bool isByz(int p) const { return !byz.empty() && byz[p]; }
  bool live(int p) const { return !isCrashed(p) && !isByz(p); }
};

enum StmtField { StmtIss = 0, StmtVer = 1, StmtAud = 2, StmtMsg = 3 };

// Index arithmetic from (role, principal, item) to the flat vectors.
class Layout {
public:
  explicit Layout(const ir::Program &program);

  const ir::Program &program() const { return *program_; }
  int numPrincipals() const { return program_->numPrincipals; }
  int numRecords() const { return int(program_->records.size()); }

  int varIndex(int role, int p, int var) const {
    assert(role >= 0 && size_t(role) < program_->roles.size());
    const auto &r = program_->roles[role];
    assert(inSet(r.principalSet, p) && "a variable of another role's member");
    assert(var >= 0 && size_t(var) < r.vars.size());
    int first = program_->principalSets[r.principalSet].first;
    return varBase_[role] + (p - first) * int(r.vars.size()) + var;
  }
  int timerIndex(int role, int p, int timer) const {
    assert(role >= 0 && size_t(role) < program_->roles.size());
    const auto &r = program_->roles[role];
    assert(inSet(r.principalSet, p) && "a timer of another role's member");
    assert(timer >= 0 && size_t(timer) < r.timers.size());
    int first = program_->principalSets[r.principalSet].first;
    return timerBase_[role] + (p - first) * int(r.timers.size()) + timer;
  }
  // -1 if the transition is not refracted.
  int firedIndex(int role, int transition, int p) const {
    int base = firedBase_[role][transition];
    if (base < 0)
      return -1;
    int first =
        program_->principalSets[program_->roles[role].principalSet].first;
    return base + (p - first);
  }
  int knownIndex(int record, int p) const {
    assert(record >= 0 && record < numRecords());
    assert(p >= 0 && p < numPrincipals());
    return record * numPrincipals() + p;
  }
  bool inSet(int set, int p) const {
    const auto &s = program_->principalSets[set];
    return p >= s.first && p < s.first + s.size;
  }
  // The role whose principal set holds `p`, or -1.
  int roleOf(int p) const {
    for (size_t r = 0; r < program_->roles.size(); ++r)
      if (inSet(program_->roles[r].principalSet, p))
        return int(r);
    return -1;
  }
  // Every (role, principal) owning a var slot, for diffs and printing.
  struct VarSlot {
    int role, principal, var;
  };
  const std::vector<VarSlot> &varSlots() const { return varSlots_; }
  size_t numFired() const { return numFired_; }
  bool hasCrash() const { return hasCrash_; }     // a crash or recover fault
  bool hasRecover() const { return hasRecover_; } // a recover fault
  bool hasByz() const { return hasByz_; }
  // The var slots and record types whose values may hold an `int model
  // lo..hi` (withinModelRanges, checker/Eval.h).
  const std::vector<int> &modelVars() const { return modelVars_; }
  const std::vector<int> &modelRecords() const { return modelRecords_; }
  bool hasModelRanges() const {
    return !modelVars_.empty() || !modelRecords_.empty();
  }
  std::string principalName(int p) const;
  // A value as traces and diagnostics show it: in the language's syntax,
  // with the integers that hold named constants shown by name
  // (ir/ConstantNames.h); `role` and `var` name the variable holding `v`.
  std::string show(const Value &v, int role = -1, int var = -1) const {
    return showValue(*program_, v, constantNames_, role, var);
  }
  const ir::ConstantNames &constantNames() const { return constantNames_; }
  // Principal, record and field names, for rendering values as JSON
  // (rt::Value::toJson, the runtime's rendering).
  const rt::Names &names() const { return names_; }
  // The set of the members of principal set `set`.
  const Value &principalSetValue(int set) const {
    return setValues_[size_t(set)];
  }
  // The empty state with every vector sized (vars hold `false`, the default
  // value).
  State emptyState() const;

  // Canonical bytes of a state (sets already canonical).
  void encode(const State &s, std::string &out) const;
  bool decode(const std::string &in, State &s) const;
  // Bit position, in the encoding of `s` (`encodedSize` bytes long), of the
  // knowledge bit of statement `index` of the pool of `record` for
  // principal `p` (the bitmaps come last, before crashed, byz and rounds).
  size_t knownBit(const State &s, size_t encodedSize, int record, int p,
                  size_t index) const;

private:
  const ir::Program *program_;
  std::vector<int> varBase_, timerBase_;
  std::vector<std::vector<int>> firedBase_;
  std::vector<VarSlot> varSlots_;
  std::vector<Value> setValues_;
  rt::Names names_;
  ir::ConstantNames constantNames_;
  std::vector<int> modelVars_, modelRecords_;
  size_t numVars_ = 0, numTimers_ = 0, numFired_ = 0;
  bool hasCrash_ = false, hasRecover_ = false, hasByz_ = false;
};

Value makeStatement(int issuer, Value ver, Value aud, Value msg);

} // namespace mommie::checker
