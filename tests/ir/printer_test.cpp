// Unit tests of the IR printer: whole-program text of a hand-built IR,
// types, precedence-aware expression printing, rounds, and robustness on
// malformed IR (the printer must never crash).
#include "IRBuilder.h"
#include "ir/Printer.h"

#include <gtest/gtest.h>

using namespace mommie::ir;
using namespace mommie::ir::testing;

namespace {

// Prints `e` as the body of a one-invariant program (frame `slots`).
std::string printExpr(ExprPtr e, std::vector<SlotInfo> slots = {}) {
  Program p = samplePrimaryBackup();
  p.invariants.clear();
  Predicate inv;
  inv.name = "E";
  inv.expr = std::move(e);
  inv.slots = std::move(slots);
  p.invariants.push_back(inv);
  std::string text = printProgram(p);
  auto start = text.find("invariant E: ");
  if (start == std::string::npos)
    return "<not printed>";
  start += 13;
  return text.substr(start, text.find("  //", start) - start);
}

} // namespace

TEST(Printer, SampleProgramText) {
  const char *expected = R"(protocol PrimaryBackup  // t.mom
// 5 principals

param F = 1  // t.mom:2:1

principals R[4] ids 0..3: R0..R3  // t.mom:3:1
principals C[1] id 4: C0  // t.mom:4:1

record Request {  // t.mom:5:1
  client: C  // t.mom:5:18
  op: 0..3  // t.mom:5:29
}

record Order {  // t.mom:6:1
  m: Request  // t.mom:6:16
  seqNo: 0..2  // t.mom:6:28
}

record Reply {  // t.mom:7:1
  req: Request  // t.mom:7:16
  res: 0..7  // t.mom:7:30
}

fun execute(r#0: Request): 0..7 = r#0.op * 2 % 8  // t.mom:8:1

role Replica at R {  // t.mom:9:1
  var executeSeqNo: 0..2 = 0  // t.mom:10:1
  timer suspect = 50ms  // t.mom:11:1
  transition Execute  // t.mom:12:1
    frame: order#0: Order, req#1: Request, c#2: C, res#3: 0..7
    WHEN [R0, ME, _] Order order#0 {{ m == req#1; seqNo == executeSeqNo; }}  // t.mom:13:8
    ANDWHEN [c#2 in C, ME, _] Request req#1  // t.mom:14:11
    @@{
      let res#3 = execute(req#1);
      PUBLISH [ME, c#2, NOONE] Reply{req: req#1, res: res#3};
      executeSeqNo <- executeSeqNo + 1;
    @@}
}

faults R: crash <= 1  // t.mom:20:1

invariant SeqBounded: forall r#0 in R: Replica.executeSeqNo[r#0] <= 2  // t.mom:21:1
  frame: r#0: R

fairness none
)";
  Program p = samplePrimaryBackup();
  EXPECT_EQ(printProgram(p), expected);
  // Deterministic: printing twice gives the same text.
  EXPECT_EQ(printProgram(p), printProgram(p));
}

TEST(Printer, Types) {
  Program p = samplePrimaryBackup();
  EXPECT_EQ(printType(p, *boolT()), "bool");
  EXPECT_EQ(printType(p, *intT()), "int");
  EXPECT_EQ(printType(p, *rangeT(-1, 5)), "-1..5");
  EXPECT_EQ(printType(p, *principalT()), "principal");
  EXPECT_EQ(printType(p, *principalT(1)), "C");
  EXPECT_EQ(printType(p, *recordT(2)), "Reply");
  EXPECT_EQ(printType(p, *compoundT(TypeKind::Map,
                                    {rangeT(0, 2), compoundT(TypeKind::Option,
                                                             {recordT(0)})})),
            "map<0..2, option<Request>>");
  EXPECT_EQ(printType(p, *compoundT(TypeKind::Tuple,
                                    {boolT(), compoundT(TypeKind::Set,
                                                        {principalT(0)})})),
            "(bool, set<R>)");
  EXPECT_EQ(printType(p, *compoundT(TypeKind::Seq, {intT()})), "seq<int>");
  EXPECT_EQ(printType(p, *recordT(9)), "<bad record 9>");
}

TEST(Printer, Precedence) {
  auto a = intLit(1), b = intLit(2), c = intLit(3);
  EXPECT_EQ(printExpr(binary(Op::Mul, binary(Op::Add, a, b), c)),
            "(1 + 2) * 3");
  EXPECT_EQ(printExpr(binary(Op::Add, a, binary(Op::Mul, b, c))), "1 + 2 * 3");
  EXPECT_EQ(printExpr(binary(Op::Sub, a, binary(Op::Sub, b, c))),
            "1 - (2 - 3)");
  EXPECT_EQ(printExpr(binary(Op::Sub, binary(Op::Sub, a, b), c)), "1 - 2 - 3");
  auto t = boolLit(true), f = boolLit(false);
  EXPECT_EQ(printExpr(binary(Op::Implies, t, binary(Op::Implies, f, t))),
            "true => false => true");
  EXPECT_EQ(printExpr(binary(Op::Implies, binary(Op::Implies, t, f), t)),
            "(true => false) => true");
  EXPECT_EQ(printExpr(binary(Op::And, binary(Op::Or, t, f), t)),
            "(true || false) && true");
  auto neg = mk(ExprKind::Unary, boolT(), {cmp(Op::Eq, a, b)});
  neg->op = Op::Not;
  EXPECT_EQ(printExpr(neg), "!(1 == 2)");
  auto ite = mk(ExprKind::Ite, intT(), {t, a, b});
  EXPECT_EQ(printExpr(binary(Op::Add, ite, c)), "(if true then 1 else 2) + 3");
}

TEST(Printer, CollectionsAndBinders) {
  std::vector<SlotInfo> slots = {{"x", rangeT(0, 3), at(1)},
                                 {"p", principalT(0), at(1)}};
  auto range = mk(ExprKind::RangeSet, compoundT(TypeKind::Set, {intT()}),
                  {intLit(0), intLit(3)});
  auto filter = mk(ExprKind::SetFilter, range->type,
                   {range, cmp(Op::Gt, slotRef(0, intT()), intLit(1))});
  filter->slot = 0;
  EXPECT_EQ(printExpr(filter, slots), "{x#0 in 0..3 | x#0 > 1}");
  auto image = mk(ExprKind::SetMap, range->type,
                  {range, binary(Op::Mul, slotRef(0, intT()), intLit(2))});
  image->slot = 0;
  EXPECT_EQ(printExpr(image, slots), "{x#0 * 2 : x#0 in 0..3}");
  auto mapc = mk(
      ExprKind::MapCons,
      compoundT(TypeKind::Map, {intT(), compoundT(TypeKind::Option, {intT()})}),
      {range, mk(ExprKind::NoneLit, compoundT(TypeKind::Option, {intT()}))});
  mapc->slot = 0;
  EXPECT_EQ(printExpr(mapc, slots), "[x#0 in 0..3 |-> none]");
  auto card = mk(ExprKind::Builtin, intT(), {setOfPrincipals(0)});
  card->builtin = Builtin::Card;
  auto correct =
      mk(ExprKind::Builtin, compoundT(TypeKind::Set, {principalT(0)}),
         {setOfPrincipals(0)});
  correct->builtin = Builtin::Correct;
  auto ex =
      mk(ExprKind::Exists, boolT(),
         {correct, cmp(Op::Eq, slotRef(1, principalT(0)), principal(3, 0))});
  ex->slot = 1;
  EXPECT_EQ(printExpr(cmp(Op::Eq, card, intLit(4)), slots), "card(R) == 4");
  EXPECT_EQ(printExpr(ex, slots), "exists p#1 in correct(R): p#1 == R3");
  auto seq = mk(ExprKind::SeqCons, compoundT(TypeKind::Seq, {intT()}),
                {intLit(1), intLit(2)});
  auto tup =
      mk(ExprKind::TupleCons, compoundT(TypeKind::Tuple, {intT(), intT()}),
         {intLit(1), intLit(2)});
  auto get = mk(ExprKind::TupleGet, intT(), {tup});
  get->index = 1;
  EXPECT_EQ(printExpr(cmp(Op::Eq, get, intLit(2))), "(1, 2).1 == 2");
  EXPECT_EQ(printExpr(cmp(Op::Ne, seq, seq)), "<<1, 2>> != <<1, 2>>");
}

TEST(Printer, KnownQuorumPatternAndTimeout) {
  Program p = samplePrimaryBackup();
  // role Client at C with a quorum trigger and a KNOWN guard.
  Role client;
  client.name = "Client";
  client.principalSet = 1;
  client.loc = at(30);
  client.vars.push_back({"done", boolT(), boolLit(false), nullptr, at(31), {}});
  Transition acc;
  acc.name = "Accept";
  acc.loc = at(32);
  acc.slots = {{"r", recordT(2), at(33)},
               {"who", compoundT(TypeKind::Set, {principalT(0)}), at(33)},
               {"o", recordT(1), at(34)}};
  Pattern q;
  q.loc = at(33, 8);
  q.issuer.kind = IssuerPattern::Kind::Quorum;
  q.issuer.set = 0;
  q.issuer.slot = 1;
  q.issuer.threshold = intLit(3);
  q.verifier.kind = PartyPattern::Kind::Contains;
  q.verifier.expr = mk(ExprKind::Me, principalT(1));
  q.auditor.kind = PartyPattern::Kind::Universal;
  q.record = 2;
  q.slot = 0;
  acc.triggers.push_back(q);
  Pattern k;
  k.loc = at(34, 10);
  k.issuer.kind = IssuerPattern::Kind::Any;
  k.record = 1;
  k.slot = 2;
  k.constraints.push_back({at(34), 1, Op::Ge, intLit(1)});
  auto known = mk(ExprKind::Known, boolT());
  known->pattern = std::make_shared<Pattern>(k);
  auto notKnown = mk(ExprKind::Unary, boolT(), {known});
  notKnown->op = Op::Not;
  acc.guard =
      binary(Op::And, notKnown,
             mk(ExprKind::Unary, boolT(), {stateVar(1, 0, boolT())}), boolT());
  const_cast<Expr &>(*acc.guard->args[1]).op = Op::Not;
  auto set = std::make_shared<Stmt>();
  set->kind = StmtKind::Assign;
  set->var = 0;
  set->value = boolLit(true);
  set->loc = at(35);
  acc.body = {set};
  client.transitions.push_back(acc);
  p.roles.push_back(client);

  // A timeout transition on the replica: AFTER timeout(suspect).
  Transition sus;
  sus.name = "Suspect";
  sus.loc = at(40);
  sus.timer = 0;
  auto skip = std::make_shared<Stmt>();
  skip->kind = StmtKind::Skip;
  auto start = std::make_shared<Stmt>();
  start->kind = StmtKind::StartTimer;
  start->timer = 0;
  auto ifs = std::make_shared<Stmt>();
  ifs->kind = StmtKind::If;
  ifs->cond = boolLit(true);
  ifs->thenBody = {start};
  ifs->elseBody = {skip};
  sus.body = {ifs};
  p.roles[0].transitions.push_back(sus);

  std::string text = printProgram(p);
  EXPECT_NE(text.find(R"(
role Client at C {  // t.mom:30:1
  var done: bool = false  // t.mom:31:1
  transition Accept  // t.mom:32:1
    frame: r#0: Reply, who#1: set<R>, o#2: Order
    WHEN [who#1 R >= 3, ME, ANY] Reply r#0  // t.mom:33:8
    IF !KNOWN [_, _, _] Order o#2 {{ seqNo >= 1; }} && !done
    @@{
      done <- true;
    @@}
}
)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(
  transition Suspect  // t.mom:40:1
    WHEN AFTER timeout(suspect)
    @@{
      if true {
        start suspect;
      } else {
        skip;
      }
    @@}
)"),
            std::string::npos)
      << text;
}

TEST(Printer, RoundProgram) {
  Program p;
  p.name = "Rounds";
  p.file = "r.mom";
  p.principalSets.push_back({"P", 0, 3, nullptr, at(2)});
  p.numPrincipals = 3;
  Role proc;
  proc.name = "Process";
  proc.principalSet = 0;
  proc.loc = at(3);
  auto range = mk(ExprKind::RangeSet, compoundT(TypeKind::Set, {intT()}),
                  {intLit(0), intLit(2)});
  proc.vars.push_back({"x", rangeT(0, 2), nullptr, range, at(4), {}});
  Phase ph;
  ph.bound = 2;
  ph.loc = at(5);
  Round rd;
  rd.name = "Exchange";
  rd.payload = rangeT(0, 2);
  rd.loc = at(6);
  auto mboxT = compoundT(TypeKind::Map, {principalT(0), rangeT(0, 2)});
  rd.slots = {{"mbox", mboxT, at(6)}};
  rd.mboxSlot = 0;
  auto domCard = [&] {
    auto dom = mk(ExprKind::Builtin, compoundT(TypeKind::Set, {principalT(0)}),
                  {slotRef(0, mboxT)});
    dom->builtin = Builtin::Dom;
    auto card = mk(ExprKind::Builtin, intT(), {dom});
    card->builtin = Builtin::Card;
    return card;
  };
  ProgressCond to{ProgressKind::Timeout, 100, nullptr, at(7)};
  ProgressCond ga{ProgressKind::GoAhead, 0, cmp(Op::Gt, domCard(), intLit(1)),
                  at(7)};
  rd.progress = {to, ProgressCond{ProgressKind::CatchUp, 0, nullptr, at(7)},
                 ga};
  rd.sends.push_back(
      {stateVar(0, 0, rangeT(0, 2)), setOfPrincipals(0), nullptr, at(8)});
  auto upd = std::make_shared<Stmt>();
  upd->kind = StmtKind::Assign;
  upd->var = 0;
  auto phaseNo = mk(ExprKind::PhaseNo, intT());
  upd->value = binary(Op::Mod, phaseNo, intLit(3), intT());
  rd.update = {upd};
  ph.rounds.push_back(rd);
  proc.phase = ph;
  p.roles.push_back(proc);
  CommPredicate cp;
  cp.name = "Uniform";
  cp.round = 0;
  cp.slots = {{"mbox", mboxT, at(12)}};
  cp.mboxSlot = 0;
  cp.expr = cmp(Op::Ge, domCard(), intLit(2));
  cp.loc = at(12);
  p.commPredicates.push_back(cp);
  p.fairness = Fairness::Weak;
  p.termination.expr = boolLit(true);
  p.termination.loc = at(13);

  EXPECT_EQ(printProgram(p), R"(protocol Rounds  // r.mom
// 3 principals

principals P[3] ids 0..2: P0..P2  // t.mom:2:1

role Process at P {  // t.mom:3:1
  var x: 0..2 in 0..2  // t.mom:4:1
  phase bound 2 {  // t.mom:5:1
    round Exchange : 0..2 {  // t.mom:6:1
      frame: mbox#0: map<P, 0..2>
      mbox: mbox#0
      progress timeout(100ms), catchUp, goAhead when card(dom(mbox#0)) > 1;
      send x to P;  // t.mom:8:1
      update {
        x <- phaseNo % 3;
      }
    }
  }
}

communication Uniform: round Exchange: card(dom(mbox#0)) >= 2  // t.mom:12:1
  frame: mbox#0: map<P, 0..2>
  mbox: mbox#0

fairness weak
terminate when true  // t.mom:13:1
)");
}

TEST(Printer, TemporalProperties) {
  Program p = samplePrimaryBackup();
  auto st = [](ExprPtr e) {
    auto t = std::make_shared<Temporal>();
    t->kind = Temporal::Kind::State;
    t->state = std::move(e);
    return t;
  };
  auto op = [](Temporal::Kind k, std::vector<TemporalPtr> args) {
    auto t = std::make_shared<Temporal>();
    t->kind = k;
    t->args = std::move(args);
    return t;
  };
  auto seq0 =
      cmp(Op::Eq, stateVarOf(0, 0, rangeT(0, 2), principal(0, 0)), intLit(0));
  auto seq2 =
      cmp(Op::Eq, stateVarOf(0, 0, rangeT(0, 2), principal(0, 0)), intLit(2));
  Property prop;
  prop.name = "Progress";
  prop.loc = at(50);
  prop.formula = op(Temporal::Kind::LeadsTo,
                    {st(seq0), op(Temporal::Kind::Eventually, {st(seq2)})});
  p.properties.push_back(prop);
  Property alw;
  alw.name = "Always";
  alw.loc = at(51);
  alw.formula = op(Temporal::Kind::Always, {st(boolLit(true))});
  p.properties.push_back(alw);
  std::string text = printProgram(p);
  EXPECT_NE(text.find("property Progress: (Replica.executeSeqNo[R0] == 0) ~> "
                      "<>(Replica.executeSeqNo[R0] == 2)  // t.mom:50:1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("property Always: []true  // t.mom:51:1\n"),
            std::string::npos)
      << text;
}

TEST(Printer, MalformedIrDoesNotCrash) {
  Program p = samplePrimaryBackup();
  auto &t = p.roles[0].transitions[0];
  auto bad = std::make_shared<Stmt>();
  bad->kind = StmtKind::Assign;
  bad->var = 7;
  bad->value = slotRef(42, intT());
  t.body.push_back(bad);
  t.body.push_back(nullptr);
  t.triggers[0].record = 11;
  p.invariants[0].expr = nullptr;
  std::string text = printProgram(p);
  EXPECT_NE(text.find("<bad var Replica.7> <- <bad slot 42>;"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("<null stmt>"), std::string::npos);
  EXPECT_NE(text.find("<bad record 11>"), std::string::npos);
  EXPECT_NE(text.find("invariant SeqBounded: <null>"), std::string::npos);
}

TEST(Program, PrincipalNamesAndSets) {
  Program p = samplePrimaryBackup();
  EXPECT_EQ(p.principalName(0), "R0");
  EXPECT_EQ(p.principalName(3), "R3");
  EXPECT_EQ(p.principalName(4), "C0");
  EXPECT_EQ(p.principalName(5), "<principal 5>");
  EXPECT_EQ(p.principalName(-1), "<principal -1>");
  EXPECT_EQ(p.setOf(0), 0);
  EXPECT_EQ(p.setOf(3), 0);
  EXPECT_EQ(p.setOf(4), 1);
  EXPECT_EQ(p.setOf(5), -1);
}
