// Reject counters (see Stats.h).
#include "runtime/wire/Stats.h"

namespace mommie::rt {

const char *rejectName(Reject r) {
  switch (r) {
  case Reject::BadFrame:
    return "bad_frame";
  case Reject::WrongModule:
    return "wrong_module";
  case Reject::BadMac:
    return "bad_mac";
  case Reject::BadSignature:
    return "bad_signature";
  case Reject::Replay:
    return "replay";
  case Reject::WrongIssuer:
    return "wrong_issuer";
  case Reject::NotVerifier:
    return "not_verifier";
  case Reject::UnknownPrincipal:
    return "unknown_principal";
  case Reject::BadRecord:
    return "bad_record";
  case Reject::NoKey:
    return "no_key";
  case Reject::PeerQuota:
    return "peer_quota";
  case Reject::BadDigest:
    return "bad_digest";
  case Reject::Count:
    break;
  }
  return "?";
}

std::string RejectCounts::toJson() const {
  std::string s = "{";
  for (size_t i = 0; i < n.size(); ++i) {
    if (i)
      s += ",";
    s += "\"";
    s += rejectName(Reject(i));
    s += "\":" + std::to_string(n[i]);
  }
  return s + "}";
}

} // namespace mommie::rt
