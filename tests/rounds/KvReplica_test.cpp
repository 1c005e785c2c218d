// Unit tests of the KV store's driver (apps/kv/KvReplica.h) with a toy
// round program: the batch codec, the decision parser, a slot applied from
// a peer's batch and a learned decision (digest checked: a forged batch is
// not applied, the replica fetches instead), and random frames (no crash,
// bounded buffers).
#include "apps/kv/KvReplica.h"
#include "runtime/auth/Crypto.h"
#include "runtime/net/Log.h"
#include "runtime/wire/Wire.h"

#include <gtest/gtest.h>

#include <random>

using namespace mommie::rt;

namespace {

// One round per phase; never decides by itself (decisions are learned).
struct ToyProgram : RoundProgram {
  const char *roleName() const override { return "Toy"; }
  size_t numRounds() const override { return 1; }
  int64_t numPhases() const override { return 3; }
  const char *roundName(size_t) const override { return "R"; }
  RoundProgress progress(size_t, int64_t) override {
    RoundProgress p;
    p.timeoutMs = 100000;
    return p;
  }
  void send(size_t, int64_t, std::vector<std::pair<int, Value>> &out) override {
    out.emplace_back(0, Value::integer(1));
    out.emplace_back(1, Value::integer(1));
    out.emplace_back(2, Value::integer(1));
  }
  bool goAhead(size_t, int64_t, const Value &) override { return false; }
  void update(size_t, int64_t, const Value &) override {}
  bool payloadOk(size_t, const Value &v, std::string *) const override {
    return v.is(Kind::Int);
  }
  std::string stateJson() const override {
    return "{\"decision\":{\"$none\":true}}";
  }
  std::string stateDeltaJson() override { return "{}"; }
};

RoundProgramInfo toyInfo() {
  RoundProgramInfo info;
  info.name = "Toy";
  info.principals = {"P0", "P1", "P2"};
  info.first = 0;
  info.size = 3;
  info.make = [](int, std::optional<uint64_t>) {
    return std::unique_ptr<RoundProgram>(new ToyProgram());
  };
  return info;
}

struct Harness {
  RoundProgramInfo info = toyInfo();
  EventLoop loop;
  Logger log{"P0", LogLevel::Off};
  std::vector<std::pair<int, std::vector<uint8_t>>> sent;
  std::vector<std::pair<uint64_t, uint64_t>> applied; // (session, seq)
  std::vector<KvReply> replies;
  std::unique_ptr<KvReplica> kv;
  explicit Harness(size_t maxFuture = 4096) {
    KvConfig cfg;
    cfg.node = "P0";
    cfg.me = 0;
    cfg.peers = {0, 1, 2};
    cfg.maxFuture = maxFuture;
    kv = std::make_unique<KvReplica>(
        info, loop, cfg,
        [this](int peer, const std::vector<uint8_t> &f) {
          sent.emplace_back(peer, f);
        },
        [this](const KvRequest &q, const KvReply &r) {
          applied.emplace_back(q.session, q.seq);
          replies.push_back(r);
        },
        log);
  }
};

std::vector<uint8_t> batchFrame(uint64_t slot, int proposer,
                                const std::vector<uint8_t> &bytes,
                                bool forge = false) {
  auto d = crypto::sha256(bytes.data(), bytes.size());
  if (forge)
    d[0] ^= 1;
  Writer w;
  w.u8(FrameKvBatch);
  w.varint(slot);
  w.varint(uint64_t(proposer));
  w.bytes(d.data(), d.size());
  w.bytes(bytes.data(), bytes.size());
  return w.buffer();
}

std::vector<uint8_t> decidedFrame(uint64_t slot, int64_t v) {
  Writer w;
  w.u8(FrameKvDecided);
  w.varint(slot);
  w.varint(uint64_t(v));
  return w.buffer();
}

KvRequest op(KvOp o, uint64_t session, uint64_t seq, std::string key,
             std::string value = "", std::string expected = "") {
  KvRequest q;
  q.op = o;
  q.session = session;
  q.seq = seq;
  q.key = std::move(key);
  q.value = std::move(value);
  q.expected = std::move(expected);
  return q;
}

KvRequest registration(uint64_t nonce) {
  KvRequest q;
  q.op = KvOp::Register;
  q.seq = nonce;
  return q;
}

// Puts seq from .. from + n - 1 of `session`.
std::vector<KvRequest> requests(uint64_t session, uint64_t from, uint64_t n) {
  std::vector<KvRequest> r;
  for (uint64_t i = from; i < from + n; ++i)
    r.push_back(op(KvOp::Put, session, i, "k" + std::to_string(i % 3),
                   "value" + std::to_string(i)));
  return r;
}

// Applies `batch` as slot `slot`, proposed by P1 and decided.
void applyAsSlot(Harness &h, uint64_t slot,
                 const std::vector<KvRequest> &batch) {
  auto enc = KvReplica::encodeBatch(batch);
  auto b = batchFrame(slot, 1, enc);
  auto d = decidedFrame(slot, 1);
  h.kv->onFrame(1, b.data(), b.size());
  h.kv->onFrame(2, d.data(), d.size());
  h.loop.runUntil(EventLoop::now() + std::chrono::milliseconds(2));
}

} // namespace

TEST(KvReplica, BatchCodecRoundTripsAndRejectsTruncation) {
  auto reqs = requests(7, 0, 5);
  reqs.push_back(registration(99));
  reqs.push_back(op(KvOp::Cas, 7, 5, "k", "new", "old"));
  reqs.back().expectAbsent = true;
  auto enc = KvReplica::encodeBatch(reqs);
  std::vector<KvRequest> back;
  ASSERT_TRUE(
      KvReplica::decodeBatch(std::string(enc.begin(), enc.end()), back));
  ASSERT_EQ(back.size(), 7u);
  EXPECT_EQ(back[3].seq, 3u);
  EXPECT_EQ(back[3].value, "value3");
  EXPECT_EQ(back[5].op, KvOp::Register);
  EXPECT_EQ(back[5].seq, 99u);
  EXPECT_EQ(back[6].op, KvOp::Cas);
  EXPECT_EQ(back[6].expected, "old");
  EXPECT_TRUE(back[6].expectAbsent);
  EXPECT_FALSE(
      KvReplica::decodeBatch(std::string(enc.begin(), enc.end() - 1), back));
  EXPECT_FALSE(
      KvReplica::decodeBatch(std::string(enc.begin(), enc.end()) + "x", back));
}

TEST(KvReplica, DecisionOfState) {
  EXPECT_EQ(KvReplica::decisionOf("{\"x\":1,\"decision\":{\"$some\":2}}"), 2);
  EXPECT_EQ(KvReplica::decisionOf("{\"x\":1,\"decision\":{\"$none\":true}}"),
            -1);
  EXPECT_EQ(KvReplica::decisionOf("{\"x\":1}"), -1);
}

TEST(KvReplica, AppliesALearnedDecisionWithItsBatch) {
  Harness h;
  auto batch = requests(1, 0, 4);
  batch.insert(batch.begin(), registration(5)); // session 1, then its puts
  auto enc = KvReplica::encodeBatch(batch);
  // P1 proposes its batch for slot 0 (this starts the slot here: P0's own,
  // empty, batch goes to the peers), then P2 says slot 0 decided P1.
  EXPECT_TRUE(h.kv->onFrame(1, batchFrame(0, 1, enc).data(),
                            batchFrame(0, 1, enc).size()));
  EXPECT_EQ(h.kv->started(), 1u);
  EXPECT_TRUE(
      h.kv->onFrame(2, decidedFrame(0, 1).data(), decidedFrame(0, 1).size()));
  h.loop.runUntil(EventLoop::now() +
                  std::chrono::milliseconds(5)); // frees the stopped engine
  EXPECT_EQ(h.kv->applied(), 1u);
  EXPECT_EQ(h.kv->stats().requestsApplied, 5u);
  EXPECT_EQ(h.kv->keys(), 3u);
  EXPECT_EQ(h.kv->sessions(), 1u);
  ASSERT_EQ(h.applied.size(), 5u);
  EXPECT_EQ(h.replies[0].session, 1u); // the registration's
  EXPECT_EQ(h.applied[3], std::make_pair(uint64_t(1), uint64_t(2)));
  // The same requests again in a later slot are not applied twice: the
  // retries of seqs 2 and 3 get their original replies (slot 0).
  auto enc2 = KvReplica::encodeBatch(requests(1, 2, 4)); // seqs 2..5: 2, 3 seen
  h.kv->onFrame(1, batchFrame(1, 1, enc2).data(),
                batchFrame(1, 1, enc2).size());
  h.kv->onFrame(2, decidedFrame(1, 1).data(), decidedFrame(1, 1).size());
  EXPECT_EQ(h.kv->applied(), 2u);
  EXPECT_EQ(h.kv->stats().requestsApplied, 7u);
  EXPECT_EQ(h.kv->stats().duplicatesSkipped, 2u);
  ASSERT_EQ(h.replies.size(), 9u);
  EXPECT_EQ(h.replies[5].slot, 0u);
  EXPECT_EQ(h.replies[7].slot, 1u);
}

// The state machine: sessions from the log, get / del / cas, a retry
// answered with its original reply (through the log, and at once once
// applied here), stale and unknown sessions.
TEST(KvReplica, SessionsAndOperations) {
  Harness h;
  applyAsSlot(h, 0, {registration(1), registration(2), registration(1)});
  ASSERT_EQ(h.replies.size(), 3u);
  uint64_t s = h.replies[0].session, t = h.replies[1].session;
  EXPECT_NE(s, t);
  EXPECT_EQ(h.replies[2].session,
            s); // a retried registration: the same session
  EXPECT_EQ(h.kv->sessions(), 2u);
  h.replies.pop_back();
  h.applied.pop_back();
  applyAsSlot(h, 1,
              {op(KvOp::Put, s, 0, "a", "1"), op(KvOp::Get, s, 1, "a"),
               op(KvOp::Cas, s, 2, "a", "2", "9"),
               op(KvOp::Cas, s, 3, "a", "2", "1"), op(KvOp::Get, t, 0, "a"),
               op(KvOp::Del, s, 4, "a"), op(KvOp::Get, s, 5, "a"),
               op(KvOp::Del, s, 6, "a"), op(KvOp::Put, 77, 0, "b", "x")});
  ASSERT_EQ(h.replies.size(), 11u);
  auto res = [&](size_t i) { return h.replies[i].result; };
  EXPECT_EQ(res(2), KvResult::Ok);
  EXPECT_EQ(res(3), KvResult::Ok);
  EXPECT_EQ(h.replies[3].value, "1");
  EXPECT_EQ(res(4), KvResult::CasMismatch);
  EXPECT_EQ(h.replies[4].value, "1"); // the current value
  EXPECT_EQ(res(5), KvResult::Ok);
  EXPECT_EQ(h.replies[6].value, "2"); // t reads s's cas
  EXPECT_EQ(res(7), KvResult::Ok);
  EXPECT_EQ(res(8), KvResult::NotFound);
  EXPECT_EQ(res(9), KvResult::NotFound);
  EXPECT_EQ(res(10), KvResult::UnknownSession);
  EXPECT_EQ(h.kv->keys(), 0u);
  // A retry of seq 2 (a cas) submitted here: answered at once from the
  // session, its original reply, without a new slot.
  uint64_t started = h.kv->started();
  h.kv->submit(op(KvOp::Cas, s, 2, "a", "2", "9"));
  ASSERT_EQ(h.replies.size(), 12u);
  EXPECT_EQ(h.replies[11].result, KvResult::CasMismatch);
  EXPECT_EQ(h.replies[11].value, "1");
  EXPECT_EQ(h.replies[11].slot, 1u);
  EXPECT_EQ(h.kv->started(), started);
  // The client acknowledges every seq below 7: the replies go, and an old
  // seq is stale.
  applyAsSlot(h, 2, {[&] {
                auto q = op(KvOp::Put, s, 7, "c", "3");
                q.ackBelow = 7;
                return q;
              }()});
  h.kv->submit(op(KvOp::Cas, s, 2, "a", "2", "9"));
  ASSERT_EQ(h.replies.size(), 14u);
  EXPECT_EQ(h.replies[13].result, KvResult::Stale);
}

namespace {
std::vector<uint8_t> readIndexFrame(uint64_t id, uint64_t started) {
  Writer w;
  w.u8(FrameKvReadIndex);
  w.varint(id);
  w.varint(started);
  return w.buffer();
}

// The read asks P0 sent since `from`: (peer, round id).
std::vector<std::pair<int, uint64_t>> readAsks(const Harness &h,
                                               size_t from = 0) {
  std::vector<std::pair<int, uint64_t>> asks;
  for (size_t i = from; i < h.sent.size(); ++i)
    if (h.sent[i].second[0] == FrameKvReadAsk) {
      Reader r(h.sent[i].second.data() + 1, h.sent[i].second.size() - 1);
      asks.emplace_back(h.sent[i].first, r.varint());
    }
  return asks;
}
} // namespace

// Gets use a read index (KvReplica.h): answered only once a majority told
// which slots it started and every slot below the largest answer is
// applied here; a get that arrives while a round is out waits for the
// next round; asks are sent again to the silent peers; a replica answers
// others' asks with the slots it started.
TEST(KvReplica, GetsWaitForAMajoritysReadIndex) {
  Harness h;
  applyAsSlot(h, 0, {registration(1)});
  uint64_t s = h.replies.at(0).session;
  applyAsSlot(h, 1, {op(KvOp::Put, s, 0, "a", "1")});
  ASSERT_EQ(h.replies.size(), 2u);
  size_t mark = h.sent.size();
  h.kv->submit(op(KvOp::Get, s, 1, "a"));
  auto asks = readAsks(h, mark);
  ASSERT_EQ(asks.size(), 2u); // to P1 and P2
  uint64_t id1 = asks[0].second;
  EXPECT_EQ(h.replies.size(), 2u); // only P0 has answered: not a majority
  h.kv->submit(op(KvOp::Get, s, 2, "a")); // waits for the next round
  EXPECT_EQ(readAsks(h, mark).size(), 2u);
  // P1 has started slots 0..3: the first get waits for slots 2 and 3.
  EXPECT_TRUE(h.kv->onFrame(1, readIndexFrame(id1, 4).data(),
                            readIndexFrame(id1, 4).size()));
  EXPECT_EQ(h.replies.size(), 2u);
  EXPECT_EQ(h.kv->stats().readRounds, 2u); // the second get's round is out
  auto asks2 = readAsks(h, mark + 2);
  ASSERT_EQ(asks2.size(), 2u);
  uint64_t id2 = asks2[0].second;
  EXPECT_NE(id1, id2);
  applyAsSlot(h, 2, {op(KvOp::Put, s, 3, "a", "2")});
  EXPECT_EQ(h.replies.size(),
            3u); // the put's reply; the get still waits for slot 3
  applyAsSlot(h, 3, {});
  ASSERT_EQ(h.replies.size(), 4u);
  EXPECT_EQ(h.applied.back(), std::make_pair(s, uint64_t(1)));
  EXPECT_EQ(h.replies.back().result, KvResult::Ok);
  EXPECT_EQ(h.replies.back().value, "2");
  // A late or repeated answer to round 1 changes nothing; P2 answers round 2
  // (it started nothing beyond what is applied here): the second get.
  EXPECT_TRUE(h.kv->onFrame(2, readIndexFrame(id1, 9).data(),
                            readIndexFrame(id1, 9).size()));
  EXPECT_EQ(h.replies.size(), 4u);
  EXPECT_TRUE(h.kv->onFrame(2, readIndexFrame(id2, 1).data(),
                            readIndexFrame(id2, 1).size()));
  ASSERT_EQ(h.replies.size(), 5u);
  EXPECT_EQ(h.applied.back(), std::make_pair(s, uint64_t(2)));
  EXPECT_EQ(h.replies.back().value, "2");
  EXPECT_EQ(h.kv->stats().readsServed, 2u);
  // A get of an absent key; its round's asks are resent to the silent peers.
  mark = h.sent.size();
  h.kv->submit(op(KvOp::Get, s, 4, "zz"));
  ASSERT_EQ(readAsks(h, mark).size(), 2u);
  uint64_t id3 = readAsks(h, mark)[0].second;
  EXPECT_TRUE(h.kv->onFrame(2, readIndexFrame(id3, 0).data(),
                            readIndexFrame(id3, 0).size()));
  ASSERT_EQ(h.replies.size(), 6u);
  EXPECT_EQ(h.replies.back().result, KvResult::NotFound);
  h.kv->submit(op(KvOp::Get, s, 5, "a"));
  mark = h.sent.size();
  h.loop.runUntil(EventLoop::now() + std::chrono::milliseconds(60));
  h.kv->tick();
  EXPECT_EQ(readAsks(h, mark).size(),
            2u); // neither P1 nor P2 answered: both asked again
  EXPECT_GE(h.kv->stats().readRetries, 1u);
  // P0 answers a peer's ask with the slots it started; a malformed answer
  // is a bad frame.
  mark = h.sent.size();
  Writer ask;
  ask.u8(FrameKvReadAsk);
  ask.varint(77);
  EXPECT_TRUE(h.kv->onFrame(1, ask.buffer().data(), ask.buffer().size()));
  ASSERT_EQ(h.sent.size(), mark + 1);
  EXPECT_EQ(h.sent.back().first, 1);
  EXPECT_EQ(h.sent.back().second, readIndexFrame(77, h.kv->started()));
  auto bad = readIndexFrame(1, 1);
  bad.push_back(0);
  EXPECT_FALSE(h.kv->onFrame(1, bad.data(), bad.size()));
}

TEST(KvReplica, ForgedBatchIsNotAppliedAndIsFetched) {
  Harness h;
  auto batch = requests(1, 0, 2);
  batch.insert(batch.begin(), registration(3));
  auto enc = KvReplica::encodeBatch(batch);
  auto forged = batchFrame(0, 1, enc, /*forge=*/true);
  EXPECT_FALSE(h.kv->onFrame(1, forged.data(), forged.size()));
  h.kv->onFrame(2, decidedFrame(0, 1).data(), decidedFrame(0, 1).size());
  EXPECT_EQ(h.kv->applied(), 0u);
  EXPECT_EQ(h.kv->stats().fetches, 1u);
  bool fetched = false;
  for (const auto &[peer, f] : h.sent)
    fetched = fetched || (f[0] == FrameKvFetch && peer != 0);
  EXPECT_TRUE(fetched);
  // The genuine batch (a peer's answer) completes the slot.
  h.kv->onFrame(2, batchFrame(0, 1, enc).data(), batchFrame(0, 1, enc).size());
  EXPECT_EQ(h.kv->applied(), 1u);
  EXPECT_EQ(h.kv->stats().requestsApplied, 3u);
}

TEST(KvReplica, RandomFramesNeitherCrashNorGrowBuffers) {
  Harness h(/*maxFuture=*/64);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> f(1 + rng() % 40);
    for (auto &b : f)
      b = uint8_t(rng());
    f[0] = uint8_t(20 + rng() % 8);
    if (rng() % 2) { // a plausible slot number: near the window, or far
      Writer w;
      w.varint(rng() % 3 ? rng() % 40 : rng());
      if (f.size() < 1 + w.buffer().size())
        f.resize(1 + w.buffer().size());
      std::copy(w.buffer().begin(), w.buffer().end(), f.begin() + 1);
    }
    h.kv->onFrame(int(rng() % 4), f.data(), f.size());
  }
  h.kv->tick();
  EXPECT_GT(h.kv->stats().badFrames, 0u);
  EXPECT_LE(h.kv->stats().maxFuture, 64u);
  EXPECT_LE(h.kv->started(), h.kv->applied() + 20);
}
