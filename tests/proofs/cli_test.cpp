// `mommie prove` end to end on the .mom programs of tests/proofs: exit
// codes, verdict lines and the step named by a counterexample to induction.
#include "CliRun.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using proofs_test::CliRun;
using proofs_test::mommie;
using proofs_test::src;

} // namespace

TEST(ProveCli, OneThirdRuleProvedByBothSolvers) {
  CliRun r = mommie("prove " + src("tests/proofs/one_third.mom") +
                    " --solver both --bound N=3,4");
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("Agreement"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("is not inductive"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 counterexample(s) to induction, 0 unknown"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(" unknown ("), std::string::npos) << r.out;
}

TEST(ProveCli, MissingLemmaGivesCounterexampleNamingTheRound) {
  CliRun r = mommie("prove " + src("tests/proofs/one_third_unlocked.mom") +
                    " --solver both");
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_NE(r.out.find("counterexample to induction in step 'round Exchange'"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("receives"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("solvers disagree"), std::string::npos) << r.out;
}

TEST(ProveCli, BadInputExitsTwo) {
  EXPECT_EQ(mommie("prove " + src("tests/proofs/no_such_file.mom")).exit, 2);
  EXPECT_EQ(
      mommie("prove " + src("tests/proofs/one_third.mom") + " --solver yices")
          .exit,
      2);
  EXPECT_EQ(
      mommie("prove " + src("tests/proofs/one_third.mom") + " --bound N=x")
          .exit,
      2);
}

TEST(ProveCli, JsonReportsEveryObligation) {
  CliRun r = mommie("prove " + src("tests/proofs/one_third.mom") + " --json");
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("\"verdict\": \"proved\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"step\": \"round Exchange\""), std::string::npos);
}

// One arithmetic (docs/semantics.md, "Integers"): an overflow and a divisor
// that is not positive are evaluation errors for the checker and
// obligations (ArithOK) for the prover, which used to prove every
// invariant of these programs.
TEST(ProveCli, OverflowIsRefutedAsTheCheckerReportsIt) {
  CliRun check = mommie("check " + src("tests/proofs/overflow.mom"));
  EXPECT_EQ(check.exit, 1) << check.out;
  EXPECT_NE(check.out.find("overflow.mom:16:14: integer overflow in +"),
            std::string::npos)
      << check.out;
  CliRun prove =
      mommie("prove " + src("tests/proofs/overflow.mom") + " --solver both");
  EXPECT_EQ(prove.exit, 1) << prove.out;
  EXPECT_NE(prove.out.find("step 'transition Counter.Inc at P0' may overflow"),
            std::string::npos)
      << prove.out;
  EXPECT_NE(
      prove.out.find("evaluation error: " + src("tests/proofs/overflow.mom") +
                     ":16:14: integer overflow in +"),
      std::string::npos)
      << prove.out;
  EXPECT_EQ(prove.out.find("does not violate the goal"), std::string::npos)
      << prove.out;
  EXPECT_EQ(prove.out.find("solvers disagree"), std::string::npos) << prove.out;
}

// Constant operands: the term store folded `(-2) + INT64_MIN` to -2, so
// ArithOK was proved (found by the agreement fuzzer, tests/agree).
TEST(ProveCli, ConstantOverflowIsRefutedAsTheCheckerReportsIt) {
  std::string file = src("tests/proofs/add_fold.mom");
  CliRun check = mommie("check " + file);
  EXPECT_EQ(check.exit, 1) << check.out;
  EXPECT_NE(check.out.find("add_fold.mom:10:34: integer overflow in +"),
            std::string::npos)
      << check.out;
  CliRun prove = mommie("prove " + file + " --solver both");
  EXPECT_EQ(prove.exit, 1) << prove.out;
  EXPECT_NE(prove.out.find("evaluation error: " + file +
                           ":10:34: integer overflow in +"),
            std::string::npos)
      << prove.out;
}

// An `exists` past its first witness (a `forall` past its first
// counterexample) is not evaluated: no ArithOK obligation there (found by
// the agreement fuzzer, tests/agree).
TEST(ProveCli, QuantifierBodiesPastTheFirstWitnessAreNotEvaluated) {
  std::string file = src("tests/proofs/quantifier_short_circuit.mom");
  CliRun check = mommie("check " + file);
  EXPECT_EQ(check.exit, 0) << check.out;
  CliRun prove = mommie("prove " + file + " --solver both");
  EXPECT_EQ(prove.exit, 0) << prove.out;
}

TEST(ProveCli, NegativeDivisorIsRefutedAsTheCheckerReportsIt) {
  std::string file = src("tests/tla/programs/divide_by_negative.mom");
  CliRun check = mommie("check " + file);
  EXPECT_EQ(check.exit, 1) << check.out;
  EXPECT_NE(check.out.find("division by a divisor that is not positive"),
            std::string::npos)
      << check.out;
  CliRun prove = mommie("prove " + file + " --solver both");
  EXPECT_EQ(prove.exit, 1) << prove.out;
  EXPECT_NE(prove.out.find("ArithOK"), std::string::npos) << prove.out;
  EXPECT_NE(prove.out.find("division by a divisor that is not positive"),
            std::string::npos)
      << prove.out;
}

// An invariant must be defined where it is evaluated: 4 / c with c = 0 in
// the initial state is the checker's evaluation error and prove's
// counterexample, never "proved".
TEST(ProveCli, InvariantWithUndefinedArithmeticIsNotProved) {
  std::string file = src("tests/proofs/invariant_divides_by_zero.mom");
  CliRun check = mommie("check " + file);
  EXPECT_EQ(check.exit, 1) << check.out;
  EXPECT_NE(check.out.find("division by a divisor that is not positive"),
            std::string::npos)
      << check.out;
  CliRun prove = mommie("prove " + file + " --solver both");
  EXPECT_EQ(prove.exit, 1) << prove.out;
  EXPECT_NE(
      prove.out.find(
          "Quotient                 init                   counterexample"),
      std::string::npos)
      << prove.out;
}

// A crash in the middle of a broadcast (docs/semantics.md, round programs):
// deciding FloodMin one round early is refuted by a process that crashes
// during the round and reaches only some processes; without crashes during
// a step the synchronous predicate would deliver every message and the
// step would look safe.
TEST(ProveCli, CrashDuringARoundRefutesEarlyFloodMinDecision) {
  CliRun r =
      mommie("prove " + src("tests/bugs/flood_min_bug.mom") + " --solver both");
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_NE(r.out.find("invariant Agreement is not inductive: counterexample "
                       "to induction in "
                       "step 'round Flood'"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("crashes during the round"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("solvers disagree"), std::string::npos) << r.out;
}

// Sequences in the bounded encoding (they were `unknown`: "sequences are
// not supported"): a log built with append is proved in order within
// --seq-bound, and the backwards log is refuted with the sequences shown.
TEST(ProveCli, SequencesAreProvedWithinTheBound) {
  CliRun r =
      mommie("prove " + src("tests/proofs/seq_log.mom") + " --solver both");
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("sequences: at most 4 elements (--seq-bound)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" 0 counterexample(s) to induction, 0 unknown"),
            std::string::npos)
      << r.out;
  r = mommie("prove " + src("tests/proofs/seq_log.mom") +
             " -D K=6 --seq-bound 6");
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("sequences: at most 6 elements"), std::string::npos)
      << r.out;
  r = mommie("prove " + src("tests/proofs/seq_log_bug.mom") + " --solver both");
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_NE(r.out.find("invariant InOrder is not inductive"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("log = <<3>>"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("solvers disagree"), std::string::npos) << r.out;
}
