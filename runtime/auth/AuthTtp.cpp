// TTP(z) frames (see Auth.h): the issuer's MAC'd request to the trusted
// third party z, and z's countersigned statement, which any verifier or
// auditor checks with z's public key and anyone may forward.
#include "runtime/auth/Auth.h"

namespace mommie::rt {

namespace {
constexpr char Domain[] = "MOMMIE-AUTH1";
constexpr uint8_t RequestTag = 0x79, CountersignTag = 0x7A;

std::vector<uint8_t> requestSigned(int issuer, int z, uint64_t seq,
                                   const std::string &stmt) {
  Writer w;
  w.bytes(Domain, sizeof Domain - 1);
  w.u8(uint8_t(AuthKind::Ttp));
  w.varint(uint64_t(issuer));
  w.varint(uint64_t(z));
  w.varint(seq);
  w.u8(RequestTag);
  w.bytes(stmt.data(), stmt.size());
  return std::move(w.buffer());
}

std::vector<uint8_t> countersignSigned(int z, int issuer,
                                       const std::string &stmt) {
  Writer w;
  w.bytes(Domain, sizeof Domain - 1);
  w.u8(uint8_t(AuthKind::Ttp));
  w.varint(uint64_t(z));
  w.varint(uint64_t(issuer));
  w.u8(CountersignTag);
  w.bytes(stmt.data(), stmt.size());
  return std::move(w.buffer());
}
} // namespace

std::vector<uint8_t> Authenticator::sealTtpRequest(const Statement &s, int z) {
  if (z < numProgram_ || size_t(z) >= names_.size() || !hmac_[size_t(z)] ||
      s.issuer != me_)
    return {};
  uint64_t seq = nextSeq_++;
  std::string stmt = s.key();
  Writer w;
  w.u8(FrameTtpRequest);
  w.u8(uint8_t(AuthKind::Ttp));
  w.varint(seq);
  w.bytes(stmt.data(), stmt.size());
  auto data = requestSigned(me_, z, seq, stmt);
  uint8_t tag[crypto::HmacBytes];
  crypto::hmac(*hmac_[size_t(z)], data.data(), data.size(), tag);
  w.bytes(tag, sizeof tag);
  return std::move(w.buffer());
}

bool Authenticator::openTtpRequest(int peer, const uint8_t *data, size_t size,
                                   Statement &out, std::vector<int> &relayTo,
                                   Reject &why) {
  relayTo.clear();
  if (!isTtp() || peer < 0 || peer >= numProgram_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  Reader r(data, size);
  uint8_t type = r.u8();
  uint8_t kind = r.u8();
  uint64_t seq = r.varint();
  if (!r.ok() || type != FrameTtpRequest || !Statement::decode(r, out) ||
      r.remaining() != crypto::HmacBytes) {
    why = Reject::BadFrame;
    return false;
  }
  if (kind != uint8_t(AuthKind::Ttp)) {
    why = Reject::WrongModule;
    return false;
  }
  if (out.issuer != peer) {
    why = Reject::WrongIssuer;
    return false;
  }
  for (const auto *set : {&out.verifiers, &out.auditors})
    for (const auto &p : set->elems())
      if (p.asPrincipal() < 0 || p.asPrincipal() >= numProgram_) {
        why = Reject::UnknownPrincipal;
        return false;
      }
  for (const auto &v : out.verifiers.elems())
    if (v.asPrincipal() != peer &&
        ttpFor(peer, v.asPrincipal(), out.auditors) == me_)
      relayTo.push_back(v.asPrincipal());
  if (relayTo.empty()) {
    why = Reject::WrongModule; // this TTP carries the statement to no verifier
    return false;
  }
  const crypto::HmacKey *key = hmac_[size_t(peer)];
  if (!key) {
    why = Reject::NoKey;
    relayTo.clear();
    return false;
  }
  auto bytes = requestSigned(peer, me_, seq, out.key());
  if (!crypto::hmacVerify(*key, bytes.data(), bytes.size(),
                          data + (size - crypto::HmacBytes))) {
    why = Reject::BadMac;
    relayTo.clear();
    return false;
  }
  // Only after authentication: an attacker must not advance the counter.
  if (seq <= lastSeq_[size_t(peer)]) {
    why = Reject::Replay;
    relayTo.clear();
    return false;
  }
  lastSeq_[size_t(peer)] = seq;
  return true;
}

std::vector<uint8_t> Authenticator::sealCountersigned(const Statement &s) {
  if (!isTtp() || !keys_.edSecret || s.issuer < 0 || s.issuer >= numProgram_)
    return {};
  std::string stmt = s.key();
  Writer w;
  w.u8(FrameTtpCountersigned);
  w.u8(uint8_t(AuthKind::Ttp));
  w.varint(uint64_t(me_));
  w.bytes(stmt.data(), stmt.size());
  auto data = countersignSigned(me_, s.issuer, stmt);
  uint8_t sig[crypto::EdSigBytes];
  crypto::sign(*keys_.edSecret, data.data(), data.size(), sig);
  w.bytes(sig, sizeof sig);
  return std::move(w.buffer());
}

bool Authenticator::openCountersigned(int peer, const uint8_t *data,
                                      size_t size, Statement &out,
                                      Reject &why) {
  if (peer < 0 || size_t(peer) >= names_.size() || peer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  Reader r(data, size);
  uint8_t type = r.u8();
  uint8_t kind = r.u8();
  uint64_t z = r.varint();
  if (!r.ok() || type != FrameTtpCountersigned || !Statement::decode(r, out) ||
      r.remaining() != crypto::EdSigBytes) {
    why = Reject::BadFrame;
    return false;
  }
  if (kind != uint8_t(AuthKind::Ttp)) {
    why = Reject::WrongModule;
    return false;
  }
  if (z < uint64_t(numProgram_) || z >= names_.size() || out.issuer < 0 ||
      out.issuer >= numProgram_ || out.issuer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  for (const auto &a : out.auditors.elems())
    if (a.asPrincipal() < 0 || a.asPrincipal() >= numProgram_) {
      why = Reject::UnknownPrincipal;
      return false;
    }
  // The configuration must give this statement to this node by TTP(z) for
  // exactly this z: another TTP, or a TTP frame where deploy.conf says
  // another module, is a downgrade.
  if (ttpFor(out.issuer, me_, out.auditors) != int(z)) {
    why = Reject::WrongModule;
    return false;
  }
  const crypto::EdPublic *pk = edPub_[size_t(z)];
  if (!pk) {
    why = Reject::NoKey;
    return false;
  }
  auto bytes = countersignSigned(int(z), out.issuer, out.key());
  if (!crypto::verify(*pk, bytes.data(), bytes.size(),
                      data + (size - crypto::EdSigBytes))) {
    why = Reject::BadSignature;
    return false;
  }
  return true;
}

} // namespace mommie::rt
