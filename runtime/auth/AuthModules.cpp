// The module table and rule resolution (see AuthModules.h).
#include "runtime/auth/AuthModules.h"

#include <algorithm>

namespace mommie::rt {

namespace {

const AuthModuleInfo kModules[] = {
    // name         kind                 impl  auth  anyAud fwd    tag
    {"PLAINTEXT", AuthKind::Plaintext, true, true, false, false, 0},
    {"HMAC_SHA256", AuthKind::HmacSha256, true, true, false, false, 32},
    {"ED25519", AuthKind::Ed25519, true, true, true, true, 64},
    {"RSA", AuthKind::Rsa, false, true, true, true, 0},
    {"TTP", AuthKind::Ttp, true, true, true, true, 64},
};

bool anyMatches(const std::vector<std::string> &pats, const std::string &name) {
  for (const auto &p : pats)
    if (principalMatches(p, name))
      return true;
  return false;
}

// Whether rule r covers a -> b (or b -> a for <->).
bool covers(const DeployRule &r, const std::string &a, const std::string &b) {
  if (anyMatches(r.from, a) && anyMatches(r.to, b))
    return true;
  return r.bidirectional && anyMatches(r.from, b) && anyMatches(r.to, a);
}

Resolved fromRule(const DeployRule &r, bool nonRep) {
  Resolved out;
  out.rule = &r;
  out.nonRepudiation = nonRep;
  if (!r.modules.empty()) {
    out.spec = &r.modules.front();
    out.module = findAuthModule(r.modules.front().name);
  }
  return out;
}

} // namespace

const AuthModuleInfo *findAuthModule(const std::string &name) {
  for (const auto &m : kModules)
    if (name == m.name)
      return &m;
  return nullptr;
}

const AuthModuleInfo &authModule(AuthKind k) {
  for (const auto &m : kModules)
    if (m.kind == k)
      return m;
  return kModules[0];
}

Resolved authFor(const DeployConfig &c, const std::string &issuer,
                 const std::string &verifier) {
  for (auto it = c.authentication.rbegin(); it != c.authentication.rend(); ++it)
    if (covers(*it, issuer, verifier))
      return fromRule(*it, false);
  Resolved out;
  out.module = &authModule(AuthKind::Plaintext);
  return out;
}

Resolved nonRepudiationFor(const DeployConfig &c, const std::string &issuer,
                           const std::vector<std::string> &auditors) {
  for (auto it = c.nonRepudiation.rbegin(); it != c.nonRepudiation.rend();
       ++it) {
    bool all = !auditors.empty();
    for (const auto &a : auditors)
      all = all && covers(*it, issuer, a);
    if (all)
      return fromRule(*it, true);
  }
  return Resolved{};
}

std::vector<std::string>
ttpPrincipals(const DeployConfig &c,
              const std::vector<std::string> &programPrincipals) {
  std::vector<std::string> out;
  for (const auto *rules : {&c.authentication, &c.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules)
        if (m.name == "TTP" && m.args.size() == 1 &&
            std::find(out.begin(), out.end(), m.args[0]) == out.end() &&
            std::find(programPrincipals.begin(), programPrincipals.end(),
                      m.args[0]) == programPrincipals.end())
          out.push_back(m.args[0]);
  return out;
}

Resolved carrierFor(const DeployConfig &c, const std::string &issuer,
                    const std::string &verifier,
                    const std::vector<std::string> &auditors) {
  if (!auditors.empty()) {
    Resolved nr = nonRepudiationFor(c, issuer, auditors);
    if (nr.module)
      return nr;
  }
  return authFor(c, issuer, verifier);
}

} // namespace mommie::rt
