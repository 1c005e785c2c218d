// What the event-driven and the round node mains share: number flags, the
// deploy file with its host table, and the stop request set by SIGINT /
// SIGTERM.
#pragma once

#include "runtime/Deploy.h"
#include "runtime/Transport.h"

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

// Installs SIGINT and SIGTERM handlers that only set the stop request.
void installStopSignals();
bool stopRequested();

} // namespace mommie::rt
