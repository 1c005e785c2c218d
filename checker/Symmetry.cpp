// Symmetric-set analysis and orbit canonicalization (see Symmetry.h).
#include "checker/Symmetry.h"

#include "ir/Symmetric.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace mommie::checker {

Symmetry::Symmetry(const Layout &layout, bool enable) : layout_(layout) {
  if (!enable) {
    description_ = "off (--no-symmetry)";
    return;
  }
  const auto &prog = layout.program();
  auto [sym, reasons] = ir::symmetricSets(prog);
  std::vector<std::string> used;
  for (size_t s = 0; s < sym.size(); ++s) {
    if (!sym[s])
      continue;
    const auto &ps = prog.principalSets[s];
    sets_.push_back({ps.first, ps.size});
    used.push_back(fmt::format("{} ({} principals)", ps.name, ps.size));
  }
  if (used.empty()) {
    description_ = "off (no interchangeable principal set";
    for (size_t i = 0; i < reasons.size(); ++i)
      description_ += (i ? "; " : ": ") + reasons[i];
    description_ += ")";
    return;
  }
  description_ = "on over ";
  for (size_t i = 0; i < used.size(); ++i)
    description_ += (i ? ", " : "") + used[i];
  owned_.resize(size_t(layout.numPrincipals()));
  for (const auto &vs : layout.varSlots())
    owned_[size_t(vs.principal)].vars.push_back(
        layout.varIndex(vs.role, vs.principal, vs.var));
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &role = prog.roles[r];
    const auto &set = prog.principalSets[role.principalSet];
    for (int p = set.first; p < set.first + set.size; ++p) {
      for (size_t tm = 0; tm < role.timers.size(); ++tm)
        owned_[size_t(p)].timers.push_back(
            layout.timerIndex(int(r), p, int(tm)));
      for (size_t tr = 0; tr < role.transitions.size(); ++tr)
        if (int f = layout.firedIndex(int(r), int(tr), p); f >= 0)
          owned_[size_t(p)].fired.push_back(f);
    }
  }
}

namespace {

bool hasPrincipal(const Value &v) {
  if (v.is(Kind::Principal))
    return true;
  for (const auto &e : v.elems())
    if (hasPrincipal(e))
      return true;
  return false;
}

void putSize(std::string &buf, size_t n) {
  uint32_t x = uint32_t(n);
  buf.append(reinterpret_cast<const char *>(&x), sizeof x);
}

} // namespace

uint64_t Symmetry::keyOf(const State &s, int p, std::string &buf) const {
  thread_local rt::Writer w;
  buf.clear();
  const Owned &o = owned_[size_t(p)];
  for (int i : o.vars) {
    const Value &v = s.vars[size_t(i)];
    if (hasPrincipal(v)) { // renaming changes the value, not its shape
      buf.push_back('\xff');
      continue;
    }
    w.buffer().clear();
    v.encode(w);
    buf.append(w.buffer().begin(), w.buffer().end());
  }
  for (int i : o.timers)
    buf.push_back(char(s.timers[size_t(i)]));
  for (int i : o.fired)
    putSize(buf, s.fired[size_t(i)].size());
  for (int r = 0; r < layout_.numRecords(); ++r)
    if (!s.pool[size_t(r)].elems().empty())
      putSize(buf, s.known[size_t(layout_.knownIndex(r, p))].size());
  buf.push_back(char(s.isCrashed(p)));
  buf.push_back(char(s.isByz(p)));
  return std::hash<std::string>{}(buf);
}

// Every permutation from tie group `tie` on, each tried as in canonical().
void Symmetry::orders(const State &s, Scratch &w, size_t tie) const {
  if (tie == w.ties.size()) {
    bool identity = true;
    for (size_t i = 0; i < w.perm.size() && identity; ++i)
      identity = w.perm[i] == int(i);
    if (identity) // `s` itself: no copy
      layout_.encode(s, w.trial);
    else
      layout_.encode(w.cand = apply(s, w.perm), w.trial);
    if (w.bytes.empty() || w.trial < w.bytes) {
      w.bytes.swap(w.trial);
      w.identity = identity;
      if (!identity)
        std::swap(w.best, w.cand);
    }
    return;
  }
  auto &[members, slots] = w.ties[tie];
  std::sort(members.begin(), members.end());
  do {
    for (size_t i = 0; i < members.size(); ++i)
      w.perm[size_t(members[i])] = slots[i];
    orders(s, w, tie + 1);
  } while (std::next_permutation(members.begin(), members.end()));
}

const State &Symmetry::canonical(const State &s, Scratch &w) const {
  int np = layout_.numPrincipals();
  w.perm.resize(size_t(np));
  for (int i = 0; i < np; ++i)
    w.perm[size_t(i)] = i;
  w.ties.clear();
  for (const auto &[first, size] : sets_) {
    w.keyed.clear();
    for (int p = first; p < first + size; ++p)
      w.keyed.push_back({keyOf(s, p, w.key), p});
    std::sort(w.keyed.begin(), w.keyed.end());
    for (size_t i = 0; i < w.keyed.size();) {
      size_t j = i;
      std::vector<int> members, slots;
      for (; j < w.keyed.size() && w.keyed[j].first == w.keyed[i].first; ++j) {
        members.push_back(w.keyed[j].second);
        slots.push_back(first + int(j));
      }
      if (members.size() == 1)
        w.perm[size_t(members[0])] = slots[0];
      else
        w.ties.push_back({std::move(members), std::move(slots)});
      i = j;
    }
  }
  w.bytes.clear();
  orders(s, w, 0);
  return w.identity ? s : w.best;
}

Value renameValue(const Value &v, const std::vector<int> &perm) {
  if (v.is(Kind::Principal)) {
    int64_t p = v.scalar();
    return p >= 0 && size_t(p) < perm.size() ? Value::principal(perm[size_t(p)])
                                             : v;
  }
  const auto &from = v.elems();
  if (from.empty())
    return v;
  Value r = v; // shares v's elements until one of them changes
  Value::Elems *changed = nullptr;
  for (size_t i = 0; i < from.size(); ++i) {
    Value e = renameValue(from[i], perm);
    if (e.sameRep(from[i]))
      continue;
    if (!changed)
      changed = &r.mutableElems(); // a copy: `v` keeps its vector
    (*changed)[i] = std::move(e);
  }
  if (!changed)
    return v;
  auto &es = *changed;
  // Children are canonical; only this level needs re-sorting.
  if (v.is(Kind::Set)) {
    std::sort(es.begin(), es.end());
  } else if (v.is(Kind::Map)) {
    size_t n = es.size() / 2;
    std::vector<size_t> idx(n);
    for (size_t i = 0; i < n; ++i)
      idx[i] = i;
    std::sort(idx.begin(), idx.end(),
              [&](size_t a, size_t b) { return es[2 * a] < es[2 * b]; });
    Value::Elems out;
    out.reserve(es.size());
    for (size_t i : idx) {
      out.push_back(std::move(es[2 * i]));
      out.push_back(std::move(es[2 * i + 1]));
    }
    es = std::move(out);
  }
  return r;
}

State Symmetry::apply(const State &s, const std::vector<int> &perm) const {
  const auto &prog = layout_.program();
  // Every var and refraction slot and every non-empty record's pool and
  // knowledge are written below: copy only the rest.
  State t;
  t.vars.resize(s.vars.size());
  t.timers = s.timers;
  t.fired.resize(s.fired.size());
  t.pool.resize(s.pool.size());
  t.known.resize(s.known.size());
  t.crashed.resize(s.crashed.size());
  t.byz.resize(s.byz.size());
  t.phaseNo = s.phaseNo;
  t.roundNo = s.roundNo;
  for (const auto &vs : layout_.varSlots())
    t.vars[size_t(
        layout_.varIndex(vs.role, perm[size_t(vs.principal)], vs.var))] =
        renameValue(
            s.vars[size_t(layout_.varIndex(vs.role, vs.principal, vs.var))],
            perm);
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &role = prog.roles[r];
    const auto &set = prog.principalSets[role.principalSet];
    for (int i = 0; i < set.size; ++i) {
      int p = set.first + i, q = perm[size_t(p)];
      for (size_t tm = 0; tm < role.timers.size(); ++tm)
        t.timers[size_t(layout_.timerIndex(int(r), q, int(tm)))] =
            s.timers[size_t(layout_.timerIndex(int(r), p, int(tm)))];
      for (size_t tr = 0; tr < role.transitions.size(); ++tr) {
        int from = layout_.firedIndex(int(r), int(tr), p);
        if (from < 0)
          continue;
        t.fired[size_t(layout_.firedIndex(int(r), int(tr), q))] =
            renameValue(s.fired[size_t(from)], perm);
      }
    }
  }
  for (size_t rec = 0; rec < s.pool.size(); ++rec) {
    if (s.pool[rec].elems().empty()) {
      t.pool[rec] = s.pool[rec];
      for (int p = 0; p < layout_.numPrincipals(); ++p)
        t.known[size_t(layout_.knownIndex(int(rec), p))] =
            s.known[size_t(layout_.knownIndex(int(rec), p))];
      continue;
    }
    t.pool[rec] = renameValue(s.pool[rec], perm);
    for (int p = 0; p < layout_.numPrincipals(); ++p)
      t.known[size_t(layout_.knownIndex(int(rec), perm[size_t(p)]))] =
          renameValue(s.known[size_t(layout_.knownIndex(int(rec), p))], perm);
  }
  for (size_t p = 0; p < s.crashed.size(); ++p)
    t.crashed[size_t(perm[p])] = s.crashed[p];
  for (size_t p = 0; p < s.byz.size(); ++p)
    t.byz[size_t(perm[p])] = s.byz[p];
  return t;
}

} // namespace mommie::checker
