// A replicated key-value store on a consensus round program (multi-Paxos
// over examples/last_voting.mom, as in ReSync's evaluation): one instance of
// the generated round program, on its own RoundEngine, per log slot, at
// most `window` (20) slots in flight, batches of client requests (at most
// `batchBytes`, 32 KB) as the values decided.
//
// What a slot decides. The program's `Value` (0..V-1, built with V = N)
// names a proposer: the generated code starts process i with x = i (the
// `in` choice me % V), so the value decided in slot s, v, means "the batch
// P_v proposed for slot s". A process proposes exactly one batch per slot
// (possibly empty) and sends it to every peer before any round message of
// that slot (frames to one peer travel in order on one connection):
//
//   round  := u8 20, varint slot, varint round (low 32 bits), value payload
//   marker := u8 21, varint slot, varint round
//   batch  := u8 22, varint slot, varint proposer, 32-byte sha256, bytes
//   decided:= u8 23, varint slot, varint value    (a learner's answer)
//   fetch  := u8 24, varint slot, varint proposer (asks for a batch)
//   ask    := u8 25, varint slot                  (asks for a decision)
//   forward:= u8 26, batch                        (client requests for the
//   leader) offer  := u8 27, varint applied   (state transfer: "the slot you
//   asked
//             about is older than the applied slots I keep; I have applied
//             every slot below `applied`")
//   snapask:= u8 28, varint applied   (asks for a snapshot at least that far)
//   snapshot:= u8 29, varint applied, varint offset, varint total, bytes
//             (one chunk of at most 256 KiB of a snapshot of the store)
//   readask := u8 30, varint id                   (read index: "which slots
//             have you started?")
//   readindex:= u8 31, varint id, varint started  (the answer: every slot
//             this replica took part in is below `started`)
//
// A batch is accepted only if its bytes hash to the digest it carries, and
// only one per (slot, proposer); (slot, proposer) identifies it exactly for
// an honest (benign) proposer. The consensus logic is the generated
// program's, unchanged; the driver only reads its `decision` variable.
//
// The driver. Slots [applied, started) are active. A slot is started when
// this process has pending requests and room in the window, or when a
// peer's frame for it arrives (a process that started slot s started every
// slot before it). Frames for slots beyond the window are buffered (at
// most `maxFuture` frames / 64 MB, then dropped: a lost message, which the
// rounds tolerate) and replayed when the window moves. Once the program
// decides (its `decision` is some(v) after a round), the slot's engine is
// stopped (it sends nothing more); a peer still running that slot gets a
// `decided` answer to its round messages (agreement makes that safe:
// every decision of a slot is the same value); a process whose engine ran
// all its phases without deciding asks its peers (`ask`). Decided slots are
// applied in slot order; a decided batch that has not arrived is fetched from
// the peers. Requests of this process's batch that lost its slot go back to the
// front of its queue; a request (session, seq) is applied at most once.
//
// The leader. Whoever coordinates a slot's deciding phase decides the
// smallest proposer id it heard from (LastVoting's min over the estimates),
// so with P0 up its batches win every slot and others' batches only go
// back to their queues. A replica therefore forwards its clients' requests
// to the proposer of the last slot it applied (when that is not itself);
// requests forwarded more than `forwardTimeoutMs` ago and still not applied
// (the leader crashed) are proposed by the replica itself. Replies always
// come from the replica the client sent the request to.
//
// Reads (gets) do not go through the log; they use a read index, as Raft's
// ReadIndex does, but with no leader: the replica a get reaches asks every
// peer which slots it has started, and once a majority (itself included)
// has answered, it waits until it has applied every slot below the largest
// answer, then reads its own state. That is linearizable: a write
// acknowledged before the get was invoked was decided in some slot s, so
// a majority took part in slot s (LastVoting decides on a majority's acks),
// that majority meets the one answering, and the answer is above s; a
// write another read already saw was decided too, the same argument. The
// gets that arrive while a read round is out wait for the next one (one
// round at a time, every get in it). A replica's "started" survives a
// restart (the slots of its durable records), so the argument holds under
// crash-recovery with --fsync on. As the log, it assumes benign replicas.
#pragma once

#include "runtime/net/EventLoop.h"
#include "runtime/rounds/RoundNode.h"
#include "runtime/store/DurableLog.h"
#include "runtime/wire/Wire.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mommie::rt {

class Logger;
class TraceWriter;

enum : uint8_t {
  FrameKvRound = 20,
  FrameKvMarker = 21,
  FrameKvBatch = 22,
  FrameKvDecided = 23,
  FrameKvFetch = 24,
  FrameKvAsk = 25,
  FrameKvForward = 26,
  FrameKvOffer = 27,
  FrameKvSnapshotAsk = 28,
  FrameKvSnapshot = 29,
  FrameKvReadAsk = 30,
  FrameKvReadIndex = 31
};

// The operations of the store, applied in log order by every replica
// (KvReplica::applyRequest). Clients work in sessions that the log
// assigns (Register, named by a nonce: a register retried gets the same
// session), and number their requests in a session 0, 1, ...;
// a session keeps the reply of each request the client may still retry,
// so a retried request gets its original reply from any replica and is
// applied once (exactly-once), as in Raft's client sessions.
enum class KvOp : uint8_t { Register = 0, Put = 1, Get = 2, Del = 3, Cas = 4 };

struct KvRequest {
  KvOp op = KvOp::Put;
  uint64_t session = 0; // Register: 0
  uint64_t seq = 0;     // Register: the client's nonce, naming its reply
  // Every request of the session numbered below was answered: the session
  // may forget their replies.
  uint64_t ackBelow = 0;
  std::string key, value;
  std::string expected;      // Cas: the value the key must hold...
  bool expectAbsent = false; // ... or that it must be absent
  size_t bytes() const { return key.size() + value.size() + expected.size(); }
};

enum class KvResult : uint8_t {
  Ok = 0,
  NotFound = 1,
  CasMismatch = 2,
  UnknownSession = 3,
  Stale = 4
};

struct KvReply {
  KvResult result = KvResult::Ok;
  uint64_t slot = 0;    // the slot the request was applied in
  uint64_t session = 0; // Register: the session assigned
  std::string value;    // Get: the value; Cas mismatch: the current value
};

struct KvConfig {
  std::string node; // this principal's name (traces)
  int me = 0;
  std::vector<int> peers; // the principals running the program (me included)
  int byzantine = 0;
  size_t window = 20;
  size_t batchBytes = 32 * 1024;
  size_t maxPendingPerPeer = 64; // each engine's future-round buffer
  int64_t slotPhases = 40;       // phases a slot runs before it asks its peers
  size_t maxFuture = 4096;       // frames of slots beyond the window
  int64_t forwardTimeoutMs = 500;
  std::string traceDir;    // per-slot traces DIR/<node>.slot<s>.jsonl
  uint64_t traceSlots = 0; // ... for slots < traceSlots
  uint64_t traceEvery = 0; // ... and slots s with s % traceEvery == 0
  uint64_t snapshotBytes = uint64_t(64)
                           << 20; // compact the durable log past this size
};

struct KvStats {
  uint64_t slotsStarted = 0, slotsApplied = 0, decidedHere = 0, learned = 0,
           requestsApplied = 0, duplicatesSkipped = 0, bytesApplied = 0,
           batchesApplied = 0, emptyBatches = 0, fetches = 0, badFrames = 0,
           futureBuffered = 0, futureDropped = 0, maxFuture = 0, rounds = 0,
           timeouts = 0, jumps = 0, requeued = 0, forwarded = 0,
           forwardedIn = 0, forwardTimeouts = 0, recoveredSlots = 0,
           snapshots = 0, snapshotsReplayed = 0, snapshotsSent = 0,
           snapshotsInstalled = 0, offers = 0, readRounds = 0, readsServed = 0,
           readRetries = 0;
};

class KvReplica {
public:
  using SendFn =
      std::function<void(int peer, const std::vector<uint8_t> &frame)>;
  // Called for every request applied (in log order), and for a retried
  // request with the reply it got when applied.
  using AppliedFn = std::function<void(const KvRequest &, const KvReply &)>;

  KvReplica(const RoundProgramInfo &info, EventLoop &loop, KvConfig cfg,
            SendFn send, AppliedFn applied, Logger &log);
  ~KvReplica();

  // A client request received by this replica (queued for its next batch;
  // a get waits for the next read round).
  void submit(KvRequest r);
  // A replica frame (types 20-24) from `peer`; false if it does not decode.
  bool onFrame(int peer, const uint8_t *data, size_t size);
  // Periodic work (fetch retries); call every few ms.
  void tick();
  // Durability (--data-dir; docs/rounds.md, "Replicated KV store"): the replica
  // writes to `log` (opened with wholeState = false) what it must not forget
  // across a restart, and recover() rebuilds its state from the records
  // open() found. The owner holds every frame and every client reply
  // until the records written before it are synced (KvNode.cpp,
  // Transport::setDurableBarrier). Call both before the first frame or
  // request.
  void setDurable(DurableLog *log) { durable_ = log; }
  bool recover(std::string &error);

  bool failed() const { return failed_; }
  const std::string &failure() const { return failure_; }
  const KvStats &stats() const { return stats_; }
  uint64_t applied() const { return applied_; }
  uint64_t started() const { return started_; }
  size_t pendingRequests() const { return pending_.size(); }
  // sha256 chain over (slot, proposer, sha256(batch)) of the applied log.
  std::string logDigest() const;
  // sha256 over the sorted key/value state and the sessions.
  std::string stateDigest() const;
  size_t keys() const { return kv_.size(); }
  size_t sessions() const { return sessions_.size(); }

  // Sessions kept (the least recently used beyond it is forgotten: its
  // client gets UnknownSession and registers again) and replies kept per
  // session (a client with more requests unanswered loses the oldest).
  static constexpr size_t MaxSessions = 1u << 16;
  static constexpr size_t MaxRepliesPerSession = 4096;

  // The `decision` of a program's stateJson(): v for some(v), -1 for none.
  static int64_t decisionOf(const std::string &stateJson);
  static std::vector<uint8_t> encodeBatch(const std::vector<KvRequest> &reqs);
  static bool decodeBatch(const std::string &bytes,
                          std::vector<KvRequest> &out);

private:
  struct SlotEnv;
  struct Slot {
    uint64_t s = 0;
    std::unique_ptr<RoundProgram> prog;
    std::unique_ptr<SlotEnv> env;
    std::unique_ptr<RoundEngine> engine;
    std::unique_ptr<TraceWriter> trace;
    int64_t decided = -1;
    uint64_t told = 0;              // peers already answered with `decided`
    std::optional<Value> persisted; // the program's durable state last written
    int64_t persistedRound = 0;     // ... and the round to resume at
  };
  // The durable log's records (KvReplica.cpp, "Durability").
  void writeRecord(const std::string &rec);
  std::string snapshot() const;
  bool loadSnapshot(Reader &r, uint64_t atLeast);
  void compactDurable();
  void fail(const std::string &why);
  // State transfer (a replica behind by more than KeepApplied slots).
  void offerSnapshot(int peer);
  void sendSnapshot(int peer);
  void installSnapshot(const std::string &snap);
  template <class F> void guarded(F f);
  void startUpTo(uint64_t s);
  void startSlot(uint64_t s);
  void stopEngine(Slot &sl);
  void decide(Slot &sl, int64_t v, bool here);
  void progress();
  bool askPeers(uint64_t s, const std::vector<uint8_t> &frame);
  // `live`: decided now (answered, my lost proposals requeued; progress()
  // logged it); otherwise replayed from the durable log by recover().
  void applySlot(uint64_t s, int64_t v, const std::string &batch,
                 bool live = true);
  void storeBatch(uint64_t s, int proposer, const uint8_t *digest,
                  std::string bytes);
  void handle(int peer, const uint8_t *data, size_t size, bool replay);
  void sendDecided(int peer, uint64_t s, int64_t v);
  void route(KvRequest r, bool front);
  // The reply of `r` if the state already has it (a retry of a request
  // applied, or one too old): then it is answered without the log.
  const KvReply *answered(const KvRequest &r, KvReply &scratch) const;
  KvReply applyRequest(const KvRequest &q, uint64_t slot);
  void bufferFuture(int peer, const uint8_t *data, size_t size);
  // Reads (the read index, above).
  uint64_t startedHere() const {
    return std::max({started_, applied_, startedBefore_});
  }
  void startReadRound();
  void onReadIndex(int peer, uint64_t id, uint64_t started);
  void serveReads();
  void replayFuture();
  int slotIndex(int peer) const;

  const RoundProgramInfo &info_;
  EventLoop &loop_;
  KvConfig cfg_;
  SendFn send_;
  AppliedFn appliedFn_;
  Logger &log_;
  TimePoint start_;
  bool failed_ = false, inProgress_ = false;
  std::string failure_;
  uint64_t applied_ = 0, started_ = 0;
  std::map<uint64_t, Slot> slots_;
  std::map<std::pair<uint64_t, int>, std::string> batches_;
  std::map<uint64_t, std::pair<int64_t, std::string>>
      old_; // applied: value, batch (bounded)
  std::map<uint64_t, std::vector<KvRequest>>
      mine_; // my proposals not yet applied
  std::deque<KvRequest> pending_;
  std::deque<std::pair<TimePoint, KvRequest>> forwarded_;
  int leader_ = -1; // the proposer of the last slot applied
  size_t pendingBytes_ = 0;
  std::deque<std::pair<int, std::vector<uint8_t>>> future_;
  size_t futureBytes_ = 0;
  std::map<uint64_t, TimePoint> fetchedAt_;
  struct Session {
    uint64_t nonce = 0; // of its registration
    uint64_t ackBelow = 0;
    uint64_t lastSlot = 0; // of its last request (least recently used)
    std::map<uint64_t, KvReply> replies;
  };
  std::map<uint64_t, Session> sessions_;
  // Registrations by nonce: a register retried (by its client, or by the
  // replica that forwarded it) gets the same session.
  std::unordered_map<uint64_t, uint64_t> registered_;
  uint64_t nextSession_ = 1;
  std::map<std::string, std::string> kv_;
  std::array<uint8_t, 32> logHash_{};
  KvStats stats_;
  DurableLog *durable_ = nullptr;
  // What recover() found for slots not applied yet: the program's durable
  // state (round to resume at, value) and this replica's own batch.
  std::map<uint64_t, std::pair<int64_t, Value>> savedAcceptor_;
  std::map<uint64_t, std::string> savedBatch_;
  // State transfer: when each peer was last offered / sent a snapshot, and
  // the one being received (from `peer`, at `applied`).
  std::map<int, TimePoint> offeredAt_, snapshotSentAt_;
  struct Transfer {
    int peer = -1;
    uint64_t applied = 0;
    std::string bytes;
    TimePoint started;
  };
  std::optional<Transfer> transfer_;
  // Reads: the gets waiting for a read round, the round out (asked at
  // `asked`, answered by `heard`, the largest answer `index`), and the
  // rounds answered, waiting until applied_ reaches their index.
  struct ReadRound {
    uint64_t id = 0, index = 0;
    std::vector<int> heard;
    TimePoint asked;
    std::vector<KvRequest> gets;
  };
  std::vector<KvRequest> reads_;
  std::optional<ReadRound> reading_;
  std::deque<ReadRound> readable_;
  uint64_t nextReadId_ = 1;
  uint64_t startedBefore_ = 0; // slots of the durable records recover() found
};

// A client frame's body (KvNode.cpp): register (u8 10, nonce) or an
// operation (u8 12, session, seq, ack, op, key, value, expected). The
// decoder reads what follows the type byte, keys and values of at most
// `maxBytes`; false if it does not decode.
std::vector<uint8_t> encodeClientRequest(const KvRequest &q);
bool decodeClientRequest(uint8_t type, Reader &r, size_t maxBytes,
                         KvRequest &q);

int kvNodeMain(int argc, char **argv, const RoundProgramInfo &info);
int kvLoadMain(int argc, char **argv);
int kvClientMain(int argc, char **argv);

} // namespace mommie::rt
