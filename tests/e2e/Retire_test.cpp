// End to end on loopback: tests/retire/retire_ok.mom (retire clauses on
// every record a node keeps) built by `mommie build`; 3 replica processes
// and 1 client process. The same cluster serves 500 and then 5000 requests
// (fresh processes each time): every request completes, and each node's
// pool and refraction sets hold a few hundred entries at most after 5000
// requests as after 500 -- what it retires leaves its memory -- while it
// collected about ten times as many statements.
#include "E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

class RetireE2E : public ::testing::Test {
protected:
  static std::string bin_;
  static void SetUpTestSuite() {
    std::string error;
    bin_ = e2e::buildNode("e2e-retire", "tests/retire/retire_ok.mom", Names,
                          error);
    ASSERT_FALSE(bin_.empty()) << error;
  }
  static inline const std::vector<std::string> Names = {"R0", "R1", "R2", "C0"};

  struct NodeStats {
    uint64_t pool = 0, collected = 0, fired = 0;
    json state;
  };

  // Runs the cluster for `requests` requests; each node's counters at exit.
  // A `late` replica is stopped (SIGSTOP) from its start until the client
  // is done: the others form the quorums, the kernel holds what is sent to
  // it, and it executes the whole backlog once it continues.
  std::map<std::string, NodeStats> serve(int requests,
                                         const std::string &late = "") {
    std::string run = e2e::tempDir("run");
    e2e::writeDeploy(run + "/deploy.conf", Names,
                     "[Authentication]\n* -> * : PLAINTEXT\n");
    auto start = [&](const std::string &id, std::vector<std::string> extra) {
      std::vector<std::string> argv = {bin_,
                                       "--id",
                                       id,
                                       "--deploy",
                                       run + "/deploy.conf",
                                       "--stats",
                                       run + "/" + id + ".stats.json"};
      argv.insert(argv.end(), extra.begin(), extra.end());
      return e2e::spawn(argv, run + "/" + id + ".out", run + "/" + id + ".log");
    };
    std::vector<pid_t> pids;
    std::vector<std::string> replica = {"--exit-when-quiescent", "5000",
                                        "--run-for", "200000"};
    pid_t stopped = 0;
    // Each replica listens before anything is sent to it (a late one is then
    // stopped: the kernel accepts and buffers for it).
    for (int r = 0; r < 3; ++r) {
      const std::string &id = Names[size_t(r)];
      pids.push_back(start(id, replica));
      EXPECT_TRUE(e2e::eventually(20000, [&] {
        return e2e::readFile(run + "/" + id + ".log").find("\"started\"") !=
               std::string::npos;
      }));
      if (id == late)
        kill(stopped = pids.back(), SIGSTOP);
    }
    pid_t client =
        start("C0", {"--requests", std::to_string(requests), "--concurrency",
                     "16", "--json", "--run-for", "200000"});
    int rc = e2e::waitFor(client, 210000);
    EXPECT_EQ(rc, 0) << e2e::readFile(run + "/C0.log");
    if (stopped)
      kill(stopped, SIGCONT);
    for (pid_t p : pids)
      EXPECT_EQ(e2e::waitFor(p, 30000), 0);
    std::map<std::string, NodeStats> out;
    for (const auto &id : Names) {
      json st = json::parse(e2e::readFile(run + "/" + id + ".stats.json"),
                            nullptr, false);
      json o =
          json::parse(e2e::readFile(run + "/" + id + ".out"), nullptr, false);
      EXPECT_FALSE(st.is_discarded()) << id;
      EXPECT_FALSE(o.is_discarded())
          << id << ": " << e2e::readFile(run + "/" + id + ".out");
      if (st.is_discarded() || o.is_discarded())
        continue;
      EXPECT_EQ(o["failed"], false) << id;
      out[id] = {st["pool_statements"].get<uint64_t>(),
                 st["pool_collected"].get<uint64_t>(),
                 st["fired_bindings"].get<uint64_t>(), o["state"]};
    }
    return out;
  }
};
std::string RetireE2E::bin_;

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
    std::cout << id << ": pool " << s.pool << " -> " << l.pool
              << " statements, fired bindings " << s.fired << " -> " << l.fired
              << ", collected " << s.collected << " -> " << l.collected
              << " (500 -> 5000 requests)\n";
    // Without collection a replica would hold 3 statements per request and
    // the client 4 (15000 and 20000 here), and as many fired bindings as
    // requests. With it, what is left is what is in flight plus what the
    // last steps retired (a replica outside the client's quorums may lag
    // far behind on a loaded machine, then catch up).
    EXPECT_LE(l.pool, 1000u) << id;
    EXPECT_LE(l.fired, 1000u) << id;
    EXPECT_GE(l.collected, 5000u) << id;
  }
}

// A replica that was stopped while the others served the client receives
// every request and order at once when it continues, holds them, and
// shrinks again as it executes them: passes also follow steps, not only
// growth.
TEST_F(RetireE2E, LateReplicaShrinksAsItCatchesUp) {
  if (bin_.empty() || HasFatalFailure())
    GTEST_SKIP();
  auto run = serve(2000, "R1");
  ASSERT_EQ(run.size(), 4u);
  const NodeStats &r1 = run["R1"];
  EXPECT_EQ(r1.state["executeSeqNo"], 2000);
  std::cout << "R1 (late): pool " << r1.pool << " statements, fired bindings "
            << r1.fired << ", collected " << r1.collected
            << " after 2000 requests\n";
  EXPECT_LE(r1.pool, 1000u);
  EXPECT_LE(r1.fired, 1000u);
  EXPECT_GE(r1.collected, 3000u);
}

} // namespace
