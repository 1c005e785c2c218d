// A node binary's flags and operability, end to end: `--help` lists every
// flag of the table (runtime/node/Flags.h) its mains accept, an unknown
// flag is exit 2 with a did-you-mean, a node logs the address it listens
// on, and `--stats-every 1` logs a stats line every second.
#include "E2eUtil.h"

#include "runtime/node/Flags.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace mommie::rt;

namespace {

struct Built {
  std::string dir, bin;
  std::vector<int> ports;
};

// examples/two_phase_commit.mom, built once for every test below.
const Built &twoPhaseCommit() {
  static Built b = [] {
    Built b;
    const char *mommie = std::getenv("MOMMIE");
    if (!mommie)
      return b;
    b.dir = e2e::tempDir("e2e-flags");
    b.ports = e2e::freePorts(4);
    std::ofstream conf(b.dir + "/deploy.conf");
    const char *names[] = {"Co0", "P0", "P1", "P2"};
    conf << "[Hosts]\n";
    for (size_t i = 0; i < 4; ++i)
      conf << names[i] << " = 127.0.0.1:" << b.ports[i] << "\n";
    conf.close();
    int rc = e2e::run(
        {mommie, "build",
         std::string(MOMMIE_SOURCE_DIR) + "/examples/two_phase_commit.mom",
         "--deploy", b.dir + "/deploy.conf", "-o", b.dir + "/tpc"},
        b.dir, 240000);
    if (rc == 0)
      b.bin = b.dir + "/tpc";
    return b;
  }();
  return b;
}

std::vector<json> logLines(const std::string &path) {
  std::vector<json> out;
  std::istringstream in(e2e::readFile(path));
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_discarded())
      out.push_back(j);
  }
  return out;
}

} // namespace

TEST(NodeFlags, HelpListsEveryFlagOfTheTable) {
  const Built &b = twoPhaseCommit();
  ASSERT_FALSE(b.bin.empty()) << e2e::readFile(b.dir + "/run.err");
  ASSERT_EQ(e2e::run({b.bin, "--help"}, b.dir, 20000), 0);
  std::string help = e2e::readFile(b.dir + "/run.out");
  size_t listed = 0;
  for (const auto &f : flagTable())
    if (acceptedBy(f, "node") || acceptedBy(f, "sim")) {
      EXPECT_NE(
          help.find("  " + f.name + (f.arg.empty() ? "" : " " + f.arg) + " "),
          std::string::npos)
          << f.name << "\n"
          << help;
      ++listed;
    }
  EXPECT_GT(listed, 20u);
  // The simulator's own help.
  ASSERT_EQ(e2e::run({b.bin, "--sim", "--help"}, b.dir, 20000), 0);
  EXPECT_NE(e2e::readFile(b.dir + "/run.out").find("  --faults F"),
            std::string::npos);
}

TEST(NodeFlags, UnknownFlagIsExit2WithDidYouMean) {
  const Built &b = twoPhaseCommit();
  ASSERT_FALSE(b.bin.empty());
  EXPECT_EQ(e2e::run({b.bin, "--id", "Co0", "--deploy", b.dir + "/deploy.conf",
                      "--trce", "x.jsonl"},
                     b.dir, 20000),
            2);
  std::string err = e2e::readFile(b.dir + "/run.err");
  EXPECT_NE(err.find("error: unknown flag '--trce' (did you mean '--trace'?)"),
            std::string::npos)
      << err;
  EXPECT_EQ(e2e::run({b.bin, "--sim", "--deploy", b.dir + "/deploy.conf",
                      "--seeed", "3"},
                     b.dir, 20000),
            2);
  err = e2e::readFile(b.dir + "/run.err");
  EXPECT_NE(err.find("did you mean '--seed'?"), std::string::npos) << err;
  EXPECT_EQ(e2e::run({b.bin, "--id", "Co0", "--deploy", b.dir + "/deploy.conf",
                      "--run-for", "soon"},
                     b.dir, 20000),
            2);
  EXPECT_NE(e2e::readFile(b.dir + "/run.err").find("bad --run-for 'soon'"),
            std::string::npos);
}

TEST(NodeFlags, NodeLogsItsAddressAndStatsLines) {
  const Built &b = twoPhaseCommit();
  ASSERT_FALSE(b.bin.empty());
  // A participant alone: it listens, waits, and logs its counters.
  EXPECT_EQ(e2e::run({b.bin, "--id", "P0", "--deploy", b.dir + "/deploy.conf",
                      "--stats-every", "1", "--run-for", "2600"},
                     b.dir, 30000),
            0);
  auto lines = logLines(b.dir + "/run.err");
  bool listening = false;
  size_t stats = 0;
  for (const auto &l : lines) {
    if (l.value("event", "") == "listening") {
      listening = true;
      EXPECT_EQ(l.value("node", ""), "P0");
      EXPECT_EQ(l.value("level", ""), "info");
      EXPECT_EQ(l.value("address", ""),
                "127.0.0.1:" + std::to_string(b.ports[1]));
      EXPECT_EQ(l.value("transport", ""), "tcp");
    }
    if (l.value("event", "") == "stats") {
      ++stats;
      for (const char *k :
           {"pool", "steps", "delivered", "published", "rejected", "frames_in",
            "frames_out", "conns_in", "conns_out"})
        EXPECT_TRUE(l.contains(k) && l[k].is_number())
            << k << " in " << l.dump();
    }
  }
  EXPECT_TRUE(listening) << e2e::readFile(b.dir + "/run.err");
  EXPECT_GE(stats, 2u) << e2e::readFile(b.dir + "/run.err");
  // Without the flag: no stats line.
  EXPECT_EQ(e2e::run({b.bin, "--id", "P0", "--deploy", b.dir + "/deploy.conf",
                      "--run-for", "1200"},
                     b.dir, 30000),
            0);
  for (const auto &l : logLines(b.dir + "/run.err"))
    EXPECT_NE(l.value("event", ""), "stats");
}
