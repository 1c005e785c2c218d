// The checker's retire check (checker/Retire.h) on the programs of this
// folder: a sound set of retire clauses passes without changing the state
// space; a clause that hides a statement a `!KNOWN` guard still reads, and
// one whose condition is not monotone, are reported with a shortest trace
// to the state where collecting changes behaviour, by the exhaustive search
// (with and without symmetry) and by simulation.
#include "../checker/Support.h"

#include "checker/Retire.h"
#include "checker/Simulate.h"

#include <fstream>
#include <set>

using namespace mommie;
using namespace mommie::checker;
using namespace mommie::checker::testing;

namespace {

std::string programPath(const std::string &name) {
  return sourceDir() + "/tests/retire/" + name;
}

CheckResult check(const ir::Program &p, bool retireCheck,
                  bool symmetry = false) {
  CheckOptions o;
  o.symmetry = symmetry;
  o.progress = false;
  o.retireCheck = retireCheck;
  return explore(p, o);
}

// The last state of `r`'s trace fails the retire check, no state before it
// does.
void expectFailsAtEnd(const ir::Program &p, const CheckResult &r) {
  ASSERT_FALSE(r.trace.empty());
  Layout layout(p);
  Generator gen(layout);
  RetireCheck retire(gen);
  for (size_t i = 0; i + 1 < r.trace.size(); ++i)
    EXPECT_FALSE(retire.check(r.trace[i].state)) << "step " << i;
  auto f = retire.check(r.trace.back().state);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, r.name);
}

TEST(RetireCheck, SoundClausesPassWithTheSameStateSpace) {
  auto p = compilePath(programPath("retire_ok.mom"));
  ASSERT_TRUE(p);
  auto on = check(*p, true), off = check(*p, false);
  EXPECT_EQ(on.verdict, CheckResult::Verdict::Ok) << on.name << "\n"
                                                  << on.message;
  EXPECT_EQ(off.verdict, CheckResult::Verdict::Ok);
  EXPECT_EQ(on.distinct, 7779u);
  EXPECT_EQ(on.distinct, off.distinct);
  EXPECT_EQ(on.generated, off.generated);
  auto sym = check(*p, true, true);
  EXPECT_EQ(sym.verdict, CheckResult::Verdict::Ok) << sym.name << "\n"
                                                   << sym.message;
}

TEST(RetireCheck, SomethingIsRetiredInTheSoundProgram) {
  // The shortest trace to a state where the client accepted its request,
  // through an invariant that says it never does.
  std::ifstream in(programPath("retire_ok.mom"));
  std::string source((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
  source +=
      "invariant NeverAccepted: forall c in C: Client.accepted[c] == 0;\n";
  auto p = compileSource(source, {{"NumReq", 1}});
  ASSERT_TRUE(p);
  auto r = check(*p, true);
  ASSERT_EQ(r.name, "NeverAccepted");
  Layout layout(*p);
  Generator gen(layout);
  RetireCheck retire(gen);
  ASSERT_TRUE(retire.active());
  // The replies the client got are retired, and so are the executed
  // requests and orders of the replicas that sent them.
  const State &s = r.trace.back().state;
  auto retired = retire.retired(s);
  std::set<int> records;
  for (const auto &x : retired)
    records.insert(x.record);
  EXPECT_EQ(records.size(), 3u);
  EXPECT_GE(retired.size(), 2u + 2u + 2u);
  State h = retire.hide(s);
  EXPECT_TRUE(retire.retired(h).empty());
  EXPECT_FALSE(retire.check(s));
}

TEST(RetireCheck, ReportsARetiredStatementAGuardStillReads) {
  auto p = compilePath(programPath("retire_reads_known.mom"), {{"NumReq", 1}});
  ASSERT_TRUE(p);
  auto r = check(*p, true);
  ASSERT_EQ(r.verdict, CheckResult::Verdict::InvariantViolated) << r.name;
  EXPECT_EQ(r.name, "Retire(Replica:28)");
  EXPECT_EQ(r.trace.size(), 8u); // 7 steps: order, deliver, execute at a backup
  EXPECT_NE(r.message.find("Replica.Suspect"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("which the model cannot take"), std::string::npos)
      << r.message;
  expectFailsAtEnd(*p, r);
  // Under symmetry the trace is as short.
  auto sym = check(*p, true, true);
  EXPECT_EQ(sym.name, r.name);
  EXPECT_EQ(sym.trace.size(), r.trace.size());
  // Without the check the program is fine (its state space is unchanged).
  EXPECT_EQ(check(*p, false).verdict, CheckResult::Verdict::Ok);
}

TEST(RetireCheck, ReportsAConditionThatIsNotMonotone) {
  auto p = compilePath(programPath("retire_not_monotone.mom"));
  ASSERT_TRUE(p);
  auto r = check(*p, true);
  ASSERT_EQ(r.verdict, CheckResult::Verdict::InvariantViolated) << r.name;
  EXPECT_EQ(r.name, "Retire(Replica:25)");
  EXPECT_NE(r.message.find("no longer retired"), std::string::npos)
      << r.message;
  expectFailsAtEnd(*p, r);
}

TEST(RetireCheck, SimulationFindsTheUnsoundClause) {
  auto p = compilePath(programPath("retire_reads_known.mom"), {{"NumReq", 1}});
  ASSERT_TRUE(p);
  SimulateOptions so;
  so.runs = 2000;
  so.depth = 40;
  auto r = simulate(*p, so);
  ASSERT_EQ(r.verdict, CheckResult::Verdict::InvariantViolated) << r.name;
  EXPECT_EQ(r.name, "Retire(Replica:28)");
  expectFailsAtEnd(*p, r);
  so.retireCheck = false;
  EXPECT_EQ(simulate(*p, so).verdict, CheckResult::Verdict::Ok);
}

TEST(RetireCheck, ProgramsWithoutRetireClausesSkipTheCheck) {
  auto p = compilePath(sourceDir() + "/examples/two_phase_commit.mom");
  ASSERT_TRUE(p);
  Layout layout(*p);
  Generator gen(layout);
  EXPECT_FALSE(RetireCheck(gen).active());
}

} // namespace
