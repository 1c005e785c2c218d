// End to end on loopback: tests/retire/retire_ok.mom (retire clauses on
// every record a node keeps) built by `mommie build`; 3 replica processes
// and 1 client process. The same cluster serves 500 and then 5000 requests
// (fresh processes each time): every request completes, and each node's
// pool and refraction sets hold about as many entries after 5000 requests
// as after 500 -- what it retires leaves its memory -- while it collected
// about ten times as many statements.
#include "E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

class RetireE2E : public ::testing::Test {
protected:
  static std::string dir_, bin_;
  static void SetUpTestSuite() {
    const char *mommie = std::getenv("MOMMIE");
    ASSERT_NE(mommie, nullptr) << "MOMMIE is not set";
    dir_ = e2e::tempDir("e2e-retire");
    ASSERT_FALSE(dir_.empty());
    std::ofstream(dir_ + "/build.conf") << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\nR2 = 127.0.0.1:3\n"
                                           "C0 = 127.0.0.1:4\n";
    bin_ = dir_ + "/retire";
    int rc = e2e::run({mommie, "build", std::string(MOMMIE_SOURCE_DIR) + "/tests/retire/retire_ok.mom",
                       "--deploy", dir_ + "/build.conf", "-o", bin_},
                      dir_, 240000);
    ASSERT_EQ(rc, 0) << e2e::readFile(dir_ + "/run.err");
  }

  struct NodeStats {
    uint64_t pool = 0, collected = 0, fired = 0;
    json state;
  };

  // Runs the cluster for `requests` requests; each node's counters at exit.
  std::map<std::string, NodeStats> serve(int requests) {
    std::string run = e2e::tempDir("run");
    std::vector<std::string> names = {"R0", "R1", "R2", "C0"};
    auto ports = e2e::freePorts(names.size());
    std::ofstream conf(run + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < names.size(); ++i)
      conf << names[i] << " = 127.0.0.1:" << ports[i] << "\n";
    conf << "[Authentication]\n* -> * : PLAINTEXT\n";
    conf.close();
    auto start = [&](const std::string &id, std::vector<std::string> extra) {
      std::vector<std::string> argv = {bin_, "--id", id, "--deploy", run + "/deploy.conf", "--stats",
                                       run + "/" + id + ".stats.json", "--log-level", "warn"};
      argv.insert(argv.end(), extra.begin(), extra.end());
      return e2e::spawn(argv, run + "/" + id + ".out", run + "/" + id + ".log");
    };
    std::vector<pid_t> pids;
    for (int r = 0; r < 3; ++r)
      pids.push_back(start(names[size_t(r)], {"--exit-when-quiescent", "3000", "--run-for", "200000"}));
    pid_t client = start("C0", {"--requests", std::to_string(requests), "--concurrency", "16", "--json",
                                "--run-for", "200000"});
    int rc = e2e::waitFor(client, 210000);
    EXPECT_EQ(rc, 0) << e2e::readFile(run + "/C0.log");
    for (pid_t p : pids)
      EXPECT_EQ(e2e::waitFor(p, 30000), 0);
    std::map<std::string, NodeStats> out;
    for (const auto &id : names) {
      json st = json::parse(e2e::readFile(run + "/" + id + ".stats.json"), nullptr, false);
      json o = json::parse(e2e::readFile(run + "/" + id + ".out"), nullptr, false);
      EXPECT_FALSE(st.is_discarded()) << id;
      EXPECT_FALSE(o.is_discarded()) << id << ": " << e2e::readFile(run + "/" + id + ".out");
      if (st.is_discarded() || o.is_discarded())
        continue;
      EXPECT_EQ(o["failed"], false) << id;
      out[id] = {st["pool_statements"].get<uint64_t>(), st["pool_collected"].get<uint64_t>(),
                 st["fired_bindings"].get<uint64_t>(), o["state"]};
    }
    return out;
  }
};
std::string RetireE2E::dir_, RetireE2E::bin_;

TEST_F(RetireE2E, PoolStaysBoundedAsRequestsGrow) {
  if (bin_.empty() || HasFatalFailure())
    GTEST_SKIP();
  auto small = serve(500);
  auto large = serve(5000);
  ASSERT_EQ(small.size(), 4u);
  ASSERT_EQ(large.size(), 4u);
  EXPECT_EQ(small["C0"].state["accepted"], 500);
  EXPECT_EQ(large["C0"].state["accepted"], 5000);
  for (const char *r : {"R0", "R1", "R2"}) {
    EXPECT_EQ(small[r].state["executeSeqNo"], 500) << r;
    EXPECT_EQ(large[r].state["executeSeqNo"], 5000) << r;
  }
  for (const auto &[id, s] : small) {
    const NodeStats &l = large[id];
    std::cout << id << ": pool " << s.pool << " -> " << l.pool << " statements, fired bindings " << s.fired
              << " -> " << l.fired << ", collected " << s.collected << " -> " << l.collected
              << " (500 -> 5000 requests)\n";
    // Without collection a replica would hold 3 statements per request and
    // the client 4, and as many fired bindings as requests.
    EXPECT_LE(l.pool, s.pool + 200) << id;
    EXPECT_LE(l.pool, 500u) << id;
    EXPECT_LE(l.fired, s.fired + 200) << id;
    EXPECT_LE(l.fired, 500u) << id;
    EXPECT_GE(l.collected, 5000u) << id;
  }
}

} // namespace
