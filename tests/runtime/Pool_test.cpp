// The pool: dedup, per-type and per-field indexes, quorum counting of
// distinct issuers per record value.
#include "runtime/pool/Pool.h"

#include <gtest/gtest.h>

using namespace mommie::rt;

namespace {
Statement reply(int issuer, int verifier, int64_t res) {
  return Statement{issuer, Value::set({Value::principal(verifier)}),
                   Value::set({}),
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
  Value iss =
      pool.issuersOf(1, v10, [](const Statement &s) { return s.issuer < 4; });
  EXPECT_EQ(iss.size(), 3u);
  Value onlyTwo =
      pool.issuersOf(1, v10, [](const Statement &s) { return s.issuer < 2; });
  EXPECT_EQ(onlyTwo.size(), 2u);
  // The same issuer with another verifier counts once.
  EXPECT_TRUE(pool.insert(reply(0, 5, 10)).second);
  EXPECT_EQ(
      pool.issuersOf(1, v10, [](const Statement &) { return true; }).size(),
      3u);
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

// Removal (retire clauses): out of every index; ofType and valuesOf keep
// positions (tombstones) until more than half their entries are dead.
TEST(Pool, RemoveLeavesTombstonesThenCompacts) {
  Pool pool(2);
  pool.addFieldIndex(1, 1);
  std::vector<StmtId> ids;
  for (int64_t res = 0; res < 4; ++res)
    for (int issuer = 0; issuer < 2; ++issuer)
      ids.push_back(pool.insert(reply(issuer, 4, res)).first);
  ASSERT_EQ(pool.size(), 8u);
  // Both statements carrying res 0: value 0 is gone.
  pool.remove(ids[0]);
  pool.remove(ids[1]);
  EXPECT_EQ(pool.size(), 6u);
  EXPECT_EQ(pool.sizeOf(1), 6u);
  EXPECT_EQ(pool.removed(), 2u);
  EXPECT_EQ(pool.ofType(1).size(), 8u); // two tombstones
  EXPECT_EQ(pool.ofType(1)[0], kDeadStmt);
  EXPECT_EQ(pool.valuesOf(1).size(), 4u);
  EXPECT_FALSE(pool.valueLive(1, 0));
  EXPECT_TRUE(pool.valueLive(1, 1));
  EXPECT_TRUE(pool.byField(1, 1, Value::integer(0)).empty());
  Value v0 = Value::record(1, {Value::integer(7), Value::integer(0)});
  EXPECT_TRUE(pool.withValue(1, v0).empty());
  EXPECT_FALSE(pool.contains(reply(0, 4, 0)));
  // One of two statements carrying res 1: the value stays.
  pool.remove(ids[2]);
  EXPECT_TRUE(pool.valueLive(1, 1));
  EXPECT_EQ(pool.byField(1, 1, Value::integer(1)).size(), 1u);
  EXPECT_EQ(pool.issuersOf(1, pool.valuesOf(1)[1],
                           [](const Statement &) { return true; })
                .size(),
            1u);
  // Removing twice is harmless.
  pool.remove(ids[2]);
  EXPECT_EQ(pool.size(), 5u);
  // A fifth removal makes tombstones the majority: ofType is compacted.
  pool.remove(ids[3]);
  pool.remove(ids[4]);
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.ofType(1).size(), 3u);
  for (StmtId id : pool.ofType(1))
    EXPECT_NE(id, kDeadStmt);
  // valuesOf: res 0 and 1 dead, 2 (one statement left) and 3 live: not
  // yet a majority of tombstones.
  EXPECT_EQ(pool.valuesOf(1).size(), 4u);
  EXPECT_FALSE(pool.valueLive(1, 1));
  EXPECT_TRUE(pool.valueLive(1, 2));
  // A removed statement may come back (the node refuses retired ones);
  // it reuses a freed id.
  auto [id, fresh] = pool.insert(reply(0, 4, 0));
  EXPECT_TRUE(fresh);
  EXPECT_LT(id, 8u);
  EXPECT_EQ(pool.at(id), reply(0, 4, 0));
  EXPECT_EQ(pool.size(), 4u);
  EXPECT_EQ(pool.byField(1, 1, Value::integer(0)).size(), 1u);
}

TEST(Pool, CompactionRemapsConsumedPositions) {
  Pool pool(2);
  Consumed all, values;
  pool.attach(all, 1, Pool::Index::OfType);
  pool.attach(values, 1, Pool::Index::Values);
  std::vector<StmtId> ids;
  for (int64_t res = 0; res < 10; ++res)
    ids.push_back(pool.insert(reply(0, 4, res)).first);
  for (size_t k : {0, 1, 2, 3, 7})
    all.set(k);
  values.set(8);
  EXPECT_EQ(all.cursor(), 4u);
  // Remove res 0, 1, 4, 5, 6, 9: compaction after the sixth.
  for (size_t k : {0, 1, 4, 5, 6, 9})
    pool.remove(ids[k]);
  ASSERT_EQ(pool.ofType(1).size(), 4u); // res 2, 3, 7, 8
  EXPECT_EQ(pool.at(pool.ofType(1)[2]).msg.field(1), Value::integer(7));
  EXPECT_TRUE(all.test(0));  // res 2
  EXPECT_TRUE(all.test(1));  // res 3
  EXPECT_TRUE(all.test(2));  // res 7
  EXPECT_FALSE(all.test(3)); // res 8
  EXPECT_EQ(all.cursor(), 3u);
  ASSERT_EQ(pool.valuesOf(1).size(), 4u);
  EXPECT_EQ(pool.valuesOf(1)[3].field(1), Value::integer(8));
  EXPECT_TRUE(values.test(3));
  EXPECT_FALSE(values.test(2));
  EXPECT_EQ(values.cursor(), 0u);
}
