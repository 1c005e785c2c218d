// End to end on loopback: examples/paxos.mom, two leaders and three
// acceptors. Both leaders start their ballot at once (L0 ballot 1 with input
// 0, L1 ballot 2 with input 1); the Propose transition fires on a
// statement-set quorum of promises. Ballot 2 is the highest, so its leader
// gets a majority of promises and of votes: L1 decides; L0 may decide too
// (if ballot 1 got its votes first), and then on the same value.
#include "E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;

TEST(PaxosE2E, LeadersDecideOneValue) {
  std::vector<std::string> names = {"L0", "L1", "A0", "A1", "A2"};
  std::string error;
  std::string bin =
      e2e::buildNode("e2e-paxos", "examples/paxos.mom", names, error);
  ASSERT_FALSE(bin.empty()) << error;
  std::string dir = bin.substr(0, bin.rfind('/'));
  std::vector<pid_t> pids;
  for (const auto &n : names)
    pids.push_back(
        e2e::spawn({bin, "--id", n, "--deploy", dir + "/build.conf", "--trace",
                    dir + "/" + n + ".jsonl", "--exit-when-quiescent", "1000",
                    "--run-for", "30000"},
                   dir + "/" + n + ".out", dir + "/" + n + ".log"));
  for (pid_t p : pids)
    EXPECT_EQ(e2e::waitFor(p, 40000), 0);
  std::vector<json> out;
  for (const auto &n : names) {
    out.push_back(
        json::parse(e2e::readFile(dir + "/" + n + ".out"), nullptr, false));
    ASSERT_FALSE(out.back().is_discarded())
        << n << ": " << e2e::readFile(dir + "/" + n + ".log");
    EXPECT_EQ(out.back()["failed"], false) << n;
  }
  const json &l0 = out[0]["state"], &l1 = out[1]["state"];
  ASSERT_TRUE(l1.contains("decided")) << l1.dump();
  ASSERT_TRUE(l1["decided"].contains("$some"))
      << "the leader of the highest ballot decides: " << l1.dump();
  int v = l1["decided"]["$some"].get<int>();
  EXPECT_TRUE(v == 0 || v == 1) << v;
  if (l0["decided"].contains("$some")) {
    EXPECT_EQ(l0["decided"]["$some"], v) << "agreement";
  }
  for (size_t i = 2; i < names.size(); ++i)
    EXPECT_EQ(out[i]["state"]["maxBal"], 2) << names[i];
  // The runs replay in the model: each Propose's statement set `ps` is every
  // Promise the leader knew when it fired.
  std::vector<std::string> conform = {
      std::getenv("MOMMIE"), "conform",
      std::string(MOMMIE_SOURCE_DIR) + "/examples/paxos.mom", "--invariants"};
  for (const auto &n : names)
    conform.push_back(dir + "/" + n + ".jsonl");
  EXPECT_EQ(e2e::run(conform, dir, 60000), 0)
      << e2e::readFile(dir + "/run.out") << e2e::readFile(dir + "/run.err");
}
