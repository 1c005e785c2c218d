// Start-up of a node's authentication modules from deploy.conf and
// `--keys KEYDIR` (used by round nodes; the statement node does the same
// in NodeMain.cpp): every module the file names must be implemented, keyed
// modules need --keys, and the node's key file must hold every key its
// links need. Also the JSON of the crypto operation counters. C++17.
#pragma once

#include "runtime/auth/Auth.h"

#include <memory>
#include <string>

namespace mommie::rt {

// Null with `error` ("deploy.conf:3:11: module TTP ...", "no HMAC_SHA256
// key shared with R0", ...) when the node must not start.
std::unique_ptr<Authenticator>
makeAuthenticator(const DeployConfig &conf, const std::string &deployPath,
                  const std::vector<std::string> &principals, int me,
                  const std::string &keysDir, std::string &error);

// The same for statement nodes (NodeMain.cpp) and the TTP node (Ttp.h),
// which also accept TTP(z); makeAuthenticator (round and KV nodes, whose
// frames are not statements) refuses it.
std::unique_ptr<Authenticator>
makeStatementAuthenticator(const DeployConfig &conf,
                           const std::string &deployPath,
                           const std::vector<std::string> &principals, int me,
                           const std::string &keysDir, std::string &error);

// {"macs":N,"mac_verifies":N,"signs":N,"sig_verifies":N}
std::string cryptoCountersJson();

} // namespace mommie::rt
