// The round engine: ReSync's runtime algorithm (Listing 1) for one process
// of a round program, event-driven so it runs on the epoll loop (or, in
// tests, on a fake transport and clock).
//
//   - Rounds are numbered 0, 1, 2, ...; round r is round r % len of phase
//     r / len. On the wire a round number is its low 32 bits and is read
//     back relative to the current round (a - b compared as int32_t(a - b)),
//     so numbers may wrap around.
//   - The mailbox of the current round holds one message per sender (the
//     first; later ones are duplicates). Messages of earlier rounds are
//     discarded (late); messages of later rounds are buffered, at most
//     `maxPendingPerPeer` per sender, evicting that sender's lowest rounds.
//   - maxRound[p] is the highest round p sent; catchUpTo() is the F+1-th
//     highest of them (the highest when F = 0: benign catch-up jumps on any
//     message from a future round; with F Byzantine processes the F highest
//     are ignored).
//   - checkProgress() (per round, after every delivery): timeout(d) sets the
//     deadline at round start + d and strict = !catchUp; waitMessages sets
//     an infinite deadline and strict; goAhead when c(mbox): when c holds,
//     strict = false and nextRound >= cur + 1; sync(k): unless at least
//     F + k processes (self included) were seen at the current round or
//     later, the deadline is infinite and strict. The round ends when
//     nextRound > cur and !strict; a deadline passing makes !strict and
//     nextRound >= cur + 1. Skipped rounds (catch-up) still send and update,
//     with the messages buffered for them (one round at a time, as Listing 1).
//   - In a round with sync(k), peers this process sends no message to get
//     a round marker (no payload, never in a mailbox): sync counts
//     processes that reached the round, and a process with nothing to say
//     must still be counted (ReSync leaves this to its transport).
//   - While a sync(k) round waits (fewer than F + k processes seen), the
//     engine resends the round's messages and markers to every peer every
//     `resendUs` (ReSync's answer to lossy links such as UDP: a peer that
//     missed them could not count this process); a receiver keeps the
//     first copy (duplicates). Nothing is resent once the round is left;
//     instead, with resends on, a message or marker of an earlier round
//     (a peer still waiting there, e.g. for this process's lost message)
//     is answered with a marker of the current round, at most once per
//     `resendUs` per peer, also after the last phase. The peer counts this
//     process for sync and may catch up; without the answer a peer that
//     lost its round's messages would wait for processes that had moved on
//     (or stopped) for good.
//   - A message to oneself bypasses the network (it is put into the mailbox
//     at round start).
//   - The engine stops after RoundConfig::phases phases (--phases; by
//     default it runs until stopped).
#pragma once

#include "runtime/store/DurableLog.h"
#include "runtime/wire/Value.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

struct RoundProgress {
  int64_t timeoutMs = -1; // < 0: no timeout
  bool waitMessages = false;
  bool catchUp = false;
  bool hasGoAhead = false;
  int64_t sync = 0; // k of sync(k); 0: none
};

// A round program as the engine drives it (generated code implements it).
// `r` is the index of the round in the phase.
class RoundProgram : public DurableVars {
public:
  virtual ~RoundProgram() = default;
  virtual const char *roleName() const = 0;
  virtual size_t numRounds() const = 0;
  // The phases to run when RoundConfig::phases is 0; 0: no end. Generated
  // programs keep the default: `phase bound B` bounds the model, not a node.
  virtual int64_t numPhases() const { return 0; }
  virtual const char *roundName(size_t r) const = 0;
  // Progress conditions of round r at round start (evaluates sync's k).
  virtual RoundProgress progress(size_t r, int64_t phaseNo) = 0;
  // The messages of round r: (destination principal, payload), one per
  // destination.
  virtual void send(size_t r, int64_t phaseNo,
                    std::vector<std::pair<int, Value>> &out) = 0;
  // The goAhead condition over the mailbox (a map principal -> payload).
  virtual bool goAhead(size_t r, int64_t phaseNo, const Value &mbox) = 0;
  virtual void update(size_t r, int64_t phaseNo, const Value &mbox) = 0;
  // Whether a received payload has round r's payload type.
  virtual bool payloadOk(size_t r, const Value &payload,
                         std::string *why) const = 0;
  virtual std::string stateJson() const = 0;
  virtual std::string stateDeltaJson() = 0;
};

// One finished round (trace record).
struct RoundRecord {
  int64_t round = 0, phaseNo = 0;
  size_t roundNo = 0;
  std::vector<std::pair<int, Value>> mbox, sent;
  bool timedOut = false;
};

// What the engine needs from its surroundings.
class RoundEnv {
public:
  virtual ~RoundEnv() = default;
  virtual int64_t nowUs() = 0;
  // Arms the engine's one timer at `deadlineUs` (replacing the previous);
  // a negative deadline disarms it. The environment then calls onTimer().
  virtual void setTimer(int64_t deadlineUs) = 0;
  virtual void send(int peer, uint32_t wireRound, const Value &payload) = 0;
  // A round marker: "I am at this round", no payload (sync rounds only).
  virtual void sendMarker(int peer, uint32_t wireRound) = 0;
  virtual void roundDone(const RoundRecord &) {}
};

struct RoundConfig {
  int me = 0;
  std::vector<int> peers; // the principals running the program (me included)
  int byzantine = 0;      // F
  size_t maxPendingPerPeer = 64;
  int64_t firstRound = 0;
  int64_t resendUs = 0; // sync rounds: resend interval while waiting; 0: never
  int64_t phases =
      0; // stop after this many phases; 0: RoundProgram::numPhases()
};

struct RoundStats {
  uint64_t rounds = 0, delivered = 0, late = 0, buffered = 0, evicted = 0,
           duplicates = 0, rejected = 0, jumps = 0, timeouts = 0, resends = 0;
  size_t maxPending = 0; // the most messages ever buffered at once
};

class RoundEngine {
public:
  static constexpr int64_t Never = INT64_MAX;

  RoundEngine(RoundProgram &program, RoundEnv &env, RoundConfig config);

  // Enters the first round. Throws what the program throws (EvalError).
  void start();
  // A message from `peer` (attributed by the transport) for wire round `wr`.
  void onMessage(int peer, uint32_t wr, Value payload);
  // A round marker from `peer`: raises maxRound (sync, catch-up), never
  // enters a mailbox.
  void onMarker(int peer, uint32_t wr);
  // The timer fired.
  void onTimer();

  bool done() const { return done_; }
  // When a late peer was last answered (see above); -1: never.
  int64_t lastLateReplyUs() const { return lastLateReplyUs_; }
  int64_t currentRound() const { return cur_; }
  int64_t nextRound() const { return next_; }
  int64_t phaseNo() const { return cur_ / int64_t(len_); }
  size_t pending() const { return pendingTotal_; }
  size_t pendingOf(int peer) const;
  size_t mailboxSize() const { return mboxCount_; }
  int64_t catchUpTo() const;
  const RoundStats &stats() const { return stats_; }
  const RoundConfig &config() const { return cfg_; }
  // The full round number of wire round `wr` relative to the current one.
  int64_t unwrap(uint32_t wr) const {
    return cur_ + int64_t(int32_t(wr - uint32_t(cur_)));
  }

private:
  struct Pending {
    int64_t round;
    Value payload;
  };
  int slotOf(int peer) const;
  void startRound();
  void finishRound();
  void advance();
  void processReceive(int slot, Value payload);
  void checkProgress();
  void buffer(int slot, int64_t round, Value payload);
  Value mailbox() const;
  bool canLeave() const { return next_ > cur_ && !strict_; }
  // Arms the environment's timer at the earlier of the round's deadline and
  // the next resend.
  void armTimer();
  // Round markers to the peers that get no message this round; how many.
  size_t sendMarkers();
  void resend();
  // Answers a peer heard from at an earlier round (see above).
  void answerLate(int slot);

  RoundProgram &prog_;
  RoundEnv &env_;
  RoundConfig cfg_;
  size_t len_;
  int64_t limit_ = Never;
  int meSlot_ = -1;
  std::vector<int> slotOfPrincipal_;
  int64_t cur_ = 0, next_ = 0;
  bool strict_ = false, started_ = false, done_ = false, advancing_ = false,
       timedOut_ = false;
  int64_t roundStartUs_ = 0, deadlineUs_ = Never, resendAtUs_ = Never,
          armedUs_ = Never;
  RoundProgress progress_;
  std::vector<bool> has_;
  std::vector<Value> mbox_;
  size_t mboxCount_ = 0;
  std::vector<int64_t> maxRound_;
  std::vector<int64_t> answeredUs_; // per slot: when answerLate last sent
  int64_t lastLateReplyUs_ = -1;
  std::vector<std::vector<Pending>> pending_;
  size_t pendingTotal_ = 0;
  std::vector<std::pair<int, Value>> sent_;
  RoundStats stats_;
};

} // namespace mommie::rt
