// The round-program node binary (see RoundNode.h): flags, deploy file,
// transport, the engine's environment (timer on the epoll loop, frames to
// peers, trace records per round) and the outcome line.
#include "runtime/rounds/RoundNode.h"

#include "runtime/auth/AuthSetup.h"
#include "runtime/auth/Deploy.h"
#include "runtime/net/EventLoop.h"
#include "runtime/net/Log.h"
#include "runtime/net/Trace.h"
#include "runtime/net/Transport.h"
#include "runtime/net/UdpTransport.h"
#include "runtime/node/Flags.h"
#include "runtime/node/NodeCommon.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <sys/resource.h>

namespace mommie::rt {

std::vector<uint8_t> encodeRoundFrame(uint32_t round, const Value &payload) {
  Writer w;
  w.u8(FrameRound);
  w.varint(round);
  payload.encode(w);
  return std::move(w.buffer());
}

std::vector<uint8_t> encodeRoundMarker(uint32_t round) {
  Writer w;
  w.u8(FrameRoundMarker);
  w.varint(round);
  return std::move(w.buffer());
}

bool decodeRoundFrame(const uint8_t *data, size_t size, uint32_t &round,
                      Value &payload, bool *marker) {
  Reader r(data, size);
  uint8_t type = r.u8();
  if (type != FrameRound && !(type == FrameRoundMarker && marker))
    return false;
  uint64_t v = r.varint();
  if (!r.ok() || v > UINT32_MAX)
    return false;
  round = uint32_t(v);
  if (marker)
    *marker = type == FrameRoundMarker;
  if (type == FrameRoundMarker)
    return r.atEnd();
  return Value::decode(r, payload) && r.ok() && r.atEnd();
}

void traceRound(TraceWriter &trace, const RoundProgramInfo &info,
                RoundProgram &program, const std::string &node,
                const RoundRecord &rec) {
  const Names *names = &info.schema.names;
  std::string name = program.roundName(rec.roundNo);
  std::string binding = "{\"phaseNo\":" + std::to_string(rec.phaseNo) +
                        ",\"roundNo\":" + std::to_string(rec.roundNo) +
                        ",\"round\":" + std::to_string(rec.round) +
                        ",\"timedOut\":" + (rec.timedOut ? "true" : "false") +
                        "}";
  std::vector<std::string> delivered, published;
  for (const auto &[p, v] : rec.mbox) {
    std::string s = "{\"from\":";
    appendJsonString(s, info.principals[size_t(p)]);
    s += ",\"payload\":";
    v.appendJson(s, names);
    delivered.push_back(s + "}");
  }
  for (const auto &[p, v] : rec.sent) {
    std::string s = "{\"to\":";
    appendJsonString(s, info.principals[size_t(p)]);
    s += ",\"payload\":";
    v.appendJson(s, names);
    published.push_back(s + "}");
  }
  trace.step(node, &name, binding, delivered, published, "[]",
             program.stateDeltaJson());
}

namespace {

int usage(const char *argv0, const std::string &why) {
  return flagError(argv0, "round", why);
}

// `--delay MIN-MAX` in milliseconds (MIN <= MAX <= 60000), or `--delay D`.
bool parseDelay(const std::string &s, int64_t &lo, int64_t &hi) {
  auto dash = s.find('-');
  std::string a = s.substr(0, dash),
              b = dash == std::string::npos ? a : s.substr(dash + 1);
  return parseCount(a.c_str(), lo) && parseCount(b.c_str(), hi) && lo <= hi &&
         hi <= 60000;
}

// The engine's surroundings on a real node.
class NodeEnv final : public RoundEnv {
public:
  using SendFn =
      std::function<void(int peer, const std::vector<uint8_t> &frame)>;
  NodeEnv(EventLoop &loop, SendFn send, const RoundProgramInfo &info,
          const std::string &id)
      : loop_(loop), send_(std::move(send)), info_(info), id_(id),
        start_(EventLoop::now()) {}
  RoundEngine *engine = nullptr;
  RoundProgram *program = nullptr;
  TraceWriter *trace = nullptr;
  Logger *log = nullptr;

  int64_t nowUs() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               EventLoop::now() - start_)
        .count();
  }
  void setTimer(int64_t deadlineUs) override {
    if (timer_)
      loop_.cancel(timer_);
    timer_ = 0;
    if (deadlineUs < 0)
      return;
    timer_ = loop_.at(start_ + std::chrono::microseconds(deadlineUs), [this] {
      timer_ = 0;
      guarded([&] { engine->onTimer(); });
    });
  }
  // Seeded loss (testing): of round messages and markers alike.
  bool dropNext() {
    if (dropPercent > 0 && int64_t(rng() % 100) < dropPercent) {
      ++dropped;
      return true;
    }
    return false;
  }
  void send(int peer, uint32_t wr, const Value &payload) override {
    if (!dropNext())
      outDelayed(peer, encodeRoundFrame(wr, payload));
  }
  // Seeded delay (testing): each round message and marker leaves after a
  // uniform delay in [delayMinMs, delayMaxMs] (so they may also reorder).
  int64_t delayMinMs = 0, delayMaxMs = 0;
  void outDelayed(int peer, std::vector<uint8_t> frame) {
    if (delayMaxMs <= 0)
      return out(peer, frame);
    int64_t d =
        delayMinMs + int64_t(rng() % uint64_t(delayMaxMs - delayMinMs + 1));
    loop_.after(Millis(d),
                [this, peer, f = std::move(frame)] { out(peer, f); });
  }
  // Frames leave through the deploy file's authentication module.
  Authenticator *auth = nullptr;
  uint64_t unsent = 0; // for want of a key
  void out(int peer, const std::vector<uint8_t> &frame) {
    if (!auth)
      return send_(peer, frame);
    auto sealed = auth->sealFrame(frame, peer);
    if (sealed.empty())
      ++unsent;
    else
      send_(peer, sealed);
  }
  int64_t dropPercent = 0;
  std::mt19937_64 rng;
  uint64_t dropped = 0;
  void sendMarker(int peer, uint32_t wr) override {
    if (!dropNext())
      outDelayed(peer, encodeRoundMarker(wr));
  }
  void roundDone(const RoundRecord &rec) override {
    lastRoundUs = nowUs();
    // The durable variables reach the disk before the next round's
    // messages, which may depend on them, leave (the engine sends them when
    // this returns). A write error is a fail-stop.
    std::string err;
    if (durable && !durable->save(rec.round + 1, err))
      throw EvalError("cannot keep the durable variables: " + err);
    if (!trace)
      return;
    traceRound(*trace, info_, *program, id_, rec);
    // Flushed per round: a node killed with SIGKILL loses at most the round
    // it was in (whose messages `mommie conform` still computes).
    trace->flush();
  }
  std::unique_ptr<DurableWriter>
      durable; // --data-dir, a program with durable variables
  // Runs an engine entry point; an evaluation error is a fail-stop.
  template <class F> void guarded(F f) {
    if (failed)
      return;
    try {
      f();
    } catch (const EvalError &e) {
      failed = true;
      log->error("fail_stop", {{"why", e.what()}});
      loop_.stop();
    }
  }
  bool failed = false;
  int64_t lastRoundUs = 0;

private:
  EventLoop &loop_;
  SendFn send_;
  const RoundProgramInfo &info_;
  std::string id_;
  TimePoint start_;
  EventLoop::TimerId timer_ = 0;
};

} // namespace

int openRoundNode(const char *argv0, const RoundProgramInfo &info,
                  const std::string &id, const std::string &deploy,
                  const std::string &keysDir, int &me,
                  std::vector<Endpoint> &hosts,
                  std::unique_ptr<Authenticator> &auth) {
  me = -1;
  for (size_t p = 0; p < info.principals.size(); ++p)
    if (info.principals[p] == id)
      me = int(p);
  if (me < info.first || me >= info.first + info.size) {
    std::cerr
        << argv0
        << ": error: unknown principal or one that runs no round program '"
        << id << "'\n";
    return 2;
  }
  DeployConfig conf;
  if (!loadNodeDeploy(deploy, info.principals, conf, hosts))
    return 2;
  std::string err;
  auth = makeAuthenticator(conf, deploy, info.principals, me, keysDir, err);
  if (!auth) {
    std::cerr << argv0 << ": error: " << err << "\n";
    return 2;
  }
  return 0;
}

namespace {
std::vector<std::pair<std::string, RoundAppMain>> &roundApps() {
  static std::vector<std::pair<std::string, RoundAppMain>> apps;
  return apps;
}
} // namespace

bool registerRoundApp(const char *flag, RoundAppMain main) {
  roundApps().emplace_back(flag, main);
  return true;
}

int roundNodeMain(int argc, char **argv, const RoundProgramInfo &info) {
  if (argc > 1 && std::string(argv[1]) == "--sim")
    return roundSimMain(argc, argv, info);
  // An application linked in (`mommie build --app NAME`, e.g. apps/kv).
  if (argc > 1)
    for (const auto &[flag, main] : roundApps())
      if (flag == argv[1])
        return main(argc, argv, info);
  std::string id, deploy, tracePath, logLevel = "info", keysDir, statsPath,
                                     transportName = "tcp";
  int64_t runForMs = -1, lingerMs = 300, maxPending = 64, startDelayMs = 0,
          dropPercent = 0, seed = 1;
  int64_t resendMs = -1; // default: 10 over UDP, none over TCP
  int64_t delayMinMs = 0, delayMaxMs = 0, statsEvery = 0, phases = 0;
  FlagValues v;
  std::vector<std::string> helpMains = {"round", "sim"};
  for (const auto &[flag, main] : roundApps())
    helpMains.push_back(flag.substr(2)); // an application's main: --kv -> kv
  BuildFacts build{info.name, info.params, info.principals};
  if (int rc = readFlags("round", argc, argv, 1, helpMains, v, &build); rc >= 0)
    return rc;
  std::string err;
  id = v.str("--id");
  deploy = v.str("--deploy");
  tracePath = v.str("--trace");
  keysDir = v.str("--keys");
  statsPath = v.str("--stats");
  logLevel = v.str("--log-level", logLevel);
  transportName = v.str("--transport", transportName);
  if (transportName != "tcp" && transportName != "udp")
    return usage(argv[0], "bad --transport '" + transportName + "'");
  if (v.has("--delay") && !parseDelay(v.str("--delay"), delayMinMs, delayMaxMs))
    return usage(argv[0], "bad --delay '" + v.str("--delay") + "'");
  if (!v.count("--run-for", runForMs, err) ||
      !v.count("--linger", lingerMs, err) ||
      !v.count("--max-pending", maxPending, err) ||
      !v.count("--start-delay", startDelayMs, err) ||
      !v.count("--drop-percent", dropPercent, err, 0, 100) ||
      !v.count("--seed", seed, err) || !v.count("--resend-ms", resendMs, err) ||
      !v.count("--stats-every", statsEvery, err, 0, 86400) ||
      !v.count("--phases", phases, err))
    return usage(argv[0], err);
  if (id.empty() || deploy.empty())
    return usage(argv[0], "--id and --deploy are required");
  LogLevel level;
  if (!parseLogLevel(logLevel, level))
    return usage(argv[0], "bad --log-level '" + logLevel + "'");
  int me = -1;
  std::vector<Endpoint> hosts;
  std::unique_ptr<Authenticator> auth;
  if (int rc =
          openRoundNode(argv[0], info, id, deploy, keysDir, me, hosts, auth))
    return rc;

  Logger log(id, level);
  EventLoop loop;
  if (!loop.ok()) {
    std::cerr << argv[0] << ": error: cannot create the event loop\n";
    return 2;
  }
  TraceWriter trace;
  if (!tracePath.empty() && !trace.open(tracePath, err))
    return usage(argv[0], err);
  trace.setHeader(traceHeaderJson(info.name, info.params));
  // TCP (default) or UDP (--transport udp): both attribute a frame to a
  // principal and hand it to the same handler.
  std::unique_ptr<Transport> tcp;
  std::unique_ptr<UdpTransport> udp;
  if (transportName == "udp")
    udp = std::make_unique<UdpTransport>(loop, me, hosts, log);
  else
    tcp = std::make_unique<Transport>(loop, me, hosts, log);
  if (tcp)
    tcp->setPeerNames(info.principals);
  if (!(udp ? udp->listen(err) : tcp->listen(err))) {
    std::cerr << argv[0] << ": error: " << err << "\n";
    return 2;
  }
  std::unique_ptr<RoundProgram> program;
  NodeEnv env(
      loop,
      [&](int peer, const std::vector<uint8_t> &frame) {
        udp ? udp->send(peer, frame) : tcp->send(peer, frame);
      },
      info, id);
  env.log = &log;
  env.auth = auth.get();
  env.dropPercent = dropPercent;
  env.delayMinMs = delayMinMs;
  env.delayMaxMs = delayMaxMs;
  env.rng.seed(uint64_t(seed) * 1000003u + uint64_t(me));
  try {
    program = info.make(me, std::nullopt);
  } catch (const EvalError &e) {
    log.error("fail_stop", {{"why", e.what()}});
    return 1;
  }
  RoundConfig cfg;
  cfg.me = me;
  // Durable state (--data-dir): restored before the first round, so the
  // node resumes at the round after its last record.
  DurableLog durable;
  if (int rc = openDurable(argv[0], v, info.name, id, *program, durable,
                           cfg.firstRound, log);
      rc >= 0)
    return rc;
  if (durable.isOpen() && program->hasDurable())
    env.durable = std::make_unique<DurableWriter>(durable, *program);
  for (int p = info.first; p < info.first + info.size; ++p)
    cfg.peers.push_back(p);
  cfg.byzantine = info.byzantine;
  cfg.maxPendingPerPeer = size_t(maxPending);
  cfg.phases = phases;
  // sync rounds resend while they wait: by default over UDP, which may
  // lose datagrams; TCP loses nothing while a peer is up.
  cfg.resendUs = 1000 * (resendMs >= 0            ? resendMs
                         : transportName == "udp" ? 10
                                                  : 0);
  RoundEngine engine(*program, env, cfg);
  env.engine = &engine;
  env.program = program.get();
  if (trace.isOpen())
    env.trace = &trace;
  uint64_t badFrames = 0;
  RejectCounts rejects;
  auto peerName = [&](int peer) {
    return peer >= 0 && size_t(peer) < info.principals.size()
               ? info.principals[size_t(peer)]
               : std::to_string(peer);
  };
  auto onFrame = [&](int peer, const uint8_t *d, size_t n) {
    Reject why;
    if (!auth->openFrame(peer, d, n, d, n, why)) {
      rejects.add(why);
      if (rejects.total() <= 100)
        log.warn("rejected",
                 {{"peer", peerName(peer)}, {"reason", rejectName(why)}});
      return false;
    }
    uint32_t round = 0;
    Value payload;
    bool marker = false;
    if (!decodeRoundFrame(d, n, round, payload, &marker)) {
      ++badFrames;
      rejects.add(Reject::BadFrame);
      log.warn("bad_frame", {{"peer", peerName(peer)}});
      return true; // authenticated, if malformed: the peer's own
    }
    if (marker)
      env.guarded([&] { engine.onMarker(peer, round); });
    else
      env.guarded([&] { engine.onMessage(peer, round, std::move(payload)); });
    return true;
  };
  if (udp)
    udp->onFrame(onFrame);
  else
    tcp->onFrame(onFrame);

  installStopSignals();
  std::signal(SIGPIPE, SIG_IGN);
  TimePoint start = EventLoop::now();
  log.info("started", {{"role", program->roleName()}, {"program", info.name}});
  int64_t doneAtUs = -1;
  TimePoint nextStats = start + std::chrono::seconds(statsEvery);
  std::function<void()> tick = [&] {
    TimePoint now = EventLoop::now();
    trace.flush();
    if (statsEvery > 0 && now >= nextStats) {
      nextStats = now + std::chrono::seconds(statsEvery);
      const auto &st = engine.stats();
      const auto &ts = udp ? udp->stats() : tcp->stats();
      log.logCounts(LogLevel::Info, "stats",
                    {{"round", uint64_t(engine.currentRound())},
                     {"rounds", st.rounds},
                     {"delivered", st.delivered},
                     {"rejected", st.rejected + rejects.total()},
                     {"timeouts", st.timeouts},
                     {"frames_in", ts.framesIn},
                     {"frames_out", ts.framesOut},
                     {"conns_in", tcp ? tcp->inboundConnections() : 0},
                     {"conns_out", tcp ? tcp->outboundConnections() : 0}});
    }
    if (engine.done() && doneAtUs < 0)
      doneAtUs = env.nowUs();
    // Lingering restarts while late peers are answered (RoundEngine.h).
    int64_t quietSinceUs = std::max(doneAtUs, engine.lastLateReplyUs());
    bool lingered =
        doneAtUs >= 0 && env.nowUs() - quietSinceUs >= lingerMs * 1000;
    if (stopRequested() || env.failed || lingered ||
        (runForMs >= 0 && now - start >= Millis(runForMs))) {
      loop.stop();
      return;
    }
    loop.after(Millis(10), tick);
  };
  loop.after(Millis(10), tick);
  loop.after(Millis(startDelayMs),
             [&] { env.guarded([&] { engine.start(); }); });
  loop.run();
  trace.flush();

  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      EventLoop::now() - start);
  const auto &st = engine.stats();
  const auto &ts = udp ? udp->stats() : tcp->stats();
  std::string out = "{\"node\":";
  appendJsonString(out, id);
  out += ",\"role\":";
  appendJsonString(out, program->roleName());
  out += ",\"failed\":" + std::string(env.failed ? "true" : "false");
  out += ",\"done\":" + std::string(engine.done() ? "true" : "false");
  out += ",\"elapsed_us\":" + std::to_string(elapsed.count());
  out += ",\"last_round_us\":" + std::to_string(env.lastRoundUs);
  out += ",\"round\":" + std::to_string(engine.currentRound());
  out += ",\"rounds\":" + std::to_string(st.rounds);
  out += ",\"delivered\":" + std::to_string(st.delivered);
  out += ",\"late\":" + std::to_string(st.late);
  out += ",\"buffered\":" + std::to_string(st.buffered);
  out += ",\"evicted\":" + std::to_string(st.evicted);
  out += ",\"duplicates\":" + std::to_string(st.duplicates);
  out += ",\"rejected\":" + std::to_string(st.rejected + rejects.total());
  out += ",\"jumps\":" + std::to_string(st.jumps);
  out += ",\"timeouts\":" + std::to_string(st.timeouts);
  out += ",\"resends\":" + std::to_string(st.resends);
  out += ",\"max_pending\":" + std::to_string(st.maxPending);
  out += ",\"dropped\":" + std::to_string(env.dropped);
  out += ",\"frames_out\":" + std::to_string(ts.framesOut);
  out += ",\"frames_in\":" + std::to_string(ts.framesIn);
  out += ",\"bytes_out\":" + std::to_string(ts.bytesOut);
  // Frames the transport dropped before authentication: oversized, or (UDP)
  // datagrams from an address that is no principal's endpoint.
  out += ",\"bad_frames_in\":" + std::to_string(ts.badFrames);
  std::string statsJson = "{\"rejects\":" + rejects.toJson() +
                          ",\"unsent\":" + std::to_string(env.unsent) +
                          ",\"frames_out\":" + std::to_string(ts.framesOut) +
                          ",\"bytes_out\":" + std::to_string(ts.bytesOut) +
                          ",\"crypto\":" + cryptoCountersJson() + "}";
  out += ",\"stats\":" + statsJson;
  if (!statsPath.empty())
    if (FILE *sf = std::fopen(statsPath.c_str(), "w")) {
      std::fputs((statsJson + "\n").c_str(), sf);
      std::fclose(sf);
    }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  out += ",\"max_rss_kb\":" + std::to_string(ru.ru_maxrss);
  out += ",\"state\":" + program->stateJson() + "}\n";
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  if (tcp)
    tcp->closeAll();
  return env.failed ? 1 : 0;
}

} // namespace mommie::rt
