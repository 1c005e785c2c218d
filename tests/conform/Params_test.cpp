// Parameters travel with artefacts (docs/build.md, docs/conform.md):
// primary_backup built with -D NumReq=3 says so on --version / --info,
// every node trace of a simulated run carries the values in its first
// record, and `mommie conform` instantiates the model with them: no -D is
// needed, an equal -D only confirms, another value or traces that disagree
// are refused with one line (exit 2), and traces without parameters (older
// ones) behave as before.
#include "ConformUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <sstream>
#include <sys/stat.h>

using nlohmann::json;
using namespace conform;

namespace {

const std::vector<std::string> kNodes = {"R0", "R1", "R2", "R3", "C0"};

// One build with -D NumReq=3 and one seeded run of its --sim mode.
struct Params : ::testing::Test {
  static std::string dir;
  static bool ready;
  static void SetUpTestSuite() {
    ASSERT_STRNE(mommie(), "") << "MOMMIE is not set";
    dir = e2e::tempDir("params");
    ASSERT_FALSE(dir.empty());
    std::string conf = simDeploy(dir, kNodes), out;
    ASSERT_EQ(
        runCapture({mommie(), "build", src("examples/primary_backup.mom"), "-D",
                    "NumReq=3", "--deploy", conf, "-o", dir + "/pb"},
                   dir, out, 240000),
        0)
        << out;
    mkdir((dir + "/t").c_str(), 0700);
    ASSERT_EQ(runCapture({dir + "/pb", "--sim", "--deploy", conf, "--seed", "1",
                          "--requests", "3", "--trace-dir", dir + "/t"},
                         dir, out),
              0)
        << out;
    ready = true;
  }
  // A failed setup fails every test (a skip would hide it).
  void SetUp() override {
    ASSERT_TRUE(ready) << "the build or the simulated run failed";
  }
  static std::string trace(const std::string &d, const std::string &node) {
    return d + "/" + node + ".jsonl";
  }
  // `mommie conform` on the node traces in `d`, with `extra` flags.
  static int conformIn(const std::string &d,
                       const std::vector<std::string> &extra,
                       std::string &out) {
    std::vector<std::string> argv = {mommie(), "conform",
                                     src("examples/primary_backup.mom")};
    argv.insert(argv.end(), extra.begin(), extra.end());
    for (const auto &n : kNodes)
      argv.push_back(trace(d, n));
    return runCapture(argv, dir, out);
  }
  // The error lines of `out` (the front end may also print warnings).
  static std::string errors(const std::string &out) {
    std::istringstream in(out);
    std::string line, errs;
    while (std::getline(in, line))
      if (line.find("error") != std::string::npos)
        errs += line + "\n";
    return errs;
  }
  // The error lines of `mommie conform` on the traces in `d`, which it must
  // refuse before any replay (exit 2, no value dump).
  static std::string refusal(const std::string &d,
                             const std::vector<std::string> &extra) {
    std::string out;
    EXPECT_EQ(conformIn(d, extra, out), 2) << out;
    EXPECT_EQ(out.find("does not conform"), std::string::npos) << out;
    return errors(out);
  }
  // A copy of the traces in DIR/tag, `edit` applied to the first record of
  // `node` (of every node if "").
  static std::string copyTraces(const std::string &tag, const std::string &node,
                                const std::function<void(json &)> &edit) {
    std::string d = dir + "/" + tag;
    mkdir(d.c_str(), 0700);
    for (const auto &n : kNodes) {
      auto recs = readJsonl(trace(dir + "/t", n));
      if (node.empty() || n == node)
        edit(recs.at(0));
      writeJsonl(trace(d, n), recs);
    }
    return d;
  }
};
std::string Params::dir;
bool Params::ready = false;

TEST_F(Params, VersionAndInfoPrintTheParameterValues) {
  std::string out;
  EXPECT_EQ(runCapture({dir + "/pb", "--info"}, dir, out), 0) << out;
  EXPECT_NE(out.find("protocol PrimaryBackup\n"), std::string::npos) << out;
  EXPECT_NE(out.find("mommie "), std::string::npos) << out;
  EXPECT_NE(out.find("param F = 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("param NumReq = 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("principals R0 R1 R2 R3 C0\n"), std::string::npos) << out;
  EXPECT_EQ(runCapture({dir + "/pb", "--version"}, dir, out), 0) << out;
  EXPECT_NE(out.find("PrimaryBackup built by mommie "), std::string::npos)
      << out;
  EXPECT_NE(out.find(" with F = 1, NumReq = 3\n"), std::string::npos) << out;
}

TEST_F(Params, EveryTraceCarriesTheParametersInItsFirstRecord) {
  for (const auto &n : kNodes) {
    auto recs = readJsonl(trace(dir + "/t", n));
    ASSERT_FALSE(recs.empty()) << n;
    EXPECT_EQ(recs[0]["seq"], 0) << n;
    EXPECT_EQ(recs[0]["protocol"], "PrimaryBackup") << n;
    EXPECT_EQ(recs[0]["params"], json({{"F", 1}, {"NumReq", 3}})) << n;
    EXPECT_TRUE(recs[0]["mommie"].is_string()) << n;
    // ... and the node's initial state, every variable and timer.
    ASSERT_TRUE(recs[0]["init"].is_object()) << n;
    if (n == "C0") {
      EXPECT_EQ(recs[0]["init"]["next"], 0) << recs[0].dump();
    } else {
      EXPECT_EQ(recs[0]["init"]["executeSeqNo"], 0) << recs[0].dump();
      EXPECT_EQ(recs[0]["init"]["timer suspect"], false) << recs[0].dump();
    }
    for (size_t i = 1; i < recs.size(); ++i) {
      EXPECT_FALSE(recs[i].contains("params")) << n << " record " << i;
      EXPECT_FALSE(recs[i].contains("init")) << n << " record " << i;
    }
  }
}

// A recorded initial state the model cannot start in is refused before any
// step is replayed, naming the node and the variable.
TEST_F(Params, ConformRefusesAnInitialStateTheModelHasNot) {
  std::string d = copyTraces("badinit", "R2",
                             [](json &r) { r["init"]["executeSeqNo"] = 2; });
  std::string out;
  EXPECT_EQ(conformIn(d, {}, out), 1) << out;
  EXPECT_NE(out.find("node R2's recorded initial state is not one of the "
                     "model's: variable "
                     "executeSeqNo: trace has 2, the model has 0"),
            std::string::npos)
      << out;
}

TEST_F(Params, ConformTakesTheParametersFromTheTraces) {
  std::string out;
  EXPECT_EQ(conformIn(dir + "/t", {}, out), 0)
      << out; // the program says NumReq = 1
  EXPECT_NE(out.find("ok: "), std::string::npos) << out;
  EXPECT_EQ(conformIn(dir + "/t", {"-D", "NumReq=3"}, out), 0)
      << out; // confirms
}

TEST_F(Params, ConformRefusesAnotherDefineInOneLine) {
  EXPECT_EQ(refusal(dir + "/t", {"-D", "F=2"}),
            "mommie conform: error: trace " + trace(dir + "/t", "R0") +
                " was recorded with F = 1, but -D F = 2 was given\n");
}

// NumReq only bounds the model (request ids are `int model` ranges): the
// nodes' code is the same at every NumReq, so a -D over the recorded value
// is taken, and the traces replay in the larger model.
TEST_F(Params, ConformTakesAnotherValueOfAModelBound) {
  std::string out;
  EXPECT_EQ(conformIn(dir + "/t", {"-D", "NumReq=5"}, out), 0) << out;
  EXPECT_NE(out.find("ok: "), std::string::npos) << out;
}

TEST_F(Params, ConformRefusesTracesThatDisagree) {
  std::string d = copyTraces(
      "disagree", "C0", [](json &first) { first["params"]["NumReq"] = 4; });
  EXPECT_EQ(refusal(d, {}), "mommie conform: error: trace " + trace(d, "C0") +
                                " was recorded with NumReq = 4, but trace " +
                                trace(d, "R0") + " with NumReq = 3\n");
}

TEST_F(Params, ConformRefusesAParameterTheProgramDoesNotDeclare) {
  std::string d = copyTraces("undeclared", "R1",
                             [](json &first) { first["params"]["Bogus"] = 2; });
  EXPECT_EQ(refusal(d, {}), "mommie conform: error: trace " + trace(d, "R1") +
                                " was recorded with Bogus = 2, but " +
                                src("examples/primary_backup.mom") +
                                " declares no parameter Bogus\n");
}

TEST_F(Params, TracesWithoutParametersBehaveAsBefore) {
  std::string d = copyTraces("old", "", [](json &first) {
    for (const char *k : {"protocol", "mommie", "params"})
      first.erase(k);
  });
  std::string out;
  EXPECT_EQ(conformIn(d, {"-D", "NumReq=3"}, out), 0) << out;
  // Without -D the program's values are taken: NumReq only bounds the model
  // (the replay checks no model range), F = 1 is the traces' F.
  EXPECT_EQ(conformIn(d, {}, out), 0) << out;
  // With another F the traces name principals the model does not have.
  EXPECT_NE(conformIn(d, {"-D", "F=0"}, out), 0) << out;
}

} // namespace
