// Retargeting: one build of examples/primary_backup.mom (NumReq=200) runs
// end to end on loopback under four deploy files — all PLAINTEXT; HMAC
// everywhere; ED25519 everywhere; HMAC between replicas + ED25519 from
// clients + BATCH(64, 1ms) from replicas + OPTIMISTIC(PRIMARY) from the
// client — with keys from
// `mommie keygen`. The client-observable result (its final state) is the
// same under all four, every reply is the service's result, nothing is
// rejected, and the crypto counters show the module actually used.
#include "../e2e/E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using nlohmann::json;

namespace {

constexpr int NumReq = 200;
const std::vector<std::string> Names = {"R0", "R1", "R2", "R3", "C0"};

struct Env {
  static std::string dir, bin;
  static void buildOnce() {
    if (!bin.empty())
      return;
    const char *mommie = std::getenv("MOMMIE");
    ASSERT_NE(mommie, nullptr);
    dir = e2e::tempDir("retarget");
    ASSERT_FALSE(dir.empty());
    std::ofstream(dir + "/build.conf") << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n"
                                          "R2 = 127.0.0.1:3\nR3 = 127.0.0.1:4\nC0 = 127.0.0.1:5\n";
    int rc = e2e::run({mommie, "build", std::string(MOMMIE_SOURCE_DIR) + "/examples/primary_backup.mom",
                       "-D", "NumReq=" + std::to_string(NumReq), "--deploy", dir + "/build.conf",
                       "-o", dir + "/pb"},
                      dir, 240000);
    ASSERT_EQ(rc, 0) << e2e::readFile(dir + "/run.err");
    bin = dir + "/pb";
  }
};
std::string Env::dir, Env::bin;

struct ClusterRun {
  json client;
  std::vector<json> replicas;
};

// Runs the cluster under `rules`; the hosts get fresh ports.
ClusterRun runWith(const std::string &tag, const std::string &rules) {
  ClusterRun out;
  const char *mommie = std::getenv("MOMMIE");
  std::string run = e2e::tempDir("retarget-" + tag);
  auto ports = e2e::freePorts(Names.size());
  {
    std::ofstream conf(run + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < Names.size(); ++i)
      conf << Names[i] << " = 127.0.0.1:" << ports[i] << "\n";
    conf << rules;
  }
  int krc = e2e::run({mommie, "keygen", run + "/deploy.conf", "-o", run + "/keys"}, run, 30000);
  EXPECT_EQ(krc, 0) << e2e::readFile(run + "/run.err");
  auto start = [&](const std::string &id, std::vector<std::string> extra) {
    std::vector<std::string> argv = {Env::bin, "--id", id, "--deploy", run + "/deploy.conf",
                                     "--keys", run + "/keys", "--stats", run + "/" + id + ".stats"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return e2e::spawn(argv, run + "/" + id + ".out", run + "/" + id + ".log");
  };
  std::vector<pid_t> pids;
  for (int r = 0; r < 4; ++r)
    pids.push_back(start(Names[size_t(r)], {"--run-for", "60000", "--exit-when-quiescent", "2500"}));
  pid_t client = start("C0", {"--exit-when-quiescent", "1500", "--run-for", "60000"});
  EXPECT_EQ(e2e::waitFor(client, 70000), 0) << e2e::readFile(run + "/C0.log");
  for (pid_t p : pids)
    EXPECT_EQ(e2e::waitFor(p, 70000), 0);
  out.client = json::parse(e2e::readFile(run + "/C0.out"), nullptr, false);
  for (int r = 0; r < 4; ++r)
    out.replicas.push_back(json::parse(e2e::readFile(run + "/" + Names[size_t(r)] + ".out"), nullptr, false));
  // --stats writes the same counters as the outcome line.
  json st = json::parse(e2e::readFile(run + "/R1.stats"), nullptr, false);
  EXPECT_FALSE(st.is_discarded());
  if (!out.replicas[1].is_discarded()) {
    EXPECT_EQ(st, out.replicas[1]["stats"]);
  }
  std::filesystem::remove_all(run);
  return out;
}

void checkRun(const ClusterRun &r, const std::string &tag) {
  ASSERT_FALSE(r.client.is_discarded()) << tag;
  EXPECT_FALSE(r.client["failed"].get<bool>()) << tag;
  EXPECT_EQ(r.client["state"]["next"], NumReq) << tag;
  const auto &acc = r.client["state"]["accepted"]["$map"];
  ASSERT_EQ(acc.size(), size_t(NumReq)) << tag;
  for (const auto &kv : acc) {
    const auto &reply = kv[1]["$some"];
    int id = reply["req"]["id"], op = reply["req"]["op"];
    EXPECT_EQ(reply["res"].get<int>(), (2 * op + id) % 4) << tag << " request " << id;
  }
  for (const auto &rep : r.replicas) {
    ASSERT_FALSE(rep.is_discarded()) << tag;
    EXPECT_EQ(rep["rejected"], 0) << tag << " " << rep["node"];
  }
  EXPECT_EQ(r.client["rejected"], 0) << tag;
}

class Retarget : public ::testing::Test {
protected:
  static void SetUpTestSuite() { Env::buildOnce(); }
  void SetUp() override {
    if (Env::bin.empty())
      GTEST_SKIP() << "build failed";
  }
};

} // namespace

TEST_F(Retarget, SameClientResultsUnderFourConfigurations) {
  ClusterRun plain = runWith("plain", "[Authentication]\n* <-> * : PLAINTEXT\n");
  ClusterRun hmac = runWith("hmac", "[Authentication]\n* <-> * : HMAC_SHA256\n");
  ClusterRun ed = runWith("ed", "[Authentication]\n* <-> * : ED25519\n");
  ClusterRun mixed = runWith("mixed", "[Authentication]\nR* <-> R* : HMAC_SHA256\nC* <-> R* : ED25519\n"
                               "[Dissemination]\nC* -> R* : OPTIMISTIC(PRIMARY) 20ms\n"
                               "R* -> * : BATCH(64, 1ms)\n");
  checkRun(plain, "plain");
  checkRun(hmac, "hmac");
  checkRun(ed, "ed");
  checkRun(mixed, "mixed");
  EXPECT_EQ(plain.client["state"], hmac.client["state"]);
  EXPECT_EQ(plain.client["state"], ed.client["state"]);
  EXPECT_EQ(plain.client["state"], mixed.client["state"]);
  // The modules really ran: per replica R1 (a backup), per request it
  // verifies one Order from R0 and one Request from C0 and sends one Reply.
  auto crypto = [](const ClusterRun &r, int i) { return r.replicas[size_t(i)]["stats"]["crypto"]; };
  EXPECT_EQ(crypto(plain, 1)["macs"], 0);
  EXPECT_EQ(crypto(plain, 1)["signs"], 0);
  EXPECT_EQ(crypto(hmac, 1)["macs"], NumReq);         // replies
  EXPECT_EQ(crypto(hmac, 1)["mac_verifies"], 2 * NumReq); // orders + requests
  EXPECT_EQ(crypto(hmac, 1)["signs"], 0);
  EXPECT_EQ(crypto(ed, 1)["signs"], NumReq);
  EXPECT_EQ(crypto(ed, 1)["sig_verifies"], 2 * NumReq);
  // Mixed: orders (HMAC) and replies (ED25519) from replicas travel in
  // BATCH frames, one MAC or signature per frame; requests are signed.
  auto between = [](const json &v, int lo, int hi) {
    return v.get<int>() >= lo && v.get<int>() <= hi;
  };
  EXPECT_TRUE(between(crypto(mixed, 1)["mac_verifies"], 1, NumReq)) << crypto(mixed, 1);
  // Requests: OPTIMISTIC(PRIMARY) — the client signs each once and R0
  // relays the signed frame; a request without progress within 20 ms is
  // sent again to everyone (the fallback), so a backup verifies it once or twice.
  EXPECT_EQ(mixed.client["stats"]["crypto"]["signs"], NumReq) << mixed.client["stats"];
  EXPECT_EQ(mixed.replicas[0]["stats"]["dissemination"]["relayed"], 3 * NumReq);
  EXPECT_TRUE(between(crypto(mixed, 1)["sig_verifies"], NumReq, 2 * NumReq)) << crypto(mixed, 1);
  EXPECT_TRUE(between(crypto(mixed, 1)["signs"], 1, NumReq)) << crypto(mixed, 1);
  EXPECT_TRUE(between(crypto(mixed, 0)["macs"], 1, 3 * NumReq)) << crypto(mixed, 0);
  EXPECT_EQ(mixed.replicas[0]["stats"]["batches"].get<int>(),
            crypto(mixed, 0)["macs"].get<int>() + crypto(mixed, 0)["signs"].get<int>());
  EXPECT_EQ(crypto(hmac, 0)["macs"], 4 * NumReq); // orders to 3 backups, replies
}

TEST_F(Retarget, NodeRefusesToStartWithoutTheKeysItNeeds) {
  const char *mommie = std::getenv("MOMMIE");
  std::string run = e2e::tempDir("retarget-keys");
  auto ports = e2e::freePorts(Names.size());
  {
    std::ofstream conf(run + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < Names.size(); ++i)
      conf << Names[i] << " = 127.0.0.1:" << ports[i] << "\n";
    conf << "[Authentication]\n* <-> * : HMAC_SHA256\n";
  }
  auto node = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {Env::bin, "--id", "R1", "--deploy", run + "/deploy.conf",
                                     "--run-for", "100"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return e2e::run(argv, run, 10000);
  };
  EXPECT_EQ(node({}), 2);
  EXPECT_NE(e2e::readFile(run + "/run.err").find("give --keys KEYDIR"), std::string::npos);
  ASSERT_EQ(e2e::run({mommie, "keygen", run + "/deploy.conf", "-o", run + "/keys"}, run, 30000), 0);
  EXPECT_EQ(node({"--keys", run + "/keys"}), 0) << e2e::readFile(run + "/run.err");
  chmod((run + "/keys/R1.key").c_str(), 0644);
  EXPECT_EQ(node({"--keys", run + "/keys"}), 2);
  EXPECT_NE(e2e::readFile(run + "/run.err").find("readable by others"), std::string::npos);
  // Keys made for another configuration (no HMAC key with R0).
  chmod((run + "/keys/R1.key").c_str(), 0600);
  std::ofstream(run + "/other.conf") << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n";
  ASSERT_EQ(e2e::run({mommie, "keygen", run + "/other.conf", "-o", run + "/k2"}, run, 30000), 0);
  EXPECT_EQ(node({"--keys", run + "/k2"}), 2);
  EXPECT_NE(e2e::readFile(run + "/run.err").find("no HMAC_SHA256 key shared with R0"),
            std::string::npos)
      << e2e::readFile(run + "/run.err");
  std::filesystem::remove_all(run);
}
