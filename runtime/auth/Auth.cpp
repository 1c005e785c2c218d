// Frame authentication (see Auth.h).
#include "runtime/auth/Auth.h"

#include <algorithm>
#include <chrono>

namespace mommie::rt {

namespace {
constexpr char Domain[] = "MOMMIE-AUTH1";

bool parseMs(const std::string &w, int64_t &ms) {
  size_t n = 0;
  while (n < w.size() && n < 9 && w[n] >= '0' && w[n] <= '9')
    ++n;
  if (n == 0)
    return false;
  int64_t v = std::stoll(w.substr(0, n));
  std::string unit = w.substr(n);
  ms = unit == "s" ? v * 1000 : v;
  return unit == "ms" || unit == "s";
}
} // namespace

Authenticator::Authenticator(const DeployConfig &conf,
                             std::vector<std::string> principals, int me,
                             KeyStore keys)
    : conf_(conf), names_(std::move(principals)),
      numProgram_(int(names_.size())), me_(me), keys_(std::move(keys)) {
  crypto::init();
  for (auto &z : ttpPrincipals(conf_, names_))
    names_.push_back(std::move(z));
  hmac_.assign(names_.size(), nullptr);
  edPub_.assign(names_.size(), nullptr);
  for (size_t p = 0; p < names_.size(); ++p) {
    auto h = keys_.hmac.find(names_[p]);
    if (h != keys_.hmac.end())
      hmac_[p] = &h->second;
    auto e = keys_.edPublic.find(names_[p]);
    if (e != keys_.edPublic.end())
      edPub_[p] = &e->second;
  }
  lastSeq_.assign(names_.size(), 0);
  for (size_t q = 0; q < names_.size(); ++q) {
    const AuthModuleInfo *o =
        authFor(conf_, names_[size_t(me_)], names_[q]).module;
    const AuthModuleInfo *i =
        authFor(conf_, names_[q], names_[size_t(me_)]).module;
    pairOut_.push_back(o ? o->kind : AuthKind::Plaintext);
    pairIn_.push_back(i ? i->kind : AuthKind::Plaintext);
  }
  batch_.assign(names_.size(), BatchPolicy{});
  for (size_t q = 0; q < names_.size(); ++q)
    for (const auto &r : conf_.dissemination) {
      auto has = [](const std::vector<std::string> &pats,
                    const std::string &n) {
        for (const auto &p : pats)
          if (principalMatches(p, n))
            return true;
        return false;
      };
      const std::string &a = names_[size_t(me_)], &b = names_[q];
      if (!((has(r.from, a) && has(r.to, b)) ||
            (r.bidirectional && has(r.from, b) && has(r.to, a))))
        continue;
      for (const auto &m : r.modules)
        if (m.name == "BATCH" && !m.args.empty()) {
          BatchPolicy p;
          p.n = size_t(std::min<long long>(std::stoll(m.args[0]), MaxBatch));
          if (m.args.size() > 1 && !parseMs(m.args[1], p.delayMs))
            p.delayMs = 0;
          batch_[q] = p; // the last rule covering the pair wins
        }
    }
  nextSeq_ = uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count());
}

bool Authenticator::ready(std::string &error) const {
  auto need = [&](const Resolved &res, int issuer, int receiver) {
    const AuthModuleInfo *m = res.module;
    if (!m)
      return true;
    if (!m->implemented) {
      error = std::string("module ") + m->name + " is not implemented yet";
      return false;
    }
    int peer = issuer == me_ ? receiver : issuer;
    if (m->kind == AuthKind::HmacSha256 && !hmac_[size_t(peer)]) {
      error = "no HMAC_SHA256 key shared with " + names_[size_t(peer)];
      return false;
    }
    if (m->kind == AuthKind::Ed25519 && issuer == me_ && !keys_.edSecret) {
      error = "no ED25519 secret key for " + names_[size_t(me_)];
      return false;
    }
    if (m->kind == AuthKind::Ed25519 && issuer != me_ &&
        !edPub_[size_t(issuer)]) {
      error = "no ED25519 public key of " + names_[size_t(issuer)];
      return false;
    }
    if (m->kind == AuthKind::Ttp) {
      std::string z =
          res.spec && !res.spec->args.empty() ? res.spec->args[0] : "";
      auto at = std::find(names_.begin() + numProgram_, names_.end(), z);
      if (at == names_.end()) {
        error = "TTP(" + z + ") names no trusted third party of the deployment";
        return false;
      }
      size_t zi = size_t(at - names_.begin());
      if (issuer == me_ && !hmac_[zi]) {
        error = "no HMAC_SHA256 key shared with the TTP " + z;
        return false;
      }
      if (issuer != me_ && !edPub_[zi]) {
        error = "no ED25519 public key of the TTP " + z;
        return false;
      }
    }
    return true;
  };
  if (isTtp()) {
    if (!keys_.edSecret) {
      error = "no ED25519 secret key for the TTP " + names_[size_t(me_)];
      return false;
    }
    return true;
  }
  std::vector<std::string> program(names_.begin(),
                                   names_.begin() + numProgram_);
  for (int q = 0; q < numProgram_; ++q) {
    if (q == me_)
      continue;
    if (!need(authFor(conf_, names_[size_t(me_)], names_[size_t(q)]), me_, q) ||
        !need(authFor(conf_, names_[size_t(q)], names_[size_t(me_)]), q, me_))
      return false;
    // Non-repudiation: statements audited by everyone.
    if (!need(nonRepudiationFor(conf_, names_[size_t(me_)], program), me_, q) ||
        !need(nonRepudiationFor(conf_, names_[size_t(q)], program), q, me_))
      return false;
  }
  return true;
}

std::pair<AuthKind, int> Authenticator::resolve(int issuer, int receiver,
                                                const Value &auditors) {
  std::string akey;
  std::vector<std::string> aud;
  for (const auto &a : auditors.elems()) {
    int p = a.asPrincipal();
    akey += std::to_string(p) + ",";
    if (p >= 0 && size_t(p) < names_.size())
      aud.push_back(names_[size_t(p)]);
  }
  auto key = std::make_tuple(issuer, receiver, akey);
  auto it = cache_.find(key);
  if (it != cache_.end())
    return it->second;
  Resolved r =
      carrierFor(conf_, names_[size_t(issuer)], names_[size_t(receiver)], aud);
  std::pair<AuthKind, int> k{r.module ? r.module->kind : AuthKind::Plaintext,
                             -1};
  if (k.first == AuthKind::Ttp && r.spec && !r.spec->args.empty()) {
    auto at =
        std::find(names_.begin() + numProgram_, names_.end(), r.spec->args[0]);
    if (at != names_.end())
      k.second = int(at - names_.begin());
  }
  if (cache_.size() < 4096)
    cache_.emplace(key, k);
  return k;
}

AuthKind Authenticator::carrier(int issuer, int receiver,
                                const Value &auditors) {
  return resolve(issuer, receiver, auditors).first;
}

int Authenticator::ttpFor(int issuer, int receiver, const Value &auditors) {
  auto k = resolve(issuer, receiver, auditors);
  return k.first == AuthKind::Ttp ? k.second : -1;
}

std::vector<uint8_t> Authenticator::signedBytes(AuthKind k, int issuer,
                                                int receiver, uint64_t seq,
                                                const std::string &stmt) const {
  Writer w;
  w.bytes(Domain, sizeof Domain - 1);
  w.u8(uint8_t(k));
  w.varint(uint64_t(issuer));
  w.varint(uint64_t(receiver));
  w.varint(seq);
  w.bytes(stmt.data(), stmt.size());
  return std::move(w.buffer());
}

std::vector<uint8_t> Authenticator::seal(const Statement &s, int receiver) {
  AuthKind k = carrier(s.issuer, receiver, s.auditors);
  uint64_t seq = nextSeq_++;
  std::string stmt = s.key();
  Writer w;
  w.u8(FrameAuthStatement);
  w.u8(uint8_t(k));
  w.varint(seq);
  w.bytes(stmt.data(), stmt.size());
  if (k == AuthKind::HmacSha256) {
    const crypto::HmacKey *key = hmac_[size_t(receiver)];
    if (!key)
      return {};
    uint8_t tag[crypto::HmacBytes];
    auto data = signedBytes(k, s.issuer, receiver, seq, stmt);
    crypto::hmac(*key, data.data(), data.size(), tag);
    w.bytes(tag, sizeof tag);
  } else if (k == AuthKind::Ed25519) {
    if (!keys_.edSecret)
      return {};
    uint8_t sig[crypto::EdSigBytes];
    auto data = signedBytes(k, s.issuer, receiver, seq, stmt);
    crypto::sign(*keys_.edSecret, data.data(), data.size(), sig);
    w.bytes(sig, sizeof sig);
  } else if (k != AuthKind::Plaintext) {
    return {};
  }
  return std::move(w.buffer());
}

std::vector<uint8_t> Authenticator::sealBatch(const std::vector<Statement> &ss,
                                              int receiver) {
  if (ss.empty())
    return {};
  AuthKind k = carrier(ss[0].issuer, receiver, ss[0].auditors);
  uint64_t seq = nextSeq_++;
  std::string body;
  for (const auto &s : ss)
    body += s.key();
  Writer w;
  w.u8(FrameAuthBatch);
  w.u8(uint8_t(k));
  w.varint(seq);
  w.varint(ss.size());
  w.bytes(body.data(), body.size());
  std::string tagged = std::string(1, char(0xBA)) + body;
  if (k == AuthKind::HmacSha256) {
    const crypto::HmacKey *key = hmac_[size_t(receiver)];
    if (!key)
      return {};
    uint8_t tag[crypto::HmacBytes];
    auto data = signedBytes(k, ss[0].issuer, receiver, seq, tagged);
    crypto::hmac(*key, data.data(), data.size(), tag);
    w.bytes(tag, sizeof tag);
  } else if (k == AuthKind::Ed25519) {
    if (!keys_.edSecret)
      return {};
    uint8_t sig[crypto::EdSigBytes];
    auto data = signedBytes(k, ss[0].issuer, receiver, seq, tagged);
    crypto::sign(*keys_.edSecret, data.data(), data.size(), sig);
    w.bytes(sig, sizeof sig);
  } else if (k != AuthKind::Plaintext) {
    return {};
  }
  return std::move(w.buffer());
}

bool Authenticator::openAny(int peer, const uint8_t *data, size_t size,
                            std::vector<Statement> &out, Reject &why) {
  out.clear();
  if (openAnyImpl(peer, data, size, out, why))
    return true;
  out.clear(); // nothing of a rejected frame is delivered
  return false;
}

// Whether statement `s`, received from `peer` in a frame of module `kind`,
// may be accepted: `peer` issued it, its auditors are principals, and the
// configuration carries it here by exactly that module (no downgrade).
bool Authenticator::admits(int peer, const Statement &s, AuthKind kind,
                           Reject &why) {
  if (s.issuer != peer) {
    why = Reject::WrongIssuer;
    return false;
  }
  for (const auto &a : s.auditors.elems())
    if (a.asPrincipal() < 0 || size_t(a.asPrincipal()) >= names_.size()) {
      why = Reject::UnknownPrincipal;
      return false;
    }
  if (carrier(s.issuer, me_, s.auditors) != kind) {
    why = Reject::WrongModule;
    return false;
  }
  return true;
}

bool Authenticator::openAnyImpl(int peer, const uint8_t *data, size_t size,
                                std::vector<Statement> &out, Reject &why) {
  if (size == 0 || data[0] != FrameAuthBatch) {
    Statement s;
    if (!open(peer, data, size, s, why))
      return false;
    out.push_back(std::move(s));
    return true;
  }
  if (peer < 0 || size_t(peer) >= names_.size() || peer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  Reader r(data, size);
  r.u8();
  uint8_t kind = r.u8();
  uint64_t seq = r.varint();
  uint64_t n = r.varint();
  if (!r.ok() || n == 0 || n > MaxBatch) {
    why = Reject::BadFrame;
    return false;
  }
  if (kind > uint8_t(AuthKind::Ed25519)) {
    why = Reject::WrongModule;
    return false;
  }
  const AuthModuleInfo &m = authModule(AuthKind(kind));
  // As for a single statement: the tag covers the statements' bytes as sent.
  const uint8_t *bodyBegin = data + (size - r.remaining());
  for (uint64_t i = 0; i < n; ++i) {
    Statement s;
    if (!Statement::decode(r, s)) {
      why = Reject::BadFrame;
      return false;
    }
    if (!admits(peer, s, AuthKind(kind), why))
      return false;
    out.push_back(std::move(s));
  }
  std::string body(1, char(0xBA));
  body.append(reinterpret_cast<const char *>(bodyBegin),
              size_t(data + (size - r.remaining()) - bodyBegin));
  if (r.remaining() != m.tagBytes) {
    why = Reject::BadFrame;
    out.clear();
    return false;
  }
  const uint8_t *tag = data + (size - m.tagBytes);
  if (AuthKind(kind) != AuthKind::Plaintext) {
    auto bytes = signedBytes(AuthKind(kind), peer, me_, seq, body);
    bool good = false;
    if (AuthKind(kind) == AuthKind::HmacSha256) {
      const crypto::HmacKey *key = hmac_[size_t(peer)];
      why = key ? Reject::BadMac : Reject::NoKey;
      good = key && crypto::hmacVerify(*key, bytes.data(), bytes.size(), tag);
    } else {
      const crypto::EdPublic *pk = edPub_[size_t(peer)];
      why = pk ? Reject::BadSignature : Reject::NoKey;
      good = pk && crypto::verify(*pk, bytes.data(), bytes.size(), tag);
    }
    if (!good) {
      out.clear();
      return false;
    }
  }
  if (seq <= lastSeq_[size_t(peer)]) {
    why = Reject::Replay;
    out.clear();
    return false;
  }
  lastSeq_[size_t(peer)] = seq;
  return true;
}

bool Authenticator::open(int peer, const uint8_t *data, size_t size,
                         Statement &out, Reject &why) {
  if (peer < 0 || size_t(peer) >= names_.size() || peer == me_) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  Reader r(data, size);
  uint8_t type = r.u8();
  if (type == 1) { // legacy PLAINTEXT frame
    if (!Statement::decode(r, out) || !r.atEnd()) {
      why = Reject::BadFrame;
      return false;
    }
    if (out.issuer != peer) {
      why = Reject::WrongIssuer;
      return false;
    }
    if (carrier(out.issuer, me_, out.auditors) != AuthKind::Plaintext) {
      why = Reject::WrongModule;
      return false;
    }
    return true;
  }
  if (type != FrameAuthStatement) {
    why = Reject::BadFrame;
    return false;
  }
  uint8_t kind = r.u8();
  uint64_t seq = r.varint();
  // The MAC or signature covers the statement's bytes as sent (the
  // sender's Statement::key()); authenticating them as received spares
  // re-encoding the decoded statement.
  const uint8_t *stmtBegin = data + (size - r.remaining());
  if (!r.ok() || !Statement::decode(r, out)) {
    why = Reject::BadFrame;
    return false;
  }
  const uint8_t *stmtEnd = data + (size - r.remaining());
  if (kind > uint8_t(AuthKind::Ed25519)) {
    why = Reject::WrongModule;
    return false;
  }
  const AuthModuleInfo &m = authModule(AuthKind(kind));
  if (r.remaining() != m.tagBytes) {
    why = Reject::BadFrame;
    return false;
  }
  const uint8_t *tag = data + (size - m.tagBytes);
  // Principals out of range would index the key tables below.
  if (out.issuer < 0 || size_t(out.issuer) >= names_.size()) {
    why = Reject::UnknownPrincipal;
    return false;
  }
  if (!admits(peer, out, AuthKind(kind), why))
    return false;
  if (AuthKind(kind) != AuthKind::Plaintext) {
    std::string stmt(reinterpret_cast<const char *>(stmtBegin),
                     size_t(stmtEnd - stmtBegin));
    auto bytes = signedBytes(AuthKind(kind), out.issuer, me_, seq, stmt);
    if (AuthKind(kind) == AuthKind::HmacSha256) {
      const crypto::HmacKey *key = hmac_[size_t(peer)];
      if (!key) {
        why = Reject::NoKey;
        return false;
      }
      if (!crypto::hmacVerify(*key, bytes.data(), bytes.size(), tag)) {
        why = Reject::BadMac;
        return false;
      }
    } else {
      const crypto::EdPublic *pk = edPub_[size_t(out.issuer)];
      if (!pk) {
        why = Reject::NoKey;
        return false;
      }
      if (!crypto::verify(*pk, bytes.data(), bytes.size(), tag)) {
        why = Reject::BadSignature;
        return false;
      }
    }
  }
  // Only after authentication: an attacker must not advance the counter.
  if (seq <= lastSeq_[size_t(peer)]) {
    why = Reject::Replay;
    return false;
  }
  lastSeq_[size_t(peer)] = seq;
  return true;
}

} // namespace mommie::rt
