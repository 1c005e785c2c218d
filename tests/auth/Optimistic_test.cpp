// OPTIMISTIC dissemination with escalation (runtime/dissem/Optimistic.h) on
// loopback, with examples/primary_backup.mom and two variants whose client
// PUBLISH names a PROGRESS pattern (one that holds once a quorum of replies
// is known, one that never holds):
//   - OPTIMISTIC(PRIMARY): the client signs each request once and sends it
//     to R0 only; R0 relays it to R1..R3; every result is right and the
//     traces of all five nodes conform to the model (`mommie conform`);
//   - a crashed primary: every request escalates through OPTIMISTIC(QUORUM)
//     to unicast-to-all, so even R3 (in no optimizer's set) learns them and
//     suspects the primary;
//   - PROGRESS: a pattern that holds stops every escalation; one that never
//     holds escalates every request to the fallback although the client's
//     state progresses (the pattern, not the state, is the criterion).
#include "../e2e/E2eUtil.h"
#include "../e2e/PbResults.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

using nlohmann::json;

namespace {

constexpr int NumReq = 30;
const std::vector<std::string> Names = {"R0", "R1", "R2", "R3", "C0"};
const std::string SendPublish = "PUBLISH [ME, R, NOONE] Request(ME, next, op);";

// Builds examples/primary_backup.mom with the client's PUBLISH given
// `progress` (empty: unchanged). Returns the binary or "".
std::string buildVariant(const std::string &tag, const std::string &progress) {
  static std::map<std::string, std::string> built;
  if (built.count(tag))
    return built[tag];
  std::string &bin = built[tag];
  const char *mommie = std::getenv("MOMMIE");
  EXPECT_NE(mommie, nullptr);
  if (!mommie)
    return "";
  std::string dir = e2e::tempDir("optimistic-" + tag);
  std::string src = e2e::readFile(std::string(MOMMIE_SOURCE_DIR) +
                                  "/examples/primary_backup.mom");
  size_t at = src.find(SendPublish);
  EXPECT_NE(at, std::string::npos);
  if (at == std::string::npos)
    return "";
  if (!progress.empty()) {
    src.replace(at, SendPublish.size(),
                "PUBLISH [ME, R, NOONE] Request(ME, next, op) PROGRESS " +
                    progress + ";");
    // A PROGRESS pattern tests the pool, so it sees a Reply only until the
    // client's retire clause collects it (docs/runtime.md): these variants
    // keep their Replies.
    const std::string retire = "  retire [_, ME, NOONE] Reply r";
    size_t r = src.find(retire);
    EXPECT_NE(r, std::string::npos);
    if (r != std::string::npos)
      src.insert(r, "//");
  }
  std::ofstream(dir + "/pb.mom") << src;
  std::ofstream(dir + "/build.conf")
      << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n"
         "R2 = 127.0.0.1:3\nR3 = 127.0.0.1:4\nC0 = 127.0.0.1:5\n";
  int rc = e2e::run({mommie, "build", dir + "/pb.mom", "-D",
                     "NumReq=" + std::to_string(NumReq), "--deploy",
                     dir + "/build.conf", "-o", dir + "/pb"},
                    dir, 240000);
  EXPECT_EQ(rc, 0) << tag << ": " << e2e::readFile(dir + "/run.err");
  bin = rc == 0 ? dir + "/pb" : "";
  return bin;
}

struct ClusterOut {
  std::string dir;
  std::map<std::string, json> out;
};

// Runs the nodes in `ids` (the others are down) under `rules`, with traces.
// The client exits 0 when its NumReq requests complete, 1 when it goes
// quiet with some outstanding (`clientExit`).
ClusterOut runCluster(const std::string &bin, const std::string &tag,
                      const std::string &rules,
                      const std::vector<std::string> &ids,
                      int clientQuiescentMs, int clientExit = 0) {
  ClusterOut r;
  const char *mommie = std::getenv("MOMMIE");
  r.dir = e2e::tempDir("optimistic-run-" + tag);
  auto ports = e2e::freePorts(Names.size());
  {
    std::ofstream conf(r.dir + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < Names.size(); ++i)
      conf << Names[i] << " = 127.0.0.1:" << ports[i] << "\n";
    conf << rules;
  }
  EXPECT_EQ(e2e::run({mommie, "keygen", r.dir + "/deploy.conf", "-o",
                      r.dir + "/keys"},
                     r.dir, 30000),
            0);
  std::map<std::string, pid_t> pids;
  for (const auto &id : ids) {
    bool client = id == "C0";
    std::vector<std::string> argv = {bin,
                                     "--id",
                                     id,
                                     "--deploy",
                                     r.dir + "/deploy.conf",
                                     "--keys",
                                     r.dir + "/keys",
                                     "--trace",
                                     r.dir + "/" + id + ".jsonl",
                                     "--run-for",
                                     "60000",
                                     "--exit-when-quiescent",
                                     client ? std::to_string(clientQuiescentMs)
                                            : "2500"};
    if (client) // NumReq requests, all outstanding at once
      argv.insert(argv.end(),
                  {"--requests", std::to_string(NumReq), "--concurrency",
                   std::to_string(NumReq), "--json"});
    pids[id] =
        e2e::spawn(argv, r.dir + "/" + id + ".out", r.dir + "/" + id + ".log");
  }
  for (const auto &[id, pid] : pids) {
    EXPECT_EQ(e2e::waitFor(pid, 70000), id == "C0" ? clientExit : 0)
        << tag << " " << id << ": " << e2e::readFile(r.dir + "/" + id + ".log");
    r.out[id] =
        json::parse(e2e::readFile(r.dir + "/" + id + ".out"), nullptr, false);
    EXPECT_FALSE(r.out[id].is_discarded()) << tag << " " << id;
  }
  return r;
}

json dis(const json &o) { return o["stats"]["dissemination"]; }
int crypto(const json &o, const char *k) {
  return o["stats"]["crypto"][k].get<int>();
}

void expectAllResults(const ClusterOut &r, const std::string &tag) {
  const json &client = r.out.at("C0");
  ASSERT_FALSE(client.is_discarded()) << tag;
  EXPECT_EQ(client["state"]["next"], NumReq) << tag;
  EXPECT_EQ(e2e::pbResults(r.dir + "/C0.jsonl", NumReq), "") << tag;
}

const std::string Keys =
    "[Authentication]\nR* <-> R* : HMAC_SHA256\nC* <-> R* : ED25519\n";

} // namespace

TEST(Optimistic, PrimaryRelaysSignedRequestsAndTracesConform) {
  std::string bin = buildVariant("plain", "");
  ASSERT_FALSE(bin.empty());
  // Escalation after 1 s: on loopback progress comes first; if the machine
  // is slow and a request escalates, only the frame counts below change.
  ClusterOut r =
      runCluster(bin, "primary",
                 Keys + "[Dissemination]\nC* -> R* : OPTIMISTIC(PRIMARY) 1s; "
                        "OPTIMISTIC(QUORUM) 1s\n",
                 Names, 1500);
  const json &c = r.out["C0"];
  expectAllResults(r, "primary");
  for (const auto &[id, o] : r.out)
    EXPECT_EQ(o["rejected"], 0) << id << " " << o.dump();
  // One signature per request (forwardable: the same frame for everyone),
  // instead of one per replica.
  EXPECT_EQ(crypto(c, "signs"), NumReq) << c["stats"];
  EXPECT_EQ(dis(c)["optimistic"], NumReq) << c["stats"];
  EXPECT_EQ(dis(c)["stopped"].get<int>() + dis(c)["escalations"].get<int>(),
            NumReq);
  EXPECT_EQ(dis(c)["fallbacks"],
            0); // progress before two escalation timeouts of 1 s
  // The client sends each request to R0 only, plus any escalated copies.
  int escalated = dis(c)["escalations"].get<int>();
  EXPECT_LE(c["frames_out"].get<int>(), NumReq + 3 * escalated) << c.dump();
  EXPECT_GE(c["frames_out"].get<int>(), NumReq);
  // R0 relays every request to the three backups, who verify the client's
  // signature on frames R0 sent.
  EXPECT_EQ(dis(r.out["R0"])["relayed"], 3 * NumReq) << r.out["R0"]["stats"];
  for (const char *b : {"R1", "R2", "R3"}) {
    EXPECT_GE(crypto(r.out[b], "sig_verifies"), NumReq) << b;
    EXPECT_EQ(crypto(r.out[b], "signs"), NumReq)
        << b << ": replies to the client";
    EXPECT_EQ(r.out[b]["state"]["executeSeqNo"], NumReq) << b;
  }
  // The traces are behaviours of the model.
  const char *mommie = std::getenv("MOMMIE");
  std::vector<std::string> argv = {mommie, "conform",
                                   std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/primary_backup.mom",
                                   "-D", "NumReq=" + std::to_string(NumReq)};
  for (const auto &n : Names)
    argv.push_back(r.dir + "/" + n + ".jsonl");
  EXPECT_EQ(e2e::run(argv, r.dir, 300000), 0)
      << e2e::readFile(r.dir + "/run.out") << e2e::readFile(r.dir + "/run.err");
  std::filesystem::remove_all(r.dir);
}

TEST(Optimistic, CrashedPrimaryEscalatesToUnicastToAll) {
  std::string bin = buildVariant("plain", "");
  ASSERT_FALSE(bin.empty());
  ClusterOut r =
      runCluster(bin, "crashed",
                 Keys + "[Dissemination]\nC* -> R* : OPTIMISTIC(PRIMARY) 30ms; "
                        "OPTIMISTIC(QUORUM) 30ms\n",
                 {"R1", "R2", "R3", "C0"}, 800, /*clientExit=*/1);
  const json &c = r.out["C0"];
  ASSERT_FALSE(c.is_discarded());
  // The client pipelines all its requests; none gets replies (no primary),
  // so every request times out in both optimizers and reaches the fallback.
  EXPECT_EQ(dis(c)["optimistic"], NumReq) << c["stats"];
  EXPECT_EQ(dis(c)["escalations"], 2 * NumReq) << c["stats"];
  EXPECT_EQ(dis(c)["fallbacks"], NumReq) << c["stats"];
  EXPECT_EQ(dis(c)["stopped"], 0) << c["stats"];
  EXPECT_EQ(crypto(c, "signs"),
            NumReq); // one signature per request, whatever the stage
  // Every backup learnt every request, R3 only through the fallback, and
  // suspects the primary.
  for (const char *b : {"R1", "R2", "R3"}) {
    EXPECT_EQ(r.out[b]["state"]["suspected"], true)
        << b << " " << r.out[b].dump();
    EXPECT_EQ(r.out[b]["delivered"], NumReq) << b;
  }
  std::filesystem::remove_all(r.dir);
}

TEST(Optimistic, ProgressPatternDecidesWhenEscalationStops) {
  std::string holds = buildVariant(
      "holds",
      "[R >= Q, ME, NOONE] Reply r {{ req == Request(ME, next, op); }}");
  std::string never =
      buildVariant("never", "[R >= Q, ME, NOONE] Reply r {{ req == Request(ME, "
                            "next, op); res > 3; }}");
  ASSERT_FALSE(holds.empty());
  ASSERT_FALSE(never.empty());
  // Long enough for the replies on a loaded machine; the client stays up
  // past both timeouts so that "never" reaches its fallbacks.
  std::string rules = Keys + "[Dissemination]\nC* -> R* : OPTIMISTIC(PRIMARY) "
                             "700ms; OPTIMISTIC(QUORUM) 700ms\n";
  ClusterOut h = runCluster(holds, "holds", rules, Names, 3000);
  ClusterOut n = runCluster(never, "never", rules, Names, 3000);
  expectAllResults(h, "holds");
  expectAllResults(n, "never");
  // Never: the state progresses, the pattern does not hold, so every request
  // reaches the fallback (two escalations each).
  EXPECT_EQ(dis(n.out["C0"])["fallbacks"], NumReq) << n.out["C0"]["stats"];
  EXPECT_EQ(dis(n.out["C0"])["escalations"], 2 * NumReq)
      << n.out["C0"]["stats"];
  EXPECT_EQ(dis(n.out["C0"])["stopped"], 0);
  // Holds: the quorum of replies stops escalation (a request may still
  // escalate on a very slow machine, so compare with the run above).
  EXPECT_GT(dis(h.out["C0"])["stopped"].get<int>(), 0) << h.out["C0"]["stats"];
  EXPECT_LT(dis(h.out["C0"])["fallbacks"].get<int>(), NumReq)
      << h.out["C0"]["stats"];
  EXPECT_LT(h.out["C0"]["frames_out"].get<int>(),
            n.out["C0"]["frames_out"].get<int>());
  std::filesystem::remove_all(h.dir);
  std::filesystem::remove_all(n.dir);
}
