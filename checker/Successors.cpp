// Initial states and event-driven actions: transitions, Deliver, Crash,
// Byzantine publish. Round steps are in Rounds.cpp.
#include "checker/Successors.h"

#include "ir/MatchPlan.h"
#include "ir/Walk.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>

namespace mommie::checker {

using K = Kind;

//===----------------------------------------------------------------------===//
// Plans (ir/MatchPlan.h) and the records a Byzantine principal may publish
//===----------------------------------------------------------------------===//

namespace {

void markRecord(int record, std::vector<bool> &out) {
  if (record >= 0 && size_t(record) < out.size())
    out[size_t(record)] = true;
}

// Marks the record of every KNOWN pattern in `e`.
void recordsInExpr(const ir::Expr &e, std::vector<bool> &out) {
  ir::walkExpr(e, [&](const ir::Expr &x) {
    if (x.pattern)
      markRecord(x.pattern->record, out);
  });
}

// Marks the record of `p` and of every KNOWN pattern in its parts.
void recordsInPattern(const ir::Pattern &p, std::vector<bool> &out) {
  markRecord(p.record, out);
  ir::forEachPatternExpr(p, [&](const ir::Expr &x) { recordsInExpr(x, out); });
}

void recordsInBlock(const ir::Block &b, std::vector<bool> &out) {
  ir::forEachStmt(b, [&](const ir::Stmt &s) {
    ir::forEachStmtExpr(
        s, [&](const ir::Expr &x) { recordsInExpr(x, out); },
        ir::StmtExprs::Evaluated);
  });
}

} // namespace

struct Generator::TransPlan {
  const ir::Transition *t = nullptr;
  int role = -1, index = -1;
  std::vector<std::vector<Value>> paramDomains;
  ir::MatchPlan match;
  std::vector<int> refraction; // Transition::refractionSlots
  // The guard conjuncts tested when firing, and those tested before the
  // parameters are bound.
  std::vector<const ir::Expr *> guardWhenFiring, guardBeforeLoops;
};

Generator::Generator(const Layout &layout) : layout_(layout) {
  const auto &prog = layout.program();
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &role = prog.roles[r];
    plans_.emplace_back();
    for (size_t ti = 0; ti < role.transitions.size(); ++ti) {
      const auto &t = role.transitions[ti];
      auto plan = std::make_unique<TransPlan>();
      plan->t = &t;
      plan->role = int(r);
      plan->index = int(ti);
      plan->refraction = t.refractionSlots();
      for (int slot : t.params) {
        const auto &info = t.slots.at(size_t(slot));
        plan->paramDomains.push_back(typeDomain(layout, *info.type, info.loc));
      }
      // Evaluation errors are part of the reference semantics: a moved
      // guard conjunct must not hide one.
      ir::MatchPlanOptions options;
      options.keepGuardErrors = true;
      plan->match = ir::planMatch(t, options);
      for (size_t k = 0; k < plan->match.guard.size(); ++k) {
        if (plan->match.testedWhenFiring(k))
          plan->guardWhenFiring.push_back(plan->match.guard[k]);
        else if (plan->match.guardLevel[k] == ir::MatchPlan::kBeforeLoops)
          plan->guardBeforeLoops.push_back(plan->match.guard[k]);
      }
      plans_.back().push_back(std::move(plan));
    }
  }
  // Byzantine-publishable record types: those some pattern can match.
  byzPublishable_.assign(prog.records.size(), false);
  byzDomains_.resize(prog.records.size());
  if (layout.hasByz()) {
    for (const auto &role : prog.roles)
      for (const auto &t : role.transitions) {
        for (const auto &p : t.triggers)
          recordsInPattern(p, byzPublishable_);
        if (t.guard)
          recordsInExpr(*t.guard, byzPublishable_);
        recordsInBlock(t.body, byzPublishable_);
      }
    for (const auto &f : prog.funs)
      if (f.body)
        recordsInExpr(*f.body, byzPublishable_);
    for (size_t r = 0; r < prog.records.size(); ++r) {
      if (!byzPublishable_[r])
        continue;
      ir::Type t;
      t.kind = ir::TypeKind::Record;
      t.record = int(r);
      byzDomains_[r] = typeDomain(layout, t, prog.records[r].loc);
    }
  }
}

Generator::~Generator() = default;

//===----------------------------------------------------------------------===//
// Initial states
//===----------------------------------------------------------------------===//

namespace {

// Calls `f` with every combination of one choice per list (indices, the
// last list varying fastest); once, with no indices, when there are no
// lists. Every list is non-empty.
template <class F>
void forEachChoice(const std::vector<std::vector<Value>> &choices, F f) {
  std::vector<size_t> idx(choices.size(), 0);
  while (true) {
    f(idx);
    size_t k = choices.size();
    while (k > 0 && ++idx[k - 1] == choices[k - 1].size())
      idx[--k] = 0;
    if (k == 0)
      return;
  }
}

} // namespace

std::vector<Value> Generator::initialValues(const State &s, int role, int p,
                                            int var) const {
  const auto &prog = layout_.program();
  const auto &decl = prog.roles[size_t(role)].vars[size_t(var)];
  std::vector<Value> frame(decl.slots.size() + 8);
  Env env{layout_, s, p, frame};
  std::vector<Value> choices;
  if (decl.init) {
    choices.push_back(eval(*decl.init, env));
  } else if (decl.initSet) {
    Value set = eval(*decl.initSet, env);
    if (!set.is(K::Set) || set.elems().empty())
      throw EvalError(decl.loc,
                      "empty or non-set initial choice for " + decl.name);
    choices = set.elems();
  } else {
    choices = typeDomain(layout_, *decl.type, decl.loc);
  }
  for (const auto &v : choices)
    if (!conformsTo(layout_, v, *decl.type, /*modelRanges=*/false))
      throw EvalError(decl.loc,
                      fmt::format("initial value {} of `{}` is outside "
                                  "its declared range",
                                  showValue(prog, v), decl.name));
  return choices;
}

void Generator::initialStates(const Emit &emit) const {
  const auto &prog = layout_.program();
  State base = layout_.emptyState();
  // Choices per var slot, in Layout::varSlots order (which is vars order).
  std::vector<std::vector<Value>> choices;
  for (const auto &vs : layout_.varSlots())
    choices.push_back(initialValues(base, vs.role, vs.principal, vs.var));
  // Byzantine subsets.
  std::vector<std::vector<uint8_t>> byzChoices;
  if (layout_.hasByz()) {
    std::vector<int> cand;
    for (const auto &f : prog.faults)
      if (f.kind == ir::FaultDecl::Kind::Byzantine) {
        const auto &s = prog.principalSets[f.principalSet];
        for (int i = 0; i < s.size; ++i)
          if (std::find(cand.begin(), cand.end(), s.first + i) == cand.end())
            cand.push_back(s.first + i);
      }
    std::sort(cand.begin(), cand.end());
    if (cand.size() > 24)
      throw EvalError(prog.faults[0].loc, "too many Byzantine candidates");
    for (uint64_t mask = 0; mask < (uint64_t(1) << cand.size()); ++mask) {
      std::vector<uint8_t> byz(size_t(layout_.numPrincipals()), 0);
      for (size_t i = 0; i < cand.size(); ++i)
        if (mask >> i & 1)
          byz[size_t(cand[i])] = 1;
      bool ok = true;
      for (const auto &f : prog.faults) {
        if (f.kind != ir::FaultDecl::Kind::Byzantine)
          continue;
        const auto &s = prog.principalSets[f.principalSet];
        int64_t n = 0;
        for (int i = 0; i < s.size; ++i)
          n += byz[size_t(s.first + i)];
        ok = ok && n <= f.max;
      }
      if (ok)
        byzChoices.push_back(std::move(byz));
    }
  } else {
    byzChoices.push_back({});
  }
  Action init;
  init.kind = Action::Kind::Init;
  forEachChoice(choices, [&](const std::vector<size_t> &idx) {
    for (const auto &byz : byzChoices) {
      State s = base;
      for (size_t i = 0; i < choices.size(); ++i)
        s.vars[i] = choices[i][idx[i]];
      s.byz = byz;
      emit(std::move(s), &init);
    }
  });
}

//===----------------------------------------------------------------------===//
// Transitions
//===----------------------------------------------------------------------===//

namespace {

// Buffers of one transitionSuccessors call, reused by the next call on the
// same thread (one set per nesting depth).
struct TransScratch {
  std::vector<Value> slots, savedVars, frame;
  std::vector<const Value *> chosen;
  std::vector<std::vector<Value>> quorumMsgs;
  std::set<Value> seen;
  std::vector<uint8_t> savedTimers;
  std::vector<size_t> changed, idx;
  std::vector<Published> published;
};

thread_local std::vector<std::unique_ptr<TransScratch>> scratchPool;
thread_local size_t scratchDepth = 0;

struct ScratchLease {
  TransScratch &scratch;
  static TransScratch &acquire() {
    if (scratchPool.size() <= scratchDepth)
      scratchPool.push_back(std::make_unique<TransScratch>());
    return *scratchPool[scratchDepth++];
  }
  ScratchLease() : scratch(acquire()) {}
  ~ScratchLease() { --scratchDepth; }
  ScratchLease(const ScratchLease &) = delete;
  ScratchLease &operator=(const ScratchLease &) = delete;
};

} // namespace

void Generator::transitionSuccessors(const State &s, int role, int p,
                                     const TransPlan &plan, bool labels,
                                     const Emit &emit, State *inPlace,
                                     const FireEmit *fireEmit) const {
  const ir::Transition &t = *plan.t;
  if (t.timer >= 0 && !s.timers[layout_.timerIndex(role, p, t.timer)])
    return;
  // Every trigger pattern (quorum ones too) binds to a known statement of
  // its record: with one of them unknown there is no binding, so skip the
  // set-up below.
  for (const auto &pat : t.triggers)
    if (s.known[layout_.knownIndex(pat.record, p)].elems().empty())
      return;
  ScratchLease lease;
  TransScratch &sc = lease.scratch;
  std::vector<Value> &slots = sc.slots;
  slots.assign(t.slots.size(), Value());
  Env env{layout_, s, p, slots};
  size_t n = t.triggers.size();
  std::vector<const Value *> &chosen = sc.chosen;
  chosen.assign(n, nullptr);
  std::vector<std::vector<Value>> &quorumMsgs = sc.quorumMsgs;
  if (quorumMsgs.size() < n)
    quorumMsgs.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto &pat = t.triggers[i];
    if (pat.issuer.kind != ir::IssuerPattern::Kind::Quorum || pat.statementSet)
      continue;
    quorumMsgs[i].clear();
    const auto &known = s.known[layout_.knownIndex(pat.record, p)].elems();
    for (const auto &st : known)
      quorumMsgs[i].push_back(st.elems()[StmtMsg]);
    std::sort(quorumMsgs[i].begin(), quorumMsgs[i].end());
    quorumMsgs[i].erase(std::unique(quorumMsgs[i].begin(), quorumMsgs[i].end()),
                        quorumMsgs[i].end());
  }
  int firedIdx = layout_.firedIndex(role, plan.index, p);
  std::set<Value> &seen = sc.seen;
  seen.clear();

  using CheckKind = ir::MatchCheck::Kind;
  auto runChecks = [&](int level) {
    for (const auto &c : plan.match.checks[size_t(level)]) {
      if (c.kind == CheckKind::Guard) {
        if (!evalBool(*plan.match.guard[size_t(c.index)], env))
          return false;
        continue;
      }
      const auto &pat = t.triggers[size_t(c.pattern)];
      switch (c.kind) {
      case CheckKind::Guard:
        break;
      case CheckKind::Quorum: {
        Value iss;
        if (pat.statementSet)
          slots[pat.slot] = statementSet(pat, env, iss);
        else
          iss = quorumIssuers(pat, slots[pat.slot], env);
        if (!quorumHolds(pat, iss, env))
          return false;
        if (pat.issuer.slot >= 0)
          slots[pat.issuer.slot] = std::move(iss);
        break;
      }
      case CheckKind::Issuer:
        if (!issuerMatches(pat.issuer, *chosen[c.pattern], env))
          return false;
        break;
      case CheckKind::Verifier:
        if (!partyMatches(pat.verifier, chosen[c.pattern]->elems()[StmtVer],
                          env))
          return false;
        break;
      case CheckKind::Auditor:
        if (!partyMatches(pat.auditor, chosen[c.pattern]->elems()[StmtAud],
                          env))
          return false;
        break;
      case CheckKind::Constraint: {
        if (!constraintHolds(pat.constraints[size_t(c.index)], slots[pat.slot],
                             env))
          return false;
        break;
      }
      }
    }
    return true;
  };

  // Fast path: run the body on the parent itself, report, undo.
  const auto &roleDecl = layout_.program().roles[size_t(role)];
  size_t varBase =
      roleDecl.vars.empty() ? 0 : size_t(layout_.varIndex(role, p, 0));
  size_t numVars = roleDecl.vars.size();
  size_t timerBase =
      roleDecl.timers.empty() ? 0 : size_t(layout_.timerIndex(role, p, 0));
  size_t numTimers = roleDecl.timers.size();
  std::vector<Value> &savedVars = sc.savedVars;
  std::vector<uint8_t> &savedTimers = sc.savedTimers;
  std::vector<size_t> &changed = sc.changed;
  std::vector<Value> &fastFrame = sc.frame;
  std::vector<Published> &fastPublished = sc.published;
  auto fireInPlace = [&](State &m, int firedIndex, const Value &binding) {
    savedVars.assign(m.vars.begin() + long(varBase),
                     m.vars.begin() + long(varBase + numVars));
    savedTimers.assign(m.timers.begin() + long(timerBase),
                       m.timers.begin() + long(timerBase + numTimers));
    struct Undo {
      State &m;
      std::vector<Value> &vars;
      std::vector<uint8_t> &timers;
      size_t varBase, timerBase;
      ~Undo() {
        for (size_t k = 0; k < vars.size(); ++k)
          std::swap(m.vars[varBase + k], vars[k]);
        for (size_t k = 0; k < timers.size(); ++k)
          m.timers[timerBase + k] = timers[k];
      }
    } undo{m, savedVars, savedTimers, varBase, timerBase};
    if (t.timer >= 0)
      m.timers[layout_.timerIndex(role, p, t.timer)] = 0;
    fastFrame = slots;
    fastPublished.clear();
    execBlock(t.body, layout_, m, role, p, fastFrame, fastPublished);
    changed.clear();
    for (size_t k = 0; k < numVars; ++k)
      if (m.vars[varBase + k] != savedVars[k])
        changed.push_back(varBase + k);
    FireEffect effect;
    effect.role = role;
    effect.principal = p;
    effect.firedIndex = firedIndex;
    effect.binding = firedIndex >= 0 ? &binding : nullptr;
    effect.changedVars = &changed;
    effect.published = &fastPublished;
    (*fireEmit)(m, effect);
  };

  auto fire = [&]() {
    for (const ir::Expr *g : plan.guardWhenFiring)
      if (!evalBool(*g, env))
        return;
    Value binding = Value::tuple({});
    if (t.refracted()) {
      Value::Elems parts;
      parts.reserve(plan.refraction.size());
      for (int slot : plan.refraction)
        parts.push_back(slots[slot]);
      binding = Value::tuple(std::move(parts));
      if (firedIdx >= 0 && s.fired[firedIdx].setContains(binding))
        return;
      if (!seen.insert(binding).second)
        return;
    }
    if (fireEmit) {
      fireInPlace(*inPlace, firedIdx, binding);
      return;
    }
    State next = s;
    if (firedIdx >= 0)
      next.fired[firedIdx].setInsert(binding);
    if (t.timer >= 0)
      next.timers[layout_.timerIndex(role, p, t.timer)] = 0;
    std::vector<Value> frame = slots;
    std::vector<Published> published;
    execBlock(t.body, layout_, next, role, p, frame, published);
    applyPublishes(layout_, next, p, published);
    if (!labels) {
      emit(std::move(next), nullptr);
      return;
    }
    Action a;
    a.kind = Action::Kind::Transition;
    a.principal = p;
    a.role = role;
    a.transition = plan.index;
    for (int slot : t.params)
      a.bindings.emplace_back(t.slots[slot].name, slots[slot]);
    for (const auto &pat : t.triggers) {
      if (pat.issuer.slot >= 0)
        a.bindings.emplace_back(t.slots[pat.issuer.slot].name,
                                slots[pat.issuer.slot]);
      if (pat.slot >= 0)
        a.bindings.emplace_back(t.slots[pat.slot].name, slots[pat.slot]);
    }
    a.published = std::move(published);
    emit(std::move(next), &a);
  };

  auto bindPattern = [&](auto &self, size_t i) -> void {
    if (i == n) {
      fire();
      return;
    }
    const auto &pat = t.triggers[i];
    if (pat.statementSet) { // one binding: every matching statement
      if (runChecks(int(i + 1)))
        self(self, i + 1);
      return;
    }
    if (pat.issuer.kind == ir::IssuerPattern::Kind::Quorum) {
      for (const auto &msg : quorumMsgs[i]) {
        if (pat.slot >= 0)
          slots[pat.slot] = msg;
        if (runChecks(int(i + 1)))
          self(self, i + 1);
      }
      return;
    }
    const auto &known = s.known[layout_.knownIndex(pat.record, p)].elems();
    for (const auto &st : known) {
      chosen[i] = &st;
      if (pat.slot >= 0)
        slots[pat.slot] = st.elems()[StmtMsg];
      if (pat.issuer.kind == ir::IssuerPattern::Kind::Bind &&
          pat.issuer.slot >= 0)
        slots[pat.issuer.slot] = st.elems()[StmtIss];
      if (runChecks(int(i + 1)))
        self(self, i + 1);
    }
  };
  // A guard that reads no pattern binding rejects before the joins (its
  // conjuncts that cannot fail ran with the level-0 checks already); if it
  // raises an error here, it is left to fire() (where the old order raises
  // it only when some binding exists).
  auto guardMayHold = [&]() {
    if (!plan.match.guardEarly)
      return true;
    try {
      for (const ir::Expr *g : plan.guardWhenFiring)
        if (!evalBool(*g, env))
          return false;
      return true;
    } catch (const EvalError &) {
      return true;
    }
  };
  for (const ir::Expr *g : plan.guardBeforeLoops)
    if (!evalBool(*g, env))
      return;

  // Parameters: the cartesian product of their domains.
  size_t np = t.params.size();
  std::vector<size_t> &idx = sc.idx;
  idx.assign(np, 0);
  for (const auto &d : plan.paramDomains)
    if (d.empty())
      return;
  while (true) {
    for (size_t k = 0; k < np; ++k)
      slots[t.params[k]] = plan.paramDomains[k][idx[k]];
    if (runChecks(0) && guardMayHold())
      bindPattern(bindPattern, 0);
    size_t k = np;
    bool done = true;
    while (k > 0) {
      --k;
      if (++idx[k] < plan.paramDomains[k].size()) {
        done = false;
        break;
      }
      idx[k] = 0;
    }
    if (done)
      return;
  }
}

void Generator::crashSuccessors(const State &s, bool labels,
                                const Emit &emit) const {
  const auto &prog = layout_.program();
  for (const auto &f : prog.faults) {
    if (!f.crashes())
      continue;
    const auto &set = prog.principalSets[f.principalSet];
    int64_t n = 0;
    for (int i = 0; i < set.size; ++i)
      n += s.crashed[size_t(set.first + i)];
    if (n >= f.max)
      continue;
    for (int i = 0; i < set.size; ++i) {
      int p = set.first + i;
      if (!s.live(p))
        continue;
      State next = s;
      next.crashed[size_t(p)] = 1;
      Action a;
      a.kind = Action::Kind::Crash;
      a.principal = p;
      emit(std::move(next), labels ? &a : nullptr);
    }
  }
}

// docs/semantics.md, Recover: `p` leaves `crashed`, keeps its durable and
// ghost variables and the pools, takes initial values for its other
// variables (one successor per combination of `in S` choices), and loses its
// timers, refraction sets and knowledge.
void Generator::recoverSuccessors(const State &s, bool labels,
                                  const Emit &emit) const {
  const auto &prog = layout_.program();
  for (const auto &f : prog.faults) {
    if (f.kind != ir::FaultDecl::Kind::Recover)
      continue;
    const auto &set = prog.principalSets[size_t(f.principalSet)];
    for (int i = 0; i < set.size; ++i) {
      int p = set.first + i;
      if (!s.isCrashed(p))
        continue;
      State base = s;
      base.crashed[size_t(p)] = 0;
      for (int rec = 0; rec < layout_.numRecords(); ++rec)
        base.known[size_t(layout_.knownIndex(rec, p))] = Value::emptySet();
      std::vector<int> slots;                  // reset var slots of p
      std::vector<std::vector<Value>> choices; // their initial values
      int role = layout_.roleOf(p);
      if (role >= 0) {
        const auto &ro = prog.roles[size_t(role)];
        for (size_t t = 0; t < ro.timers.size(); ++t)
          base.timers[size_t(layout_.timerIndex(role, p, int(t)))] = 0;
        for (size_t t = 0; t < ro.transitions.size(); ++t)
          if (int fi = layout_.firedIndex(role, int(t), p); fi >= 0)
            base.fired[size_t(fi)] = Value::emptySet();
        for (size_t v = 0; v < ro.vars.size(); ++v) {
          if (ro.vars[v].durable || ro.vars[v].ghost)
            continue;
          slots.push_back(layout_.varIndex(role, p, int(v)));
          choices.push_back(initialValues(s, role, p, int(v)));
        }
      }
      Action a;
      a.kind = Action::Kind::Recover;
      a.principal = p;
      forEachChoice(choices, [&](const std::vector<size_t> &idx) {
        State next = base;
        for (size_t k = 0; k < slots.size(); ++k)
          next.vars[size_t(slots[k])] = choices[k][idx[k]];
        emit(std::move(next), labels ? &a : nullptr);
      });
    }
  }
}

void Generator::successors(const State &s, bool labels, const Emit &emit,
                           const DeliverEmit *deliver) const {
  if (labels)
    deliver = nullptr;
  const auto &prog = layout_.program();
  if (prog.isRoundProgram()) {
    roundSuccessors(s, labels, emit);
    if (layout_.hasCrash())
      crashSuccessors(s, labels, emit);
    if (layout_.hasRecover())
      recoverSuccessors(s, labels, emit);
    return;
  }
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &set = prog.principalSets[prog.roles[r].principalSet];
    for (int i = 0; i < set.size; ++i) {
      int p = set.first + i;
      if (!s.live(p))
        continue;
      for (const auto &plan : plans_[r])
        transitionSuccessors(s, int(r), p, *plan, labels, emit);
    }
  }
  deliverSuccessors(s, labels, emit, deliver);
  if (layout_.hasCrash())
    crashSuccessors(s, labels, emit);
  if (layout_.hasRecover())
    recoverSuccessors(s, labels, emit);
  if (layout_.hasByz())
    byzSuccessors(s, labels, emit);
}

void Generator::deliverSuccessors(const State &s, bool labels, const Emit &emit,
                                  const DeliverEmit *deliver) const {
  for (int rec = 0; rec < layout_.numRecords(); ++rec) {
    const auto &pool = s.pool[size_t(rec)].elems();
    for (size_t j = 0; j < pool.size(); ++j) {
      const Value &st = pool[j];
      for (const auto &q : st.elems()[StmtVer].elems()) {
        int qi = int(q.scalar());
        if (qi < 0 || qi >= layout_.numPrincipals() || !s.live(qi))
          continue;
        const Value &known = s.known[layout_.knownIndex(rec, qi)];
        if (known.setContains(st))
          continue;
        if (deliver) {
          (*deliver)(rec, qi, j);
          continue;
        }
        State next = s;
        next.known[layout_.knownIndex(rec, qi)].setInsert(st);
        if (!labels) {
          emit(std::move(next), nullptr);
          continue;
        }
        Action a;
        a.kind = Action::Kind::Deliver;
        a.principal = qi;
        a.record = rec;
        a.statement = st;
        emit(std::move(next), &a);
      }
    }
  }
}

void Generator::byzSuccessors(const State &s, bool labels,
                              const Emit &emit) const {
  for (int b = 0; b < layout_.numPrincipals(); ++b) {
    if (!s.isByz(b))
      continue;
    for (int q = 0; q < layout_.numPrincipals(); ++q)
      for (size_t rec = 0; rec < byzDomains_.size(); ++rec)
        for (const auto &x : byzDomains_[rec]) {
          Value st = makeStatement(b, Value::sortedSet({Value::principal(q)}),
                                   Value::emptySet(), x);
          State next = s;
          next.pool[rec].setInsert(st);
          if (!labels) {
            emit(std::move(next), nullptr);
            continue;
          }
          Action a;
          a.kind = Action::Kind::ByzPublish;
          a.principal = b;
          a.published.push_back({int(rec), st});
          emit(std::move(next), &a);
        }
  }
}

bool Generator::terminated(const State &s) const {
  const auto &prog = layout_.program();
  if (prog.isRoundProgram())
    return s.phaseNo >= prog.roles[0].phase->bound;
  if (!prog.termination.expr)
    return false;
  std::vector<Value> slots(prog.termination.slots.size() + 8);
  Env env{layout_, s, -1, slots};
  return evalBool(*prog.termination.expr, env);
}

std::string Generator::firstFalse(const std::vector<ir::Predicate> &preds,
                                  const State &s) const {
  size_t most = 0;
  for (const auto &pred : preds)
    most = std::max(most, pred.slots.size());
  std::vector<Value> slots(most + 8);
  for (const auto &pred : preds) {
    for (auto &v : slots)
      v = Value();
    Env env{layout_, s, -1, slots};
    if (!evalBool(*pred.expr, env))
      return pred.name;
  }
  return {};
}

std::string Generator::violatedInvariant(const State &s) const {
  return firstFalse(layout_.program().invariants, s);
}

//===----------------------------------------------------------------------===//
// Labels
//===----------------------------------------------------------------------===//

static std::string showStatement(const Layout &layout, const Value &st) {
  auto party = [&](const Value &set) {
    if (set.elems().empty())
      return std::string("NOONE");
    if (int(set.elems().size()) == layout.numPrincipals() &&
        set.elems().size() > 1)
      return std::string("ANY");
    if (set.elems().size() == 1)
      return layout.show(set.elems()[0]);
    return layout.show(set);
  };
  return fmt::format("[{}, {}, {}] {}", layout.show(st.elems()[StmtIss]),
                     party(st.elems()[StmtVer]), party(st.elems()[StmtAud]),
                     layout.show(st.elems()[StmtMsg]));
}

std::string Action::describe(const Layout &layout) const {
  const auto &prog = layout.program();
  switch (kind) {
  case Kind::Init:
    return "initial state";
  case Kind::Transition: {
    std::string s = fmt::format(
        "{} fires {}.{}", layout.principalName(principal),
        prog.roles[role].name, prog.roles[role].transitions[transition].name);
    if (!bindings.empty()) {
      s += " with ";
      for (size_t i = 0; i < bindings.size(); ++i)
        s += (i ? ", " : "") + bindings[i].first + " = " +
             layout.show(bindings[i].second);
    }
    for (const auto &p : published)
      s += "\n      publishes " + showStatement(layout, p.statement);
    return s;
  }
  case Kind::Deliver:
    return fmt::format("deliver {} to {}", showStatement(layout, statement),
                       layout.principalName(principal));
  case Kind::Crash:
    return fmt::format("{} crashes", layout.principalName(principal));
  case Kind::Recover:
    return fmt::format("{} restarts (durable variables kept, the rest reset)",
                       layout.principalName(principal));
  case Kind::ByzPublish:
    return fmt::format("Byzantine {} publishes {}",
                       layout.principalName(principal),
                       showStatement(layout, published.at(0).statement));
  case Kind::RoundStep: {
    const auto &r = prog.roles[0].phase->rounds[size_t(round)];
    std::string s = fmt::format("round {}", r.name);
    for (size_t k = 0; k < crashing.size(); ++k)
      s += fmt::format("{}{}", k ? ", " : " (",
                       layout.principalName(crashing[k]));
    if (!crashing.empty())
      s += crashing.size() == 1 ? " crashes during it)" : " crash during it)";
    for (const auto &[q, mbox] : mailboxes)
      s += fmt::format("\n      {} receives {}", layout.principalName(q),
                       layout.show(mbox));
    return s;
  }
  }
  return "?";
}

std::string statementText(const Layout &layout, const Value &st) {
  return showStatement(layout, st);
}

} // namespace mommie::checker
