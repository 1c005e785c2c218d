// Durable variables at run time (docs/runtime.md, "Durable state"):
// examples/last_voting.mom keeps an acceptor's estimate, timestamp and
// decision (`durable var`) in each node's --data-dir. A node killed with
// SIGKILL after it decided and restarted on its directory resumes with them
// (its first trace record holds the decision it had) and agrees with the
// others; a node is refused a missing directory without --fresh, and
// another node's directory.
#include "RoundsE2EUtil.h"

#include <filesystem>

using namespace rounds_e2e;

namespace {

std::vector<std::string> nodeArgv(const Cluster &c, const std::string &name,
                                  const std::string &trace,
                                  std::vector<std::string> extra) {
  std::vector<std::string> argv = {c.bin,
                                   "--id",
                                   name,
                                   "--deploy",
                                   c.dir + "/deploy.conf",
                                   "--trace",
                                   c.dir + "/" + trace,
                                   "--linger",
                                   "300",
                                   "--run-for",
                                   "20000",
                                   "--data-dir",
                                   c.dir + "/" + name + ".data"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  for (const auto &f : phaseFlags(c))
    argv.push_back(f);
  return argv;
}

// The state in the first record of a round node's trace: its `changed`
// holds every variable after the first round the node ran.
json firstState(const std::string &path) {
  std::ifstream f(path);
  std::string line;
  if (std::getline(f, line)) {
    json r = json::parse(line, nullptr, false);
    if (!r.is_discarded() && r.contains("changed"))
      return r["changed"];
  }
  return json();
}

} // namespace

TEST(RoundsDurable, RestartedAcceptorKeepsItsVoteAndDecision) {
  // Enough phases that the others are still running when P1 comes back.
  Cluster c = build("last_voting.mom", 3, 60, "durable");
  ASSERT_FALSE(c.bin.empty());
  std::map<std::string, pid_t> pids;
  for (const auto &name : c.names)
    pids[name] =
        e2e::spawn(nodeArgv(c, name, name + ".jsonl", {"--fresh"}),
                   c.dir + "/" + name + ".out", c.dir + "/" + name + ".log");
  // P1 decides, then is killed.
  ASSERT_TRUE(e2e::eventually(15000, [&] {
    return tracedDecision(c.dir + "/P1.jsonl").contains("$some");
  })) << e2e::readFile(c.dir + "/P1.log");
  kill(pids["P1"], SIGKILL);
  waitpid(pids["P1"], nullptr, 0);
  json before = tracedDecision(c.dir + "/P1.jsonl");
  // Restarted without --fresh on its directory.
  pid_t again =
      e2e::spawn(nodeArgv(c, "P1", "P1-restarted.jsonl", {}),
                 c.dir + "/P1-restarted.out", c.dir + "/P1-restarted.log");
  EXPECT_EQ(e2e::waitFor(again, 30000), 0)
      << e2e::readFile(c.dir + "/P1-restarted.log");
  for (const char *name : {"P0", "P2"})
    EXPECT_EQ(e2e::waitFor(pids[name], 30000), 0)
        << e2e::readFile(c.dir + "/" + name + ".log");
  std::string log = e2e::readFile(c.dir + "/P1-restarted.log");
  EXPECT_NE(log.find("\"event\":\"recovered\""), std::string::npos) << log;
  EXPECT_EQ(log.find("\"event\":\"not_durable\""), std::string::npos) << log;
  // It starts with what it had decided (no round changes a decision), and
  // keeps it.
  json init = firstState(c.dir + "/P1-restarted.jsonl");
  ASSERT_FALSE(init.is_null()) << e2e::readFile(c.dir + "/P1-restarted.jsonl");
  EXPECT_EQ(init["decision"], before) << init.dump();
  json decided;
  for (const std::string out : {"P0.out", "P2.out", "P1-restarted.out"}) {
    json o = json::parse(e2e::readFile(c.dir + "/" + out), nullptr, false);
    ASSERT_FALSE(o.is_discarded()) << out;
    json d = o["state"]["decision"];
    ASSERT_TRUE(d.contains("$some")) << out << ": " << o.dump();
    if (decided.is_null())
      decided = d;
    EXPECT_EQ(d, decided) << out;
  }
  EXPECT_EQ(decided, before);
  // (`mommie conform` does not read a restarted node's second trace yet:
  // the others' traces hold messages of its second life.)
}

TEST(RoundsDurable, ANodeNeedsItsOwnDataDirectory) {
  Cluster c = build("last_voting.mom", 3, 1, "durable-refused");
  ASSERT_FALSE(c.bin.empty());
  // No directory, no --fresh: refused before it takes a step.
  EXPECT_EQ(e2e::run(nodeArgv(c, "P1", "P1.jsonl", {}), c.dir, 10000), 2);
  std::string err = e2e::readFile(c.dir + "/run.err");
  EXPECT_NE(err.find("does not exist"), std::string::npos) << err;
  EXPECT_NE(err.find("--fresh"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(c.dir + "/P1.data"));
  // P0's directory for P1: refused, with or without --fresh.
  std::filesystem::create_directory(c.dir + "/P0.data");
  {
    std::ofstream id(c.dir + "/P0.data/identity");
    id << "mommie durable state v1\nprotocol LastVoting\nprincipal P0\n";
  }
  for (std::vector<std::string> extra :
       {std::vector<std::string>{}, {"--fresh"}}) {
    auto argv = nodeArgv(c, "P1", "P1.jsonl", extra);
    argv[argv.size() - 1 - phaseFlags(c).size() - extra.size()] =
        c.dir + "/P0.data";
    EXPECT_EQ(e2e::run(argv, c.dir, 10000), 2);
    err = e2e::readFile(c.dir + "/run.err");
    EXPECT_NE(err.find("another node"), std::string::npos) << err;
  }
  // --fsync takes on or off only; --fresh needs --data-dir.
  EXPECT_EQ(e2e::run(nodeArgv(c, "P1", "P1.jsonl",
                              {"--fresh", "--fsync", "sometimes"}),
                     c.dir, 10000),
            2);
  EXPECT_NE(e2e::readFile(c.dir + "/run.err").find("bad --fsync"),
            std::string::npos);
  EXPECT_EQ(e2e::run({c.bin, "--id", "P1", "--deploy", c.dir + "/deploy.conf",
                      "--fresh"},
                     c.dir, 10000),
            2);
  EXPECT_NE(e2e::readFile(c.dir + "/run.err").find("need --data-dir"),
            std::string::npos);
}
