// `mommie prove --parameterized`: the encoding with symbolic principal-set
// sizes (cvc5 finite sets with cardinality). Agreement and Integrity of the
// one-third rule are proved for all N (relative to the program's lemmas);
// the variant without its lemma gets a counterexample to induction naming
// the round; Z3 is honestly `unknown`.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct CliRun {
  int exit = -1;
  std::string out;
};

CliRun run(const std::string &args) {
  const char *bin = std::getenv("MOMMIE");
  CliRun r;
  if (!bin)
    return r;
  std::string cmd = "timeout 600 " + std::string(bin) + " " + args + " 2>&1";
  FILE *f = popen(cmd.c_str(), "r");
  if (!f)
    return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0)
    r.out.append(buf.data(), n);
  int status = pclose(f);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string src(const std::string &rel) {
  return std::string(MOMMIE_SOURCE_DIR) + "/" + rel;
}

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
