// The build-time check of a deployment's authentication / non-repudiation
// modules against what the program needs (docs/deploy.md):
//   - every PUBLISH [ME, verifier, auditor]: for each issuer of the role's
//     principal set and each possible verifier, the module carrying it
//     (runtime/auth/AuthModules.h) must be implemented and authenticated, and
//     if the auditor is not NOONE it must let those auditors verify it
//     (HMAC_SHA256 and PLAINTEXT: NOONE only);
//   - every pattern requiring an auditor (`[_, _, ANY]`, `[_, _, p]`): the
//     statements it matches must come over a non-repudiable module;
//   - a statement a forwarding dissemination module (OPTIMISTIC) may relay
//     through a third party must use a forwardable module.
// Possible verifiers / auditors / issuers are over-approximated from the
// expression's shape and type (a principal set, a literal, a value of type
// `C`, else every principal). A refused configuration gets one error per
// statement and rule, naming the record, its source location, the
// principals and the module, with a note at the deploy rule.
#pragma once

#include "ir/Diagnostics.h"
#include "ir/IR.h"
#include "runtime/auth/Deploy.h"

#include <string>

namespace mommie::tool {

// Reports errors into `diags`; returns true if the configuration is accepted.
bool checkDeployModules(const ir::Program &program,
                        const rt::DeployConfig &conf,
                        const std::string &deployPath, DiagnosticEngine &diags);

} // namespace mommie::tool
