// The simulator's shared start-up (see SimSetup.h).
#include "runtime/node/SimSetup.h"

#include "runtime/auth/AuthModules.h"
#include "runtime/node/Flags.h"
#include "runtime/wire/Value.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace mommie::rt {

int simUsage(const char *argv0, const std::string &why) {
  return flagError(argv0, "sim", why);
}

int simSetUp(int argc, char **argv, const std::vector<std::string> &principals,
             SimFlags &f, DeployConfig &conf, std::vector<int> &nodes,
             SimFaults &faults, LogLevel &level) {
  FlagValues v;
  if (int rc = readFlags("sim", argc, argv, 2, {"sim"}, v); rc >= 0)
    return rc;
  std::string err;
  f.deploy = v.str("--deploy");
  f.traceDir = v.str("--trace-dir");
  f.faults = v.str("--faults");
  f.logLevel = v.str("--log-level", f.logLevel);
  if (!v.u64("--seed", f.seed, err) ||
      !v.count("--run-for", f.runForMs, err, 0, (int64_t(1) << 40) - 1) ||
      !v.count("--phases", f.phases, err) ||
      !v.count("--requests", f.requests, err, -1) ||
      !v.count("--max-steps", f.maxSteps, err, 1))
    return simUsage(argv[0], err);
  if (f.deploy.empty())
    return simUsage(argv[0], "--deploy is required");
  if (!parseLogLevel(f.logLevel, level))
    return simUsage(argv[0], "bad --log-level '" + f.logLevel + "'");
  std::vector<DeployError> errors;
  if (!loadDeployFile(f.deploy, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << f.deploy << ":" << e.line << ":" << e.col
                << ": error: " << e.message << "\n";
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
      std::cerr << f.deploy << ":" << h.line << ":1: error: unknown principal '"
                << h.principal << "'\n";
      return 2;
    }
    hosted[p] = true;
  }
  for (size_t p = 0; p < principals.size(); ++p)
    if (hosted[p])
      nodes.push_back(int(p));
  if (!parseSimFaults(f.faults, principals, faults, err))
    return simUsage(argv[0], "--faults: " + err);
  for (const auto &c : faults.crashes)
    if (!hosted[size_t(c.node)])
      return simUsage(argv[0], "--faults: crash of " +
                                   principals[size_t(c.node)] +
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
          std::cerr << f.deploy << ":" << m.line << ":" << m.col
                    << ": error: module " << m.name
                    << " is not implemented by this runtime yet\n";
          return 2;
        }
      }
  if (!f.traceDir.empty()) {
    FILE *probe = std::fopen((f.traceDir + "/.probe").c_str(), "w");
    if (!probe)
      return simUsage(argv[0],
                      "cannot write to --trace-dir '" + f.traceDir + "'");
    std::fclose(probe);
    std::remove((f.traceDir + "/.probe").c_str());
  }
  return -1;
}

std::string simNetJson(const SimNetwork &net) {
  const auto &s = net.stats();
  return "{\"sent\":" + std::to_string(s.sent) +
         ",\"delivered\":" + std::to_string(s.delivered) +
         ",\"lost\":" + std::to_string(s.lost) +
         ",\"duplicated\":" + std::to_string(s.duplicated) +
         ",\"to_crashed\":" + std::to_string(s.toCrashed) + "}";
}

std::string simNamesJson(const std::vector<std::string> &principals,
                         const std::vector<int> &ps) {
  std::string out = "[";
  for (size_t i = 0; i < ps.size(); ++i) {
    if (i)
      out += ",";
    appendJsonString(out, principals[size_t(ps[i])]);
  }
  return out + "]";
}

std::string simRunLoop(EventLoop &loop, const SimFlags &f,
                       const SimStepLimit &limit) {
  loop.runUntil(loop.clock() + Millis(f.runForMs));
  if (limit.hit())
    return "step limit";
  return loop.idle() ? "quiescent" : "time limit";
}

} // namespace mommie::rt
