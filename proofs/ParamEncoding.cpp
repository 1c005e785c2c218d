// The parameterized encoding of round programs and its prover (docs/prove.md,
// "The parameterized encoding"). One cvc5 query per (step, invariant):
//
//   pre:   cells of every role variable partition All (TypeOK), |Byz| and
//          |Crashed| within the fault bounds, roundNo = i,
//          0 <= phaseNo < the phase bound (round steps),
//          every invariant and lemma (quantifiers over principals become
//          set constraints: exact)
//   goal:  the invariant on the post-state, universal quantifiers skolemized
//          (`p!3`); a principal named by the goal is a *ground element*
//   step:  for each ground element t: its mailbox mbox(t) is a set of
//          senders, within Byz and the live principals that send to t; the
//          payload of a sender is the send clause evaluated at the sender
//          (its cells), or a forged value (cells of forged(t)) if Byzantine;
//          t's post-state is the update run on t's pre-state and mailbox
//   post cells: when a goal quantifies over the post-state of a variable the
//          round writes, its post cells are fresh sets defined at the ground
//          elements only, and witness elements are added for the regions
//          "pre cell minus post cell"; such a query is *incomplete*: unsat
//          still proves it, but sat is only a candidate (the bounded encoding
//          is then asked for a real counterexample at that size)
#include "ir/Instantiate.h"
#include "proofs/Isolate.h"
#include "proofs/ParamEval.h"
#include "proofs/ParamVenn.h"
#include "proofs/Prover.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <unordered_map>

namespace mommie::proofs::param {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

namespace {

void assignedVars(const ir::Block &b, std::set<int> &out) {
  for (const auto &st : b) {
    if (st->kind == ir::StmtKind::Assign)
      out.insert(st->var);
    assignedVars(st->thenBody, out);
    assignedVars(st->elseBody, out);
  }
}

void stateVarsRead(const ir::Expr &e, std::set<int> &out) {
  if (e.kind == ir::ExprKind::StateVar)
    out.insert(e.var);
  for (const auto &a : e.args)
    if (a)
      stateVarsRead(*a, out);
}

// The role variables whose value an assignment to `var` in `b` can copy
// (`x <- input` makes `input` a source of `x`).
void flowSources(const ir::Block &b, int var, std::set<int> &out) {
  for (const auto &st : b) {
    if (st->kind == ir::StmtKind::Assign && st->var == var && st->value)
      stateVarsRead(*st->value, out);
    flowSources(st->thenBody, var, out);
    flowSources(st->elseBody, var, out);
  }
}

// One (step, goal) query.
class Query {
public:
  Query(cvc5::Solver &slv, const ir::Program &prog,
        const SymbolicParams &symParams)
      : c(slv, prog, symParams), prog(prog), role(prog.roles[0]),
        phase(*role.phase) {}

  Ctx c;
  const ir::Program &prog;
  const ir::Role &role;
  const ir::Phase &phase;
  PState pre, post;
  bool exact = true;
  std::vector<std::string> dropped; // hypotheses that could not be encoded
  Term goal;
  Term crashedNew; // crash step: the principal that crashes
  Term restarted;  // recover step: the principal that restarts
  enum class StepKind { Init, Round, Crash, Recover } kind = StepKind::Init;
  int roundIndex = -1;

  // Ground elements of a round step.
  struct Ground {
    Term elem;
    int mbox = -1;
    std::vector<Term> forged;
    std::vector<PV> postVals;
  };
  std::vector<Ground> grounds;
  std::unordered_map<Term, size_t> groundIndex;
  std::map<int, std::vector<Term>> postCells;
  std::set<int> assigned;
  std::vector<DomVal> payloadDom;
  bool narrowWitnesses = false;

  Term live(const PState &st, const Term &e) {
    return c.mkAnd({c.member(e, c.all), c.mkNot(c.member(e, st.crashed)),
                    c.mkNot(c.member(e, st.byz))});
  }
  Term liveSet(const PState &st) {
    return c.minus(c.minus(c.all, st.crashed), st.byz);
  }

  // The first fault of kind `k` (Crash: a crash or recover fault) and its
  // bound.
  bool hasFault(ir::FaultDecl::Kind k, Term &bound) {
    for (size_t i = 0; i < prog.faults.size(); ++i)
      if (k == ir::FaultDecl::Kind::Crash ? prog.faults[i].crashes()
                                          : prog.faults[i].kind == k) {
        if (prog.faults[i].principalSet != role.principalSet)
          throw NotSupported("a fault declaration for another principal set");
        bound = c.affine(c.symParams.faultMax.at(i));
        return true;
      }
    return false;
  }

  void freshPre() {
    for (size_t v = 0; v < role.vars.size(); ++v)
      pre.cells.push_back(c.freshCells(static_cast<int>(v), "", true));
    Term bound;
    if (hasFault(ir::FaultDecl::Kind::Byzantine, bound)) {
      pre.byz = c.freshSet("Byz");
      c.hyps.push_back(c.mk(Kind::LEQ, {c.card(pre.byz), bound}));
    } else {
      pre.byz = c.emptySet;
    }
    if (hasFault(ir::FaultDecl::Kind::Crash, bound)) {
      pre.crashed = c.freshSet("Crashed");
      c.hyps.push_back(c.mk(Kind::LEQ, {c.card(pre.crashed), bound}));
    } else {
      pre.crashed = c.emptySet;
    }
    pre.phaseNo = c.slv.mkConst(c.slv.getIntegerSort(), "phaseNo");
    c.hyps.push_back(c.mk(Kind::GEQ, {pre.phaseNo, c.mkInt(0)}));
    pre.roundNo = c.slv.mkConst(c.slv.getIntegerSort(), "roundNo");
    c.hyps.push_back(c.mk(Kind::GEQ, {pre.roundNo, c.mkInt(0)}));
    c.hyps.push_back(c.mk(Kind::LT, {pre.roundNo, c.mkInt(static_cast<int64_t>(
                                                      phase.rounds.size()))}));
    // Every invariant and lemma holds in the pre-state.
    for (const auto &inv : prog.invariants) {
      try {
        Ev ev(c, pre, Term(), std::max<size_t>(inv.slots.size(), 1));
        c.hyps.push_back(ev.evalBool(*inv.expr));
      } catch (const NotSupported &e) {
        exact = false;
        dropped.push_back(inv.name + " (" + e.what() + ")");
      }
    }
  }

  // Whether `value` is an element of `set`, an `in S` initial set.
  Term inInitialSet(const PV &set, const PV &value) {
    if (set.k != PV::K::VSet)
      throw NotSupported("an initial set that is not a set of values");
    std::vector<Term> alts;
    for (const auto &[g, item] : set.items)
      alts.push_back(c.mkAnd({g, c.eq(item, value)}));
    return c.mkOr(alts);
  }

  void initState() {
    PState none;
    none.byz = none.crashed = c.emptySet;
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const auto &var = role.vars[v];
      const auto &dom = c.varDomains[v];
      std::vector<Term> cells;
      if (var.init) {
        Term b = c.binder();
        Ev ev(c, none, b, std::max<size_t>(var.slots.size(), 1));
        PV val = ev.eval(*var.init);
        for (const auto &d : dom)
          cells.push_back(c.lift(c.eq(val, d.v), b));
      } else {
        cells = c.freshCells(static_cast<int>(v), "@init", true);
        if (var.initSet) {
          Term b = c.binder();
          Ev ev(c, none, b, std::max<size_t>(var.slots.size(), 1));
          PV s = ev.eval(*var.initSet);
          for (size_t d = 0; d < dom.size(); ++d)
            c.hyps.push_back(
                c.subset(cells[d], c.lift(inInitialSet(s, dom[d].v), b)));
        } else {
          PV def = c.defaultValue(*var.type);
          for (size_t d = 0; d < dom.size(); ++d)
            c.hyps.push_back(
                c.mkImplies(c.mkNot(c.eq(def, dom[d].v)), c.isEmpty(cells[d])));
        }
      }
      pre.cells.push_back(cells);
    }
    Term bound;
    pre.byz = c.emptySet;
    if (hasFault(ir::FaultDecl::Kind::Byzantine, bound)) {
      pre.byz = c.freshSet("Byz");
      c.hyps.push_back(c.mk(Kind::LEQ, {c.card(pre.byz), bound}));
    }
    pre.crashed = c.emptySet;
    pre.phaseNo = c.mkInt(0);
    pre.roundNo = c.mkInt(0);
  }

  // Round steps -------------------------------------------------------------

  struct SendInfo {
    Term has;
    PV payload;
  };
  SendInfo sendInfo(const Term &sender, const Term &receiver) {
    const ir::Round &round = phase.rounds[roundIndex];
    Ev ev(c, pre, sender, std::max<size_t>(round.slots.size(), 1));
    SendInfo out{c.ff, c.defaultValue(*round.payload)};
    for (size_t k = round.sends.size(); k-- > 0;) {
      const auto &sc = round.sends[k];
      Term cond = sc.cond ? ev.evalBool(*sc.cond) : c.tt;
      PV dest = ev.eval(*sc.dest);
      Term to = dest.k == PV::K::Elem ? c.mkEq(receiver, dest.t)
                                      : c.member(receiver, dest.t);
      Term app = c.mkAnd({cond, to});
      out.payload = c.ite(app, ev.eval(*sc.payload), out.payload);
      out.has = c.mkOr({app, out.has});
    }
    return out;
  }

  PV payloadOf(size_t g, const Term &sender) {
    const ir::Round &round = phase.rounds[roundIndex];
    (void)round;
    PV pay = sendInfo(sender, grounds[g].elem).payload;
    if (pre.byz == c.emptySet)
      return pay;
    PV forged = payloadDom.back().v;
    for (size_t d = payloadDom.size() - 1; d-- > 0;)
      forged = c.ite(c.member(sender, grounds[g].forged[d]), payloadDom[d].v,
                     forged);
    return c.ite(c.member(sender, pre.byz), forged, pay);
  }

  void defineAt(size_t g, int var, const std::vector<Term> &cells) {
    const auto &dom = c.varDomains[var];
    Term t = grounds[g].elem;
    for (size_t d = 0; d < dom.size(); ++d)
      c.hyps.push_back(
          c.mkImplies(c.member(t, c.all),
                      c.mkEq(c.member(t, cells[d]),
                             c.eq(grounds[g].postVals[var], dom[d].v))));
  }

  PV groundValue(const Term &t, int var) {
    auto it = groundIndex.find(t);
    if (it != groundIndex.end())
      return grounds[it->second].postVals.at(var);
    const ir::Round &round = phase.rounds[roundIndex];
    size_t g = grounds.size();
    grounds.push_back({t, -1, {}, {}});
    groundIndex[t] = g;
    // Fresh sets rather than applications of a set-valued function (cvc5
    // 1.0.3 builds inconsistent models for those); congruence by hand.
    Term box = c.freshSet("mbox");
    if (pre.byz != c.emptySet) {
      Term u = c.emptySet;
      for (size_t d = 0; d < payloadDom.size(); ++d) {
        Term f = c.freshSet("forged=" + payloadDom[d].text);
        for (const auto &o : grounds[g].forged)
          c.hyps.push_back(c.isEmpty(c.inter(f, o)));
        grounds[g].forged.push_back(f);
        u = c.unite(u, f);
      }
      c.hyps.push_back(c.subset(c.all, u));
    }
    for (size_t o = 0; o < g; ++o) {
      std::vector<Term> same{c.mkEq(box, c.mailboxes[grounds[o].mbox].box)};
      for (size_t d = 0; d < grounds[g].forged.size(); ++d)
        same.push_back(c.mkEq(grounds[g].forged[d], grounds[o].forged[d]));
      c.hyps.push_back(c.mkImplies(c.mkEq(t, grounds[o].elem), c.mkAnd(same)));
    }
    Term s = c.binder();
    Term sent = c.lift(sendInfo(s, t).has, s);
    c.hyps.push_back(
        c.subset(box, c.unite(pre.byz, c.inter(liveSet(pre), sent))));
    grounds[g].mbox = static_cast<int>(c.mailboxes.size());
    c.mailboxes.push_back(
        {box, [this, g](const Term &sender) { return payloadOf(g, sender); }});
    PV boxVal;
    boxVal.k = PV::K::Mbox;
    boxVal.mbox = grounds[g].mbox;
    boxVal.t = box;
    Term lt = live(pre, t);
    // Communication predicates, and goAhead when the round waits for it.
    for (const auto &cp : prog.commPredicates) {
      if (cp.round != roundIndex || !cp.expr)
        continue;
      Ev ev(c, pre, t, std::max<size_t>(cp.slots.size(), 1));
      ev.slots.at(cp.mboxSlot >= 0 ? cp.mboxSlot : 0) = boxVal;
      c.hyps.push_back(c.mkImplies(lt, ev.evalBool(*cp.expr)));
    }
    bool wait = false;
    for (const auto &pc : round.progress)
      wait |= pc.kind == ir::ProgressKind::WaitMessages;
    if (wait)
      for (const auto &pc : round.progress)
        if (pc.kind == ir::ProgressKind::GoAhead && pc.expr) {
          Ev ev(c, pre, t, std::max<size_t>(round.slots.size(), 1));
          ev.slots.at(round.mboxSlot) = boxVal;
          c.hyps.push_back(c.mkImplies(lt, ev.evalBool(*pc.expr)));
        }
    // The update.
    Ev ev(c, pre, t, std::max<size_t>(round.slots.size(), 1));
    ev.inUpdate = true;
    for (size_t v = 0; v < role.vars.size(); ++v)
      ev.local.push_back(c.decode(t, static_cast<int>(v), pre.cells[v]));
    if (round.mboxSlot >= 0)
      ev.slots.at(round.mboxSlot) = boxVal;
    ev.exec(round.update, c.tt);
    std::vector<PV> postVals;
    for (size_t v = 0; v < role.vars.size(); ++v)
      postVals.push_back(c.ite(lt, ev.local[v],
                               c.decode(t, static_cast<int>(v), pre.cells[v])));
    grounds[g].postVals = std::move(postVals);
    for (const auto &[var, cells] : postCells)
      defineAt(g, var, cells);
    return grounds[g].postVals.at(var);
  }

  std::vector<Term> lazyCells(int var) {
    if (!assigned.count(var))
      return pre.cells.at(var);
    auto it = postCells.find(var);
    if (it != postCells.end())
      return it->second;
    exact = false;
    auto cells = c.freshCells(var, "'", false);
    Term lv = liveSet(pre);
    for (size_t d = 0; d < cells.size(); ++d)
      c.hyps.push_back(
          c.mkEq(c.minus(cells[d], lv), c.minus(pre.cells[var][d], lv)));
    postCells[var] = cells;
    for (size_t g = 0; g < grounds.size(); ++g)
      defineAt(g, var, cells);
    // Witnesses, each with its own mailbox. Narrow: an element that held
    // the value, in the variable or in one the update copies into it, and
    // no longer does. Wide: an element of any pre cell missing from a post
    // cell, and one that newly holds the value.
    std::set<int> sources{var};
    flowSources(phase.rounds[roundIndex].update, var, sources);
    const auto &dom = c.varDomains[var];
    for (size_t d = 0; d < cells.size(); ++d) {
      std::vector<Term> regions;
      if (narrowWitnesses) {
        for (int y : sources)
          for (size_t e = 0; e < pre.cells[y].size(); ++e)
            if (c.varDomains[y][e].text == dom[d].text)
              regions.push_back(c.minus(pre.cells[y][e], cells[d]));
      } else {
        for (const auto &pc : pre.cells)
          for (const auto &y : pc)
            regions.push_back(c.minus(y, cells[d]));
        regions.push_back(c.minus(cells[d], pre.cells[var][d]));
      }
      for (const auto &r : regions) {
        Term w = c.freshElem("w");
        c.named.push_back({w, "w"});
        c.hyps.push_back(c.mkImplies(c.mkNot(c.isEmpty(r)), c.member(w, r)));
        groundValue(w, var);
      }
    }
    return cells;
  }

  void roundStep(int index) {
    kind = StepKind::Round;
    roundIndex = index;
    const ir::Round &round = phase.rounds[index];
    if (!round.payload)
      throw NotSupported("a round without a payload type");
    freshPre();
    c.hyps.push_back(c.mkEq(pre.roundNo, c.mkInt(index)));
    // Rounds run only in the phases the program has (docs/semantics.md).
    c.hyps.push_back(
        c.mk(Kind::LT, {pre.phaseNo, c.affine(c.symParams.phaseBound)}));
    assignedVars(round.update, assigned);
    if (pre.byz != c.emptySet)
      payloadDom = c.domainOf(*round.payload);
    post = pre;
    post.cells.clear();
    bool last = index + 1 == static_cast<int>(phase.rounds.size());
    post.roundNo = c.mkInt(last ? 0 : index + 1);
    post.phaseNo =
        last ? c.mk(Kind::ADD, {pre.phaseNo, c.mkInt(1)}) : pre.phaseNo;
    post.groundValue = [this](const Term &t, int var) {
      return groundValue(t, var);
    };
    post.lazyCells = [this](int var) { return lazyCells(var); };
  }

  void crashStep() {
    kind = StepKind::Crash;
    freshPre();
    post = pre;
    crashedNew = c.freshElem("crashing");
    c.named.push_back({crashedNew, "crashing"});
    c.hyps.push_back(c.member(crashedNew, liveSet(pre)));
    post.crashed =
        c.unite(pre.crashed, c.mk(Kind::SET_SINGLETON, {crashedNew}));
    Term bound;
    hasFault(ir::FaultDecl::Kind::Crash, bound);
    c.hyps.push_back(c.mk(Kind::LEQ, {c.card(post.crashed), bound}));
  }

  // A crashed principal restarts (docs/semantics.md, Recover): it keeps its
  // durable and ghost variables and takes an initial value, as in Init, for
  // the others; phaseNo and roundNo do not change.
  void recoverStep() {
    kind = StepKind::Recover;
    freshPre();
    post = pre;
    restarted = c.freshElem("restarting");
    c.named.push_back({restarted, "restarting"});
    c.inAll.insert(restarted);
    c.hyps.push_back(c.member(restarted, c.all));
    c.hyps.push_back(c.member(restarted, pre.crashed));
    Term single = c.mk(Kind::SET_SINGLETON, {restarted});
    post.crashed = c.minus(pre.crashed, single);
    PState none;
    none.byz = none.crashed = c.emptySet;
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const auto &var = role.vars[v];
      if (var.durable || var.ghost)
        continue;
      const auto &dom = c.varDomains[v];
      // isInit[d]: the restarted principal's new value is dom[d].
      std::vector<Term> isInit;
      Ev ev(c, none, restarted, std::max<size_t>(var.slots.size(), 1));
      if (var.init) {
        PV val = ev.eval(*var.init);
        for (const auto &d : dom)
          isInit.push_back(c.eq(val, d.v));
      } else {
        Term k = c.slv.mkConst(c.slv.getIntegerSort(),
                               fmt::format("{}@restart", var.name));
        c.hyps.push_back(c.mk(Kind::GEQ, {k, c.mkInt(0)}));
        c.hyps.push_back(
            c.mk(Kind::LT, {k, c.mkInt(static_cast<int64_t>(dom.size()))}));
        PV set = var.initSet ? ev.eval(*var.initSet) : PV();
        PV def = c.defaultValue(*var.type);
        for (size_t d = 0; d < dom.size(); ++d) {
          Term chosen = c.mkEq(k, c.mkInt(static_cast<int64_t>(d)));
          Term ok =
              var.initSet ? inInitialSet(set, dom[d].v) : c.eq(def, dom[d].v);
          c.hyps.push_back(c.mkImplies(chosen, ok));
          isInit.push_back(chosen);
        }
      }
      for (size_t d = 0; d < dom.size(); ++d)
        post.cells[v][d] = c.mkIte(isInit[d], c.unite(pre.cells[v][d], single),
                                   c.minus(pre.cells[v][d], single));
    }
  }

  // TypeOK of the post-state: every written variable within its type.
  Term typeOkGoal() {
    std::vector<Term> parts;
    const PState &st = kind == StepKind::Init ? pre : post;
    for (size_t v = 0; v < role.vars.size(); ++v) {
      if (kind == StepKind::Round && !assigned.count(static_cast<int>(v)))
        continue;
      if (kind == StepKind::Crash)
        continue;
      if (kind == StepKind::Recover) {
        // Only the restarted principal's value changes: an initial value
        // within the type is in exactly one cell (the post cells are
        // disjoint by construction).
        if (role.vars[v].durable || role.vars[v].ghost)
          continue;
        std::vector<Term> one;
        for (const auto &cell : st.cells[v])
          one.push_back(c.member(restarted, cell));
        parts.push_back(c.mkOr(one));
        continue;
      }
      Term e = c.freshElem("p");
      c.named.push_back({e, "p"});
      c.hyps.push_back(c.member(e, c.all));
      c.inAll.insert(e);
      if (kind == StepKind::Init) {
        // The initial value of e is in exactly one cell.
        std::vector<Term> one;
        for (const auto &cell : st.cells[v])
          one.push_back(c.member(e, cell));
        parts.push_back(c.mkOr(one));
        continue;
      }
      PV val = groundValue(e, static_cast<int>(v));
      parts.push_back(c.typeOk(*role.vars[v].type, val));
    }
    return c.mkAnd(parts);
  }

  void buildGoal(int invariant) {
    const PState &st = kind == StepKind::Init ? pre : post;
    if (invariant < 0) {
      goal = typeOkGoal();
      return;
    }
    const auto &inv = prog.invariants[invariant];
    Ev ev(c, st, Term(), std::max<size_t>(inv.slots.size(), 1));
    ev.frame = &inv.slots;
    goal = ev.evalGoal(*inv.expr, true);
  }

  // The counterexample to induction, from the model.
  std::string describe() {
    auto val = [&](const Term &t) { return c.slv.getValue(t); };
    std::string out;
    std::vector<std::string> ps;
    for (size_t i = 0; i < c.params.size(); ++i)
      ps.push_back(c.symParams.symbolic[i] + " = " +
                   val(c.params[i]).toString());
    out += "  instance: " + fmt::format("{}", fmt::join(ps, ", ")) + " (" +
           c.set.name + " has " + val(c.size).toString() + " principals)\n";
    std::vector<Term> elems;
    for (const auto &u : val(c.all).getSetValue())
      elems.push_back(u);
    // Names: constant principals keep theirs, the others are numbered on.
    std::map<std::string, std::string> nameOf; // model value -> name
    std::set<std::string> used;
    for (size_t k = 0; k < c.constElems.size(); ++k) {
      std::string v = val(c.constElems[k]).toString();
      nameOf[v] = c.set.name + std::to_string(k);
      used.insert(nameOf[v]);
    }
    int next = 0;
    for (const auto &u : elems) {
      if (nameOf.count(u.toString()))
        continue;
      std::string n;
      do
        n = c.set.name + std::to_string(next++);
      while (used.count(n));
      nameOf[u.toString()] = n;
      used.insert(n);
    }
    auto nm = [&](const Term &t) {
      auto it = nameOf.find(val(t).toString());
      return it == nameOf.end() ? val(t).toString() : it->second;
    };
    auto roles = [&](const Term &u) {
      std::vector<std::string> r;
      for (const auto &[t, n] : c.named)
        if (val(t) == u && nm(t) != n)
          r.push_back(n);
      std::sort(r.begin(), r.end());
      r.erase(std::unique(r.begin(), r.end()), r.end());
      return r.empty() ? std::string()
                       : " (" + fmt::format("{}", fmt::join(r, ", ")) + ")";
    };
    auto showState = [&](const PState &st, const std::string &indent) {
      std::string s;
      if (kind != StepKind::Init)
        s += indent + fmt::format("phaseNo = {}, roundNo = {}\n",
                                  val(st.phaseNo).toString(),
                                  val(st.roundNo).toString());
      for (const auto &u : elems) {
        s += indent + nameOf[u.toString()] + roles(u) + ":";
        if (val(c.member(u, st.byz)).getBooleanValue()) {
          s += " (byzantine)\n";
          continue;
        }
        if (val(c.member(u, st.crashed)).getBooleanValue())
          s += " (crashed)";
        for (size_t v = 0; v < role.vars.size(); ++v) {
          PV x = c.decode(u, static_cast<int>(v), st.cells[v]);
          s += " " + role.vars[v].name + " = " +
               c.valueText(*role.vars[v].type, x, val) + ";";
        }
        s += "\n";
      }
      return s;
    };
    if (kind == StepKind::Init)
      return out + "  initial state:\n" + showState(pre, "    ");
    out += "  pre-state:\n" + showState(pre, "    ");
    if (kind == StepKind::Crash)
      return out + "  step: " + nm(crashedNew) + " crashes\n";
    if (kind == StepKind::Recover)
      return out + "  step: " + nm(restarted) + " restarts\n" +
             "  post-state:\n" + showState(post, "    ");
    out += "  mailboxes:\n";
    if (std::getenv("MOMMIE_PARAM_DUMP"))
      for (size_t g = 0; g < grounds.size(); ++g)
        std::cerr << "; box " << grounds[g].elem << " = "
                  << val(c.mailboxes[grounds[g].mbox].box)
                  << "\n; All = " << val(c.all) << "\n";
    if (std::getenv("MOMMIE_PARAM_DUMP"))
      for (const auto &h : c.hyps) {
        std::vector<Term> todo{h};
        std::set<std::string> seen;
        while (!todo.empty()) {
          Term t = todo.back();
          todo.pop_back();
          if (!seen.insert(t.toString()).second)
            continue;
          if (t.getKind() == Kind::SET_CARD)
            std::cerr << "; " << t << " = " << val(t) << "\n";
          for (size_t i = 0; i < t.getNumChildren(); ++i)
            todo.push_back(t[i]);
        }
      }
    if (std::getenv("MOMMIE_PARAM_DUMP")) {
      std::vector<Term> todo{goal};
      while (!todo.empty()) {
        Term t = todo.back();
        todo.pop_back();
        if (t.getKind() == Kind::SET_CARD || t.getKind() == Kind::APPLY_UF)
          std::cerr << "; " << t << " = " << val(t) << "\n";
        for (size_t i = 0; i < t.getNumChildren(); ++i)
          todo.push_back(t[i]);
      }
      for (size_t v = 0; v < pre.cells.size(); ++v)
        for (const auto &cell : pre.cells[v])
          std::cerr << "; " << cell << " = " << val(cell) << "\n";
    }
    const ir::Round &round = phase.rounds[roundIndex];
    std::set<std::string> shown;
    for (size_t g = 0; g < grounds.size(); ++g) {
      Term t = grounds[g].elem;
      std::string name = nm(t);
      if (!shown.insert(name).second || !val(live(pre, t)).getBooleanValue())
        continue;
      std::vector<std::string> items;
      std::vector<std::pair<std::string, Term>> senders;
      for (const auto &u : val(c.mailboxes[grounds[g].mbox].box).getSetValue())
        senders.push_back({nameOf[u.toString()], u});
      std::sort(senders.begin(), senders.end());
      for (const auto &[sn, u] : senders)
        items.push_back(sn + " |-> " +
                        c.valueText(*round.payload, payloadOf(g, u), val));
      out += "    " + name + " receives [" +
             fmt::format("{}", fmt::join(items, ", ")) + "]\n";
    }
    out += "  post-state:\n";
    shown.clear();
    out += "    " + fmt::format("phaseNo = {}, roundNo = {}\n",
                                val(post.phaseNo).toString(),
                                val(post.roundNo).toString());
    for (size_t g = 0; g < grounds.size(); ++g) {
      Term t = grounds[g].elem;
      std::string name = nm(t);
      if (!shown.insert(name).second)
        continue;
      out += "    " + name + ":";
      for (size_t v = 0; v < role.vars.size(); ++v)
        out += " " + role.vars[v].name + " = " +
               c.valueText(*role.vars[v].type, grounds[g].postVals[v], val) +
               ";";
      out += "\n";
    }
    return out;
  }
};

} // namespace

struct StepSpec {
  std::string name;
  ir::SourceLoc loc;
  int kind; // 0 init, 1 round, 2 crash, 3 recover
  int index;
};

namespace {

// The bounded encoding at one size (the instance of `base` at `values`), for
// a real counterexample to induction.
std::optional<ObligationResult> boundedCti(
    const ir::Program &base, const std::map<std::string, int64_t> &values,
    const std::string &invariant, const std::string &step, unsigned timeoutMs) {
  Budget::Stage stage("the bounded counterexample search");
  DiagnosticEngine diags; // an instance that violates an `assume` is skipped
  auto prog = ir::instantiate(base, values, diags);
  if (!prog)
    return std::nullopt;
  ProveOptions o;
  o.solvers = {SolverKind::Cvc5};
  o.timeoutMs = timeoutMs;
  ProveReport r = proveBounded(*prog, o);
  // Its obligations stop at this obligation's deadline, as unknown: the
  // limit is this obligation's.
  checkLimits();
  for (auto &res : r.results)
    if (res.invariant == invariant && res.step == step &&
        res.verdict == Verdict::Counterexample)
      return res;
  return std::nullopt;
}

// "N=4": the symbolic parameters' values at an instance.
std::string instanceLabel(const SymbolicParams &sp,
                          const std::map<std::string, int64_t> &values) {
  std::vector<std::string> desc;
  for (const auto &name : sp.symbolic)
    desc.push_back(name + "=" + std::to_string(values.at(name)));
  return fmt::format("{}", fmt::join(desc, ", "));
}

} // namespace

ObligationResult checkParam(const ir::Program &base, const SymbolicParams &sp,
                            const StepSpec &step, int inv, ObligationResult r,
                            const ProveOptions &options) {
  auto t0 = std::chrono::steady_clock::now();
  // Pass 1 tries the Venn reduction with few witnesses (cheap); pass 2
  // with all of them, then cvc5's set solver.
  bool vennDone = false;
  std::string vennReason;
  for (int pass = 1; pass <= 2; ++pass)
    for (const char *logic : {"QF_UFLIAFS", "QF_UFNIAFS"}) {
      cvc5::Solver slv;
      slv.setOption("produce-models", "true");
      slv.setLogic(logic);
      // Extra cvc5 options for experiments: MOMMIE_CVC5_OPTIONS="k=v,k=v".
      if (const char *extra = std::getenv("MOMMIE_CVC5_OPTIONS")) {
        std::string all = extra;
        size_t start = 0;
        while (start < all.size()) {
          size_t comma = all.find(',', start);
          std::string kv =
              all.substr(start, comma == std::string::npos ? std::string::npos
                                                           : comma - start);
          auto eq = kv.find('=');
          if (eq != std::string::npos)
            slv.setOption(kv.substr(0, eq), kv.substr(eq + 1));
          if (comma == std::string::npos)
            break;
          start = comma + 1;
        }
      }
      Query q(slv, base, sp);
      q.narrowWitnesses = pass == 1;
      Budget::Stage encoding("the parameterized encoding");
      try {
        if (step.kind == 0)
          q.initState();
        else if (step.kind == 1)
          q.roundStep(step.index);
        else if (step.kind == 2)
          q.crashStep();
        else
          q.recoverStep();
        q.buildGoal(inv);
      } catch (const NotSupported &e) {
        r.verdict = Verdict::Unknown;
        r.detail = std::string("construct not supported by the parameterized "
                               "encoding: ") +
                   e.what();
        r.seconds = since(t0);
        return r;
      } catch (const cvc5::CVC5ApiException &e) {
        r.verdict = Verdict::Unknown;
        r.detail = "cvc5: " + e.getMessage();
        r.seconds = since(t0);
        return r;
      }
      if (q.c.nonLinear && std::string(logic) == "QF_UFLIAFS")
        continue;
      // First the Venn reduction to integer arithmetic, with the requested
      // solver; only cvc5 then has the set solver to fall back on.
      if (!vennDone) {
        std::vector<Term> formulas = q.c.hyps;
        formulas.push_back(q.c.mkNot(q.goal));
        VennResult v = decideByVenn(q.c, {q.pre.byz, q.pre.crashed}, formulas,
                                    r.solver, options.timeoutMs);
        if (v.result == SatResult::Unsat) {
          r.verdict = Verdict::Proved;
          r.detail =
              fmt::format("(Venn reduction: {} region counts)", v.regions);
          if (!q.dropped.empty())
            r.detail += " (without the hypotheses " +
                        fmt::format("{}", fmt::join(q.dropped, "; ")) + ")";
          r.seconds = since(t0);
          return r;
        }
        vennReason = v.result == SatResult::Unknown
                         ? "on the Venn reduction: " + v.reason
                         : v.reason;
        // Without post cells the wide query is this one: go on to the set
        // solver now rather than build it again.
        vennDone = q.postCells.empty();
        if (pass == 1 && !vennDone)
          break;
      }
      if (r.solver == SolverKind::Z3) {
        r.verdict = Verdict::Unknown;
        r.detail =
            "z3 " + vennReason + " (z3 has no set solver to fall back on)";
        r.seconds = since(t0);
        return r;
      }
      try {
        bool dump = std::getenv("MOMMIE_PARAM_DUMP") != nullptr;
        for (const auto &h : q.c.hyps)
          if (!q.c.isBinderFree(h))
            throw NotSupported("internal: a hypothesis mentions a binder");
        if (!q.c.isBinderFree(q.goal))
          throw NotSupported("internal: the goal mentions a binder");
        for (const auto &h : q.c.hyps) {
          if (dump)
            std::cerr << "(assert " << h << ")\n";
          slv.assertFormula(h);
        }
        if (dump)
          std::cerr << "; goal " << q.goal << "\n";
        // One non-incremental check of the whole goal (cvc5 1.0.3's set
        // solver misbehaves under push/pop).
        std::vector<Term> parts{q.goal};
        r.verdict = Verdict::Proved;
        r.detail.clear();
        for (const auto &part : parts) {
          slv.assertFormula(q.c.mkNot(part));
          cvc5::Result res = [&] {
            // Three quarters of the time left, so that on a timeout the
            // bounded encoding can still look for a counterexample.
            Budget::Stage stage("cvc5's set solver");
            unsigned left = solverTimeoutMs(0);
            return checkSatWithin(slv, left ? std::max(1u, left / 4 * 3)
                                            : options.timeoutMs);
          }();
          if (res.isUnsat())
            continue;
          bool consistent = true;
          if (res.isSat()) {
            // The model must satisfy the hypotheses and violate the goal.
            for (const auto &h : q.c.hyps)
              consistent &= slv.getValue(h).getBooleanValue();
            consistent &= !slv.getValue(part).getBooleanValue();
          }
          if (res.isSat() && !consistent) {
            r.verdict = Verdict::Unknown;
            r.detail = "cvc5 answered sat with a model that does not satisfy "
                       "the query";
          } else if (res.isSat()) {
            // Incomplete query: look for a real counterexample to induction
            // with the bounded encoding, at the model's size, then the base.
            std::vector<std::map<std::string, int64_t>> points;
            std::vector<int64_t> at;
            for (const auto &p : q.c.params)
              at.push_back(slv.getValue(p).getInt64Value());
            int64_t n = slv.getValue(q.c.size).getInt64Value();
            std::string size = fmt::format("{}", n);
            if (n <= 8)
              points.push_back(sp.valuesAt(at));
            points.push_back(sp.valuesAt(sp.base));
            r.verdict = Verdict::Unknown;
            // cvc5 1.0.3 answers sat with inconsistent models on some set
            // queries, and a query with post cells is incomplete: a
            // counterexample is only reported once the bounded encoding has
            // found it at a concrete size.
            r.detail = fmt::format(
                "cvc5 finds the parameterized query satisfiable (|{}| = "
                "{}){}; ",
                q.c.set.name, size,
                q.exact ? ""
                        : ", but it defines the post-state of unnamed "
                          "principals only at witness elements");
            std::string tried;
            for (const auto &pt : points) {
              std::string label = instanceLabel(sp, pt);
              if (auto cti = boundedCti(base, pt, r.invariant, r.step,
                                        options.timeoutMs)) {
                r.verdict = Verdict::Counterexample;
                r.detail = "  (found by the bounded encoding at " + label +
                           ")\n" + cti->detail;
                break;
              }
              tried += (tried.empty() ? "" : ", ") + label;
            }
            if (r.verdict != Verdict::Counterexample)
              r.detail += "the bounded encoding finds no counterexample to "
                          "induction at " +
                          tried + " (add a lemma)";
            r.seconds = since(t0);
            return r;
          } else {
            r.verdict = Verdict::Unknown;
            r.detail = "cvc5: " + res.toString();
            // A timeout may hide a real counterexample: ask the bounded
            // encoding at the base instance.
            std::map<std::string, int64_t> b = sp.valuesAt(sp.base);
            std::string label = instanceLabel(sp, b);
            if (auto cti = boundedCti(base, b, r.invariant, r.step,
                                      options.timeoutMs)) {
              r.verdict = Verdict::Counterexample;
              r.detail = "  (parameterized query: " + res.toString() +
                         "; found by the bounded encoding at " + label + ")\n" +
                         cti->detail;
            } else {
              r.detail += "; no counterexample to induction at " + label;
            }
          }
          break;
        }
        if (r.verdict == Verdict::Proved && !q.dropped.empty())
          r.detail = "(without the hypotheses " +
                     fmt::format("{}", fmt::join(q.dropped, "; ")) + ")";
      } catch (const cvc5::CVC5ApiException &e) {
        r.verdict = Verdict::Unknown;
        r.detail = "cvc5: " + e.getMessage();
      } catch (const NotSupported &e) {
        r.verdict = Verdict::Unknown;
        r.detail = e.what();
      }
      r.seconds = since(t0);
      return r;
    }
  r.seconds = since(t0);
  return r;
}

} // namespace mommie::proofs::param

namespace mommie::proofs {

using param::checkParam;
using param::since;
using param::StepSpec;

ProveReport proveParameterized(const ir::Program &base,
                               const ProveOptions &options) {
  ProveReport report;
  auto t0 = std::chrono::steady_clock::now();
  SymbolicParams sp;
  std::string unsupported;
  if (!base.isRoundProgram())
    unsupported = "the parameterized encoding covers round programs only";
  else {
    sp = readSymbolicParams(base);
    unsupported = sp.unsupported;
    if (unsupported.empty() && sp.setSizes.size() != 1)
      unsupported = "more than one principal set";
  }
  report.encodeSeconds = since(t0);
  if (unsupported.empty()) {
    std::vector<std::string> conc;
    for (const auto &[n, v] : sp.concrete)
      conc.push_back(n + " = " + std::to_string(v));
    const auto &ps = base.principalSets.at(base.roles[0].principalSet);
    report.addNote(
        fmt::format(
            "symbolic: {} (|{}| = {}); concrete: {}",
            fmt::join(sp.symbolic, ", "), ps.name,
            sp.setSizes.at(base.roles[0].principalSet).text(sp.symbolic),
            conc.empty() ? std::string("none")
                         : fmt::format("{}", fmt::join(conc, ", "))),
        options);
  }
  if (std::string note = modelRangesNote(base); !note.empty())
    report.addNote(note, options);
  std::vector<StepSpec> steps;
  steps.push_back({"init",
                   base.roles.empty() ? ir::SourceLoc{} : base.roles[0].loc, 0,
                   -1});
  if (base.isRoundProgram()) {
    const auto &ph = *base.roles[0].phase;
    for (size_t i = 0; i < ph.rounds.size(); ++i)
      steps.push_back({"round " + ph.rounds[i].name, ph.rounds[i].loc, 1,
                       static_cast<int>(i)});
    for (const auto &f : base.faults)
      if (f.crashes()) {
        steps.push_back({"crash", f.loc, 2, -1});
        break;
      }
    for (const auto &f : base.faults)
      if (f.kind == ir::FaultDecl::Kind::Recover) {
        steps.push_back({"recover", f.loc, 3, -1});
        break;
      }
  }
  std::vector<std::pair<std::string, ir::SourceLoc>> goals;
  for (const auto &inv : base.invariants)
    goals.push_back({inv.name, inv.loc});
  goals.push_back(
      {"TypeOK", base.roles.empty() ? ir::SourceLoc{} : base.roles[0].loc});
  for (const auto &step : steps)
    for (size_t gi = 0; gi < goals.size(); ++gi)
      for (SolverKind kind : options.solvers) {
        if (!options.only.empty() &&
            std::find(options.only.begin(), options.only.end(),
                      goals[gi].first) == options.only.end())
          continue;
        ObligationResult r{goals[gi].first,
                           step.name,
                           goals[gi].second,
                           kind,
                           Verdict::Unknown,
                           0,
                           ""};
        if (!unsupported.empty()) {
          r.detail = "construct not supported by the parameterized encoding: " +
                     unsupported;
        } else {
          int inv = gi + 1 == goals.size() ? -1 : static_cast<int>(gi);
          runIsolated(
              options.limits(),
              [&] { return checkParam(base, sp, step, inv, r, options); }, r);
        }
        report.add(std::move(r), options);
      }
  return report;
}

} // namespace mommie::proofs
