// The parts of the bounded encoding shared by round and event-driven
// programs: fresh and initial states, fault bounds, invariants, Init, Crash
// and Recover steps, and printing a state under a model.
#include "proofs/Encoding.h"

#include <fmt/format.h>

namespace mommie::proofs {

std::string StateBuilder::principalName(int p) const {
  for (const auto &ps : prog.principalSets)
    if (p >= ps.first && p < ps.first + ps.size)
      return ps.name + std::to_string(p - ps.first);
  return "principal#" + std::to_string(p);
}

bool StateBuilder::hasCrash() const {
  for (const auto &f : prog.faults)
    if (f.crashes())
      return true;
  return false;
}

bool StateBuilder::hasRecover() const {
  for (const auto &f : prog.faults)
    if (f.kind == ir::FaultDecl::Kind::Recover)
      return true;
  return false;
}

void StateBuilder::faultBounds(const std::vector<Term> &crashed,
                               const std::vector<Term> &byz,
                               std::vector<Term> &hyps) {
  for (const auto &f : prog.faults) {
    if (f.principalSet < 0 ||
        f.principalSet >= static_cast<int>(prog.principalSets.size()))
      continue;
    const auto &ps = prog.principalSets[f.principalSet];
    const auto &v = f.crashes() ? crashed : byz;
    std::vector<Term> count;
    for (int p = ps.first; p < ps.first + ps.size; ++p)
      count.push_back(s.boolToInt(v[p]));
    hyps.push_back(s.mkLe(s.mkAdd(count), s.intConst(f.max)));
  }
}

static bool crashFault(const ir::FaultDecl &f) { return f.crashes(); }
static bool recoverFault(const ir::FaultDecl &f) {
  return f.kind == ir::FaultDecl::Kind::Recover;
}
static bool byzantineFault(const ir::FaultDecl &f) {
  return f.kind == ir::FaultDecl::Kind::Byzantine;
}

std::vector<bool>
faultMembers(const ir::Program &prog,
             const std::function<bool(const ir::FaultDecl &)> &which) {
  std::vector<bool> in(prog.numPrincipals, false);
  for (const auto &f : prog.faults) {
    if (!which(f) || f.principalSet < 0 ||
        f.principalSet >= static_cast<int>(prog.principalSets.size()))
      continue;
    const auto &ps = prog.principalSets[f.principalSet];
    for (int p = ps.first; p < ps.first + ps.size && p < prog.numPrincipals;
         ++p)
      in[p] = true;
  }
  return in;
}

SymState StateBuilder::freshState(const std::string &tag,
                                  std::vector<Term> &hyps) {
  SymState st;
  for (const auto &role : prog.roles) {
    const auto &ps = prog.principalSets.at(role.principalSet);
    std::vector<std::vector<SVal>> perVar;
    for (const auto &var : role.vars) {
      std::vector<SVal> perP;
      for (int i = 0; i < ps.size; ++i)
        perP.push_back(ops.fresh(
            *var.type, var.name + "[" + principalName(ps.first + i) + "]" + tag,
            hyps));
      perVar.push_back(std::move(perP));
    }
    st.vars.push_back(std::move(perVar));
    std::vector<std::vector<Term>> timers;
    for (const auto &t : role.timers) {
      std::vector<Term> perP;
      for (int i = 0; i < ps.size; ++i)
        perP.push_back(s.freshBool(t.name + "_running[" +
                                   principalName(ps.first + i) + "]" + tag));
      timers.push_back(std::move(perP));
    }
    st.timers.push_back(std::move(timers));
  }
  auto crashable = faultMembers(prog, crashFault);
  auto byzable = faultMembers(prog, byzantineFault);
  for (int p = 0; p < prog.numPrincipals; ++p) {
    st.crashed.push_back(
        crashable[p] ? s.freshBool("crashed[" + principalName(p) + "]" + tag)
                     : s.boolConst(false));
    st.byz.push_back(byzable[p] ? s.freshBool("byz[" + principalName(p) + "]")
                                : s.boolConst(false));
  }
  faultBounds(st.crashed, st.byz, hyps);
  if (extendState)
    extendState(st, tag, false);
  if (prog.isRoundProgram()) {
    const auto &phase = *prog.roles[0].phase;
    st.phaseNo = s.freshInt("phaseNo" + tag);
    st.roundNo = s.freshInt("roundNo" + tag);
    hyps.push_back(s.mkLe(s.intConst(0), st.phaseNo));
    hyps.push_back(s.mkLe(st.phaseNo, s.intConst(phase.bound)));
    hyps.push_back(s.mkLe(s.intConst(0), st.roundNo));
    hyps.push_back(s.mkLt(
        st.roundNo, s.intConst(static_cast<int64_t>(phase.rounds.size()))));
  }
  return st;
}

SVal StateBuilder::initialValue(const ir::VarDecl &var, int p,
                                const std::string &tag, Term cond,
                                std::vector<Term> &hyps, StepRanges &ranges) {
  SymState empty;
  Evaluator ev(ops, empty, p, var.slots.size());
  if (var.init) {
    SVal v = ev.eval(*var.init);
    ranges.addValue(ops, var.name, *var.type, v, cond);
    ranges.addArith(ops, ev, cond);
    return ops.canon(*var.type, v);
  }
  SVal v =
      ops.fresh(*var.type, var.name + "[" + principalName(p) + "]" + tag, hyps);
  if (var.initSet)
    hyps.push_back(ops.member(ev.eval(*var.initSet), v));
  return v;
}

SymState StateBuilder::initState(std::vector<Term> &hyps, StepRanges &ranges) {
  SymState st;
  for (const auto &role : prog.roles) {
    const auto &ps = prog.principalSets.at(role.principalSet);
    std::vector<std::vector<SVal>> perVar;
    for (const auto &var : role.vars) {
      std::vector<SVal> perP;
      for (int i = 0; i < ps.size; ++i)
        perP.push_back(initialValue(var, ps.first + i, "@init",
                                    s.boolConst(true), hyps, ranges));
      perVar.push_back(std::move(perP));
    }
    st.vars.push_back(std::move(perVar));
    std::vector<std::vector<Term>> timers;
    for (size_t t = 0; t < role.timers.size(); ++t)
      timers.push_back(std::vector<Term>(ps.size, s.boolConst(false)));
    st.timers.push_back(std::move(timers));
  }
  auto byzable = faultMembers(prog, byzantineFault);
  for (int p = 0; p < prog.numPrincipals; ++p) {
    st.crashed.push_back(s.boolConst(false));
    st.byz.push_back(byzable[p] ? s.freshBool("byz[" + principalName(p) + "]")
                                : s.boolConst(false));
  }
  faultBounds(st.crashed, st.byz, hyps);
  if (extendState)
    extendState(st, "@init", true);
  if (prog.isRoundProgram()) {
    st.phaseNo = s.intConst(0);
    st.roundNo = s.intConst(0);
  }
  return st;
}

Term StateBuilder::typeOk(const SymState &st, Ranges which) {
  std::vector<Term> cs;
  for (size_t r = 0; r < prog.roles.size(); ++r)
    for (size_t v = 0; v < prog.roles[r].vars.size(); ++v)
      for (const auto &val : st.vars[r][v])
        cs.push_back(ops.typeOk(*prog.roles[r].vars[v].type, val, which));
  return s.mkAnd(cs);
}

void StepRanges::addValue(ValueOps &ops, const std::string &what,
                          const ir::Type &type, const SVal &v, Term cond) {
  model.push_back(ops.s.mkImplies(cond, ops.s.mkNot(ops.dropsModel(type, v))));
  addDeclared(ops, what, type, v, cond);
}

void StepRanges::addDeclared(ValueOps &ops, const std::string &what,
                             const ir::Type &type, const SVal &v, Term cond) {
  Term ok = ops.s.mkImplies(cond, ops.typeOk(type, v, Ranges::Declared));
  declared.push_back(ok);
  if (!ops.s.isTrue(ok))
    checked.push_back({what, &type, v, ok});
}

std::string StepRanges::show(const ir::Program &prog,
                             const ModelEval &ev) const {
  std::string out;
  for (const auto &c : checked)
    if (!ev(c.ok))
      out += fmt::format("  stored: {} = {}, outside its declared type\n",
                         c.what, showValue(prog, *c.type, c.value, ev));
  for (const auto &[what, ok] : arithChecked)
    if (!ev(ok))
      out += fmt::format("  evaluation error: {}\n", what);
  return out;
}

void StepRanges::addArith(ValueOps &ops, const Evaluator &ev, Term cond) {
  for (const auto &a : ev.arith) {
    Term ok = ops.s.mkImplies(ops.s.mkAnd(cond, a.cond), a.ok);
    arith.push_back(ok);
    arithChecked.push_back({a.what, ok});
  }
}

void StepRanges::addEvaluator(ValueOps &ops, const Evaluator &ev, Term cond) {
  auto &s = ops.s;
  for (const auto &st : ev.stored)
    addDeclared(ops, st.what, *st.type, st.value, s.mkAnd(cond, st.cond));
  for (Term out : ev.outside)
    model.push_back(s.mkImplies(cond, s.mkNot(out)));
  for (Term beyond : ev.beyondSeqBound)
    model.push_back(s.mkImplies(cond, s.mkNot(beyond)));
  addArith(ops, ev, cond);
  // A published record outside the model leaves the model (the pool of the
  // post-state holds it); its declared ranges are PoolUniverse's concern.
  for (const auto &pub : ev.published) {
    if (pub.record < 0)
      continue;
    ir::Type rec;
    rec.kind = ir::TypeKind::Record;
    rec.record = pub.record;
    model.push_back(s.mkImplies(s.mkAnd(cond, pub.cond),
                                ops.typeOk(rec, pub.value, Ranges::Model)));
  }
}

void StateBuilder::assumeWithinModel(const SymState &post,
                                     const StepRanges &ranges,
                                     std::vector<Term> &hyps) {
  if (prog.hasModelRanges())
    hyps.push_back(typeOk(post, Ranges::Model));
  for (Term t : ranges.model) // model ranges, and sequences within the bound
    hyps.push_back(t);
}

std::vector<Goal> StateBuilder::invariantGoals(const SymState &st) {
  std::vector<Goal> goals;
  for (const auto &inv : prog.invariants) {
    Goal g;
    g.invariant = inv.name;
    g.loc = inv.loc;
    try {
      if (!inv.expr)
        throw Unsupported("invariant without an expression");
      Evaluator ev(ops, st, -1, inv.slots.size());
      ev.known = invariantKnown;
      Term holds = ev.evalBool(*inv.expr);
      // The checker stops with an evaluation error where an invariant's
      // arithmetic is undefined: the goal is that it is defined and true
      // (and so is the hypothesis on a pre-state).
      std::vector<Term> defined;
      for (const auto &a : ev.arith)
        defined.push_back(s.mkImplies(a.cond, a.ok));
      defined.push_back(holds);
      g.term = s.mkAnd(defined);
    } catch (const std::exception &e) {
      g.unsupported = e.what();
    }
    goals.push_back(std::move(g));
  }
  return goals;
}

std::string StateBuilder::showState(const SymState &st, const ModelEval &ev,
                                    const char *indent) const {
  std::string out;
  if (st.phaseNo)
    out += fmt::format("{}phaseNo = {}, roundNo = {}\n", indent, ev(st.phaseNo),
                       ev(st.roundNo));
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &role = prog.roles[r];
    const auto &ps = prog.principalSets.at(role.principalSet);
    for (int i = 0; i < ps.size; ++i) {
      int p = ps.first + i;
      std::string line = fmt::format("{}{}:", indent, principalName(p));
      if (ev(st.byz[p]))
        line += " (byzantine)";
      if (ev(st.crashed[p]))
        line += " (crashed)";
      for (size_t v = 0; v < role.vars.size(); ++v)
        line +=
            fmt::format(" {} = {};", role.vars[v].name,
                        showValue(prog, *role.vars[v].type, st.vars[r][v][i],
                                  ev, &names, int(r), int(v)));
      for (size_t t = 0; t < role.timers.size() && r < st.timers.size() &&
                         t < st.timers[r].size();
           ++t)
        if (ev(st.timers[r][t][i]))
          line += fmt::format(" timer {} running;", role.timers[t].name);
      out += line + "\n";
    }
  }
  return out;
}

void StateBuilder::addBuiltinGoals(const SymState &post,
                                   std::vector<Goal> &goals,
                                   const StepRanges *ranges) {
  std::vector<Term> ok{typeOk(post, Ranges::Declared)};
  if (ranges)
    ok.insert(ok.end(), ranges->declared.begin(), ranges->declared.end());
  // A named goal without a location (built member by member: GCC 12 warns
  // that the braced temporary's empty SourceLoc may be used uninitialized).
  auto add = [&goals](const char *name, Term term) {
    Goal g;
    g.invariant = name;
    g.term = term;
    goals.push_back(std::move(g));
  };
  add("TypeOK", s.mkAnd(ok));
  if (ranges && !ranges->arith.empty())
    add("ArithOK", s.mkAnd(ranges->arith));
  if (structuralOk)
    add("PoolOK", structuralOk(post));
}

StepEncoding encodeInit(StateBuilder &b) {
  StepEncoding step;
  step.name = "init";
  try {
    auto ranges = std::make_shared<StepRanges>();
    auto st = std::make_shared<SymState>(b.initState(step.hyps, *ranges));
    b.assumeWithinModel(*st, *ranges, step.hyps);
    step.goals = b.invariantGoals(*st);
    b.addBuiltinGoals(*st, step.goals, ranges.get());
    StateBuilder *bp = &b;
    step.describe = [bp, st, ranges](const ModelEval &ev) {
      return "  initial state:\n" + bp->showState(*st, ev, "    ") +
             ranges->show(bp->prog, ev);
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
  }
  return step;
}

// Hypotheses shared by every consecution step: the pre-state satisfies
// TypeOK and every invariant and lemma that could be encoded.
void assumeInvariantsOn(StateBuilder &b, const SymState &pre,
                        std::vector<Term> &hyps) {
  for (const auto &g : b.invariantGoals(pre))
    if (g.term)
      hyps.push_back(g.term);
  if (b.structuralOk)
    hyps.push_back(b.structuralOk(pre));
}

StepEncoding encodeCrash(StateBuilder &b) {
  StepEncoding step;
  step.name = "crash";
  auto &s = b.s;
  try {
    auto pre = std::make_shared<SymState>(b.freshState("", step.hyps));
    assumeInvariantsOn(b, *pre, step.hyps);
    auto post = std::make_shared<SymState>(*pre);
    std::vector<Term> which;
    auto victim = std::make_shared<std::vector<Term>>();
    auto crashable = faultMembers(b.prog, crashFault);
    for (int p = 0; p < b.prog.numPrincipals; ++p) {
      if (s.isFalse(pre->crashed[p])) {
        // Not crashable unless declared: crashed[p] is the constant false.
        if (!crashable[p]) {
          victim->push_back(s.boolConst(false));
          continue;
        }
      }
      Term c = s.freshBool("crashes[" + b.principalName(p) + "]");
      victim->push_back(c);
      step.hyps.push_back(s.mkImplies(c, b.live(*pre, p)));
      which.push_back(s.boolToInt(c));
      post->crashed[p] = s.mkOr(pre->crashed[p], c);
    }
    step.hyps.push_back(s.mkEq(s.mkAdd(which), s.intConst(1)));
    b.faultBounds(post->crashed, post->byz, step.hyps);
    step.goals = b.invariantGoals(*post);
    b.addBuiltinGoals(*post, step.goals);
    StateBuilder *bp = &b;
    step.describe = [bp, pre, post, victim](const ModelEval &ev) {
      std::string out = "  pre-state:\n" + bp->showState(*pre, ev, "    ");
      for (size_t p = 0; p < victim->size(); ++p)
        if (ev((*victim)[p]))
          out += "  step: " + bp->principalName(static_cast<int>(p)) +
                 " crashes\n";
      return out + "  post-state:\n" + bp->showState(*post, ev, "    ");
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
  }
  return step;
}

StepEncoding encodeRecover(StateBuilder &b) {
  StepEncoding step;
  step.name = "recover";
  auto &s = b.s;
  auto &ops = b.ops;
  const auto &prog = b.prog;
  try {
    auto pre = std::make_shared<SymState>(b.freshState("", step.hyps));
    assumeInvariantsOn(b, *pre, step.hyps);
    auto post = std::make_shared<SymState>(*pre);
    auto ranges = std::make_shared<StepRanges>();
    auto recoverable = faultMembers(prog, recoverFault);
    auto restarts = std::make_shared<std::vector<Term>>(
        size_t(prog.numPrincipals), s.boolConst(false));
    std::vector<Term> which;
    for (int p = 0; p < prog.numPrincipals; ++p) {
      if (!recoverable[p] || s.isFalse(pre->crashed[p]))
        continue;
      Term r = s.freshBool("restarts[" + b.principalName(p) + "]");
      (*restarts)[size_t(p)] = r;
      step.hyps.push_back(s.mkImplies(r, pre->crashed[p]));
      which.push_back(s.boolToInt(r));
      post->crashed[p] = s.mkAnd(pre->crashed[p], s.mkNot(r));
    }
    step.hyps.push_back(s.mkEq(s.mkAdd(which), s.intConst(1)));
    // The restarted principal keeps its durable and ghost variables and
    // takes an initial value for the others (docs/semantics.md, Recover);
    // its timers stop, its refraction sets and knowledge become empty.
    for (size_t r = 0; r < prog.roles.size(); ++r) {
      const auto &role = prog.roles[r];
      const auto &ps = prog.principalSets.at(role.principalSet);
      for (int i = 0; i < ps.size; ++i) {
        Term restart = (*restarts)[size_t(ps.first + i)];
        if (s.isFalse(restart))
          continue;
        for (size_t v = 0; v < role.vars.size(); ++v) {
          const auto &var = role.vars[v];
          if (var.durable || var.ghost)
            continue;
          SVal init = b.initialValue(var, ps.first + i, "@restart", restart,
                                     step.hyps, *ranges);
          post->vars[r][v][i] =
              ops.canon(*var.type, ops.ite(restart, init, pre->vars[r][v][i]));
        }
        if (r < post->timers.size())
          for (auto &timer : post->timers[r])
            timer[i] = s.mkAnd(timer[i], s.mkNot(restart));
        if (r < post->fired.size())
          for (auto &fired : post->fired[r]) {
            size_t dom = fired.size() / size_t(ps.size);
            for (size_t d = 0; d < dom; ++d)
              fired[i * dom + d] =
                  s.mkAnd(fired[i * dom + d], s.mkNot(restart));
          }
        for (auto &known : post->known)
          for (Term &k : known[ps.first + i])
            k = s.mkAnd(k, s.mkNot(restart));
      }
    }
    b.assumeWithinModel(*post, *ranges, step.hyps);
    step.goals = b.invariantGoals(*post);
    b.addBuiltinGoals(*post, step.goals, ranges.get());
    StateBuilder *bp = &b;
    step.describe = [bp, pre, post, restarts, ranges](const ModelEval &ev) {
      std::string out = "  pre-state:\n" + bp->showState(*pre, ev, "    ");
      for (size_t p = 0; p < restarts->size(); ++p)
        if (ev((*restarts)[p]))
          out += "  step: " + bp->principalName(static_cast<int>(p)) +
                 " restarts\n";
      return out + "  post-state:\n" + bp->showState(*post, ev, "    ") +
             ranges->show(bp->prog, ev);
    };
  } catch (const std::exception &e) {
    step.unsupported = e.what();
  }
  return step;
}

Encoding encodeBounded(const ir::Program &program, size_t seqBound) {
  Encoding enc;
  enc.store = std::make_unique<TermStore>();
  // The builder and ops must outlive the describe closures.
  auto ops = std::make_shared<ValueOps>(*enc.store, program);
  ops->seqBound = seqBound;
  auto builder = std::make_shared<StateBuilder>(*ops);
  enc.keepAlive = {ops, builder};
  StateBuilder &b = *builder;
  if (!program.isRoundProgram()) {
    try {
      prepareEvents(b);
    } catch (const std::exception &e) {
      // The statement universe could not be built: every step is unknown.
      StepEncoding step;
      step.name = "events";
      step.unsupported = e.what();
      enc.steps.push_back(std::move(step));
      return enc;
    }
  }
  enc.steps.push_back(encodeInit(b));
  if (program.isRoundProgram())
    encodeRounds(b, enc);
  else
    encodeEvents(b, enc);
  if (b.hasCrash())
    enc.steps.push_back(encodeCrash(b));
  if (b.hasRecover())
    enc.steps.push_back(encodeRecover(b));
  return enc;
}

} // namespace mommie::proofs
