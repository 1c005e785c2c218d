// Trace conformance and simulation (docs/conform.md):
//   - traces recorded by primary_backup node binaries on loopback (4
//     replicas, 1 client) conform to the model, and tampered copies (a
//     variable value, a published field, a dropped publish, a delivery of a
//     statement nobody published) are rejected at the tampered step;
//   - `mommie sim` with seeded loss / duplication / reordering / delay /
//     crashes keeps every invariant and writes traces that conform; a
//     seeded bug is caught by the simulator.
#include "ConformUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sys/stat.h>

using nlohmann::json;

namespace {

using namespace conform;

const std::vector<std::string> kNodes = {"R0", "R1", "R2", "R3", "C0"};
const int kNumReq = 100;

// One loopback run of primary_backup, shared by the tests.
struct Recorded {
  static std::string dir;
  static void SetUpTestSuite() {
    ASSERT_STRNE(mommie(), "") << "MOMMIE is not set";
    dir = e2e::tempDir("conform");
    ASSERT_FALSE(dir.empty());
    auto ports = e2e::freePorts(kNodes.size());
    {
      std::ofstream conf(dir + "/deploy.conf");
      conf << "[Hosts]\n";
      for (size_t i = 0; i < kNodes.size(); ++i)
        conf << kNodes[i] << " = 127.0.0.1:" << ports[i] << "\n";
      conf << "[Authentication]\n* -> * : PLAINTEXT\n";
    }
    std::string out;
    int rc = runCapture({mommie(), "build", src("examples/primary_backup.mom"),
                         "-D", "NumReq=" + std::to_string(kNumReq), "--deploy",
                         dir + "/deploy.conf", "-o", dir + "/pb"},
                        dir, out, 240000);
    ASSERT_EQ(rc, 0) << out;
    std::vector<pid_t> replicas;
    for (int r = 0; r < 4; ++r)
      replicas.push_back(
          e2e::spawn({dir + "/pb", "--id", kNodes[size_t(r)], "--deploy",
                      dir + "/deploy.conf", "--trace",
                      dir + "/" + kNodes[size_t(r)] + ".jsonl", "--run-for",
                      "60000", "--exit-when-quiescent", "6000"},
                     dir + "/" + kNodes[size_t(r)] + ".out",
                     dir + "/" + kNodes[size_t(r)] + ".log"));
    pid_t client = e2e::spawn(
        {dir + "/pb", "--id", "C0", "--deploy", dir + "/deploy.conf", "--trace",
         dir + "/C0.jsonl", "--requests", std::to_string(kNumReq),
         "--concurrency", std::to_string(kNumReq), "--run-for", "60000"},
        dir + "/C0.out", dir + "/C0.log");
    int crc = e2e::waitFor(client, 70000);
    // The client is done once 3 of the 4 replicas replied; a backup that
    // lagged (started late on a loaded machine) still executes everything
    // before it comes to rest, so every replica's trace is complete (the
    // tests tamper with the 30th Execute of a given replica). It used to be
    // stopped right away, and its trace then had one record now and then.
    // Quiescence is counted from the node's start too: 6 s, so that a
    // replica whose peers and client start late on a loaded machine (CI
    // saw one come to rest after 2 s with its initial record only) waits
    // for them.
    for (pid_t p : replicas)
      EXPECT_EQ(e2e::waitFor(p, 30000), 0);
    ASSERT_EQ(crc, 0) << e2e::readFile(dir + "/C0.log");
  }
  static std::vector<std::string> traceArgs(const std::string &d) {
    std::vector<std::string> v;
    for (const auto &n : kNodes)
      v.push_back(d + "/" + n + ".jsonl");
    return v;
  }
  // Copies the traces to a fresh directory, applying `edit` to one node's
  // records.
  static std::string
  tampered(const std::string &node,
           const std::function<void(std::vector<json> &)> &edit) {
    std::string d = e2e::tempDir("tamper");
    for (const auto &n : kNodes) {
      auto recs = readJsonl(dir + "/" + n + ".jsonl");
      if (n == node)
        edit(recs);
      writeJsonl(d + "/" + n + ".jsonl", recs);
    }
    return d;
  }
  static int conform(const std::string &d, std::string &out) {
    std::vector<std::string> argv = {mommie(), "conform",
                                     src("examples/primary_backup.mom"), "-D",
                                     "NumReq=" + std::to_string(kNumReq)};
    for (const auto &t : traceArgs(d))
      argv.push_back(t);
    return runCapture(argv, d, out);
  }
};
std::string Recorded::dir;

class ConformPB : public ::testing::Test {
protected:
  static void SetUpTestSuite() { Recorded::SetUpTestSuite(); }
  void SetUp() override {
    if (Recorded::dir.empty())
      GTEST_SKIP();
  }
};

// The index of the first record of `recs` whose transition is `t`, from `from`.
size_t findTransition(const std::vector<json> &recs, const std::string &t,
                      size_t from = 0) {
  for (size_t i = from; i < recs.size(); ++i)
    if (recs[i]["transition"] == t)
      return i;
  return recs.size();
}

TEST_F(ConformPB, RecordedTracesConform) {
  std::string out;
  int rc = Recorded::conform(Recorded::dir, out);
  EXPECT_EQ(rc, 0) << out;
  // Every record of every node was replayed: 100 Send + 100 Accept for the
  // client, 100 Execute per replica and 100 Assign at the primary, plus a
  // backup's Receive for each request it had not executed yet when the
  // request arrived (Receive is guarded, so their number varies by run).
  size_t total = 0;
  for (const auto &n : kNodes)
    total += readJsonl(Recorded::dir + "/" + n + ".jsonl").size();
  EXPECT_GE(total, size_t(kNumReq) * (2 + 4 + 1));
  EXPECT_NE(out.find("ok: " + std::to_string(total) + " steps conform"),
            std::string::npos)
      << out;
  std::cout << out;
}

TEST_F(ConformPB, TamperedVariableIsRejectedAtThatStep) {
  size_t at = 0;
  std::string d = Recorded::tampered("R2", [&](std::vector<json> &recs) {
    at = findTransition(recs, "Execute", 20);
    ASSERT_LT(at, recs.size());
    int v = recs[at]["changed"]["executeSeqNo"];
    recs[at]["changed"]["executeSeqNo"] = v + 1;
  });
  std::string out;
  EXPECT_EQ(Recorded::conform(d, out), 1) << out;
  EXPECT_NE(out.find("node R2 step " + std::to_string(at) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("variable executeSeqNo"), std::string::npos) << out;
}

TEST_F(ConformPB, TamperedPublishedFieldIsRejectedAtThatStep) {
  size_t at = 0;
  std::string d = Recorded::tampered("R1", [&](std::vector<json> &recs) {
    at = findTransition(recs, "Execute", 30);
    ASSERT_LT(at, recs.size());
    auto &msg = recs[at]["published"][0]["msg"];
    msg["res"] =
        (msg["res"].get<int>() + 1) % 4; // a wrong result, still in range
  });
  std::string out;
  EXPECT_EQ(Recorded::conform(d, out), 1) << out;
  EXPECT_NE(out.find("node R1 step " + std::to_string(at) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("the model publishes"), std::string::npos) << out;
}

TEST_F(ConformPB, DroppedPublishIsRejectedAtThatStep) {
  size_t at = 0;
  std::string d = Recorded::tampered("R0", [&](std::vector<json> &recs) {
    at = findTransition(recs, "Assign", 10);
    ASSERT_LT(at, recs.size());
    recs[at]["published"] = json::array();
  });
  std::string out;
  EXPECT_EQ(Recorded::conform(d, out), 1) << out;
  EXPECT_NE(out.find("node R0 step " + std::to_string(at) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("the model publishes [R0"), std::string::npos) << out;
}

TEST_F(ConformPB, ForgedDeliveryIsRejected) {
  size_t at = 0;
  std::string d = Recorded::tampered("R3", [&](std::vector<json> &recs) {
    at = findTransition(recs, "Execute", 5);
    ASSERT_LT(at, recs.size());
    json forged = recs[at]["published"][0]; // a Reply from R3 ...
    forged["iss"] = "R0";                   // ... claimed to come from R0
    forged["ver"] = json{{"$set", {"R3"}}};
    recs[at]["delivered"].push_back(forged);
  });
  std::string out;
  EXPECT_EQ(Recorded::conform(d, out), 1) << out;
  EXPECT_NE(out.find("node R3 step " + std::to_string(at) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("no step of any trace published"), std::string::npos)
      << out;
}

TEST_F(ConformPB, TransitionWithWrongBindingIsRejected) {
  size_t at = 0;
  std::string d = Recorded::tampered("C0", [&](std::vector<json> &recs) {
    at = findTransition(recs, "Accept", 40);
    ASSERT_LT(at, recs.size());
    auto &r = recs[at]["binding"]["r"];
    r["res"] = (r["res"].get<int>() + 1) % 4; // no quorum for that reply
  });
  std::string out;
  EXPECT_EQ(Recorded::conform(d, out), 1) << out;
  EXPECT_NE(out.find("node C0 step " + std::to_string(at) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Accept is not enabled"), std::string::npos) << out;
}

// kill -9 of the primary mid-run (as in tests/e2e): the backups suspect it;
// the traces conform, the primary's unrecorded last steps (its trace is
// flushed every 20 ms) being inferred with --crashed R0.
TEST(ConformKill, PrimaryKilledTracesConformWithCrashed) {
  ASSERT_STRNE(mommie(), "");
  std::string dir = e2e::tempDir("conform-kill");
  auto ports = e2e::freePorts(kNodes.size());
  {
    std::ofstream conf(dir + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < kNodes.size(); ++i)
      conf << kNodes[i] << " = 127.0.0.1:" << ports[i] << "\n";
  }
  std::string out;
  ASSERT_EQ(runCapture({mommie(), "build", src("examples/primary_backup.mom"),
                        "-D", "NumReq=1000", "--deploy", dir + "/deploy.conf",
                        "-o", dir + "/pb"},
                       dir, out, 240000),
            0)
      << out;
  // One request outstanding at a time: requests keep coming after the kill,
  // and the backups of the last request's quorum have nothing left to
  // execute that could cancel their suspicion timer.
  std::vector<pid_t> pids;
  for (const auto &n : kNodes) {
    std::vector<std::string> args = {dir + "/pb",
                                     "--id",
                                     n,
                                     "--deploy",
                                     dir + "/deploy.conf",
                                     "--trace",
                                     dir + "/" + n + ".jsonl",
                                     "--run-for",
                                     "60000"};
    if (n == "C0")
      args.insert(args.end(), {"--requests", "1000", "--concurrency", "1"});
    pids.push_back(
        e2e::spawn(args, dir + "/" + n + ".out", dir + "/" + n + ".log"));
  }
  auto count = [&](const std::string &n, const std::string &t) {
    std::string s = e2e::readFile(dir + "/" + n + ".jsonl");
    size_t k = 0;
    for (size_t pos = 0; (pos = s.find("\"transition\":\"" + t + "\"", pos)) !=
                         std::string::npos;
         ++pos)
      ++k;
    return k;
  };
  ASSERT_TRUE(
      e2e::eventually(30000, [&] { return count("C0", "Accept") >= 50; }));
  kill(pids[0], SIGKILL);
  e2e::waitFor(pids[0], 5000);
  // A backup that knows a request the dead primary never ordered to it
  // suspects; one that got the order (the primary died mid-broadcast) need
  // not. The client is stuck either way, so at least one backup suspects.
  bool suspected = e2e::eventually(20000, [&] {
    return count("R1", "Suspect") || count("R2", "Suspect") ||
           count("R3", "Suspect");
  });
  for (size_t i = 1; i < pids.size(); ++i)
    kill(pids[i], SIGTERM);
  // The replicas stop cleanly; the client exits 1, its requests left failed.
  for (size_t i = 1; i < pids.size(); ++i)
    EXPECT_EQ(e2e::waitFor(pids[i], 10000), kNodes[i] == "C0" ? 1 : 0)
        << kNodes[i];
  EXPECT_TRUE(suspected);
  std::vector<std::string> argv = {
      mommie(), "conform",     src("examples/primary_backup.mom"),
      "-D",     "NumReq=1000", "--crashed",
      "R0"};
  for (const auto &n : kNodes)
    argv.push_back(dir + "/" + n + ".jsonl");
  EXPECT_EQ(runCapture(argv, dir, out, 300000), 0) << out;
  EXPECT_NE(out.find("ok: "), std::string::npos) << out;
  std::cout << out.substr(
      out.find("ok: ") == std::string::npos ? 0 : out.find("ok: "));
}

// ---- mommie sim --model (the checker's semantics) ----

TEST(SimModel, PrimaryBackupSeedsWithFaultsHoldAndConform) {
  ASSERT_STRNE(mommie(), "");
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, kNodes);
  size_t terminated = 0, lostSome = 0, crashedRuns = 0;
  for (int seed = 1; seed <= 100; ++seed) {
    std::string trace = dir + "/t" + std::to_string(seed) + ".jsonl", out;
    int rc = runCapture({mommie(), "sim", "--model",
                         src("examples/primary_backup.mom"), "-D", "NumReq=3",
                         "--deploy", conf, "--seed", std::to_string(seed),
                         "--faults",
                         "loss=0.05,dup=0.1,reorder,delay=1-20ms,crash=R" +
                             std::to_string(seed % 4) + "@" +
                             std::to_string(1 + seed % 20) + "ms",
                         "--steps", "3000", "--trace", trace, "--json"},
                        dir, out);
    ASSERT_EQ(rc, 0) << "seed " << seed << ": " << out;
    json r = json::parse(out.substr(0, out.find("\n}\n") + 2), nullptr, false);
    ASSERT_FALSE(r.is_discarded()) << out;
    EXPECT_EQ(r["ok"], true);
    EXPECT_LE(r["crashed"].size(), 1u) << out;
    crashedRuns += r["crashed"].size();
    terminated += r["verdict"] == "terminated";
    lostSome += r["lost"].get<int>() > 0;
    rc = runCapture({mommie(), "conform", src("examples/primary_backup.mom"),
                     "-D", "NumReq=3", "--invariants", trace},
                    dir, out);
    EXPECT_EQ(rc, 0) << "seed " << seed << ": " << out;
  }
  EXPECT_GT(terminated, 0u);
  EXPECT_GT(lostSome, 0u);
  EXPECT_GT(crashedRuns, 25u);
}

TEST(SimModel, SameSeedSameRunDifferentSeedDifferentRun) {
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, kNodes);
  std::string a, b, c;
  auto run = [&](const char *seed, std::string &out) {
    std::string t = dir + "/s" + seed + ".jsonl";
    EXPECT_EQ(runCapture({mommie(), "sim", "--model",
                          src("examples/primary_backup.mom"), "-D", "NumReq=2",
                          "--deploy", conf, "--seed", seed, "--faults",
                          "delay=1-5ms", "--trace", t},
                         dir, out),
              0)
        << out;
    out = e2e::readFile(t);
  };
  run("7", a);
  std::string a2;
  run("7", a2);
  run("8", c);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, c);
}

TEST(SimModel, TwoPhaseCommitSeedsConform) {
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, {"Co0", "P0", "P1", "P2"});
  std::string ex = src("examples/two_phase_commit.mom");
  int terminated = 0, stuck = 0;
  for (int seed = 1; seed <= 100; ++seed) {
    std::string trace = dir + "/tpc" + std::to_string(seed) + ".jsonl", out;
    int rc = runCapture({mommie(), "sim", "--model", ex, "--deploy", conf,
                         "--seed", std::to_string(seed), "--faults",
                         seed % 2 ? "dup=0.1,reorder,delay=1-10ms"
                                  : "loss=0.1,dup=0.1,delay=1-10ms",
                         "--steps", "2000", "--trace", trace},
                        dir, out);
    ASSERT_EQ(rc, 0) << "seed " << seed << ": " << out;
    terminated += out.find(": terminated after") != std::string::npos;
    stuck += out.find(": stuck (after injected faults)") != std::string::npos;
    rc = runCapture({mommie(), "conform", ex, "--invariants", trace}, dir, out);
    EXPECT_EQ(rc, 0) << "seed " << seed << ": " << out;
    EXPECT_NE(out.find("ok: "), std::string::npos) << out;
  }
  EXPECT_GE(terminated, 50); // every run without loss terminates
  EXPECT_EQ(terminated + stuck, 100);
}

// `terminate when` says the model *may* stop (issue 16): with `terminate
// when true` the simulated run still goes on while a transition is enabled,
// and finds the violation three steps in (it used to stop after one step
// and check nothing).
TEST(SimModel, TerminateWhenMeansMayStop) {
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, {"P0"});
  std::string prog = dir + "/count.mom";
  std::ofstream(prog) << "protocol Count;\nprincipals P[1];\n"
                         "role Counter at P {\n  var x: 0..5 = 0;\n"
                         "  transition Inc IF x < 5 @@{ x <- x + 1; @@}\n}\n"
                         "terminate when true;\n"
                         "invariant Small: forall p in P: Counter.x[p] < 3;\n";
  std::string out;
  int rc = runCapture(
      {mommie(), "sim", "--model", prog, "--deploy", conf, "--seed", "1"}, dir,
      out);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("invariant Small violated"), std::string::npos) << out;
}

TEST(SimModel, PbftRoundsWithAByzantinePrimaryKeepAgreement) {
  // PBFT is a round program: lock-step rounds, no per-node trace; the
  // simulator picks random round steps (mailboxes within the communication
  // predicates, Byzantine payloads included) and checks the invariants.
  // byz=R0: the primary is Byzantine and may send conflicting proposals.
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, {"R0", "R1", "R2", "R3"});
  std::string ex = src("examples/pbft_normal_case.mom"), out;
  std::string bug = src("tests/bugs/pbft_normal_case_bug.mom");
  int caught = 0;
  for (int seed = 1; seed <= 60; ++seed) {
    int rc =
        runCapture({mommie(), "sim", "--model", ex, "--deploy", conf, "--seed",
                    std::to_string(seed), "--faults", "byz=R0", "--json"},
                   dir, out);
    ASSERT_EQ(rc, 0) << "seed " << seed << ": " << out;
    json r = json::parse(out.substr(0, out.find("\n}\n") + 2), nullptr, false);
    ASSERT_FALSE(r.is_discarded()) << out;
    EXPECT_EQ(r["byzantine"], json::array({"R0"}));
    EXPECT_EQ(r["verdict"], "terminated");
    // The seeded bug (F+1 quorums) splits the correct replicas for some seeds.
    rc = runCapture({mommie(), "sim", "--model", bug, "--deploy", conf,
                     "--seed", std::to_string(seed), "--faults", "byz=R0"},
                    dir, out);
    ASSERT_TRUE(rc == 0 || rc == 1) << out;
    if (rc == 1) {
      ++caught;
      EXPECT_NE(out.find("invariant Agreement violated"), std::string::npos)
          << out;
    }
  }
  EXPECT_GT(caught, 0);
  EXPECT_EQ(runCapture({mommie(), "sim", "--model", ex, "--deploy", conf,
                        "--trace", dir + "/x.jsonl"},
                       dir, out),
            2)
      << out;
}

TEST(SimModel, SeededBugIsCaught) {
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, kNodes);
  bool caught = false;
  std::string out;
  for (int seed = 1; seed <= 40 && !caught; ++seed) {
    int rc = runCapture(
        {mommie(), "sim", "--model", src("tests/bugs/primary_backup_bug.mom"),
         "--deploy", conf, "--seed", std::to_string(seed), "--steps", "2000"},
        dir, out);
    ASSERT_TRUE(rc == 0 || rc == 1) << out;
    caught = rc == 1 && out.find("invariant") != std::string::npos;
  }
  EXPECT_TRUE(caught) << out;
}

TEST(SimModel, BuggyProgramsTraceDoesNotConformToTheCorrectProgram) {
  // The seeded bug accepts on F+1 = 2 equal replies; its runs are not
  // behaviours of the correct program (2F+1 = 3 replies).
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, kNodes);
  std::string out, trace = dir + "/bug.jsonl";
  ASSERT_EQ(runCapture({mommie(), "sim", "--model",
                        src("tests/bugs/primary_backup_bug.mom"), "--deploy",
                        conf, "--seed", "1", "--trace", trace},
                       dir, out),
            0)
      << out;
  EXPECT_EQ(runCapture({mommie(), "conform",
                        src("tests/bugs/primary_backup_bug.mom"), trace},
                       dir, out),
            0)
      << out;
  EXPECT_EQ(runCapture({mommie(), "conform", src("examples/primary_backup.mom"),
                        trace},
                       dir, out),
            1)
      << out;
  EXPECT_NE(out.find("Accept is not enabled with this binding: pattern 1 "
                     "(Reply): quorum not reached"),
            std::string::npos)
      << out;
}

TEST(SimModel, BadFaultsAreBadInput) {
  std::string dir = e2e::tempDir("sim");
  std::string conf = simDeploy(dir, kNodes);
  std::string out;
  for (const char *f : {"loss=2", "delay=5-1ms", "crash=R0", "crash=C0@1s",
                        "bogus", "byz=R0"}) {
    EXPECT_EQ(runCapture({mommie(), "sim", "--model",
                          src("examples/primary_backup.mom"), "--deploy", conf,
                          "--faults", f},
                         dir, out),
              2)
        << f << ": " << out;
  }
}

// ---- mommie sim: the generated code in one process ----
//
// One compile per program (the binary is cached in the test's directory),
// then 100 seeds in one invocation with loss, duplication, reordering,
// delay and a crash: every node trace conforms and every invariant holds
// on the replayed states.

const char *kFaults = "loss=0.1,dup=0.05,reorder,delay=1-20ms";

struct SimCode : ::testing::Test {
  static std::string dir, cache;
  static void SetUpTestSuite() {
    dir = e2e::tempDir("simcode");
    cache = dir + "/cache";
  }
  // `mommie sim --json` over `seeds`; the summary object (null if none).
  static json sim(const std::string &program, const std::string &conf,
                  const std::string &seeds, const std::string &faults, int &rc,
                  std::string &out,
                  const std::vector<std::string> &extra = {}) {
    std::vector<std::string> argv = {
        mommie(), "sim",      src(program), "--deploy", conf,  "--seeds",
        seeds,    "--faults", faults,       "--cache",  cache, "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    rc = runCapture(argv, dir, out, 600000);
    size_t end = out.rfind("\n}");
    json j = json::parse(out.substr(0, end == std::string::npos ? 0 : end + 2),
                         nullptr, false);
    return j.is_discarded() ? json() : j;
  }
  static std::string conf(const std::vector<std::string> &names) {
    std::string d = dir + "/" + names[0] + std::to_string(names.size());
    mkdir(d.c_str(), 0700);
    return simDeploy(d, names);
  }
  // The common checks of a passing 100-seed run.
  static void expectAllConform(const json &j, const std::string &out,
                               bool crash = true) {
    ASSERT_TRUE(j.is_object()) << out;
    EXPECT_EQ(j["ok"], true) << out;
    EXPECT_EQ(j["seeds"], 100) << out;
    EXPECT_EQ(j["runs"].size(), 100u);
    EXPECT_GT(j["records"].get<int>(), 100) << out;
    EXPECT_GT(j["lost"].get<int>(), 0) << out;
    EXPECT_GT(j["duplicated"].get<int>(), 0) << out;
    if (crash) {
      EXPECT_EQ(j["runs_with_crash"], 100) << out;
    }
    for (const auto &r : j["runs"])
      EXPECT_EQ(r["ok"], true) << r.dump();
  }
};
std::string SimCode::dir, SimCode::cache;

TEST_F(SimCode, PrimaryBackup100SeedsConformWithCrashedPrimary) {
  int rc = 0;
  std::string out;
  json j =
      sim("examples/primary_backup.mom", conf(kNodes), "1..100",
          std::string(kFaults) + ",crash=R0@15ms", rc, out, {"-D", "NumReq=5"});
  EXPECT_EQ(rc, 0) << out;
  expectAllConform(j, out);
  EXPECT_EQ(j["compiled"], true);
  // Some backup suspects the crashed primary in some run: its Suspect step
  // was replayed and conformed.
  bool suspected = false;
  for (const auto &r : j["runs"])
    for (const auto &n : r["outcome"]["nodes"])
      suspected = suspected || n["state"]["suspected"] == true;
  EXPECT_TRUE(suspected);
  // The second invocation reuses the binary.
  j = sim("examples/primary_backup.mom", conf(kNodes), "7", kFaults, rc, out,
          {"-D", "NumReq=5"});
  EXPECT_EQ(rc, 0) << out;
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["compiled"], false) << out;
}

// Role variables named like the generated state methods' locals (s, o, d,
// names, spec) compile and conform (found by the agreement fuzzer).
TEST_F(SimCode, RoleVariablesNamedLikeTheGeneratedLocals) {
  int rc = 0;
  std::string out;
  json j = sim("tests/conform/local_names.mom", conf({"R0", "R1"}), "1..5",
               kFaults, rc, out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(j["ok"], true) << out;
  j = sim("tests/conform/local_names_rounds.mom", conf({"P0", "P1"}), "1..5",
          kFaults, rc, out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(j["ok"], true) << out;
}

// A node that fires forever in zero virtual time: each run stops at the
// step limit instead of running until the wall-clock bound kills it (and
// its traces fill the disk), and the steps it took conform.
TEST_F(SimCode, ANodeFiringForeverStopsAtTheStepLimit) {
  int rc = 0;
  std::string out;
  json j = sim("tests/conform/fire_forever.mom", conf({"P0"}), "1..3", "loss=0",
               rc, out, {"--steps", "5000"});
  EXPECT_EQ(rc, 0) << out;
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["ok"], true) << out;
  EXPECT_EQ(j["verdicts"]["step limit"], 3) << out;
  for (const auto &r : j["runs"]) {
    EXPECT_EQ(r["outcome"]["nodes"][0]["steps"], 5000) << r.dump();
    EXPECT_EQ(r["outcome"]["nodes"][0]["state"]["x"], 5000) << r.dump();
  }
  EXPECT_EQ(j["records"], 3 * 5000) << out;
}

// The replay starts from each node's recorded initial state, not from the
// first 64 of the model's 216 initial states.
TEST_F(SimCode, ManyInitialChoicesConform) {
  int rc = 0;
  std::string out;
  json j = sim("tests/conform/many_choices.mom", conf({"R0", "R1", "R2"}),
               "1..30", "loss=0", rc, out);
  EXPECT_EQ(rc, 0) << out;
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["ok"], true) << out;
  std::set<int> sums; // the runs start in different states
  for (const auto &r : j["runs"])
    sums.insert(r["conform"]["records"].get<int>());
  EXPECT_GT(sums.size(), 2u) << out;
}

TEST_F(SimCode, TwoPhaseCommit100SeedsConformWithCrashedParticipant) {
  int rc = 0;
  std::string out;
  json j = sim("examples/two_phase_commit.mom", conf({"Co0", "P0", "P1", "P2"}),
               "1..100", std::string(kFaults) + ",crash=P1@10ms", rc, out);
  EXPECT_EQ(rc, 0) << out;
  expectAllConform(j, out);
}

// Seeds sample the program's initial choices (issue 16): each participant's
// `vote in {true, false}` is drawn from the seed, so over 60 seeds without
// faults the coordinator both commits (all three vote yes: 1 in 8) and
// aborts (every seed aborted before, since every node took element me % 2
// of its choices).
TEST_F(SimCode, SeedsSampleInitialChoices) {
  int rc = 0;
  std::string out;
  json j = sim("examples/two_phase_commit.mom", conf({"Co0", "P0", "P1", "P2"}),
               "1..60", "", rc, out);
  EXPECT_EQ(rc, 0) << out;
  ASSERT_TRUE(j.is_object()) << out;
  std::set<int> decisions;
  for (const auto &r : j["runs"])
    for (const auto &n : r["outcome"]["nodes"])
      if (n["node"] == "Co0")
        decisions.insert(n["state"]["decision"].get<int>());
  EXPECT_TRUE(decisions.count(1)) << "no run committed: " << out;
  EXPECT_TRUE(decisions.count(2)) << "no run aborted: " << out;
}

// The same for round processes, and for the values a transition fires with
// (issue 16): last_voting's `x in 0..V-1` is drawn from the seed, so over 40
// seeds without faults the processes decide 0 in some runs and 1 in others
// (every run decided 0 before: process p took p % 2, and the first
// coordinator, P0, proposes the smallest estimate it hears of). And
// primary_backup's client sends with both values of `Send(op: Op)` (it
// always sent op 0, the first value of the parameter's loop).
TEST_F(SimCode, SeedsSampleRoundChoicesAndTransitionParameters) {
  int rc = 0;
  std::string out;
  json j = sim("examples/last_voting.mom", conf({"P0", "P1", "P2"}), "1..40",
               "", rc, out, {"-D", "N=3"});
  EXPECT_EQ(rc, 0) << out;
  ASSERT_TRUE(j.is_object()) << out;
  std::set<std::string> decisions;
  for (const auto &r : j["runs"])
    for (const auto &n : r["outcome"]["nodes"])
      decisions.insert(n["state"]["decision"].dump());
  EXPECT_TRUE(decisions.count(R"({"$some":0})")) << "no run decided 0: " << out;
  EXPECT_TRUE(decisions.count(R"({"$some":1})")) << "no run decided 1: " << out;

  std::string trace = dir + "/pb-ops";
  j = sim("examples/primary_backup.mom", conf({"R0", "R1", "R2", "R3", "C0"}),
          "1..3", "", rc, out, {"--trace-dir", trace, "--requests", "6"});
  EXPECT_EQ(rc, 0) << out;
  std::set<std::string> ops;
  for (int seed = 1; seed <= 3; ++seed) {
    std::ifstream in(trace + "/seed-" + std::to_string(seed) + "/C0.jsonl");
    ASSERT_TRUE(in) << "no trace of C0 for seed " << seed << ": " << out;
    std::string line;
    while (std::getline(in, line)) {
      json rec = json::parse(line, nullptr, false);
      if (!rec.is_discarded() && rec.value("transition", "") == "Send")
        ops.insert(rec["binding"]["op"].dump());
    }
  }
  EXPECT_EQ(ops, (std::set<std::string>{"0", "1"})) << out;
}

TEST_F(SimCode, Pbft100SeedsWithAnEquivocatingByzantineReplicaKeepAgreement) {
  int rc = 0;
  std::string out;
  std::string c = conf({"R0", "R1", "R2", "R3"});
  // F = 1: the Byzantine R0 is the one fault the model allows (a crash of
  // another replica, which pbft_normal_case does not declare, is refused).
  json j = sim("examples/pbft_normal_case.mom", c, "1..100",
               std::string(kFaults) + ",byz=R0", rc, out);
  EXPECT_EQ(rc, 0) << out;
  expectAllConform(j, out, /*crash=*/false);
  EXPECT_GT(j["equivocations"].get<int>(), 50) << out;
  for (const auto &r : j["runs"]) {
    EXPECT_EQ(r["outcome"]["byzantine"], json::array({"R0"}));
    // The correct replicas that decided agree (also checked by the replay).
    std::set<std::string> decided;
    for (const auto &n : r["outcome"]["nodes"])
      if (n["byzantine"] == false && n["state"]["decided"].contains("$some"))
        decided.insert(n["state"]["decided"].dump());
    EXPECT_LE(decided.size(), 1u) << r.dump();
  }
}

// A crash only where the program declares one: in a round program a process
// that stops is a behaviour of the model only under a crash fault (a crash
// of one_third_rule's P1 replayed as a process frozen in its initial state,
// which its EstimatesAreInputs lemma reads, and failed once seeds drew the
// inputs; sim now refuses it).
TEST_F(SimCode, RoundPrograms100SeedsConform) {
  std::string c = conf({"P0", "P1", "P2"});
  int rc = 0;
  std::string out;
  for (const char *ex :
       {"examples/one_third_rule.mom", "examples/last_voting.mom"}) {
    json j = sim(ex, c, "1..100", kFaults, rc, out, {"-D", "N=3"});
    EXPECT_EQ(rc, 0) << ex << ": " << out;
    expectAllConform(j, out, /*crash=*/false);
  }
  // flood_min declares its crashes, and its rounds are synchronous (every
  // message of a process that has not crashed arrives): no loss.
  json j = sim("examples/flood_min.mom", c, "1..100",
               "dup=0.05,reorder,delay=1-20ms,crash=P1@30ms", rc, out);
  EXPECT_EQ(rc, 0) << out;
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["ok"], true) << out;
  EXPECT_EQ(j["runs_with_crash"], 100) << out;
  EXPECT_GT(j["duplicated"].get<int>(), 0) << out;
  sim("examples/one_third_rule.mom", c, "1..2", "crash=P1@30ms", rc, out);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("declares no crash fault over P1"), std::string::npos)
      << out;
}

TEST_F(SimCode, SeededBugsAreReported) {
  int rc = 0;
  std::string out;
  // F+1 quorums: the equivocating primary splits the correct replicas.
  sim("tests/bugs/pbft_normal_case_bug.mom", conf({"R0", "R1", "R2", "R3"}),
      "1..100", "byz=R0", rc, out);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("invariant Agreement violated after round"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("reproduce: "), std::string::npos) << out;
  // The coordinator commits on the first yes vote.
  sim("tests/bugs/two_phase_commit_bug.mom", conf({"Co0", "P0", "P1", "P2"}),
      "1..100", "loss=0.2,reorder,delay=1-60ms", rc, out);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("invariant CommitValidity violated: node Co0"),
            std::string::npos)
      << out;
  // The failing run's traces are kept (they were in a temporary directory),
  // and the two printed commands work: re-checking the traces finds the
  // same violation; the reproduce line writes the same traces again.
  auto lineAfter = [&](const std::string &label) {
    size_t at = out.find(label);
    if (at == std::string::npos)
      return std::string();
    at += label.size();
    return out.substr(at, out.find('\n', at) - at);
  };
  std::string kept = lineAfter("  traces: "),
              check = lineAfter("  check again: "),
              repro = lineAfter("  reproduce: ");
  ASSERT_NE(kept.find(" (kept)"), std::string::npos) << out;
  kept = kept.substr(0, kept.find(" (kept)"));
  EXPECT_TRUE(std::filesystem::exists(kept + "/Co0.jsonl")) << kept;
  std::string before = e2e::readFile(kept + "/Co0.jsonl");
  std::string again;
  EXPECT_EQ(runCapture({"/bin/bash", "-c",
                        "exec " + std::string(mommie()) +
                            check.substr(check.find(' '))},
                       dir, again),
            1)
      << check << "\n"
      << again;
  EXPECT_NE(again.find("CommitValidity"), std::string::npos) << again;
  EXPECT_EQ(runCapture({"/bin/bash", "-c", repro}, dir, again), 0)
      << repro << "\n"
      << again;
  EXPECT_EQ(e2e::readFile(kept + "/Co0.jsonl"), before)
      << "the reproduce line wrote other traces";
  std::filesystem::remove_all(std::filesystem::path(kept).parent_path());
}

TEST_F(SimCode, SameSeedSameTracesAndTamperedTracesDoNotConform) {
  std::string c = conf({"R0", "R1", "R2", "R3"});
  auto run = [&](const std::string &seed, const std::string &tdir) {
    std::string out;
    EXPECT_EQ(runCapture({mommie(), "sim", src("examples/pbft_normal_case.mom"),
                          "--deploy", c, "--seed", seed, "--faults",
                          std::string(kFaults) + ",byz=R3", "--cache", cache,
                          "--trace-dir", tdir},
                         dir, out, 300000),
              0)
        << out;
    std::string all;
    for (const char *n : {"R0", "R1", "R2"})
      all += e2e::readFile(tdir + "/seed-" + seed + "/" + n + ".jsonl");
    EXPECT_EQ(e2e::readFile(tdir + "/seed-" + seed + "/R3.jsonl"),
              ""); // Byzantine: no trace
    return all;
  };
  std::string a = run("5", dir + "/ta"), b = run("5", dir + "/tb"),
              d = run("6", dir + "/tc");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, d);
  // mommie conform replays the round traces; a forged mailbox entry is caught.
  std::string t = dir + "/ta/seed-5/";
  std::string out;
  std::vector<std::string> argv = {
      mommie(),       "conform",      src("examples/pbft_normal_case.mom"),
      "--invariants", "--byzantine",  "R3",
      t + "R0.jsonl", t + "R1.jsonl", t + "R2.jsonl"};
  EXPECT_EQ(runCapture(argv, dir, out), 0) << out;
  auto recs = readJsonl(t + "R1.jsonl");
  ASSERT_GE(recs.size(), 2u);
  // A correct sender's payload in a record after the first (whose initial
  // state is already pinned by the earlier records), changed.
  size_t at = 1, k = 0;
  for (; at < recs.size(); ++at) {
    auto &d = recs[at]["delivered"];
    for (k = 0; k < d.size() && d[k]["from"] == "R3"; ++k) {
    }
    if (k < d.size())
      break;
  }
  ASSERT_LT(at, recs.size());
  auto &entry = recs[at]["delivered"][k];
  entry["payload"] = 1 - entry["payload"].get<int>();
  writeJsonl(t + "R1.jsonl", recs);
  EXPECT_EQ(runCapture(argv, dir, out), 1) << out;
  EXPECT_NE(out.find("node R1 step " + std::to_string(at) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("mailbox holds"), std::string::npos) << out;
}

TEST_F(SimCode, BadInputIsExit2) {
  std::string c = conf(kNodes), out;
  for (const char *f : {"loss=2", "delay=5-1ms", "crash=R0", "crash=X9@1s",
                        "bogus", "byz=R0"}) {
    EXPECT_EQ(runCapture({mommie(), "sim", src("examples/primary_backup.mom"),
                          "--deploy", c, "--faults", f, "--cache", cache},
                         dir, out, 300000),
              2)
        << f << ": " << out;
  }
  EXPECT_EQ(runCapture({mommie(), "sim", src("examples/primary_backup.mom"),
                        "--deploy", c, "--seeds", "5..1", "--cache", cache},
                       dir, out),
            2)
      << out;
}

} // namespace
