// DIGEST vs NEST for references (a [Dissemination] module). A record field
// whose value is another record is a reference; NEST (the default) sends
// the referenced record inside the statement. Under DIGEST the sender cuts
// each referenced record (encoded larger than a digest) out of the sealed
// frame and sends its SHA-256 instead:
//
//   digest := u8 6, varint n, n x (varint offset, 32-byte sha256), the sealed
//             frame without the n cut byte ranges
//   fetch  := u8 7, varint n, n x 32-byte sha256            (receiver ->
//   sender) answer := u8 8, varint n, n x (varint length, bytes)   (sender ->
//   receiver)
//
// The receiver resolves each digest from the records it knows (its pool's
// statements and their references, what it published, earlier answers);
// for the rest it asks the sender, which always keeps what it referenced.
// The frame is held (with every later frame of that peer, so frames are
// still opened in order) until every digest is resolved, then spliced back
// into exactly the sealed frame and opened as usual: the MAC / signature
// covers the full statement, so authentication and non-repudiation are
// those of NEST and the delivered statement is the same (pool semantics
// unchanged). An answer need not be authenticated: bytes that do not hash
// to an outstanding digest are rejected (`bad_digest`). Holding is bounded
// per peer (MaxHeld frames; more are rejected as `peer_quota`).
#pragma once

#include "runtime/auth/Crypto.h"
#include "runtime/dissem/Dissemination.h"
#include "runtime/wire/Stats.h"
#include "runtime/wire/Value.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mommie::rt {

struct DeployConfig;

class DigestLink final : public DisseminationModule {
public:
  static constexpr uint8_t FrameDigest = 6, FrameFetch = 7, FrameAnswer = 8;
  static constexpr size_t MaxHeld = 1024; // frames held per peer
  static constexpr size_t MaxRefs = 4096; // digests per frame / fetch / answer
  static constexpr size_t MaxKnown = size_t(1) << 20; // records remembered
  static constexpr size_t MinCut = 40; // only references encoded larger

  struct Counters {
    uint64_t digestFrames = 0, cut = 0, cutBytes = 0, resolvedLocally = 0,
             fetches = 0, fetched = 0, answered = 0, held = 0;
  };
  using SendFn = std::function<void(int peer, const std::vector<uint8_t> &)>;
  using OpenFn =
      std::function<void(int peer, const uint8_t *data, size_t size)>;
  using RejectFn = std::function<void(Reject, const char *)>;

  // Whether some [Dissemination] rule makes DIGEST the reference module of
  // a pair that involves `me` (last covering rule with DIGEST or NEST wins).
  static bool anyDigest(const DeployConfig &conf,
                        const std::vector<std::string> &names, int me);
  DigestLink(const DeployConfig &conf, const std::vector<std::string> &names,
             int me, SendFn send, OpenFn open, RejectFn reject);

  bool digestTo(int peer) const { return out_[size_t(peer)]; }
  // Remembers a record (and the records it references) so a digest of it
  // resolves locally.
  void remember(const Value &msg);
  // The frame to send to `peer` carrying sealed `frame` of statements `ss`.
  std::vector<uint8_t> compress(int peer, std::vector<uint8_t> frame,
                                const std::vector<const Statement *> &ss);
  // Handles a frame of `peer` if it is a digest / fetch / answer frame or
  // the peer has held frames; false if the caller should open it itself.
  bool intercept(int peer, const uint8_t *data, size_t size);
  const Counters &counters() const { return c_; }
  std::string statsJson() const override;

  // The module's stages: the above.
  const char *name() const override { return "DIGEST"; }
  void outgoing(int peer, std::vector<uint8_t> &frame,
                const std::vector<const Statement *> &ss) override {
    frame = compress(peer, std::move(frame), ss);
  }
  bool receive(int peer, const uint8_t *data, size_t size) override {
    return intercept(peer, data, size);
  }
  void remember(const Statement &s) override { remember(s.msg); }

private:
  struct Held {
    std::vector<uint8_t>
        frame; // as received (type 6 or another type queued behind)
  };
  using Key = crypto::Sha256;
  bool known(const Key &k) const { return known_.count(k) != 0; }
  void store(const Key &k, std::string bytes);
  // Splices a type-6 frame; false with `missing` filled if some digest is
  // unknown.
  bool splice(const uint8_t *data, size_t size, std::vector<uint8_t> &out,
              std::vector<Key> &missing, bool &malformed) const;
  void onFetch(int peer, const uint8_t *data, size_t size);
  void onAnswer(int peer, const uint8_t *data, size_t size);
  void release(int peer);
  std::vector<bool> out_;
  std::map<Key, std::string> known_;
  std::deque<Key> order_; // eviction order of records not needed as a sender
  std::set<Key> mine_;    // referenced by this node: kept to answer fetches
  std::vector<std::deque<Held>> held_;
  std::vector<std::set<Key>> asked_; // outstanding fetches per peer
  SendFn send_;
  OpenFn open_;
  RejectFn reject_;
  Counters c_;
};

} // namespace mommie::rt
