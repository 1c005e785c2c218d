// `BIN --sim` for a statement program (see SimSetup.h): every node of the
// deployment, and every TTP(z) it names, over the simulated network.
#include "runtime/auth/Auth.h"
#include "runtime/auth/Keys.h"
#include "runtime/auth/Ttp.h"
#include "runtime/node/Node.h"
#include "runtime/node/SimSetup.h"
#include "runtime/node/Workload.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace mommie::rt {

int simMain(int argc, char **argv, const ProgramInfo &info) {
  SimFlags f;
  DeployConfig conf;
  std::vector<int> nodes;
  SimFaults faults;
  LogLevel level;
  if (int rc =
          simSetUp(argc, argv, info.principals, f, conf, nodes, faults, level);
      rc >= 0)
    return rc;
  if (!faults.byzantine.empty())
    return simUsage(argv[0],
                    "--faults: byz= is implemented for round programs only");
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
    ttpAuths.push_back(std::make_unique<Authenticator>(conf, info.principals, z,
                                                       keys[ttps[i]]));
    std::string err;
    if (!ttpAuths.back()->ready(err))
      return simUsage(argv[0], err);
    relays.push_back(std::make_unique<TtpRelay>(
        *ttpAuths.back(), ttpLog,
        [&net, z](int peer, const std::vector<uint8_t> &frame) {
          net.send(z, peer, frame);
        }));
    TtpRelay *relay = relays.back().get();
    net.attach(z, [relay](int from, const uint8_t *d, size_t n) {
      relay->receive(from, d, n);
    });
  }
  std::vector<std::unique_ptr<Logger>> logs(np);
  std::vector<std::unique_ptr<TraceWriter>> traces(np);
  std::vector<std::unique_ptr<Authenticator>> auths(np);
  std::vector<std::unique_ptr<Node>> ns(np);
  // --requests N: every client (a node whose role has a request transition,
  // Workload.h) issues N requests, any number outstanding.
  std::vector<std::unique_ptr<Workload>> workloads(np);
  std::vector<std::unique_ptr<ProgramInfo>> infos(np);
  std::vector<int> crashed;
  for (int p : nodes) {
    const std::string &name = info.principals[size_t(p)];
    logs[size_t(p)] = std::make_unique<Logger>(name, level);
    auto &node = ns[size_t(p)];
    if (f.requests >= 0) {
      WorkloadConfig wc;
      wc.requests = f.requests;
      wc.concurrency = std::max<int64_t>(1, f.requests);
      auto w = std::make_unique<Workload>(wc);
      Node probe(loop, *logs[size_t(p)], info, p);
      std::string why;
      if (probe.init(why) && w->bind(*probe.role(), why)) {
        infos[size_t(p)] =
            std::make_unique<ProgramInfo>(withWorkload(info, p, *w));
        workloads[size_t(p)] = std::move(w);
      }
    }
    node = std::make_unique<Node>(
        loop, *logs[size_t(p)], infos[size_t(p)] ? *infos[size_t(p)] : info, p);
    node->setChoiceSeed(f.seed); // seeds sample the initial choices
    std::string err;
    if (!node->init(err))
      return simUsage(argv[0], err);
    if (workloads[size_t(p)] && !workloads[size_t(p)]->bind(*node->role(), err))
      return simUsage(argv[0], err);
    auths[size_t(p)] =
        std::make_unique<Authenticator>(conf, info.principals, p, keys[name]);
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
    node->setSend([&net, p](int peer, const std::vector<uint8_t> &frame) {
      net.send(p, peer, frame);
    });
    net.attach(p, [raw](int from, const uint8_t *d, size_t n) {
      raw->receiveFrame(from, d, n);
    });
  }
  SimStepLimit limit(loop, f.maxSteps);
  for (int p : nodes)
    ns[size_t(p)]->setStepHook([&limit] { limit.step(); });
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
  std::string verdict = simRunLoop(loop, f, limit);

  bool failed = false;
  std::string out = "{\"seed\":" + std::to_string(f.seed) + ",\"verdict\":\"" +
                    verdict + "\",\"time_us\":" + std::to_string(net.nowUs()) +
                    ",\"net\":" + simNetJson(net) +
                    ",\"crashed\":" + simNamesJson(info.principals, crashed) +
                    ",\"nodes\":[";
  for (size_t i = 0; i < nodes.size(); ++i) {
    int p = nodes[i];
    Node &node = *ns[size_t(p)];
    node.flushTrace();
    bool simCrash =
        std::find(crashed.begin(), crashed.end(), p) != crashed.end();
    failed = failed || (node.failed() && !simCrash);
    const auto &st = node.stats();
    out += i ? ",{\"node\":" : "{\"node\":";
    appendJsonString(out, info.principals[size_t(p)]);
    out += ",\"role\":";
    appendJsonString(out, node.role()->roleName());
    out += ",\"crashed\":" + std::string(simCrash ? "true" : "false");
    out += ",\"failed\":" +
           std::string(node.failed() && !simCrash ? "true" : "false");
    out += ",\"steps\":" + std::to_string(st.steps) +
           ",\"delivered\":" + std::to_string(st.delivered) +
           ",\"duplicates\":" + std::to_string(st.duplicates) +
           ",\"rejected\":" + std::to_string(st.rejected) +
           ",\"published\":" + std::to_string(st.published) +
           ",\"pool_statements\":" + std::to_string(node.pool().size()) +
           ",\"pool_collected\":" + std::to_string(node.pool().removed());
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

} // namespace mommie::rt
