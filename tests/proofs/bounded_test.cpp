// Bounded encoding on hand-built round programs: an inductive invariant is
// proved by both solvers, a non-inductive one yields a counterexample to
// induction naming the round step, and a lemma makes agreement inductive.
#include "proofs/Prover.h"
#include "proofs/QuorumLemmas.h"
#include "tests/proofs/IrBuilder.h"

#include <gtest/gtest.h>

using namespace mommie;
using namespace mommie::proofs;
using namespace mommie::proofs::test;

namespace {

Program baseProgram(int n) {
  Program p;
  p.name = "Hand";
  p.file = "hand.mom";
  p.principalSets.push_back({"P", 0, n, nullptr, {}});
  p.numPrincipals = n;
  return p;
}

// var v: 0..3 = 0; round Tick { send v to P; update { if v < 3 { v <- v+1 } } }
Program counter(int n) {
  Program p = baseProgram(n);
  Role role;
  role.name = "Proc";
  role.principalSet = 0;
  VarDecl v;
  v.name = "v";
  v.type = tRange(0, 3);
  v.init = intLit(0);
  role.vars.push_back(v);
  Phase phase;
  phase.bound = 3;
  Round r;
  r.name = "Tick";
  r.payload = tRange(0, 3);
  r.sends.push_back({myVar(0, tRange(0, 3)), allOf(0), nullptr, {}});
  r.mboxSlot = 0;
  r.slots.push_back(
      {"mbox", tOf(TypeKind::Map, {tPrincipal(0), tRange(0, 3)}), {}});
  r.update.push_back(ifStmt(bin(Op::Lt, myVar(0, tRange(0, 3)), intLit(3)),
                            {assign(0, bin(Op::Add, myVar(0, tRange(0, 3)),
                                           intLit(1), ty(TypeKind::Int)))}));
  phase.rounds.push_back(r);
  role.phase = phase;
  p.roles.push_back(role);
  auto vp = [](int s) {
    return varOf(0, slotRef(s, tPrincipal(0)), tRange(0, 3));
  };
  p.invariants.push_back(pred(
      "Equal",
      binder(ExprKind::Forall, 0, allOf(0),
             binder(ExprKind::Forall, 1, allOf(0), bin(Op::Eq, vp(0), vp(1)))),
      2));
  p.invariants.push_back(pred(
      "AtMostOne",
      binder(ExprKind::Forall, 0, allOf(0), bin(Op::Le, vp(0), intLit(1))), 1));
  return p;
}

// var x: 0..2 in 0..2; var done: bool = false;
// round Exchange { send x to P; update { if card(dom(mbox)) == N && !done {
//   x <- min({mbox[s] : s in dom(mbox)}); done <- true } } }
Program minFlood(int n, bool withLemma) {
  Program p = baseProgram(n);
  Role role;
  role.name = "Proc";
  role.principalSet = 0;
  auto tx = tRange(0, 2);
  auto tb = ty(TypeKind::Bool);
  VarDecl x;
  x.name = "x";
  x.type = tx;
  x.initSet =
      mk(ExprKind::RangeSet, tOf(TypeKind::Set, {tx}), {intLit(0), intLit(2)});
  VarDecl done;
  done.name = "done";
  done.type = tb;
  done.init = boolLit(false);
  role.vars = {x, done};
  Phase phase;
  phase.bound = 3;
  Round r;
  r.name = "Exchange";
  r.payload = tx;
  auto tmbox = tOf(TypeKind::Map, {tPrincipal(0), tx});
  auto tset = tOf(TypeKind::Set, {tPrincipal(0)});
  r.sends.push_back({myVar(0, tx), allOf(0), nullptr, {}});
  r.mboxSlot = 0;
  r.slots = {{"mbox", tmbox, {}}, {"s", tPrincipal(0), {}}};
  auto mbox = slotRef(0, tmbox);
  auto dom = builtin(Builtin::Dom, {mbox}, tset);
  auto full =
      bin(Op::Eq, builtin(Builtin::Card, {dom}, ty(TypeKind::Int)), intLit(n));
  auto notDone = mk(ExprKind::Unary, tb, {myVar(1, tb)});
  const_cast<Expr &>(*notDone).op = Op::Not;
  auto values =
      mk(ExprKind::SetMap, tOf(TypeKind::Set, {tx}),
         {dom, mk(ExprKind::Index, tx, {mbox, slotRef(1, tPrincipal(0))})});
  const_cast<Expr &>(*values).slot = 1;
  r.update.push_back(ifStmt(bin(Op::And, full, notDone),
                            {assign(0, builtin(Builtin::Min, {values}, tx)),
                             assign(1, boolLit(true))}));
  phase.rounds.push_back(r);
  role.phase = phase;
  p.roles.push_back(role);
  auto xp = [&](int s) { return varOf(0, slotRef(s, tPrincipal(0)), tx); };
  auto dp = [&](int s) { return varOf(1, slotRef(s, tPrincipal(0)), tb); };
  if (withLemma)
    p.invariants.push_back(
        pred("DecidedIsMin",
             binder(ExprKind::Forall, 0, allOf(0),
                    binder(ExprKind::Forall, 1, allOf(0),
                           bin(Op::Implies, dp(0), bin(Op::Le, xp(0), xp(1))))),
             2, true));
  p.invariants.push_back(
      pred("Agreement",
           binder(ExprKind::Forall, 0, allOf(0),
                  binder(ExprKind::Forall, 1, allOf(0),
                         bin(Op::Implies, bin(Op::And, dp(0), dp(1)),
                             bin(Op::Eq, xp(0), xp(1))))),
           2));
  return p;
}

const ObligationResult *find(const ProveReport &r, const std::string &inv,
                             const std::string &step, SolverKind k) {
  for (const auto &o : r.results)
    if (o.invariant == inv && o.step == step && o.solver == k)
      return &o;
  return nullptr;
}

ProveOptions both() {
  ProveOptions o;
  o.solvers = {SolverKind::Z3, SolverKind::Cvc5};
  o.timeoutMs = 60000;
  return o;
}

} // namespace

TEST(ProveBounded, InductiveInvariantProvedByBothSolvers) {
  ProveReport r = proveBounded(counter(3), both());
  for (SolverKind k : {SolverKind::Z3, SolverKind::Cvc5}) {
    for (const char *step : {"init", "round Tick"}) {
      auto *o = find(r, "Equal", step, k);
      ASSERT_NE(o, nullptr) << step;
      EXPECT_EQ(o->verdict, Verdict::Proved) << step << " " << o->detail;
      auto *t = find(r, "TypeOK", step, k);
      ASSERT_NE(t, nullptr);
      EXPECT_EQ(t->verdict, Verdict::Proved) << t->detail;
    }
  }
  EXPECT_TRUE(r.disagreements.empty());
}

TEST(ProveBounded, NonInductiveInvariantGivesCounterexampleNamingTheStep) {
  ProveReport r = proveBounded(counter(3), both());
  for (SolverKind k : {SolverKind::Z3, SolverKind::Cvc5}) {
    auto *init = find(r, "AtMostOne", "init", k);
    ASSERT_NE(init, nullptr);
    EXPECT_EQ(init->verdict, Verdict::Proved);
    auto *o = find(r, "AtMostOne", "round Tick", k);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->verdict, Verdict::Counterexample);
    // The pre-state has some v = 1 and the post-state v = 2.
    EXPECT_NE(o->detail.find("pre-state"), std::string::npos) << o->detail;
    EXPECT_NE(o->detail.find("v = 1"), std::string::npos) << o->detail;
    EXPECT_NE(o->detail.find("v = 2"), std::string::npos) << o->detail;
    EXPECT_EQ(o->detail.find("warning"), std::string::npos) << o->detail;
  }
  EXPECT_FALSE(r.allProved());
}

TEST(ProveBounded, AgreementNeedsTheLemma) {
  ProveReport weak = proveBounded(minFlood(3, false), both());
  for (SolverKind k : {SolverKind::Z3, SolverKind::Cvc5}) {
    auto *o = find(weak, "Agreement", "round Exchange", k);
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->verdict, Verdict::Counterexample);
    EXPECT_NE(o->detail.find("receives"), std::string::npos) << o->detail;
  }
  ProveReport strong = proveBounded(minFlood(3, true), both());
  for (const auto &o : strong.results)
    EXPECT_EQ(o.verdict, Verdict::Proved)
        << o.invariant << " / " << o.step << " " << solverName(o.solver) << "\n"
        << o.detail;
  EXPECT_TRUE(strong.allProved());
}

TEST(QuorumLemmas, ProvedForAllSizesAndControlRefuted) {
  auto results = proveQuorumLemmas(60000, /*withControl=*/true);
  ASSERT_EQ(results.size(), 5u);
  for (const auto &r : results) {
    if (r.name == "ControlTooStrong") {
      EXPECT_EQ(r.verdict, Verdict::Counterexample) << r.detail;
      EXPECT_NE(r.detail.find("F ="), std::string::npos);
    } else {
      EXPECT_EQ(r.verdict, Verdict::Proved) << r.name << " " << r.detail;
    }
  }
}
