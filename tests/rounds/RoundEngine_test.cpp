// Round engine unit tests: the engine driven by a fake program, transport
// and clock (late discard, buffering, benign and Byzantine catch-up,
// eviction under a far-future flood, sync, wrap-around, self bypass,
// lock-step runs of several engines over a fake network).
#include "runtime/rounds/RoundEngine.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <tuple>

using namespace mommie::rt;

namespace {

// Every round: send the round number to every peer; record the mailboxes.
struct FakeProgram : RoundProgram {
  size_t len = 1;
  int64_t phases = 1000;
  RoundProgress prog;
  int64_t goAheadAt = -1; // goAhead when |mbox| >= goAheadAt
  std::vector<int> peers;
  struct Update {
    int64_t round;
    std::map<int, int64_t> mbox;
  };
  std::vector<Update> updates;
  int64_t lastRound = -1;

  const char *roleName() const override { return "Fake"; }
  size_t numRounds() const override { return len; }
  int64_t numPhases() const override { return phases; }
  const char *roundName(size_t) const override { return "R"; }
  RoundProgress progress(size_t, int64_t) override {
    RoundProgress p = prog;
    p.hasGoAhead = goAheadAt >= 0;
    return p;
  }
  void send(size_t r, int64_t ph,
            std::vector<std::pair<int, Value>> &out) override {
    lastRound = ph * int64_t(len) + int64_t(r);
    for (int p : peers)
      out.emplace_back(p, Value::integer(lastRound));
  }
  bool goAhead(size_t, int64_t, const Value &mbox) override {
    return int64_t(mbox.size()) >= goAheadAt;
  }
  void update(size_t r, int64_t ph, const Value &mbox) override {
    Update u{ph * int64_t(len) + int64_t(r), {}};
    for (size_t i = 0; i < mbox.size(); ++i)
      u.mbox[mbox.mapKey(i).asPrincipal()] = mbox.mapValue(i).asInt();
    updates.push_back(u);
  }
  bool payloadOk(size_t, const Value &v, std::string *) const override {
    return v.is(Kind::Int);
  }
  std::string stateJson() const override { return "{}"; }
  std::string stateDeltaJson() override { return "{}"; }
};

struct Sent {
  int from, to;
  uint32_t round;
  Value payload;
};

struct FakeEnv : RoundEnv {
  int me = 0;
  int64_t now = 0;
  int64_t deadline = -1;
  std::deque<Sent> *net = nullptr;
  std::vector<Sent> sent;
  int64_t nowUs() override { return now; }
  void setTimer(int64_t d) override { deadline = d; }
  std::vector<std::pair<int, uint32_t>> markers;
  void sendMarker(int peer, uint32_t wr) override {
    markers.emplace_back(peer, wr);
  }
  void send(int peer, uint32_t wr, const Value &payload) override {
    sent.push_back({me, peer, wr, payload});
    if (net)
      net->push_back({me, peer, wr, payload});
  }
};

RoundConfig config(int me, int n, int f = 0, size_t cap = 64,
                   int64_t first = 0) {
  RoundConfig c;
  c.me = me;
  for (int p = 0; p < n; ++p)
    c.peers.push_back(p);
  c.byzantine = f;
  c.maxPendingPerPeer = cap;
  c.firstRound = first;
  return c;
}

struct One {
  FakeProgram prog;
  FakeEnv env;
  std::unique_ptr<RoundEngine> eng;
  One(int n, int f, RoundProgress p, size_t cap = 64, int64_t first = 0) {
    prog.prog = p;
    for (int q = 0; q < n; ++q)
      prog.peers.push_back(q);
    eng = std::make_unique<RoundEngine>(prog, env, config(0, n, f, cap, first));
  }
  // Lets the clock pass the armed deadline and fires the timer.
  void timeout() {
    ASSERT_GE(env.deadline, 0) << "no timer armed";
    env.now = env.deadline;
    eng->onTimer();
  }
};

RoundProgress timeoutOnly(int64_t ms, bool catchUp) {
  RoundProgress p;
  p.timeoutMs = ms;
  p.catchUp = catchUp;
  return p;
}

} // namespace

TEST(RoundEngine, SelfMessageBypassesTheNetwork) {
  One o(3, 0, timeoutOnly(10, false));
  o.eng->start();
  ASSERT_EQ(o.env.sent.size(), 2u); // to P1 and P2 only
  for (const auto &s : o.env.sent)
    EXPECT_NE(s.to, 0);
  EXPECT_EQ(o.eng->mailboxSize(), 1u);
  o.timeout();
  ASSERT_EQ(o.prog.updates.size(), 1u);
  EXPECT_EQ(o.prog.updates[0].mbox.size(), 1u);
  EXPECT_EQ(o.prog.updates[0].mbox.at(0), 0);
  EXPECT_EQ(o.eng->currentRound(), 1);
}

TEST(RoundEngine, OneMessagePerSenderPerRound) {
  One o(3, 0, timeoutOnly(10, false));
  o.eng->start();
  o.eng->onMessage(1, 0, Value::integer(7));
  o.eng->onMessage(1, 0, Value::integer(8));
  EXPECT_EQ(o.eng->stats().duplicates, 1u);
  o.timeout();
  EXPECT_EQ(o.prog.updates[0].mbox.at(1), 7);
}

TEST(RoundEngine, LateMessagesAreDiscarded) {
  One o(3, 0, timeoutOnly(10, false));
  o.eng->start();
  for (int i = 0; i < 3; ++i)
    o.timeout();
  ASSERT_EQ(o.eng->currentRound(), 3);
  o.eng->onMessage(1, 1, Value::integer(1));
  o.eng->onMessage(2, 2, Value::integer(2));
  EXPECT_EQ(o.eng->stats().late, 2u);
  EXPECT_EQ(o.eng->mailboxSize(), 1u); // only self
  o.timeout();
  EXPECT_EQ(o.prog.updates.back().mbox.size(), 1u);
}

TEST(RoundEngine, FutureMessagesAreBufferedUntilTheirRound) {
  One o(3, 0, timeoutOnly(10, /*catchUp=*/false));
  o.eng->start();
  o.eng->onMessage(1, 2, Value::integer(42));
  EXPECT_EQ(o.eng->currentRound(), 0); // strict: no catch-up before the timeout
  EXPECT_EQ(o.eng->pending(), 1u);
  o.timeout(); // round 0 ends; catch-up target is 2, but round 1 is strict too
  EXPECT_EQ(o.eng->currentRound(), 1);
  o.timeout();
  EXPECT_EQ(o.eng->currentRound(), 2);
  EXPECT_EQ(o.eng->pending(), 0u);
  EXPECT_EQ(o.eng->mailboxSize(), 2u); // self and the buffered message
  o.timeout();
  EXPECT_EQ(o.prog.updates.back().round, 2);
  EXPECT_EQ(o.prog.updates.back().mbox.at(1), 42);
}

TEST(RoundEngine, BenignCatchUpJumpsOnAFutureMessage) {
  One o(3, 0, timeoutOnly(1000, /*catchUp=*/true));
  o.eng->start();
  o.eng->onMessage(2, 5, Value::integer(5));
  EXPECT_EQ(o.eng->currentRound(), 5);
  // The skipped rounds still ran (send and update, with what they had).
  ASSERT_EQ(o.prog.updates.size(), 5u);
  for (int64_t r = 0; r < 5; ++r)
    EXPECT_EQ(o.prog.updates[size_t(r)].round, r);
  EXPECT_EQ(o.eng->mailboxSize(), 2u);
  EXPECT_EQ(o.eng->stats().timeouts, 0u);
}

TEST(RoundEngine, ByzantineCatchUpNeedsFPlusOneSenders) {
  // N = 4, F = 1: one process claiming round 1000 is not enough.
  One o(4, 1, timeoutOnly(1000, true));
  o.eng->start();
  o.eng->onMessage(3, 1000, Value::integer(1000));
  EXPECT_EQ(o.eng->currentRound(), 0);
  EXPECT_EQ(o.eng->catchUpTo(), 0);
  o.eng->onMessage(1, 7, Value::integer(7));
  // Now the 2nd highest round seen is 7: jump there, not to 1000.
  EXPECT_EQ(o.eng->currentRound(), 7);
  EXPECT_EQ(o.eng->mailboxSize(), 2u);
}

TEST(RoundEngine, FarFutureFloodStaysBounded) {
  const size_t cap = 16;
  One o(4, 1, timeoutOnly(1000, true), cap);
  o.eng->start();
  // A Byzantine process sends 100000 distinct far-future rounds.
  for (uint32_t i = 0; i < 100000; ++i)
    o.eng->onMessage(3, 1000 + i, Value::integer(i));
  EXPECT_EQ(o.eng->currentRound(), 0);
  EXPECT_LE(o.eng->pendingOf(3), cap);
  EXPECT_LE(o.eng->pending(), cap);
  EXPECT_LE(o.eng->stats().maxPending, cap);
  EXPECT_EQ(o.eng->stats().evicted, 100000u - cap);
  // Correct peers' buffers are not affected by the flood.
  o.eng->onMessage(1, 1, Value::integer(1));
  EXPECT_EQ(o.eng->pendingOf(1), 0u); // F+1-th highest is 1: jumped, delivered
  EXPECT_EQ(o.eng->currentRound(), 1);
  EXPECT_EQ(o.eng->mailboxSize(), 2u);
}

TEST(RoundEngine, EvictionKeepsTheHighestRounds) {
  One o(3, 0, timeoutOnly(1000, false), 3);
  o.eng->start();
  for (uint32_t r : {10u, 20u, 30u, 5u, 40u})
    o.eng->onMessage(1, r, Value::integer(r));
  EXPECT_EQ(o.eng->pendingOf(1), 3u);
  EXPECT_EQ(o.eng->stats().evicted, 2u); // 5 (lowest, new) and then 10
  // Reach round 20 by timeouts: its message is still there.
  while (o.eng->currentRound() < 20)
    o.timeout();
  EXPECT_EQ(o.eng->mailboxSize(), 2u);
}

TEST(RoundEngine, SyncWaitsForFPlusKSendersAtTheRoundOrLater) {
  RoundProgress p = timeoutOnly(10, false);
  p.sync = 2; // N = 4, F = 1: 3 processes (self included) at round >= cur
  One o(4, 1, p);
  o.eng->start();
  EXPECT_EQ(o.env.deadline, -1); // unsynchronized: no timeout
  o.env.now = 50'000;
  o.eng->onTimer();
  EXPECT_EQ(o.eng->currentRound(), 0);
  o.eng->onMessage(1, 0, Value::integer(0));
  EXPECT_EQ(o.env.deadline, -1);
  o.eng->onMessage(2, 3, Value::integer(3)); // a later round counts too
  EXPECT_EQ(o.env.deadline, 10'000); // synchronized: the timeout is back
  o.eng->onTimer();
  EXPECT_GE(o.eng->currentRound(), 1);
  EXPECT_EQ(o.prog.updates[0].mbox.size(), 2u);
}

TEST(RoundEngine, GoAheadEndsTheRoundEarly) {
  One o(3, 0, timeoutOnly(1000, false));
  o.prog.goAheadAt = 3;
  o.eng->start();
  o.eng->onMessage(1, 0, Value::integer(0));
  EXPECT_EQ(o.eng->currentRound(), 0);
  o.eng->onMessage(2, 0, Value::integer(0));
  EXPECT_EQ(o.eng->currentRound(), 1);
  EXPECT_EQ(o.eng->stats().timeouts, 0u);
  EXPECT_EQ(o.prog.updates[0].mbox.size(), 3u);
}

TEST(RoundEngine, WaitMessagesIgnoresTheTimeout) {
  RoundProgress p = timeoutOnly(10, false);
  p.waitMessages = true;
  One o(3, 0, p);
  o.prog.goAheadAt = 2;
  o.eng->start();
  EXPECT_EQ(o.env.deadline, -1);
  o.eng->onMessage(1, 0, Value::integer(0));
  EXPECT_EQ(o.eng->currentRound(), 1);
}

TEST(RoundEngine, RoundNumbersWrapAround) {
  const int64_t first = (int64_t(1) << 32) - 2;
  One o(3, 0, timeoutOnly(1000, true), 64, first);
  o.prog.phases = int64_t(1) << 40;
  o.eng->start();
  EXPECT_EQ(o.env.sent[0].round, 0xfffffffeu);
  o.eng->onMessage(1, 0xfffffffdu, Value::integer(0)); // one round late
  EXPECT_EQ(o.eng->stats().late, 1u);
  o.eng->onMessage(1, 1u, Value::integer(0)); // wire 1 is 3 rounds ahead
  EXPECT_EQ(o.eng->currentRound(), first + 3);
  EXPECT_EQ(o.eng->mailboxSize(), 2u);
  EXPECT_EQ(o.env.sent.back().round, 1u);
}

TEST(RoundEngine, StopsAfterTheBound) {
  One o(3, 0, timeoutOnly(1, false));
  o.prog.len = 2;
  o.prog.phases = 3;
  o.eng = std::make_unique<RoundEngine>(o.prog, o.env,
                                        config(0, 3)); // reads numRounds()
  o.eng->start();
  for (int i = 0; i < 6; ++i)
    o.timeout();
  EXPECT_TRUE(o.eng->done());
  EXPECT_EQ(o.prog.updates.size(), 6u);
  EXPECT_EQ(o.env.deadline, -1);
}

TEST(RoundEngine, NonMembersAndBadPayloadsAreRejected) {
  One o(3, 0, timeoutOnly(10, false));
  o.eng->start();
  o.eng->onMessage(9, 0, Value::integer(0));
  o.eng->onMessage(0, 0, Value::integer(0)); // claims to be me
  o.eng->onMessage(1, 0, Value::boolean(true));
  EXPECT_EQ(o.eng->stats().rejected, 3u);
  EXPECT_EQ(o.eng->mailboxSize(), 1u);
}

// Several engines over a fake network that delivers everything in order:
// with goAhead on a full mailbox every round sees every message (lock step).
TEST(RoundEngine, LockStepOverAReliableNetwork) {
  const int n = 4;
  std::deque<Sent> net;
  std::vector<std::unique_ptr<FakeProgram>> progs;
  std::vector<std::unique_ptr<FakeEnv>> envs;
  std::vector<std::unique_ptr<RoundEngine>> engs;
  for (int p = 0; p < n; ++p) {
    progs.push_back(std::make_unique<FakeProgram>());
    progs[p]->prog = timeoutOnly(1000, true);
    progs[p]->goAheadAt = n;
    progs[p]->phases = 50;
    for (int q = 0; q < n; ++q)
      progs[p]->peers.push_back(q);
    envs.push_back(std::make_unique<FakeEnv>());
    envs[p]->me = p;
    envs[p]->net = &net;
    engs.push_back(
        std::make_unique<RoundEngine>(*progs[p], *envs[p], config(p, n)));
  }
  for (auto &e : engs)
    e->start();
  size_t steps = 0;
  while (!net.empty() && steps < 100000) {
    Sent s = net.front();
    net.pop_front();
    engs[size_t(s.to)]->onMessage(s.from, s.round, s.payload);
    ++steps;
  }
  for (int p = 0; p < n; ++p) {
    EXPECT_TRUE(engs[p]->done());
    ASSERT_EQ(progs[p]->updates.size(), 50u);
    for (const auto &u : progs[p]->updates) {
      ASSERT_EQ(u.mbox.size(), size_t(n)) << "round " << u.round;
      for (const auto &[q, v] : u.mbox)
        EXPECT_EQ(v, u.round);
    }
    EXPECT_EQ(engs[p]->stats().timeouts, 0u);
  }
}

// A process with nothing to send in a sync round still tells its peers
// it reached the round (a marker), and markers count for sync.
TEST(RoundEngine, SyncRoundsSendMarkersAndCountThem) {
  RoundProgress p = timeoutOnly(10, false);
  p.sync = 1; // N = 4, F = 1: 2 processes at round >= cur
  One o(4, 1, p);
  o.prog.peers = {0, 1}; // sends only to self and P1
  o.eng->start();
  ASSERT_EQ(o.env.markers.size(), 2u);
  EXPECT_EQ(o.env.markers[0], std::make_pair(2, 0u));
  EXPECT_EQ(o.env.markers[1], std::make_pair(3, 0u));
  EXPECT_EQ(o.env.deadline, -1);
  o.eng->onMarker(2, 0);
  EXPECT_EQ(o.env.deadline, 10'000);
  EXPECT_EQ(o.eng->mailboxSize(), 1u); // a marker is not a message
}

// While a sync round waits, its messages are resent every resendUs; once
// the round is left, nothing of it is resent.
TEST(RoundEngine, SyncResendsWhileWaitingAndNotAfter) {
  RoundProgress p = timeoutOnly(10, false);
  p.sync = 2; // N = 4, F = 1: 3 processes (self included) at round >= cur
  One o(4, 1, p);
  RoundConfig cfg = config(0, 4, 1);
  cfg.resendUs = 4'000;
  o.eng = std::make_unique<RoundEngine>(o.prog, o.env, cfg);
  o.eng->start();
  auto sentFor = [&](uint32_t round) {
    size_t k = 0;
    for (const auto &s : o.env.sent)
      k += s.round == round;
    return k;
  };
  EXPECT_EQ(sentFor(0), 3u);
  EXPECT_EQ(o.env.deadline, 4'000); // the resend, not a round deadline
  o.timeout();
  EXPECT_EQ(sentFor(0), 6u);
  EXPECT_EQ(o.eng->stats().resends, 3u);
  EXPECT_EQ(o.env.deadline, 8'000);
  o.timeout();
  EXPECT_EQ(sentFor(0), 9u);
  EXPECT_EQ(o.eng->currentRound(), 0);
  o.eng->onMessage(1, 0, Value::integer(0));
  o.eng->onMessage(2, 0,
                   Value::integer(0)); // synchronized: the timeout is back
  EXPECT_EQ(o.env.deadline, 10'000);
  o.timeout();
  ASSERT_EQ(o.eng->currentRound(), 1);
  for (int i = 0; i < 3; ++i) {
    o.eng->onMessage(3, 0, Value::integer(0)); // late copies change nothing
    o.timeout();                               // round 1 waits and resends
  }
  EXPECT_EQ(sentFor(0), 9u);
  EXPECT_EQ(sentFor(1), 12u);
}

// A process that moved on (here: finished its phases) answers a message of
// an earlier round with a marker of its round, at most once per resend
// interval per peer; a waiting peer that gets F + 1 such answers catches up
// and finishes instead of waiting for processes that are gone.
TEST(RoundEngine, FinishedEnginesAnswerALatePeerWhichCatchesUp) {
  RoundProgress p = timeoutOnly(10, false);
  p.sync = 2; // N = 4, F = 1
  One o(4, 1, p);
  o.prog.phases = 1;
  RoundConfig cfg = config(0, 4, 1);
  cfg.resendUs = 4'000;
  o.eng = std::make_unique<RoundEngine>(o.prog, o.env, cfg);
  o.eng->start();
  o.eng->onMessage(1, 0, Value::integer(0));
  o.eng->onMessage(2, 0, Value::integer(0));
  o.timeout();
  ASSERT_TRUE(o.eng->done());
  EXPECT_EQ(o.eng->lastLateReplyUs(), -1);
  o.env.markers.clear();
  o.eng->onMessage(3, 0, Value::integer(0)); // P3 still waits in round 0
  o.eng->onMarker(3, 0); // within the interval: no second answer
  ASSERT_EQ(o.env.markers.size(), 1u);
  EXPECT_EQ(o.env.markers[0], std::make_pair(3, uint32_t(1)));
  EXPECT_EQ(o.eng->lastLateReplyUs(), o.env.now);
  o.env.now += 4'000;
  o.eng->onMarker(3, 0);
  EXPECT_EQ(o.env.markers.size(), 2u);
  o.eng->onMessage(1, 1, Value::integer(1)); // not late: no answer
  EXPECT_EQ(o.env.markers.size(), 2u);

  // P3's side: no message of round 0 arrives, then two answers at round 1.
  One w(4, 1, p);
  w.prog.phases = 1;
  RoundConfig wcfg = config(3, 4, 1);
  wcfg.resendUs = 4'000;
  w.eng = std::make_unique<RoundEngine>(w.prog, w.env, wcfg);
  w.eng->start();
  w.timeout(); // a resend; sync still waits
  EXPECT_EQ(w.eng->currentRound(), 0);
  w.eng->onMarker(0, 1);
  EXPECT_FALSE(w.eng->done()) << "one answer could be a Byzantine process's";
  w.eng->onMarker(1, 1);
  EXPECT_TRUE(w.eng->done());
  EXPECT_EQ(w.eng->stats().jumps, 0u); // left round 0 for round 1, the end
}

// Over links that lose the first two copies of every message, sync rounds
// still proceed in lock step thanks to the resends (every mailbox full).
TEST(RoundEngine, SyncResendsMakeLossyLinksProgress) {
  const int n = 4;
  std::deque<Sent> net;
  std::vector<std::unique_ptr<FakeProgram>> progs;
  std::vector<std::unique_ptr<FakeEnv>> envs;
  std::vector<std::unique_ptr<RoundEngine>> engs;
  for (int p = 0; p < n; ++p) {
    progs.push_back(std::make_unique<FakeProgram>());
    RoundProgress pr;
    pr.sync = 3; // F = 1: all four at the round
    progs[p]->prog = pr;
    progs[p]->goAheadAt = n;
    progs[p]->phases = 20;
    for (int q = 0; q < n; ++q)
      progs[p]->peers.push_back(q);
    envs.push_back(std::make_unique<FakeEnv>());
    envs[p]->me = p;
    envs[p]->net = &net;
    RoundConfig cfg = config(p, n, 1);
    cfg.resendUs = 1'000;
    engs.push_back(std::make_unique<RoundEngine>(*progs[p], *envs[p], cfg));
  }
  for (auto &e : engs)
    e->start();
  std::map<std::tuple<int, int, uint32_t>, int> copies;
  int64_t now = 0;
  for (int steps = 0; steps < 100000; ++steps) {
    if (net.empty()) {
      // Nothing in flight: time passes to the earliest armed timer.
      int64_t next = INT64_MAX;
      for (auto &e : envs)
        if (e->deadline >= 0)
          next = std::min(next, e->deadline);
      if (next == INT64_MAX)
        break;
      now = std::max(now, next);
      for (int p = 0; p < n; ++p) {
        envs[p]->now = now;
        if (envs[p]->deadline >= 0 && envs[p]->deadline <= now)
          engs[p]->onTimer();
      }
      continue;
    }
    Sent s = net.front();
    net.pop_front();
    if (++copies[{s.from, s.to, s.round}] <= 2)
      continue; // lost
    engs[size_t(s.to)]->onMessage(s.from, s.round, s.payload);
  }
  for (int p = 0; p < n; ++p) {
    EXPECT_TRUE(engs[p]->done());
    ASSERT_EQ(progs[p]->updates.size(), 20u);
    for (const auto &u : progs[p]->updates)
      EXPECT_EQ(u.mbox.size(), size_t(n)) << "P" << p << " round " << u.round;
    EXPECT_GT(engs[p]->stats().resends, 0u);
  }
}
