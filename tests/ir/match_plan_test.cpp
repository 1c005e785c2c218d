// ir::planMatch: the levels, checks, index choices and guard placements of
// a few transitions, spelled out.
#include "frontend/Frontend.h"
#include "ir/MatchPlan.h"

#include <gtest/gtest.h>

namespace {

using mommie::DiagnosticEngine;
namespace ir = mommie::ir;
using CK = ir::MatchCheck::Kind;
using Checks = std::vector<ir::MatchCheck>;

const char *kSource = R"(
protocol Plan;
principals R[3];
principals C[1];
record Req { n: 1..3, sn: 0..3 }
record Vote { r: 1..3 }
record Order { m: Req, seqNo: 0..3 }

role Node at R {
  var next: 0..3 = 0;
  var done: bool = false;

  // The quorum's threshold reads q, bound by the next pattern.
  transition Threshold
    WHEN [iss R >= q.n, ME, NOONE] Vote v {{ r == q.n; }}
    ANDWHEN [c in C, ME, NOONE] Req q
    ANDWHEN [ME, _, NOONE] Order o
    IF card(iss) >= 2 && !done
  @@{ done <- true; @@}

  transition Set(k: 1..3)
    WHEN [R >= k, ME, NOONE] Vote* vs {{ r == q.n; }}
    ANDWHEN [ME, _, NOONE] Req q
    IF k > 1 && card(vs) >= k
  @@{ done <- true; @@}

  transition Index
    WHEN [ME, _, NOONE] Order o {{ m == q; seqNo == next; }}
    ANDWHEN [c in C, ME, NOONE] Req q {{ sn == next; }}
  @@{ next <- next + 1; @@}

  transition Failing(k: 1..3)
    WHEN [ME, _, NOONE] Req q
    ANDWHEN [ME, _, NOONE] Vote v
    IF 6 / k > 1 && q.n == k && v.r == q.n
  @@{ done <- true; @@}

  transition Early(k: 1..3)
    WHEN [ME, _, NOONE] Req q
    IF 6 / k > 1 && ME == R[0]
  @@{ done <- true; @@}
}

role Client at C {
  var x: 0..1 = 0;
}
)";

class MatchPlanTest : public ::testing::Test {
protected:
  void SetUp() override {
    DiagnosticEngine diags;
    program_ = mommie::frontend::compile("plan.mom", kSource, {}, diags);
    ASSERT_TRUE(program_);
  }
  const ir::Transition &transition(const std::string &name) const {
    for (const auto &t : program_->roles[0].transitions)
      if (t.name == name)
        return t;
    throw std::runtime_error("no transition " + name);
  }
  static int slot(const ir::Transition &t, const std::string &name) {
    for (size_t s = 0; s < t.slots.size(); ++s)
      if (t.slots[s].name == name)
        return int(s);
    throw std::runtime_error("no slot " + name);
  }
  static int level(const ir::MatchPlan &plan, int slot) {
    return size_t(slot) < plan.slotLevel.size() ? plan.slotLevel[size_t(slot)]
                                                : -1;
  }
  std::optional<ir::Program> program_;
};

ir::MatchCheck check(CK kind, int pattern, int index = -1) {
  return {kind, pattern, index};
}
ir::MatchCheck guard(int conjunct) { return {CK::Guard, -1, conjunct}; }

TEST_F(MatchPlanTest, QuorumRunsWhereItsThresholdIsBound) {
  const auto &t = transition("Threshold");
  ir::MatchPlan plan = ir::planMatch(t);
  EXPECT_EQ(level(plan, slot(t, "v")), 1);
  EXPECT_EQ(level(plan, slot(t, "q")), 2);
  EXPECT_EQ(level(plan, slot(t, "c")), 2);
  EXPECT_EQ(level(plan, slot(t, "iss")), 2); // bound by the quorum check
  EXPECT_EQ(level(plan, slot(t, "o")), 3);
  ASSERT_EQ(plan.checks.size(), 4u);
  EXPECT_EQ(plan.checks[0], Checks{});
  EXPECT_EQ(plan.checks[1], Checks{});
  EXPECT_EQ(plan.checks[2],
            (Checks{check(CK::Quorum, 0), check(CK::Constraint, 0, 0),
                    check(CK::Issuer, 1), check(CK::Verifier, 1), guard(0)}));
  EXPECT_EQ(plan.checks[3], Checks{check(CK::Issuer, 2)});
  // card(iss) >= 2 after the quorum binds iss; !done before every loop.
  EXPECT_EQ(plan.guardLevel,
            (std::vector<int>{2, ir::MatchPlan::kBeforeLoops}));
  EXPECT_FALSE(plan.guardEarly);
  for (const auto &a : plan.access)
    EXPECT_EQ(a.index, -1); // a quorum pattern reads no index
}

TEST_F(MatchPlanTest, StatementSetIsCollectedLastAtItsLevel) {
  const auto &t = transition("Set");
  ir::MatchPlan plan = ir::planMatch(t);
  EXPECT_EQ(level(plan, slot(t, "k")), 0);
  EXPECT_EQ(level(plan, slot(t, "vs")), 2); // its constraint reads q
  EXPECT_EQ(plan.checks[0], Checks{guard(0)});
  EXPECT_EQ(plan.checks[1], Checks{});
  EXPECT_EQ(plan.checks[2],
            (Checks{check(CK::Issuer, 1), check(CK::Quorum, 0)}));
  // card(vs) >= k needs the innermost level: tested when firing.
  EXPECT_EQ(plan.guardLevel, (std::vector<int>{0, 2}));
  EXPECT_TRUE(plan.testedWhenFiring(1));
  EXPECT_EQ(plan.access[0].index, -1);
}

TEST_F(MatchPlanTest, EqualityConstraintBoundEarlierIsAnIndex) {
  const auto &t = transition("Index");
  ir::MatchPlan plan = ir::planMatch(t);
  // Order o: `seqNo == next` reads no pattern variable; `m == q` waits for q.
  EXPECT_EQ(plan.access[0].index, 1);
  EXPECT_EQ(plan.access[0].joinPattern, -1);
  // Req q is o.m, looked up by value; its own `sn == next` is then checked.
  EXPECT_EQ(plan.access[1].joinPattern, 0);
  EXPECT_EQ(plan.access[1].joinConstraint, 0);
  EXPECT_EQ(plan.access[1].index, -1);
  EXPECT_EQ(plan.checks[1],
            (Checks{check(CK::Issuer, 0), check(CK::Constraint, 0, 1)}));
  EXPECT_TRUE(plan.constraintIsIndex(plan.checks[1][1]));
  EXPECT_EQ(plan.checks[2],
            (Checks{check(CK::Constraint, 0, 0), check(CK::Issuer, 1),
                    check(CK::Verifier, 1), check(CK::Constraint, 1, 0)}));
  EXPECT_FALSE(plan.constraintIsIndex(plan.checks[2][3]));
}

TEST_F(MatchPlanTest, ConjunctThatCanFailStaysInnermost) {
  const auto &t = transition("Failing");
  ir::MatchPlan plan = ir::planMatch(t);
  ASSERT_EQ(plan.guard.size(), 3u);
  // 6 / k can divide by zero; v.r == q.n needs the innermost level.
  EXPECT_EQ(plan.guardLevel, (std::vector<int>{2, 1, 2}));
  EXPECT_EQ(plan.checks[1], (Checks{check(CK::Issuer, 0), guard(1)}));
  EXPECT_FALSE(plan.guardEarly);
  // Keeping errors, q.n == k may not run before 6 / k does.
  ir::MatchPlanOptions keep;
  keep.keepGuardErrors = true;
  ir::MatchPlan kept = ir::planMatch(t, keep);
  EXPECT_EQ(kept.guardLevel, (std::vector<int>{2, 2, 2}));
  EXPECT_EQ(kept.checks[1], Checks{check(CK::Issuer, 0)});
}

TEST_F(MatchPlanTest, GuardWithoutPatternVariablesIsEarly) {
  const auto &t = transition("Early");
  ir::MatchPlan plan = ir::planMatch(t);
  EXPECT_TRUE(plan.guardEarly);
  EXPECT_EQ(plan.guardLevel,
            (std::vector<int>{1, ir::MatchPlan::kBeforeLoops}));
  ir::MatchPlanOptions keep;
  keep.keepGuardErrors = true;
  EXPECT_EQ(ir::planMatch(t, keep).guardLevel, (std::vector<int>{1, 1}));
}

TEST(CannotFail, ArithmeticAndCallsMayFail) {
  DiagnosticEngine diags;
  auto p = mommie::frontend::compile("plan.mom", kSource, {}, diags);
  ASSERT_TRUE(p);
  const auto &failing = p->roles[0].transitions[3];
  auto conj = ir::conjuncts(*failing.guard);
  ASSERT_EQ(conj.size(), 3u);
  EXPECT_FALSE(ir::cannotFail(*conj[0]));
  EXPECT_TRUE(ir::cannotFail(*conj[1]));
  EXPECT_TRUE(ir::cannotFail(*conj[2]));
}

} // namespace
