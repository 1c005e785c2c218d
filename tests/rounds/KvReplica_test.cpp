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
  bool payloadOk(size_t, const Value &v, std::string *) const override { return v.is(Kind::Int); }
  std::string stateJson() const override { return "{\"decision\":{\"$none\":true}}"; }
  std::string stateDeltaJson() override { return "{}"; }
};

RoundProgramInfo toyInfo() {
  RoundProgramInfo info;
  info.name = "Toy";
  info.principals = {"P0", "P1", "P2"};
  info.first = 0;
  info.size = 3;
  info.make = [](int, std::optional<uint64_t>) { return std::unique_ptr<RoundProgram>(new ToyProgram()); };
  return info;
}

struct Harness {
  RoundProgramInfo info = toyInfo();
  EventLoop loop;
  Logger log{"P0", LogLevel::Off};
  std::vector<std::pair<int, std::vector<uint8_t>>> sent;
  std::vector<std::pair<uint64_t, uint64_t>> applied;
  std::unique_ptr<KvReplica> kv;
  explicit Harness(size_t maxFuture = 4096) {
    KvConfig cfg;
    cfg.node = "P0";
    cfg.me = 0;
    cfg.peers = {0, 1, 2};
    cfg.maxFuture = maxFuture;
    kv = std::make_unique<KvReplica>(
        info, loop, cfg, [this](int peer, const std::vector<uint8_t> &f) { sent.emplace_back(peer, f); },
        [this](uint64_t c, uint64_t s, uint64_t) { applied.emplace_back(c, s); }, log);
  }
};

std::vector<uint8_t> batchFrame(uint64_t slot, int proposer, const std::vector<uint8_t> &bytes, bool forge = false) {
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

std::vector<KvRequest> requests(uint64_t client, uint64_t from, uint64_t n) {
  std::vector<KvRequest> r;
  for (uint64_t i = from; i < from + n; ++i)
    r.push_back({client, i, "k" + std::to_string(i % 3), "value" + std::to_string(i)});
  return r;
}

} // namespace

TEST(KvReplica, BatchCodecRoundTripsAndRejectsTruncation) {
  auto reqs = requests(7, 0, 5);
  auto enc = KvReplica::encodeBatch(reqs);
  std::vector<KvRequest> back;
  ASSERT_TRUE(KvReplica::decodeBatch(std::string(enc.begin(), enc.end()), back));
  ASSERT_EQ(back.size(), 5u);
  EXPECT_EQ(back[3].seq, 3u);
  EXPECT_EQ(back[3].value, "value3");
  EXPECT_FALSE(KvReplica::decodeBatch(std::string(enc.begin(), enc.end() - 1), back));
  EXPECT_FALSE(KvReplica::decodeBatch(std::string(enc.begin(), enc.end()) + "x", back));
}

TEST(KvReplica, DecisionOfState) {
  EXPECT_EQ(KvReplica::decisionOf("{\"x\":1,\"decision\":{\"$some\":2}}"), 2);
  EXPECT_EQ(KvReplica::decisionOf("{\"x\":1,\"decision\":{\"$none\":true}}"), -1);
  EXPECT_EQ(KvReplica::decisionOf("{\"x\":1}"), -1);
}

TEST(KvReplica, AppliesALearnedDecisionWithItsBatch) {
  Harness h;
  auto enc = KvReplica::encodeBatch(requests(9, 0, 4));
  // P1 proposes its batch for slot 0 (this starts the slot here: P0's own,
  // empty, batch goes to the peers), then P2 says slot 0 decided P1.
  EXPECT_TRUE(h.kv->onFrame(1, batchFrame(0, 1, enc).data(), batchFrame(0, 1, enc).size()));
  EXPECT_EQ(h.kv->started(), 1u);
  EXPECT_TRUE(h.kv->onFrame(2, decidedFrame(0, 1).data(), decidedFrame(0, 1).size()));
  h.loop.runUntil(EventLoop::now() + std::chrono::milliseconds(5)); // frees the stopped engine
  EXPECT_EQ(h.kv->applied(), 1u);
  EXPECT_EQ(h.kv->stats().requestsApplied, 4u);
  EXPECT_EQ(h.kv->keys(), 3u);
  ASSERT_EQ(h.applied.size(), 4u);
  EXPECT_EQ(h.applied[2], std::make_pair(uint64_t(9), uint64_t(2)));
  // The same requests again in a later slot are not applied twice.
  auto enc2 = KvReplica::encodeBatch(requests(9, 2, 4)); // seqs 2..5: 2, 3 seen
  h.kv->onFrame(1, batchFrame(1, 1, enc2).data(), batchFrame(1, 1, enc2).size());
  h.kv->onFrame(2, decidedFrame(1, 1).data(), decidedFrame(1, 1).size());
  EXPECT_EQ(h.kv->applied(), 2u);
  EXPECT_EQ(h.kv->stats().requestsApplied, 6u);
  EXPECT_EQ(h.kv->stats().duplicatesSkipped, 2u);
}

TEST(KvReplica, ForgedBatchIsNotAppliedAndIsFetched) {
  Harness h;
  auto enc = KvReplica::encodeBatch(requests(9, 0, 2));
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
  EXPECT_EQ(h.kv->stats().requestsApplied, 2u);
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
