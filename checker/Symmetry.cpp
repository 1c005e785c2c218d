// Symmetric-set analysis and orbit canonicalization (see Symmetry.h).
#include "checker/Symmetry.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace mommie::checker {

namespace {

// Marks sets that an expression can distinguish members of.
struct Analyzer {
  const ir::Program &prog;
  std::vector<bool> &sym;
  std::vector<std::string> *reasons;

  void breakSet(int set, const ir::SourceLoc &loc, const std::string &why) {
    auto mark = [&](int s) {
      if (s < 0 || size_t(s) >= sym.size() || !sym[size_t(s)])
        return;
      sym[size_t(s)] = false;
      if (reasons)
        reasons->push_back(fmt::format(
            "{}: {} at line {}", prog.principalSets[s].name, why, loc.line));
    };
    if (set >= 0) {
      mark(set);
    } else {
      for (size_t s = 0; s < sym.size(); ++s)
        mark(int(s));
    }
  }

  int setOfPrincipal(int64_t p) {
    for (size_t s = 0; s < prog.principalSets.size(); ++s) {
      const auto &ps = prog.principalSets[s];
      if (p >= ps.first && p < ps.first + ps.size)
        return int(s);
    }
    return -1;
  }

  // The principal set a type's principals come from (-1: any, -2: none).
  int principalSetIn(const ir::Type *t) {
    if (!t)
      return -2;
    if (t->kind == ir::TypeKind::Principal)
      return t->principalSet;
    for (const auto &a : t->args) {
      int s = principalSetIn(a.get());
      if (s != -2)
        return s;
    }
    return -2;
  }

  void expr(const ir::Expr *e) {
    if (!e)
      return;
    switch (e->kind) {
    case ir::ExprKind::PrincipalLit:
      breakSet(setOfPrincipal(e->intVal), e->loc, "a member is named");
      break;
    case ir::ExprKind::Index:
      if (!e->args.empty() && e->args[0]->kind == ir::ExprKind::PrincipalSet)
        breakSet(e->args[0]->index, e->loc, "a member is selected by index");
      break;
    case ir::ExprKind::Binary:
      if (e->op == ir::Op::Lt || e->op == ir::Op::Le || e->op == ir::Op::Gt ||
          e->op == ir::Op::Ge) {
        int s = principalSetIn(e->args[0]->type.get());
        if (s != -2)
          breakSet(s, e->loc, "principals are ordered");
      }
      break;
    case ir::ExprKind::Builtin:
      if (e->builtin == ir::Builtin::Max || e->builtin == ir::Builtin::Min) {
        int s = principalSetIn(e->args[0]->type.get());
        if (s != -2)
          breakSet(s, e->loc, "principals are ordered");
      }
      break;
    default:
      break;
    }
    for (const auto &a : e->args)
      expr(a.get());
    if (e->pattern)
      pattern(*e->pattern);
  }

  void pattern(const ir::Pattern &p) {
    expr(p.issuer.expr.get());
    expr(p.issuer.threshold.get());
    expr(p.verifier.expr.get());
    expr(p.auditor.expr.get());
    for (const auto &c : p.constraints) {
      expr(c.expr.get());
      if (c.op != ir::Op::Eq && c.op != ir::Op::Ne) {
        int s = principalSetIn(c.expr ? c.expr->type.get() : nullptr);
        if (s != -2)
          breakSet(s, c.loc, "principals are ordered");
      }
    }
  }

  void block(const ir::Block &b) {
    for (const auto &s : b) {
      expr(s->value.get());
      expr(s->cond.get());
      expr(s->verifier.get());
      expr(s->auditor.get());
      for (const auto &st : s->path)
        expr(st.key.get());
      if (s->progress)
        pattern(*s->progress);
      block(s->thenBody);
      block(s->elseBody);
    }
  }

  void temporal(const ir::Temporal *t) {
    if (!t)
      return;
    expr(t->state.get());
    for (const auto &a : t->args)
      temporal(a.get());
  }

  void program() {
    for (const auto &f : prog.funs)
      expr(f.body.get());
    for (const auto &r : prog.roles) {
      for (const auto &v : r.vars) {
        expr(v.init.get());
        expr(v.initSet.get());
      }
      for (const auto &t : r.transitions) {
        for (const auto &p : t.triggers)
          pattern(p);
        expr(t.guard.get());
        block(t.body);
      }
      if (r.phase)
        for (const auto &rd : r.phase->rounds) {
          for (const auto &pc : rd.progress)
            expr(pc.expr.get());
          for (const auto &s : rd.sends) {
            expr(s.payload.get());
            expr(s.dest.get());
            expr(s.cond.get());
          }
          block(rd.update);
        }
    }
    for (const auto &i : prog.invariants)
      expr(i.expr.get());
    for (const auto &p : prog.properties)
      temporal(p.formula.get());
    for (const auto &c : prog.commPredicates)
      expr(c.expr.get());
    expr(prog.termination.expr.get());
  }
};

} // namespace

std::vector<bool> Symmetry::symmetricSets(const ir::Program &program,
                                          std::vector<std::string> *reasons) {
  std::vector<bool> sym(program.principalSets.size(), true);
  for (size_t s = 0; s < sym.size(); ++s)
    if (program.principalSets[s].size < 2)
      sym[s] = false;
  Analyzer a{program, sym, reasons};
  a.program();
  return sym;
}

Symmetry::Symmetry(const Layout &layout, bool enable) : layout_(layout) {
  if (!enable) {
    description_ = "off (--no-symmetry)";
    return;
  }
  const auto &prog = layout.program();
  std::vector<std::string> reasons;
  auto sym = symmetricSets(prog, &reasons);
  std::vector<std::string> used;
  const size_t cap = 5040; // the group's order, as with a full search
  size_t order = 1;
  for (size_t s = 0; s < sym.size(); ++s) {
    if (!sym[s])
      continue;
    const auto &ps = prog.principalSets[s];
    size_t fact = 1;
    for (int i = 2; i <= ps.size; ++i)
      fact *= size_t(i);
    if (order * fact > cap) {
      reasons.push_back(fmt::format("{}: group too large", ps.name));
      continue;
    }
    order *= fact;
    sets_.push_back({ps.first, ps.size});
    used.push_back(fmt::format("{} ({} principals)", ps.name, ps.size));
  }
  if (used.empty()) {
    description_ = "off (no interchangeable principal set)";
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
  if (v.kind == Value::Kind::Principal)
    return true;
  for (const auto &e : v.elems)
    if (hasPrincipal(e))
      return true;
  return false;
}

} // namespace

uint64_t Symmetry::keyOf(const State &s, int p, std::string &buf) const {
  buf.clear();
  const Owned &o = owned_[size_t(p)];
  for (int i : o.vars) {
    const Value &v = s.vars[size_t(i)];
    if (hasPrincipal(v)) // renaming changes the value, not its shape
      buf.push_back('\xff');
    else
      encodeValue(v, buf);
  }
  for (int i : o.timers)
    buf.push_back(char(s.timers[size_t(i)]));
  for (int i : o.fired)
    putVarint(buf, s.fired[size_t(i)].elems.size());
  for (int r = 0; r < layout_.numRecords(); ++r)
    if (!s.pool[size_t(r)].elems.empty())
      putVarint(buf, s.known[size_t(layout_.knownIndex(r, p))].elems.size());
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
  Value r{v.kind, v.num, {}};
  if (v.kind == Value::Kind::Principal) {
    if (v.num >= 0 && size_t(v.num) < perm.size())
      r.num = perm[size_t(v.num)];
    return r;
  }
  r.elems.reserve(v.elems.size());
  for (const auto &e : v.elems)
    r.elems.push_back(renameValue(e, perm));
  if (v.kind == Value::Kind::Set || v.kind == Value::Kind::Map) {
    // Children are canonical; only this level needs re-sorting.
    Value shallow{v.kind, 0, {}};
    shallow.elems = std::move(r.elems);
    if (v.kind == Value::Kind::Set) {
      std::sort(shallow.elems.begin(), shallow.elems.end());
    } else {
      size_t n = shallow.elems.size() / 2;
      std::vector<size_t> idx(n);
      for (size_t i = 0; i < n; ++i)
        idx[i] = i;
      std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
        return shallow.elems[2 * a] < shallow.elems[2 * b];
      });
      std::vector<Value> out;
      out.reserve(shallow.elems.size());
      for (size_t i : idx) {
        out.push_back(std::move(shallow.elems[2 * i]));
        out.push_back(std::move(shallow.elems[2 * i + 1]));
      }
      shallow.elems = std::move(out);
    }
    return shallow;
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
    if (s.pool[rec].elems.empty()) {
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
