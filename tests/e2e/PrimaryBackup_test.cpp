// End to end on loopback: examples/primary_backup.mom built by `mommie
// build` at its model's default (NumReq = 1: request ids are `int model`
// ranges, so the nodes have no bound); 4 replica processes and 1 client
// process whose workload comes from its flags (`--requests 1000
// --concurrency 16`).
//   - all 1000 requests complete, each accepted reply is the service's
//     result for that request (the client accepts a reply only once 2F+1 = 3
//     replicas sent that same reply), and never more than 16 are
//     outstanding (the client's trace: Send firings minus Accept firings);
//   - the outcome line reports completed / failed / req/s / p50 / p99;
//   - a node built at NumReq = 1 serves 5000 requests, reporting progress;
//   - kill -9 of the primary mid-run makes the backups' Suspect transition
//     fire (seen in their traces and final states).
#include "E2eUtil.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

struct Cluster {
  static std::string dir, bin;
  static void SetUpTestSuite() {
    const char *mommie = std::getenv("MOMMIE");
    ASSERT_NE(mommie, nullptr) << "MOMMIE is not set";
    dir = e2e::tempDir("e2e-pb");
    ASSERT_FALSE(dir.empty());
    // The deploy file only matters for the build's checks here; each test
    // writes its own with fresh ports.
    std::ofstream(dir + "/build.conf")
        << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\nR2 = 127.0.0.1:3\n"
           "R3 = 127.0.0.1:4\nC0 = 127.0.0.1:5\n";
    bin = dir + "/pb";
    int rc = e2e::run(
        {mommie, "build",
         std::string(MOMMIE_SOURCE_DIR) + "/examples/primary_backup.mom",
         "--deploy", dir + "/build.conf", "-o", bin},
        dir, 240000);
    ASSERT_EQ(rc, 0) << e2e::readFile(dir + "/run.err");
  }
};
std::string Cluster::dir, Cluster::bin;

class PrimaryBackupE2E : public ::testing::Test {
protected:
  static void SetUpTestSuite() { Cluster::SetUpTestSuite(); }

  std::string run_;
  std::vector<std::string> names_ = {"R0", "R1", "R2", "R3", "C0"};

  void writeDeploy() {
    run_ = e2e::tempDir("run");
    auto ports = e2e::freePorts(names_.size());
    std::ofstream conf(run_ + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < names_.size(); ++i)
      conf << names_[i] << " = 127.0.0.1:" << ports[i] << "\n";
    conf << "[Authentication]\n* -> * : PLAINTEXT\n";
  }
  pid_t start(const std::string &id, std::vector<std::string> extra) {
    std::vector<std::string> argv = {Cluster::bin,
                                     "--id",
                                     id,
                                     "--deploy",
                                     run_ + "/deploy.conf",
                                     "--trace",
                                     run_ + "/" + id + ".jsonl"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return e2e::spawn(argv, run_ + "/" + id + ".out", run_ + "/" + id + ".log");
  }
  // A fresh deploy file and the 4 replicas, each bounded to 120 s.
  std::vector<pid_t> startReplicas() {
    writeDeploy();
    std::vector<pid_t> replicas;
    for (int r = 0; r < 4; ++r)
      replicas.push_back(start(names_[size_t(r)], {"--run-for", "120000"}));
    return replicas;
  }
  // SIGTERM to each, then a bounded wait for each; their exit codes.
  static std::vector<int> stop(const std::vector<pid_t> &pids) {
    for (pid_t p : pids)
      kill(p, SIGTERM);
    std::vector<int> codes;
    for (pid_t p : pids)
      codes.push_back(e2e::waitFor(p, 10000));
    return codes;
  }
  json outcome(const std::string &id) {
    std::string s = e2e::readFile(run_ + "/" + id + ".out");
    return json::parse(s, nullptr, false);
  }
  // Largest number of Send firings not yet matched by Accept firings, in
  // the order of the node's trace.
  int maxOutstanding(const std::string &id) {
    std::istringstream in(e2e::readFile(run_ + "/" + id + ".jsonl"));
    std::string line;
    int now = 0, most = 0;
    while (std::getline(in, line)) {
      now += line.find("\"transition\":\"Send\"") != std::string::npos;
      now -= line.find("\"transition\":\"Accept\"") != std::string::npos;
      most = std::max(most, now);
    }
    return most;
  }
  // The bindings of transition `t` in `id`'s trace.
  std::vector<json> bindings(const std::string &id, const std::string &t) {
    std::istringstream in(e2e::readFile(run_ + "/" + id + ".jsonl"));
    std::vector<json> out;
    for (std::string line; std::getline(in, line);) {
      json r = json::parse(line, nullptr, false);
      if (!r.is_discarded() && r.contains("transition") && r["transition"] == t)
        out.push_back(r["binding"]);
    }
    return out;
  }
  size_t countTransitions(const std::string &id, const std::string &t) {
    std::istringstream in(e2e::readFile(run_ + "/" + id + ".jsonl"));
    std::string line;
    size_t n = 0;
    while (std::getline(in, line))
      n += line.find("\"transition\":\"" + t + "\"") != std::string::npos;
    return n;
  }
};

TEST_F(PrimaryBackupE2E, ThousandRequestsCompleteWithQuorumReplies) {
  if (Cluster::bin.empty() || HasFatalFailure())
    GTEST_SKIP();
  std::vector<pid_t> replicas = startReplicas();
  pid_t client = start("C0", {"--requests", "1000", "--concurrency", "16",
                              "--json", "--run-for", "120000"});
  int rc = e2e::waitFor(client, 130000);
  // The client stops at its last quorum; a fourth replica may still be
  // executing: wait (bounded) until every replica's trace has 1000 Executes.
  e2e::eventually(30000, [&] {
    for (int r = 0; r < 4; ++r)
      if (countTransitions(names_[size_t(r)], "Execute") < 1000)
        return false;
    return true;
  });
  for (int code : stop(replicas))
    EXPECT_EQ(code, 0);
  ASSERT_EQ(rc, 0) << e2e::readFile(run_ + "/C0.log");
  json c = outcome("C0");
  ASSERT_FALSE(c.is_discarded()) << e2e::readFile(run_ + "/C0.out");
  EXPECT_EQ(c["failed"], false);
  const json &w = c["workload"];
  EXPECT_EQ(w["requests"], 1000);
  EXPECT_EQ(w["concurrency"], 16);
  EXPECT_EQ(w["issued"], 1000);
  EXPECT_EQ(w["completed"], 1000);
  EXPECT_EQ(w["failed"], 0);
  EXPECT_EQ(w["unmatched"], 0); // every Accept named the Request it completes
  EXPECT_GT(w["req_per_s"].get<double>(), 0);
  EXPECT_GT(w["p50_us"].get<double>(), 0);
  EXPECT_LE(w["p50_us"].get<double>(), w["p99_us"].get<double>());
  EXPECT_EQ(c["state"]["next"], 1000);
  EXPECT_EQ(c["state"].count("accepted"), 0u)
      << "a ghost variable in a node"; // the invariants' history
  // Each request accepted once, with the service's result for it.
  std::vector<int> accepted(1000, 0);
  for (const json &b : bindings("C0", "Accept")) {
    const json &reply = b["r"];
    int id = reply["req"]["id"], op = reply["req"]["op"];
    ASSERT_TRUE(id >= 0 && id < 1000) << b;
    ++accepted[size_t(id)];
    EXPECT_EQ(reply["res"], (2 * op + id) % 4) << "request " << id;
  }
  EXPECT_EQ(std::count(accepted.begin(), accepted.end(), 1), 1000);
  EXPECT_EQ(countTransitions("C0", "Send"), 1000u);
  // The closed loop: at most 16 outstanding, and the window was used (the
  // first 16 Sends fire before any reply can arrive).
  EXPECT_EQ(maxOutstanding("C0"), 16);
  // Every replica executed all requests in order. (Whether a backup
  // suspected the live primary is timing: with 16 requests in flight on a
  // loaded machine an order can take longer than the 50 ms suspect timer;
  // suspicion has no effect in this protocol.)
  for (int r = 0; r < 4; ++r) {
    json o = outcome(names_[size_t(r)]);
    ASSERT_FALSE(o.is_discarded());
    EXPECT_EQ(o["state"]["executeSeqNo"], 1000) << names_[size_t(r)];
    EXPECT_EQ(o["rejected"], 0);
    EXPECT_EQ(o["failed"], false);
  }
  std::cout << "client: " << w["req_per_s"] << " req/s, p50 " << w["p50_us"]
            << " us, p99 " << w["p99_us"]
            << " us for 1000 requests at concurrency 16\n";
}

TEST_F(PrimaryBackupE2E, KillingThePrimaryMakesBackupsSuspect) {
  if (Cluster::bin.empty() || HasFatalFailure())
    GTEST_SKIP();
  std::vector<pid_t> replicas = startReplicas();
  // One request outstanding at a time. Replica.Execute cancels the single
  // suspect timer, so a backup that executes an old order after receiving
  // the next request never suspects (a liveness weakness of the example,
  // examples/README.md). With concurrency 1, at least one backup must
  // suspect: if the primary's Order for the last request reached every
  // backup, all three reply, the client sends the next request, which no one
  // orders, and all three suspect; otherwise a backup the Order missed holds
  // the request unordered and suspects. Only one is guaranteed: a primary
  // killed between sending its Order to two backups and to the third leaves
  // those two with nothing pending (and the client one reply short of its
  // quorum), which CI saw.
  pid_t client = start("C0", {"--requests", "1000", "--concurrency", "1",
                              "--json", "--run-for", "120000"});
  // Let some requests complete, then kill the primary.
  bool progressed = e2e::eventually(
      60000, [&] { return countTransitions("C0", "Accept") >= 50; });
  ASSERT_TRUE(progressed) << e2e::readFile(run_ + "/C0.log");
  kill(replicas[0], SIGKILL);
  e2e::waitFor(replicas[0], 5000);
  auto suspecting = [&] {
    int n = 0;
    for (int r = 1; r < 4; ++r)
      n += countTransitions(names_[size_t(r)], "Suspect") > 0;
    return n;
  };
  bool suspected = e2e::eventually(20000, [&] { return suspecting() >= 1; });
  EXPECT_EQ(stop({client})[0], 1); // stopped with requests left: they failed
  for (int code : stop({replicas.begin() + 1, replicas.end()}))
    EXPECT_EQ(code, 0);
  EXPECT_TRUE(suspected);
  int suspectedInState = 0;
  for (int r = 1; r < 4; ++r) {
    json o = outcome(names_[size_t(r)]);
    ASSERT_FALSE(o.is_discarded()) << names_[size_t(r)];
    bool s = o["state"]["suspected"] == true;
    EXPECT_EQ(s, countTransitions(names_[size_t(r)], "Suspect") > 0)
        << names_[size_t(r)];
    suspectedInState += s;
  }
  EXPECT_GE(suspectedInState, 1);
  json c = outcome("C0");
  ASSERT_FALSE(c.is_discarded());
  // Stuck: no view change in this protocol.
  int completed = c["workload"]["completed"];
  EXPECT_GE(completed, 50);
  EXPECT_LT(completed, 1000);
  EXPECT_EQ(c["workload"]["failed"], 1000 - completed);
}

// The default outcome line of a workload client, with the transitions
// named explicitly; 1000 requests at concurrency 1.
TEST_F(PrimaryBackupE2E, OutcomeLineAtConcurrencyOne) {
  if (Cluster::bin.empty() || HasFatalFailure())
    GTEST_SKIP();
  std::vector<pid_t> replicas = startReplicas();
  pid_t client =
      start("C0", {"--requests", "1000", "--request-transition", "Send",
                   "--complete-transition", "Accept", "--run-for", "120000"});
  int rc = e2e::waitFor(client, 130000);
  stop(replicas);
  ASSERT_EQ(rc, 0) << e2e::readFile(run_ + "/C0.log");
  std::string line = e2e::readFile(run_ + "/C0.out");
  EXPECT_EQ(line.rfind("C0: 1000 completed, 0 failed in ", 0), 0u) << line;
  for (const char *part :
       {" req/s, latency p50 ", " ms, p99 ", " ms (concurrency 1)\n"})
    EXPECT_NE(line.find(part), std::string::npos) << part << " in " << line;
  EXPECT_EQ(maxOutstanding("C0"), 1);
  EXPECT_EQ(countTransitions("C0", "Accept"), 1000u);
}

// The model bound is the model's: a binary built at NumReq = 1 serves 5000
// requests (issue 15), and --progress-every prints one JSON line per 1000
// completions, before the outcome line.
TEST_F(PrimaryBackupE2E, NodesServePastTheModelsBound) {
  if (Cluster::bin.empty() || HasFatalFailure())
    GTEST_SKIP();
  std::vector<pid_t> replicas = startReplicas();
  pid_t client = start("C0", {"--requests", "5000", "--concurrency", "64",
                              "--progress-every", "1000", "--json", "--run-for",
                              "120000"});
  int rc = e2e::waitFor(client, 130000);
  stop(replicas);
  EXPECT_EQ(rc, 0) << e2e::readFile(run_ + "/C0.log");
  std::istringstream out(e2e::readFile(run_ + "/C0.out"));
  std::vector<json> progress;
  json c;
  for (std::string line; std::getline(out, line);) {
    json j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    if (j.contains("progress"))
      progress.push_back(j["progress"]);
    else
      c = j;
  }
  ASSERT_EQ(progress.size(), 5u);
  for (size_t i = 0; i < progress.size(); ++i) {
    EXPECT_EQ(progress[i]["completed"], 1000 * int(i + 1));
    EXPECT_GT(progress[i]["req_per_s"].get<double>(), 0);
    EXPECT_LE(progress[i]["p50_us"].get<double>(),
              progress[i]["p99_us"].get<double>());
  }
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(c["workload"]["completed"], 5000);
  EXPECT_EQ(c["workload"]["failed"], 0);
  EXPECT_EQ(c["state"]["next"], 5000);
}

TEST_F(PrimaryBackupE2E, BadWorkloadFlagsExitTwo) {
  if (Cluster::bin.empty() || HasFatalFailure())
    GTEST_SKIP();
  writeDeploy();
  const std::vector<std::vector<std::string>> bad = {
      {"--concurrency", "0"},
      {"--requests", "-3"},
      {"--requests", "ten"},
      {"--requests", "10", "--request-transition", "Nope"},
      {"--requests", "10", "--complete-transition", "Send"}};
  for (const auto &flags : bad) {
    pid_t p = start("C0", flags);
    EXPECT_EQ(e2e::waitFor(p, 10000), 2) << flags[0] << " " << flags[1];
    EXPECT_NE(e2e::readFile(run_ + "/C0.log").find("error:"),
              std::string::npos);
  }
}

} // namespace
