// Hand-counted state spaces of tiny programs: each test pins a distinct
// state count derived on paper from docs/semantics.md.
#include "Support.h"

#include "checker/Simulate.h"

using namespace mommie::checker;
using namespace mommie::checker::testing;

// Two independent counters 0..2: 3 * 3 states; (2, 2) deadlocks after 4
// steps.
TEST(Semantics, CountersAndDeadlock) {
  auto p = compileSource(R"(
protocol Counters;
principals R[2];
role Ro at R {
  var x: 0..2 = 0;
  transition Inc IF x < 2 @@{ x <- x + 1; @@}
}
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(r.distinct, 9u);
  auto d = run(*p, false, 1, true);
  EXPECT_EQ(d.verdict, CheckResult::Verdict::Deadlock);
  EXPECT_EQ(d.trace.size(), 5u); // initial state + 4 steps
}

// Symmetry: the two counters are interchangeable, 6 orbits of 9 states.
TEST(Semantics, CountersSymmetry) {
  auto p = compileSource(R"(
protocol Counters;
principals R[2];
role Ro at R {
  var x: 0..2 = 0;
  transition Inc IF x < 2 @@{ x <- x + 1; @@}
}
terminate when forall p in R: x[p] == 2;
)");
  ASSERT_TRUE(p);
  auto r = run(*p, true);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(r.distinct, 6u);
  EXPECT_NE(r.symmetry.find("on"), std::string::npos);
}

// A set whose group order overflows 64 bits (100000!) is too large to
// reduce, like one of 8 members; it used to wrap around to 0, be reduced,
// and its first state's canonical form enumerated its orderings for ever
// (`check -D N=100000 --max-states 10000` never stopped).
TEST(Semantics, HugeSymmetricSetIsNotReduced) {
  for (int n : {8, 64, 100000}) {
    auto p =
        compileSource("protocol Big;\nprincipals R[" + std::to_string(n) + R"(];
role Ro at R {
  var x: 0..1 = 0;
}
terminate when true;
)");
    ASSERT_TRUE(p);
    auto r = run(*p, true);
    EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok) << n;
    EXPECT_EQ(r.distinct, 1u) << n;
    EXPECT_NE(r.symmetry.find("group too large"), std::string::npos)
        << n << ": " << r.symmetry;
  }
}

// One sender, one receiver: init; Send(v) for v in 0..1 (2); Deliver (2);
// Recv fires once per binding (2). 7 states.
TEST(Semantics, PublishDeliverRefraction) {
  auto p = compileSource(R"(
protocol Ping;
principals S[1];
principals T[1];
record Ping { v: 0..1 }
role Sender at S {
  var sent: bool = false;
  transition Send(v: 0..1) IF !sent @@{
    PUBLISH [ME, T, NOONE] Ping(v);
    sent <- true;
  @@}
}
role Receiver at T {
  var got: option<0..1> = none;
  transition Recv WHEN [q in S, ME, NOONE] Ping p @@{ got <- some(p.v); @@}
}
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(r.distinct, 7u);
}

// Invariant violated after the shortest path: Send, Deliver, Recv.
TEST(Semantics, ShortestInvariantTrace) {
  auto p = compileSource(R"(
protocol Ping;
principals S[1];
principals T[1];
record Ping { v: 0..1 }
role Sender at S {
  var sent: bool = false;
  transition Send(v: 0..1) IF !sent @@{
    PUBLISH [ME, T, NOONE] Ping(v);
    sent <- true;
  @@}
}
role Receiver at T {
  var got: option<0..1> = none;
  transition Recv WHEN [q in S, ME, NOONE] Ping p @@{ got <- some(p.v); @@}
}
invariant NeverOne: forall t in T: Receiver.got[t] != some(1);
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::InvariantViolated);
  EXPECT_EQ(r.name, "NeverOne");
  ASSERT_EQ(r.trace.size(), 4u);
  EXPECT_EQ(r.trace[1].action.kind, Action::Kind::Transition);
  EXPECT_EQ(r.trace[2].action.kind, Action::Kind::Deliver);
  EXPECT_EQ(r.trace[3].action.kind, Action::Kind::Transition);
}

// A quorum pattern fires once per record, not per growing quorum: three
// voters each publish Vote(0) to the collector C0 (pool and known of the
// issuer change), deliveries follow; Decide needs 2 distinct issuers.
TEST(Semantics, QuorumOncePerRecord) {
  auto p = compileSource(R"(
protocol Q;
principals V[2];
principals C[1];
record Vote { x: 0..0 }
role Voter at V {
  var voted: bool = false;
  transition Cast IF !voted @@{ PUBLISH [ME, C, NOONE] Vote(0); voted <- true; @@}
}
role Collector at C {
  var decided: 0..3 = 0;
  transition Decide WHEN [V >= 2, ME, NOONE] Vote v @@{ decided <- decided + 1; @@}
}
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  // Per voter: not voted / voted+undelivered / delivered = 3 phases -> 9
  // combinations, plus the one state after Decide (both delivered).
  EXPECT_EQ(r.distinct, 10u);
}

// A statement set binds every matching statement, whatever its value, and
// fires once per binding of the other variables (here none): the two
// voters vote differently, so a plain quorum `[V >= 2, ME, NOONE] Vote v`
// never fires (9 states), while `Vote* vs` fires once, after both
// deliveries, with both votes.
TEST(Semantics, StatementSetOnceWithEveryVote) {
  const char *source = R"(
protocol S;
principals V[2];
principals C[1];
record Vote { x: 0..1 }
role Voter at V {
  var voted: bool = false;
  transition Cast IF !voted
  @@{ PUBLISH [ME, C, NOONE] Vote(if ME == V[0] then 0 else 1); voted <- true; @@}
}
role Collector at C {
  var fired: 0..3 = 0;
  var seen: set<0..1> = {};
  transition Decide WHEN [V >= 2, ME, NOONE] PATTERN
  @@{ fired <- fired + 1; SEEN @@}
}
invariant Once: forall c in C: Collector.fired[c] <= 1;
invariant BothVotes: forall c in C: Collector.fired[c] == 1 => Collector.seen[c] == {0, 1};
)";
  auto with = [&](const std::string &pattern, const std::string &seen) {
    std::string text = source;
    text.replace(text.find("PATTERN"), 7, pattern);
    text.replace(text.find("SEEN"), 4, seen);
    return text;
  };
  auto set = compileSource(with("Vote* vs", "seen <- { e.1.x : e in vs };"));
  ASSERT_TRUE(set);
  auto r = run(*set, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(r.distinct, 10u);
  auto quorum = compileSource(with("Vote v", "seen <- {v.x};"));
  ASSERT_TRUE(quorum);
  EXPECT_EQ(run(*quorum, false, 1, false).distinct, 9u);
}

// Evaluation error: map lookup outside the domain is reported with a trace.
TEST(Semantics, EvaluationError) {
  auto p = compileSource(R"(
protocol E;
principals R[1];
role Ro at R {
  var m: map<0..1, bool> = [k in 0..1 |-> false];
  var i: 0..2 = 0;
  transition Step IF i < 2 @@{ i <- i + 1; m[i] <- true; @@}
}
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::EvalError);
  EXPECT_EQ(r.trace.size(), 2u); // the error is raised expanding i = 1
}

// Model constraints (docs/semantics.md): unbounded counters bounded by a
// constraint. States with a counter at 3 are generated, checked against the
// invariants, and neither counted nor expanded: 3 * 3 states, as TLC counts
// with CONSTRAINT. No deadlock: (2, 2) has successors, all outside.
static const char *ConstrainedCounters = R"(
protocol Counters;
principals R[2];
role Ro at R {
  var x: int = 0;
  transition Inc @@{ x <- x + 1; @@}
}
constraint forall p in R: x[p] <= 2;
)";

TEST(Semantics, ConstraintBoundsTheSearch) {
  auto p = compileSource(ConstrainedCounters);
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, true);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(r.distinct, 9u);
  auto two = run(*p, false, 2, true);
  EXPECT_EQ(two.distinct, 9u);
  auto s = run(*p, true, 1, true);
  EXPECT_EQ(s.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(s.distinct, 6u);
}

// A state outside the constraints is still checked: x = 3 violates the
// invariant after 3 steps.
TEST(Semantics, ConstraintStatesAreChecked) {
  std::string src = std::string(ConstrainedCounters) +
                    "invariant Small: forall p in R: x[p] <= 2;\n";
  auto p = compileSource(src);
  ASSERT_TRUE(p);
  auto r = run(*p);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::InvariantViolated);
  EXPECT_EQ(r.name, "Small");
  EXPECT_EQ(r.trace.size(), 4u); // initial state + 3 steps
}

// Initial states outside the constraints are checked, not counted.
TEST(Semantics, ConstraintOnInitialStates) {
  auto p = compileSource(R"(
protocol Init;
principals R[1];
role Ro at R {
  var x: 0..5 in 0..5;
}
constraint forall p in R: x[p] <= 2;
invariant NotFive: forall p in R: x[p] != 5;
)");
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1, false);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::InvariantViolated);
  EXPECT_EQ(r.trace.size(), 1u);
}

// Random walks end at the first state outside the constraints, after
// checking it: with `x <= 3` as invariant no walk finds a violation, with
// `x <= 2` one does.
TEST(Semantics, ConstraintEndsSimulatedWalks) {
  SimulateOptions o;
  o.runs = 50;
  o.depth = 100;
  auto ok = compileSource(std::string(ConstrainedCounters) +
                          "invariant Le3: forall p in R: x[p] <= 3;\n");
  ASSERT_TRUE(ok);
  auto r = simulate(*ok, o);
  EXPECT_EQ(r.verdict, CheckResult::Verdict::Ok);
  EXPECT_LE(r.depth, 6u); // at most 2 + 2 steps inside, one step out
  auto bad = compileSource(std::string(ConstrainedCounters) +
                           "invariant Le2: forall p in R: x[p] <= 2;\n");
  ASSERT_TRUE(bad);
  EXPECT_EQ(simulate(*bad, o).verdict, CheckResult::Verdict::InvariantViolated);
}
