// Liveness (`property`, `fairness`; docs/checker.md): a counterexample is a
// lasso, fairness rules out the one that only stutters, and the summary
// counts the time and memory of both searches (it printed zeros when the
// property failed).
#include "Support.h"

#include "checker/Report.h"

using namespace mommie::checker;
using namespace mommie::checker::testing;

namespace {

const char *kCounters = R"(
protocol Reach;
principals P[2];
role R at P {
  var x: 0..3 = 0;
  transition Inc IF x < 3 @@{ x <- x + 1; @@}
}
property AllReachThree: <>(forall p in P: R.x[p] == 3);
terminate when forall p in P: R.x[p] == 3;
)";

} // namespace

TEST(Liveness, WithoutFairnessTheLassoStutters) {
  auto p = compileSource(kCounters);
  ASSERT_TRUE(p);
  auto r = run(*p);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::PropertyViolated);
  EXPECT_EQ(r.name, "AllReachThree");
  ASSERT_FALSE(r.trace.empty());
  EXPECT_GE(r.loopStart, 0);
  EXPECT_LT(size_t(r.loopStart), r.trace.size());
  // The loop is the last state repeating, and the report says so.
  EXPECT_TRUE(r.stutters);
  EXPECT_EQ(size_t(r.loopStart), r.trace.size() - 1);
  std::string text = formatText(*p, r);
  EXPECT_NE(text.find("-- stuttering: state " + std::to_string(r.loopStart) +
                      " repeats for ever"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("back to state"), std::string::npos) << text;
  // The statistics cover the searches that ran.
  EXPECT_EQ(r.distinct, 16u);
  EXPECT_GT(r.seconds, 0.0);
  EXPECT_GT(r.peakRssBytes, 0u);
}

TEST(Liveness, WeakFairnessMakesItHold) {
  auto p = compileSource(std::string(kCounters) + "fairness weak;\n");
  ASSERT_TRUE(p);
  auto r = run(*p);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok) << r.message;
  EXPECT_EQ(r.distinct, 16u);
  EXPECT_GT(r.seconds, 0.0);
  EXPECT_GT(r.peakRssBytes, 0u);
}

// A property that fails even under fairness: x stops at 2 for P0.
TEST(Liveness, FairnessDoesNotHideARealViolation) {
  std::string src = kCounters;
  src.replace(src.find("IF x < 3"), 8, "IF x < 3 && (ME != P[0] || x < 2)");
  src.replace(src.find("terminate when"), std::string::npos,
              "fairness weak;\n");
  auto p = compileSource(src);
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, /*deadlock=*/false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::PropertyViolated);
  EXPECT_GE(r.loopStart, 0);
}

// A fair loop that is not a stutter: Toggle is always enabled and taken,
// and `done` never becomes true. The report shows the loop's steps and
// the state it goes back to.
TEST(Liveness, AFairLoopIsShownAsALoop) {
  auto p = compileSource(R"(
protocol Toggle;
principals P[1];
role R at P {
  var x: 0..1 = 0;
  var done: bool = false;
  transition Flip @@{ x <- 1 - x; @@}
}
property Done: <>(forall p in P: R.done[p]);
fairness weak;
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, /*deadlock=*/false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::PropertyViolated);
  EXPECT_FALSE(r.stutters);
  ASSERT_GE(r.loopStart, 0);
  std::string text = formatText(*p, r);
  EXPECT_NE(text.find("-- the loop starts here --"), std::string::npos) << text;
  EXPECT_NE(
      text.find("-- back to state " + std::to_string(r.loopStart) + " --"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("stuttering"), std::string::npos) << text;
}

// A temporal form the fair-lasso search does not handle is an error at the
// property's declaration, never a property reported to hold.
TEST(Liveness, AnUnsupportedFormIsAnErrorNotAPass) {
  std::string src = kCounters;
  src.replace(src.find("<>(forall"), 2, "<>[]<>");
  auto p = compileSource(src + "fairness weak;\n");
  ASSERT_TRUE(p);
  auto r = run(*p);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::EvalError);
  EXPECT_NE(r.message.find("does not support"), std::string::npos) << r.message;
  EXPECT_TRUE(r.propertiesHeld.empty());
}

// The properties that hold are named, with the liveness graph's size: all
// 16 states, as the graph has no symmetry reduction.
TEST(Liveness, HoldingPropertiesAreNamed) {
  auto p = compileSource(std::string(kCounters) + "fairness weak;\n");
  ASSERT_TRUE(p);
  auto r = run(*p);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(r.propertiesHeld, std::vector<std::string>{"AllReachThree"});
  EXPECT_EQ(r.livenessStates, 16u);
}
