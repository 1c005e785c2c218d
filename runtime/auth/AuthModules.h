// The authentication / non-repudiation modules and what each provides,
// declared once in one table (kModules), and the resolution of deploy.conf
// rules to the module that carries a statement between two principals.
//
//   module       authenticated  auditors  forwardable  tag      implemented
//   PLAINTEXT    yes (channel)  NOONE     no           none     yes
//   HMAC_SHA256  yes            NOONE     no           32 B MAC yes
//   ED25519      yes            ANY       yes          64 B sig yes
//   RSA          yes            ANY       yes          -        no
//   TTP(z)       yes            ANY       yes          64 B sig yes (z
//   countersigns; Ttp.h)
//
// Rule resolution: within a section the LAST rule whose patterns match the
// pair wins (so `* <-> * : HMAC_SHA256` followed by `C* -> R* : ED25519`
// overrides the default for clients); a rule's first module is the one used.
// A pair no [Authentication] rule covers uses PLAINTEXT. A statement with a
// non-empty auditor set is carried by the [Non-repudiation] rule matching
// issuer -> every auditor if there is one, else by the pair's
// authentication module. Used by the node, by `mommie build` (the deploy
// check) and by `mommie keygen`. C++17.
#pragma once

#include "runtime/auth/Deploy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt {

enum class AuthKind : uint8_t {
  Plaintext = 0,
  HmacSha256 = 1,
  Ed25519 = 2,
  Rsa = 3,
  Ttp = 4
};

struct AuthModuleInfo {
  const char *name;
  AuthKind kind;
  bool implemented;   // by this runtime
  bool authenticated; // the verifier learns who issued the statement
  bool anyAuditor;    // false: only NOONE can audit (repudiable)
  bool forwardable;   // a third party may forward it with its evidence
  size_t tagBytes;    // bytes of MAC / signature per frame
};

// The table; nullptr for an unknown name.
const AuthModuleInfo *findAuthModule(const std::string &name);
const AuthModuleInfo &authModule(AuthKind k);

// The principal names of a deployment ([Hosts] order, or the program's).
struct Resolved {
  const AuthModuleInfo *module = nullptr;
  const DeployRule *rule = nullptr; // null: the PLAINTEXT default
  const ModuleSpec *spec = nullptr;
  bool nonRepudiation = false; // chosen by a [Non-repudiation] rule
};

// The module authenticating statements from `issuer` to `verifier`.
Resolved authFor(const DeployConfig &c, const std::string &issuer,
                 const std::string &verifier);
// The [Non-repudiation] module for statements of `issuer` audited by all
// of `auditors` (module null if no rule covers them all).
Resolved nonRepudiationFor(const DeployConfig &c, const std::string &issuer,
                           const std::vector<std::string> &auditors);
// The trusted third parties z named by TTP(z) modules that are not program
// principals, in order of first mention. A deployment numbers them after
// the program's principals (N, N+1, ...) for hosts, keys and transport.
std::vector<std::string>
ttpPrincipals(const DeployConfig &c,
              const std::vector<std::string> &programPrincipals);
// The module that carries a statement of `issuer` to `verifier` with the
// given auditors (empty = NOONE): the rules above combined.
Resolved carrierFor(const DeployConfig &c, const std::string &issuer,
                    const std::string &verifier,
                    const std::vector<std::string> &auditors);

} // namespace mommie::rt
