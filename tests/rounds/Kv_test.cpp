// End to end: the replicated KV store (apps/kv/KvReplica.h) on
// examples/last_voting.mom, built by `mommie build` (-D V=N: the value
// decided names the proposer of the slot's batch) and run as 3 replicas
// over TCP on loopback with the load generator (`--kv-load`). Asserts that
// every request is answered, that the replicas applied the same log (the
// digests of the applied log and of the final state) and the same number
// of requests, that per-slot traces conform to the lock-step model
// (`mommie conform`), and that the store continues with a replica killed
// by SIGKILL mid-run (the phase-0 coordinator P0: the client fails over).
// No timing assertions; every wait is bounded.
#include "../e2e/E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <filesystem>
#include <netinet/in.h>
#include <sys/socket.h>
#include <map>

using nlohmann::json;

namespace {

struct Store {
  std::string dir, bin;
  std::vector<std::string> names;
  std::vector<int> clientPorts;
};

constexpr int MaxPhase = 40; // per slot; a slot normally decides in phase 0

Store build(int n, const std::string &tag) {
  Store s;
  const char *mommie = std::getenv("MOMMIE");
  EXPECT_NE(mommie, nullptr);
  if (!mommie)
    return s;
  s.dir = e2e::tempDir("kv-" + tag);
  auto ports = e2e::freePorts(size_t(2 * n));
  {
    std::ofstream conf(s.dir + "/deploy.conf");
    conf << "[Hosts]\n";
    for (int i = 0; i < n; ++i) {
      s.names.push_back("P" + std::to_string(i));
      conf << s.names.back() << " = 127.0.0.1:" << ports[size_t(i)] << "\n";
      s.clientPorts.push_back(ports[size_t(n + i)]);
    }
  }
  s.bin = s.dir + "/node";
  int rc = e2e::run({mommie, "build", std::string(MOMMIE_SOURCE_DIR) + "/examples/last_voting.mom", "--deploy",
                     s.dir + "/deploy.conf", "-o", s.bin, "--app", "kv", "-D", "N=" + std::to_string(n), "-D",
                     "V=" + std::to_string(n), "-D", "MaxPhase=" + std::to_string(MaxPhase)},
                    s.dir, 240000);
  EXPECT_EQ(rc, 0) << e2e::readFile(s.dir + "/run.err");
  if (rc != 0)
    s.bin.clear();
  return s;
}

std::map<std::string, pid_t> startReplicas(const Store &s, int traceSlots, int traceEvery = 0) {
  std::map<std::string, pid_t> pids;
  for (size_t i = 0; i < s.names.size(); ++i)
    pids[s.names[i]] = e2e::spawn({s.bin, "--kv", "--id", s.names[i], "--deploy", s.dir + "/deploy.conf",
                                   "--client-port", std::to_string(s.clientPorts[i]), "--trace-dir", s.dir,
                                   "--trace-slots", std::to_string(traceSlots), "--trace-every",
                                   std::to_string(traceEvery), "--run-for", "240000"},
                                  s.dir + "/" + s.names[i] + ".out", s.dir + "/" + s.names[i] + ".log");
  return pids;
}

// Waits (bounded) until every replica accepts client connections.
bool listening(const Store &s) {
  return e2e::eventually(30000, [&] {
    for (int port : s.clientPorts) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(uint16_t(port));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool ok = fd >= 0 && connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
      if (fd >= 0)
        close(fd);
      if (!ok)
        return false;
    }
    return true;
  });
}

// `mommie conform` on the traces of one slot (the nodes that have one: a
// node killed before the slot started has none). Returns the exit code.
int conformSlot(const Store &s, int slot) {
  std::vector<std::string> argv = {std::getenv("MOMMIE"), "conform",
                                   std::string(MOMMIE_SOURCE_DIR) + "/examples/last_voting.mom", "-D",
                                   "N=" + std::to_string(s.names.size()), "-D",
                                   "V=" + std::to_string(s.names.size()), "-D", "MaxPhase=" + std::to_string(MaxPhase)};
  for (const auto &n : s.names) {
    std::string f = s.dir + "/" + n + ".slot" + std::to_string(slot) + ".jsonl";
    if (std::filesystem::exists(f))
      argv.push_back(f);
  }
  return e2e::run(argv, s.dir, 120000);
}

std::string servers(const Store &s) {
  std::string list;
  for (int p : s.clientPorts)
    list += (list.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(p);
  return list;
}

// Stops the replicas (SIGTERM: they print their outcome) and checks that
// the live ones applied the same log: returns their outcomes.
std::vector<json> stopAndCompare(const Store &s, std::map<std::string, pid_t> &pids, const std::string &victim,
                                 uint64_t requests) {
  std::vector<json> outs;
  // The replicas the client did not talk to may apply the last slots a
  // little later: wait (bounded) until the live ones report the same log.
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--sync", "--servers", servers(s), "--max-seconds", "60"}, s.dir, 90000), 0)
      << e2e::readFile(s.dir + "/run.out");
  for (const auto &[n, p] : pids)
    if (n != victim)
      kill(p, SIGTERM);
  for (const auto &[n, p] : pids) {
    if (n == victim)
      continue;
    EXPECT_EQ(e2e::waitFor(p, 30000), 0) << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    json o = json::parse(e2e::readFile(s.dir + "/" + n + ".out"), nullptr, false);
    EXPECT_FALSE(o.is_discarded()) << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    if (o.is_discarded())
      continue;
    EXPECT_EQ(o["failed"], false) << n << " " << o.dump();
    EXPECT_EQ(o["requests_applied"], requests) << n << " " << o.dump();
    EXPECT_EQ(o["bad_frames"], 0) << n;
    outs.push_back(o);
  }
  for (const auto &o : outs) {
    EXPECT_EQ(o["log_digest"], outs[0]["log_digest"]) << o["node"] << " applied another log";
    EXPECT_EQ(o["state_digest"], outs[0]["state_digest"]) << o["node"] << " has another state";
    EXPECT_EQ(o["applied_slots"], outs[0]["applied_slots"]) << o["node"];
  }
  return outs;
}

json runLoad(const Store &s, uint64_t requests, const std::vector<std::string> &extra, int boundMs) {
  std::vector<std::string> argv = {s.bin, "--kv-load", "--servers", servers(s), "--requests", std::to_string(requests),
                                   "--concurrency", "32", "--value-size", "512", "--key-space", "50",
                                   "--max-seconds", std::to_string(boundMs / 1000), "--json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  int rc = e2e::waitFor(e2e::spawn(argv, s.dir + "/load.out", s.dir + "/load.err"), boundMs + 10000);
  EXPECT_EQ(rc, 0) << e2e::readFile(s.dir + "/load.out") << e2e::readFile(s.dir + "/load.err");
  json o = json::parse(e2e::readFile(s.dir + "/load.out"), nullptr, false);
  EXPECT_FALSE(o.is_discarded()) << e2e::readFile(s.dir + "/load.err");
  return o;
}

} // namespace

TEST(Kv, BadFlagsExit2) {
  Store s = build(3, "flags");
  ASSERT_FALSE(s.bin.empty());
  EXPECT_EQ(e2e::run({s.bin, "--kv", "--id", "P0"}, s.dir, 20000), 2);
  EXPECT_EQ(e2e::run({s.bin, "--kv", "--id", "P9", "--deploy", s.dir + "/deploy.conf", "--client-port", "1"}, s.dir,
                     20000),
            2);
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--servers", "nohost"}, s.dir, 20000), 2);
  EXPECT_EQ(e2e::run({s.bin, "--kv", "--id", "P0", "--windw", "3"}, s.dir, 20000), 2);
  EXPECT_NE(e2e::readFile(s.dir + "/run.err").find("did you mean '--window'?"), std::string::npos);
  // `--app kv` adds the KV store's modes and flags to the binary's help.
  ASSERT_EQ(e2e::run({s.bin, "--help"}, s.dir, 20000), 0);
  std::string help = e2e::readFile(s.dir + "/run.out");
  for (const char *f : {"  --kv ", "  --kv-load ", "  --client-port PORT ", "  --servers LIST ", "  --linger MS ",
                        "  --faults F "})
    EXPECT_NE(help.find(f), std::string::npos) << f << "\n" << help;
}

TEST(Kv, ThreeReplicasSameLogAndConformingSlots) {
  Store s = build(3, "three");
  ASSERT_FALSE(s.bin.empty());
  auto pids = startReplicas(s, 3);
  ASSERT_TRUE(listening(s));
  const uint64_t requests = 1500;
  json load = runLoad(s, requests, {}, 120000);
  EXPECT_EQ(load["completed"], requests) << load.dump();
  EXPECT_EQ(load["failed"], 0) << load.dump();
  auto outs = stopAndCompare(s, pids, "", requests);
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_GT(outs[0]["applied_slots"].get<uint64_t>(), 0u);
  EXPECT_EQ(outs[0]["keys"], 50); // keys k0..k49
  // Each of the first slots' instances is a run of last_voting.mom: its
  // per-process traces conform to the lock-step semantics.
  for (int slot = 0; slot < 3; ++slot) {
    for (const auto &n : s.names)
      EXPECT_TRUE(std::filesystem::exists(s.dir + "/" + n + ".slot" + std::to_string(slot) + ".jsonl")) << n;
    EXPECT_EQ(conformSlot(s, slot), 0)
        << "slot " << slot << ": " << e2e::readFile(s.dir + "/run.out") << e2e::readFile(s.dir + "/run.err");
    EXPECT_NE(e2e::readFile(s.dir + "/run.out").find("ok: "), std::string::npos);
  }
}

TEST(Kv, CoordinatorKilledMidRun) {
  // P0 coordinates phase 0 of every slot, so its batches are the ones
  // decided; killing it makes the client fail over to P1 and every later
  // slot decide in phase 1 (coordinator P1) after phase 0's timeouts.
  Store s = build(3, "kill");
  ASSERT_FALSE(s.bin.empty());
  auto pids = startReplicas(s, 0, 10); // traces of slots 0, 10, 20, ...
  ASSERT_TRUE(listening(s));
  const uint64_t requests = 1200;
  // Paced (--rate) so the load lasts well past the kill.
  pid_t load = e2e::spawn({s.bin, "--kv-load", "--servers", servers(s), "--requests", std::to_string(requests),
                           "--concurrency", "32", "--value-size", "512", "--key-space", "50", "--rate", "400",
                           "--max-seconds", "120", "--json"},
                          s.dir + "/load.out", s.dir + "/load.err");
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  kill(pids["P0"], SIGKILL);
  waitpid(pids["P0"], nullptr, 0);
  EXPECT_EQ(e2e::waitFor(load, 130000), 0) << e2e::readFile(s.dir + "/load.out");
  json o = json::parse(e2e::readFile(s.dir + "/load.out"), nullptr, false);
  ASSERT_FALSE(o.is_discarded()) << e2e::readFile(s.dir + "/load.err");
  EXPECT_EQ(o["completed"], requests) << o.dump();
  EXPECT_GE(o["failovers"].get<int>(), 1) << "the kill was not mid-run: " << o.dump();
  auto outs = stopAndCompare(s, pids, "P0", requests);
  ASSERT_EQ(outs.size(), 2u);
  // The survivors decided slots without P0 (timeouts of phase 0).
  EXPECT_GT(outs[0]["timeouts"].get<uint64_t>() + outs[1]["timeouts"].get<uint64_t>(), 0u);
  // Traced slots conform: slot 0, the last one P0 traced (cut by the
  // kill) and the first slots that needed a later phase (P0 dead: more
  // than one phase traced by P1).
  uint64_t applied = outs[0]["applied_slots"].get<uint64_t>();
  std::vector<uint64_t> check = {0};
  uint64_t lastOfP0 = 0;
  int laterPhase = 0;
  for (uint64_t slot = 0; slot < applied; slot += 10) {
    if (std::filesystem::exists(s.dir + "/P0.slot" + std::to_string(slot) + ".jsonl"))
      lastOfP0 = slot;
    std::ifstream f(s.dir + "/P1.slot" + std::to_string(slot) + ".jsonl");
    int records = 0;
    for (std::string line; std::getline(f, line);)
      ++records;
    if (records > 4 && laterPhase++ < 4)
      check.push_back(slot);
  }
  check.push_back(lastOfP0);
  EXPECT_GT(laterPhase, 0) << "no traced slot ran past phase 0";
  for (uint64_t slot : check)
    EXPECT_EQ(conformSlot(s, int(slot)), 0) << "slot " << slot << ": " << e2e::readFile(s.dir + "/run.out")
                                             << e2e::readFile(s.dir + "/run.err");
}
