// Opaque authenticated frames (see Auth.h, sealFrame / openFrame): the
// round engine's messages and markers travel in them, authenticated by the
// [Authentication] module of the (sender, receiver) pair.
#include "runtime/auth/Auth.h"

namespace mommie::rt {

namespace {
constexpr char Domain[] = "MOMMIE-AUTH1";
constexpr uint8_t OpaqueTag = 0x0F;

std::vector<uint8_t> opaqueSigned(AuthKind k, int issuer, int receiver,
                                  uint64_t seq, const uint8_t *inner,
                                  size_t n) {
  Writer w;
  w.bytes(Domain, sizeof Domain - 1);
  w.u8(uint8_t(k));
  w.varint(uint64_t(issuer));
  w.varint(uint64_t(receiver));
  w.varint(seq);
  w.u8(OpaqueTag);
  w.bytes(inner, n);
  return std::move(w.buffer());
}
} // namespace

AuthKind Authenticator::pairModule(int issuer, int receiver) const {
  if (issuer == me_ && receiver >= 0 && size_t(receiver) < pairOut_.size())
    return pairOut_[size_t(receiver)];
  if (receiver == me_ && issuer >= 0 && size_t(issuer) < pairIn_.size())
    return pairIn_[size_t(issuer)];
  return AuthKind::Plaintext;
}

bool Authenticator::appendTag(Writer &w, AuthKind k, int receiver,
                              const std::vector<uint8_t> &data) {
  if (k == AuthKind::Plaintext)
    return true;
  if (k == AuthKind::HmacSha256) {
    const crypto::HmacKey *key = hmac_[size_t(receiver)];
    if (!key)
      return false;
    uint8_t tag[crypto::HmacBytes];
    crypto::hmac(*key, data.data(), data.size(), tag);
    w.bytes(tag, sizeof tag);
    return true;
  }
  if (k == AuthKind::Ed25519) {
    if (!keys_.edSecret)
      return false;
    uint8_t sig[crypto::EdSigBytes];
    crypto::sign(*keys_.edSecret, data.data(), data.size(), sig);
    w.bytes(sig, sizeof sig);
    return true;
  }
  return false;
}

bool Authenticator::verifyTag(AuthKind k, int issuer,
                              const std::vector<uint8_t> &data,
                              const uint8_t *tag, Reject &why) const {
  if (k == AuthKind::Plaintext)
    return true;
  if (k == AuthKind::HmacSha256) {
    const crypto::HmacKey *key = hmac_[size_t(issuer)];
    why = key ? Reject::BadMac : Reject::NoKey;
    return key && crypto::hmacVerify(*key, data.data(), data.size(), tag);
  }
  if (k == AuthKind::Ed25519) {
    const crypto::EdPublic *pk = edPub_[size_t(issuer)];
    why = pk ? Reject::BadSignature : Reject::NoKey;
    return pk && crypto::verify(*pk, data.data(), data.size(), tag);
  }
  why = Reject::WrongModule;
  return false;
}

std::vector<uint8_t> Authenticator::sealFrame(const std::vector<uint8_t> &inner,
                                              int receiver) {
  if (receiver < 0 || size_t(receiver) >= names_.size())
    return {};
  AuthKind k = pairModule(me_, receiver);
  if (k == AuthKind::Plaintext)
    return inner;
  uint64_t seq = nextSeq_++;
  Writer w;
  w.u8(FrameAuthOpaque);
  w.u8(uint8_t(k));
  w.varint(seq);
  w.bytes(inner.data(), inner.size());
  if (!appendTag(
          w, k, receiver,
          opaqueSigned(k, me_, receiver, seq, inner.data(), inner.size())))
    return {};
  return std::move(w.buffer());
}

bool Authenticator::openFrame(int peer, const uint8_t *data, size_t size,
                              const uint8_t *&inner, size_t &innerSize,
                              Reject &why) {
  if (peer < 0 || size_t(peer) >= names_.size() || peer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  AuthKind want = pairModule(peer, me_);
  if (size == 0 || data[0] != FrameAuthOpaque) {
    // An unwrapped frame: only over a PLAINTEXT pair (no downgrade).
    if (want != AuthKind::Plaintext) {
      why = Reject::WrongModule;
      return false;
    }
    inner = data, innerSize = size;
    return true;
  }
  Reader r(data, size);
  r.u8();
  uint8_t kind = r.u8();
  uint64_t seq = r.varint();
  if (!r.ok()) {
    why = Reject::BadFrame;
    return false;
  }
  if (kind != uint8_t(want) || want == AuthKind::Plaintext) {
    why = Reject::WrongModule;
    return false;
  }
  size_t tagBytes = authModule(want).tagBytes;
  size_t head = size - r.remaining();
  if (r.remaining() < tagBytes + 1) {
    why = Reject::BadFrame;
    return false;
  }
  const uint8_t *body = data + head;
  size_t n = r.remaining() - tagBytes;
  if (!verifyTag(want, peer, opaqueSigned(want, peer, me_, seq, body, n),
                 body + n, why))
    return false;
  // Only after authentication: an attacker must not advance the counter.
  if (seq <= lastSeq_[size_t(peer)]) {
    why = Reject::Replay;
    return false;
  }
  lastSeq_[size_t(peer)] = seq;
  inner = body, innerSize = n;
  return true;
}

} // namespace mommie::rt

namespace mommie::rt {

namespace {
constexpr uint8_t ForwardTag = 0xF5;

std::vector<uint8_t> forwardSigned(AuthKind k, int issuer,
                                   const std::string &stmt) {
  Writer w;
  w.bytes(Domain, sizeof Domain - 1);
  w.u8(uint8_t(k));
  w.varint(uint64_t(issuer));
  w.u8(ForwardTag);
  w.bytes(stmt.data(), stmt.size());
  return std::move(w.buffer());
}
} // namespace

bool Authenticator::forwardableCarrier(const Statement &s, AuthKind &k) {
  bool first = true;
  for (const auto &v : s.verifiers.elems()) {
    int p = v.asPrincipal();
    if (p == s.issuer || p < 0 || size_t(p) >= names_.size())
      continue;
    AuthKind kv = carrier(s.issuer, p, s.auditors);
    if (!authModule(kv).forwardable || !authModule(kv).implemented ||
        (!first && kv != k))
      return false;
    k = kv, first = false;
  }
  return !first;
}

std::vector<uint8_t> Authenticator::sealForwardable(const Statement &s,
                                                    bool relay) {
  AuthKind k;
  if (s.issuer != me_ || !forwardableCarrier(s, k) || k != AuthKind::Ed25519 ||
      !keys_.edSecret)
    return {};
  std::string stmt = s.key();
  Writer w;
  w.u8(FrameAuthForward);
  w.u8(uint8_t(k));
  w.u8(relay ? RelayFlag : 0);
  w.bytes(stmt.data(), stmt.size());
  if (!appendTag(w, k, -1, forwardSigned(k, me_, stmt)))
    return {};
  return std::move(w.buffer());
}

bool Authenticator::openForwardable(int peer, const uint8_t *data, size_t size,
                                    Statement &out, bool &relay, Reject &why) {
  if (peer < 0 || size_t(peer) >= names_.size() || peer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  Reader r(data, size);
  if (r.u8() != FrameAuthForward) {
    why = Reject::BadFrame;
    return false;
  }
  uint8_t kind = r.u8();
  uint8_t flags = r.u8();
  if (!r.ok() || !Statement::decode(r, out) || (flags & ~RelayFlag) != 0) {
    why = Reject::BadFrame;
    return false;
  }
  relay = (flags & RelayFlag) != 0;
  if (out.issuer < 0 || size_t(out.issuer) >= names_.size() ||
      out.issuer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  for (const auto &a : out.auditors.elems())
    if (a.asPrincipal() < 0 || size_t(a.asPrincipal()) >= names_.size()) {
      why = Reject::UnknownPrincipal;
      return false;
    }
  // The module the configuration gives the issuer's statement to this
  // node must be the frame's, and forwardable (no downgrade to a MAC that
  // the relaying peer could have made).
  AuthKind want = carrier(out.issuer, me_, out.auditors);
  if (kind != uint8_t(want) || want != AuthKind::Ed25519) {
    why = Reject::WrongModule;
    return false;
  }
  if (r.remaining() != authModule(want).tagBytes) {
    why = Reject::BadFrame;
    return false;
  }
  const uint8_t *tag = data + (size - r.remaining());
  return verifyTag(want, out.issuer, forwardSigned(want, out.issuer, out.key()),
                   tag, why);
}

} // namespace mommie::rt
