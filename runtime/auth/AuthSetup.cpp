// Node start-up of the authentication modules (see AuthSetup.h).
#include "runtime/auth/AuthSetup.h"

namespace mommie::rt {

std::unique_ptr<Authenticator>
makeAuthenticator(const DeployConfig &conf, const std::string &deployPath,
                  const std::vector<std::string> &principals, int me,
                  const std::string &keysDir, std::string &error) {
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules)
        if (m.name == "TTP") {
          error = deployPath + ":" + std::to_string(m.line) + ":" +
                  std::to_string(m.col) +
                  ": module TTP carries statements only; this node's messages "
                  "cannot go "
                  "through a trusted third party";
          return nullptr;
        }
  return makeStatementAuthenticator(conf, deployPath, principals, me, keysDir,
                                    error);
}

std::unique_ptr<Authenticator>
makeStatementAuthenticator(const DeployConfig &conf,
                           const std::string &deployPath,
                           const std::vector<std::string> &principals, int me,
                           const std::string &keysDir, std::string &error) {
  bool needKeys = false;
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules) {
        const AuthModuleInfo *mi = findAuthModule(m.name);
        if (!mi || !mi->implemented) {
          error = deployPath + ":" + std::to_string(m.line) + ":" +
                  std::to_string(m.col) + ": module " + m.name +
                  " is not implemented by this runtime yet";
          return nullptr;
        }
        needKeys = needKeys || mi->kind != AuthKind::Plaintext;
      }
  KeyStore keys;
  std::vector<std::string> names = principals; // then the TTP principals
  for (const auto &z : ttpPrincipals(conf, principals))
    names.push_back(z);
  if (me < 0 || size_t(me) >= names.size()) {
    error = "no principal number " + std::to_string(me);
    return nullptr;
  }
  keys.principal = names[size_t(me)];
  if (!keysDir.empty()) {
    if (!KeyStore::load(keysDir, keys.principal, keys, error))
      return nullptr;
  } else if (needKeys) {
    error = "the deploy file uses keyed modules: give --keys KEYDIR (mommie "
            "keygen)";
    return nullptr;
  }
  auto auth =
      std::make_unique<Authenticator>(conf, principals, me, std::move(keys));
  if (!auth->ready(error))
    return nullptr;
  return auth;
}

std::string cryptoCountersJson() {
  const auto &c = crypto::counters();
  return "{\"macs\":" + std::to_string(c.macs) +
         ",\"mac_verifies\":" + std::to_string(c.macVerifies) +
         ",\"signs\":" + std::to_string(c.signs) +
         ",\"sig_verifies\":" + std::to_string(c.sigVerifies) + "}";
}

} // namespace mommie::rt
