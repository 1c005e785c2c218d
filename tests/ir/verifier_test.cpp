// Unit tests of the IR verifier: a well-formed hand-built program passes,
// and each seeded structural defect is reported with a message naming it.
#include "IRBuilder.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

using namespace mommie::ir;
using namespace mommie::ir::testing;

namespace {

// Joins the messages, for failure output and substring checks.
std::string joined(const std::vector<std::string> &msgs) {
  std::string s;
  for (const auto &m : msgs)
    s += m + "\n";
  return s;
}

// True if some message contains `needle`.
bool reports(const Program &p, const std::string &needle) {
  for (const auto &m : verifyProgram(p))
    if (m.find(needle) != std::string::npos)
      return true;
  return false;
}

Transition &execute(Program &p) { return p.roles[0].transitions[0]; }

} // namespace

TEST(Verifier, WellFormedSampleHasNoProblems) {
  Program p = samplePrimaryBackup();
  auto msgs = verifyProgram(p);
  EXPECT_TRUE(msgs.empty()) << joined(msgs);
}

TEST(Verifier, SlotOutOfRange) {
  Program p = samplePrimaryBackup();
  auto pub = std::make_shared<Stmt>(*execute(p).body[1]);
  pub->verifier = slotRef(9, principalT(1));
  execute(p).body[1] = pub;
  auto msgs = verifyProgram(p);
  ASSERT_EQ(msgs.size(), 1u) << joined(msgs);
  EXPECT_EQ(msgs[0],
            "t.mom:1:1: role Replica: transition Execute: Slot: slot 9 "
            "out of range (frame has 4 slots)");
}

TEST(Verifier, PrincipalIdOutOfRange) {
  Program p = samplePrimaryBackup();
  execute(p).triggers[0].issuer.expr = principal(5, 0);
  EXPECT_TRUE(reports(p, "principal id 5 out of range (program has 5)"))
      << joined(verifyProgram(p));
}

TEST(Verifier, PrincipalSetsMustBeContiguous) {
  Program p = samplePrimaryBackup();
  p.principalSets[1].first = 5;
  EXPECT_TRUE(reports(p, "principal set C starts at id 5, expected 4"))
      << joined(verifyProgram(p));
  EXPECT_TRUE(reports(p, "numPrincipals is 5, principal sets cover 6"));
}

TEST(Verifier, NumPrincipalsMismatch) {
  Program p = samplePrimaryBackup();
  p.numPrincipals = 7;
  EXPECT_TRUE(reports(p, "numPrincipals is 7, principal sets cover 5"));
}

TEST(Verifier, MissingExpressionType) {
  Program p = samplePrimaryBackup();
  auto inc = std::make_shared<Stmt>(*execute(p).body[2]);
  auto lit = mk(ExprKind::IntLit, nullptr);
  inc->value = binary(Op::Add, stateVar(0, 0, rangeT(0, 2)), lit, intT());
  execute(p).body[2] = inc;
  EXPECT_TRUE(reports(p, "IntLit expression has no type"))
      << joined(verifyProgram(p));
}

TEST(Verifier, FieldIndexOutOfRange) {
  Program p = samplePrimaryBackup();
  p.funs[0].body = field(slotRef(0, recordT(0)), 2, intT());
  EXPECT_TRUE(
      reports(p, "fun execute: field index 2 out of range for record Request"))
      << joined(verifyProgram(p));
}

TEST(Verifier, ConstraintFieldOutOfRange) {
  Program p = samplePrimaryBackup();
  execute(p).triggers[0].constraints[1].field = 3;
  EXPECT_TRUE(reports(p, "constraint field 3 out of range for record Order"));
}

TEST(Verifier, RecordIndices) {
  Program p = samplePrimaryBackup();
  execute(p).triggers[1].record = 3;
  p.records[1].fields[0].type = recordT(8);
  EXPECT_TRUE(reports(p, "pattern record 3 out of range"));
  EXPECT_TRUE(reports(p, "t.mom:6:16: record Order: field m: record type "
                         "index 8 out of range"))
      << joined(verifyProgram(p));
}

TEST(Verifier, CallArityAndIndex) {
  Program p = samplePrimaryBackup();
  auto let = std::make_shared<Stmt>(*execute(p).body[0]);
  auto call = mk(ExprKind::Call, rangeT(0, 7), {});
  call->index = 0;
  let->value = call;
  execute(p).body[0] = let;
  EXPECT_TRUE(reports(p, "call of execute with 0 argument(s), expects 1"));
  auto call2 = mk(ExprKind::Call, rangeT(0, 7), {});
  call2->index = 4;
  let->value = call2;
  EXPECT_TRUE(reports(p, "call of function 4 out of range"));
}

TEST(Verifier, RecordConsArity) {
  Program p = samplePrimaryBackup();
  auto pub = std::make_shared<Stmt>(*execute(p).body[1]);
  auto cons = mk(ExprKind::RecordCons, recordT(2), {slotRef(1, recordT(0))});
  cons->index = 2;
  pub->value = cons;
  execute(p).body[1] = pub;
  EXPECT_TRUE(
      reports(p, "RecordCons of Reply with 1 field value(s), expects 2"));
}

TEST(Verifier, PublishOfNonRecord) {
  Program p = samplePrimaryBackup();
  auto pub = std::make_shared<Stmt>(*execute(p).body[1]);
  pub->value = intLit(3);
  execute(p).body[1] = pub;
  EXPECT_TRUE(reports(p, "published value is not a record"));
}

TEST(Verifier, StateVarScope) {
  Program p = samplePrimaryBackup();
  // A StateVar (of ME) in an invariant is a lowering bug: use StateVarOf.
  p.invariants[0].expr = cmp(Op::Le, stateVar(0, 0, rangeT(0, 2)), intLit(2));
  EXPECT_TRUE(reports(p, "StateVar of role Replica used outside that role"));
  p.invariants[0].expr = cmp(Op::Le, stateVar(0, 5, rangeT(0, 2)), intLit(2));
  EXPECT_TRUE(reports(p, "StateVar: var 5 out of range for role Replica"));
  p.invariants[0].expr = cmp(Op::Le, stateVar(3, 0, rangeT(0, 2)), intLit(2));
  EXPECT_TRUE(reports(p, "StateVar: role 3 out of range"));
}

TEST(Verifier, MeOutsideRole) {
  Program p = samplePrimaryBackup();
  p.invariants[0].expr =
      cmp(Op::Eq, mk(ExprKind::Me, principalT()), principal(0, 0));
  EXPECT_TRUE(reports(p, "ME used outside a role"));
}

TEST(Verifier, TimerAndVarIndices) {
  Program p = samplePrimaryBackup();
  execute(p).timer = 2;
  auto asg = std::make_shared<Stmt>(*execute(p).body[2]);
  asg->var = 3;
  execute(p).body[2] = asg;
  EXPECT_TRUE(reports(p, "timer 2 out of range"));
  EXPECT_TRUE(reports(p, "assignment to var 3 out of range"));
}

TEST(Verifier, LValuePathFollowsTypes) {
  Program p = samplePrimaryBackup();
  auto asg = std::make_shared<Stmt>(*execute(p).body[2]);
  asg->path.push_back({LValueStep::Kind::Field, nullptr, 0});
  execute(p).body[2] = asg;
  // executeSeqNo is an integer: a field step is invalid.
  EXPECT_TRUE(reports(p, "lvalue field 0 invalid"));
}

TEST(Verifier, NonBooleanGuardAndPredicate) {
  Program p = samplePrimaryBackup();
  execute(p).guard = intLit(1);
  p.invariants[0].expr = intLit(0);
  EXPECT_TRUE(reports(p, "guard is not boolean"));
  EXPECT_TRUE(reports(p, "invariant SeqBounded: predicate is not boolean"));
}

TEST(Verifier, QuorumAndIssuerBinders) {
  Program p = samplePrimaryBackup();
  auto &trig = execute(p).triggers[1];
  trig.issuer.set = 2;
  EXPECT_TRUE(reports(p, "issuer binder set 2 out of range"));
  trig.issuer.kind = IssuerPattern::Kind::Quorum;
  trig.issuer.set = 0;
  trig.issuer.slot = -1;
  trig.issuer.threshold = nullptr;
  EXPECT_TRUE(reports(p, "missing expression (quorum threshold)"))
      << joined(verifyProgram(p));
}

TEST(Verifier, StatementSets) {
  Program p = samplePrimaryBackup();
  auto &trig = execute(p).triggers[1];
  trig.statementSet = true; // a Bind issuer, a record-typed binder
  EXPECT_TRUE(reports(p, "a statement set without a quorum issuer"));
  EXPECT_TRUE(
      reports(p, "statement set binder is not a set of (issuer, record) pairs"))
      << joined(verifyProgram(p));
}

TEST(Verifier, BadTypes) {
  Program p = samplePrimaryBackup();
  p.roles[0].vars[0].type = rangeT(3, 1);
  execute(p).slots[2].type = principalT(4);
  execute(p).slots[3].type = compoundT(TypeKind::Map, {intT()});
  auto msgs = verifyProgram(p);
  EXPECT_TRUE(reports(p, "var: empty range type 3..1")) << joined(msgs);
  EXPECT_TRUE(
      reports(p, "slot 2 'c': principal type names set 4 out of range"));
  EXPECT_TRUE(
      reports(p, "slot 3 'res': type expects 2 type argument(s), has 1"));
}

TEST(Verifier, RoundStructure) {
  Program p = samplePrimaryBackup();
  // A phase in a program with a transition-based role is malformed.
  Phase ph;
  ph.bound = 1;
  ph.loc = at(60);
  p.roles[0].phase = ph;
  EXPECT_TRUE(reports(p, "a role cannot have both transitions and a phase"));
  EXPECT_TRUE(reports(p, "phase without rounds"));
  p.roles[0].phase.reset();
  p.invariants[0].expr = cmp(Op::Eq, mk(ExprKind::PhaseNo, intT()), intLit(0));
  EXPECT_TRUE(reports(p, "PhaseNo used in a program without rounds"));
  CommPredicate cp;
  cp.name = "C";
  cp.expr = boolLit(true);
  p.commPredicates.push_back(cp);
  EXPECT_TRUE(
      reports(p, "communication predicate in a program without rounds"));
}

TEST(Verifier, NullNodes) {
  Program p = samplePrimaryBackup();
  execute(p).body.push_back(nullptr);
  p.funs[0].body = nullptr;
  EXPECT_TRUE(reports(p, "null statement"));
  EXPECT_TRUE(reports(p, "missing expression (function body)"));
}

// A retire clause: its own frame, a pattern like a trigger's, a boolean
// condition; no quorum issuer, no KNOWN, none in a round program.
TEST(Verifier, RetireClauses) {
  Program p = samplePrimaryBackup();
  Retire rt;
  rt.loc = at(30);
  rt.pattern = execute(p).triggers[0];
  rt.pattern.constraints.clear();
  rt.slots = execute(p).slots;
  rt.cond = cmp(
      Op::Lt,
      field(slotRef(rt.pattern.slot, recordT(rt.pattern.record)), 1, intT()),
      stateVar(0, 0, intT()));
  p.roles[0].retires.push_back(rt);
  auto msgs = verifyProgram(p);
  EXPECT_TRUE(msgs.empty()) << joined(msgs);

  Program q = p;
  q.roles[0].retires[0].cond = intLit(1);
  EXPECT_TRUE(reports(q, "retire condition is not boolean"))
      << joined(verifyProgram(q));
  q = p;
  q.roles[0].retires[0].slots.clear();
  EXPECT_TRUE(reports(q, "out of range (frame has 0 slots)"))
      << joined(verifyProgram(q));
  q = p;
  auto known = mk(ExprKind::Known, boolT(), {});
  known->pattern = std::make_shared<Pattern>(q.roles[0].retires[0].pattern);
  q.roles[0].retires[0].cond = known;
  EXPECT_TRUE(reports(q, "KNOWN in a retire clause"))
      << joined(verifyProgram(q));
  q = p;
  auto &is = q.roles[0].retires[0].pattern.issuer;
  is.kind = IssuerPattern::Kind::Quorum;
  is.set = 0;
  is.slot = -1;
  is.threshold = intLit(2);
  EXPECT_TRUE(reports(q, "a retire clause with a quorum issuer"))
      << joined(verifyProgram(q));
}
