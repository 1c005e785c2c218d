// `mommie prove` on the example corpus: the round programs of examples/ are
// proved with their lemmas by both solvers (small parameters: the N = 3..7
// sweep lives in bench/prove), and their seeded-bug variants of tests/bugs
// get a counterexample to induction that names the offending step. The bug
// variants have the lemmas of the correct program removed; with those
// lemmas put back, the only obligation left unproved is the one the bug
// breaks, in the round the bug is in.
#include "CliRun.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using proofs_test::CliRun;
using proofs_test::mommie;
using proofs_test::src;

std::string readFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every "<file>:L:C: invariant NAME is not inductive: counterexample to
// induction in step 'STEP'" line, as "NAME @ STEP" (both solvers print
// theirs; the set removes the duplicates).
std::set<std::string> refuted(const std::string &out) {
  std::set<std::string> r;
  std::regex re("invariant (\\w+) is not inductive: counterexample to "
                "induction in step '([^']+)'");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re);
       it != std::sregex_iterator(); ++it)
    r.insert((*it)[1].str() + " @ " + (*it)[2].str());
  return r;
}

// The bug variant tests/bugs/NAME_bug.mom with every `lemma` of the correct
// example (examples/EXAMPLE.mom, by default NAME's) that it lacks appended
// (a lemma declaration starts a line with `lemma NAME` and ends with the
// first line that ends in `;`). Returns the path of the result.
std::string withExampleLemmas(const std::string &name,
                              std::string example = "") {
  if (example.empty())
    example = name;
  std::string bug = readFile(src("tests/bugs/" + name + "_bug.mom"));
  std::string ex = readFile(src("examples/" + example + ".mom"));
  std::regex lemmaStart("^lemma\\s+(\\w+)");
  std::set<std::string> have;
  {
    std::istringstream in(bug);
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
      if (std::regex_search(line, m, lemmaStart))
        have.insert(m[1]);
  }
  std::string out = bug + "\n";
  std::istringstream in(ex);
  std::string line;
  std::smatch m;
  size_t added = 0;
  while (std::getline(in, line)) {
    if (!std::regex_search(line, m, lemmaStart))
      continue;
    std::string decl = line + "\n";
    bool keep = !have.count(m[1]);
    while (line.find_last_not_of(" \t") == std::string::npos ||
           line[line.find_last_not_of(" \t")] != ';') {
      if (!std::getline(in, line))
        break;
      decl += line + "\n";
    }
    if (keep) {
      out += decl;
      ++added;
    }
  }
  EXPECT_GT(added, 0u) << "no lemma of examples/" << example << ".mom found";
  auto dir = std::filesystem::temp_directory_path() /
             ("mommie_prove_corpus_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / (name + "_bug_with_lemmas.mom");
  std::ofstream(path) << out;
  return path.string();
}

void expectAllProved(const CliRun &r) {
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_TRUE(refuted(r.out).empty()) << r.out;
  EXPECT_EQ(r.out.find(" unknown ("), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("solvers disagree"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Agreement"), std::string::npos) << r.out;
}

} // namespace

TEST(ProveCorpus, OneThirdRuleProved) {
  CliRun r = mommie("prove " + src("examples/one_third_rule.mom") +
                    " --solver both --bound N=3,4");
  expectAllProved(r);
  EXPECT_NE(r.out.find("OneThirdRule (N=4)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Integrity"), std::string::npos) << r.out;
}

TEST(ProveCorpus, LastVotingProved) {
  CliRun r = mommie("prove " + src("examples/last_voting.mom") +
                    " --solver both --bound N=3,4");
  expectAllProved(r);
  // Every round of the phase is a step of its own, and so are the crash and
  // the restart of a process (`faults P: recover <= N`).
  for (const char *step : {"round Collect", "round Propose", "round Ack",
                           "round Decide", " crash ", " recover "})
    EXPECT_NE(r.out.find(step), std::string::npos) << step;
}

TEST(ProveCorpus, PbftNormalCaseProved) {
  CliRun r = mommie("prove " + src("examples/pbft_normal_case.mom") +
                    " --solver both --bound F=1,2");
  expectAllProved(r);
  EXPECT_NE(r.out.find("Validity"), std::string::npos) << r.out;
}

// Event-driven Paxos with a statement-set quorum (phase 1b -> 2a): the
// bounded encoding proves agreement with the example's lemmas.
TEST(ProveCorpus, PaxosProved) {
  CliRun r = mommie("prove " + src("examples/paxos.mom") + " --solver both");
  expectAllProved(r);
  EXPECT_NE(r.out.find("ProposalsSafe            transition Leader.Propose"),
            std::string::npos)
      << r.out;
}

// Paxos's leader that ignores its promises' votes: with the lemmas, only
// ProposalsSafe fails, where the bug is, with the statement set printed.
TEST(ProveCorpus, PaxosBugRefutedInPropose) {
  std::string path = withExampleLemmas("paxos");
  CliRun r = mommie("prove " + path + " --solver both");
  EXPECT_EQ(r.exit, 1) << r.out;
  std::set<std::string> got = refuted(r.out);
  EXPECT_FALSE(got.empty()) << r.out;
  for (const auto &g : got)
    EXPECT_EQ(g.rfind("ProposalsSafe @ transition Leader.Propose at ", 0), 0u)
        << g;
  EXPECT_NE(r.out.find("ps = {("), std::string::npos) << r.out;
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

// The bug variants as they are (no lemmas): the invariant the bug breaks is
// not inductive, in the round that makes the bad decision.
TEST(ProveCorpus, BugVariantsWithoutLemmasAreRefuted) {
  struct Case {
    const char *name;
    std::string expected;
  };
  for (const Case &c : {Case{"one_third_rule", "Agreement @ round Exchange"},
                        Case{"last_voting", "Agreement @ round Decide"},
                        Case{"pbft_normal_case", "Agreement @ round Commit"}}) {
    CliRun r = mommie("prove " +
                      src(std::string("tests/bugs/") + c.name + "_bug.mom") +
                      " --solver both");
    EXPECT_EQ(r.exit, 1) << c.name << "\n" << r.out;
    EXPECT_TRUE(refuted(r.out).count(c.expected)) << c.name << "\n" << r.out;
    EXPECT_NE(r.out.find("pre-state:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("receives"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("solvers disagree"), std::string::npos) << r.out;
  }
}

// With the correct program's lemmas, exactly the obligation the seeded bug
// breaks is refuted, in the step that contains the bug.
TEST(ProveCorpus, BugVariantsWithLemmasNameTheOffendingStep) {
  // LastVoting: the coordinator becomes ready on one acknowledgement.
  {
    CliRun r =
        mommie("prove " + withExampleLemmas("last_voting") + " --solver both");
    EXPECT_EQ(r.exit, 1) << r.out;
    EXPECT_EQ(refuted(r.out),
              std::set<std::string>{"ReadyMajority @ round Ack"})
        << r.out;
  }
  // PBFT: prepare quorums of F+1; a Byzantine replica equivocates.
  {
    CliRun r = mommie("prove " + withExampleLemmas("pbft_normal_case") +
                      " --solver both");
    EXPECT_EQ(r.exit, 1) << r.out;
    EXPECT_EQ(refuted(r.out),
              std::set<std::string>{"PreparedUnique @ round Prepare"})
        << r.out;
    EXPECT_NE(r.out.find("(byzantine)"), std::string::npos) << r.out;
  }
  // OneThirdRule: decides on half of the votes.
  {
    CliRun r = mommie("prove " + withExampleLemmas("one_third_rule") +
                      " --solver both");
    EXPECT_EQ(r.exit, 1) << r.out;
    auto got = refuted(r.out);
    EXPECT_TRUE(got.count("Agreement @ round Exchange")) << r.out;
    for (const auto &g : got)
      EXPECT_NE(g.find("@ round Exchange"), std::string::npos) << g;
  }
  std::filesystem::remove_all(
      std::filesystem::path(withExampleLemmas("one_third_rule")).parent_path());
}

// LastVoting under crash-recovery, with what a restart keeps changed: the
// estimate volatile (a decided value is forgotten), or the coordinator's
// commit durable (a restarted coordinator decides its reset vote). With the
// example's lemmas every round, crash and init obligation is proved, and
// what fails is at the recover step, with the restarted process printed.
TEST(ProveCorpus, LastVotingRecoverBugsRefutedAtRecover) {
  struct Case {
    const char *name;
    std::set<std::string> expected;
  };
  for (const Case &c :
       {Case{"last_voting_volatile_vote",
             {"DecisionLocked @ recover", "ReadyMajority @ recover",
              "CurrentAdopters @ recover", "VoteRespectsLocks @ recover"}},
        Case{"last_voting_durable_commit",
             {"OneCoordinator @ recover", "CommitWindow @ recover",
              "CurrentAdopters @ recover", "VoteRespectsLocks @ recover"}}}) {
    std::string path = withExampleLemmas(c.name, "last_voting");
    CliRun r = mommie("prove " + path + " --solver both");
    EXPECT_EQ(r.exit, 1) << c.name << "\n" << r.out;
    EXPECT_EQ(refuted(r.out), c.expected) << c.name << "\n" << r.out;
    EXPECT_NE(r.out.find(" restarts\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("solvers disagree"), std::string::npos) << r.out;
    std::filesystem::remove_all(std::filesystem::path(path).parent_path());
  }
}
