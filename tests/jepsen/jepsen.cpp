// mommie_jepsen: a Jepsen-style test of the replicated KV store (apps/kv
// on examples/last_voting.mom; docs/jepsen.md). For each seed it starts
// three replicas on loopback, runs C client threads (each a session of its
// own, one operation at a time: get, put or cas on K keys, recording every
// invocation and completion), and a nemesis that pauses replicas (SIGSTOP /
// SIGCONT), kills one for good (SIGKILL), and kills and restarts replicas
// on their data directories (restart: one replica, the leader P0, or a
// majority at once; every replica then runs with --data-dir), and with
// --loss P every replica drops P% of the frames it sends to its peers
// (seeded). After the run it heals, reads every key
// once more, and checks the history for linearizability (History.h). An
// operation that times out or loses its connection is recorded as "info":
// it may or may not have taken effect.
//
//   mommie_jepsen --mommie PATH [--seed S] [--runs N] [--seconds T]
//                 [--clients C] [--keys K] [--nemesis pause,kill,restart|none]
//                 [--loss P] [--dir DIR] [--keep]
//   mommie_jepsen --check HISTORY.jsonl     (checks a recorded history)
//
// Prints one line per run (seed, operations, infos, nemesis events,
// verdict) and a summary; exit 0 if every history is linearizable, 1 if
// one is not (its history is kept in DIR/seed-S/history.jsonl), 2 on bad
// usage or when the store cannot be built or started.
#include "History.h"

#include "../e2e/E2eUtil.h"
#include "apps/kv/KvClient.h"

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
using mommie::rt::KvClient;

namespace {

struct Options {
  std::string mommie, dir = "/tmp/mommie-jepsen";
  uint64_t seed = 1, runs = 1;
  int seconds = 20, clients = 8, keys = 8, loss = 0;
  bool pause = true, kill = true, restart = false, keep = false;
};

const int kReplicas = 3;

// "pause+kill+restart", "none", ...
std::string nemesisName(const Options &o) {
  std::string s;
  for (auto [on, name] :
       {std::pair{o.pause, "pause"}, {o.kill, "kill"}, {o.restart, "restart"}})
    if (on)
      s += (s.empty() ? "" : "+") + std::string(name);
  return s.empty() ? "none" : s;
}

// ---- The client protocol (apps/kv/KvNode.cpp, docs/rounds.md) ----

struct Shared {
  std::mutex mu;
  std::vector<Op> history;
  std::vector<int> clientPorts;
  Clock::time_point start;
  int64_t now() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() -
                                                                start)
        .count();
  }
  void record(const Op &op) {
    std::lock_guard<std::mutex> g(mu);
    history.push_back(op);
  }
};

// A client: one session of the client library (apps/kv/KvClient.h), one
// operation at a time, each recorded.
class Client {
public:
  Client(Shared &sh, int process, uint64_t seed)
      : sh_(sh), p_(process), kv_(endpoints(sh.clientPorts), 1000,
                                  seed * 1000003 + uint64_t(process) + 1) {}

  bool start(std::chrono::milliseconds patience) {
    std::string err;
    return kv_.open(err, patience);
  }

  void run(Op::Kind kind, const std::string &key, const std::string &value,
           const std::string &expected) {
    Op op;
    op.process = p_;
    op.key = key;
    op.kind = kind;
    op.value = value;
    op.expected = expected;
    op.invokeNs = sh_.now();
    KvClient::Result r = kind == Op::Kind::Get ? kv_.get(key)
                         : kind == Op::Kind::Put
                             ? kv_.put(key, value)
                             : kv_.cas(key, expected, value);
    switch (r.status) {
    case KvClient::Status::Refused: // busy, too large: it did not happen
      if (r.error.find("session") != std::string::npos ||
          r.error.find("stale") != std::string::npos)
        std::cerr << "jepsen: p" << p_ << ": " << r.error
                  << "\n"; // the harness's mistake
      return;
    case KvClient::Status::Indeterminate: // it may or may not take effect
      op.result = Op::Result::Info;
      op.returnNs = -1;
      break;
    case KvClient::Status::Ok:
      op.result = Op::Result::Ok;
      if (kind == Op::Kind::Get)
        op.read = r.value;
      break;
    case KvClient::Status::NotFound:
      op.result = Op::Result::NotFound;
      break;
    case KvClient::Status::CasMismatch:
      op.result = Op::Result::CasFail;
      if (!r.absent)
        op.read = r.value;
      break;
    }
    if (op.result != Op::Result::Info)
      op.returnNs = sh_.now();
    sh_.record(op);
  }

  int process() const { return p_; }

private:
  static std::vector<KvClient::Endpoint>
  endpoints(const std::vector<int> &ports) {
    std::vector<KvClient::Endpoint> out;
    for (int p : ports)
      out.emplace_back("127.0.0.1", p);
    return out;
  }
  Shared &sh_;
  int p_;
  KvClient kv_;
};

struct RunResult {
  bool started = false;
  Verdict verdict;
  size_t nemesisEvents = 0, ok = 0;
  std::string why;
};

RunResult runOnce(const Options &o, const std::string &bin, uint64_t seed,
                  const fs::path &dir) {
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
  std::vector<int> lives(kReplicas, 0);
  // Replica i's next life: the first with --fresh on an empty data
  // directory (restart nemesis), later ones on the directory as it was
  // left. Each life has its own outcome and log files.
  auto startReplica = [&](int i) {
    std::string id = "P" + std::to_string(i);
    std::vector<std::string> argv = {
        bin,
        "--kv",
        "--id",
        id,
        "--deploy",
        (dir / "deploy.conf").string(),
        "--client-port",
        std::to_string(ports[size_t(kReplicas + i)]),
        "--run-for",
        std::to_string((o.seconds + 90) * 1000),
        "--drop-percent",
        std::to_string(o.loss),
        "--seed",
        std::to_string(seed + uint64_t(lives[size_t(i)])),
        "--log-level",
        "info"};
    if (o.restart) {
      argv.insert(argv.end(), {"--data-dir", (dir / (id + ".data")).string()});
      if (lives[size_t(i)] == 0)
        argv.push_back("--fresh");
    }
    std::string life =
        lives[size_t(i)] == 0 ? "" : "." + std::to_string(lives[size_t(i)]);
    ++lives[size_t(i)];
    pids[size_t(i)] = spawn(argv, (dir / (id + life + ".out")).string(),
                            (dir / (id + life + ".log")).string());
  };
  for (int i = 0; i < kReplicas; ++i) {
    sh.clientPorts.push_back(ports[size_t(kReplicas + i)]);
    startReplica(i);
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
    clients.push_back(std::make_unique<Client>(sh, c, seed));
    if (!clients.back()->start(std::chrono::seconds(30))) {
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
          c->run(Op::Kind::Get, key, "", "");
        } else if (pick < 85 || seen.empty()) {
          std::string v =
              "p" + std::to_string(c->process()) + "-" + std::to_string(n++);
          seen.push_back(v);
          c->run(Op::Kind::Put, key, v, "");
        } else {
          std::string v =
              "p" + std::to_string(c->process()) + "-" + std::to_string(n++);
          c->run(Op::Kind::Cas, key, v, seen[rng() % seen.size()]);
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
    nemesisLog << "{\"t_ns\":" << sh.now() << ",\"event\":\"" << what
               << "\",\"replica\":\"P" << r << "\"}\n";
    ++res.nemesisEvents;
  };
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700 + nrng() % 1300));
    if (Clock::now() >= deadline)
      break;
    int r = int(nrng() % kReplicas);
    bool killNow = o.kill && !std::count(dead.begin(), dead.end(), true) &&
                   nrng() % 4 == 0;
    bool restartNow = o.restart && !killNow && nrng() % 3 == 0;
    if (dead[size_t(r)])
      continue;
    if (restartNow) {
      // Kill -9 and restart on the data directories: one replica, the
      // leader (P0: its batches win while it is up), or a majority.
      std::vector<int> victims;
      switch (nrng() % 3) {
      case 0:
        victims = {r};
        break;
      case 1:
        victims = {0};
        break;
      default:
        victims = {r, (r + 1) % kReplicas};
      }
      for (int v : victims)
        if (!dead[size_t(v)] && pids[size_t(v)] > 0) {
          kill(pids[size_t(v)], SIGCONT);
          kill(pids[size_t(v)], SIGKILL);
          waitpid(pids[size_t(v)], nullptr, 0);
          pids[size_t(v)] = -1;
          event("kill", v);
        }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(200 + nrng() % 800));
      for (int v : victims)
        if (!dead[size_t(v)] && pids[size_t(v)] < 0) {
          startReplica(v);
          event("restart", v);
        }
    } else if (killNow) {
      kill(pids[size_t(r)], SIGKILL);
      waitpid(pids[size_t(r)], nullptr, 0);
      pids[size_t(r)] = -1;
      dead[size_t(r)] = true;
      event("kill", r);
    } else if (o.pause) {
      kill(pids[size_t(r)], SIGSTOP);
      event("pause", r);
      std::this_thread::sleep_for(
          std::chrono::milliseconds(300 + nrng() % 1200));
      kill(pids[size_t(r)], SIGCONT);
      event("resume", r);
    }
  }
  done = true;
  for (auto &t : threads)
    t.join();
  // Healed: one more read of every key, by a fresh client (retried until
  // answered, bounded).
  Client finalReader(sh, o.clients, seed);
  if (finalReader.start(std::chrono::seconds(30)))
    for (int k = 0; k < o.keys; ++k)
      finalReader.run(Op::Kind::Get, "k" + std::to_string(k), "", "");
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
  std::cout << path << ": " << v.ops << " operations (" << v.infos
            << " indeterminate) on " << v.keys << " keys: ";
  if (!v.linearizable) {
    std::cout << "NOT linearizable at key " << v.key << "\n" << v.explanation;
    return 1;
  }
  std::cout << (v.exhausted ? "unknown (search budget exhausted)\n"
                            : "linearizable\n");
  return 0;
}

int usage(const std::string &why) {
  std::cerr << "mommie_jepsen: error: " << why
            << "\nusage: mommie_jepsen --mommie PATH [--seed S] [--runs N] "
               "[--seconds T] [--clients C] [--keys K]\n"
               "       [--nemesis pause,kill,restart|none] [--loss P] [--dir "
               "DIR] [--keep]\n"
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
      else if (a == "--loss")
        o.loss = std::stoi(val());
      else if (a == "--dir")
        o.dir = val();
      else if (a == "--keep")
        o.keep = true;
      else if (a == "--nemesis") {
        std::string n = val();
        o.pause = n.find("pause") != std::string::npos;
        o.kill = n.find("kill") != std::string::npos;
        o.restart = n.find("restart") != std::string::npos;
        if (n != "none" && !o.pause && !o.kill && !o.restart)
          throw std::runtime_error(
              "bad --nemesis '" + n +
              "' (pause, kill, restart, any of them, or none)");
      } else
        throw std::runtime_error("unknown argument '" + a + "'");
    }
  } catch (const std::exception &e) {
    return usage(e.what());
  }
  if (o.mommie.empty())
    return usage("--mommie is required");
  if (o.seconds < 1 || o.seconds > 3600 || o.clients < 1 || o.clients > 256 ||
      o.keys < 1 || o.keys > 1000 || o.runs < 1 || o.runs > 10000 ||
      o.loss < 0 || o.loss > 50)
    return usage("--seconds 1..3600, --clients 1..256, --keys 1..1000, --runs "
                 "1..10000, --loss 0..50");
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
  int rc = waitFor(
      spawn({o.mommie, "build", src, "--deploy",
             (fs::path(o.dir) / "build.conf").string(), "-o", bin, "--app",
             "kv", "-D", "N=3", "-D", "V=3", "-D", "MaxPhase=40"},
            (fs::path(o.dir) / "build.out").string(),
            (fs::path(o.dir) / "build.err").string()),
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
    std::cout << "seed " << s << ": " << r.verdict.ops << " operations ("
              << r.ok << " answered, " << r.verdict.infos
              << " indeterminate) on " << r.verdict.keys << " keys, "
              << r.nemesisEvents << " nemesis events: ";
    if (!r.verdict.linearizable) {
      ++violations;
      bad.push_back(s);
      std::cout << "NOT linearizable at key " << r.verdict.key << " (history "
                << (dir / "history.jsonl").string() << ")\n"
                << r.verdict.explanation;
    } else if (r.verdict.exhausted) {
      ++unknown;
      std::cout << "unknown (the search exhausted its budget at key "
                << r.verdict.key << ")\n";
    } else {
      ++linearizable;
      std::cout << "linearizable\n";
      if (!o.keep)
        fs::remove_all(dir);
    }
    std::cout.flush();
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << "jepsen: " << o.runs << " runs (seeds " << o.seed << ".."
            << o.seed + o.runs - 1 << "), " << o.clients << " clients, "
            << o.keys << " keys, " << o.seconds << " s each, nemesis "
            << nemesisName(o) << ", " << o.loss
            << "% link loss: " << linearizable << " linearizable, "
            << violations << " not, " << unknown << " unknown; " << ops
            << " operations, " << infos << " indeterminate; " << secs << " s\n";
  if (!bad.empty()) {
    std::cout << "not linearizable: seeds";
    for (auto s : bad)
      std::cout << " " << s;
    std::cout << "\n";
  }
  return violations ? 1 : 0;
}
