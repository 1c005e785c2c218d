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
#include "apps/kv/KvReplica.h"
#include "runtime/net/Transport.h"
#include "runtime/wire/Wire.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>

using nlohmann::json;

namespace {

struct Store {
  std::string dir, bin;
  std::vector<std::string> names;
  std::vector<int> clientPorts, peerPorts;
};

constexpr int MaxPhase = 40; // per slot; a slot normally decides in phase 0

// `auth`: an [Authentication] section for every link (and keys in
// DIR/keys, from `mommie keygen`).
Store build(int n, const std::string &tag, const std::string &auth = "") {
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
      s.peerPorts.push_back(ports[size_t(i)]);
      s.clientPorts.push_back(ports[size_t(n + i)]);
    }
    if (!auth.empty())
      conf << "[Authentication]\n* <-> * : " << auth << "\n";
  }
  s.bin = s.dir + "/node";
  int rc =
      e2e::run({mommie, "build",
                std::string(MOMMIE_SOURCE_DIR) + "/examples/last_voting.mom",
                "--deploy", s.dir + "/deploy.conf", "-o", s.bin, "--app", "kv",
                "-D", "N=" + std::to_string(n), "-D", "V=" + std::to_string(n),
                "-D", "MaxPhase=" + std::to_string(MaxPhase)},
               s.dir, 240000);
  EXPECT_EQ(rc, 0) << e2e::readFile(s.dir + "/run.err");
  if (rc == 0 && !auth.empty()) {
    rc = e2e::run(
        {mommie, "keygen", s.dir + "/deploy.conf", "-o", s.dir + "/keys"},
        s.dir, 60000);
    EXPECT_EQ(rc, 0) << e2e::readFile(s.dir + "/run.err");
  }
  if (rc != 0)
    s.bin.clear();
  return s;
}

std::map<std::string, pid_t>
startReplicas(const Store &s, int traceSlots, int traceEvery = 0,
              const std::vector<std::string> &extra = {}) {
  std::map<std::string, pid_t> pids;
  for (size_t i = 0; i < s.names.size(); ++i) {
    std::vector<std::string> argv = {
        s.bin,           "--kv",
        "--id",          s.names[i],
        "--deploy",      s.dir + "/deploy.conf",
        "--client-port", std::to_string(s.clientPorts[i]),
        "--trace-dir",   s.dir,
        "--trace-slots", std::to_string(traceSlots),
        "--trace-every", std::to_string(traceEvery),
        "--run-for",     "240000"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pids[s.names[i]] = e2e::spawn(argv, s.dir + "/" + s.names[i] + ".out",
                                  s.dir + "/" + s.names[i] + ".log");
  }
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
      bool ok = fd >= 0 &&
                connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
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
  std::vector<std::string> argv = {std::getenv("MOMMIE"),
                                   "conform",
                                   std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/last_voting.mom",
                                   "-D",
                                   "N=" + std::to_string(s.names.size()),
                                   "-D",
                                   "V=" + std::to_string(s.names.size()),
                                   "-D",
                                   "MaxPhase=" + std::to_string(MaxPhase)};
  for (const auto &n : s.names) {
    std::string f = s.dir + "/" + n + ".slot" + std::to_string(slot) + ".jsonl";
    if (std::filesystem::exists(f))
      argv.push_back(f);
  }
  return e2e::run(argv, s.dir, 120000);
}

std::string servers(const Store &s) {
  std::string list;
  for (int p : s.clientPorts) {
    list += list.empty() ? "" : ",";
    list += "127.0.0.1:";
    list += std::to_string(p);
  }
  return list;
}

// Stops the replicas (SIGTERM: they print their outcome) and checks that
// the live ones applied the same log: returns their outcomes.
std::vector<json> stopAndCompare(const Store &s,
                                 std::map<std::string, pid_t> &pids,
                                 const std::string &victim, uint64_t requests) {
  std::vector<json> outs;
  // The replicas the client did not talk to may apply the last slots a
  // little later: wait (bounded) until the live ones report the same log.
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--sync", "--servers", servers(s),
                      "--max-seconds", "60"},
                     s.dir, 90000),
            0)
      << e2e::readFile(s.dir + "/run.out");
  for (const auto &[n, p] : pids)
    if (n != victim)
      kill(p, SIGTERM);
  for (const auto &[n, p] : pids) {
    if (n == victim)
      continue;
    EXPECT_EQ(e2e::waitFor(p, 30000), 0)
        << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    json o =
        json::parse(e2e::readFile(s.dir + "/" + n + ".out"), nullptr, false);
    EXPECT_FALSE(o.is_discarded())
        << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    if (o.is_discarded())
      continue;
    EXPECT_EQ(o["failed"], false) << n << " " << o.dump();
    // Each load generator's session registration is a request too.
    EXPECT_EQ(o["requests_applied"].get<uint64_t>(),
              requests + o["sessions"].get<uint64_t>())
        << n << " " << o.dump();
    EXPECT_EQ(o["bad_frames"], 0) << n;
    outs.push_back(o);
  }
  for (const auto &o : outs) {
    EXPECT_EQ(o["log_digest"], outs[0]["log_digest"])
        << o["node"] << " applied another log";
    EXPECT_EQ(o["state_digest"], outs[0]["state_digest"])
        << o["node"] << " has another state";
    EXPECT_EQ(o["applied_slots"], outs[0]["applied_slots"]) << o["node"];
  }
  return outs;
}

// One `BIN --kv-client` invocation on every replica: its exit code, and
// its output (stdout, then stderr) in `out`.
int kvClient(const Store &s, const std::vector<std::string> &args,
             std::string &out) {
  std::vector<std::string> argv = {s.bin, "--kv-client", "--servers",
                                   servers(s)};
  if (e2e::kSanitized) // a sanitized cluster's first commit takes seconds
    argv.insert(argv.end(), {"--timeout", "10000"});
  argv.insert(argv.end(), args.begin(), args.end());
  int rc = e2e::run(argv, s.dir, 60000);
  out = e2e::readFile(s.dir + "/run.out") + e2e::readFile(s.dir + "/run.err");
  return rc;
}

json runLoad(const Store &s, uint64_t requests,
             const std::vector<std::string> &extra, int boundMs) {
  std::vector<std::string> argv = {
      s.bin,           "--kv-load",
      "--servers",     servers(s),
      "--requests",    std::to_string(requests),
      "--concurrency", "32",
      "--value-size",  "512",
      "--key-space",   "50",
      "--max-seconds", std::to_string(boundMs / 1000),
      "--json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  int rc =
      e2e::waitFor(e2e::spawn(argv, s.dir + "/load.out", s.dir + "/load.err"),
                   boundMs + 10000);
  EXPECT_EQ(rc, 0) << e2e::readFile(s.dir + "/load.out")
                   << e2e::readFile(s.dir + "/load.err");
  json o = json::parse(e2e::readFile(s.dir + "/load.out"), nullptr, false);
  EXPECT_FALSE(o.is_discarded()) << e2e::readFile(s.dir + "/load.err");
  return o;
}

} // namespace

TEST(Kv, BadFlagsExit2) {
  Store s = build(3, "flags");
  ASSERT_FALSE(s.bin.empty());
  EXPECT_EQ(e2e::run({s.bin, "--kv", "--id", "P0"}, s.dir, 20000), 2);
  EXPECT_EQ(e2e::run({s.bin, "--kv", "--id", "P9", "--deploy",
                      s.dir + "/deploy.conf", "--client-port", "1"},
                     s.dir, 20000),
            2);
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--servers", "nohost"}, s.dir, 20000),
            2);
  EXPECT_EQ(
      e2e::run({s.bin, "--kv", "--id", "P0", "--windw", "3"}, s.dir, 20000), 2);
  EXPECT_NE(e2e::readFile(s.dir + "/run.err").find("did you mean '--window'?"),
            std::string::npos);
  // `--app kv` adds the KV store's modes and flags to the binary's help.
  ASSERT_EQ(e2e::run({s.bin, "--help"}, s.dir, 20000), 0);
  std::string help = e2e::readFile(s.dir + "/run.out");
  for (const char *f : {"  --kv ", "  --kv-load ", "  --client-port PORT ",
                        "  --servers LIST ", "  --linger MS ", "  --faults F "})
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
      EXPECT_TRUE(std::filesystem::exists(s.dir + "/" + n + ".slot" +
                                          std::to_string(slot) + ".jsonl"))
          << n;
    EXPECT_EQ(conformSlot(s, slot), 0)
        << "slot " << slot << ": " << e2e::readFile(s.dir + "/run.out")
        << e2e::readFile(s.dir + "/run.err");
    EXPECT_NE(e2e::readFile(s.dir + "/run.out").find("ok: "),
              std::string::npos);
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
  pid_t load = e2e::spawn(
      {s.bin, "--kv-load", "--servers", servers(s), "--requests",
       std::to_string(requests), "--concurrency", "32", "--value-size", "512",
       "--key-space", "50", "--rate", "400", "--max-seconds", "120", "--json"},
      s.dir + "/load.out", s.dir + "/load.err");
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  kill(pids["P0"], SIGKILL);
  waitpid(pids["P0"], nullptr, 0);
  EXPECT_EQ(e2e::waitFor(load, 130000), 0)
      << e2e::readFile(s.dir + "/load.out");
  json o = json::parse(e2e::readFile(s.dir + "/load.out"), nullptr, false);
  ASSERT_FALSE(o.is_discarded()) << e2e::readFile(s.dir + "/load.err");
  EXPECT_EQ(o["completed"], requests) << o.dump();
  EXPECT_GE(o["failovers"].get<int>(), 1)
      << "the kill was not mid-run: " << o.dump();
  auto outs = stopAndCompare(s, pids, "P0", requests);
  ASSERT_EQ(outs.size(), 2u);
  // The survivors decided slots without P0 (timeouts of phase 0).
  EXPECT_GT(outs[0]["timeouts"].get<uint64_t>() +
                outs[1]["timeouts"].get<uint64_t>(),
            0u);
  // Traced slots conform: slot 0, the last one P0 traced (cut by the
  // kill) and the first slots that needed a later phase (P0 dead: more
  // than one phase traced by P1).
  uint64_t applied = outs[0]["applied_slots"].get<uint64_t>();
  std::vector<uint64_t> check = {0};
  uint64_t lastOfP0 = 0;
  int laterPhase = 0;
  for (uint64_t slot = 0; slot < applied; slot += 10) {
    if (std::filesystem::exists(s.dir + "/P0.slot" + std::to_string(slot) +
                                ".jsonl"))
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
    EXPECT_EQ(conformSlot(s, int(slot)), 0)
        << "slot " << slot << ": " << e2e::readFile(s.dir + "/run.out")
        << e2e::readFile(s.dir + "/run.err");
}

// ---- The client port's limits (issue 17's attacks) ----

namespace {

using mommie::rt::KvOp;
using mommie::rt::KvRequest;
using mommie::rt::Reader;
using mommie::rt::Writer;

// A frame: u32 big-endian length, then the body.
std::string frameOf(const std::vector<uint8_t> &body) {
  Writer f;
  f.u32be(uint32_t(body.size()));
  f.bytes(body.data(), body.size());
  return std::string(f.buffer().begin(), f.buffer().end());
}

int dialClient(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0}; // every read below is bounded
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// An operation's body (the client library's encoder, apps/kv), ack 0.
std::vector<uint8_t> opBody(uint8_t op, uint64_t session, uint64_t seq,
                            const std::string &key, const std::string &value,
                            const std::string &expected = "") {
  KvRequest q;
  q.op = KvOp(op);
  q.session = session;
  q.seq = seq;
  q.key = key;
  q.value = value;
  q.expected = expected;
  return mommie::rt::encodeClientRequest(q);
}

std::vector<uint8_t> putBody(uint64_t session, uint64_t seq,
                             const std::string &key, size_t valueSize) {
  return opBody(1, session, seq, key, std::string(valueSize, 'x'));
}

bool sendAll(int fd, const std::string &s) {
  size_t at = 0;
  while (at < s.size()) {
    ssize_t n = send(fd, s.data() + at, s.size() - at, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    at += size_t(n);
  }
  return true;
}

// A reply (13: session, seq, result, slot, value), a registration (11:
// nonce in `client`, session in `seq`) or an error (5: session, seq, code).
struct Frame {
  uint8_t type = 0;
  uint64_t client = 0, seq = 0;
  uint8_t code = 0; // errors: the code; replies: the result
  uint64_t slot = 0;
  std::string value;
  bool ok = false; // false: EOF or timeout
};

// Reads one reply or error frame (bounded by the socket's 10 s timeout).
Frame readFrame(int fd) {
  Frame f;
  auto readN = [&](std::string &out, size_t n) {
    out.resize(n);
    size_t at = 0;
    while (at < n) {
      ssize_t k = recv(fd, &out[at], n - at, 0);
      if (k <= 0)
        return false;
      at += size_t(k);
    }
    return true;
  };
  std::string hdr, body;
  if (!readN(hdr, 4))
    return f;
  uint32_t len =
      Reader(reinterpret_cast<const uint8_t *>(hdr.data()), 4).u32be();
  if (len == 0 || len > (1u << 20) || !readN(body, len))
    return f;
  Reader r(body);
  f.type = r.u8();
  f.client = r.varint();
  f.seq = r.varint();
  if (f.type == 5 || f.type == 13)
    f.code = r.u8();
  if (f.type == 13) {
    f.slot = r.varint();
    f.value = r.str(1u << 20);
  }
  f.ok = r.ok();
  return f;
}

// Registers a session on `fd`; 0 if no answer.
uint64_t registerSession(int fd, uint64_t nonce) {
  KvRequest reg;
  reg.op = KvOp::Register;
  reg.seq = nonce;
  if (!sendAll(fd, frameOf(mommie::rt::encodeClientRequest(reg))))
    return 0;
  Frame f = readFrame(fd);
  return f.ok && f.type == 11 && f.client == nonce ? f.seq : 0;
}

} // namespace

// Every limit of the client port answers with an error frame and leaves
// the store serving: a 1 MiB put (it used to halt the store: its batch
// exceeded the replica frame limit and was dropped), a request just over
// --batch-bytes, frames half sent and left, connections beyond
// --max-clients, and a client that sends without reading its replies.
TEST(Kv, ClientPortLimitsAnswerWithErrors) {
  Store s = build(3, "limits");
  ASSERT_FALSE(s.bin.empty());
  auto pids = startReplicas(s, 0, 0,
                            {"--max-clients", "20", "--client-timeout", "500",
                             "--max-outstanding", "64"});
  ASSERT_TRUE(listening(s));
  int port = s.clientPorts[1];

  // A put of 1,048,560 bytes: "too large", its ids echoed; the body is
  // skipped and the same connection then gets a normal put applied.
  int fd = dialClient(port);
  ASSERT_GE(fd, 0);
  uint64_t ses = registerSession(fd, 4242);
  ASSERT_NE(ses, 0u);
  ASSERT_TRUE(sendAll(fd, frameOf(putBody(ses, 1, "big", 1048560))));
  Frame f = readFrame(fd);
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.type, 5);
  EXPECT_EQ(f.code, 1);
  EXPECT_EQ(f.client, ses);
  EXPECT_EQ(f.seq, 1u);
  // At the edge: key and value of --batch-bytes - 16 bytes fit, one more
  // does not.
  ASSERT_TRUE(sendAll(fd, frameOf(putBody(ses, 2, "k", 32768 - 16 - 1))));
  f = readFrame(fd);
  EXPECT_TRUE(f.ok && f.type == 13 && f.seq == 2 && f.code == 0)
      << int(f.type) << " " << int(f.code);
  ASSERT_TRUE(sendAll(fd, frameOf(putBody(ses, 3, "k", 32768 - 16))));
  f = readFrame(fd);
  EXPECT_TRUE(f.ok && f.type == 5 && f.code == 1 && f.seq == 3)
      << int(f.type) << " " << int(f.code);
  close(fd);

  // Ten frames half sent: each connection is told and closed after the
  // --client-timeout.
  std::vector<int> half;
  for (int i = 0; i < 10; ++i) {
    int h = dialClient(port);
    ASSERT_GE(h, 0);
    std::string fr = frameOf(putBody(8, uint64_t(i), "h", 20000));
    ASSERT_TRUE(sendAll(h, fr.substr(0, 1000)));
    half.push_back(h);
  }
  for (int h : half) {
    Frame e = readFrame(h);
    EXPECT_TRUE(e.ok && e.type == 5 && e.code == 3)
        << int(e.type) << " " << int(e.code);
    char c;
    EXPECT_EQ(recv(h, &c, 1, 0), 0); // then closed
    close(h);
  }

  // 25 connections: five are refused with "too many connections".
  std::vector<int> many;
  int refused = 0;
  for (int i = 0; i < 25; ++i) {
    int m = dialClient(port);
    ASSERT_GE(m, 0);
    many.push_back(m);
  }
  for (int m : many) {
    pollfd p{m, POLLIN, 0};
    if (poll(&p, 1, 300) > 0) {
      Frame e = readFrame(m);
      refused += e.ok && e.type == 5 && e.code == 4;
    }
  }
  EXPECT_EQ(refused, 5);
  for (int m : many)
    close(m);

  // A client that sends 3,000 puts of 8 KiB as fast as it can and reads
  // nothing: the replica holds at most 64 of its requests at a time
  // (--max-outstanding) and stops reading it meanwhile (TCP back-pressure)
  // instead of queueing whatever arrives.
  int greedy = dialClient(port);
  ASSERT_GE(greedy, 0);
  uint64_t gs = registerSession(greedy, 777);
  ASSERT_NE(gs, 0u);
  fcntl(greedy, F_SETFL, O_NONBLOCK);
  std::string burst;
  for (uint64_t i = 0; i < 3000; ++i)
    burst += frameOf(putBody(gs, i, "g" + std::to_string(i % 50), 8192));
  size_t sent = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (sent < burst.size() && std::chrono::steady_clock::now() < until) {
    ssize_t n =
        send(greedy, burst.data() + sent, burst.size() - sent, MSG_NOSIGNAL);
    if (n > 0)
      sent += size_t(n);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(sent, 64u * 8192)
      << "the client could not even send its first 64 requests";
  close(greedy);

  // The store still serves, and every replica applied the same log.
  json load = runLoad(s, 300, {}, 120000);
  EXPECT_EQ(load["completed"], 300) << load.dump();
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--sync", "--servers", servers(s),
                      "--max-seconds", "60"},
                     s.dir, 90000),
            0);
  for (const auto &[n, p] : pids)
    kill(p, SIGTERM);
  for (const auto &[n, p] : pids) {
    EXPECT_EQ(e2e::waitFor(p, 30000), 0) << n;
    json o =
        json::parse(e2e::readFile(s.dir + "/" + n + ".out"), nullptr, false);
    ASSERT_FALSE(o.is_discarded())
        << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    if (n != "P1")
      continue;
    EXPECT_EQ(o["client_too_large"], 2) << o.dump();
    EXPECT_EQ(o["client_timeouts"], 10) << o.dump();
    EXPECT_EQ(o["client_refused_connections"], 5) << o.dump();
    EXPECT_GE(o["client_throttled"].get<int>(), 1) << o.dump();
    // One connection at a time held requests: at most 64 puts of ~8 KiB.
    EXPECT_LE(o["client_max_pending_bytes"].get<int64_t>(),
              64 * (8192 + 16 + 4))
        << o.dump();
  }
}

// Out of file descriptors (ulimit -n 40, 60 idle clients): the replica
// pauses accepting instead of spinning on a readable listening socket (it
// used to burn 88 % of a core serving nothing).
TEST(Kv, OutOfDescriptorsDoesNotSpin) {
  Store s = build(3, "nofile");
  ASSERT_FALSE(s.bin.empty());
  pid_t p0 = e2e::spawn({"/bin/bash", "-c",
                         "ulimit -n 40 && exec \"$0\" --kv --id P0 --deploy "
                         "\"$1\" --client-port \"$2\" --run-for 4000",
                         s.bin, s.dir + "/deploy.conf",
                         std::to_string(s.clientPorts[0])},
                        s.dir + "/P0.out", s.dir + "/P0.log");
  ASSERT_TRUE(e2e::eventually(30000, [&] {
    int fd = dialClient(s.clientPorts[0]);
    if (fd >= 0)
      close(fd);
    return fd >= 0;
  }));
  std::vector<int> idle;
  for (int i = 0; i < 60; ++i) {
    int fd = dialClient(
        s.clientPorts[0]); // queued by the kernel even when not accepted
    if (fd >= 0)
      idle.push_back(fd);
  }
  EXPECT_EQ(e2e::waitFor(p0, 30000), 0) << e2e::readFile(s.dir + "/P0.log");
  for (int fd : idle)
    close(fd);
  json o = json::parse(e2e::readFile(s.dir + "/P0.out"), nullptr, false);
  ASSERT_FALSE(o.is_discarded()) << e2e::readFile(s.dir + "/P0.log");
  EXPECT_GE(o["client_accept_pauses"].get<int>(), 1) << o.dump();
  // Four seconds, most of them with connections it cannot accept.
  EXPECT_LT(o["cpu_us"].get<int64_t>(), 1500000) << o.dump();
}

// Sessions are the cluster's (issue 17: two clients with the same
// client-chosen id both got acks while one write was lost; a retry of an
// applied request got no reply): two load generators at once each get a
// session and every acknowledged put is applied; a put retried at another
// replica gets its original reply (same slot) and is applied once; a get
// at another replica (its read index) sees it, and cas / del answer by the
// current value.
TEST(Kv, SessionsAreExactlyOnceAndReadsAreLinearizable) {
  Store s = build(3, "sessions");
  ASSERT_FALSE(s.bin.empty());
  auto pids = startReplicas(s, 0);
  ASSERT_TRUE(listening(s));
  const uint64_t each = 400;
  auto loadArgs = [&] {
    return std::vector<std::string>{
        s.bin,           "--kv-load",   "--servers",
        servers(s),      "--requests",  std::to_string(each),
        "--concurrency", "32",          "--value-size",
        "256",           "--key-space", "20",
        "--get-percent", "25",          "--max-seconds",
        "120",           "--json"};
  };
  pid_t a = e2e::spawn(loadArgs(), s.dir + "/a.out", s.dir + "/a.err");
  pid_t b = e2e::spawn(loadArgs(), s.dir + "/b.out", s.dir + "/b.err");
  EXPECT_EQ(e2e::waitFor(a, 130000), 0) << e2e::readFile(s.dir + "/a.err");
  EXPECT_EQ(e2e::waitFor(b, 130000), 0) << e2e::readFile(s.dir + "/b.err");
  json ja = json::parse(e2e::readFile(s.dir + "/a.out"), nullptr, false);
  json jb = json::parse(e2e::readFile(s.dir + "/b.out"), nullptr, false);
  ASSERT_FALSE(ja.is_discarded() || jb.is_discarded());
  EXPECT_EQ(ja["completed"], each);
  EXPECT_EQ(jb["completed"], each);
  EXPECT_NE(ja["session"], jb["session"]);
  EXPECT_GT(ja["reads"].get<int>(), 0);

  // A put at P0, then the same request retried at P1 and P2.
  int p0 = dialClient(s.clientPorts[0]);
  ASSERT_GE(p0, 0);
  uint64_t ses = registerSession(p0, 99);
  ASSERT_NE(ses, 0u);
  ASSERT_TRUE(sendAll(p0, frameOf(opBody(1, ses, 0, "x", "first"))));
  Frame put = readFrame(p0);
  ASSERT_TRUE(put.ok && put.type == 13 && put.code == 0) << int(put.type);
  for (int port : {s.clientPorts[1], s.clientPorts[2]}) {
    int q = dialClient(port);
    ASSERT_GE(q, 0);
    ASSERT_TRUE(sendAll(q, frameOf(opBody(1, ses, 0, "x", "first"))));
    Frame again = readFrame(q);
    EXPECT_TRUE(again.ok && again.type == 13 && again.code == 0)
        << int(again.type);
    EXPECT_EQ(again.slot, put.slot) << "a retry was applied again";
    close(q);
  }
  // A get at P2 (its read index) sees the put acknowledged at P0.
  int p2 = dialClient(s.clientPorts[2]);
  ASSERT_GE(p2, 0);
  ASSERT_TRUE(sendAll(p2, frameOf(opBody(2, ses, 1, "x", ""))));
  Frame get = readFrame(p2);
  EXPECT_TRUE(get.ok && get.type == 13 && get.code == 0 && get.value == "first")
      << get.value;
  // cas with a wrong expectation returns the current value; with the right
  // one it swaps; del then get says not found.
  ASSERT_TRUE(sendAll(p2, frameOf(opBody(4, ses, 2, "x", "second", "nope"))));
  Frame cas = readFrame(p2);
  EXPECT_TRUE(cas.ok && cas.code == 2 && cas.value == "first")
      << int(cas.code) << " " << cas.value;
  ASSERT_TRUE(sendAll(p2, frameOf(opBody(4, ses, 3, "x", "second", "first"))));
  EXPECT_EQ(readFrame(p2).code, 0);
  ASSERT_TRUE(sendAll(p2, frameOf(opBody(3, ses, 4, "x", ""))));
  EXPECT_EQ(readFrame(p2).code, 0);
  ASSERT_TRUE(sendAll(p2, frameOf(opBody(2, ses, 5, "x", ""))));
  EXPECT_EQ(readFrame(p2).code, 1);
  // An unknown session is told so.
  ASSERT_TRUE(sendAll(p2, frameOf(opBody(1, 123456789, 0, "y", "z"))));
  EXPECT_EQ(readFrame(p2).code, 3);
  close(p0);
  close(p2);

  // Every replica applied the same: the generators' puts (their gets are
  // read, not applied), 4 here (the retries not again, the gets not at
  // all, nor the unknown session's put), 3 sessions.
  uint64_t puts =
      2 * each - ja["reads"].get<uint64_t>() - jb["reads"].get<uint64_t>();
  auto outs = stopAndCompare(s, pids, "", puts + 4);
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[0]["sessions"], 3);
}

// Forged replica frames under an authenticated deployment (issue 17: under
// PLAINTEXT one spoofed hello and five forged "decided" frames forked a
// replica's log; PLAINTEXT authenticates nothing, by definition). With
// HMAC_SHA256 links, an attacker without keys who dials P0's peer port,
// claims to be P1 and sends "decided" frames for the next slots gets every
// frame rejected and counted; the replicas still agree and serve.
TEST(Kv, ForgedDecidedFramesAreRejectedUnderHmac) {
  Store s = build(3, "forged", "HMAC_SHA256");
  ASSERT_FALSE(s.bin.empty());
  auto pids = startReplicas(s, 0, 0, {"--keys", s.dir + "/keys"});
  ASSERT_TRUE(listening(s));
  json load = runLoad(s, 200, {}, 120000);
  EXPECT_EQ(load["completed"], 200) << load.dump();
  // The attack: hello naming P1, then "decided" (u8 23, slot, value 2) for
  // slots 0..40, unauthenticated.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(s.peerPorts[0]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a), 0);
  std::string attack = frameOf(mommie::rt::Transport::helloPayload(1));
  for (uint64_t slot = 0; slot < 40; ++slot) {
    Writer decided;
    decided.u8(mommie::rt::FrameKvDecided);
    decided.varint(slot);
    decided.varint(2);
    attack += frameOf(decided.buffer());
  }
  ASSERT_EQ(send(fd, attack.data(), attack.size(), MSG_NOSIGNAL),
            ssize_t(attack.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  close(fd);
  // More load after the attack: the store still serves, and the replicas
  // applied the same log (stopAndCompare), P0 counting the forgeries.
  load = runLoad(s, 200, {}, 120000);
  EXPECT_EQ(load["completed"], 200) << load.dump();
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--sync", "--servers", servers(s),
                      "--max-seconds", "60"},
                     s.dir, 90000),
            0);
  for (const auto &[n, p] : pids)
    kill(p, SIGTERM);
  std::vector<json> outs;
  for (const auto &[n, p] : pids) {
    EXPECT_EQ(e2e::waitFor(p, 30000), 0) << n;
    json o =
        json::parse(e2e::readFile(s.dir + "/" + n + ".out"), nullptr, false);
    ASSERT_FALSE(o.is_discarded())
        << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    EXPECT_EQ(o["requests_applied"], 400 + o["sessions"].get<int>())
        << n << " " << o.dump();
    if (n == "P0") {
      EXPECT_GE(o["bad_frames"].get<int>(), 1)
          << "the forged frames were not counted: " << o.dump();
    }
    outs.push_back(o);
  }
  for (const auto &o : outs) {
    EXPECT_EQ(o["log_digest"], outs[0]["log_digest"]) << o["node"];
    EXPECT_EQ(o["state_digest"], outs[0]["state_digest"]) << o["node"];
  }
}

// The command-line client (apps/kv/KvClientMain.cpp, on the client library
// KvClient.h): each operation, its output and exit code, JSON, status of
// every replica, and bad usage.
TEST(Kv, CommandLineClient) {
  Store s = build(3, "cli");
  ASSERT_FALSE(s.bin.empty());
  auto pids = startReplicas(s, 0);
  ASSERT_TRUE(listening(s));
  auto cli = [&](std::vector<std::string> args, std::string &out) {
    return kvClient(s, args, out);
  };
  std::string out;
  EXPECT_EQ(cli({"put", "color", "blue"}, out), 0) << out;
  EXPECT_EQ(out, "ok\n");
  EXPECT_EQ(cli({"get", "color"}, out), 0) << out;
  EXPECT_EQ(out, "blue\n");
  EXPECT_EQ(cli({"cas", "color", "red", "green"}, out), 1) << out;
  EXPECT_EQ(out, "cas mismatch: held blue\n");
  EXPECT_EQ(cli({"cas", "color", "blue", "green"}, out), 0) << out;
  EXPECT_EQ(cli({"cas-absent", "color", "x"}, out), 1) << out;
  EXPECT_EQ(cli({"cas-absent", "shape", "round"}, out), 0) << out;
  EXPECT_EQ(cli({"--json", "get", "color"}, out), 0) << out;
  json j = json::parse(out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << out;
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["value"], "green");
  EXPECT_GT(j["session"].get<int>(), 0);
  EXPECT_EQ(cli({"del", "color"}, out), 0) << out;
  EXPECT_EQ(cli({"get", "color"}, out), 1) << out;
  EXPECT_EQ(out, "not found\n");
  EXPECT_EQ(cli({"get", "shape"}, out), 0) << out;
  EXPECT_EQ(out, "round\n");
  EXPECT_EQ(cli({"--json", "status"}, out), 0) << out;
  j = json::parse(out, nullptr, false);
  ASSERT_TRUE(j.is_array()) << out;
  EXPECT_EQ(j.size(), 3u);
  EXPECT_GT(j[0]["applied"].get<int>(), 0);
  // Bad usage: exit 2 with a message.
  EXPECT_EQ(cli({"put", "k"}, out), 2);
  EXPECT_NE(out.find("'put' takes 2 operand(s)"), std::string::npos) << out;
  EXPECT_EQ(cli({"frobnicate"}, out), 2);
  EXPECT_EQ(
      e2e::run({s.bin, "--kv-client", "--servers", "localhost:1", "get", "k"},
               s.dir, 30000),
      2);
  // Every replica applied the same: the 6 updates above (a refused cas
  // too goes through the log; the 4 gets are read, not applied), plus one
  // session per invocation.
  auto outs = stopAndCompare(s, pids, "", 6);
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[0]["keys"], 1);
}

// Durability (--data-dir): every replica killed with SIGKILL after the
// writes were acknowledged, then restarted on its directory: the store
// holds every acknowledged write, the replicas agree on the log, and the
// cluster goes on serving. A replica restarted without its directory is
// refused; with --fresh on an empty one, it starts anew.
TEST(Kv, AllReplicasKilledAndRestartedKeepAcknowledgedWrites) {
  Store s = build(3, "durable");
  ASSERT_FALSE(s.bin.empty());
  auto data = [&](const std::string &n) { return s.dir + "/" + n + ".data"; };
  auto start = [&](bool fresh) {
    std::map<std::string, pid_t> pids;
    for (size_t i = 0; i < s.names.size(); ++i) {
      std::vector<std::string> extra = {"--data-dir", data(s.names[i])};
      if (fresh)
        extra.push_back("--fresh");
      std::vector<std::string> argv = {
          s.bin,           "--kv",
          "--id",          s.names[i],
          "--deploy",      s.dir + "/deploy.conf",
          "--client-port", std::to_string(s.clientPorts[i]),
          "--run-for",     "240000",
          "--log-level",   "info",
          "--snapshot-mb", "1"};
      argv.insert(argv.end(), extra.begin(), extra.end());
      pids[s.names[i]] = e2e::spawn(argv, s.dir + "/" + s.names[i] + ".out",
                                    s.dir + "/" + s.names[i] + ".log");
    }
    return pids;
  };
  auto cli = [&](std::vector<std::string> args, std::string &out) {
    return kvClient(s, args, out);
  };
  auto pids = start(true);
  ASSERT_TRUE(listening(s));
  std::string out;
  for (int k = 0; k < 20; ++k)
    ASSERT_EQ(
        cli({"put", "key" + std::to_string(k), "value" + std::to_string(k)},
            out),
        0)
        << out;
  json load = runLoad(s, 2000, {}, 60000);
  EXPECT_EQ(load["completed"], 2000) << load.dump();
  // Every replica dies at once, with no warning.
  for (auto &[n, p] : pids)
    kill(p, SIGKILL);
  for (auto &[n, p] : pids)
    waitpid(p, nullptr, 0);
  // Without its directory a replica is refused (exit 2, nothing started).
  EXPECT_EQ(
      e2e::run({s.bin, "--kv", "--id", "P1", "--deploy", s.dir + "/deploy.conf",
                "--client-port", std::to_string(s.clientPorts[1]), "--data-dir",
                s.dir + "/elsewhere"},
               s.dir, 10000),
      2);
  EXPECT_NE(e2e::readFile(s.dir + "/run.err").find("--fresh"),
            std::string::npos);
  pids = start(false);
  ASSERT_TRUE(listening(s));
  // (The client port listens before the log is replayed: wait, bounded,
  // for each replica's `recovered` line.)
  for (const auto &n : s.names) {
    std::string log;
    for (int tries = 0; tries < 200; ++tries) {
      log = e2e::readFile(s.dir + "/" + n + ".log");
      if (log.find("\"event\":\"recovered\"") != std::string::npos)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_NE(log.find("\"event\":\"recovered\""), std::string::npos)
        << n << ": " << log;
  }
  for (int k = 0; k < 20; ++k) {
    ASSERT_EQ(cli({"get", "key" + std::to_string(k)}, out), 0) << out;
    EXPECT_EQ(out, "value" + std::to_string(k) + "\n");
  }
  // It goes on serving, on the same log.
  EXPECT_EQ(cli({"put", "after", "restart"}, out), 0) << out;
  EXPECT_EQ(cli({"get", "after"}, out), 0) << out;
  EXPECT_EQ(out, "restart\n");
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--sync", "--servers", servers(s),
                      "--max-seconds", "60"},
                     s.dir, 90000),
            0)
      << e2e::readFile(s.dir + "/run.out");
  std::vector<json> outs;
  for (auto &[n, p] : pids) {
    kill(p, SIGTERM);
    EXPECT_EQ(e2e::waitFor(p, 30000), 0)
        << n << ": " << e2e::readFile(s.dir + "/" + n + ".log");
    json o =
        json::parse(e2e::readFile(s.dir + "/" + n + ".out"), nullptr, false);
    ASSERT_FALSE(o.is_discarded()) << n;
    EXPECT_EQ(o["failed"], false) << o.dump();
    outs.push_back(o);
  }
  for (const auto &o : outs) {
    EXPECT_EQ(o["log_digest"], outs[0]["log_digest"]) << o["node"];
    EXPECT_EQ(o["state_digest"], outs[0]["state_digest"]) << o["node"];
    EXPECT_GT(o["recovered_slots"].get<uint64_t>(), 100u) << o.dump();
  }
  // The logs were compacted (--snapshot-mb 1: a snapshot every MiB), so
  // the restart replayed a snapshot and the slots after it.
  for (const auto &n : s.names) {
    EXPECT_NE(
        e2e::readFile(s.dir + "/" + n + ".log").find("\"snapshots\":\"1\""),
        std::string::npos)
        << n;
    EXPECT_LT(std::filesystem::file_size(data(n) + "/wal"), uint64_t(3) << 20)
        << n;
  }
}

// State transfer: P2 is killed, the two others apply far more than the 256
// slots they keep to answer a laggard slot by slot (and send it more than
// the 64 MiB a transport queues for a peer that is down: 64 KiB values),
// and P2 restarts on its data directory: it catches up from a peer's
// snapshot (offer, ask, chunks), and all three end with the same log and
// state.
TEST(Kv, LaggingReplicaCatchesUpBySnapshot) {
  Store s = build(3, "transfer");
  ASSERT_FALSE(s.bin.empty());
  auto replica = [&](size_t i, bool fresh, const std::string &life) {
    std::vector<std::string> argv = {
        s.bin,           "--kv",
        "--id",          s.names[i],
        "--deploy",      s.dir + "/deploy.conf",
        "--client-port", std::to_string(s.clientPorts[i]),
        "--run-for",     "240000",
        "--log-level",   "info",
        "--data-dir",    s.dir + "/" + s.names[i] + ".data",
        "--batch-bytes", "262144",
        "--fsync",       "off"};
    if (fresh)
      argv.push_back("--fresh");
    return e2e::spawn(argv, s.dir + "/" + s.names[i] + life + ".out",
                      s.dir + "/" + s.names[i] + life + ".log");
  };
  std::map<std::string, pid_t> pids;
  for (size_t i = 0; i < s.names.size(); ++i)
    pids[s.names[i]] = replica(i, true, "");
  ASSERT_TRUE(listening(s));
  json first = runLoad(s, 200, {}, 60000);
  EXPECT_EQ(first["completed"], 200);
  kill(pids["P2"], SIGKILL);
  waitpid(pids["P2"], nullptr, 0);
  // The load generator fails over from P2 to the others.
  json load = runLoad(s, 1600, {"--value-size", "65536"}, 90000);
  EXPECT_EQ(load["completed"], 1600) << load.dump();
  pids["P2"] = replica(2, false, ".2");
  EXPECT_EQ(e2e::run({s.bin, "--kv-load", "--sync", "--servers", servers(s),
                      "--max-seconds", "60"},
                     s.dir, 90000),
            0)
      << e2e::readFile(s.dir + "/run.out")
      << e2e::readFile(s.dir + "/P2.2.log");
  std::vector<json> outs;
  for (auto &[n, p] : pids) {
    kill(p, SIGTERM);
    EXPECT_EQ(e2e::waitFor(p, 30000), 0) << n;
    std::string life = n == "P2" ? ".2" : "";
    json o = json::parse(e2e::readFile(s.dir + "/" + n + life + ".out"),
                         nullptr, false);
    ASSERT_FALSE(o.is_discarded())
        << n << ": " << e2e::readFile(s.dir + "/" + n + life + ".log");
    EXPECT_EQ(o["failed"], false) << o.dump();
    outs.push_back(o);
  }
  for (const auto &o : outs) {
    EXPECT_EQ(o["log_digest"], outs[0]["log_digest"]) << o["node"];
    EXPECT_EQ(o["state_digest"], outs[0]["state_digest"]) << o["node"];
    EXPECT_EQ(o["applied_slots"], outs[0]["applied_slots"]) << o["node"];
  }
  json p2 = outs[2];
  EXPECT_EQ(p2["node"], "P2");
  EXPECT_GE(p2["snapshots_installed"].get<int>(), 1) << p2.dump();
  EXPECT_GT(outs[0]["applied_slots"].get<uint64_t>(),
            p2["recovered_slots"].get<uint64_t>() + 256)
      << p2.dump();
  EXPECT_GE(outs[0]["snapshots_sent"].get<int>() +
                outs[1]["snapshots_sent"].get<int>(),
            1);
}
