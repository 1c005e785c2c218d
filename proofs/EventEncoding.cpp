// The bounded encoding of event-driven programs (docs/semantics.md,
// "Event-driven programs"). The pool of each record type X is a finite set
// over a statement universe computed from the program:
//   - every statement a correct principal can publish: for each PUBLISH of
//     a transition of role Ro, each principal p of Ro as issuer, the
//     verifier and auditor sets the PUBLISH can produce (constant sets, or
//     every singleton of the type when it names one principal), and every
//     value of X's finite domain as the message;
//   - every statement a Byzantine principal can publish ([b, {q}, {}, x]
//     for b Byzantine-capable, q any principal, x any value of X), for
//     the record types some pattern can match.
// pool[X][s] is one Bool per statement; known[X][q][s] is one Bool when q
// can ever know s (q is its issuer or one of its verifiers), the constant
// false otherwise. Refraction keeps one Bool per principal and per binding
// of the binding domain (the product of the parameter and pattern variable
// types). Steps: one per (transition, principal), one Deliver per record
// type, one ByzPublish per record type, Crash and Recover (Encoding.cpp). A
// step that publishes checks that every published statement is in the universe
// (goal PoolUniverse), so that a too small universe cannot hide behaviours
// (a published record outside its `int model` ranges is not missing from
// the universe: it takes the step outside the model, a hypothesis);
// PoolOK (known statements are in the pool and known to no Byzantine
// principal, a statement in the pool is known to its issuer unless the
// issuer is Byzantine or may restart) is assumed in every pre-state and proved
// like TypeOK.
#include "proofs/Encoding.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace mommie::proofs {

namespace {

using ir::Pattern;
using IK = ir::IssuerPattern::Kind;
using PK = ir::PartyPattern::Kind;

struct Statement {
  int iss = 0;
  std::vector<bool> ver, aud; // by global principal id
  SVal msg;                   // a constant value of the record
  size_t msgIndex = 0;        // in the record's domain
  bool correct = false;       // a correct principal may publish it
  bool byz = false;           // a Byzantine principal may publish it
};

struct Binding {
  std::vector<SVal> domain; // tuples: params, issuer binders, records
};

struct EventModel {
  std::vector<std::vector<Statement>> stmts;  // [record]
  std::vector<std::vector<Binding>> bindings; // [role][transition]
  std::vector<bool> byzPublishable;           // [record]
};

bool isConstSet(const SVal &v) {
  if (v.kind != SVal::Kind::Set)
    return false;
  for (size_t i = 0; i < v.items.size(); ++i)
    if (!TermStore::isConst(v.guards[i]) ||
        v.items[i].kind != SVal::Kind::Scalar ||
        !TermStore::isConst(v.items[i].t))
      return false;
  return true;
}

std::vector<bool> bitsOf(const SVal &set, int n) {
  std::vector<bool> bits(n, false);
  for (size_t i = 0; i < set.items.size(); ++i)
    if (set.guards[i]->val && set.items[i].t->val >= 0 &&
        set.items[i].t->val < n)
      bits[set.items[i].t->val] = true;
  return bits;
}

SVal setOfBits(TermStore &s, const std::vector<bool> &bits) {
  SVal r;
  r.kind = SVal::Kind::Set;
  for (size_t q = 0; q < bits.size(); ++q)
    if (bits[q]) {
      r.guards.push_back(s.boolConst(true));
      r.items.push_back(SVal::scalar(s.intConst(static_cast<int64_t>(q))));
    }
  return r;
}

void collectPublishes(const ir::Block &block,
                      std::vector<const ir::Stmt *> &out) {
  for (const auto &st : block) {
    if (st->kind == ir::StmtKind::Publish)
      out.push_back(st.get());
    collectPublishes(st->thenBody, out);
    collectPublishes(st->elseBody, out);
  }
}

void collectPatternRecords(const ir::Expr *e, std::vector<bool> &out);

void collectPatternRecords(const ir::Block &block, std::vector<bool> &out) {
  for (const auto &st : block) {
    collectPatternRecords(st->value.get(), out);
    collectPatternRecords(st->cond.get(), out);
    collectPatternRecords(st->verifier.get(), out);
    collectPatternRecords(st->auditor.get(), out);
    collectPatternRecords(st->thenBody, out);
    collectPatternRecords(st->elseBody, out);
  }
}

void collectPatternRecords(const ir::Expr *e, std::vector<bool> &out) {
  if (!e)
    return;
  if (e->kind == ir::ExprKind::Known && e->pattern && e->pattern->record >= 0 &&
      e->pattern->record < static_cast<int>(out.size()))
    out[e->pattern->record] = true;
  for (const auto &a : e->args)
    collectPatternRecords(a.get(), out);
}

// The candidate sets of a PUBLISH verifier / auditor expression at `me`.
std::vector<std::vector<bool>> partySets(StateBuilder &b, const ir::Expr &e,
                                         int me, size_t numSlots) {
  const int n = b.prog.numPrincipals;
  if (e.type && e.type->kind == ir::TypeKind::Principal) {
    std::vector<std::vector<bool>> out;
    for (auto &v : b.ops.domain(*e.type)) {
      std::vector<bool> bits(n, false);
      if (v.t->val >= 0 && v.t->val < n)
        bits[v.t->val] = true;
      out.push_back(bits);
    }
    return out;
  }
  SymState empty;
  Evaluator ev(b.ops, empty, me, numSlots);
  SVal v;
  try {
    v = ev.asPrincipalSet(e);
  } catch (const Unsupported &) {
    throw Unsupported("a PUBLISH verifier or auditor set that depends on "
                      "the state (only constant sets or single principals "
                      "are supported)");
  }
  if (!isConstSet(v))
    throw Unsupported("a PUBLISH verifier or auditor set that is not "
                      "constant");
  return {bitsOf(v, n)};
}

std::string stmtText(const StateBuilder &b, const Statement &st, int record) {
  auto names = [&](const std::vector<bool> &bits) {
    std::string out = "{";
    bool first = true;
    for (size_t q = 0; q < bits.size(); ++q)
      if (bits[q]) {
        out += (first ? "" : ", ") + b.principalName(static_cast<int>(q));
        first = false;
      }
    return out + "}";
  };
  ir::Type rt;
  rt.kind = ir::TypeKind::Record;
  rt.record = record;
  return fmt::format(
      "[{}, {}, {}] {}", b.principalName(st.iss), names(st.ver), names(st.aud),
      showValue(
          b.prog, rt, st.msg, [](Term t) { return t->val; }, &b.names));
}

EventModel buildModel(StateBuilder &b) {
  const ir::Program &prog = b.prog;
  auto &s = b.s;
  const int n = prog.numPrincipals;
  EventModel m;
  m.stmts.resize(prog.records.size());
  m.byzPublishable.assign(prog.records.size(), false);
  // Record types a pattern can match (triggers and KNOWN).
  for (const auto &role : prog.roles)
    for (const auto &t : role.transitions) {
      for (const auto &p : t.triggers)
        if (p.record >= 0 && p.record < static_cast<int>(prog.records.size()))
          m.byzPublishable[p.record] = true;
      collectPatternRecords(t.guard.get(), m.byzPublishable);
      collectPatternRecords(t.body, m.byzPublishable);
    }
  std::vector<std::vector<SVal>> domains(prog.records.size());
  auto domainOf = [&](int record) -> const std::vector<SVal> & {
    if (domains[record].empty()) {
      ir::Type rt;
      rt.kind = ir::TypeKind::Record;
      rt.record = record;
      domains[record] = b.ops.domain(rt);
    }
    return domains[record];
  };
  std::map<std::tuple<int, int, std::vector<bool>, std::vector<bool>, size_t>,
           size_t>
      index;
  auto add = [&](int record, int iss, const std::vector<bool> &ver,
                 const std::vector<bool> &aud, bool byz) {
    const auto &dom = domainOf(record);
    for (size_t k = 0; k < dom.size(); ++k) {
      auto key = std::make_tuple(record, iss, ver, aud, k);
      auto it = index.find(key);
      if (it == index.end()) {
        Statement st;
        st.iss = iss;
        st.ver = ver;
        st.aud = aud;
        st.msg = dom[k];
        st.msgIndex = k;
        index[key] = m.stmts[record].size();
        m.stmts[record].push_back(st);
        it = index.find(key);
      }
      auto &st = m.stmts[record][it->second];
      (byz ? st.byz : st.correct) = true;
      if (m.stmts[record].size() > 20000)
        throw Unsupported("statement universe too large");
    }
  };
  for (const auto &role : prog.roles) {
    const auto &ps = prog.principalSets.at(role.principalSet);
    for (const auto &t : role.transitions) {
      std::vector<const ir::Stmt *> pubs;
      collectPublishes(t.body, pubs);
      for (const ir::Stmt *pub : pubs) {
        if (!pub->value || !pub->value->type ||
            pub->value->type->kind != ir::TypeKind::Record)
          throw Unsupported("PUBLISH of a non-record value");
        int record = pub->value->type->record;
        for (int p = ps.first; p < ps.first + ps.size; ++p) {
          auto vers = partySets(b, *pub->verifier, p, t.slots.size());
          std::vector<std::vector<bool>> auds;
          if (pub->auditorKind == ir::Stmt::Auditor::None)
            auds = {std::vector<bool>(n, false)};
          else if (pub->auditorKind == ir::Stmt::Auditor::Any)
            auds = {std::vector<bool>(n, true)};
          else
            auds = partySets(b, *pub->auditor, p, t.slots.size());
          for (const auto &v : vers)
            for (const auto &a : auds)
              add(record, p, v, a, false);
        }
      }
    }
  }
  std::vector<bool> byzCapable(n, false);
  for (const auto &f : prog.faults)
    if (f.kind == ir::FaultDecl::Kind::Byzantine && f.principalSet >= 0 &&
        f.principalSet < static_cast<int>(prog.principalSets.size())) {
      const auto &ps = prog.principalSets[f.principalSet];
      for (int p = ps.first; p < ps.first + ps.size; ++p)
        byzCapable[p] = true;
    }
  for (size_t r = 0; r < prog.records.size(); ++r) {
    if (!m.byzPublishable[r])
      continue;
    for (int bz = 0; bz < n; ++bz) {
      if (!byzCapable[bz])
        continue;
      for (int q = 0; q < n; ++q) {
        std::vector<bool> ver(n, false);
        ver[q] = true;
        add(static_cast<int>(r), bz, ver, std::vector<bool>(n, false), true);
      }
    }
  }
  // Binding domains of the refracted transitions.
  for (const auto &role : prog.roles) {
    std::vector<Binding> perT;
    for (const auto &t : role.transitions) {
      Binding bd;
      if (t.refracted()) {
        std::vector<ir::TypeRef> parts;
        for (int slot : t.refractionSlots())
          parts.push_back(t.slots.at(slot).type);
        ir::Type tuple;
        tuple.kind = ir::TypeKind::Tuple;
        tuple.args = parts;
        bd.domain = b.ops.domain(tuple, 4096);
      }
      perT.push_back(std::move(bd));
    }
    m.bindings.push_back(std::move(perT));
  }
  (void)s;
  return m;
}

bool canKnow(const Statement &st, int q) {
  return st.iss == q || (q < static_cast<int>(st.ver.size()) && st.ver[q]);
}

// Does a statement's verifier / auditor set satisfy a party pattern?
Term partyMatch(StateBuilder &b, Evaluator &ev, const ir::PartyPattern &pp,
                const std::vector<bool> &set) {
  auto &s = b.s;
  switch (pp.kind) {
  case PK::Any:
    return s.boolConst(true);
  case PK::Contains: {
    SVal v = ev.eval(*pp.expr);
    SVal c = setOfBits(s, set);
    if (v.kind == SVal::Kind::Set)
      return b.ops.subset(v, c);
    return b.ops.member(c, v);
  }
  case PK::Universal: {
    for (bool x : set)
      if (!x)
        return s.boolConst(false);
    return s.boolConst(true);
  }
  }
  return s.boolConst(false);
}

Term constraintsHold(StateBuilder &b, Evaluator &ev, const Pattern &pat,
                     const SVal &msg) {
  auto &s = b.s;
  std::vector<Term> cs;
  for (const auto &c : pat.constraints) {
    const SVal &f = msg.elems.at(c.field);
    SVal v = ev.eval(*c.expr);
    switch (c.op) {
    case ir::Op::Eq:
      cs.push_back(b.ops.eq(f, v));
      break;
    case ir::Op::Ne:
      cs.push_back(s.mkNot(b.ops.eq(f, v)));
      break;
    case ir::Op::Lt:
      cs.push_back(s.mkLt(f.t, v.t));
      break;
    case ir::Op::Le:
      cs.push_back(s.mkLe(f.t, v.t));
      break;
    case ir::Op::Gt:
      cs.push_back(s.mkLt(v.t, f.t));
      break;
    case ir::Op::Ge:
      cs.push_back(s.mkLe(v.t, f.t));
      break;
    default:
      throw Unsupported("bad field constraint operator");
    }
  }
  return s.mkAnd(cs);
}

// The issuer part of a non-quorum pattern against statement `st`.
Term issuerMatch(StateBuilder &b, Evaluator &ev, const ir::IssuerPattern &ip,
                 const Statement &st) {
  auto &s = b.s;
  SVal iss = SVal::scalar(s.intConst(st.iss));
  switch (ip.kind) {
  case IK::Any:
  case IK::Quorum:
    return s.boolConst(true);
  case IK::Exact: {
    SVal v = ev.eval(*ip.expr);
    if (v.kind == SVal::Kind::Set)
      return b.ops.member(v, iss);
    return b.ops.eq(v, iss);
  }
  case IK::Bind: {
    if (ip.set < 0)
      return s.boolConst(true);
    const auto &ps = b.prog.principalSets.at(ip.set);
    return s.boolConst(st.iss >= ps.first && st.iss < ps.first + ps.size);
  }
  }
  return s.boolConst(false);
}

// The statements `me` may know (me < 0: the whole pool) with their
// presence term in `st`.
std::vector<std::pair<const Statement *, Term>>
visible(const EventModel &m, const SymState &st, int record, int me) {
  std::vector<std::pair<const Statement *, Term>> out;
  const auto &stmts = m.stmts.at(record);
  for (size_t i = 0; i < stmts.size(); ++i) {
    Term t =
        me < 0 ? st.pool.at(record).at(i) : st.known.at(record).at(me).at(i);
    if (t->kind == TermKind::BoolConst && t->val == 0)
      continue;
    out.push_back({&stmts[i], t});
  }
  return out;
}

// The visible statements a quorum pattern counts (issuer in its set,
// verifier and auditor parts matching), each with the term that says so.
std::vector<std::pair<const Statement *, Term>>
quorumStatements(StateBuilder &b, const EventModel &m, Evaluator &ev,
                 const Pattern &pat, int me) {
  const auto &ps = b.prog.principalSets.at(pat.issuer.set);
  std::vector<std::pair<const Statement *, Term>> out;
  for (auto [st, present] : visible(m, ev.state, pat.record, me))
    if (st->iss >= ps.first && st->iss < ps.first + ps.size)
      out.push_back(
          {st, b.s.mkAnd({present, partyMatch(b, ev, pat.verifier, st->ver),
                          partyMatch(b, ev, pat.auditor, st->aud)})});
  return out;
}

// The guarded issuer set of those counted statements for which `cond`
// holds: a quorum's issuers.
template <class F>
SVal quorumIssuersWhere(StateBuilder &b, const EventModel &m, Evaluator &ev,
                        const Pattern &pat, int me, F &&cond) {
  auto &s = b.s;
  SVal r;
  r.kind = SVal::Kind::Set;
  const auto &ps = b.prog.principalSets.at(pat.issuer.set);
  std::vector<std::vector<Term>> has(ps.size);
  for (auto [st, counted] : quorumStatements(b, m, ev, pat, me))
    has[st->iss - ps.first].push_back(s.mkAnd(counted, cond(*st)));
  for (int i = 0; i < ps.size; ++i) {
    r.guards.push_back(s.mkOr(has[i]));
    r.items.push_back(SVal::scalar(s.intConst(ps.first + i)));
  }
  return r;
}

// Issuers of `set` with a visible statement carrying `msg` whose verifier
// and auditor parts match: the guarded issuer set of a quorum pattern.
SVal quorumIssuers(StateBuilder &b, const EventModel &m, Evaluator &ev,
                   const Pattern &pat, const SVal &msg, int me) {
  return quorumIssuersWhere(b, m, ev, pat, me, [&](const Statement &st) {
    return b.ops.eq(st.msg, msg);
  });
}

// A statement set `[S >= k, ...] R* x` at `me`: the guarded set of the
// (issuer, record) pairs of the counted statements whose records meet the
// field constraints; `issuers` receives their guarded issuer set.
SVal statementSet(StateBuilder &b, const EventModel &m, Evaluator &ev,
                  const Pattern &pat, int me, SVal &issuers) {
  auto meets = [&](const Statement &st) {
    return constraintsHold(b, ev, pat, st.msg);
  };
  SVal r;
  r.kind = SVal::Kind::Set;
  for (auto [st, counted] : quorumStatements(b, m, ev, pat, me)) {
    SVal pair;
    pair.kind = SVal::Kind::Tuple;
    pair.elems = {SVal::scalar(b.s.intConst(st->iss)), st->msg};
    r.guards.push_back(b.s.mkAnd(counted, meets(*st)));
    r.items.push_back(std::move(pair));
  }
  issuers = quorumIssuersWhere(b, m, ev, pat, me, meets);
  return r;
}

Term quorumHolds(StateBuilder &b, Evaluator &ev, const Pattern &pat,
                 const SVal &issuers) {
  auto &s = b.s;
  Term k = ev.eval(*pat.issuer.threshold).t;
  Term c = b.ops.card(issuers);
  return pat.issuer.exact ? s.mkEq(c, k) : s.mkLe(k, c);
}

// KNOWN pattern at `me` (me < 0: in the pool), existentially over the
// pattern's own variables.
Term knownTerm(StateBuilder &b, const EventModel &m, const Pattern &pat,
               Evaluator &ev, int me) {
  auto &s = b.s;
  auto saved = ev.slots;
  std::vector<Term> alts;
  if (pat.issuer.kind == IK::Quorum) {
    ir::Type rt;
    rt.kind = ir::TypeKind::Record;
    rt.record = pat.record;
    for (auto &msg : b.ops.domain(rt)) {
      if (pat.slot >= 0)
        ev.slots.at(pat.slot) = msg;
      SVal iss = quorumIssuers(b, m, ev, pat, msg, me);
      if (pat.issuer.slot >= 0)
        ev.slots.at(pat.issuer.slot) = iss;
      std::vector<Term> some;
      for (auto [st, present] : visible(m, ev.state, pat.record, me))
        some.push_back(s.mkAnd(present, b.ops.eq(st->msg, msg)));
      alts.push_back(s.mkAnd({s.mkOr(some), quorumHolds(b, ev, pat, iss),
                              constraintsHold(b, ev, pat, msg)}));
    }
  } else {
    for (auto [st, present] : visible(m, ev.state, pat.record, me)) {
      if (pat.slot >= 0)
        ev.slots.at(pat.slot) = st->msg;
      if (pat.issuer.kind == IK::Bind && pat.issuer.slot >= 0)
        ev.slots.at(pat.issuer.slot) = SVal::scalar(s.intConst(st->iss));
      alts.push_back(s.mkAnd({present, issuerMatch(b, ev, pat.issuer, *st),
                              partyMatch(b, ev, pat.verifier, st->ver),
                              partyMatch(b, ev, pat.auditor, st->aud),
                              constraintsHold(b, ev, pat, st->msg)}));
    }
  }
  ev.slots = saved;
  return s.mkOr(alts);
}

std::string showPool(const StateBuilder &b, const EventModel &m,
                     const SymState &st, const ModelEval &ev,
                     const char *indent) {
  std::string out;
  for (size_t r = 0; r < m.stmts.size(); ++r)
    for (size_t i = 0; i < m.stmts[r].size(); ++i) {
      if (!ev(st.pool[r][i]))
        continue;
      std::string who;
      for (int q = 0; q < b.prog.numPrincipals; ++q)
        if (ev(st.known[r][q][i]))
          who += (who.empty() ? "" : ", ") + b.principalName(q);
      out += fmt::format("{}pool: {}{}\n", indent,
                         stmtText(b, m.stmts[r][i], static_cast<int>(r)),
                         who.empty() ? "" : "  known to " + who);
    }
  return out;
}

// Exactly one of `sel` holds.
Term exactlyOne(TermStore &s, const std::vector<Term> &sel) {
  std::vector<Term> ints;
  for (Term t : sel)
    ints.push_back(s.boolToInt(t));
  return s.mkEq(s.mkAdd(ints), s.intConst(1));
}

StepEncoding encodeTransition(StateBuilder &b,
                              const std::shared_ptr<EventModel> &mp, int r,
                              int ti, int p) {
  const ir::Program &prog = b.prog;
  const ir::Role &role = prog.roles[r];
  const ir::Transition &t = role.transitions[ti];
  const auto &ps = prog.principalSets.at(role.principalSet);
  const EventModel &m = *mp;
  auto &s = b.s;
  auto &ops = b.ops;
  const int i = p - ps.first;

  StepEncoding step;
  step.name = fmt::format("transition {}.{} at {}", role.name, t.name,
                          b.principalName(p));
  step.loc = t.loc;
  try {
    auto pre = std::make_shared<SymState>(b.freshState("", step.hyps));
    assumeInvariantsOn(b, *pre, step.hyps);
    step.hyps.push_back(b.live(*pre, p));
    if (t.timer >= 0)
      step.hyps.push_back(pre->timers.at(r).at(t.timer).at(i));

    Evaluator ev(ops, *pre, p, t.slots.size());
    ev.localRole = r;
    for (size_t v = 0; v < role.vars.size(); ++v)
      ev.local.push_back(pre->vars[r][v][i]);
    ev.known = [&b, mp, p](const Pattern &pat,
                           std::vector<std::optional<SVal>> &, Evaluator &e) {
      return knownTerm(b, *mp, pat, e, p);
    };
    // Bind the parameters and pattern variables to fresh values.
    auto bindingParts = std::make_shared<
        std::vector<std::tuple<std::string, ir::TypeRef, SVal>>>();
    std::vector<SVal> binding;
    auto bindFresh = [&](int slot, const ir::TypeRef &type) {
      const std::string &name = t.slots.at(slot).name;
      SVal v = ops.fresh(*type, name, step.hyps);
      ev.slots.at(slot) = v;
      bindingParts->push_back({name, type, v});
      return v;
    };
    for (const auto &pat : t.triggers)
      if (pat.slot < 0)
        throw Unsupported("a pattern without a record variable");
    for (int slot : t.refractionSlots())
      binding.push_back(bindFresh(slot, t.slots.at(slot).type));
    // Quorum issuer sets are functions of the record; statement sets of
    // the pool and the other bindings.
    for (const auto &pat : t.triggers)
      if (pat.issuer.kind == IK::Quorum && pat.issuer.slot >= 0)
        ev.slots.at(pat.issuer.slot) =
            quorumIssuers(b, m, ev, pat, *ev.slots.at(pat.slot), p);
    std::vector<SVal> setIssuers(t.triggers.size());
    for (size_t k = 0; k < t.triggers.size(); ++k)
      if (t.triggers[k].statementSet) {
        int slot = t.triggers[k].slot;
        ev.slots.at(slot) =
            statementSet(b, m, ev, t.triggers[k], p, setIssuers[k]);
        bindingParts->push_back(
            {t.slots.at(slot).name, t.slots.at(slot).type, *ev.slots.at(slot)});
      }
    // Every trigger matches a statement `p` knows.
    for (size_t k = 0; k < t.triggers.size(); ++k) {
      const auto &pat = t.triggers[k];
      const SVal &x = *ev.slots.at(pat.slot);
      if (pat.statementSet) {
        step.hyps.push_back(quorumHolds(b, ev, pat, setIssuers[k]));
        continue;
      }
      if (pat.issuer.kind == IK::Quorum) {
        SVal iss = quorumIssuers(b, m, ev, pat, x, p);
        std::vector<Term> some;
        for (auto [st, present] : visible(m, *pre, pat.record, p))
          some.push_back(s.mkAnd(present, ops.eq(st->msg, x)));
        step.hyps.push_back(s.mkOr(some));
        step.hyps.push_back(quorumHolds(b, ev, pat, iss));
      } else {
        std::vector<Term> alts;
        for (auto [st, present] : visible(m, *pre, pat.record, p)) {
          Term bindIss = s.boolConst(true);
          if (pat.issuer.kind == IK::Bind && pat.issuer.slot >= 0)
            bindIss =
                s.mkEq(ev.slots.at(pat.issuer.slot)->t, s.intConst(st->iss));
          alts.push_back(s.mkAnd({present, ops.eq(st->msg, x), bindIss,
                                  issuerMatch(b, ev, pat.issuer, *st),
                                  partyMatch(b, ev, pat.verifier, st->ver),
                                  partyMatch(b, ev, pat.auditor, st->aud)}));
        }
        step.hyps.push_back(s.mkOr(alts));
      }
      step.hyps.push_back(constraintsHold(b, ev, pat, x));
    }
    if (t.guard)
      step.hyps.push_back(ev.evalBool(*t.guard));

    auto post = std::make_shared<SymState>(*pre);
    // Refraction.
    if (t.refracted()) {
      const auto &dom = m.bindings.at(r).at(ti).domain;
      SVal tuple;
      tuple.kind = SVal::Kind::Tuple;
      tuple.elems = binding;
      auto &firedPre = pre->fired.at(r).at(ti);
      auto &firedPost = post->fired.at(r).at(ti);
      size_t base = static_cast<size_t>(i) * dom.size();
      for (size_t d = 0; d < dom.size(); ++d) {
        Term hit = ops.eq(tuple, dom[d]);
        step.hyps.push_back(s.mkImplies(hit, s.mkNot(firedPre[base + d])));
        firedPost[base + d] = s.mkOr(firedPre[base + d], hit);
      }
    }
    // The body.
    ev.exec(t.body, s.boolConst(true));
    for (size_t v = 0; v < role.vars.size(); ++v)
      post->vars[r][v][i] = ops.canon(*role.vars[v].type, ev.local[v]);
    // Timers: the AFTER timer stops before the body; then starts / cancels.
    for (size_t tm = 0; tm < role.timers.size(); ++tm) {
      Term run = pre->timers[r][tm][i];
      if (t.timer == static_cast<int>(tm))
        run = s.boolConst(false);
      bool started = false, cancelled = false;
      for (auto &[timer, c] : ev.timerStarts)
        if (timer == static_cast<int>(tm)) {
          run = s.mkOr(run, c);
          started = true;
        }
      for (auto &[timer, c] : ev.timerCancels)
        if (timer == static_cast<int>(tm)) {
          run = s.mkAnd(run, s.mkNot(c));
          cancelled = true;
        }
      if (started && cancelled)
        throw Unsupported("a body that both starts and cancels timer " +
                          role.timers[tm].name);
      post->timers[r][tm][i] = run;
    }
    // Publishes: into the pool and p's knowledge.
    std::vector<Term> inUniverse;
    for (const auto &pub : ev.published) {
      if (pub.record < 0)
        throw Unsupported("PUBLISH of a non-record value");
      std::vector<Term> matches;
      const auto &stmts = m.stmts.at(pub.record);
      for (size_t k = 0; k < stmts.size(); ++k) {
        const Statement &st = stmts[k];
        if (st.iss != p || !st.correct)
          continue;
        Term hit = s.mkAnd({pub.cond, ops.eq(pub.value, st.msg),
                            ops.eq(pub.verifier, setOfBits(s, st.ver)),
                            ops.eq(pub.auditor, setOfBits(s, st.aud))});
        if (s.isFalse(hit))
          continue;
        matches.push_back(hit);
        post->pool[pub.record][k] = s.mkOr(post->pool[pub.record][k], hit);
        post->known[pub.record][p][k] =
            s.mkOr(post->known[pub.record][p][k], hit);
      }
      inUniverse.push_back(s.mkImplies(pub.cond, s.mkOr(matches)));
    }
    auto ranges = std::make_shared<StepRanges>();
    ranges->addEvaluator(ops, ev, s.boolConst(true));
    b.assumeWithinModel(*post, *ranges, step.hyps);
    step.goals = b.invariantGoals(*post);
    b.addBuiltinGoals(*post, step.goals, ranges.get());
    if (!ev.published.empty())
      step.goals.push_back({"PoolUniverse", t.loc, s.mkAnd(inUniverse), ""});
    StateBuilder *bp = &b;
    auto published =
        std::make_shared<std::vector<Evaluator::Published>>(ev.published);
    std::string who = b.principalName(p), tname = role.name + "." + t.name;
    step.describe = [bp, mp, pre, post, bindingParts, published, who, tname,
                     ranges](const ModelEval &e) {
      std::string out = "  pre-state:\n" + bp->showState(*pre, e, "    ") +
                        showPool(*bp, *mp, *pre, e, "    ");
      out += fmt::format("  step: {} fires {}", who, tname);
      bool first = true;
      for (const auto &[name, type, v] : *bindingParts) {
        out += fmt::format("{} {} = {}", first ? " with" : ",", name,
                           showValue(bp->prog, *type, v, e, &bp->names));
        first = false;
      }
      out += "\n  post-state:\n" + bp->showState(*post, e, "    ") +
             showPool(*bp, *mp, *post, e, "    ");
      return out + ranges->show(bp->prog, e);
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
    step.goals.clear();
  }
  return step;
}

StepEncoding encodeDeliver(StateBuilder &b,
                           const std::shared_ptr<EventModel> &mp, int record) {
  const EventModel &m = *mp;
  auto &s = b.s;
  StepEncoding step;
  step.name = "deliver " + b.prog.records[record].name;
  try {
    auto pre = std::make_shared<SymState>(b.freshState("", step.hyps));
    assumeInvariantsOn(b, *pre, step.hyps);
    auto post = std::make_shared<SymState>(*pre);
    std::vector<Term> sel;
    auto chosen =
        std::make_shared<std::vector<std::tuple<Term, size_t, int>>>();
    const auto &stmts = m.stmts[record];
    for (size_t k = 0; k < stmts.size(); ++k)
      for (int q = 0; q < b.prog.numPrincipals; ++q) {
        if (!stmts[k].ver[q])
          continue;
        Term d =
            s.freshBool(fmt::format("deliver[{}#{}]", b.principalName(q), k));
        sel.push_back(d);
        chosen->push_back({d, k, q});
        step.hyps.push_back(
            s.mkImplies(d, s.mkAnd({pre->pool[record][k], b.live(*pre, q),
                                    s.mkNot(pre->known[record][q][k])})));
        post->known[record][q][k] = s.mkOr(post->known[record][q][k], d);
      }
    if (sel.empty())
      return StepEncoding{}; // nothing deliverable: no step
    step.hyps.push_back(exactlyOne(s, sel));
    step.goals = b.invariantGoals(*post);
    b.addBuiltinGoals(*post, step.goals);
    StateBuilder *bp = &b;
    step.describe = [bp, mp, pre, post, chosen, record](const ModelEval &e) {
      std::string out = "  pre-state:\n" + bp->showState(*pre, e, "    ") +
                        showPool(*bp, *mp, *pre, e, "    ");
      for (auto &[d, k, q] : *chosen)
        if (e(d))
          out += fmt::format("  step: {} is delivered to {}\n",
                             stmtText(*bp, mp->stmts[record][k], record),
                             bp->principalName(q));
      return out + "  post-state:\n" + bp->showState(*post, e, "    ") +
             showPool(*bp, *mp, *post, e, "    ");
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
  }
  return step;
}

StepEncoding encodeByzPublish(StateBuilder &b,
                              const std::shared_ptr<EventModel> &mp,
                              int record) {
  const EventModel &m = *mp;
  auto &s = b.s;
  StepEncoding step;
  step.name = "byzantine publish " + b.prog.records[record].name;
  try {
    auto pre = std::make_shared<SymState>(b.freshState("", step.hyps));
    assumeInvariantsOn(b, *pre, step.hyps);
    auto post = std::make_shared<SymState>(*pre);
    std::vector<Term> sel;
    auto chosen = std::make_shared<std::vector<std::pair<Term, size_t>>>();
    const auto &stmts = m.stmts[record];
    for (size_t k = 0; k < stmts.size(); ++k) {
      if (!stmts[k].byz)
        continue;
      Term d = s.freshBool(fmt::format("byzpub#{}", k));
      sel.push_back(d);
      chosen->push_back({d, k});
      step.hyps.push_back(s.mkImplies(d, pre->byz[stmts[k].iss]));
      post->pool[record][k] = s.mkOr(post->pool[record][k], d);
    }
    if (sel.empty())
      return StepEncoding{};
    step.hyps.push_back(exactlyOne(s, sel));
    step.goals = b.invariantGoals(*post);
    b.addBuiltinGoals(*post, step.goals);
    StateBuilder *bp = &b;
    step.describe = [bp, mp, pre, post, chosen, record](const ModelEval &e) {
      std::string out = "  pre-state:\n" + bp->showState(*pre, e, "    ") +
                        showPool(*bp, *mp, *pre, e, "    ");
      for (auto &[d, k] : *chosen)
        if (e(d))
          out += fmt::format("  step: Byzantine {} publishes {}\n",
                             bp->principalName(mp->stmts[record][k].iss),
                             stmtText(*bp, mp->stmts[record][k], record));
      return out + "  post-state:\n" + bp->showState(*post, e, "    ") +
             showPool(*bp, *mp, *post, e, "    ");
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
  }
  return step;
}

} // namespace

void prepareEvents(StateBuilder &b) {
  auto mp = std::make_shared<EventModel>(buildModel(b));
  b.eventModel = mp;
  StateBuilder *bp = &b;
  b.extendState = [bp, mp](SymState &st, const std::string &tag, bool init) {
    auto &s = bp->s;
    const auto &prog = bp->prog;
    const int n = prog.numPrincipals;
    st.pool.assign(mp->stmts.size(), {});
    st.known.assign(mp->stmts.size(), {});
    for (size_t r = 0; r < mp->stmts.size(); ++r) {
      const auto &stmts = mp->stmts[r];
      st.known[r].assign(n,
                         std::vector<Term>(stmts.size(), s.boolConst(false)));
      for (size_t k = 0; k < stmts.size(); ++k) {
        st.pool[r].push_back(
            init ? s.boolConst(false)
                 : s.freshBool(fmt::format("pool_{}#{}{}", prog.records[r].name,
                                           k, tag)));
        for (int q = 0; q < n; ++q)
          if (!init && canKnow(stmts[k], q))
            st.known[r][q][k] = s.freshBool(
                fmt::format("known_{}[{}]#{}{}", prog.records[r].name,
                            bp->principalName(q), k, tag));
      }
    }
    st.fired.assign(prog.roles.size(), {});
    for (size_t r = 0; r < prog.roles.size(); ++r) {
      const auto &ps = prog.principalSets.at(prog.roles[r].principalSet);
      for (size_t t = 0; t < prog.roles[r].transitions.size(); ++t) {
        size_t dom = mp->bindings[r][t].domain.size();
        std::vector<Term> f;
        for (int i = 0; i < ps.size; ++i)
          for (size_t d = 0; d < dom; ++d)
            f.push_back(init ? s.boolConst(false)
                             : s.freshBool(fmt::format(
                                   "fired_{}[{}]#{}{}",
                                   prog.roles[r].transitions[t].name,
                                   bp->principalName(ps.first + i), d, tag)));
        st.fired[r].push_back(std::move(f));
      }
    }
  };
  // A restarted principal forgets what it published (its knowledge is
  // emptied, docs/semantics.md, Recover): its statements in the pool are
  // known to it only if a recover fault cannot cover it.
  auto recoverable = std::make_shared<std::vector<bool>>(
      faultMembers(b.prog, [](const ir::FaultDecl &f) {
        return f.kind == ir::FaultDecl::Kind::Recover;
      }));
  b.structuralOk = [bp, mp, recoverable](const SymState &st) {
    auto &s = bp->s;
    std::vector<Term> cs;
    for (size_t r = 0; r < mp->stmts.size(); ++r)
      for (size_t k = 0; k < mp->stmts[r].size(); ++k) {
        const auto &stm = mp->stmts[r][k];
        for (int q = 0; q < bp->prog.numPrincipals; ++q) {
          Term kn = st.known[r][q][k];
          if (s.isFalse(kn))
            continue;
          cs.push_back(s.mkImplies(kn, st.pool[r][k]));
          cs.push_back(s.mkImplies(kn, s.mkNot(st.byz[q])));
        }
        if (!(*recoverable)[size_t(stm.iss)])
          cs.push_back(s.mkImplies(
              st.pool[r][k], s.mkOr(st.byz[stm.iss], st.known[r][stm.iss][k])));
      }
    return s.mkAnd(cs);
  };
  b.invariantKnown =
      [bp, mp](const Pattern &pat, std::vector<std::optional<SVal>> &,
               Evaluator &e) { return knownTerm(*bp, *mp, pat, e, -1); };
}

void encodeEvents(StateBuilder &b, Encoding &enc) {
  auto mp = std::static_pointer_cast<EventModel>(b.eventModel);
  if (!mp)
    return;
  const auto &prog = b.prog;
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &ps = prog.principalSets.at(prog.roles[r].principalSet);
    for (size_t t = 0; t < prog.roles[r].transitions.size(); ++t)
      for (int p = ps.first; p < ps.first + ps.size; ++p)
        enc.steps.push_back(encodeTransition(b, mp, static_cast<int>(r),
                                             static_cast<int>(t), p));
  }
  for (size_t r = 0; r < prog.records.size(); ++r) {
    auto d = encodeDeliver(b, mp, static_cast<int>(r));
    if (!d.name.empty())
      enc.steps.push_back(std::move(d));
  }
  for (size_t r = 0; r < prog.records.size(); ++r) {
    auto d = encodeByzPublish(b, mp, static_cast<int>(r));
    if (!d.name.empty())
      enc.steps.push_back(std::move(d));
  }
}

} // namespace mommie::proofs
