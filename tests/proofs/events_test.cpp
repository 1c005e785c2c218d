// The bounded encoding of event-driven programs on examples/two_phase_commit:
// every transition (per principal), delivery and the structural pool
// obligations are encoded; the invariants are not inductive without facts
// about the pool, and are proved once lemmas about the pool are added.
// `KNOWN pattern` in an invariant means "some statement in the pool
// matches" (docs/prove.md); the example states these lemmas itself now
// (tests/proofs/pool_lemmas_test.cpp), this test also builds them in the
// IR by hand.
#include "frontend/Frontend.h"
#include "proofs/Prover.h"
#include "tests/proofs/IrBuilder.h"
#include "tests/proofs/ProveTestUtil.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

using namespace mommie;
using namespace mommie::proofs;
using namespace mommie::proofs::test;
using proofs_test::bothSolvers;
using proofs_test::compileText;
using proofs_test::refuted;

namespace {

std::string readFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int findIndex(const std::vector<std::string> &names, const std::string &n) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == n)
      return static_cast<int>(i);
  ADD_FAILURE() << "no " << n;
  return -1;
}

int recordIndex(const ir::Program &p, const std::string &n) {
  std::vector<std::string> names;
  for (const auto &r : p.records)
    names.push_back(r.name);
  return findIndex(names, n);
}
int roleIndex(const ir::Program &p, const std::string &n) {
  std::vector<std::string> names;
  for (const auto &r : p.roles)
    names.push_back(r.name);
  return findIndex(names, n);
}
int varIndex(const ir::Program &p, int role, const std::string &n) {
  std::vector<std::string> names;
  for (const auto &v : p.roles.at(role).vars)
    names.push_back(v.name);
  return findIndex(names, n);
}
int setIndex(const ir::Program &p, const std::string &n) {
  std::vector<std::string> names;
  for (const auto &s : p.principalSets)
    names.push_back(s.name);
  return findIndex(names, n);
}

// KNOWN [issuer, _, _] Record x {{ field == value; }} with x in `slot`.
ExprPtr knownWith(const ir::Program &p, ExprPtr issuer,
                  const std::string &record, int slot, int field, bool value) {
  auto pat = std::make_shared<Pattern>();
  pat->issuer.kind = IssuerPattern::Kind::Exact;
  pat->issuer.expr = std::move(issuer);
  pat->record = recordIndex(p, record);
  pat->slot = slot;
  FieldConstraint c;
  c.field = field;
  c.op = Op::Eq;
  c.expr = boolLit(value);
  pat->constraints.push_back(c);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Known;
  e->type = ty(TypeKind::Bool);
  e->pattern = pat;
  return e;
}

ExprPtr principal(int id) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::PrincipalLit;
  e->intVal = id;
  return e;
}

ExprPtr roleVar(int role, int var, ExprPtr who, TypeRef type) {
  auto e = varOf(var, std::move(who), std::move(type));
  auto m = std::make_shared<Expr>(*e);
  m->role = role;
  return m;
}

// The pool lemmas of two-phase commit:
//   VotesAreHonest: forall p in P: (KNOWN [p,_,_] Vote v {{yes == true;}}) =>
//   vote[p] CommitDecision: (KNOWN [COORD,_,_] Decision d {{commit == true;}})
//   => decision[COORD] == COMMITTED AbortDecision:  (KNOWN [COORD,_,_] Decision
//   d {{commit == false;}}) => decision[COORD] == ABORTED
void addPoolLemmas(ir::Program &p) {
  int co = roleIndex(p, "Coordinator"), pa = roleIndex(p, "Participant");
  int setP = setIndex(p, "P"), setCo = setIndex(p, "Co");
  int coord = p.principalSets.at(setCo).first;
  int vote = varIndex(p, pa, "vote"), decision = varIndex(p, co, "decision");
  auto pt = tPrincipal(setP);
  SlotInfo sp{"p", pt, {}};
  SlotInfo sv{"v", ty(TypeKind::Record), {}};

  ir::Predicate honest;
  honest.name = "VotesAreHonest";
  honest.lemma = true;
  honest.slots = {sp, sv};
  honest.expr =
      binder(ExprKind::Forall, 0, allOf(setP),
             bin(Op::Implies, knownWith(p, slotRef(0, pt), "Vote", 1, 1, true),
                 roleVar(pa, vote, slotRef(0, pt), ty(TypeKind::Bool))));
  p.invariants.push_back(honest);

  for (bool commit : {true, false}) {
    ir::Predicate d;
    d.name = commit ? "CommitDecision" : "AbortDecision";
    d.lemma = true;
    d.slots = {sv};
    d.expr = bin(
        Op::Implies, knownWith(p, principal(coord), "Decision", 0, 1, commit),
        bin(Op::Eq, roleVar(co, decision, principal(coord), tRange(0, 2)),
            intLit(commit ? 1 : 2)));
    p.invariants.push_back(d);
  }
}

std::string src(const std::string &rel) {
  return std::string(MOMMIE_SOURCE_DIR) + "/" + rel;
}

} // namespace

TEST(ProveEvents, TwoPhaseCommitNeedsPoolLemmas) {
  ir::Program p = compileText("two_phase_commit.mom",
                              readFile(src("examples/two_phase_commit.mom")));
  // The example now states its pool lemmas (KNOWN in lemmas): drop them.
  const std::set<std::string> poolLemmas = {"VotesAreHonest", "VoteMeansVoted",
                                            "CommitDecision", "AbortDecision"};
  std::vector<ir::Predicate> kept;
  for (const auto &inv : p.invariants)
    if (!poolLemmas.count(inv.name))
      kept.push_back(inv);
  ASSERT_EQ(kept.size() + poolLemmas.size(), p.invariants.size());
  p.invariants = kept;
  ProveReport r = proveBounded(p, bothSolvers());
  std::set<std::string> steps;
  for (const auto &o : r.results) {
    steps.insert(o.step);
    EXPECT_NE(o.verdict, Verdict::Unknown)
        << o.invariant << " / " << o.step << ": " << o.detail;
    // The structural obligations hold without any lemma.
    if (o.invariant == "PoolOK" || o.invariant == "TypeOK" ||
        o.invariant == "PoolUniverse") {
      EXPECT_EQ(o.verdict, Verdict::Proved) << o.invariant << " / " << o.step;
    }
  }
  for (const char *s : {"init", "transition Coordinator.Start at Co0",
                        "transition Coordinator.Commit at Co0",
                        "transition Participant.OnPrepare at P2",
                        "transition Participant.AbortAlone at P1",
                        "transition Participant.Learn at P0", "deliver Prepare",
                        "deliver Vote", "deliver Decision"})
    EXPECT_TRUE(steps.count(s)) << s;
  auto bad = refuted(r);
  // A pre-state with an arbitrary pool: a Decision(commit) while the
  // coordinator has not decided.
  EXPECT_TRUE(
      bad.count("FollowsCoordinator @ transition Participant.Learn at P0"));
  EXPECT_TRUE(
      bad.count("CommitValidity @ transition Coordinator.Commit at Co0"));
  EXPECT_TRUE(r.disagreements.empty());
  // Printed in program terms, pool included.
  for (const auto &o : r.results)
    if (o.verdict == Verdict::Counterexample) {
      EXPECT_NE(o.detail.find("pool: [Co0, {P0, P1, P2}, {}] Decision"),
                std::string::npos)
          << o.detail;
      break;
    }
}

TEST(ProveEvents, TwoPhaseCommitProvedWithPoolLemmas) {
  ir::Program p = compileText("two_phase_commit.mom",
                              readFile(src("examples/two_phase_commit.mom")));
  addPoolLemmas(p);
  ProveReport r = proveBounded(p, bothSolvers());
  for (const auto &o : r.results)
    EXPECT_EQ(o.verdict, Verdict::Proved)
        << o.invariant << " / " << o.step << " / " << solverName(o.solver)
        << "\n"
        << o.detail;
  EXPECT_TRUE(r.allProved());
}

// The seeded bug (commit on the first yes vote), with the correct
// program's lemmas and the pool lemmas: only CommitValidity fails, in the
// coordinator's Commit.
TEST(ProveEvents, TwoPhaseCommitBugNamesTheCommitTransition) {
  std::string bug = readFile(src("tests/bugs/two_phase_commit_bug.mom"));
  std::string ex = readFile(src("examples/two_phase_commit.mom"));
  auto at = ex.find("lemma AbortedReason");
  ASSERT_NE(at, std::string::npos);
  if (bug.find("lemma AbortedReason") == std::string::npos)
    bug += "\n" + ex.substr(at);
  ir::Program p = compileText("two_phase_commit_bug.mom", bug);
  addPoolLemmas(p);
  ProveReport r = proveBounded(p, bothSolvers());
  EXPECT_EQ(refuted(r),
            std::set<std::string>{
                "CommitValidity @ transition Coordinator.Commit at Co0"});
  EXPECT_FALSE(r.allProved());
}

// Byzantine publish: with a Byzantine node, a Ping(1) can enter the pool
// (the pool lemma fails exactly in `byzantine publish Ping`); without
// faults everything is proved.
TEST(ProveEvents, ByzantinePublishIsAStep) {
  auto source = [](bool byz) {
    return std::string("protocol ByzPing;\n"
                       "principals R[3];\n"
                       "record Ping { v: 0..1 }\n"
                       "role Node at R {\n"
                       "  var got: option<0..1> = none;\n"
                       "  transition Send IF got == none\n"
                       "  @@{ PUBLISH [ME, R, NOONE] Ping(0); @@}\n"
                       "  transition Recv WHEN [x in R, ME, NOONE] Ping m\n"
                       "  @@{ got <- some(m.v); @@}\n"
                       "}\n") +
           (byz ? "faults R: byzantine <= 1;\n" : "") +
           "invariant OnlyZero: forall p in correct(R): Node.got[p] != "
           "some(1);\n";
  };
  for (bool byz : {false, true}) {
    ir::Program p = compileText("byz_ping.mom", source(byz));
    // lemma NoOne: !(KNOWN [_, _, _] Ping m {{ v == 1; }})
    auto pat = std::make_shared<Pattern>();
    pat->record = recordIndex(p, "Ping");
    pat->slot = 0;
    FieldConstraint c;
    c.field = 0;
    c.op = Op::Eq;
    c.expr = intLit(1);
    pat->constraints.push_back(c);
    auto known = std::make_shared<Expr>();
    known->kind = ExprKind::Known;
    known->type = ty(TypeKind::Bool);
    known->pattern = pat;
    auto notKnown = std::make_shared<Expr>();
    notKnown->kind = ExprKind::Unary;
    notKnown->op = Op::Not;
    notKnown->type = ty(TypeKind::Bool);
    notKnown->args = {known};
    ir::Predicate lemma;
    lemma.name = "NoOne";
    lemma.lemma = true;
    lemma.slots = {SlotInfo{"m", ty(TypeKind::Record), {}}};
    lemma.expr = notKnown;
    p.invariants.push_back(lemma);
    ProveReport r = proveBounded(p, bothSolvers());
    if (byz) {
      EXPECT_EQ(refuted(r),
                std::set<std::string>{"NoOne @ byzantine publish Ping"});
      for (const auto &o : r.results)
        if (o.verdict == Verdict::Counterexample) {
          EXPECT_NE(o.detail.find("publishes [R"), std::string::npos)
              << o.detail;
        }
    } else {
      EXPECT_TRUE(r.allProved());
      for (const auto &o : r.results)
        EXPECT_EQ(o.verdict, Verdict::Proved)
            << o.invariant << " / " << o.step << "\n"
            << o.detail;
    }
  }
}
