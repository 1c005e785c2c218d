// Retargeting to TTP(z): examples/primary_backup.mom (NumReq=60), built
// once with a deploy file that names the trusted third party T0, runs on
// loopback with a T0 process (the same binary, `--id T0`) under
//   [Authentication]    * <-> * : HMAC_SHA256,  R* -> * : TTP(T0)
//   [Non-repudiation]   R* -> * : TTP(T0)
// and under all PLAINTEXT. The client's final state is the same, every
// reply is the service's, nothing is rejected, the TTP traces conform to
// the model (`mommie conform`), and the crypto counters are TTP's: each
// replica MACs one request to T0 per statement and signs nothing, T0
// verifies each request's MAC and signs each statement once, and every
// verifier checks T0's signature once per statement it receives. Also:
// hostile frames sent to T0 and R1 on the wire are rejected and counted in
// --stats while the cluster serves every request; `BIN --sim` simulates T0.
#include "runtime/auth/Auth.h"
#include "runtime/net/Transport.h"

#include "../e2e/E2eUtil.h"
#include "../e2e/PbResults.h"
#include "../runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

using nlohmann::json;

namespace {

constexpr int NumReq = 60;
const std::vector<std::string> Names = {"R0", "R1", "R2", "R3", "C0"};
const std::string TtpRules =
    "[Authentication]\n* <-> * : HMAC_SHA256\nR* -> * : TTP(T0)\n"
    "[Non-repudiation]\nR* -> * : TTP(T0)\n";

std::string Dir, Bin;

struct TtpRun {
  std::string dir;
  json client, ttp;
  std::vector<json> replicas;
};

// Called once the servers run, before the client starts: dir, ports
// (R0..R3, C0, T0).
using Hook = std::function<void(const std::string &, const std::vector<int> &)>;

// Runs the four replicas, the client and (if `withTtp`) T0 under `rules`.
TtpRun runWith(const std::string &tag, const std::string &rules, bool withTtp,
               const Hook &beforeClient = nullptr) {
  TtpRun out;
  const char *mommie = std::getenv("MOMMIE");
  out.dir = e2e::tempDir("retarget-ttp-" + tag);
  auto ports = e2e::freePorts(Names.size() + 1);
  {
    std::ofstream conf(out.dir + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < Names.size(); ++i)
      conf << Names[i] << " = 127.0.0.1:" << ports[i] << "\n";
    if (withTtp)
      conf << "T0 = 127.0.0.1:" << ports.back() << "\n";
    conf << rules;
  }
  int krc = e2e::run(
      {mommie, "keygen", out.dir + "/deploy.conf", "-o", out.dir + "/keys"},
      out.dir, 30000);
  EXPECT_EQ(krc, 0) << e2e::readFile(out.dir + "/run.err");
  auto start = [&](const std::string &id, std::vector<std::string> extra) {
    std::vector<std::string> argv = {Bin,
                                     "--id",
                                     id,
                                     "--deploy",
                                     out.dir + "/deploy.conf",
                                     "--keys",
                                     out.dir + "/keys",
                                     "--stats",
                                     out.dir + "/" + id + ".stats"};
    if (id != "T0")
      argv.insert(argv.end(), {"--trace", out.dir + "/" + id + ".jsonl"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return e2e::spawn(argv, out.dir + "/" + id + ".out",
                      out.dir + "/" + id + ".log");
  };
  pid_t ttp =
      withTtp
          ? start("T0", {"--run-for", "60000", "--exit-when-quiescent", "4000"})
          : 0;
  std::vector<pid_t> pids;
  for (int r = 0; r < 4; ++r)
    pids.push_back(start(Names[size_t(r)], {"--run-for", "60000",
                                            "--exit-when-quiescent", "2500"}));
  if (beforeClient)
    beforeClient(out.dir, ports);
  pid_t client =
      start("C0", {"--requests", std::to_string(NumReq), "--concurrency",
                   std::to_string(NumReq), "--json", "--run-for", "60000"});
  EXPECT_EQ(e2e::waitFor(client, 70000), 0)
      << e2e::readFile(out.dir + "/C0.log");
  for (pid_t p : pids)
    EXPECT_EQ(e2e::waitFor(p, 70000), 0);
  if (withTtp) {
    EXPECT_EQ(e2e::waitFor(ttp, 70000), 0)
        << e2e::readFile(out.dir + "/T0.log");
    out.ttp = json::parse(e2e::readFile(out.dir + "/T0.out"), nullptr, false);
  }
  out.client = json::parse(e2e::readFile(out.dir + "/C0.out"), nullptr, false);
  for (int r = 0; r < 4; ++r)
    out.replicas.push_back(
        json::parse(e2e::readFile(out.dir + "/" + Names[size_t(r)] + ".out"),
                    nullptr, false));
  return out;
}

void checkRun(const TtpRun &r, const std::string &tag) {
  ASSERT_FALSE(r.client.is_discarded()) << tag;
  EXPECT_FALSE(r.client["failed"].get<bool>()) << tag;
  EXPECT_EQ(r.client["state"]["next"], NumReq) << tag;
  EXPECT_EQ(e2e::pbResults(r.dir + "/C0.jsonl", NumReq), "") << tag;
  for (const auto &rep : r.replicas) {
    ASSERT_FALSE(rep.is_discarded()) << tag;
    EXPECT_EQ(rep["rejected"], 0) << tag << " " << rep["node"];
  }
  EXPECT_EQ(r.client["rejected"], 0) << tag;
}

// A connection to `port` (retried while the node starts) that says it is
// principal `as`; -1 if none within 5 s.
int connectAs(int port, int as) {
  for (int i = 0; i < 250; ++i) {
    int fd = rt_test::dial(uint16_t(port));
    if (fd >= 0) {
      auto sendFrame = [fd](const std::vector<uint8_t> &payload) {
        mommie::rt::Writer w;
        w.u32be(uint32_t(payload.size()));
        w.bytes(payload.data(), payload.size());
        ::send(fd, w.buffer().data(), w.buffer().size(), MSG_NOSIGNAL);
      };
      sendFrame(mommie::rt::Transport::helloPayload(as));
      return fd;
    }
    usleep(20000);
  }
  return -1;
}

void sendFrames(int fd, const std::vector<std::vector<uint8_t>> &frames) {
  for (const auto &f : frames) {
    mommie::rt::Writer w;
    w.u32be(uint32_t(f.size()));
    w.bytes(f.data(), f.size());
    ::send(fd, w.buffer().data(), w.buffer().size(), MSG_NOSIGNAL);
  }
}

} // namespace

class RetargetTtp : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    const char *mommie = std::getenv("MOMMIE");
    ASSERT_NE(mommie, nullptr);
    Dir = e2e::tempDir("retarget-ttp");
    // The build-time check accepts TTP(T0) (T0 is a host, not a principal).
    std::ofstream(Dir + "/build.conf")
        << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n"
           "R2 = 127.0.0.1:3\nR3 = 127.0.0.1:4\nC0 = 127.0.0.1:5\n"
           "T0 = 127.0.0.1:6\n"
        << TtpRules;
    int rc = e2e::run(
        {mommie, "build",
         std::string(MOMMIE_SOURCE_DIR) + "/examples/primary_backup.mom", "-D",
         "NumReq=" + std::to_string(NumReq), "--deploy", Dir + "/build.conf",
         "-o", Dir + "/pb"},
        Dir, 240000);
    ASSERT_EQ(rc, 0) << e2e::readFile(Dir + "/run.err");
    Bin = Dir + "/pb";
  }
  static void TearDownTestSuite() {
    if (!Dir.empty())
      std::filesystem::remove_all(Dir);
  }
  void SetUp() override {
    if (Bin.empty())
      GTEST_SKIP() << "build failed";
  }
};

TEST_F(RetargetTtp, SameClientResultsAsPlaintextAndConformingTraces) {
  const char *mommie = std::getenv("MOMMIE");
  TtpRun plain =
      runWith("plain", "[Authentication]\n* <-> * : PLAINTEXT\n", false);
  TtpRun ttp = runWith("ttp", TtpRules, true);
  checkRun(plain, "plain");
  checkRun(ttp, "ttp");
  EXPECT_EQ(plain.client["state"], ttp.client["state"]);

  ASSERT_FALSE(ttp.ttp.is_discarded()) << e2e::readFile(ttp.dir + "/T0.out");
  EXPECT_EQ(ttp.ttp["role"], "TTP");
  EXPECT_EQ(ttp.ttp["rejected"], 0);
  // --stats writes the same object as the outcome line.
  EXPECT_EQ(json::parse(e2e::readFile(ttp.dir + "/T0.stats"), nullptr, false),
            ttp.ttp["stats"]);
  const json &z = ttp.ttp["stats"]["ttp"], &zc = ttp.ttp["stats"]["crypto"];
  // Statements through T0: one Order per request (R0 -> R1..R3) and one
  // Reply per request from each replica.
  EXPECT_EQ(z["countersigned"], 5 * NumReq) << z;
  EXPECT_EQ(z["relayed"], 3 * NumReq + 4 * NumReq) << z;
  EXPECT_EQ(zc["signs"], z["countersigned"]) << zc; // once per statement
  EXPECT_EQ(zc["mac_verifies"], z["countersigned"]) << zc;
  auto crypto = [&](int i) {
    return ttp.replicas[size_t(i)]["stats"]["crypto"];
  };
  int relayedChecked = 0;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(crypto(i)["signs"], 0) << i;             // only z signs
    EXPECT_EQ(crypto(i)["mac_verifies"], NumReq) << i; // requests, HMAC from C0
    relayedChecked += crypto(i)["sig_verifies"].get<int>();
  }
  EXPECT_EQ(crypto(0)["macs"],
            2 * NumReq);                // an Order and a Reply request to T0
  EXPECT_EQ(crypto(1)["macs"], NumReq); // a Reply request to T0
  EXPECT_EQ(crypto(1)["sig_verifies"], NumReq); // Orders countersigned by T0
  const json &cc = ttp.client["stats"]["crypto"];
  EXPECT_EQ(cc["macs"], 4 * NumReq);         // requests to the four replicas
  EXPECT_EQ(cc["sig_verifies"], 4 * NumReq); // replies countersigned by T0
  EXPECT_EQ(relayedChecked + cc["sig_verifies"].get<int>(),
            z["relayed"].get<int>());

  // The traces are behaviours of the model.
  std::vector<std::string> argv = {mommie, "conform",
                                   std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/primary_backup.mom",
                                   "-D", "NumReq=" + std::to_string(NumReq)};
  for (const auto &n : Names)
    argv.push_back(ttp.dir + "/" + n + ".jsonl");
  EXPECT_EQ(e2e::run(argv, ttp.dir, 300000), 0)
      << e2e::readFile(ttp.dir + "/run.out")
      << e2e::readFile(ttp.dir + "/run.err");
  for (const auto *r : {&plain, &ttp})
    std::filesystem::remove_all(r->dir);
}

// Hostile frames on the wire while the cluster runs: to T0, a request with
// a forged MAC (a key that is not R0's), a request of R1's statement on
// R0's connection, garbage; to R1, a countersignature by an impostor key
// and a countersigned statement deploy.conf gives HMAC (C0's). All are
// rejected and counted in --stats by reason, and the cluster still serves
// every request right.
TEST_F(RetargetTtp, HostileFramesAreCountedAndTheClusterKeepsServing) {
  using namespace mommie::rt;
  auto inject = [](const std::string &dir, const std::vector<int> &ports) {
    DeployConfig conf;
    std::vector<DeployError> errors;
    ASSERT_TRUE(loadDeployFile(dir + "/deploy.conf", conf, errors));
    const std::vector<std::string> names = {"R0", "R1", "R2", "R3", "C0"};
    std::string err;
    KeyStore r1;
    ASSERT_TRUE(KeyStore::load(dir + "/keys", "R1", r1, err)) << err;
    KeyStore forged = r1;
    forged.principal = "R0";
    forged.hmac["T0"] = crypto::newHmacKey();
    KeyStore impostor;
    impostor.principal = "T0";
    crypto::EdPublic pk;
    crypto::EdSecret sk;
    crypto::newEdKeyPair(pk, sk);
    impostor.edSecret = sk;
    Authenticator fakeR0(conf, names, 0, forged), realR1(conf, names, 1, r1),
        fakeT0(conf, names, 5, impostor);
    auto stmt = [](int issuer, int verifier) {
      return Statement{issuer, Value::set({Value::principal(verifier)}),
                       Value::set({}), Value::record(0, {Value::integer(1)})};
    };
    int t0 = connectAs(ports[5], 0), atR1 = connectAs(ports[1], 0);
    ASSERT_GE(t0, 0);
    ASSERT_GE(atR1, 0);
    sendFrames(t0, {fakeR0.sealTtpRequest(stmt(0, 1), 5),
                    realR1.sealTtpRequest(stmt(1, 2), 5),
                    {9, 4, 0xff}});
    sendFrames(atR1, {fakeT0.sealCountersigned(stmt(0, 1)),
                      fakeT0.sealCountersigned(stmt(4, 1))});
    usleep(300000); // let them be read before the connections close
    close(t0);
    close(atR1);
  };
  TtpRun r = runWith("hostile", TtpRules, true, inject);
  ASSERT_FALSE(r.client.is_discarded());
  EXPECT_EQ(r.client["state"]["next"], NumReq);
  EXPECT_EQ(e2e::pbResults(r.dir + "/C0.jsonl", NumReq), "");
  EXPECT_EQ(r.client["rejected"], 0);
  ASSERT_FALSE(r.ttp.is_discarded());
  const json &zr = r.ttp["stats"]["rejects"];
  EXPECT_EQ(zr["bad_mac"], 1) << zr;
  EXPECT_EQ(zr["wrong_issuer"], 1) << zr;
  EXPECT_EQ(zr["bad_frame"], 1) << zr;
  EXPECT_EQ(r.ttp["rejected"], 3);
  EXPECT_EQ(r.ttp["stats"]["ttp"]["countersigned"],
            5 * NumReq); // nothing forged was signed
  ASSERT_FALSE(r.replicas[1].is_discarded());
  const json &rr = r.replicas[1]["stats"]["rejects"];
  EXPECT_EQ(rr["bad_signature"], 1) << rr;
  EXPECT_EQ(rr["wrong_module"], 1) << rr;
  EXPECT_EQ(r.replicas[1]["rejected"], 2);
  EXPECT_EQ(json::parse(e2e::readFile(r.dir + "/R1.stats"), nullptr,
                        false)["rejects"],
            rr);
  std::filesystem::remove_all(r.dir);
}

// `BIN --sim` simulates T0 too: same client state, T0 countersigns every
// Order and Reply once.
TEST_F(RetargetTtp, SimulatorRunsTheTrustedThirdParty) {
  std::string run = e2e::tempDir("retarget-ttp-sim");
  std::ofstream(run + "/deploy.conf")
      << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n"
         "R2 = 127.0.0.1:3\nR3 = 127.0.0.1:4\nC0 = 127.0.0.1:5\n"
         "T0 = 127.0.0.1:6\n"
      << TtpRules;
  int rc =
      e2e::run({Bin, "--sim", "--deploy", run + "/deploy.conf", "--seed", "7",
                "--requests", std::to_string(NumReq), "--trace-dir", run},
               run, 120000);
  ASSERT_EQ(rc, 0) << e2e::readFile(run + "/run.err");
  json out = json::parse(e2e::readFile(run + "/run.out"), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << e2e::readFile(run + "/run.out");
  json client;
  for (const auto &n : out["nodes"]) {
    EXPECT_EQ(n["rejected"], 0) << n["node"];
    if (n["node"] == "C0")
      client = n;
  }
  ASSERT_TRUE(client.is_object());
  EXPECT_EQ(client["state"]["next"], NumReq);
  EXPECT_EQ(e2e::pbResults(run + "/C0.jsonl", NumReq), "");
  ASSERT_EQ(out["ttps"].size(), 1u) << out;
  EXPECT_EQ(out["ttps"][0]["node"], "T0");
  EXPECT_EQ(out["ttps"][0]["stats"]["countersigned"], 5 * NumReq);
  EXPECT_EQ(out["ttps"][0]["stats"]["rejected"], 0);
  std::filesystem::remove_all(run);
}
