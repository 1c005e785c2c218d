// Shared node start-up helpers (see NodeCommon.h).
#include "runtime/node/NodeCommon.h"

#include "runtime/auth/AuthModules.h"

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

bool loadNodeDeploy(const std::string &path, const std::vector<std::string> &principals,
                    DeployConfig &conf, std::vector<Endpoint> &hosts) {
  std::vector<DeployError> errors;
  if (!loadDeployFile(path, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << path << ":" << e.line << ":" << e.col << ": error: " << e.message << "\n";
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
      std::cerr << path << ":" << h.line << ":1: error: unknown principal '" << h.principal << "'\n";
      return false;
    }
    hosts[size_t(p)] = h.endpoint;
  }
  return true;
}

} // namespace mommie::rt
