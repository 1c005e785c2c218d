// The pool: dedup, per-type and per-field indexes, quorum counting of
// distinct issuers per record value.
#include "runtime/pool/Pool.h"

#include <gtest/gtest.h>

using namespace mommie::rt;

namespace {
Statement reply(int issuer, int verifier, int64_t res) {
  return Statement{issuer, Value::set({Value::principal(verifier)}), Value::set({}),
                   Value::record(1, {Value::integer(7), Value::integer(res)})};
}
} // namespace

TEST(Pool, DedupAndIndexes) {
  Pool pool(2);
  pool.addFieldIndex(1, 1);
  EXPECT_TRUE(pool.insert(reply(0, 4, 10)).second);
  EXPECT_FALSE(pool.insert(reply(0, 4, 10)).second); // same statement
  EXPECT_TRUE(pool.insert(reply(1, 4, 10)).second);
  EXPECT_TRUE(pool.insert(reply(2, 4, 10)).second);
  EXPECT_TRUE(pool.insert(reply(3, 4, 11)).second);
  EXPECT_EQ(pool.size(), 4u);
  EXPECT_EQ(pool.ofType(1).size(), 4u);
  EXPECT_EQ(pool.ofType(0).size(), 0u);
  EXPECT_EQ(pool.valuesOf(1).size(), 2u);
  EXPECT_EQ(pool.byField(1, 1, Value::integer(10)).size(), 3u);
  EXPECT_EQ(pool.byField(1, 1, Value::integer(12)).size(), 0u);
  EXPECT_THROW(pool.byField(1, 0, Value::integer(7)), EvalError);
  // Quorum: distinct issuers among R0..R3 of the same record value.
  Value v10 = pool.valuesOf(1)[0];
  Value iss = pool.issuersOf(1, v10, [](const Statement &s) { return s.issuer < 4; });
  EXPECT_EQ(iss.size(), 3u);
  Value onlyTwo = pool.issuersOf(1, v10, [](const Statement &s) { return s.issuer < 2; });
  EXPECT_EQ(onlyTwo.size(), 2u);
  // The same issuer with another verifier counts once.
  EXPECT_TRUE(pool.insert(reply(0, 5, 10)).second);
  EXPECT_EQ(pool.issuersOf(1, v10, [](const Statement &) { return true; }).size(), 3u);
  // Unknown record types are refused.
  Statement bad = reply(0, 4, 1);
  bad.msg = Value::record(9, {});
  EXPECT_FALSE(pool.insert(bad).second);
}

TEST(Statement, RoundTrip) {
  Statement s = reply(2, 4, 10);
  s.auditors = Value::set({Value::principal(1), Value::principal(0)});
  Writer w;
  s.encode(w);
  Reader r(w.buffer());
  Statement back;
  ASSERT_TRUE(Statement::decode(r, back));
  EXPECT_TRUE(r.atEnd());
  EXPECT_EQ(back, s);
  // A verifier set holding a non-principal is malformed.
  Writer bad;
  bad.varint(0);
  Value::set({Value::integer(1)}).encode(bad);
  Value::set({}).encode(bad);
  Value::record(0, {}).encode(bad);
  Reader rb(bad.buffer());
  EXPECT_FALSE(Statement::decode(rb, back));
}
