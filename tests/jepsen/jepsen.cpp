// mommie_jepsen: a Jepsen-style test of the replicated KV store (apps/kv
// on examples/last_voting.mom; docs/jepsen.md). For each seed it starts
// three replicas on loopback, runs C client threads (each a session of its
// own, one operation at a time: get, put or cas on K keys, recording every
// invocation and completion), and a nemesis that pauses replicas (SIGSTOP /
// SIGCONT) and kills one (SIGKILL). After the run it heals, reads every key
// once more, and checks the history for linearizability (History.h). An
// operation that times out or loses its connection is recorded as "info":
// it may or may not have taken effect.
//
//   mommie_jepsen --mommie PATH [--seed S] [--runs N] [--seconds T]
//                 [--clients C] [--keys K] [--nemesis pause,kill|none]
//                 [--dir DIR] [--keep]
//   mommie_jepsen --check HISTORY.jsonl     (checks a recorded history)
//
// Prints one line per run (seed, operations, infos, nemesis events,
// verdict) and a summary; exit 0 if every history is linearizable, 1 if
// one is not (its history is kept in DIR/seed-S/history.jsonl), 2 on bad
// usage or when the store cannot be built or started.
#include "History.h"

#include "../e2e/E2eUtil.h"
#include "../e2e/KvProtocol.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace mommie::jepsen;
using Clock = std::chrono::steady_clock;
using e2e::freePorts;
using e2e::spawn;
using e2e::waitFor;
using kvproto::readStr;
using kvproto::readVarint;

namespace {

struct Options {
  std::string mommie, dir = "/tmp/mommie-jepsen";
  uint64_t seed = 1, runs = 1;
  int seconds = 20, clients = 8, keys = 8;
  bool pause = true, kill = true, keep = false;
};

const int kReplicas = 3;

// ---- The client protocol (apps/kv/KvNode.cpp, docs/rounds.md) ----

class Connection {
public:
  ~Connection() { close(); }
  bool open(int port, int timeoutMs) {
    close();
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
      close();
      return false;
    }
    return true;
  }
  void close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }
  bool isOpen() const { return fd_ >= 0; }
  bool send(const std::string &body) {
    std::string f = kvproto::frameOf(body);
    size_t at = 0;
    while (at < f.size()) {
      ssize_t k = ::send(fd_, f.data() + at, f.size() - at, MSG_NOSIGNAL);
      if (k <= 0)
        return false;
      at += size_t(k);
    }
    return true;
  }
  // One frame's body; false on timeout or a closed connection.
  bool receive(std::string &body) {
    std::string hdr;
    if (!readN(hdr, 4))
      return false;
    uint32_t len = (uint32_t(uint8_t(hdr[0])) << 24) | (uint32_t(uint8_t(hdr[1])) << 16) |
                   (uint32_t(uint8_t(hdr[2])) << 8) | uint32_t(uint8_t(hdr[3]));
    return len > 0 && len <= (1u << 20) && readN(body, len);
  }

private:
  bool readN(std::string &out, size_t n) {
    out.resize(n);
    size_t at = 0;
    while (at < n) {
      ssize_t k = recv(fd_, &out[at], n - at, 0);
      if (k <= 0)
        return false;
      at += size_t(k);
    }
    return true;
  }
  int fd_ = -1;
};

struct Shared {
  std::mutex mu;
  std::vector<Op> history;
  std::vector<int> clientPorts;
  Clock::time_point start;
  int64_t now() const { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count(); }
  void record(const Op &op) {
    std::lock_guard<std::mutex> g(mu);
    history.push_back(op);
  }
};

// A client: one session, one operation at a time.
class Client {
public:
  Client(Shared &sh, int process, uint64_t seed, int keys) : sh_(sh), p_(process), rng_(seed), keys_(keys) {
    server_ = int(rng_() % sh_.clientPorts.size());
  }

  // Registers a session (retrying at the next replica); false by `until`.
  bool start(Clock::time_point until) {
    uint64_t nonce = rng_();
    while (Clock::now() < until) {
      if (!conn_.isOpen() && !conn_.open(sh_.clientPorts[size_t(server_)], 1000)) {
        rotate();
        continue;
      }
      std::string r;
      if (conn_.send(kvproto::registerBody(nonce)) && conn_.receive(r) && uint8_t(r[0]) == 11) {
        size_t at = 1;
        if (readVarint(r, at) == nonce) {
          session_ = readVarint(r, at);
          return true;
        }
      }
      rotate();
    }
    return false;
  }

  // One operation: op 2 get, 1 put, 4 cas.
  void run(uint8_t opCode, const std::string &key, const std::string &value, const std::string &expected) {
    Op op;
    op.process = p_;
    op.key = key;
    op.kind = opCode == 2 ? Op::Kind::Get : opCode == 1 ? Op::Kind::Put : Op::Kind::Cas;
    op.value = value;
    op.expected = expected;
    uint64_t seq = seq_++;
    // ack = seq: every earlier request is answered or abandoned.
    std::string b = kvproto::opBody(opCode, session_, seq, seq, key, value, expected);
    if (!conn_.isOpen() && !conn_.open(sh_.clientPorts[size_t(server_)], 1000)) {
      rotate();
      return; // not sent: no operation
    }
    op.invokeNs = sh_.now();
    std::string r;
    bool sent = conn_.send(b);
    while (sent && conn_.receive(r)) {
      size_t at = 1;
      uint8_t type = uint8_t(r[0]);
      uint64_t ses = readVarint(r, at), s = readVarint(r, at);
      if (ses != session_ || s != seq)
        continue; // (a reply to an abandoned request)
      if (type == 5) // refused (busy, too large): it did not happen
        return;
      if (type != 13)
        break;
      uint8_t result = uint8_t(r[at++]);
      readVarint(r, at); // slot
      std::string v = readStr(r, at);
      op.returnNs = sh_.now();
      switch (result) {
      case 0:
        op.result = Op::Result::Ok;
        if (op.kind == Op::Kind::Get)
          op.read = v;
        break;
      case 1:
        op.result = Op::Result::NotFound;
        break;
      case 2: // the store answers the value held; empty: absent (our values never are)
        op.result = Op::Result::CasFail;
        if (!v.empty())
          op.read = v;
        break;
      default: // unknown session or stale: the harness's mistake
        std::cerr << "jepsen: p" << p_ << ": unexpected result " << int(result) << "\n";
        return;
      }
      sh_.record(op);
      return;
    }
    // No answer: it may or may not take effect.
    op.result = Op::Result::Info;
    op.returnNs = -1;
    sh_.record(op);
    conn_.close();
    rotate();
  }

  int process() const { return p_; }

private:
  void rotate() {
    conn_.close();
    server_ = (server_ + 1) % int(sh_.clientPorts.size());
  }
  Shared &sh_;
  int p_;
  std::mt19937_64 rng_;
  int keys_;
  Connection conn_;
  int server_ = 0;
  uint64_t session_ = 0, seq_ = 0;
};

struct RunResult {
  bool started = false;
  Verdict verdict;
  size_t nemesisEvents = 0, ok = 0;
  std::string why;
};

RunResult runOnce(const Options &o, const std::string &bin, uint64_t seed, const fs::path &dir) {
  RunResult res;
  fs::create_directories(dir);
  auto ports = freePorts(2 * kReplicas);
  {
    std::ofstream conf(dir / "deploy.conf");
    conf << "[Hosts]\n";
    for (int i = 0; i < kReplicas; ++i)
      conf << "P" << i << " = 127.0.0.1:" << ports[size_t(i)] << "\n";
  }
  Shared sh;
  std::vector<pid_t> pids(kReplicas);
  for (int i = 0; i < kReplicas; ++i) {
    sh.clientPorts.push_back(ports[size_t(kReplicas + i)]);
    std::string id = "P" + std::to_string(i);
    pids[size_t(i)] = spawn({bin, "--kv", "--id", id, "--deploy", (dir / "deploy.conf").string(), "--client-port",
                             std::to_string(ports[size_t(kReplicas + i)]), "--run-for",
                             std::to_string((o.seconds + 90) * 1000)},
                            (dir / (id + ".out")).string(), (dir / (id + ".log")).string());
  }
  auto stopAll = [&] {
    for (pid_t p : pids)
      if (p > 0) {
        kill(p, SIGCONT);
        kill(p, SIGTERM);
      }
    for (pid_t &p : pids)
      if (p > 0)
        waitFor(p, 20000), p = -1;
  };
  sh.start = Clock::now();
  // Every client registers its session before the clock starts.
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < o.clients; ++c) {
    clients.push_back(std::make_unique<Client>(sh, c, seed * 1000 + uint64_t(c), o.keys));
    if (!clients.back()->start(Clock::now() + std::chrono::seconds(30))) {
      res.why = "client " + std::to_string(c) + " could not register a session";
      stopAll();
      return res;
    }
  }
  res.started = true;
  auto deadline = Clock::now() + std::chrono::seconds(o.seconds);
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (auto &cl : clients) {
    Client *c = cl.get();
    threads.emplace_back([c, &o, &done, seed] {
      std::mt19937_64 rng(seed * 7919 + uint64_t(c->process()));
      std::vector<std::string> seen; // values this client wrote or read
      uint64_t n = 0;
      while (!done) {
        std::string key = "k" + std::to_string(rng() % uint64_t(o.keys));
        int pick = int(rng() % 100);
        if (pick < 50) {
          c->run(2, key, "", "");
        } else if (pick < 85 || seen.empty()) {
          std::string v = "p" + std::to_string(c->process()) + "-" + std::to_string(n++);
          seen.push_back(v);
          c->run(1, key, v, "");
        } else {
          std::string v = "p" + std::to_string(c->process()) + "-" + std::to_string(n++);
          c->run(4, key, v, seen[rng() % seen.size()]);
          seen.push_back(v);
        }
      }
    });
  }
  // The nemesis.
  std::mt19937_64 nrng(seed);
  std::ofstream nemesisLog(dir / "nemesis.jsonl");
  std::vector<bool> dead(kReplicas, false);
  auto event = [&](const std::string &what, int r) {
    nemesisLog << "{\"t_ns\":" << sh.now() << ",\"event\":\"" << what << "\",\"replica\":\"P" << r << "\"}\n";
    ++res.nemesisEvents;
  };
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700 + nrng() % 1300));
    if (Clock::now() >= deadline)
      break;
    int r = int(nrng() % kReplicas);
    bool killNow = o.kill && !std::count(dead.begin(), dead.end(), true) && nrng() % 4 == 0;
    if (dead[size_t(r)])
      continue;
    if (killNow) {
      kill(pids[size_t(r)], SIGKILL);
      waitpid(pids[size_t(r)], nullptr, 0);
      pids[size_t(r)] = -1;
      dead[size_t(r)] = true;
      event("kill", r);
    } else if (o.pause) {
      kill(pids[size_t(r)], SIGSTOP);
      event("pause", r);
      std::this_thread::sleep_for(std::chrono::milliseconds(300 + nrng() % 1200));
      kill(pids[size_t(r)], SIGCONT);
      event("resume", r);
    }
  }
  done = true;
  for (auto &t : threads)
    t.join();
  // Healed: one more read of every key, by a fresh client (retried until
  // answered, bounded).
  Client finalReader(sh, o.clients, seed * 1000 + 999, o.keys);
  if (finalReader.start(Clock::now() + std::chrono::seconds(30)))
    for (int k = 0; k < o.keys; ++k)
      finalReader.run(2, "k" + std::to_string(k), "", "");
  stopAll();
  {
    std::ofstream h(dir / "history.jsonl");
    for (const auto &op : sh.history)
      h << toJson(op) << "\n";
  }
  for (const auto &op : sh.history)
    res.ok += op.result != Op::Result::Info;
  res.verdict = checkLinearizable(sh.history);
  return res;
}

// --check FILE: 0 linearizable, 1 not, 2 a malformed history.
int checkFile(const std::string &path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "mommie_jepsen: error: cannot read " << path << "\n";
    return 2;
  }
  std::vector<Op> history;
  std::string line, err;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty())
      continue;
    Op op;
    if (!fromJson(line, op, err)) {
      std::cerr << path << ":" << n << ": error: " << err << "\n";
      return 2;
    }
    history.push_back(std::move(op));
  }
  Verdict v = checkLinearizable(history);
  std::cout << path << ": " << v.ops << " operations (" << v.infos << " indeterminate) on " << v.keys << " keys: ";
  if (!v.linearizable) {
    std::cout << "NOT linearizable at key " << v.key << "\n" << v.explanation;
    return 1;
  }
  std::cout << (v.exhausted ? "unknown (search budget exhausted)\n" : "linearizable\n");
  return 0;
}

int usage(const std::string &why) {
  std::cerr << "mommie_jepsen: error: " << why
            << "\nusage: mommie_jepsen --mommie PATH [--seed S] [--runs N] [--seconds T] [--clients C] [--keys K]\n"
               "       [--nemesis pause,kill|none] [--dir DIR] [--keep]\n"
               "       mommie_jepsen --check HISTORY.jsonl\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    for (size_t i = 0; i < args.size(); ++i) {
      auto val = [&]() -> std::string {
        if (i + 1 >= args.size())
          throw std::runtime_error(args[i] + " needs a value");
        return args[++i];
      };
      const std::string &a = args[i];
      if (a == "--check")
        return checkFile(val());
      if (a == "--mommie")
        o.mommie = val();
      else if (a == "--seed")
        o.seed = std::stoull(val());
      else if (a == "--runs")
        o.runs = std::stoull(val());
      else if (a == "--seconds")
        o.seconds = std::stoi(val());
      else if (a == "--clients")
        o.clients = std::stoi(val());
      else if (a == "--keys")
        o.keys = std::stoi(val());
      else if (a == "--dir")
        o.dir = val();
      else if (a == "--keep")
        o.keep = true;
      else if (a == "--nemesis") {
        std::string n = val();
        o.pause = n.find("pause") != std::string::npos;
        o.kill = n.find("kill") != std::string::npos;
        if (n != "none" && !o.pause && !o.kill)
          throw std::runtime_error("bad --nemesis '" + n + "' (pause, kill, both or none)");
      } else
        throw std::runtime_error("unknown argument '" + a + "'");
    }
  } catch (const std::exception &e) {
    return usage(e.what());
  }
  if (o.mommie.empty())
    return usage("--mommie is required");
  if (o.seconds < 1 || o.seconds > 3600 || o.clients < 1 || o.clients > 256 || o.keys < 1 || o.keys > 1000 ||
      o.runs < 1 || o.runs > 10000)
    return usage("--seconds 1..3600, --clients 1..256, --keys 1..1000, --runs 1..10000");
  signal(SIGPIPE, SIG_IGN);
  fs::create_directories(o.dir);
  // The store: last_voting.mom with the KV application, built once.
  std::string bin = (fs::path(o.dir) / "node").string();
  {
    auto ports = freePorts(kReplicas);
    std::ofstream conf(fs::path(o.dir) / "build.conf");
    conf << "[Hosts]\n";
    for (int i = 0; i < kReplicas; ++i)
      conf << "P" << i << " = 127.0.0.1:" << ports[size_t(i)] << "\n";
  }
  std::string src = MOMMIE_SOURCE_DIR "/examples/last_voting.mom";
  int rc = waitFor(spawn({o.mommie, "build", src, "--deploy", (fs::path(o.dir) / "build.conf").string(), "-o", bin,
                          "--app", "kv", "-D", "N=3", "-D", "V=3", "-D", "MaxPhase=40"},
                         (fs::path(o.dir) / "build.out").string(), (fs::path(o.dir) / "build.err").string()),
                   600000);
  if (rc != 0) {
    std::ifstream e(fs::path(o.dir) / "build.err");
    std::cerr << "mommie_jepsen: cannot build the store:\n" << e.rdbuf();
    return 2;
  }
  uint64_t linearizable = 0, violations = 0, unknown = 0, ops = 0, infos = 0;
  std::vector<uint64_t> bad;
  auto t0 = Clock::now();
  for (uint64_t s = o.seed; s < o.seed + o.runs; ++s) {
    fs::path dir = fs::path(o.dir) / ("seed-" + std::to_string(s));
    fs::remove_all(dir);
    RunResult r = runOnce(o, bin, s, dir);
    if (!r.started) {
      std::cout << "seed " << s << ": not started: " << r.why << "\n";
      return 2;
    }
    ops += r.verdict.ops;
    infos += r.verdict.infos;
    std::cout << "seed " << s << ": " << r.verdict.ops << " operations (" << r.ok << " answered, " << r.verdict.infos
              << " indeterminate) on " << r.verdict.keys << " keys, " << r.nemesisEvents << " nemesis events: ";
    if (!r.verdict.linearizable) {
      ++violations;
      bad.push_back(s);
      std::cout << "NOT linearizable at key " << r.verdict.key << " (history " << (dir / "history.jsonl").string()
                << ")\n"
                << r.verdict.explanation;
    } else if (r.verdict.exhausted) {
      ++unknown;
      std::cout << "unknown (the search exhausted its budget at key " << r.verdict.key << ")\n";
    } else {
      ++linearizable;
      std::cout << "linearizable\n";
      if (!o.keep)
        fs::remove_all(dir);
    }
    std::cout.flush();
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << "jepsen: " << o.runs << " runs (seeds " << o.seed << ".." << o.seed + o.runs - 1 << "), "
            << o.clients << " clients, " << o.keys << " keys, " << o.seconds << " s each, nemesis "
            << (o.pause ? "pause" : "") << (o.pause && o.kill ? "+" : "") << (o.kill ? "kill" : "")
            << (!o.pause && !o.kill ? "none" : "") << ": " << linearizable << " linearizable, " << violations
            << " not, " << unknown << " unknown; " << ops << " operations, " << infos << " indeterminate; " << secs
            << " s\n";
  if (!bad.empty()) {
    std::cout << "not linearizable: seeds";
    for (auto s : bad)
      std::cout << " " << s;
    std::cout << "\n";
  }
  return violations ? 1 : 0;
}
