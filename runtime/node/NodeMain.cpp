// The node binary's main (see Node.h, nodeMain):
//   BIN --id R1 --deploy deploy.conf [flags]   (main "node" of Flags.h;
//                                               BIN --help lists them)
//   BIN --version | --info   (the protocol, mommie version and parameter
//                             values it was built with: BuildInfo.h)
// `--id z` for a TTP(z) principal of the deploy file runs the trusted
// third party instead (Ttp.h). On exit it prints one JSON line to stdout: the
// node's outcome (its final state and counters). A client given a workload
// (--requests/--concurrency, Workload.h) prints its workload line instead
// (completed, failed, req/s, p50/p99 latency), or with --json the outcome with
// a "workload" member. Exit 0 normally (a workload: every request completed), 1
// after a fail-stop or with failed requests, 2 on bad input.
#include "runtime/auth/Auth.h"
#include "runtime/auth/AuthSetup.h"
#include "runtime/auth/Deploy.h"
#include "runtime/auth/Ttp.h"
#include "runtime/dissem/Digest.h"
#include "runtime/dissem/Optimistic.h"
#include "runtime/net/Transport.h"
#include "runtime/node/Flags.h"
#include "runtime/node/Node.h"
#include "runtime/node/NodeCommon.h"
#include "runtime/node/Workload.h"

#include <sys/resource.h>

#include <algorithm>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace mommie::rt {

namespace {

struct Flags {
  std::string id, deploy, trace, logLevel = "info", keys, stats;
  int64_t runForMs = -1, quiescentMs = -1, maxPerPeer = -1, statsEvery = 0;
  WorkloadConfig workload;
  bool json = false;
  FlagValues values; // all of them (--data-dir: openDurable)
};

int usage(const char *argv0, const std::string &why) {
  return flagError(argv0, "node", why);
}

// The flags of table Flags.h for main "node"; -1 to go on, else the exit code.
int readFlags(int argc, char **argv, const ProgramInfo &info, Flags &f) {
  FlagValues &v = f.values;
  BuildFacts build{info.name, info.params, info.principals};
  if (int rc = readFlags("node", argc, argv, 1, {"node", "sim"}, v, &build);
      rc >= 0)
    return rc;
  std::string err;
  f.id = v.str("--id");
  f.deploy = v.str("--deploy");
  f.trace = v.str("--trace");
  f.keys = v.str("--keys");
  f.stats = v.str("--stats");
  f.logLevel = v.str("--log-level", f.logLevel);
  f.workload.requestTransition = v.str("--request-transition");
  f.workload.completeTransition = v.str("--complete-transition");
  f.json = v.has("--json");
  if (!v.count("--max-per-peer", f.maxPerPeer, err, 1) ||
      !v.count("--requests", f.workload.requests, err) ||
      !v.count("--concurrency", f.workload.concurrency, err, 1, 1000000) ||
      !v.count("--progress-every", f.workload.progressEvery, err, 1) ||
      !v.count("--run-for", f.runForMs, err) ||
      !v.count("--exit-when-quiescent", f.quiescentMs, err) ||
      !v.count("--stats-every", f.statsEvery, err, 0, 86400))
    return usage(argv[0], err);
  return -1;
}

} // namespace

int nodeMain(int argc, char **argv, const ProgramInfo &info) {
  if (argc > 1 && std::string(argv[1]) == "--sim")
    return simMain(argc, argv, info);
  Flags f;
  if (int rc = readFlags(argc, argv, info, f); rc >= 0)
    return rc;
  if (f.id.empty() || f.deploy.empty())
    return usage(argv[0], "--id and --deploy are required");
  LogLevel level;
  if (!parseLogLevel(f.logLevel, level))
    return usage(argv[0], "bad --log-level '" + f.logLevel + "'");
  int me = -1;
  for (size_t p = 0; p < info.principals.size(); ++p)
    if (info.principals[p] == f.id)
      me = int(p);
  DeployConfig conf;
  std::vector<Endpoint> hosts;
  if (me < 0) {
    // Not a principal of the program: the trusted third party of TTP(z)?
    if (!loadNodeDeploy(f.deploy, info.principals, conf, hosts))
      return 2;
    auto ttps = ttpPrincipals(conf, info.principals);
    if (std::find(ttps.begin(), ttps.end(), f.id) == ttps.end())
      return usage(argv[0], "unknown principal '" + f.id + "'");
    TtpNodeOptions o;
    o.id = f.id, o.deployPath = f.deploy, o.keysDir = f.keys,
    o.statsPath = f.stats;
    o.level = level, o.runForMs = f.runForMs, o.quiescentMs = f.quiescentMs;
    return ttpNodeMain(argv[0], o, conf, info.principals, hosts);
  }
  if (!loadNodeDeploy(f.deploy, info.principals, conf, hosts))
    return 2;
  std::string authErr;
  std::unique_ptr<Authenticator> auth = makeStatementAuthenticator(
      conf, f.deploy, info.principals, me, f.keys, authErr);
  if (!auth) {
    std::cerr << argv[0] << ": error: " << authErr << "\n";
    return 2;
  }

  Logger log(f.id, level);
  for (const auto &r : conf.dissemination)
    for (const auto &m : r.modules)
      if (m.name != "BATCH" &&
          m.name != "OPTIMISTIC") // implemented; the others fall back
        log.warn("dissemination_fallback",
                 {{"module", m.name}, {"using", "unicast to every verifier"}});
  EventLoop loop;
  if (!loop.ok()) {
    std::cerr << argv[0] << ": error: cannot create the event loop\n";
    return 2;
  }
  TraceWriter trace;
  std::string err;
  if (!f.trace.empty() && !trace.open(f.trace, err))
    return usage(argv[0], err);
  trace.setHeader(traceHeaderJson(info.name, info.params));
  // A workload wraps the role's generated class (Workload.h); `runInfo`
  // outlives the node, which keeps a reference to it.
  std::unique_ptr<Workload> workload;
  ProgramInfo runInfo = info;
  if (f.workload.enabled() || !f.workload.completeTransition.empty()) {
    workload = std::make_unique<Workload>(f.workload);
    runInfo = withWorkload(info, me, *workload);
  }
  Node node(loop, log, runInfo, me);
  if (!node.init(err))
    return usage(argv[0], err);
  if (workload && !workload->bind(*node.role(), err))
    return usage(argv[0], err);
  // Durable state (--data-dir): restored before the node takes a step.
  DurableLog durable;
  int64_t resumeRound = 0; // round programs only
  if (int rc = openDurable(argv[0], f.values, info.name, f.id, *node.role(),
                           durable, resumeRound, log);
      rc >= 0)
    return rc;
  if (durable.isOpen() && node.role()->hasDurable())
    node.setDurable(&durable);
  node.setAuth(auth.get());
  if (f.maxPerPeer > 0)
    node.setMaxPerIssuer(size_t(f.maxPerPeer));
  Transport transport(loop, me, hosts, log);
  transport.setPeerNames(auth->names());
  if (!transport.listen(err)) {
    std::cerr << argv[0] << ": error: " << err << "\n";
    return 2;
  }
  transport.onFrame([&](int peer, const uint8_t *d, size_t n) {
    uint64_t before = node.stats().authenticated;
    node.receiveFrame(peer, d, n);
    return node.stats().authenticated > before;
  });
  node.setSend([&](int peer, const std::vector<uint8_t> &frame) {
    transport.send(peer, frame);
  });
  if (trace.isOpen())
    node.setTrace(&trace);

  installStopSignals();
  std::signal(SIGPIPE, SIG_IGN);
  TimePoint start = EventLoop::now();
  log.info("started",
           {{"role", node.role()->roleName()}, {"program", info.name}});
  // Housekeeping: signals, run time, quiescence, the stats line.
  TimePoint nextStats = start + std::chrono::seconds(f.statsEvery);
  std::function<void()> tick = [&] {
    TimePoint now = EventLoop::now();
    trace.flush(); // traces are readable while the node runs
    if (f.statsEvery > 0 && now >= nextStats) {
      nextStats = now + std::chrono::seconds(f.statsEvery);
      const auto &st = node.stats();
      const auto &ts = transport.stats();
      log.logCounts(LogLevel::Info, "stats",
                    {{"pool", node.pool().size()},
                     {"collected", node.pool().removed()},
                     {"steps", st.steps},
                     {"delivered", st.delivered},
                     {"published", st.published},
                     {"rejected", st.rejected},
                     {"frames_in", ts.framesIn},
                     {"frames_out", ts.framesOut},
                     {"conns_in", transport.inboundConnections()},
                     {"conns_out", transport.outboundConnections()}});
    }
    bool quiet = f.quiescentMs >= 0 && !node.anyTimerPending() &&
                 now - node.lastActivity() >= Millis(f.quiescentMs);
    // A finished workload ends the run, unless --exit-when-quiescent says
    // when to stop (the dissemination layer may still be at work).
    bool workloadOver = workload && (workload->stalled(now, 1000) ||
                                     (workload->done() && f.quiescentMs < 0));
    if (workloadOver && f.workload.requests >= 0 && !workload->done())
      log.warn("workload_stalled",
               {{"why", "the program issues no more requests (a guard or bound "
                        "of the request transition below --requests?)"},
                {"completed", std::to_string(workload->completed())}});
    if (stopRequested() || node.failed() || quiet || workloadOver ||
        (f.runForMs >= 0 && now - start >= Millis(f.runForMs))) {
      loop.stop();
      return;
    }
    loop.after(Millis(20), tick);
  };
  loop.after(Millis(20), tick);
  node.kick();
  loop.run();

  node.flushTrace();
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      EventLoop::now() - start);
  const auto &st = node.stats();
  const auto &ts = transport.stats();
  std::string out = "{\"node\":";
  appendJsonString(out, f.id);
  out += ",\"role\":";
  appendJsonString(out, node.role()->roleName());
  out += ",\"failed\":" + std::string(node.failed() ? "true" : "false");
  out += ",\"elapsed_us\":" + std::to_string(elapsed.count());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto us = [](const timeval &tv) {
    return std::to_string(int64_t(tv.tv_sec) * 1000000 + tv.tv_usec);
  };
  out += ",\"cpu_user_us\":" + us(ru.ru_utime) +
         ",\"cpu_sys_us\":" + us(ru.ru_stime);
  out += ",\"steps\":" + std::to_string(st.steps);
  out += ",\"delivered\":" + std::to_string(st.delivered);
  out += ",\"duplicates\":" + std::to_string(st.duplicates);
  out += ",\"rejected\":" + std::to_string(st.rejected);
  out += ",\"published\":" + std::to_string(st.published);
  out += ",\"frames_out\":" + std::to_string(ts.framesOut);
  out += ",\"frames_in\":" + std::to_string(ts.framesIn);
  std::string statsJson =
      "{\"rejects\":" + st.rejects.toJson() +
      ",\"duplicates\":" + std::to_string(st.duplicates) +
      ",\"delivered\":" + std::to_string(st.delivered) +
      ",\"pool_statements\":" + std::to_string(node.pool().size()) +
      ",\"pool_collected\":" + std::to_string(node.pool().removed()) +
      ",\"retired_refused\":" + std::to_string(st.retiredRefused) +
      ",\"fired_bindings\":" + std::to_string(node.role()->firedBindings()) +
      ",\"unsent\":" + std::to_string(st.unsent) +
      ",\"batches\":" + std::to_string(st.batches) + ",\"dissemination\":" +
      (node.optimistic() ? node.optimistic()->statsJson() : "{}") +
      ",\"digest\":" + (node.digests() ? node.digests()->statsJson() : "{}") +
      ",\"transport\":" + transportStatsJson(ts) +
      ",\"crypto\":{\"macs\":" + std::to_string(crypto::counters().macs) +
      ",\"mac_verifies\":" + std::to_string(crypto::counters().macVerifies) +
      ",\"signs\":" + std::to_string(crypto::counters().signs) +
      ",\"sig_verifies\":" + std::to_string(crypto::counters().sigVerifies) +
      "}}";
  out += ",\"stats\":" + statsJson;
  if (!f.stats.empty()) {
    if (FILE *sf = std::fopen(f.stats.c_str(), "w")) {
      std::fputs(statsJson.c_str(), sf);
      std::fputs("\n", sf);
      std::fclose(sf);
    }
  }
  if (workload)
    out += ",\"workload\":" + workload->json();
  out += ",\"state\":" + node.role()->stateJson() + "}\n";
  if (workload && !f.json)
    out = workload->summary(f.id);
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  transport.closeAll();
  if (node.failed())
    return 1;
  return workload && !workload->done() && f.workload.requests >= 0 ? 1 : 0;
}

} // namespace mommie::rt
