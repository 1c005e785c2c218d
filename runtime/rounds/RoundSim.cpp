// `BIN --sim` for a round program (see SimSetup.h and RoundNode.h): every
// process of the program over the simulated network, Byzantine ones
// (`--faults byz=P`) equivocating.
#include "runtime/net/Trace.h"
#include "runtime/node/SimSetup.h"
#include "runtime/rounds/RoundNode.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace mommie::rt {

namespace {

// A Byzantine node's program: the generated program, except that in every
// round it also sends to each peer its program sends nothing to a payload
// of the round's type it has seen (sent or received) earlier, so it speaks
// in every round; SimRoundEnv::send then equivocates per receiver.
class ByzantineProgram final : public RoundProgram {
public:
  ByzantineProgram(std::unique_ptr<RoundProgram> inner, SimNetwork &net, int me,
                   std::vector<int> peers)
      : inner_(std::move(inner)), net_(net), me_(me), peers_(std::move(peers)) {
  }
  const char *roleName() const override { return inner_->roleName(); }
  size_t numRounds() const override { return inner_->numRounds(); }
  const char *roundName(size_t r) const override {
    return inner_->roundName(r);
  }
  RoundProgress progress(size_t r, int64_t ph) override {
    return inner_->progress(r, ph);
  }
  void send(size_t r, int64_t ph,
            std::vector<std::pair<int, Value>> &out) override {
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
  bool goAhead(size_t r, int64_t ph, const Value &mbox) override {
    return inner_->goAhead(r, ph, mbox);
  }
  void update(size_t r, int64_t ph, const Value &mbox) override {
    for (size_t i = 0; i < mbox.size(); ++i)
      remember(mbox.mapValue(i));
    inner_->update(r, ph, mbox);
  }
  bool payloadOk(size_t r, const Value &payload,
                 std::string *why) const override {
    return inner_->payloadOk(r, payload, why);
  }
  std::string stateJson() const override { return inner_->stateJson(); }
  std::string stateDeltaJson() override { return inner_->stateDeltaJson(); }

private:
  void remember(const Value &v) {
    if (seen_.size() < 64 &&
        std::find(seen_.begin(), seen_.end(), v) == seen_.end())
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
  SimRoundEnv(EventLoop &loop, SimNetwork &net, int me)
      : loop_(loop), net_(net), me_(me) {}
  RoundEngine *engine = nullptr;
  RoundProgram *program = nullptr;
  TraceWriter *trace = nullptr;
  Logger *log = nullptr;
  SimStepLimit *stepLimit = nullptr; // counts this node's rounds
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
      size_t r = size_t(engine->currentRound() %
                        int64_t(std::max<size_t>(1, program->numRounds())));
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
  void sendMarker(int peer, uint32_t wr) override {
    net_.send(me_, peer, encodeRoundMarker(wr));
  }
  void roundDone(const RoundRecord &rec) override {
    if (stepLimit)
      stepLimit->step();
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

int roundSimMain(int argc, char **argv, const RoundProgramInfo &info) {
  SimFlags f;
  DeployConfig conf;
  std::vector<int> hosted;
  SimFaults faults;
  LogLevel level;
  if (int rc =
          simSetUp(argc, argv, info.principals, f, conf, hosted, faults, level);
      rc >= 0)
    return rc;
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules)
        if (m.name != "PLAINTEXT")
          return simUsage(
              argv[0],
              "module " + m.name +
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
              << " Byzantine nodes, more than the program's bound "
              << info.byzantine << "\n";

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
    bool byz = std::find(faults.byzantine.begin(), faults.byzantine.end(), p) !=
               faults.byzantine.end();
    try {
      programs[size_t(p)] = info.make(p, f.seed);
      if (byz) {
        std::vector<int> peers;
        for (int q = info.first; q < info.first + info.size; ++q)
          peers.push_back(q);
        programs[size_t(p)] = std::make_unique<ByzantineProgram>(
            std::move(programs[size_t(p)]), net, p, std::move(peers));
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
    cfg.phases = f.phases;
    engines[size_t(p)] =
        std::make_unique<RoundEngine>(*programs[size_t(p)], *env, cfg);
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
  SimStepLimit limit(loop, f.maxSteps);
  for (int p : nodes)
    envs[size_t(p)]->stepLimit = &limit;
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
  std::string verdict = simRunLoop(loop, f, limit);

  bool failed = false;
  uint64_t equivocations = 0;
  for (int p : nodes)
    equivocations += envs[size_t(p)]->equivocations;
  std::string out =
      "{\"seed\":" + std::to_string(f.seed) + ",\"verdict\":\"" + verdict +
      "\",\"time_us\":" + std::to_string(net.nowUs()) +
      ",\"net\":" + simNetJson(net) +
      ",\"crashed\":" + simNamesJson(info.principals, crashed) +
      ",\"byzantine\":" + simNamesJson(info.principals, faults.byzantine) +
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
    out += ",\"rounds\":" + std::to_string(st.rounds) +
           ",\"delivered\":" + std::to_string(st.delivered) +
           ",\"late\":" + std::to_string(st.late) +
           ",\"duplicates\":" + std::to_string(st.duplicates) +
           ",\"timeouts\":" + std::to_string(st.timeouts) +
           ",\"jumps\":" + std::to_string(st.jumps);
    out += ",\"state\":" + env.program->stateJson() + "}";
  }
  out += "]}\n";
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  return failed ? 1 : 0;
}

} // namespace mommie::rt
