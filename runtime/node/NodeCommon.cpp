// Shared node start-up helpers (see NodeCommon.h).
#include "runtime/node/NodeCommon.h"

#include "runtime/auth/AuthModules.h"
#include "runtime/net/Log.h"
#include "runtime/node/Flags.h"

#include <cerrno>
#include <cstdlib>
#include <iostream>

namespace mommie::rt {

bool parseCount(const char *s, int64_t &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s, &end, 10);
  if (errno || !end || *end || v < 0)
    return false;
  out = v;
  return true;
}

bool loadNodeDeploy(const std::string &path,
                    const std::vector<std::string> &principals,
                    DeployConfig &conf, std::vector<Endpoint> &hosts) {
  std::vector<DeployError> errors;
  if (!loadDeployFile(path, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << path << ":" << e.line << ":" << e.col
                << ": error: " << e.message << "\n";
    return false;
  }
  // TTP(z) principals are numbered after the program's (AuthModules.h).
  std::vector<std::string> names = principals;
  for (const auto &z : ttpPrincipals(conf, principals))
    names.push_back(z);
  hosts.assign(names.size(), Endpoint{});
  for (const auto &h : conf.hosts) {
    int p = -1;
    for (size_t q = 0; q < names.size(); ++q)
      if (names[q] == h.principal)
        p = int(q);
    if (p < 0) {
      std::cerr << path << ":" << h.line << ":1: error: unknown principal '"
                << h.principal << "'\n";
      return false;
    }
    hosts[size_t(p)] = h.endpoint;
  }
  return true;
}

bool readDurableFlags(const FlagValues &flags, DurableOptions &o,
                      std::string &error) {
  o.dir = flags.str("--data-dir");
  o.fresh = flags.has("--fresh");
  std::string sync = flags.str("--fsync", "on");
  if (sync != "on" && sync != "off") {
    error = "bad --fsync '" + sync + "' (on or off)";
    return false;
  }
  o.fsync = sync == "on";
  if (o.dir.empty() && (flags.has("--fresh") || flags.has("--fsync"))) {
    error = "--fresh and --fsync need --data-dir";
    return false;
  }
  return true;
}

int openDurable(const char *argv0, const FlagValues &flags,
                const std::string &protocol, const std::string &id,
                DurableVars &vars, DurableLog &log, int64_t &round,
                Logger &logger) {
  auto fail = [&](const std::string &why) {
    std::cerr << argv0 << ": error: " << why << "\n";
    return 2;
  };
  DurableOptions o;
  std::string err;
  if (!readDurableFlags(flags, o, err))
    return fail(err);
  if (o.dir.empty()) {
    if (vars.hasDurable())
      logger.warn(
          "not_durable",
          {{"why",
            "no --data-dir: the durable variables are not kept, and a restart "
            "of "
            "this node starts from the initial state (outside the model)"}});
    return -1;
  }
  o.protocol = protocol;
  o.principal = id;
  std::string sync = o.fsync ? "on" : "off";
  if (!log.open(o, err))
    return fail(err);
  if (!vars.hasDurable())
    logger.warn(
        "nothing_durable",
        {{"why",
          "the program has no durable variables: --data-dir keeps nothing"}});
  if (const auto &rec = log.recovered()) {
    Value st;
    std::string why = "not a durable-state record";
    if (!decodeDurableRecord(*rec, round, st) || !vars.restoreDurable(st, &why))
      return fail("the data directory " + o.dir +
                  " holds a state this build cannot restore (" + why +
                  "); was it written by another version of the protocol?");
    logger.info(
        "recovered",
        {{"dir", o.dir},
         {"round", std::to_string(round)},
         {"records", std::to_string(log.stats().recoveredRecords)},
         {"truncated_bytes", std::to_string(log.stats().truncatedBytes)},
         {"fsync", sync}});
    return -1;
  }
  if (vars.hasDurable() &&
      !log.append(encodeDurableRecord(round, vars.durableState()), err))
    return fail(err);
  logger.info("durable", {{"dir", o.dir}, {"fresh", "true"}, {"fsync", sync}});
  return -1;
}

} // namespace mommie::rt
