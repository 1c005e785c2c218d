// Per-node authentication of statement frames with the modules deploy.conf
// chooses (AuthModules.h) and the keys of `--keys` (Keys.h).
//
//   frame  := u8 2, u8 module, varint seq, statement, tag
//   tag    := nothing (PLAINTEXT) | 32-byte HMAC-SHA256 | 64-byte Ed25519
//   signature signed := "MOMMIE-AUTH1", u8 module, varint issuer, varint
//   receiver, varint seq, statement batch  := u8 3, u8 module, varint seq,
//   varint n, n statements, tag    (BATCH(n, d)) signed := "MOMMIE-AUTH1", u8
//   module, varint issuer, varint receiver, varint seq,
//             u8 0xBA, the n statements
//
// The sender is the issuer, except for forwardable frames (below). `seq` grows
// strictly per sender (it starts at the wall-clock time in microseconds, so
// a restarted node continues above its previous numbers); a receiver keeps
// the last accepted `seq` per peer and rejects anything not above it
// (replays). The MAC uses the key shared by issuer and receiver; the
// signature is checked with the issuer's public key and covers the
// statement, so it is evidence any auditor can check (the receiver and seq
// are context it may ignore). A frame whose module is not the one the
// configuration gives this (issuer, receiver, auditors) is rejected
// (no downgrade). Legacy frames (u8 1, statement) are accepted only where
// the configuration says PLAINTEXT. C++17.
#pragma once

#include "runtime/auth/AuthModules.h"
#include "runtime/auth/Keys.h"
#include "runtime/pool/Statement.h"
#include "runtime/wire/Stats.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace mommie::rt {

class Authenticator {
public:
  static constexpr uint8_t FrameAuthStatement = 2;
  static constexpr uint8_t FrameAuthBatch = 3;
  static constexpr size_t MaxBatch = 1024;

  struct BatchPolicy {
    size_t n = 0;        // statements per frame; 0/1: no batching
    int64_t delayMs = 0; // how long a partial batch may wait
  };

  // `principals`: the program's; the TTP principals of `conf` follow them
  // (`me` may be one: the TTP node).
  Authenticator(const DeployConfig &conf, std::vector<std::string> principals,
                int me, KeyStore keys);
  // Whether every key this node may need is present; else `error` names it.
  bool ready(std::string &error) const;
  // The frame carrying `s` (issued by this node) to `receiver`; empty if a
  // key is missing.
  std::vector<uint8_t> seal(const Statement &s, int receiver);
  // BATCH(n, d): statements of this node to `receiver` travel `n` per frame
  // with one MAC / signature (all carried by the same module).
  std::vector<uint8_t> sealBatch(const std::vector<Statement> &ss,
                                 int receiver);
  BatchPolicy batchFor(int receiver) const { return batch_[size_t(receiver)]; }
  // Decodes and authenticates a frame from `peer`; on failure returns false
  // with the reason. Does not check verifiers / record types (the node does).
  bool open(int peer, const uint8_t *data, size_t size, Statement &out,
            Reject &why);
  // Any frame (single statement or batch): the statements it carries.
  bool openAny(int peer, const uint8_t *data, size_t size,
               std::vector<Statement> &out, Reject &why);
  // The module that carries statements of `issuer` to `receiver` with
  // auditor set `auditors` (a set of principals).
  AuthKind carrier(int issuer, int receiver, const Value &auditors);

  // Opaque frames (round messages and markers, AuthFrame.cpp), carried by
  // the pair's [Authentication] module:
  //   opaque := u8 4, u8 module, varint seq, inner frame, tag
  //   signed := "MOMMIE-AUTH1", u8 module, varint issuer, varint receiver,
  //             varint seq, u8 0x0F, inner frame
  // Under PLAINTEXT the inner frame travels unchanged. sealFrame returns an
  // empty frame if a key is missing.
  static constexpr uint8_t FrameAuthOpaque = 4;
  std::vector<uint8_t> sealFrame(const std::vector<uint8_t> &inner,
                                 int receiver);
  // The inner frame of a frame from `peer` (points into `data`); an
  // unwrapped frame is accepted only where the pair's module is PLAINTEXT.
  bool openFrame(int peer, const uint8_t *data, size_t size,
                 const uint8_t *&inner, size_t &innerSize, Reject &why);
  AuthKind pairModule(int issuer, int receiver) const;

  // Forwardable frames (OPTIMISTIC dissemination, AuthFrame.cpp): the tag
  // covers the statement and its issuer only, so a verifier may relay the
  // frame unchanged to the other verifiers; only a forwardable module
  // (ED25519) can carry one. No sequence number: a replay is the same
  // statement, which the pool deduplicates.
  //   fwd    := u8 5, u8 module, u8 flags, statement, tag   (flags bit 0:
  //   please relay) signed := "MOMMIE-AUTH1", u8 module, varint issuer, u8
  //   0xF5, statement
  static constexpr uint8_t FrameAuthForward = 5;
  static constexpr uint8_t RelayFlag = 1;
  // The module carrying `s` to every verifier but this node, if it is one
  // forwardable module; else nullopt-like Plaintext and false.
  bool forwardableCarrier(const Statement &s, AuthKind &k);
  // Empty if `s` has no forwardable carrier or a key is missing.
  std::vector<uint8_t> sealForwardable(const Statement &s, bool relay);
  bool openForwardable(int peer, const uint8_t *data, size_t size,
                       Statement &out, bool &relay, Reject &why);
  // TTP(z) (AuthTtp.cpp, the relay in Ttp.h): the issuer sends its
  // statement to z with a MAC of their pairwise key; z checks it and
  // relays one countersigned frame to the verifiers the configuration
  // gives TTP(z). Anyone may forward a countersigned frame; a replay of
  // one is the same statement, deduplicated by the pool.
  //   ttpreq := u8 9, u8 4, varint seq, statement, 32-byte HMAC(k_issuer,z)
  //   signed := "MOMMIE-AUTH1", u8 4, varint issuer, varint z, varint seq, u8
  //   0x79, statement cosig  := u8 10, u8 4, varint z, statement, 64-byte
  //   Ed25519 signature of z signed := "MOMMIE-AUTH1", u8 4, varint z, varint
  //   issuer, u8 0x7A, statement
  static constexpr uint8_t FrameTtpRequest = 9;
  static constexpr uint8_t FrameTtpCountersigned = 10;
  // z (an index >= numProgram()) if TTP(z) carries statements of `issuer`
  // to `receiver` with these auditors; else -1.
  int ttpFor(int issuer, int receiver, const Value &auditors);
  // Empty if the key shared with z is missing.
  std::vector<uint8_t> sealTtpRequest(const Statement &s, int z);
  // At z: authenticates a request from `peer` and returns the verifiers to
  // relay to (those TTP(z) carries the statement to; none: wrong_module).
  bool openTtpRequest(int peer, const uint8_t *data, size_t size,
                      Statement &out, std::vector<int> &relayTo, Reject &why);
  // At z: the countersigned frame (empty without z's secret key).
  std::vector<uint8_t> sealCountersigned(const Statement &s);
  // At a verifier: a countersigned frame from any peer (z or a forwarder).
  bool openCountersigned(int peer, const uint8_t *data, size_t size,
                         Statement &out, Reject &why);

  const DeployConfig &config() const { return conf_; }
  // The program's principals, then the TTP principals (ttpPrincipals).
  const std::vector<std::string> &names() const { return names_; }
  int numProgram() const { return numProgram_; }
  bool isTtp() const { return me_ >= numProgram_; }

private:
  // Appends the tag of `k` over `signedData` (issuer: this node); false if
  // a key is missing. verifyTag checks a tag of `issuer` (a peer).
  bool appendTag(Writer &w, AuthKind k, int receiver,
                 const std::vector<uint8_t> &signedData);
  bool verifyTag(AuthKind k, int issuer, const std::vector<uint8_t> &signedData,
                 const uint8_t *tag, Reject &why) const;
  bool openAnyImpl(int peer, const uint8_t *data, size_t size,
                   std::vector<Statement> &out, Reject &why);
  bool admits(int peer, const Statement &s, AuthKind kind, Reject &why);
  std::vector<uint8_t> signedBytes(AuthKind k, int issuer, int receiver,
                                   uint64_t seq, const std::string &stmt) const;
  std::pair<AuthKind, int> resolve(int issuer, int receiver,
                                   const Value &auditors);
  const DeployConfig &conf_;
  std::vector<std::string> names_;
  int numProgram_;
  int me_;
  KeyStore keys_;
  std::vector<const crypto::HmacKey *> hmac_;   // per peer
  std::vector<const crypto::EdPublic *> edPub_; // per principal
  uint64_t nextSeq_;
  std::vector<uint64_t> lastSeq_;  // per peer, last accepted
  std::vector<BatchPolicy> batch_; // per receiver
  std::map<std::tuple<int, int, std::string>, std::pair<AuthKind, int>>
      cache_;                              // kind, TTP z
  std::vector<AuthKind> pairOut_, pairIn_; // authFor(me, q), authFor(q, me)
};

} // namespace mommie::rt
