// The linearizability checker of the Jepsen-style harness (History.h):
// hand-written histories that are and are not linearizable, the JSON
// format, and properties: concurrent histories produced by a real
// register (each operation takes effect at a random point of its
// interval) are linearizable, and changing one read to a value the
// register never held makes them not.
#include "History.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <random>

using namespace mommie::jepsen;
using K = Op::Kind;
using R = Op::Result;

namespace {

Op put(int p, std::string v, int64_t a, int64_t b, R r = R::Ok) {
  Op o;
  o.kind = K::Put;
  o.process = p;
  o.key = "k";
  o.value = std::move(v);
  o.invokeNs = a;
  o.returnNs = r == R::Info ? -1 : b;
  o.result = r;
  return o;
}

Op get(int p, std::optional<std::string> read, int64_t a, int64_t b) {
  Op o;
  o.kind = K::Get;
  o.process = p;
  o.key = "k";
  o.read = std::move(read);
  o.result = o.read ? R::Ok : R::NotFound;
  o.invokeNs = a;
  o.returnNs = b;
  return o;
}

Op cas(int p, std::string expected, std::string v, int64_t a, int64_t b, R r,
       std::optional<std::string> held = std::nullopt) {
  Op o;
  o.kind = K::Cas;
  o.process = p;
  o.key = "k";
  o.expected = std::move(expected);
  o.value = std::move(v);
  o.result = r;
  o.read = std::move(held);
  o.invokeNs = a;
  o.returnNs = r == R::Info ? -1 : b;
  return o;
}

bool lin(const std::vector<Op> &h) { return checkLinearizable(h).linearizable; }

} // namespace

TEST(Linearizability, SequentialHistories) {
  EXPECT_TRUE(
      lin({get(1, std::nullopt, 0, 1), put(1, "a", 2, 3), get(2, "a", 4, 5)}));
  // A read of the overwritten value after the overwrite completed.
  EXPECT_FALSE(lin({put(1, "a", 0, 1), put(2, "b", 2, 3), get(3, "a", 4, 5)}));
  // An acknowledged write lost: absent after it completed.
  EXPECT_FALSE(lin({put(1, "a", 0, 1), get(2, std::nullopt, 2, 3)}));
  // A value nobody wrote.
  EXPECT_FALSE(lin({put(1, "a", 0, 1), get(2, "z", 2, 3)}));
}

TEST(Linearizability, ConcurrentOperationsMayTakeEffectInEitherOrder) {
  EXPECT_TRUE(lin({put(1, "a", 0, 10), get(2, "a", 2, 3)}));
  EXPECT_TRUE(lin({put(1, "a", 0, 10), get(2, std::nullopt, 2, 3)}));
  // Once a read saw the write, a later read cannot miss it.
  EXPECT_FALSE(
      lin({put(1, "a", 0, 10), get(2, "a", 2, 3), get(3, std::nullopt, 4, 5)}));
  EXPECT_TRUE(
      lin({put(1, "a", 0, 10), put(2, "b", 1, 9), get(3, "a", 11, 12)}));
  EXPECT_TRUE(
      lin({put(1, "a", 0, 10), put(2, "b", 1, 9), get(3, "b", 11, 12)}));
}

TEST(Linearizability, IndeterminateOperationsMayOrMayNotTakeEffect) {
  Op lost = put(1, "a", 0, 0, R::Info);
  EXPECT_TRUE(lin({lost, get(2, "a", 10, 11)}));
  EXPECT_TRUE(lin({lost, get(2, std::nullopt, 10, 11)}));
  EXPECT_TRUE(lin({lost, get(2, std::nullopt, 10, 11), get(3, "a", 20, 21)}));
  // But not back and forth.
  EXPECT_FALSE(lin({lost, get(2, "a", 10, 11), get(3, std::nullopt, 20, 21)}));
  // Nor before it was invoked.
  Op late = put(1, "a", 50, 0, R::Info);
  EXPECT_FALSE(lin({get(2, "a", 10, 11), late}));
}

TEST(Linearizability, CompareAndSet) {
  EXPECT_TRUE(lin(
      {put(1, "a", 0, 1), cas(2, "a", "b", 2, 3, R::Ok), get(3, "b", 4, 5)}));
  EXPECT_FALSE(lin({put(1, "a", 0, 1), cas(2, "x", "b", 2, 3, R::Ok)}));
  EXPECT_TRUE(
      lin({put(1, "a", 0, 1), cas(2, "x", "b", 2, 3, R::CasFail, "a")}));
  // A failed cas must report the value held.
  EXPECT_FALSE(
      lin({put(1, "a", 0, 1), cas(2, "x", "b", 2, 3, R::CasFail, "q")}));
  // Two successful cas from the same value cannot both have happened.
  EXPECT_FALSE(lin({put(1, "a", 0, 1), cas(2, "a", "b", 2, 5, R::Ok),
                    cas(3, "a", "c", 2, 5, R::Ok)}));
}

TEST(Linearizability, KeysAreIndependentAndTheFailureIsExplained) {
  Op other = put(1, "a", 0, 1);
  other.key = "j";
  Op stale = get(2, std::nullopt, 2, 3);
  stale.key = "j";
  Verdict v =
      checkLinearizable({put(1, "a", 0, 1), get(2, "a", 2, 3), other, stale});
  EXPECT_FALSE(v.linearizable);
  EXPECT_EQ(v.key, "j");
  EXPECT_EQ(v.keys, 2u);
  EXPECT_NE(v.explanation.find("p2 get j: not_found (absent) [2, 3]"),
            std::string::npos)
      << v.explanation;
}

TEST(Linearizability, JsonRoundTripAndErrors) {
  for (const Op &o :
       {put(1, "a", 5, 9), get(2, std::nullopt, 1, 2),
        cas(3, "a", "b", 1, 4, R::CasFail, "c"), put(4, "x", 7, 0, R::Info)}) {
    Op back;
    std::string err;
    ASSERT_TRUE(fromJson(toJson(o), back, err)) << err << " " << toJson(o);
    EXPECT_EQ(toJson(back), toJson(o));
  }
  Op o;
  std::string err;
  EXPECT_FALSE(fromJson("[1]", o, err));
  EXPECT_FALSE(fromJson(
      R"({"process":1,"op":"put","key":"k","invoke_ns":5,"return_ns":3,"result":"ok"})",
      o, err));
  EXPECT_NE(err.find("returns before"), std::string::npos);
  EXPECT_FALSE(fromJson(
      R"({"process":1,"op":"put","key":"k","invoke_ns":5,"return_ns":null,"result":"ok"})",
      o, err));
  EXPECT_FALSE(fromJson(
      R"({"process":1,"op":"inc","key":"k","invoke_ns":5,"return_ns":6,"result":"ok"})",
      o, err));
}

namespace {

// A history of `procs` processes on one register: each operation's
// interval is random, it takes effect at a random point inside it (a
// linearizable execution), and some puts never return (info).
std::vector<Op> registerHistory(uint64_t seed, int procs, int perProc,
                                bool infos = true) {
  std::mt19937_64 rng(seed);
  struct Pending {
    Op op;
    int64_t at; // its linearization point
  };
  std::vector<Pending> all;
  for (int p = 0; p < procs; ++p) {
    int64_t t = int64_t(rng() % 20);
    for (int i = 0; i < perProc; ++i) {
      Pending x;
      x.op.process = p;
      x.op.key = "k";
      x.op.invokeNs = t;
      int64_t len = 1 + int64_t(rng() % 40);
      x.at = t + int64_t(rng() % uint64_t(len));
      x.op.returnNs = t + len;
      int kind = int(rng() % 4);
      x.op.kind = kind == 0   ? K::Get
                  : kind == 1 ? K::Put
                  : kind == 2 ? K::Cas
                              : K::Del;
      x.op.value = "p" + std::to_string(p) + "-" + std::to_string(i);
      x.op.expected = "p" + std::to_string(rng() % uint64_t(procs)) + "-" +
                      std::to_string(rng() % uint64_t(perProc));
      if (infos && x.op.kind == K::Put && rng() % 10 == 0)
        x.op.returnNs = -1; // an info put: it took effect, nobody heard
      all.push_back(x);
      t = (x.op.returnNs < 0 ? x.at : x.op.returnNs) + 1 + int64_t(rng() % 10);
      if (x.op.returnNs < 0)
        break; // that process is gone
    }
  }
  std::sort(all.begin(), all.end(),
            [](const Pending &a, const Pending &b) { return a.at < b.at; });
  std::optional<std::string> reg;
  std::vector<Op> h;
  for (auto &x : all) {
    Op &o = x.op;
    switch (o.kind) {
    case K::Get:
      o.read = reg;
      o.result = reg ? R::Ok : R::NotFound;
      break;
    case K::Put:
      reg = o.value;
      o.result = o.returnNs < 0 ? R::Info : R::Ok;
      break;
    case K::Del:
      o.result = reg ? R::Ok : R::NotFound;
      reg.reset();
      break;
    case K::Cas:
      if (reg && *reg == o.expected) {
        reg = o.value;
        o.result = R::Ok;
      } else {
        o.result = R::CasFail;
        o.read = reg;
      }
      break;
    }
    h.push_back(o);
  }
  return h;
}

} // namespace

RC_GTEST_PROP(Linearizability, HistoriesOfARegisterAreLinearizable, ()) {
  uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  int procs = *rc::gen::inRange(1, 6);
  auto h = registerHistory(seed, procs, *rc::gen::inRange(1, 25));
  Verdict v = checkLinearizable(h);
  RC_ASSERT(!v.exhausted);
  RC_ASSERT(v.linearizable);
}

RC_GTEST_PROP(Linearizability, AReadOfAValueNeverWrittenIsCaught, ()) {
  uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  auto h =
      registerHistory(seed, *rc::gen::inRange(1, 6), *rc::gen::inRange(2, 25));
  std::vector<size_t> reads;
  for (size_t i = 0; i < h.size(); ++i)
    if (h[i].kind == K::Get && h[i].returnNs >= 0)
      reads.push_back(i);
  RC_PRE(!reads.empty());
  Op &r = h[reads[*rc::gen::inRange<size_t>(0, reads.size())]];
  r.read = "never-written";
  r.result = R::Ok;
  RC_ASSERT(!checkLinearizable(h).linearizable);
}

// Eight processes, 400 operations on one register, heavily overlapping:
// the memoised search answers without exhausting its budget.
TEST(Linearizability, LargeConcurrentHistoryIsCheckedWithinBudget) {
  auto h = registerHistory(7, 8, 50, /*infos=*/false);
  Verdict v = checkLinearizable(h);
  EXPECT_FALSE(v.exhausted);
  EXPECT_TRUE(v.linearizable) << v.explanation;
  EXPECT_EQ(v.ops, 400u);
}
