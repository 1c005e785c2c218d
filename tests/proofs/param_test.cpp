// `mommie prove --parameterized`: the encoding with symbolic principal-set
// sizes (cvc5 finite sets with cardinality). Agreement and Integrity of the
// one-third rule are proved for all N (relative to the program's lemmas);
// the variant without its lemma gets a counterexample to induction naming
// the round; Z3 is honestly `unknown`.
#include "CliRun.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using proofs_test::CliRun;
using proofs_test::src;

CliRun run(const std::string &args) { return proofs_test::mommie(args, 600); }

// verdict of (invariant, step) in a --json run, or "" if absent.
std::string verdictOf(const nlohmann::json &j, const std::string &inv,
                      const std::string &step) {
  for (const auto &r : j["runs"][0]["results"])
    if (r["invariant"] == inv && r["step"] == step)
      return r["verdict"];
  return "";
}

} // namespace

TEST(ProveParameterized, OneThirdRuleAgreementAndIntegrityForAllN) {
  CliRun r = run("prove " + src("examples/one_third_rule.mom") +
                 " --parameterized --solver cvc5 --json --timeout 300"
                 " --invariant Agreement --invariant Integrity");
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["runs"][0]["encoding"], "parameterized");
  EXPECT_EQ(j["runs"][0]["notes"][0], "symbolic: N (|P| = N); concrete: "
                                      "MaxPhase = 3, V = 2");
  for (const char *inv : {"Agreement", "Integrity"})
    for (const char *step : {"init", "round Exchange"})
      EXPECT_EQ(verdictOf(j, inv, step), "proved") << inv << " " << step
                                                   << "\n" << r.out;
  EXPECT_EQ(r.exit, 0) << r.out;
}

// Mailboxes are fresh sets that must lie inside the principal set; once
// they were not, and cvc5 found a spurious model (a mailbox of strangers)
// that left this lemma `unknown`.
TEST(ProveParameterized, OneThirdRuleEstimatesAreInputsForAllN) {
  CliRun r = run("prove " + src("examples/one_third_rule.mom") +
                 " --parameterized --solver cvc5 --json --timeout 300"
                 " --invariant EstimatesAreInputs");
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  for (const char *step : {"init", "round Exchange"})
    EXPECT_EQ(verdictOf(j, "EstimatesAreInputs", step), "proved")
        << step << "\n" << r.out;
  EXPECT_EQ(r.exit, 0) << r.out;
}

TEST(ProveParameterized, MissingLemmaGivesCounterexampleNamingTheRound) {
  CliRun r = run("prove " + src("tests/proofs/one_third_unlocked.mom") +
                 " --parameterized --solver cvc5 --timeout 10");
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_NE(r.out.find("invariant Agreement is not inductive: counterexample "
                       "to induction in step 'round Exchange'"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("receives"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("post-state:"), std::string::npos) << r.out;
}

TEST(ProveParameterized, Z3IsUnknownNotProved) {
  CliRun r = run("prove " + src("tests/proofs/one_third_unlocked.mom") +
                 " --parameterized --solver z3 --json");
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(r.exit, 1);
  ASSERT_FALSE(j["runs"][0]["results"].empty());
  for (const auto &res : j["runs"][0]["results"]) {
    EXPECT_EQ(res["verdict"], "unknown");
    EXPECT_NE(res["detail"].get<std::string>().find("cardinality"),
              std::string::npos);
  }
}

TEST(ProveParameterized, PbftAgreementForAllF) {
  // F sizes R (3F+1) and bounds the Byzantine set: both become symbolic.
  CliRun r = run("prove " + src("examples/pbft_normal_case.mom") +
                 " --parameterized --solver cvc5 --json --timeout 300"
                 " --invariant Agreement");
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["runs"][0]["notes"][0], "symbolic: F (|R| = 3*F + 1); "
                                      "concrete: none");
  for (const char *step :
       {"init", "round PrePrepare", "round Prepare", "round Commit"})
    EXPECT_EQ(verdictOf(j, "Agreement", step), "proved") << step << "\n"
                                                         << r.out;
  EXPECT_EQ(r.exit, 0) << r.out;
}

TEST(ProveParameterized, InvariantFilterNeedsParameterized) {
  CliRun r = run("prove " + src("tests/proofs/one_third.mom") +
                 " --invariant Agreement");
  EXPECT_EQ(r.exit, 2) << r.out;
}
