// Key files for the authentication modules. `mommie keygen` writes one
// file per principal, KEYDIR/<principal>.key, mode 0600:
//
//   # mommie keys of R0
//   principal R0
//   hmac R1 <64 hex>                 pairwise HMAC-SHA256 key shared with R1
//   ed25519-secret <128 hex>         this principal's signing key
//   ed25519-public R1 <64 hex>       every principal's verification key
//
// A node loads only its own file (`--keys KEYDIR`). C++17.
#pragma once

#include "runtime/auth/Crypto.h"
#include "runtime/auth/Deploy.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mommie::rt {

struct KeyStore {
  std::string principal;
  std::map<std::string, crypto::HmacKey> hmac; // peer -> shared key
  std::optional<crypto::EdSecret> edSecret;
  std::map<std::string, crypto::EdPublic> edPublic; // principal -> key

  std::string serialize() const;
  // Parses a key file; false with `error` ("line N: ...") on bad input.
  static bool parse(const std::string &text, KeyStore &out, std::string &error);
  // Loads KEYDIR/<principal>.key; refuses files readable by others.
  static bool load(const std::string &dir, const std::string &principal,
                   KeyStore &out, std::string &error);
};

// Generates the keys `conf` needs for `principals`: a pairwise HMAC key for
// every pair some HMAC_SHA256 rule covers, an Ed25519 key pair for every
// principal that issues over some ED25519 rule (of either section); for a
// TTP(z) rule (z in `principals`, from [Hosts]), an HMAC key between z and
// every principal issuing over it and an Ed25519 key pair for z.
std::map<std::string, KeyStore>
generateKeys(const DeployConfig &conf,
             const std::vector<std::string> &principals);
// Writes KEYDIR/<p>.key for each store (creating KEYDIR, mode 0700; files
// 0600). False with `error` on the first failure.
bool writeKeyDir(const std::string &dir,
                 const std::map<std::string, KeyStore> &stores,
                 std::string &error);

} // namespace mommie::rt
