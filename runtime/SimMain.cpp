// `BIN --sim`: every node of a deployment in this process, running the same
// generated code as `BIN --id X`, over the simulated network of
// SimTransport.h on one virtual-time EventLoop (docs/conform.md).
//
//   BIN --sim --deploy deploy.conf [--seed S] [--faults F] [--trace-dir DIR]
//       [--run-for MS] [--log-level L]
//
// The nodes are the principals of [Hosts]. Authentication modules run as
// deployed (keys are generated in memory). Each node writes DIR/<node>.jsonl
// as it would with --trace over TCP (t_us is virtual time); a Byzantine
// round node writes none. The run ends when nothing is left to do
// (quiescent) or at --run-for ms of virtual time (default 600000). One JSON
// line on stdout: the verdict, virtual time, network counters, and per node
// its counters and final state. Exit 0; 1 if a node that was not crashed by
// the simulator fail-stopped (evaluation error, body program check); 2 bad
// input.
#include "runtime/Auth.h"
#include "runtime/Deploy.h"
#include "runtime/Keys.h"
#include "runtime/Node.h"
#include "runtime/RoundNode.h"
#include "runtime/SimTransport.h"
#include "runtime/Ttp.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

namespace mommie::rt {

namespace {

struct SimFlags {
  std::string deploy, traceDir, faults, logLevel = "error";
  uint64_t seed = 1;
  int64_t runForMs = 600000;
};

int simUsage(const char *argv0, const std::string &why) {
  std::cerr << argv0 << ": error: " << why << "\n"
            << "usage: " << argv0
            << " --sim --deploy deploy.conf [--seed S] [--faults F] [--trace-dir DIR] "
               "[--run-for MS] [--log-level L]\n";
  return 2;
}

bool parseCount(const std::string &s, uint64_t &out) {
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (s.empty() || s[0] == '-' || errno || !end || *end)
    return false;
  out = v;
  return true;
}

// Flags, deploy file and faults; `nodes` = principals with a host, in
// principal order. Returns -1 to go on, else the exit code.
int setUp(int argc, char **argv, const std::vector<std::string> &principals, SimFlags &f,
          DeployConfig &conf, std::vector<int> &nodes, SimFaults &faults, LogLevel &level) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i], v;
    auto value = [&](std::string &out) {
      if (i + 1 >= argc)
        return false;
      out = argv[++i];
      return true;
    };
    uint64_t n = 0;
    if (a == "--deploy" && value(f.deploy)) {
    } else if (a == "--trace-dir" && value(f.traceDir)) {
    } else if (a == "--faults" && value(f.faults)) {
    } else if (a == "--log-level" && value(f.logLevel)) {
    } else if (a == "--seed" && value(v) && parseCount(v, f.seed)) {
    } else if (a == "--run-for" && value(v) && parseCount(v, n) && n < (uint64_t(1) << 40)) {
      f.runForMs = int64_t(n);
    } else {
      return simUsage(argv[0], "unknown, incomplete or bad option '" + a + "'");
    }
  }
  if (f.deploy.empty())
    return simUsage(argv[0], "--deploy is required");
  if (!parseLogLevel(f.logLevel, level))
    return simUsage(argv[0], "bad --log-level '" + f.logLevel + "'");
  std::vector<DeployError> errors;
  if (!loadDeployFile(f.deploy, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << f.deploy << ":" << e.line << ":" << e.col << ": error: " << e.message << "\n";
    if (errors.empty())
      std::cerr << argv[0] << ": error: cannot read " << f.deploy << "\n";
    return 2;
  }
  std::vector<bool> hosted(principals.size(), false);
  auto ttps = ttpPrincipals(conf, principals);
  for (const auto &h : conf.hosts) {
    if (std::find(ttps.begin(), ttps.end(), h.principal) != ttps.end())
      continue; // a TTP(z): simulated whether hosted or not
    size_t p = 0;
    while (p < principals.size() && principals[p] != h.principal)
      ++p;
    if (p == principals.size()) {
      std::cerr << f.deploy << ":" << h.line << ":1: error: unknown principal '" << h.principal
                << "'\n";
      return 2;
    }
    hosted[p] = true;
  }
  for (size_t p = 0; p < principals.size(); ++p)
    if (hosted[p])
      nodes.push_back(int(p));
  std::string err;
  if (!parseSimFaults(f.faults, principals, faults, err))
    return simUsage(argv[0], "--faults: " + err);
  for (const auto &c : faults.crashes)
    if (!hosted[size_t(c.node)])
      return simUsage(argv[0], "--faults: crash of " + principals[size_t(c.node)] +
                                   ", which has no host in the deploy file");
  for (int b : faults.byzantine)
    if (!hosted[size_t(b)])
      return simUsage(argv[0], "--faults: byz=" + principals[size_t(b)] +
                                   " has no host in the deploy file");
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules) {
        const AuthModuleInfo *mi = findAuthModule(m.name);
        if (!mi || !mi->implemented) {
          std::cerr << f.deploy << ":" << m.line << ":" << m.col << ": error: module " << m.name
                    << " is not implemented by this runtime yet\n";
          return 2;
        }
      }
  if (!f.traceDir.empty()) {
    FILE *probe = std::fopen((f.traceDir + "/.probe").c_str(), "w");
    if (!probe)
      return simUsage(argv[0], "cannot write to --trace-dir '" + f.traceDir + "'");
    std::fclose(probe);
    std::remove((f.traceDir + "/.probe").c_str());
  }
  return -1;
}

std::string netJson(const SimNetwork &net) {
  const auto &s = net.stats();
  return "{\"sent\":" + std::to_string(s.sent) + ",\"delivered\":" + std::to_string(s.delivered) +
         ",\"lost\":" + std::to_string(s.lost) + ",\"duplicated\":" + std::to_string(s.duplicated) +
         ",\"to_crashed\":" + std::to_string(s.toCrashed) + "}";
}

std::string namesJson(const std::vector<std::string> &principals, const std::vector<int> &ps) {
  std::string out = "[";
  for (size_t i = 0; i < ps.size(); ++i) {
    if (i)
      out += ",";
    appendJsonString(out, principals[size_t(ps[i])]);
  }
  return out + "]";
}

// Runs the loop to quiescence or the virtual time limit.
std::string runLoop(EventLoop &loop, const SimFlags &f) {
  loop.runUntil(loop.clock() + Millis(f.runForMs));
  return loop.idle() ? "quiescent" : "time limit";
}

// A Byzantine node's program: the generated program, except that in every
// round it also sends to each peer its program sends nothing to a payload
// of the round's type it has seen (sent or received) earlier, so it speaks
// in every round; SimRoundEnv::send then equivocates per receiver.
class ByzantineProgram final : public RoundProgram {
public:
  ByzantineProgram(std::unique_ptr<RoundProgram> inner, SimNetwork &net, int me, std::vector<int> peers)
      : inner_(std::move(inner)), net_(net), me_(me), peers_(std::move(peers)) {}
  const char *roleName() const override { return inner_->roleName(); }
  size_t numRounds() const override { return inner_->numRounds(); }
  int64_t numPhases() const override { return inner_->numPhases(); }
  const char *roundName(size_t r) const override { return inner_->roundName(r); }
  RoundProgress progress(size_t r, int64_t ph) override { return inner_->progress(r, ph); }
  void send(size_t r, int64_t ph, std::vector<std::pair<int, Value>> &out) override {
    inner_->send(r, ph, out);
    for (const auto &[q, v] : out)
      remember(v);
    std::vector<Value> fit;
    for (const auto &v : seen_)
      if (inner_->payloadOk(r, v, nullptr))
        fit.push_back(v);
    if (fit.empty())
      return;
    for (int q : peers_) {
      bool has = q == me_;
      for (const auto &o : out)
        has = has || o.first == q;
      if (!has)
        out.emplace_back(q, fit[size_t(net_.next() % fit.size())]);
    }
  }
  bool goAhead(size_t r, int64_t ph, const Value &mbox) override { return inner_->goAhead(r, ph, mbox); }
  void update(size_t r, int64_t ph, const Value &mbox) override {
    for (size_t i = 0; i < mbox.size(); ++i)
      remember(mbox.mapValue(i));
    inner_->update(r, ph, mbox);
  }
  bool payloadOk(size_t r, const Value &payload, std::string *why) const override {
    return inner_->payloadOk(r, payload, why);
  }
  std::string stateJson() const override { return inner_->stateJson(); }
  std::string stateDeltaJson() override { return inner_->stateDeltaJson(); }

private:
  void remember(const Value &v) {
    if (seen_.size() < 64 && std::find(seen_.begin(), seen_.end(), v) == seen_.end())
      seen_.push_back(v);
  }
  std::unique_ptr<RoundProgram> inner_;
  SimNetwork &net_;
  int me_;
  std::vector<int> peers_;
  std::vector<Value> seen_;
};

// The engine's surroundings in the simulator (cf. NodeEnv in RoundNode.cpp).
class SimRoundEnv final : public RoundEnv {
public:
  SimRoundEnv(EventLoop &loop, SimNetwork &net, int me) : loop_(loop), net_(net), me_(me) {}
  RoundEngine *engine = nullptr;
  RoundProgram *program = nullptr;
  TraceWriter *trace = nullptr;
  Logger *log = nullptr;
  const RoundProgramInfo *info = nullptr;
  bool byzantine = false, crashed = false, failed = false;
  uint64_t equivocations = 0;

  int64_t nowUs() override { return net_.nowUs(); }
  void setTimer(int64_t deadlineUs) override {
    if (timer_)
      loop_.cancel(timer_);
    timer_ = 0;
    if (deadlineUs < 0 || deadlineUs == RoundEngine::Never)
      return;
    int64_t delay = std::max<int64_t>(0, deadlineUs - nowUs());
    timer_ = loop_.at(loop_.clock() + std::chrono::microseconds(delay), [this] {
      timer_ = 0;
      guarded([&] { engine->onTimer(); });
    });
  }
  void send(int peer, uint32_t wr, const Value &payload) override {
    if (!byzantine)
      return net_.send(me_, peer, encodeRoundFrame(wr, payload));
    // Byzantine: per receiver, silence, the program's payload, or another
    // payload of the round's type (equivocation).
    double u = net_.uniform();
    if (u < 0.1)
      return;
    Value out = payload;
    if (u >= 0.45) {
      size_t r = size_t(engine->currentRound() % int64_t(std::max<size_t>(1, program->numRounds())));
      std::vector<Value> ok;
      for (auto &v : payloadVariants(payload, int(info->principals.size())))
        if (program->payloadOk(r, v, nullptr))
          ok.push_back(std::move(v));
      if (!ok.empty()) {
        out = ok[size_t(net_.next() % ok.size())];
        ++equivocations;
      }
    }
    net_.send(me_, peer, encodeRoundFrame(wr, out));
  }
  void sendMarker(int peer, uint32_t wr) override { net_.send(me_, peer, encodeRoundMarker(wr)); }
  void roundDone(const RoundRecord &rec) override {
    if (trace && !byzantine)
      traceRound(*trace, *info, *program, info->principals[size_t(me_)], rec);
  }
  template <class F> void guarded(F f) {
    if (failed || crashed)
      return;
    try {
      f();
    } catch (const EvalError &e) {
      failed = true;
      log->error("fail_stop", {{"why", e.what()}});
    }
  }
  void crash() {
    crashed = true;
    if (timer_)
      loop_.cancel(timer_);
    timer_ = 0;
  }

private:
  EventLoop &loop_;
  SimNetwork &net_;
  int me_;
  EventLoop::TimerId timer_ = 0;
};

} // namespace

int simMain(int argc, char **argv, const ProgramInfo &info) {
  SimFlags f;
  DeployConfig conf;
  std::vector<int> nodes;
  SimFaults faults;
  LogLevel level;
  if (int rc = setUp(argc, argv, info.principals, f, conf, nodes, faults, level); rc >= 0)
    return rc;
  if (!faults.byzantine.empty())
    return simUsage(argv[0], "--faults: byz= is implemented for round programs only");
  std::vector<std::string> names;
  for (int p : nodes)
    names.push_back(info.principals[size_t(p)]);
  // TTP(z): each z is simulated too, numbered after the program's principals.
  auto ttps = ttpPrincipals(conf, info.principals);
  for (const auto &z : ttps)
    names.push_back(z);
  auto keys = generateKeys(conf, names);

  EventLoop loop{EventLoop::Virtual{}};
  size_t np = info.principals.size();
  SimNetwork net(loop, np + ttps.size(), faults, f.seed);
  Logger ttpLog("TTP", level);
  std::vector<std::unique_ptr<Authenticator>> ttpAuths;
  std::vector<std::unique_ptr<TtpRelay>> relays;
  for (size_t i = 0; i < ttps.size(); ++i) {
    int z = int(np + i);
    ttpAuths.push_back(std::make_unique<Authenticator>(conf, info.principals, z, keys[ttps[i]]));
    std::string err;
    if (!ttpAuths.back()->ready(err))
      return simUsage(argv[0], err);
    relays.push_back(std::make_unique<TtpRelay>(
        *ttpAuths.back(), ttpLog,
        [&net, z](int peer, const std::vector<uint8_t> &frame) { net.send(z, peer, frame); }));
    TtpRelay *relay = relays.back().get();
    net.attach(z, [relay](int from, const uint8_t *d, size_t n) { relay->receive(from, d, n); });
  }
  std::vector<std::unique_ptr<Logger>> logs(np);
  std::vector<std::unique_ptr<TraceWriter>> traces(np);
  std::vector<std::unique_ptr<Authenticator>> auths(np);
  std::vector<std::unique_ptr<Node>> ns(np);
  std::vector<int> crashed;
  for (int p : nodes) {
    const std::string &name = info.principals[size_t(p)];
    logs[size_t(p)] = std::make_unique<Logger>(name, level);
    auto &node = ns[size_t(p)];
    node = std::make_unique<Node>(loop, *logs[size_t(p)], info, p);
    node->setChoiceSeed(f.seed); // seeds sample the initial choices
    std::string err;
    if (!node->init(err))
      return simUsage(argv[0], err);
    auths[size_t(p)] = std::make_unique<Authenticator>(conf, info.principals, p, keys[name]);
    if (!auths[size_t(p)]->ready(err))
      return simUsage(argv[0], err);
    node->setAuth(auths[size_t(p)].get());
    if (!f.traceDir.empty()) {
      traces[size_t(p)] = std::make_unique<TraceWriter>();
      if (!traces[size_t(p)]->open(f.traceDir + "/" + name + ".jsonl", err))
        return simUsage(argv[0], err);
      traces[size_t(p)]->setClock([&net] { return net.nowUs(); });
      traces[size_t(p)]->setHeader(traceHeaderJson(info.name, info.params));
      node->setTrace(traces[size_t(p)].get());
    }
    Node *raw = node.get();
    node->setSend([&net, p](int peer, const std::vector<uint8_t> &frame) { net.send(p, peer, frame); });
    net.attach(p, [raw](int from, const uint8_t *d, size_t n) { raw->receiveFrame(from, d, n); });
  }
  TimePoint start = loop.clock();
  for (const auto &c : faults.crashes)
    loop.at(start + std::chrono::microseconds(c.atUs), [&, c] {
      net.crash(c.node);
      if (!ns[size_t(c.node)]->failed())
        crashed.push_back(c.node);
      ns[size_t(c.node)]->failStop("simulated crash");
    });
  for (int p : nodes)
    ns[size_t(p)]->kick();
  std::string verdict = runLoop(loop, f);

  bool failed = false;
  std::string out = "{\"seed\":" + std::to_string(f.seed) + ",\"verdict\":\"" + verdict +
                    "\",\"time_us\":" + std::to_string(net.nowUs()) + ",\"net\":" + netJson(net) +
                    ",\"crashed\":" + namesJson(info.principals, crashed) + ",\"nodes\":[";
  for (size_t i = 0; i < nodes.size(); ++i) {
    int p = nodes[i];
    Node &node = *ns[size_t(p)];
    node.flushTrace();
    bool simCrash = std::find(crashed.begin(), crashed.end(), p) != crashed.end();
    failed = failed || (node.failed() && !simCrash);
    const auto &st = node.stats();
    out += i ? ",{\"node\":" : "{\"node\":";
    appendJsonString(out, info.principals[size_t(p)]);
    out += ",\"role\":";
    appendJsonString(out, node.role()->roleName());
    out += ",\"crashed\":" + std::string(simCrash ? "true" : "false");
    out += ",\"failed\":" + std::string(node.failed() && !simCrash ? "true" : "false");
    out += ",\"steps\":" + std::to_string(st.steps) + ",\"delivered\":" + std::to_string(st.delivered) +
           ",\"duplicates\":" + std::to_string(st.duplicates) +
           ",\"rejected\":" + std::to_string(st.rejected) +
           ",\"published\":" + std::to_string(st.published);
    out += ",\"state\":" + node.role()->stateJson() + "}";
  }
  out += "]";
  if (!relays.empty()) {
    out += ",\"ttps\":[";
    for (size_t i = 0; i < relays.size(); ++i) {
      out += i ? ",{\"node\":" : "{\"node\":";
      appendJsonString(out, ttps[i]);
      out += ",\"stats\":" + relays[i]->statsJson() + "}";
    }
    out += "]";
  }
  out += "}\n";
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  return failed ? 1 : 0;
}

int roundSimMain(int argc, char **argv, const RoundProgramInfo &info) {
  SimFlags f;
  DeployConfig conf;
  std::vector<int> hosted;
  SimFaults faults;
  LogLevel level;
  if (int rc = setUp(argc, argv, info.principals, f, conf, hosted, faults, level); rc >= 0)
    return rc;
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules)
        if (m.name != "PLAINTEXT")
          return simUsage(argv[0], "module " + m.name +
                                       " is not implemented for round programs (only PLAINTEXT)");
  std::vector<int> nodes;
  for (int p : hosted)
    if (p >= info.first && p < info.first + info.size)
      nodes.push_back(p);
  for (int b : faults.byzantine)
    if (b < info.first || b >= info.first + info.size)
      return simUsage(argv[0], "--faults: byz=" + info.principals[size_t(b)] +
                                   " runs no round program");
  if (int(faults.byzantine.size()) > info.byzantine)
    std::cerr << argv[0] << ": warning: " << faults.byzantine.size()
              << " Byzantine nodes, more than the program's bound " << info.byzantine << "\n";

  EventLoop loop{EventLoop::Virtual{}};
  SimNetwork net(loop, info.principals.size(), faults, f.seed);
  size_t np = info.principals.size();
  std::vector<std::unique_ptr<Logger>> logs(np);
  std::vector<std::unique_ptr<TraceWriter>> traces(np);
  std::vector<std::unique_ptr<RoundProgram>> programs(np);
  std::vector<std::unique_ptr<SimRoundEnv>> envs(np);
  std::vector<std::unique_ptr<RoundEngine>> engines(np);
  std::vector<int> crashed;
  for (int p : nodes) {
    const std::string &name = info.principals[size_t(p)];
    logs[size_t(p)] = std::make_unique<Logger>(name, level);
    bool byz = std::find(faults.byzantine.begin(), faults.byzantine.end(), p) != faults.byzantine.end();
    try {
      programs[size_t(p)] = info.make(p);
      if (byz) {
        std::vector<int> peers;
        for (int q = info.first; q < info.first + info.size; ++q)
          peers.push_back(q);
        programs[size_t(p)] =
            std::make_unique<ByzantineProgram>(std::move(programs[size_t(p)]), net, p, std::move(peers));
      }
    } catch (const EvalError &e) {
      std::cerr << argv[0] << ": error: " << name << ": " << e.what() << "\n";
      return 1;
    }
    auto &env = envs[size_t(p)];
    env = std::make_unique<SimRoundEnv>(loop, net, p);
    env->log = logs[size_t(p)].get();
    env->info = &info;
    env->program = programs[size_t(p)].get();
    env->byzantine = byz;
    RoundConfig cfg;
    cfg.me = p;
    for (int q = info.first; q < info.first + info.size; ++q)
      cfg.peers.push_back(q);
    cfg.byzantine = info.byzantine;
    engines[size_t(p)] = std::make_unique<RoundEngine>(*programs[size_t(p)], *env, cfg);
    env->engine = engines[size_t(p)].get();
    if (!f.traceDir.empty() && !env->byzantine) {
      std::string err;
      traces[size_t(p)] = std::make_unique<TraceWriter>();
      if (!traces[size_t(p)]->open(f.traceDir + "/" + name + ".jsonl", err))
        return simUsage(argv[0], err);
      traces[size_t(p)]->setClock([&net] { return net.nowUs(); });
      traces[size_t(p)]->setHeader(traceHeaderJson(info.name, info.params));
      env->trace = traces[size_t(p)].get();
    }
    SimRoundEnv *e = env.get();
    RoundEngine *eng = engines[size_t(p)].get();
    net.attach(p, [e, eng](int from, const uint8_t *d, size_t n) {
      uint32_t round = 0;
      Value payload;
      bool marker = false;
      if (!decodeRoundFrame(d, n, round, payload, &marker))
        return;
      if (marker)
        e->guarded([&] { eng->onMarker(from, round); });
      else
        e->guarded([&] { eng->onMessage(from, round, std::move(payload)); });
    });
  }
  TimePoint start = loop.clock();
  for (const auto &c : faults.crashes)
    if (envs[size_t(c.node)])
      loop.at(start + std::chrono::microseconds(c.atUs), [&, c] {
        net.crash(c.node);
        if (!envs[size_t(c.node)]->crashed && !envs[size_t(c.node)]->failed)
          crashed.push_back(c.node);
        envs[size_t(c.node)]->crash();
      });
  for (int p : nodes) {
    SimRoundEnv *e = envs[size_t(p)].get();
    RoundEngine *eng = engines[size_t(p)].get();
    loop.post([e, eng] { e->guarded([&] { eng->start(); }); });
  }
  std::string verdict = runLoop(loop, f);

  bool failed = false;
  uint64_t equivocations = 0;
  for (int p : nodes)
    equivocations += envs[size_t(p)]->equivocations;
  std::string out = "{\"seed\":" + std::to_string(f.seed) + ",\"verdict\":\"" + verdict +
                    "\",\"time_us\":" + std::to_string(net.nowUs()) + ",\"net\":" + netJson(net) +
                    ",\"crashed\":" + namesJson(info.principals, crashed) +
                    ",\"byzantine\":" + namesJson(info.principals, faults.byzantine) +
                    ",\"equivocations\":" + std::to_string(equivocations) + ",\"nodes\":[";
  for (size_t i = 0; i < nodes.size(); ++i) {
    int p = nodes[i];
    auto &env = *envs[size_t(p)];
    auto &eng = *engines[size_t(p)];
    if (traces[size_t(p)])
      traces[size_t(p)]->flush();
    failed = failed || (env.failed && !env.byzantine);
    const auto &st = eng.stats();
    out += i ? ",{\"node\":" : "{\"node\":";
    appendJsonString(out, info.principals[size_t(p)]);
    out += ",\"role\":";
    appendJsonString(out, env.program->roleName());
    out += ",\"crashed\":" + std::string(env.crashed ? "true" : "false");
    out += ",\"byzantine\":" + std::string(env.byzantine ? "true" : "false");
    out += ",\"failed\":" + std::string(env.failed ? "true" : "false");
    out += ",\"done\":" + std::string(eng.done() ? "true" : "false");
    out += ",\"rounds\":" + std::to_string(st.rounds) + ",\"delivered\":" + std::to_string(st.delivered) +
           ",\"late\":" + std::to_string(st.late) + ",\"duplicates\":" + std::to_string(st.duplicates) +
           ",\"timeouts\":" + std::to_string(st.timeouts) + ",\"jumps\":" + std::to_string(st.jumps);
    out += ",\"state\":" + env.program->stateJson() + "}";
  }
  out += "]}\n";
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  return failed ? 1 : 0;
}

} // namespace mommie::rt
