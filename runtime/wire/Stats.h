// Counters of rejected input by reason, reported by `--stats FILE` and in
// the node's outcome line. C++17.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace mommie::rt {

enum class Reject : uint8_t {
  BadFrame,     // undecodable / truncated / trailing bytes / unknown type
  WrongModule,  // frame authenticated by another module than deploy.conf's
                // (downgrade)
  BadMac,       // HMAC-SHA256 tag does not verify
  BadSignature, // Ed25519 signature does not verify
  Replay,       // sequence number not above the peer's last one
  WrongIssuer, // statement claims an issuer other than the authenticated sender
  NotVerifier, // this node is not among the verifiers
  UnknownPrincipal, // a principal id outside the program
  BadRecord,        // unknown record type or fields not of the declared types
  NoKey,            // no key for this peer in --keys
  PeerQuota, // the issuer already has the maximum of statements in the pool
  BadDigest, // DIGEST: fetched bytes do not hash to a requested digest, or
             // unrequested
  Count
};

const char *rejectName(Reject r);

struct RejectCounts {
  std::array<uint64_t, size_t(Reject::Count)> n{};
  void add(Reject r) { ++n[size_t(r)]; }
  uint64_t operator[](Reject r) const { return n[size_t(r)]; }
  uint64_t total() const {
    uint64_t t = 0;
    for (auto v : n)
      t += v;
    return t;
  }
  // {"bad_frame":0,"wrong_module":0,...}
  std::string toJson() const;
};

} // namespace mommie::rt
