// KNOWN in invariants and lemmas (some statement of the pool matches), one
// meaning in every stage: the front end accepts it, `mommie prove` proves
// examples/two_phase_commit.mom with its pool lemmas and refutes the seeded
// bug in the coordinator's Commit, `mommie check` checks the lemmas without
// changing the state space, and TLC (when TLA2TOOLS_JAR is set) agrees with
// the checker on a program with quorum patterns in its invariants.
#include "frontend/Frontend.h"
#include "proofs/Prover.h"
#include "tests/e2e/E2eUtil.h"
#include "tests/proofs/CliRun.h"
#include "tests/proofs/ProveTestUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

using namespace mommie;
using proofs_test::bothSolvers;
using proofs_test::compileText;
using proofs_test::refuted;
using proofs_test::src;

namespace {

bool mentionsKnown(const ir::Expr *e) {
  if (!e)
    return false;
  if (e->kind == ir::ExprKind::Known)
    return true;
  for (const auto &a : e->args)
    if (mentionsKnown(a.get()))
      return true;
  return false;
}

// Runs `mommie ARGS...` in a fresh directory; exit code and stdout+stderr.
struct CmdRun {
  int exit = -1;
  std::string out;
};

CmdRun run(std::vector<std::string> argv, int ms = 240000) {
  CmdRun r;
  std::string dir = e2e::tempDir("pool");
  r.exit = e2e::run(argv, dir, ms);
  r.out = e2e::readFile(dir + "/run.out") + e2e::readFile(dir + "/run.err");
  std::filesystem::remove_all(dir);
  return r;
}

CmdRun runMommie(std::vector<std::string> args) {
  const char *bin = std::getenv("MOMMIE");
  if (!bin)
    return {};
  args.insert(args.begin(), bin);
  return run(args);
}

long distinctStates(const std::string &out, const std::string &prefix) {
  std::smatch m;
  if (std::regex_search(out, m, std::regex(prefix + "([0-9]+)")))
    return std::stol(m[1]);
  return -1;
}

std::string writeTemp(const std::string &dir, const std::string &name,
                      const std::string &text) {
  std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// Three nodes each publish one Ping; invariants about the pool, quorum
// patterns included. `falseOne` adds an invariant the pool violates.
std::string pingProgram(bool falseOne) {
  std::string text = "protocol PoolPing;\n"
                     "principals R[3];\n"
                     "record Ping { v: 0..1 }\n"
                     "role Node at R {\n"
                     "  var sent: bool = false;\n"
                     "  transition Send(x: 0..1) IF !sent\n"
                     "  @@{ PUBLISH [ME, R, NOONE] Ping(x); sent <- true; @@}\n"
                     "}\n"
                     "invariant Sent: forall p in R: (KNOWN [p, _, _] Ping m) "
                     "=> Node.sent[p];\n"
                     "lemma QuorumSent: (KNOWN [qs R >= 2, _, NOONE] Ping m)\n"
                     "  => card({ p in R | Node.sent[p] }) >= 2;\n"
                     "lemma Delivered: forall p in R, q in R:\n"
                     "  (KNOWN [p, q, _] Ping m) || !Node.sent[p];\n"
                     "terminate when forall p in R: Node.sent[p];\n";
  if (falseOne)
    text += "invariant NoQuorumForOne: !(KNOWN [R >= 2, _, _] Ping m {{ v == "
            "1; }});\n";
  return text;
}

} // namespace

TEST(PoolLemmas, TwoPhaseCommitExampleStatesThemInTheLanguage) {
  ir::Program p =
      compileText("two_phase_commit.mom",
                  e2e::readFile(src("examples/two_phase_commit.mom")));
  std::set<std::string> withKnown;
  for (const auto &inv : p.invariants)
    if (mentionsKnown(inv.expr.get()))
      withKnown.insert(inv.name);
  EXPECT_EQ(withKnown,
            (std::set<std::string>{"VotesAreHonest", "VoteMeansVoted",
                                   "CommitDecision", "AbortDecision"}));
}

TEST(PoolLemmas, TwoPhaseCommitProvedByBothSolvers) {
  for (int n : {2, 3, 4}) {
    frontend::Options opts;
    opts.defines["N"] = n;
    DiagnosticEngine diags;
    auto p = frontend::compile(
        "two_phase_commit.mom",
        e2e::readFile(src("examples/two_phase_commit.mom")), opts, diags);
    ASSERT_TRUE(p.has_value());
    proofs::ProveReport r = proofs::proveBounded(*p, bothSolvers());
    EXPECT_TRUE(r.allProved()) << "N=" << n;
    EXPECT_TRUE(r.disagreements.empty());
    size_t obligations = 0;
    for (const auto &o : r.results) {
      ++obligations;
      EXPECT_EQ(o.verdict, proofs::Verdict::Proved)
          << "N=" << n << ": " << o.invariant << " / " << o.step << "\n"
          << o.detail;
    }
    EXPECT_GT(obligations, 100u);
  }
}

// Without the pool lemmas the invariants are not inductive (the pool of
// the pre-state is arbitrary): the lemmas are what closes the proof.
TEST(PoolLemmas, WithoutThemTwoPhaseCommitHasCounterexamples) {
  ir::Program p =
      compileText("two_phase_commit.mom",
                  e2e::readFile(src("examples/two_phase_commit.mom")));
  std::vector<ir::Predicate> kept;
  for (const auto &inv : p.invariants)
    if (!mentionsKnown(inv.expr.get()))
      kept.push_back(inv);
  ASSERT_LT(kept.size(), p.invariants.size());
  p.invariants = kept;
  proofs::ProveReport r = proofs::proveBounded(p, bothSolvers());
  auto bad = refuted(r);
  EXPECT_TRUE(
      bad.count("FollowsCoordinator @ transition Participant.Learn at P0"));
  EXPECT_TRUE(
      bad.count("CommitValidity @ transition Coordinator.Commit at Co0"));
}

// The seeded bug (commit on the first yes vote), every lemma kept: exactly
// CommitValidity fails, in the coordinator's Commit, by both solvers.
TEST(PoolLemmas, CommitBugRefutedInTheCommitTransition) {
  ir::Program p =
      compileText("two_phase_commit_bug.mom",
                  e2e::readFile(src("tests/proofs/two_phase_commit_bug.mom")));
  proofs::ProveReport r = proofs::proveBounded(p, bothSolvers());
  EXPECT_EQ(refuted(r),
            std::set<std::string>{
                "CommitValidity @ transition Coordinator.Commit at Co0"});
  std::set<proofs::SolverKind> by;
  for (const auto &o : r.results)
    if (o.verdict == proofs::Verdict::Counterexample) {
      by.insert(o.solver);
      EXPECT_NE(o.detail.find("step: Co0 fires Coordinator.Commit"),
                std::string::npos)
          << o.detail;
      EXPECT_NE(o.detail.find("Vote{tx: 0, yes: true}"), std::string::npos)
          << o.detail;
    }
  EXPECT_EQ(by.size(), 2u);
  EXPECT_TRUE(r.disagreements.empty());
}

TEST(PoolLemmas, ProveCliNamesTheStep) {
  CmdRun r = runMommie({"prove", src("tests/proofs/two_phase_commit_bug.mom"),
                        "--solver", "both"});
  if (r.exit == -1 && r.out.empty())
    GTEST_SKIP() << "MOMMIE not set";
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_NE(
      r.out.find("invariant CommitValidity is not inductive: counterexample to "
                 "induction in step 'transition Coordinator.Commit at Co0'"),
      std::string::npos)
      << r.out;
  CmdRun ok = runMommie(
      {"prove", src("examples/two_phase_commit.mom"), "--solver", "both"});
  EXPECT_EQ(ok.exit, 0) << ok.out;
  EXPECT_NE(ok.out.find(" 0 counterexample(s) to induction, 0 unknown"),
            std::string::npos)
      << ok.out;
}

// The checker checks the pool lemmas on every reachable state, and they do
// not change the state space: same distinct states as without them.
TEST(PoolLemmas, CheckerChecksThemWithTheSameStateSpace) {
  if (!std::getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  std::string dir = e2e::tempDir("pool-check");
  std::string ex = e2e::readFile(src("examples/two_phase_commit.mom"));
  auto at = ex.find("// Facts about the pool");
  ASSERT_NE(at, std::string::npos);
  std::string without = writeTemp(dir, "without.mom", ex.substr(0, at));
  CmdRun a = runMommie(
      {"check", src("examples/two_phase_commit.mom"), "--no-symmetry"});
  CmdRun b = runMommie({"check", without, "--no-symmetry"});
  EXPECT_EQ(a.exit, 0) << a.out;
  EXPECT_EQ(b.exit, 0) << b.out;
  long na = distinctStates(a.out, "distinct states: ");
  EXPECT_GT(na, 1000);
  EXPECT_EQ(na, distinctStates(b.out, "distinct states: "));
  // A false pool lemma is a violation with a trace.
  std::string wrong =
      writeTemp(dir, "wrong.mom",
                ex + "lemma NoCommitDecision: !(KNOWN [COORD, _, _] Decision d "
                     "{{ commit == true; }});\n");
  CmdRun c = runMommie({"check", wrong});
  EXPECT_EQ(c.exit, 1) << c.out;
  EXPECT_NE(c.out.find("invariant NoCommitDecision is violated"),
            std::string::npos)
      << c.out;
  std::filesystem::remove_all(dir);
}

// Quorum patterns in invariants: the checker, the prover and TLC agree.
TEST(PoolLemmas, QuorumPatternsAgreeAcrossCheckerProverAndTlc) {
  ir::Program good = compileText("ping.mom", pingProgram(false));
  EXPECT_TRUE(proofs::proveBounded(good, bothSolvers()).allProved());
  ir::Program bad = compileText("ping.mom", pingProgram(true));
  auto refutedBad = refuted(proofs::proveBounded(bad, bothSolvers()));
  EXPECT_FALSE(refutedBad.empty());
  for (const auto &r : refutedBad)
    EXPECT_EQ(r.rfind("NoQuorumForOne @ transition Node.Send at R", 0), 0u)
        << r;

  const char *bin = std::getenv("MOMMIE");
  if (!bin)
    GTEST_SKIP() << "MOMMIE not set";
  std::string dir = e2e::tempDir("pool-tlc");
  std::string goodPath = writeTemp(dir, "good.mom", pingProgram(false));
  std::string badPath = writeTemp(dir, "bad.mom", pingProgram(true));
  CmdRun checkGood = runMommie({"check", goodPath, "--no-symmetry"});
  EXPECT_EQ(checkGood.exit, 0) << checkGood.out;
  CmdRun checkBad = runMommie({"check", badPath});
  EXPECT_EQ(checkBad.exit, 1) << checkBad.out;
  EXPECT_NE(checkBad.out.find("invariant NoQuorumForOne is violated"),
            std::string::npos)
      << checkBad.out;

  const char *jar = std::getenv("TLA2TOOLS_JAR");
  if (!jar || !std::filesystem::exists(jar)) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "TLA2TOOLS_JAR not set: TLC part skipped";
  }
  auto tlc = [&](const std::string &mom, const std::string &out) {
    CmdRun t = runMommie({"tla", mom, "-o", out});
    EXPECT_EQ(t.exit, 0) << t.out;
    return run({"/usr/bin/java", "-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC",
                "-workers", "1", "-metadir", out + "/states", "-config",
                out + "/PoolPing.cfg", out + "/PoolPing.tla"},
               300000);
  };
  CmdRun tGood = tlc(goodPath, dir + "/good");
  EXPECT_NE(
      tGood.out.find("Model checking completed. No error has been found."),
      std::string::npos)
      << tGood.out;
  EXPECT_GT(distinctStates(checkGood.out, "distinct states: "), 10);
  EXPECT_EQ(distinctStates(tGood.out, "states generated, "),
            distinctStates(checkGood.out, "distinct states: "))
      << tGood.out << checkGood.out;
  CmdRun tBad = tlc(badPath, dir + "/bad");
  EXPECT_NE(tBad.out.find("Invariant NoQuorumForOne is violated"),
            std::string::npos)
      << tBad.out;
  std::filesystem::remove_all(dir);
}

// examples/primary_backup.mom with its pool lemmas (orders numbered once by
// the primary, logs built from orders, replies carry executions): proved by
// both solvers; the seeded F+1-quorum client is refuted exactly in Accept.
TEST(PoolLemmas, PrimaryBackupProvedAndQuorumBugRefutedInAccept) {
  ir::Program p = compileText(
      "primary_backup.mom", e2e::readFile(src("examples/primary_backup.mom")));
  size_t withKnown = 0;
  for (const auto &inv : p.invariants)
    withKnown += mentionsKnown(inv.expr.get()) ? 1 : 0;
  EXPECT_GE(withKnown, 4u);
  proofs_test::expectAllProved(proofs::proveBounded(p, bothSolvers()));

  ir::Program bug =
      compileText("primary_backup_bug.mom",
                  e2e::readFile(src("tests/proofs/primary_backup_bug.mom")));
  proofs_test::expectOnlyRefuted(proofs::proveBounded(bug, bothSolvers()),
                                 "Durable @ transition Client.Accept at C0",
                                 "step: C0 fires Client.Accept");
}
