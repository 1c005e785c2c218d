// What the event-driven and the round node mains share: number flags and
// the deploy file with its host table (and, through net/Stop.h, the stop
// request set by SIGINT / SIGTERM).
#pragma once

#include "runtime/auth/Deploy.h"
#include "runtime/net/Endpoint.h"
#include "runtime/net/Stop.h"
#include "runtime/store/DurableLog.h"

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
bool loadNodeDeploy(const std::string &path,
                    const std::vector<std::string> &principals,
                    DeployConfig &conf, std::vector<Endpoint> &hosts);

class FlagValues;
class Logger;
// --data-dir DIR, --fresh and --fsync on|off into `o` (o.dir stays empty
// without --data-dir); false with `error` on a bad value or combination.
bool readDurableFlags(const FlagValues &flags, DurableOptions &o,
                      std::string &error);
// --data-dir DIR, --fresh, --fsync (docs/runtime.md, "Durable state"):
// opens `log` on DIR for principal `id` of `protocol` and restores `vars`
// from its last record (`round`: where a round program resumes); with no
// record, writes the initial durable state as the first one. Without
// --data-dir, warns if `vars` has durable variables (they are not kept).
// Returns -1 to go on, else 2 after printing the error on stderr.
int openDurable(const char *argv0, const FlagValues &flags,
                const std::string &protocol, const std::string &id,
                DurableVars &vars, DurableLog &log, int64_t &round,
                Logger &logger);

} // namespace mommie::rt
