// End to end on loopback: examples/two_phase_commit.mom, one coordinator
// and three participants. A node takes element me % 2 of `vote in {true,
// false}`, so P1 votes no: every participant must end ABORTED (2), as the
// coordinator decided; agreement holds across processes.
#include "E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;

TEST(TwoPhaseCommitE2E, ParticipantsAgreeWithTheCoordinator) {
  const char *mommie = std::getenv("MOMMIE");
  ASSERT_NE(mommie, nullptr);
  std::string dir = e2e::tempDir("e2e-2pc");
  std::vector<std::string> names = {"Co0", "P0", "P1", "P2"};
  auto ports = e2e::freePorts(names.size());
  {
    std::ofstream conf(dir + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < names.size(); ++i)
      conf << names[i] << " = 127.0.0.1:" << ports[i] << "\n";
  }
  int rc = e2e::run(
      {mommie, "build",
       std::string(MOMMIE_SOURCE_DIR) + "/examples/two_phase_commit.mom",
       "--deploy", dir + "/deploy.conf", "-o", dir + "/tpc"},
      dir, 240000);
  ASSERT_EQ(rc, 0) << e2e::readFile(dir + "/run.err");
  std::vector<pid_t> pids;
  for (const auto &n : names)
    pids.push_back(
        e2e::spawn({dir + "/tpc", "--id", n, "--deploy", dir + "/deploy.conf",
                    "--trace", dir + "/" + n + ".jsonl",
                    "--exit-when-quiescent", "1000", "--run-for", "30000"},
                   dir + "/" + n + ".out", dir + "/" + n + ".log"));
  for (pid_t p : pids)
    EXPECT_EQ(e2e::waitFor(p, 40000), 0);
  json co = json::parse(e2e::readFile(dir + "/Co0.out"), nullptr, false);
  ASSERT_FALSE(co.is_discarded());
  EXPECT_EQ(co["state"]["decision"], 2);
  for (size_t i = 1; i < names.size(); ++i) {
    json p = json::parse(e2e::readFile(dir + "/" + names[i] + ".out"), nullptr,
                         false);
    ASSERT_FALSE(p.is_discarded()) << names[i];
    EXPECT_EQ(p["failed"], false);
    EXPECT_EQ(p["state"]["voted"], true) << names[i];
    EXPECT_EQ(p["state"]["state"], co["state"]["decision"]) << names[i];
  }
}
