// The multi-instance driver of the replicated KV store (see KvReplica.h):
// one RoundEngine per log slot, a sliding window, batches, in-order apply.
#include "apps/kv/KvReplica.h"

#include "runtime/auth/Crypto.h"
#include "runtime/net/Log.h"
#include "runtime/net/Trace.h"
#include "runtime/wire/Wire.h"

#include <algorithm>
#include <cstring>

namespace mommie::rt {

using crypto::Sha256;
using crypto::sha256;
using crypto::toHex;

namespace {
constexpr size_t MaxFutureBytes = 64u << 20;
constexpr size_t KeepApplied = 256; // applied slots kept to answer laggards
constexpr auto FetchRetry = std::chrono::milliseconds(50);
// State transfer: offers and snapshots to one peer at most this often; a
// transfer not complete in TransferTimeout may be replaced; a snapshot
// beyond MaxTransferBytes is not sent (the transport queues at most 64 MiB
// per peer).
constexpr auto OfferEvery = std::chrono::milliseconds(200);
constexpr auto SnapshotEvery = std::chrono::seconds(1);
constexpr auto TransferTimeout = std::chrono::seconds(5);
constexpr size_t MaxTransferBytes = 48u << 20;
constexpr size_t SnapshotChunk = 256u << 10;
// A read round's ask is sent again to the peers that have not answered
// after ReadRetry (frames may be lost).
constexpr auto ReadRetry = std::chrono::milliseconds(50);

// Durability. The records of the durable log (runtime/store/DurableLog.h,
// not whole-state), each written before what depends on it leaves:
//   acceptor := u8 1, varint slot, svarint round, value   a slot's program
//                 state (its durable variables) after a round, and the
//                 round to resume at: before the next round's messages;
//   applied  := u8 2, varint slot, varint value, str batch   a decided
//                 slot, synced before its requests are answered;
//   batch    := u8 3, varint slot, str batch   this replica's proposal for
//                 a slot, before it is sent (a restarted proposer proposes
//                 the same batch again: peers keep the first per (slot,
//                 proposer));
//   snapshot := u8 4, the applied state (KvReplica::snapshot): the first
//                 record of a compacted log.
// recover() replays them in order: the snapshot, the applied slots after
// it; acceptor states and batches of slots not applied wait for their
// slot to start again.
enum : uint8_t {
  RecAcceptor = 1,
  RecApplied = 2,
  RecBatch = 3,
  RecSnapshot = 4
};
constexpr size_t MaxSnapshotString = 64u << 20;

std::string acceptorRecord(uint64_t s, int64_t round, const Value &st) {
  Writer w;
  w.u8(RecAcceptor);
  w.varint(s);
  w.svarint(round);
  st.encode(w);
  return w.toString();
}

std::string appliedRecord(uint64_t s, int64_t v, const std::string &batch) {
  Writer w;
  w.u8(RecApplied);
  w.varint(s);
  w.varint(uint64_t(v));
  w.str(batch);
  return w.toString();
}

std::string batchRecord(uint64_t s, const std::string &batch) {
  Writer w;
  w.u8(RecBatch);
  w.varint(s);
  w.str(batch);
  return w.toString();
}

// A batch frame (KvReplica.h): built, and its bytes hashed, once for all
// the peers it goes to.
std::vector<uint8_t> batchFrame(uint64_t s, int proposer,
                                const std::string &bytes) {
  Sha256 d =
      sha256(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  Writer w;
  w.u8(FrameKvBatch);
  w.varint(s);
  w.varint(uint64_t(proposer));
  w.bytes(d.data(), d.size());
  w.bytes(bytes.data(), bytes.size());
  return w.buffer();
}
} // namespace

// The environment of one slot's engine: frames tagged with the slot, its
// own timer on the loop, per-slot traces, decision detection.
struct KvReplica::SlotEnv final : RoundEnv {
  KvReplica &kv;
  uint64_t s;
  Slot *slot = nullptr;
  EventLoop::TimerId timer = 0;
  SlotEnv(KvReplica &k, uint64_t slotNo) : kv(k), s(slotNo) {}
  ~SlotEnv() override {
    if (timer)
      kv.loop_.cancel(timer);
  }
  int64_t nowUs() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               EventLoop::now() - kv.start_)
        .count();
  }
  void setTimer(int64_t deadlineUs) override {
    if (timer)
      kv.loop_.cancel(timer);
    timer = 0;
    if (deadlineUs < 0 || slot->decided >= 0)
      return;
    uint64_t slotNo = s;
    KvReplica *k = &kv;
    timer = kv.loop_.at(kv.start_ + std::chrono::microseconds(deadlineUs),
                        [k, slotNo] {
                          auto it = k->slots_.find(slotNo);
                          if (it == k->slots_.end() || !it->second.engine)
                            return;
                          it->second.env->timer = 0;
                          k->guarded([&] { it->second.engine->onTimer(); });
                          k->progress();
                        });
  }
  void send(int peer, uint32_t wr, const Value &payload) override {
    if (slot->decided >= 0) // stopped: the program decided
      return;
    Writer w;
    w.u8(FrameKvRound);
    w.varint(s);
    w.varint(wr);
    payload.encode(w);
    kv.send_(peer, w.buffer());
  }
  void sendMarker(int peer, uint32_t wr) override {
    if (slot->decided >= 0)
      return;
    Writer w;
    w.u8(FrameKvMarker);
    w.varint(s);
    w.varint(wr);
    kv.send_(peer, w.buffer());
  }
  void roundDone(const RoundRecord &rec) override {
    // After the decision the engine may still run rounds in the same call
    // (sending nothing); they are not part of the slot's run.
    if (slot->decided >= 0)
      return;
    ++kv.stats_.rounds;
    if (rec.timedOut)
      ++kv.stats_.timeouts;
    if (slot->trace) {
      traceRound(*slot->trace, kv.info_, *slot->prog, kv.cfg_.node, rec);
      slot->trace->flush();
    }
    // The program's durable state, before the next round's messages.
    if (kv.durable_ && slot->prog->hasDurable()) {
      Value st = slot->prog->durableState();
      if (!slot->persisted || st != *slot->persisted) {
        kv.writeRecord(acceptorRecord(s, rec.round + 1, st));
        slot->persisted = std::move(st);
        slot->persistedRound = rec.round + 1;
      }
    }
    int64_t v = decisionOf(slot->prog->stateJson());
    if (v >= 0)
      kv.decide(*slot, v, true);
  }
};

KvReplica::KvReplica(const RoundProgramInfo &info, EventLoop &loop,
                     KvConfig cfg, SendFn send, AppliedFn applied, Logger &log)
    : info_(info), loop_(loop), cfg_(std::move(cfg)), send_(std::move(send)),
      appliedFn_(std::move(applied)), log_(log), start_(EventLoop::now()) {}

KvReplica::~KvReplica() = default;

template <class F> void KvReplica::guarded(F f) {
  if (failed_)
    return;
  try {
    f();
  } catch (const EvalError &e) {
    failed_ = true;
    failure_ = e.what();
    log_.error("fail_stop", {{"why", e.what()}});
  }
}

int64_t KvReplica::decisionOf(const std::string &json) {
  static const char key[] = "\"decision\":{\"$some\":";
  size_t at = json.find(key);
  if (at == std::string::npos)
    return -1;
  size_t i = at + sizeof(key) - 1;
  int64_t v = 0;
  bool digits = false;
  while (i < json.size() && json[i] >= '0' && json[i] <= '9' &&
         v < (int64_t(1) << 40)) {
    v = v * 10 + (json[i++] - '0');
    digits = true;
  }
  return digits ? v : -1;
}

std::vector<uint8_t>
KvReplica::encodeBatch(const std::vector<KvRequest> &reqs) {
  Writer w;
  w.varint(reqs.size());
  for (const auto &r : reqs) {
    w.u8(uint8_t(r.op) | (r.expectAbsent ? 0x80 : 0));
    w.varint(r.session);
    w.varint(r.seq);
    w.varint(r.ackBelow);
    w.str(r.key);
    w.str(r.value);
    w.str(r.expected);
  }
  return std::move(w.buffer());
}

bool KvReplica::decodeBatch(const std::string &bytes,
                            std::vector<KvRequest> &out) {
  Reader r(bytes);
  size_t n = r.length(1u << 20, 4);
  out.clear();
  for (size_t i = 0; i < n && r.ok(); ++i) {
    KvRequest q;
    uint8_t op = r.u8();
    if ((op & 0x7f) > uint8_t(KvOp::Cas))
      return false;
    q.op = KvOp(op & 0x7f);
    q.expectAbsent = (op & 0x80) != 0;
    q.session = r.varint();
    q.seq = r.varint();
    q.ackBelow = r.varint();
    q.key = r.str(1u << 20);
    q.value = r.str(1u << 20);
    q.expected = r.str(1u << 20);
    out.push_back(std::move(q));
  }
  return r.ok() && r.atEnd();
}

std::vector<uint8_t> encodeClientRequest(const KvRequest &q) {
  Writer w;
  if (q.op == KvOp::Register) {
    w.u8(10);
    w.varint(q.seq); // the nonce
    return std::move(w.buffer());
  }
  w.u8(12);
  w.varint(q.session);
  w.varint(q.seq);
  w.varint(q.ackBelow);
  w.u8(uint8_t(q.op) | (q.expectAbsent ? 0x80 : 0));
  w.str(q.key);
  w.str(q.value);
  w.str(q.expected);
  return std::move(w.buffer());
}

bool decodeClientRequest(uint8_t type, Reader &r, size_t maxBytes,
                         KvRequest &q) {
  if (type == 10) {
    q.op = KvOp::Register;
    q.seq = r.varint(); // the nonce
    return r.ok() && r.atEnd();
  }
  if (type != 12)
    return false;
  q.session = r.varint();
  q.seq = r.varint();
  q.ackBelow = r.varint();
  uint8_t op = r.u8();
  q.expectAbsent = (op & 0x80) != 0;
  op &= 0x7f;
  if (op < uint8_t(KvOp::Put) || op > uint8_t(KvOp::Cas))
    return false;
  q.op = KvOp(op);
  q.key = r.str(maxBytes);
  q.value = r.str(maxBytes);
  q.expected = r.str(maxBytes);
  return r.ok() && r.atEnd() && q.session != 0;
}

int KvReplica::slotIndex(int peer) const {
  for (size_t i = 0; i < cfg_.peers.size(); ++i)
    if (cfg_.peers[i] == peer)
      return int(i);
  return -1;
}

const KvReply *KvReplica::answered(const KvRequest &r, KvReply &scratch) const {
  if (r.op == KvOp::Register) {
    auto it = registered_.find(r.seq);
    if (it == registered_.end())
      return nullptr;
    scratch = KvReply{
        KvResult::Ok, sessions_.at(it->second).lastSlot, it->second, {}};
    return &scratch;
  }
  auto s = sessions_.find(r.session);
  if (s == sessions_.end())
    return nullptr; // unknown here: the log decides (it may be registered
                    // meanwhile)
  if (r.seq < s->second.ackBelow) {
    scratch = KvReply{KvResult::Stale, 0, 0, {}};
    return &scratch;
  }
  auto it = s->second.replies.find(r.seq);
  return it == s->second.replies.end() ? nullptr : &it->second;
}

// The state machine: one request, in log order, the same on every replica.
KvReply KvReplica::applyRequest(const KvRequest &q, uint64_t slot) {
  KvReply rep;
  rep.slot = slot;
  if (q.op == KvOp::Register) {
    if (auto it = registered_.find(q.seq); it != registered_.end()) { // a retry
      ++stats_.duplicatesSkipped;
      rep.session = it->second;
      return rep;
    }
    rep.session = nextSession_++;
    Session &ses = sessions_[rep.session];
    ses.lastSlot = slot;
    ses.nonce = q.seq;
    registered_[q.seq] = rep.session;
    if (sessions_.size() > MaxSessions) { // forget the least recently used
      auto lru = sessions_.begin();
      for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
        if (it->second.lastSlot < lru->second.lastSlot)
          lru = it;
      registered_.erase(lru->second.nonce);
      sessions_.erase(lru);
    }
    ++stats_.requestsApplied;
    return rep;
  }
  auto s = sessions_.find(q.session);
  if (s == sessions_.end()) {
    rep.result = KvResult::UnknownSession;
    return rep;
  }
  Session &ses = s->second;
  ses.lastSlot = slot;
  if (q.ackBelow > ses.ackBelow) {
    ses.ackBelow = q.ackBelow;
    ses.replies.erase(ses.replies.begin(),
                      ses.replies.lower_bound(ses.ackBelow));
  }
  if (q.seq < ses.ackBelow) {
    rep.result = KvResult::Stale;
    return rep;
  }
  if (auto it = ses.replies.find(q.seq); it != ses.replies.end()) {
    ++stats_.duplicatesSkipped; // a retry: its original reply
    return it->second;
  }
  ++stats_.requestsApplied;
  switch (q.op) {
  case KvOp::Put:
    stats_.bytesApplied += q.value.size();
    kv_[q.key] = q.value;
    break;
  case KvOp::Get: {
    auto it = kv_.find(q.key);
    if (it == kv_.end())
      rep.result = KvResult::NotFound;
    else
      rep.value = it->second;
    break;
  }
  case KvOp::Del:
    if (!kv_.erase(q.key))
      rep.result = KvResult::NotFound;
    break;
  case KvOp::Cas: {
    auto it = kv_.find(q.key);
    bool match = q.expectAbsent ? it == kv_.end()
                                : (it != kv_.end() && it->second == q.expected);
    if (match) {
      stats_.bytesApplied += q.value.size();
      kv_[q.key] = q.value;
    } else {
      rep.result = KvResult::CasMismatch;
      if (it != kv_.end())
        rep.value = it->second;
    }
    break;
  }
  case KvOp::Register:
    break;
  }
  ses.replies[q.seq] = rep;
  if (ses.replies.size() > MaxRepliesPerSession) {
    ses.ackBelow = ses.replies.begin()->first + 1;
    ses.replies.erase(ses.replies.begin());
  }
  return rep;
}

// Queues a request here, or forwards it to the leader (see KvReplica.h).
void KvReplica::route(KvRequest r, bool front) {
  KvReply scratch;
  if (const KvReply *rep = answered(r, scratch)) {
    appliedFn_(r, *rep);
    return;
  }
  if (leader_ >= 0 && leader_ != cfg_.me) {
    std::vector<KvRequest> one{r};
    std::vector<uint8_t> enc = encodeBatch(one);
    std::vector<uint8_t> frame;
    frame.reserve(1 + enc.size());
    frame.push_back(FrameKvForward);
    frame.insert(frame.end(), enc.begin(), enc.end());
    send_(leader_, frame);
    ++stats_.forwarded;
    forwarded_.emplace_back(EventLoop::now(), std::move(r));
    return;
  }
  pendingBytes_ += r.bytes();
  if (front)
    pending_.push_front(std::move(r));
  else
    pending_.push_back(std::move(r));
}

void KvReplica::submit(KvRequest r) {
  if (r.op == KvOp::Get) {
    reads_.push_back(std::move(r));
    if (!reading_)
      startReadRound();
    return;
  }
  route(std::move(r), false);
  progress();
}

//===----------------------------------------------------------------------===//
// Reads (the read index, KvReplica.h)
//===----------------------------------------------------------------------===//

void KvReplica::startReadRound() {
  if (reads_.empty() || failed_)
    return;
  ReadRound rr;
  rr.id = nextReadId_++;
  rr.index = startedHere();
  rr.heard = {cfg_.me};
  rr.asked = EventLoop::now();
  rr.gets = std::move(reads_);
  reads_.clear();
  ++stats_.readRounds;
  reading_ = std::move(rr);
  Writer w;
  w.u8(FrameKvReadAsk);
  w.varint(reading_->id);
  for (int p : cfg_.peers)
    if (p != cfg_.me)
      send_(p, w.buffer());
  onReadIndex(cfg_.me, reading_->id, reading_->index); // a cluster of one
}

void KvReplica::onReadIndex(int peer, uint64_t id, uint64_t started) {
  if (!reading_ || reading_->id != id)
    return; // an answer to an earlier round (already complete) or a retry's
            // duplicate
  ReadRound &rr = *reading_;
  if (std::find(rr.heard.begin(), rr.heard.end(), peer) == rr.heard.end())
    rr.heard.push_back(peer);
  rr.index = std::max(rr.index, started);
  if (rr.heard.size() * 2 <= cfg_.peers.size())
    return;
  readable_.push_back(std::move(rr));
  reading_.reset();
  serveReads();
  startReadRound();
}

// Answers the gets of the read rounds whose index the applied log reached.
void KvReplica::serveReads() {
  while (!readable_.empty() && readable_.front().index <= applied_ &&
         !failed_) {
    ReadRound rr = std::move(readable_.front());
    readable_.pop_front();
    for (const KvRequest &q : rr.gets) {
      KvReply rep;
      rep.slot = applied_;
      auto it = kv_.find(q.key);
      if (it == kv_.end())
        rep.result = KvResult::NotFound;
      else
        rep.value = it->second;
      ++stats_.readsServed;
      appliedFn_(q, rep);
    }
  }
}

void KvReplica::startUpTo(uint64_t s) {
  while (started_ <= s && started_ < applied_ + cfg_.window && !failed_)
    startSlot(started_++);
}

void KvReplica::startSlot(uint64_t s) {
  ++stats_.slotsStarted;
  // This process's proposal for slot s: pending requests up to batchBytes
  // (at least one), sent to every peer before the slot's round messages.
  std::vector<KvRequest> reqs;
  std::string batch;
  if (auto saved = savedBatch_.find(s); saved != savedBatch_.end()) {
    // Proposed before a restart: the same batch again (its clients retry
    // their requests anyway).
    batch = std::move(saved->second);
    savedBatch_.erase(saved);
  } else {
    size_t bytes = 0;
    while (!pending_.empty()) {
      KvRequest &q = pending_.front();
      KvReply scratch;
      if (answered(q, scratch)) { // applied meanwhile (and answered then)
        pendingBytes_ -= q.bytes();
        pending_.pop_front();
        continue;
      }
      size_t sz = q.bytes() + 16;
      if (!reqs.empty() && bytes + sz > cfg_.batchBytes)
        break;
      bytes += sz;
      pendingBytes_ -= q.bytes();
      reqs.push_back(std::move(q));
      pending_.pop_front();
    }
    std::vector<uint8_t> enc = encodeBatch(reqs);
    batch.assign(enc.begin(), enc.end());
    if (durable_)
      writeRecord(batchRecord(s, batch));
  }
  std::vector<uint8_t> frame = batchFrame(s, cfg_.me, batch);
  for (int p : cfg_.peers)
    if (p != cfg_.me)
      send_(p, frame);
  batches_[{s, cfg_.me}] = std::move(batch);
  if (!reqs.empty())
    mine_[s] = std::move(reqs);

  Slot &sl = slots_[s];
  sl.s = s;
  sl.env = std::make_unique<SlotEnv>(*this, s);
  sl.env->slot = &sl;
  if ((s < cfg_.traceSlots ||
       (cfg_.traceEvery > 0 && s % cfg_.traceEvery == 0)) &&
      !cfg_.traceDir.empty()) {
    sl.trace = std::make_unique<TraceWriter>();
    std::string err;
    if (!sl.trace->open(cfg_.traceDir + "/" + cfg_.node + ".slot" +
                            std::to_string(s) + ".jsonl",
                        err)) {
      log_.warn("trace", {{"why", err}});
      sl.trace.reset();
    } else {
      sl.trace->setHeader(traceHeaderJson(info_.name, info_.params));
    }
  }
  guarded([&] {
    sl.prog = info_.make(cfg_.me, std::nullopt);
    RoundConfig rc;
    rc.me = cfg_.me;
    rc.peers = cfg_.peers;
    rc.byzantine = cfg_.byzantine;
    rc.maxPendingPerPeer = cfg_.maxPendingPerPeer;
    rc.phases = cfg_.slotPhases;
    if (auto saved = savedAcceptor_.find(s); saved != savedAcceptor_.end()) {
      std::string why;
      if (!sl.prog->restoreDurable(saved->second.second, &why))
        throw EvalError("slot " + std::to_string(s) +
                        ": its durable state does not restore: " + why);
      rc.firstRound = saved->second.first;
      sl.persisted = std::move(saved->second.second);
      sl.persistedRound = saved->second.first;
      savedAcceptor_.erase(saved);
    }
    sl.engine = std::make_unique<RoundEngine>(*sl.prog, *sl.env, rc);
    sl.engine->start();
  });
}

void KvReplica::stopEngine(Slot &sl) {
  if (!sl.engine)
    return;
  const RoundStats &st = sl.engine->stats();
  stats_.jumps += st.jumps;
  if (sl.env->timer)
    loop_.cancel(sl.env->timer);
  sl.env->timer = 0;
  // The engine may be on the call stack (decide() from roundDone): free it
  // from the loop. The callback owns both, so a loop that stops before
  // running it still frees them (the engine first: it refers to the
  // program).
  struct Retired {
    std::unique_ptr<RoundProgram> prog;
    std::unique_ptr<RoundEngine> engine; // destroyed before prog
  };
  auto retired = std::make_shared<Retired>(
      Retired{std::move(sl.prog), std::move(sl.engine)});
  loop_.post([retired]() mutable { retired.reset(); });
}

void KvReplica::decide(Slot &sl, int64_t v, bool here) {
  if (sl.decided >= 0)
    return;
  sl.decided = v;
  if (here)
    ++stats_.decidedHere;
  else
    ++stats_.learned;
  stopEngine(sl);
}

void KvReplica::sendDecided(int peer, uint64_t s, int64_t v) {
  Writer w;
  w.u8(FrameKvDecided);
  w.varint(s);
  w.varint(uint64_t(v));
  send_(peer, w.buffer());
}

void KvReplica::storeBatch(uint64_t s, int proposer, const uint8_t *digest,
                           std::string bytes) {
  Sha256 d =
      sha256(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  if (std::memcmp(d.data(), digest, d.size()) != 0) {
    ++stats_.badFrames;
    return;
  }
  batches_.emplace(std::make_pair(s, proposer),
                   std::move(bytes)); // the first one stays
}

void KvReplica::bufferFuture(int peer, const uint8_t *data, size_t size) {
  // A peer is at least a window ahead: ask about the first slot not
  // applied here (answered with its decision, or a snapshot offer).
  Writer ask;
  ask.u8(FrameKvAsk);
  ask.varint(applied_);
  askPeers(applied_, ask.buffer());
  if (future_.size() >= cfg_.maxFuture ||
      futureBytes_ + size > MaxFutureBytes) {
    ++stats_.futureDropped;
    return;
  }
  future_.emplace_back(peer, std::vector<uint8_t>(data, data + size));
  futureBytes_ += size;
  ++stats_.futureBuffered;
  stats_.maxFuture = std::max<uint64_t>(stats_.maxFuture, future_.size());
}

void KvReplica::replayFuture() {
  if (future_.empty())
    return;
  std::deque<std::pair<int, std::vector<uint8_t>>> q;
  q.swap(future_);
  futureBytes_ = 0;
  for (auto &[peer, f] : q)
    handle(peer, f.data(), f.size(), true);
}

bool KvReplica::onFrame(int peer, const uint8_t *data, size_t size) {
  if (slotIndex(peer) < 0 || peer == cfg_.me || size == 0) {
    ++stats_.badFrames;
    return false;
  }
  uint64_t before = stats_.badFrames;
  handle(peer, data, size, false);
  progress();
  return stats_.badFrames == before;
}

void KvReplica::handle(int peer, const uint8_t *data, size_t size,
                       bool replay) {
  Reader r(data, size);
  uint8_t type = r.u8();
  uint64_t s = r.varint();
  if (!r.ok()) {
    ++stats_.badFrames;
    return;
  }
  bool beyond = s >= applied_ + cfg_.window;
  switch (type) {
  case FrameKvRound:
  case FrameKvMarker: {
    uint64_t wr = r.varint();
    Value payload;
    bool isRound = type == FrameKvRound;
    if (!r.ok() || wr > UINT32_MAX ||
        (isRound && !(Value::decode(r, payload) && r.ok())) || !r.atEnd()) {
      ++stats_.badFrames;
      return;
    }
    if (s < applied_) { // applied here: tell the laggard
      auto it = old_.find(s);
      if (it != old_.end())
        sendDecided(peer, s, it->second.first);
      else
        offerSnapshot(peer); // too old to answer slot by slot
      return;
    }
    if (beyond)
      return bufferFuture(peer, data, size);
    startUpTo(s);
    auto it = slots_.find(s);
    if (it == slots_.end())
      return;
    Slot &sl = it->second;
    if (sl.decided >= 0) {
      uint64_t bit = uint64_t(1) << (slotIndex(peer) & 63);
      if (!(sl.told & bit)) {
        sl.told |= bit;
        sendDecided(peer, s, sl.decided);
      }
      return;
    }
    if (!sl.engine)
      return;
    guarded([&] {
      if (isRound)
        sl.engine->onMessage(peer, uint32_t(wr), std::move(payload));
      else
        sl.engine->onMarker(peer, uint32_t(wr));
    });
    return;
  }
  case FrameKvBatch: {
    uint64_t proposer = r.varint();
    uint8_t digest[32];
    if (!r.ok() || slotIndex(int(proposer)) < 0 || proposer > INT32_MAX ||
        !r.raw(digest, 32)) {
      ++stats_.badFrames;
      return;
    }
    if (s < applied_)
      return;
    if (beyond)
      return bufferFuture(peer, data, size);
    std::string bytes(reinterpret_cast<const char *>(data) +
                          (size - r.remaining()),
                      r.remaining());
    storeBatch(s, int(proposer), digest, std::move(bytes));
    if (int(proposer) == peer) // the proposer itself started the slot
      startUpTo(s);
    return;
  }
  case FrameKvDecided: {
    uint64_t v = r.varint();
    if (!r.ok() || !r.atEnd() || v > INT32_MAX) {
      ++stats_.badFrames;
      return;
    }
    if (s < applied_)
      return;
    if (beyond)
      return bufferFuture(peer, data, size);
    startUpTo(s);
    auto it = slots_.find(s);
    if (it != slots_.end())
      decide(it->second, int64_t(v), false);
    return;
  }
  case FrameKvForward: {
    std::vector<KvRequest> reqs;
    std::string rest(reinterpret_cast<const char *>(data) + 1, size - 1);
    if (!decodeBatch(rest, reqs)) {
      ++stats_.badFrames;
      return;
    }
    KvReply scratch;
    for (auto &q : reqs)
      if (!answered(q, scratch)) { // (the forwarder answers its client)
        ++stats_.forwardedIn;
        pendingBytes_ += q.bytes();
        pending_.push_back(std::move(q));
      }
    return;
  }
  case FrameKvAsk: {
    if (!r.atEnd()) {
      ++stats_.badFrames;
      return;
    }
    auto o = old_.find(s);
    if (o != old_.end())
      return sendDecided(peer, s, o->second.first);
    if (s < applied_)
      return offerSnapshot(peer);
    auto it = slots_.find(s);
    if (it != slots_.end() && it->second.decided >= 0)
      sendDecided(peer, s, it->second.decided);
    return;
  }
  case FrameKvFetch: {
    uint64_t proposer = r.varint();
    if (!r.ok() || !r.atEnd() || proposer > INT32_MAX) {
      ++stats_.badFrames;
      return;
    }
    auto b = batches_.find({s, int(proposer)});
    if (b != batches_.end())
      return send_(peer, batchFrame(s, int(proposer), b->second));
    auto o = old_.find(s);
    if (o != old_.end() && o->second.first == int64_t(proposer))
      send_(peer, batchFrame(s, int(proposer), o->second.second));
    else if (o == old_.end() && s < applied_)
      offerSnapshot(peer);
    return;
  }
  case FrameKvOffer: { // `s` is the peer's applied count
    if (!r.atEnd()) {
      ++stats_.badFrames;
      return;
    }
    if (s <= applied_ ||
        (transfer_ && EventLoop::now() - transfer_->started < TransferTimeout))
      return;
    transfer_ = Transfer{peer, s, {}, EventLoop::now()};
    Writer w;
    w.u8(FrameKvSnapshotAsk);
    w.varint(s);
    send_(peer, w.buffer());
    return;
  }
  case FrameKvSnapshotAsk: {
    if (!r.atEnd()) {
      ++stats_.badFrames;
      return;
    }
    if (s <= applied_)
      sendSnapshot(peer);
    return;
  }
  case FrameKvSnapshot: {
    uint64_t offset = r.varint(), total = r.varint();
    if (!r.ok() || total > MaxTransferBytes || offset > total ||
        r.remaining() > total - offset) {
      ++stats_.badFrames;
      return;
    }
    if (!transfer_ || transfer_->peer != peer || s <= applied_)
      return; // not asked for, or overtaken by the log
    if (offset == 0 && transfer_->applied != s) // a newer snapshot than offered
      transfer_->applied = s;
    if (transfer_->applied != s || offset != transfer_->bytes.size())
      return; // a chunk of another snapshot, or one lost before it
    transfer_->bytes.append(reinterpret_cast<const char *>(data) +
                                (size - r.remaining()),
                            r.remaining());
    if (transfer_->bytes.size() == total) {
      std::string snap = std::move(transfer_->bytes);
      transfer_.reset();
      installSnapshot(snap);
    }
    return;
  }
  case FrameKvReadAsk: { // `s` is the round's id
    if (!r.atEnd()) {
      ++stats_.badFrames;
      return;
    }
    Writer w;
    w.u8(FrameKvReadIndex);
    w.varint(s);
    w.varint(startedHere());
    send_(peer, w.buffer());
    return;
  }
  case FrameKvReadIndex: {
    uint64_t started = r.varint();
    if (!r.ok() || !r.atEnd()) {
      ++stats_.badFrames;
      return;
    }
    return onReadIndex(peer, s, started);
  }
  default:
    ++stats_.badFrames;
    (void)replay;
    return;
  }
}

void KvReplica::applySlot(uint64_t s, int64_t v, const std::string &batch,
                          bool live) {
  std::vector<KvRequest> reqs;
  if (!decodeBatch(batch, reqs)) {
    // Only its proposer's digest-checked bytes get here: a proposer bug.
    failed_ = true;
    failure_ =
        "slot " + std::to_string(s) + ": the decided batch does not decode";
    log_.error("fail_stop", {{"why", failure_}});
    return;
  }
  Sha256 bd =
      sha256(reinterpret_cast<const uint8_t *>(batch.data()), batch.size());
  Writer w;
  w.bytes(logHash_.data(), logHash_.size());
  w.varint(s);
  w.varint(uint64_t(v));
  w.bytes(bd.data(), bd.size());
  Sha256 h = sha256(w.buffer().data(), w.buffer().size());
  std::copy(h.begin(), h.end(), logHash_.begin());
  ++stats_.batchesApplied;
  if (reqs.empty())
    ++stats_.emptyBatches;
  for (auto &q : reqs) {
    KvReply rep = applyRequest(q, s);
    if (live)
      appliedFn_(q, rep);
  }
  // My proposal lost the slot: its requests go back to the front.
  auto m = mine_.find(s);
  if (live && m != mine_.end()) {
    if (v != cfg_.me) {
      leader_ = int(v);
      for (auto it = m->second.rbegin(); it != m->second.rend(); ++it) {
        ++stats_.requeued;
        route(std::move(*it), true);
      }
    }
    mine_.erase(m);
  }
  leader_ = int(v);
  old_[s] = {v, batch};
  while (old_.size() > KeepApplied)
    old_.erase(old_.begin());
  batches_.erase(batches_.lower_bound({s, INT32_MIN}),
                 batches_.lower_bound({s + 1, INT32_MIN}));
  fetchedAt_.erase(s);
  ++stats_.slotsApplied;
}

// Sends `frame` to every peer, at most once per FetchRetry for slot s.
bool KvReplica::askPeers(uint64_t s, const std::vector<uint8_t> &frame) {
  auto f = fetchedAt_.find(s);
  TimePoint now = EventLoop::now();
  if (f != fetchedAt_.end() && now - f->second < FetchRetry)
    return false;
  fetchedAt_[s] = now;
  for (int p : cfg_.peers)
    if (p != cfg_.me)
      send_(p, frame);
  return true;
}

void KvReplica::progress() {
  if (inProgress_) // re-entered (an apply callback submitting): the outer call
                   // continues
    return;
  inProgress_ = true;
  for (bool again = true; again && !failed_;) {
    again = false;
    // The slots ready to apply, in order (decided, their batch here). Their
    // records are written here and synced, with whatever came before, by
    // the owner's group commit before any reply or frame that follows
    // leaves (docs/rounds.md, "Durability").
    std::vector<std::pair<int64_t, std::string>> ready;
    for (uint64_t s = applied_; !failed_; ++s) {
      auto it = slots_.find(s);
      if (it != slots_.end() && it->second.decided < 0 && it->second.engine &&
          it->second.engine->done()) {
        // Out of phases without a decision: ask the peers.
        Writer w;
        w.u8(FrameKvAsk);
        w.varint(s);
        askPeers(s, w.buffer());
      }
      if (it == slots_.end() || it->second.decided < 0)
        break;
      int64_t v = it->second.decided;
      auto b = batches_.find({s, int(v)});
      if (b == batches_.end()) {
        Writer w;
        w.u8(FrameKvFetch);
        w.varint(s);
        w.varint(uint64_t(v));
        if (askPeers(s, w.buffer()))
          ++stats_.fetches;
        break;
      }
      ready.emplace_back(v, std::move(b->second));
      if (durable_)
        writeRecord(appliedRecord(s, v, ready.back().second));
    }
    for (auto &[v, batch] : ready) {
      uint64_t s = applied_;
      slots_.erase(s); // engine already handed to the loop (stopEngine)
      applySlot(s, v, batch);
      ++applied_;
      again = true;
    }
    if (!ready.empty())
      serveReads();
    // New slots for pending requests, within the window.
    while (!failed_ && !pending_.empty() && started_ < applied_ + cfg_.window) {
      startSlot(started_++);
      again = true;
    }
    if (again && !future_.empty()) {
      size_t before = future_.size();
      replayFuture();
      again = future_.size() != before || again;
    }
    if (!again)
      break;
    // One more pass only if something can move.
    auto it = slots_.find(applied_);
    again = (it != slots_.end() && it->second.decided >= 0) ||
            (!pending_.empty() && started_ < applied_ + cfg_.window);
  }
  if (durable_ && !failed_ && durable_->size() > cfg_.snapshotBytes)
    compactDurable();
  inProgress_ = false;
}

void KvReplica::tick() {
  // Forwarded requests the leader did not get applied in time: propose
  // them here (the leader may have crashed).
  TimePoint now = EventLoop::now();
  auto limit = std::chrono::milliseconds(cfg_.forwardTimeoutMs);
  KvReply scratch;
  while (!forwarded_.empty() &&
         (now - forwarded_.front().first >= limit ||
          answered(forwarded_.front().second, scratch))) {
    KvRequest r = std::move(forwarded_.front().second);
    forwarded_.pop_front();
    if (answered(r, scratch))
      continue;
    ++stats_.forwardTimeouts;
    if (leader_ != cfg_.me) // it did not deliver: stop forwarding to it
      leader_ = -1;
    route(std::move(r), false);
  }
  if (reading_ && now - reading_->asked >= ReadRetry) {
    reading_->asked = now;
    ++stats_.readRetries;
    Writer w;
    w.u8(FrameKvReadAsk);
    w.varint(reading_->id);
    for (int p : cfg_.peers)
      if (std::find(reading_->heard.begin(), reading_->heard.end(), p) ==
          reading_->heard.end())
        send_(p, w.buffer());
  }
  progress();
}

//===----------------------------------------------------------------------===//
// Durability
//===----------------------------------------------------------------------===//

void KvReplica::fail(const std::string &why) {
  if (failed_)
    return;
  failed_ = true;
  failure_ = why;
  log_.error("fail_stop", {{"why", why}});
}

void KvReplica::writeRecord(const std::string &rec) {
  std::string err;
  if (durable_ && !failed_ && !durable_->write(rec, err))
    fail("the durable log: " + err);
}

std::string KvReplica::snapshot() const {
  Writer w;
  w.u8(RecSnapshot);
  w.varint(applied_);
  w.bytes(logHash_.data(), logHash_.size());
  w.varint(nextSession_);
  w.svarint(leader_);
  w.varint(kv_.size());
  for (const auto &[k, v] : kv_) {
    w.str(k);
    w.str(v);
  }
  w.varint(sessions_.size());
  for (const auto &[id, ses] : sessions_) {
    w.varint(id);
    w.varint(ses.nonce);
    w.varint(ses.ackBelow);
    w.varint(ses.lastSlot);
    w.varint(ses.replies.size());
    for (const auto &[seq, rep] : ses.replies) {
      w.varint(seq);
      w.u8(uint8_t(rep.result));
      w.varint(rep.slot);
      w.varint(rep.session);
      w.str(rep.value);
    }
  }
  return w.toString();
}

// All or nothing: the state changes only if the rest of `r` is exactly a
// snapshot and it is at least `atLeast` slots far.
bool KvReplica::loadSnapshot(Reader &r, uint64_t atLeast) {
  uint64_t applied = r.varint();
  std::array<uint8_t, 32> hash{};
  if (!r.raw(hash.data(), hash.size()))
    return false;
  uint64_t nextSession = r.varint();
  int64_t leader = r.svarint();
  std::map<std::string, std::string> kv;
  std::map<uint64_t, Session> sessions;
  size_t keys = r.length(SIZE_MAX, 2);
  for (size_t i = 0; i < keys && r.ok(); ++i) {
    std::string k = r.str(MaxSnapshotString);
    kv[std::move(k)] = r.str(MaxSnapshotString);
  }
  size_t count = r.length(MaxSessions, 5);
  for (size_t i = 0; i < count && r.ok(); ++i) {
    Session &ses = sessions[r.varint()];
    ses.nonce = r.varint();
    ses.ackBelow = r.varint();
    ses.lastSlot = r.varint();
    size_t replies = r.length(MaxRepliesPerSession, 5);
    for (size_t j = 0; j < replies && r.ok(); ++j) {
      uint64_t seq = r.varint();
      KvReply rep;
      uint8_t result = r.u8();
      if (result > uint8_t(KvResult::Stale))
        r.fail("bad reply result");
      rep.result = KvResult(result);
      rep.slot = r.varint();
      rep.session = r.varint();
      rep.value = r.str(MaxSnapshotString);
      ses.replies[seq] = std::move(rep);
    }
  }
  if (!r.ok() || !r.atEnd() || leader < -1 || leader > INT32_MAX ||
      applied < atLeast)
    return false;
  applied_ = applied;
  logHash_ = hash;
  nextSession_ = nextSession;
  leader_ = int(leader);
  kv_ = std::move(kv);
  sessions_ = std::move(sessions);
  registered_.clear(); // a registration is named by its session's nonce
  for (const auto &[id, ses] : sessions_)
    registered_[ses.nonce] = id;
  return true;
}

// The log rewritten as a snapshot and what slots not applied yet need:
// this replica's batches and its programs' durable states.
void KvReplica::compactDurable() {
  std::vector<std::string> recs{snapshot()};
  for (const auto &[key, b] : batches_)
    if (key.second == cfg_.me && key.first >= applied_)
      recs.push_back(batchRecord(key.first, b));
  for (const auto &[s, b] : savedBatch_)
    recs.push_back(batchRecord(s, b));
  for (const auto &[s, sl] : slots_)
    if (sl.persisted)
      recs.push_back(acceptorRecord(s, sl.persistedRound, *sl.persisted));
  for (const auto &[s, saved] : savedAcceptor_)
    recs.push_back(acceptorRecord(s, saved.first, saved.second));
  std::string err;
  if (!durable_->rewrite(recs, err))
    return fail("the durable log: " + err);
  ++stats_.snapshots;
}

bool KvReplica::recover(std::string &error) {
  if (!durable_)
    return true;
  size_t n = 0;
  for (const auto &rec : durable_->recoveredAll()) {
    ++n;
    Reader r(rec);
    uint8_t type = r.u8();
    bool ok = r.ok();
    switch (ok ? type : 0) {
    case RecSnapshot:
      ok = loadSnapshot(r, 0);
      old_.clear();
      ++stats_.snapshotsReplayed;
      break;
    case RecApplied: {
      uint64_t s = r.varint();
      uint64_t v = r.varint();
      std::string batch = r.str(MaxSnapshotString);
      ok = r.ok() && v <= INT32_MAX && slotIndex(int(v)) >= 0 && s <= applied_;
      if (ok && s == applied_) {
        applySlot(s, int64_t(v), batch, /*live=*/false);
        ok = !failed_;
        ++applied_;
      }
      break;
    }
    case RecAcceptor: {
      uint64_t s = r.varint();
      int64_t round = r.svarint();
      Value st;
      ok = r.ok() && round >= 0 && Value::decode(r, st);
      if (ok)
        savedAcceptor_[s] = {round, std::move(st)};
      break;
    }
    case RecBatch: {
      uint64_t s = r.varint();
      std::string batch = r.str(MaxSnapshotString);
      ok = r.ok();
      if (ok)
        savedBatch_[s] = std::move(batch);
      break;
    }
    default:
      ok = false;
    }
    if (!ok || !r.ok() || !r.atEnd()) {
      error =
          "record " + std::to_string(n) +
          " of the durable log does not decode (" +
          (failed_ ? failure_
                   : std::string(r.ok() ? "unexpected content" : r.error())) +
          ")";
      return false;
    }
  }
  // Every slot this replica took part in has a durable record (its batch
  // or its acceptor state, written before its first message of the slot):
  // its read index answers stay above them.
  if (!savedAcceptor_.empty())
    startedBefore_ =
        std::max(startedBefore_, savedAcceptor_.rbegin()->first + 1);
  if (!savedBatch_.empty())
    startedBefore_ = std::max(startedBefore_, savedBatch_.rbegin()->first + 1);
  savedAcceptor_.erase(savedAcceptor_.begin(),
                       savedAcceptor_.lower_bound(applied_));
  savedBatch_.erase(savedBatch_.begin(), savedBatch_.lower_bound(applied_));
  started_ = applied_;
  stats_.recoveredSlots = applied_;
  return true;
}

//===----------------------------------------------------------------------===//
// State transfer
//===----------------------------------------------------------------------===//

void KvReplica::offerSnapshot(int peer) {
  TimePoint now = EventLoop::now();
  auto it = offeredAt_.find(peer);
  if (it != offeredAt_.end() && now - it->second < OfferEvery)
    return;
  offeredAt_[peer] = now;
  ++stats_.offers;
  Writer w;
  w.u8(FrameKvOffer);
  w.varint(applied_);
  send_(peer, w.buffer());
}

void KvReplica::sendSnapshot(int peer) {
  TimePoint now = EventLoop::now();
  auto it = snapshotSentAt_.find(peer);
  if (it != snapshotSentAt_.end() && now - it->second < SnapshotEvery)
    return;
  snapshotSentAt_[peer] = now;
  std::string snap = snapshot();
  if (snap.size() > MaxTransferBytes) {
    log_.warn("snapshot_too_large", {{"peer", std::to_string(peer)},
                                     {"bytes", std::to_string(snap.size())}});
    return;
  }
  ++stats_.snapshotsSent;
  for (size_t off = 0; off == 0 || off < snap.size(); off += SnapshotChunk) {
    size_t n = std::min(SnapshotChunk, snap.size() - off);
    Writer w;
    w.u8(FrameKvSnapshot);
    w.varint(applied_);
    w.varint(off);
    w.varint(snap.size());
    w.bytes(snap.data() + off, n);
    send_(peer, w.buffer());
  }
}

// A peer's snapshot at applied slot A > applied_: the state after slots
// below A, which every correct replica reaches alike. Slots below A are
// dropped here (my lost proposals' requests go back to the queue, where
// those already applied are answered); the durable log is compacted to it.
void KvReplica::installSnapshot(const std::string &snap) {
  uint64_t from = applied_;
  Reader r(snap);
  if (r.u8() != RecSnapshot || !loadSnapshot(r, applied_ + 1)) {
    ++stats_.badFrames;
    return;
  }
  for (auto it = slots_.begin(); it != slots_.end() && it->first < applied_;) {
    stopEngine(it->second);
    it = slots_.erase(it);
  }
  batches_.erase(batches_.begin(), batches_.lower_bound({applied_, INT32_MIN}));
  savedAcceptor_.erase(savedAcceptor_.begin(),
                       savedAcceptor_.lower_bound(applied_));
  savedBatch_.erase(savedBatch_.begin(), savedBatch_.lower_bound(applied_));
  fetchedAt_.erase(fetchedAt_.begin(), fetchedAt_.lower_bound(applied_));
  old_.clear();
  std::vector<KvRequest> requeue;
  for (auto it = mine_.begin(); it != mine_.end() && it->first < applied_;) {
    for (auto &q : it->second)
      requeue.push_back(std::move(q));
    it = mine_.erase(it);
  }
  for (auto &q : requeue)
    route(std::move(q), false);
  started_ = std::max(started_, applied_);
  serveReads(); // the gets whose index the snapshot reached
  ++stats_.snapshotsInstalled;
  log_.info("snapshot_installed", {{"applied", std::to_string(applied_)},
                                   {"from", std::to_string(from)},
                                   {"bytes", std::to_string(snap.size())}});
  if (durable_)
    compactDurable();
  progress();
}

std::string KvReplica::logDigest() const {
  return toHex(logHash_.data(), logHash_.size());
}

std::string KvReplica::stateDigest() const {
  Writer w;
  for (const auto &[k, v] : kv_) {
    w.str(k);
    w.str(v);
  }
  // The sessions too: every replica assigns the same ids and keeps the
  // same replies.
  w.varint(nextSession_);
  for (const auto &[id, s] : sessions_) {
    w.varint(id);
    w.varint(s.ackBelow);
    w.varint(s.replies.size());
  }
  Sha256 h = sha256(w.buffer().data(), w.buffer().size());
  return toHex(h.data(), h.size());
}

} // namespace mommie::rt
