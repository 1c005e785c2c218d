// Runtime values: canonical order, encoding round trips, strict decoding
// (truncated, oversized, non-canonical and random garbage never crash).
#include "runtime/pool/Statement.h"
#include "runtime/wire/Ops.h"
#include "runtime/wire/Value.h"

#include <gtest/gtest.h>

#include <random>

using namespace mommie::rt;

namespace {

Value sample() {
  Value req = Value::record(0, {Value::principal(4), Value::integer(-3)});
  return Value::record(
      1, {req,
          Value::set({Value::integer(3), Value::integer(1), Value::integer(3)}),
          Value::map({{Value::integer(2), Value::none()},
                      {Value::integer(1), Value::some(Value::boolean(true))}}),
          Value::seq({Value::integer(7)}),
          Value::tuple({Value::principal(0), Value::boolean(false)})});
}

Value randomValue(std::mt19937 &rng, int depth) {
  int k = int(rng() % (depth > 3 ? 3 : 9));
  auto elems = [&](size_t n) {
    Value::Elems es;
    for (size_t i = 0; i < n; ++i)
      es.push_back(randomValue(rng, depth + 1));
    return es;
  };
  switch (k) {
  case 0:
    return Value::boolean(rng() & 1);
  case 1:
    return Value::integer(int64_t(rng()) - (1ll << 31));
  case 2:
    return Value::principal(rng() % 10);
  case 3:
    return rng() & 1 ? Value::none() : Value::some(randomValue(rng, depth + 1));
  case 4:
    return Value::record(int(rng() % 4), elems(rng() % 4));
  case 5:
    return Value::tuple(elems(rng() % 4));
  case 6:
    return Value::seq(elems(rng() % 4));
  case 7:
    return Value::set(elems(rng() % 5));
  default: {
    std::vector<std::pair<Value, Value>> es;
    for (size_t i = rng() % 4; i > 0; --i)
      es.emplace_back(randomValue(rng, depth + 1), randomValue(rng, depth + 1));
    return Value::map(es);
  }
  }
}

} // namespace

TEST(Value, SetsAreSortedAndDeduplicated) {
  Value s =
      Value::set({Value::integer(3), Value::integer(1), Value::integer(3)});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.elems()[0].asInt(), 1);
  EXPECT_EQ(s.elems()[1].asInt(), 3);
  EXPECT_EQ(s, Value::set({Value::integer(1), Value::integer(3)}));
  EXPECT_EQ(s.hash(),
            Value::set({Value::integer(1), Value::integer(3)}).hash());
}

TEST(Value, RoundTripAndJson) {
  Value v = sample();
  std::string enc = v.encoded();
  Reader r(enc);
  Value back;
  ASSERT_TRUE(Value::decode(r, back));
  EXPECT_TRUE(r.atEnd());
  EXPECT_EQ(back, v);
  EXPECT_EQ(back.encoded(), enc);
  Names names;
  names.principals = {"R0", "R1", "R2", "R3", "C0"};
  names.records = {"Request", "Big"};
  names.fields = {{"client", "op"}, {"a", "b", "c", "d", "e"}};
  EXPECT_EQ(Value::record(0, {Value::principal(4), Value::integer(-3)})
                .toJson(&names),
            "{\"$record\":\"Request\",\"client\":\"C0\",\"op\":-3}");
}

TEST(Value, RandomValuesRoundTrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    Value v = randomValue(rng, 0);
    std::string enc = v.encoded();
    Reader r(enc);
    Value back;
    ASSERT_TRUE(Value::decode(r, back)) << v.toJson();
    ASSERT_TRUE(r.atEnd());
    ASSERT_EQ(back, v);
    ASSERT_EQ(back.compare(v), 0);
  }
}

// Copy on write: a copy shares its elements until one side mutates, and
// the mutation never shows through the other copy.
TEST(Value, CopyOnWrite) {
  Value a = Value::set({Value::integer(1), Value::integer(3)});
  Value b = a;
  EXPECT_TRUE(a.sameRep(b));
  EXPECT_TRUE(b.setInsert(Value::integer(2)));
  EXPECT_FALSE(b.setInsert(Value::integer(2)));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(
      b, Value::set({Value::integer(1), Value::integer(2), Value::integer(3)}));
  const Value::Elems *before = &b.elems();
  EXPECT_TRUE(b.setErase(Value::integer(1))); // unshared now: in place
  EXPECT_EQ(&b.elems(), before);
  EXPECT_FALSE(b.setErase(Value::integer(1)));
  EXPECT_EQ(b, Value::set({Value::integer(2), Value::integer(3)}));

  Value m = Value::map({{Value::integer(1), Value::boolean(false)}});
  Value m2 = m;
  m2.mapPut(Value::integer(0), Value::boolean(true));
  *m2.mapFindMut(Value::integer(1)) = Value::boolean(true);
  EXPECT_EQ(m2.encoded(),
            Value::map({{Value::integer(0), Value::boolean(true)},
                        {Value::integer(1), Value::boolean(true)}})
                .encoded());
  EXPECT_EQ(m, Value::map({{Value::integer(1), Value::boolean(false)}}));
  EXPECT_EQ(m2.mapFindMut(Value::integer(5)), nullptr);

  // A nested update along a path clones only the shared levels.
  Value r = sample(), orig = r;
  ops::PathStep path[] = {ops::PathStep::field_(2),
                          ops::PathStep::key_(Value::integer(2))};
  ops::assignInPlace(r, path, 2, Value::some(Value::integer(9)));
  EXPECT_EQ(orig, sample());
  EXPECT_EQ(ops::index(r.field(2), Value::integer(2)),
            Value::some(Value::integer(9)));
  EXPECT_TRUE(
      r.field(0).sameRep(orig.field(0))); // untouched fields stay shared
  EXPECT_EQ(
      ops::assignAt(orig, {path[0], path[1]}, Value::some(Value::integer(9))),
      r);
  try {
    ops::assignInPlace(r, path + 1, 1, Value::none()); // a record is no map
    ADD_FAILURE();
  } catch (const EvalError &) {
  }
  try {
    ops::index(Value::map({}), Value::principal(3));
    ADD_FAILURE();
  } catch (const EvalError &e) {
    EXPECT_TRUE(e.hasOperand);
    EXPECT_EQ(e.message, "map lookup outside the domain");
    EXPECT_EQ(e.operand, Value::principal(3));
  }
}

TEST(Value, TruncatedInputFailsCleanly) {
  std::string enc = sample().encoded();
  for (size_t n = 0; n < enc.size(); ++n) {
    Reader r(reinterpret_cast<const uint8_t *>(enc.data()), n);
    Value v;
    EXPECT_FALSE(Value::decode(r, v)) << "prefix of " << n << " bytes decoded";
    EXPECT_FALSE(r.ok());
  }
}

TEST(Value, RejectsNonCanonicalAndOversized) {
  // A set {2, 1} written out of order.
  Writer w;
  w.u8(uint8_t(Kind::Set));
  w.varint(2);
  Value::integer(2).encode(w);
  Value::integer(1).encode(w);
  Reader r(w.buffer());
  Value v;
  EXPECT_FALSE(Value::decode(r, v));
  // A sequence claiming 2^40 elements.
  Writer big;
  big.u8(uint8_t(Kind::Seq));
  big.varint(uint64_t(1) << 40);
  Reader r2(big.buffer());
  EXPECT_FALSE(Value::decode(r2, v));
  // Deep nesting beyond the limit.
  Writer deep;
  for (int i = 0; i < 100; ++i) {
    deep.u8(uint8_t(Kind::Option));
    deep.varint(1);
  }
  deep.u8(uint8_t(Kind::Bool));
  deep.u8(0);
  Reader r3(deep.buffer());
  EXPECT_FALSE(Value::decode(r3, v));
  // Non-canonical varint (redundant zero group).
  std::vector<uint8_t> nc = {uint8_t(Kind::Int), 0x80, 0x00};
  Reader r4(nc);
  EXPECT_FALSE(Value::decode(r4, v));
}

TEST(Value, RandomGarbageNeverCrashes) {
  std::mt19937 rng(12345);
  int decoded = 0;
  for (int i = 0; i < 100000; ++i) {
    std::vector<uint8_t> buf(rng() % 64);
    for (auto &b : buf)
      b = uint8_t(rng());
    // Bias toward plausible tags.
    if (!buf.empty())
      buf[0] = uint8_t(1 + rng() % 10);
    Reader r(buf);
    Value v;
    if (Value::decode(r, v)) {
      ++decoded;
      // Whatever decodes re-encodes to the same bytes (canonical).
      std::string re = v.encoded();
      ASSERT_EQ(re,
                std::string(buf.begin(),
                            buf.begin() + long(buf.size() - r.remaining())));
    }
    Reader r2(buf);
    Statement s;
    Statement::decode(r2, s);
  }
  EXPECT_GT(decoded, 0);
}

TEST(Ops, ModelArithmetic) {
  using namespace mommie::rt::ops;
  EXPECT_EQ(div(I(-7), I(2)).asInt(), -4); // floor
  EXPECT_EQ(mod(I(-7), I(3)).asInt(), 2);
  EXPECT_THROW(div(I(1), I(0)), EvalError);
  EXPECT_THROW(add(I(INT64_MAX), I(1)), EvalError);
  EXPECT_THROW(get(Value::none()), EvalError);
  Value m = Value::map({{I(0), Value::none()}, {I(1), Value::none()}});
  Value m2 = assignAt(m, {PathStep::key_(I(1))}, Value::some(I(9)));
  EXPECT_EQ(index(m2, I(1)), Value::some(I(9)));
  EXPECT_EQ(index(m, I(1)), Value::none()); // copy on write
  EXPECT_THROW(assignAt(m, {PathStep::key_(I(5))}, I(0)), EvalError);
  EXPECT_EQ(card(setUnion(rangeSet(0, 3), rangeSet(2, 5))).asInt(), 6);
  EXPECT_TRUE(subsetEq(rangeSet(1, 2), rangeSet(0, 3)).asBool());
  EXPECT_EQ(setDiff(rangeSet(0, 3), rangeSet(1, 2)), Value::set({I(0), I(3)}));
  EXPECT_EQ(maxOf(rangeSet(0, 3)).asInt(), 3);
}
