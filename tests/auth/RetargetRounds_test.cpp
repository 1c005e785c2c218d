// Retargeting a round program: one build of examples/pbft_normal_case.mom
// (F = 1: R0..R3) runs end to end on loopback under four deploy files — all
// PLAINTEXT, HMAC_SHA256 everywhere, ED25519 everywhere, and HMAC with the
// primary's frames signed — with keys from `mommie keygen`. Every replica
// decides the primary's proposal (0), nothing is rejected, and the crypto
// counters equal the frames each replica sent and received under its
// module. A node refuses to start with keyed modules and no --keys.
//
// The program's rounds time out after 50 ms; a replica whose process
// starts late may legitimately miss the pre-prepare (lock step allows the
// loss). So a configuration is run up to three times until all four
// replicas decide; every run must satisfy agreement, validity and the
// counter checks.
#include "../e2e/E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

const std::vector<std::string> Names = {"R0", "R1", "R2", "R3"};

std::string buildPbft() {
  static std::string bin;
  if (!bin.empty())
    return bin;
  const char *mommie = std::getenv("MOMMIE");
  EXPECT_NE(mommie, nullptr);
  if (!mommie)
    return "";
  std::string dir = e2e::tempDir("retarget-pbft");
  std::ofstream(dir + "/build.conf")
      << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n"
         "R2 = 127.0.0.1:3\nR3 = 127.0.0.1:4\n";
  int rc = e2e::run(
      {mommie, "build",
       std::string(MOMMIE_SOURCE_DIR) + "/examples/pbft_normal_case.mom",
       "--deploy", dir + "/build.conf", "-o", dir + "/pbft"},
      dir, 240000);
  EXPECT_EQ(rc, 0) << e2e::readFile(dir + "/run.err");
  if (rc == 0)
    bin = dir + "/pbft";
  return bin;
}

std::string writeConf(const std::string &dir, const std::string &rules) {
  auto ports = e2e::freePorts(Names.size());
  std::ofstream conf(dir + "/deploy.conf");
  conf << "[Hosts]\n";
  for (size_t i = 0; i < Names.size(); ++i)
    conf << Names[i] << " = 127.0.0.1:" << ports[i] << "\n";
  conf << rules;
  return dir + "/deploy.conf";
}

// One run; the replicas' outcome lines (discarded json if missing).
std::vector<json> runOnce(const std::string &bin, const std::string &tag,
                          const std::string &rules) {
  const char *mommie = std::getenv("MOMMIE");
  std::string run = e2e::tempDir("retarget-pbft-" + tag);
  std::string conf = writeConf(run, rules);
  EXPECT_EQ(e2e::run({mommie, "keygen", conf, "-o", run + "/keys"}, run, 30000),
            0)
      << e2e::readFile(run + "/run.err");
  std::vector<pid_t> pids;
  for (const auto &n : Names)
    pids.push_back(
        e2e::spawn({bin, "--id", n, "--deploy", conf, "--keys", run + "/keys",
                    "--stats", run + "/" + n + ".stats", "--start-delay", "500",
                    "--linger", "400", "--phases", "1", "--run-for", "20000"},
                   run + "/" + n + ".out", run + "/" + n + ".log"));
  std::vector<json> out;
  for (size_t i = 0; i < Names.size(); ++i) {
    EXPECT_EQ(e2e::waitFor(pids[i], 25000), 0)
        << tag << " " << Names[i] << ": "
        << e2e::readFile(run + "/" + Names[i] + ".log");
    json o = json::parse(e2e::readFile(run + "/" + Names[i] + ".out"), nullptr,
                         false);
    json st = json::parse(e2e::readFile(run + "/" + Names[i] + ".stats"),
                          nullptr, false);
    if (!o.is_discarded()) {
      EXPECT_EQ(st, o["stats"])
          << tag << " " << Names[i] << ": --stats and the outcome line differ";
    }
    out.push_back(o);
  }
  std::filesystem::remove_all(run);
  return out;
}

enum class Kind { Plain, Hmac, Ed, PrimarySigned };

// Checks one run; true if every replica decided.
bool checkRun(const std::vector<json> &rs, Kind kind, const std::string &tag) {
  bool all = true;
  for (size_t i = 0; i < rs.size(); ++i) {
    const json &o = rs[i];
    std::string who = tag + " " + Names[i];
    EXPECT_FALSE(o.is_discarded()) << who;
    if (o.is_discarded())
      return false;
    EXPECT_EQ(o["failed"], false) << who;
    EXPECT_EQ(o["done"], true) << who;
    EXPECT_EQ(o["rejected"], 0) << who << " " << o.dump();
    EXPECT_EQ(o["stats"]["unsent"], 0) << who;
    // Validity with a correct primary: only its proposal (element 0 of 0..1).
    const json &d = o["state"]["decided"];
    EXPECT_TRUE(d == json({{"$some", 0}}) || d == json({{"$none", true}}))
        << who << " " << o.dump();
    all = all && d == json({{"$some", 0}});
    const json &c = o["stats"]["crypto"];
    int out = o["frames_out"], in = o["frames_in"];
    EXPECT_GT(out, 0) << who;
    int macs = c["macs"], macv = c["mac_verifies"], signs = c["signs"],
        sigv = c["sig_verifies"];
    switch (kind) {
    case Kind::Plain:
      EXPECT_EQ(macs + macv + signs + sigv, 0) << who << " " << c;
      break;
    case Kind::Hmac:
      EXPECT_EQ(macs, out) << who << " " << c;
      EXPECT_EQ(macv, in) << who << " " << c;
      EXPECT_EQ(signs + sigv, 0) << who << " " << c;
      break;
    case Kind::Ed:
      EXPECT_EQ(signs, out) << who << " " << c;
      EXPECT_EQ(sigv, in) << who << " " << c;
      EXPECT_EQ(macs + macv, 0) << who << " " << c;
      break;
    case Kind::PrimarySigned:
      if (i == 0) {
        EXPECT_EQ(signs, out) << who << " " << c;
        EXPECT_EQ(macs, 0) << who << " " << c;
        EXPECT_EQ(macv, in) << who << " " << c;
      } else {
        EXPECT_EQ(macs, out) << who << " " << c;
        EXPECT_EQ(signs, 0) << who << " " << c;
        EXPECT_EQ(macv + sigv, in) << who << " " << c;
        if (d == json({{"$some", 0}})) {
          EXPECT_GE(sigv, 1)
              << who << " decided without the primary's signed pre-prepare";
        }
      }
      break;
    }
  }
  return all;
}

} // namespace

TEST(RetargetRounds, PbftNormalCaseDecidesUnderFourConfigurations) {
  std::string bin = buildPbft();
  ASSERT_FALSE(bin.empty());
  struct Config {
    std::string tag, rules;
    Kind kind;
  };
  std::vector<Config> configs = {
      {"plain", "[Authentication]\n* <-> * : PLAINTEXT\n", Kind::Plain},
      {"hmac", "[Authentication]\n* <-> * : HMAC_SHA256\n", Kind::Hmac},
      {"ed", "[Authentication]\n* <-> * : ED25519\n", Kind::Ed},
      {"mixed", "[Authentication]\n* <-> * : HMAC_SHA256\nR0 -> * : ED25519\n",
       Kind::PrimarySigned},
  };
  for (const auto &c : configs) {
    bool decided = false;
    for (int attempt = 0; attempt < 3 && !decided; ++attempt)
      decided = checkRun(runOnce(bin, c.tag, c.rules), c.kind, c.tag);
    EXPECT_TRUE(decided) << c.tag
                         << ": in three runs, never all four replicas decided";
  }
}

TEST(RetargetRounds,
     RoundNodeRefusesKeyedModulesWithoutKeysAndUnimplementedModules) {
  std::string bin = buildPbft();
  ASSERT_FALSE(bin.empty());
  std::string run = e2e::tempDir("retarget-pbft-refuse");
  std::string conf =
      writeConf(run, "[Authentication]\n* <-> * : HMAC_SHA256\n");
  EXPECT_EQ(e2e::run({bin, "--id", "R1", "--deploy", conf, "--run-for", "100"},
                     run, 10000),
            2);
  EXPECT_NE(e2e::readFile(run + "/run.err").find("give --keys KEYDIR"),
            std::string::npos)
      << e2e::readFile(run + "/run.err");
  std::string rsa = writeConf(run, "[Authentication]\n* <-> * : RSA\n");
  EXPECT_EQ(e2e::run({bin, "--id", "R1", "--deploy", rsa, "--run-for", "100"},
                     run, 10000),
            2);
  EXPECT_NE(
      e2e::readFile(run + "/run.err").find("module RSA is not implemented"),
      std::string::npos)
      << e2e::readFile(run + "/run.err");
  // Round messages are not statements: no trusted third party carries them.
  std::string ttp = writeConf(run, "[Authentication]\n* <-> * : TTP(T0)\n");
  EXPECT_EQ(e2e::run({bin, "--id", "R1", "--deploy", ttp, "--run-for", "100"},
                     run, 10000),
            2);
  EXPECT_NE(e2e::readFile(run + "/run.err")
                .find("module TTP carries statements only"),
            std::string::npos)
      << e2e::readFile(run + "/run.err");
  std::filesystem::remove_all(run);
}
