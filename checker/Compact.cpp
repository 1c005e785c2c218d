// Compact states: word layout, encoding by interning, incremental decoding.
#include "checker/Compact.h"

#include "ir/Walk.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>

namespace mommie::checker {

static inline uint64_t mum(uint64_t a, uint64_t b) {
  __uint128_t r = __uint128_t(a) * b;
  return uint64_t(r) ^ uint64_t(r >> 64);
}

uint64_t hashWords(const uint32_t *w, size_t n) {
  uint64_t h = 0x243F6A8885A308D3ull ^ mum(n, 0xa0761d6478bd642full);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint64_t a, b;
    std::memcpy(&a, w + i, 8);
    std::memcpy(&b, w + i + 2, 8);
    h = mum(h ^ a ^ 0xe7037ed1a0b428dbull, b ^ 0x8ebc6af09c88c6e3ull);
  }
  for (; i < n; ++i)
    h = mum(h ^ w[i] ^ 0x589965cc75374cc3ull, 0x1d8e4e27c47d124full);
  return mum(h, 0xeb44accab455d165ull) ^ (h >> 29);
}

Compact::Compact(const Layout &layout, Interner &interner)
    : layout_(layout), interner_(interner) {
  State e = layout.emptyState();
  numVars_ = e.vars.size();
  numFired_ = e.fired.size();
  numKnown_ = e.known.size();
  numTimers_ = e.timers.size();
  numPrincipals_ = size_t(layout.numPrincipals());
  crash_ = layout.hasCrash();
  byz_ = layout.hasByz();
  firedBase_ = numVars_;
  poolBase_ = firedBase_ + numFired_;
  knownBase_ = poolBase_ + size_t(layout.numRecords());
  bitsBase_ = knownBase_ + numKnown_;
  size_t bits =
      numTimers_ + (crash_ ? numPrincipals_ : 0) + (byz_ ? numPrincipals_ : 0);
  roundBase_ = bitsBase_ + (bits + 31) / 32;
  words_ = roundBase_ + 4;
}

void Compact::encode(const State &s, uint32_t *out) {
  for (size_t i = 0; i < numVars_; ++i)
    out[i] = interner_.intern(s.vars[i]);
  for (size_t i = 0; i < numFired_; ++i)
    out[firedBase_ + i] = interner_.intern(s.fired[i]);
  for (size_t r = 0; r < s.pool.size(); ++r)
    out[poolBase_ + r] = interner_.intern(s.pool[r]);
  for (size_t k = 0; k < numKnown_; ++k)
    out[knownBase_ + k] = interner_.intern(s.known[k]);
  for (size_t w = bitsBase_; w < roundBase_; ++w)
    out[w] = 0;
  size_t bit = 0;
  for (size_t t = 0; t < numTimers_; ++t, ++bit)
    setBit(out, bit, s.timers[t] != 0);
  if (crash_)
    for (size_t p = 0; p < numPrincipals_; ++p, ++bit)
      setBit(out, bit, s.crashed[p] != 0);
  if (byz_)
    for (size_t p = 0; p < numPrincipals_; ++p, ++bit)
      setBit(out, bit, s.byz[p] != 0);
  out[roundBase_] = uint32_t(uint64_t(s.phaseNo));
  out[roundBase_ + 1] = uint32_t(uint64_t(s.phaseNo) >> 32);
  out[roundBase_ + 2] = uint32_t(uint64_t(s.roundNo));
  out[roundBase_ + 3] = uint32_t(uint64_t(s.roundNo) >> 32);
}

void Compact::decode(const uint32_t *in, State &s, const uint32_t *prev) const {
  if (!prev || s.vars.size() != numVars_)
    s = layout_.emptyState();
  auto slot = [&](size_t w, Value &v) {
    if (!prev || prev[w] != in[w])
      interner_.assign(in[w], v);
  };
  for (size_t i = 0; i < numVars_; ++i)
    slot(i, s.vars[i]);
  for (size_t i = 0; i < numFired_; ++i)
    slot(firedBase_ + i, s.fired[i]);
  for (size_t r = 0; r < s.pool.size(); ++r)
    slot(poolBase_ + r, s.pool[r]);
  for (size_t k = 0; k < numKnown_; ++k)
    slot(knownBase_ + k, s.known[k]);
  size_t bit = 0;
  for (size_t t = 0; t < numTimers_; ++t, ++bit)
    s.timers[t] = getBit(in, bit);
  if (crash_)
    for (size_t p = 0; p < numPrincipals_; ++p, ++bit)
      s.crashed[p] = getBit(in, bit);
  if (byz_)
    for (size_t p = 0; p < numPrincipals_; ++p, ++bit)
      s.byz[p] = getBit(in, bit);
  s.phaseNo =
      int64_t(uint64_t(in[roundBase_]) | uint64_t(in[roundBase_ + 1]) << 32);
  s.roundNo = int64_t(uint64_t(in[roundBase_ + 2]) |
                      uint64_t(in[roundBase_ + 3]) << 32);
}

namespace {

// Collects the words an invariant reads; `ok` drops to false on anything
// that could read more than the walk can tell.
struct DepWalk {
  const Layout &layout;
  std::set<size_t> &words;
  size_t bitsLo, bitsHi, roundLo, roundHi; // crashed / Byzantine bits, counters
  std::function<size_t(int)> statementsWord; // what KNOWN reads of a record
  int role = -1, me = -1; // a transition's role and principal
  std::set<int> funs;
  bool ok = true;

  void range(size_t lo, size_t hi) {
    for (size_t w = lo; w < hi; ++w)
      words.insert(w);
  }

  void block(const ir::Block &b) {
    ir::forEachStmt(b, [&](const ir::Stmt &s) {
      ir::forEachStmtExpr(
          s, [&](const ir::Expr &x) { expr(&x); }, ir::StmtExprs::Evaluated);
    });
  }

  void pattern(const ir::Pattern &p) {
    ir::forEachPatternExpr(p, [&](const ir::Expr &x) { expr(&x); });
  }

  void expr(const ir::Expr *e) {
    if (!e || !ok)
      return;
    const auto &prog = layout.program();
    switch (e->kind) {
    case ir::ExprKind::StateVar: {
      if (me < 0 || e->role != role) {
        ok = false; // ME-relative outside a transition of that role
        return;
      }
      size_t nv = prog.roles.at(size_t(role)).vars.size();
      for (size_t v = 0; v < nv; ++v)
        words.insert(size_t(layout.varIndex(role, me, int(v))));
      break;
    }
    case ir::ExprKind::Me:
      if (me < 0) {
        ok = false;
        return;
      }
      break;
    case ir::ExprKind::StateVarOf: {
      const auto &role = prog.roles.at(size_t(e->role));
      const auto &set = prog.principalSets.at(size_t(role.principalSet));
      for (int i = 0; i < set.size; ++i)
        words.insert(size_t(layout.varIndex(e->role, set.first + i, e->var)));
      break;
    }
    case ir::ExprKind::Known:
      if (!e->pattern || e->pattern->record < 0 ||
          e->pattern->record >= layout.numRecords()) {
        ok = false;
        return;
      }
      words.insert(statementsWord(e->pattern->record));
      break;
    case ir::ExprKind::Builtin:
      if (e->builtin == ir::Builtin::Correct ||
          e->builtin == ir::Builtin::Crashed)
        range(bitsLo, bitsHi);
      break;
    case ir::ExprKind::PhaseNo:
    case ir::ExprKind::RoundNo:
      range(roundLo, roundHi);
      break;
    case ir::ExprKind::Call:
      if (e->index < 0 || size_t(e->index) >= prog.funs.size()) {
        ok = false;
        return;
      }
      if (funs.insert(e->index).second)
        expr(prog.funs[size_t(e->index)].body.get());
      break;
    case ir::ExprKind::IntLit:
    case ir::ExprKind::BoolLit:
    case ir::ExprKind::PrincipalLit:
    case ir::ExprKind::NoneLit:
    case ir::ExprKind::Slot:
    case ir::ExprKind::Field:
    case ir::ExprKind::Index:
    case ir::ExprKind::TupleGet:
    case ir::ExprKind::Unary:
    case ir::ExprKind::Binary:
    case ir::ExprKind::Ite:
    case ir::ExprKind::SetLit:
    case ir::ExprKind::RangeSet:
    case ir::ExprKind::SetFilter:
    case ir::ExprKind::SetMap:
    case ir::ExprKind::Forall:
    case ir::ExprKind::Exists:
    case ir::ExprKind::MapCons:
    case ir::ExprKind::RecordCons:
    case ir::ExprKind::TupleCons:
    case ir::ExprKind::SeqCons:
    case ir::ExprKind::SomeCons:
    case ir::ExprKind::PrincipalSet:
      break;
    default:
      ok = false; // an expression kind this walk does not know
      return;
    }
    ir::forEachChild(*e, [&](const ir::Expr &c) { expr(&c); });
  }
};

} // namespace

bool Compact::invariantWords(std::vector<size_t> &out) const {
  std::set<size_t> words;
  DepWalk walk{layout_,
               words,
               bitsBase_,
               roundBase_,
               roundBase_,
               words_,
               [&](int rec) { return poolWord(rec); },
               -1,
               -1,
               {}};
  for (const auto &inv : layout_.program().invariants)
    walk.expr(inv.expr.get());
  out.assign(words.begin(), words.end());
  return walk.ok;
}

bool Compact::transitionKey(
    int role, int ti, int p,
    std::vector<std::pair<size_t, uint32_t>> &out) const {
  const auto &prog = layout_.program();
  const auto &r = prog.roles.at(size_t(role));
  const auto &t = r.transitions.at(size_t(ti));
  std::set<size_t> words;
  std::map<size_t, uint32_t> masks;
  DepWalk walk{layout_,
               words,
               bitsBase_,
               roundBase_,
               roundBase_,
               words_,
               [&](int rec) { return knownWord(rec, p); },
               role,
               p,
               {}};
  // What every firing reads or writes: ME's variables, timers and
  // refraction set, and ME's knowledge of each trigger's record.
  for (size_t v = 0; v < r.vars.size(); ++v)
    words.insert(size_t(layout_.varIndex(role, p, int(v))));
  for (size_t k = 0; k < r.timers.size(); ++k) {
    size_t bit = size_t(layout_.timerIndex(role, p, int(k)));
    masks[bitsBase_ + bit / 32] |= 1u << (bit % 32);
  }
  int fired = layout_.firedIndex(role, ti, p);
  if (fired >= 0)
    words.insert(firedWord(size_t(fired)));
  for (const auto &pat : t.triggers) {
    if (pat.record < 0 || pat.record >= layout_.numRecords())
      return false;
    words.insert(knownWord(pat.record, p));
    walk.pattern(pat);
  }
  walk.expr(t.guard.get());
  walk.block(t.body);
  out.clear();
  for (size_t w : words)
    out.emplace_back(w, ~0u);
  for (const auto &[w, m] : masks)
    out.emplace_back(w, m);
  return walk.ok;
}

} // namespace mommie::checker
