// The deployment file (deploy.conf, DESIGN.md "Deployment configuration"):
//
//   [Hosts]
//   R0 = 127.0.0.1:7100
//   [Authentication]
//   R* <-> R*   : HMAC_SHA256
//   C* -> R*    : ED25519
//   [Non-repudiation]
//   R* -> *     : ED25519
//   [Dissemination]
//   C* -> R*    : OPTIMISTIC(PRIMARY) 20ms; OPTIMISTIC(QUORUM) 40ms
//   x,y -> *    : OPTIMISTIC(PRIMARY);
//               : OPTIMISTIC(QUORUM);          (continuation of the rule above)
//
// Principal patterns: a name (R0), a prefix wildcard (R*), `*`, or a comma
// list of those. `#` and `//` start comments. Errors carry line and column;
// the parser never throws. What the runtime implements of each module is
// declared in AuthModules.h (authentication, non-repudiation, TTP(z)) and
// docs/deploy.md (dissemination); a TTP(z) argument names a principal that
// only deploy.conf knows (ttpPrincipals).
#pragma once

#include "runtime/net/Endpoint.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt {

struct DeployError {
  int line = 0, col = 0;
  std::string message;
};

struct ModuleSpec {
  std::string name; // PLAINTEXT, HMAC_SHA256, OPTIMISTIC, BATCH, ...
  std::vector<std::string> args; // PRIMARY / QUORUM / 64 / 1ms / z
  int64_t escalationMs = -1;     // dissemination: escalation timeout
  int line = 0, col = 0;
};

struct DeployRule {
  std::vector<std::string> from, to; // principal patterns
  bool bidirectional = false;        // <->
  std::vector<ModuleSpec> modules;
  int line = 0;
};

struct HostEntry {
  std::string principal;
  Endpoint endpoint;
  int line = 0;
};

struct DeployConfig {
  std::vector<HostEntry> hosts;
  std::vector<DeployRule> authentication, nonRepudiation, dissemination;

  const HostEntry *host(const std::string &principal) const;
};

// Parses `text`; returns false (and fills `errors`) on any error.
bool parseDeploy(const std::string &text, DeployConfig &out,
                 std::vector<DeployError> &errors);
// Reads and parses a file; a read failure is reported as an error at 0:0.
bool loadDeployFile(const std::string &path, DeployConfig &out,
                    std::vector<DeployError> &errors);

// Whether principal `name` matches pattern `pat` (R0, R*, *).
bool principalMatches(const std::string &pat, const std::string &name);

} // namespace mommie::rt
