// What the event-driven and the round node mains share: number flags and
// the deploy file with its host table (and, through net/Stop.h, the stop
// request set by SIGINT / SIGTERM).
#pragma once

#include "runtime/auth/Deploy.h"
#include "runtime/net/Endpoint.h"
#include "runtime/net/Stop.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt {

// A whole non-negative decimal number; false on anything else.
bool parseCount(const char *s, int64_t &out);

// Reads the deploy file and the address of every principal in [Hosts]
// (indexed like `principals`, then the TTP(z) principals of the file:
// ttpPrincipals in AuthModules.h); on error prints located diagnostics on
// stderr and returns false.
bool loadNodeDeploy(const std::string &path, const std::vector<std::string> &principals,
                    DeployConfig &conf, std::vector<Endpoint> &hosts);

} // namespace mommie::rt
