// Positive front-end tests: the shape of the IR lowered from small programs
// (frames and slot types, pattern lowering, quorum patterns, -D
// substitution, principal ids, rounds, invariants), the examples, and
// robustness on truncated inputs.
#include "frontend/Frontend.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using namespace mommie;
using ir::ExprKind;
using ir::TypeKind;

std::optional<ir::Program>
compileText(const std::string &src, std::map<std::string, int64_t> defines = {},
            DiagnosticEngine *out = nullptr) {
  DiagnosticEngine local;
  DiagnosticEngine &diags = out ? *out : local;
  frontend::Options options;
  options.defines = std::move(defines);
  auto p = frontend::compile("t.mom", src, options, diags);
  if (!p) {
    std::ostringstream os;
    diags.print(os);
    ADD_FAILURE() << "compile failed:\n" << os.str();
  }
  return p;
}

const char *kPaper = R"(protocol Paper;
param F = 1;
principals R[3*F+1];
principals C[2];
const PRIMARY = R[0];
const Q = 2*F + 1;
type Result = 0..7;
record Request { client: C, op: 0..3 }
record Order { m: Request, seqNo: 0..3 }
record Reply { req: Request, res: Result }
fun execute(r: Request): Result = r.op * 2 % 8;
role Replica at R {
  var executeSeqNo: 0..3 = 0;
  transition Execute
    WHEN [PRIMARY, ME, NOONE] Order order {{ m == req; seqNo == executeSeqNo; }}
    ANDWHEN [c C == 1, ME, NOONE] Request req
  @@{
    Result res <- execute(req);
    PUBLISH [ME, c, NOONE] Reply(req, res);
    executeSeqNo <- executeSeqNo + 1;
  @@}
  transition Order1
    WHEN [c in C, ME, _] Request req
    IF ME == PRIMARY && !KNOWN [ME, _, _] Order o {{ m == req; }}
  @@{
    PUBLISH [ME, R, ANY] Order(req, executeSeqNo);
  @@}
}
role Client at C {
  var done: bool = false;
  var sent: bool = false;
  transition Send(op: 0..3)
    IF !sent
  @@{
    PUBLISH [ME, R, NOONE] Request(ME, op);
    sent <- true;
  @@}
  transition Done
    WHEN [S R >= Q, ME, NOONE] Reply r {{ res >= 0; }}
  @@{
    done <- card(S) >= Q;
  @@}
  transition Exact
    WHEN [R == 4, ME, _] Reply r
  @@{
    done <- true;
  @@}
}
invariant AllDone: forall c in C: done[c] || !Client.sent[c] || true;
invariant Correct: card(correct(R)) >= 3;
)";

TEST(Lowering, PaperTransitionFramesAndPatterns) {
  auto p = compileText(kPaper);
  ASSERT_TRUE(p);
  EXPECT_TRUE(ir::verifyProgram(*p).empty());
  ASSERT_EQ(p->roles.size(), 2u);
  const auto &exec = p->roles[0].transitions[0];
  EXPECT_EQ(exec.name, "Execute");
  // Frame: order, c, req (declared first, in pattern order), then res.
  ASSERT_EQ(exec.slots.size(), 4u);
  EXPECT_EQ(exec.slots[0].name, "order");
  EXPECT_EQ(exec.slots[1].name, "c");
  EXPECT_EQ(exec.slots[2].name, "req");
  EXPECT_EQ(exec.slots[3].name, "res");
  EXPECT_EQ(exec.slots[1].type->kind, TypeKind::Principal);
  EXPECT_EQ(exec.slots[1].type->principalSet, 1); // C
  EXPECT_EQ(exec.slots[3].type->kind, TypeKind::Range);
  EXPECT_EQ(exec.slots[3].type->hi, 7);
  ASSERT_EQ(exec.triggers.size(), 2u);
  const auto &t0 = exec.triggers[0];
  EXPECT_EQ(t0.issuer.kind, ir::IssuerPattern::Kind::Exact);
  EXPECT_EQ(t0.issuer.expr->kind, ExprKind::PrincipalLit);
  EXPECT_EQ(t0.issuer.expr->intVal, 0);
  EXPECT_EQ(t0.verifier.kind, ir::PartyPattern::Kind::Contains);
  EXPECT_EQ(t0.verifier.expr->kind, ExprKind::Me);
  EXPECT_EQ(t0.auditor.kind, ir::PartyPattern::Kind::Any);
  EXPECT_EQ(t0.record, 1);
  EXPECT_EQ(t0.slot, 0);
  // The join `m == req` refers to the binder of the second pattern.
  ASSERT_EQ(t0.constraints.size(), 2u);
  EXPECT_EQ(t0.constraints[0].field, 0);
  EXPECT_EQ(t0.constraints[0].expr->kind, ExprKind::Slot);
  EXPECT_EQ(t0.constraints[0].expr->slot, 2);
  EXPECT_EQ(t0.constraints[1].expr->kind, ExprKind::StateVar);
  const auto &t1 = exec.triggers[1];
  EXPECT_EQ(t1.issuer.kind, ir::IssuerPattern::Kind::Bind);
  EXPECT_EQ(t1.issuer.set, 1);
  EXPECT_EQ(t1.issuer.slot, 1);
  EXPECT_EQ(t1.slot, 2);
  // Body: let, publish, assign.
  ASSERT_EQ(exec.body.size(), 3u);
  EXPECT_EQ(exec.body[0]->kind, ir::StmtKind::Let);
  EXPECT_EQ(exec.body[0]->slot, 3);
  EXPECT_EQ(exec.body[0]->value->kind, ExprKind::Call);
  EXPECT_EQ(exec.body[1]->kind, ir::StmtKind::Publish);
  EXPECT_EQ(exec.body[1]->verifier->slot, 1);
  EXPECT_EQ(exec.body[1]->auditorKind, ir::Stmt::Auditor::None);
  EXPECT_EQ(exec.body[1]->value->kind, ExprKind::RecordCons);
  EXPECT_EQ(exec.body[1]->value->index, 2);
  EXPECT_EQ(exec.body[2]->kind, ir::StmtKind::Assign);
  EXPECT_EQ(exec.body[2]->var, 0);
  EXPECT_TRUE(exec.refracted());
}

TEST(Lowering, KnownPatternSlotsLiveInTheEnclosingFrame) {
  auto p = compileText(kPaper);
  ASSERT_TRUE(p);
  const auto &t = p->roles[0].transitions[1];
  ASSERT_EQ(t.slots.size(), 3u); // c, req, o (the KNOWN binder)
  EXPECT_EQ(t.slots[2].name, "o");
  ASSERT_TRUE(t.guard);
  // ME == PRIMARY && !KNOWN ...
  const auto &notKnown = t.guard->args[1];
  ASSERT_EQ(notKnown->kind, ExprKind::Unary);
  const auto &known = notKnown->args[0];
  ASSERT_EQ(known->kind, ExprKind::Known);
  EXPECT_EQ(known->pattern->slot, 2);
  EXPECT_EQ(known->pattern->issuer.kind, ir::IssuerPattern::Kind::Exact);
  EXPECT_EQ(known->pattern->constraints[0].expr->slot, 1);
  EXPECT_EQ(t.body[0]->auditorKind, ir::Stmt::Auditor::Any);
  EXPECT_EQ(t.body[0]->verifier->kind, ExprKind::PrincipalSet);
}

TEST(Lowering, QuorumPatterns) {
  auto p = compileText(kPaper);
  ASSERT_TRUE(p);
  const auto &done = p->roles[1].transitions[1];
  const auto &q = done.triggers[0].issuer;
  EXPECT_EQ(q.kind, ir::IssuerPattern::Kind::Quorum);
  EXPECT_EQ(q.set, 0);
  EXPECT_FALSE(q.exact);
  ASSERT_TRUE(q.threshold);
  EXPECT_EQ(q.threshold->kind, ExprKind::IntLit); // const Q substituted
  EXPECT_EQ(q.threshold->intVal, 3);
  ASSERT_GE(q.slot, 0);
  const auto &st = *done.slots[q.slot].type;
  EXPECT_EQ(st.kind, TypeKind::Set);
  EXPECT_EQ(st.args[0]->kind, TypeKind::Principal);
  ASSERT_EQ(done.triggers[0].constraints.size(), 1u);
  EXPECT_EQ(done.triggers[0].constraints[0].field, 1);
  EXPECT_EQ(done.triggers[0].constraints[0].op, ir::Op::Ge);
  const auto &exact = p->roles[1].transitions[2].triggers[0].issuer;
  EXPECT_EQ(exact.kind, ir::IssuerPattern::Kind::Quorum);
  EXPECT_TRUE(exact.exact);
  EXPECT_EQ(exact.slot, -1);
  EXPECT_EQ(exact.threshold->intVal, 4);
  // Transition parameters are slots with their finite type.
  const auto &send = p->roles[1].transitions[0];
  ASSERT_EQ(send.params.size(), 1u);
  EXPECT_EQ(send.slots[send.params[0]].type->kind, TypeKind::Range);
  EXPECT_FALSE(send.refracted());
}

TEST(Lowering, InvariantsReadVarsOfPrincipals) {
  auto p = compileText(kPaper);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->invariants.size(), 2u);
  const auto &e = p->invariants[0].expr;
  ASSERT_EQ(e->kind, ExprKind::Forall);
  EXPECT_EQ(p->invariants[0].slots.size(), 1u);
  // done[c] || !Client.sent[c] || true  ==  (done[c] || !sent[c]) || true
  const auto *x = e->args[1].get();
  while (x->kind == ExprKind::Binary)
    x = x->args[0].get();
  EXPECT_EQ(x->kind, ExprKind::StateVarOf);
  EXPECT_EQ(x->role, 1);
  EXPECT_EQ(x->var, 0);
  const auto &c = p->invariants[1].expr->args[0]->args[0];
  EXPECT_EQ(c->kind, ExprKind::Builtin);
  EXPECT_EQ(c->builtin, ir::Builtin::Correct);
}

// KNOWN in an invariant: the pattern's binders live in the invariant's
// frame, joins with an enclosing quantifier lower to slots, and the IR
// verifier accepts it there but not in a property.
TEST(Lowering, KnownInInvariantTestsThePool) {
  const char *src = R"(protocol K;
principals R[3];
record Ping { v: 0..1 }
role Node at R {
  var sent: bool = false;
  transition Send IF !sent
  @@{ PUBLISH [ME, R, NOONE] Ping(1); sent <- true; @@}
}
lemma Sent: forall p in R: (KNOWN [p, _, _] Ping m {{ v == 1; }}) => Node.sent[p];
)";
  auto p = compileText(src);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->invariants.size(), 1u);
  const auto &inv = p->invariants[0];
  EXPECT_TRUE(inv.lemma);
  ASSERT_EQ(inv.slots.size(), 2u); // p, m
  EXPECT_EQ(inv.slots[1].name, "m");
  const auto &implies = inv.expr->args[1];
  ASSERT_EQ(implies->kind, ExprKind::Binary);
  const auto &known = implies->args[0];
  ASSERT_EQ(known->kind, ExprKind::Known);
  EXPECT_EQ(known->pattern->slot, 1);
  EXPECT_EQ(known->pattern->issuer.kind, ir::IssuerPattern::Kind::Exact);
  EXPECT_EQ(known->pattern->issuer.expr->kind, ExprKind::Slot);
  EXPECT_EQ(known->pattern->issuer.expr->slot, 0);
  EXPECT_TRUE(ir::verifyProgram(*p).empty());
  // The same test in a property's state formula is not pool-level IR.
  ir::Program bad = *p;
  auto state = std::make_shared<ir::Temporal>();
  state->state = known;
  ir::Property prop;
  prop.name = "P";
  prop.slots = inv.slots;
  prop.formula = state;
  bad.properties.push_back(prop);
  auto problems = ir::verifyProgram(bad);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("KNOWN outside a transition, invariant or lemma"),
            std::string::npos)
      << problems[0];
}

TEST(Lowering, DefinesSubstituteParametersAndPrincipalIds) {
  auto p = compileText(kPaper, {{"F", 2}});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->params.size(), 1u);
  EXPECT_EQ(p->params[0].value, 2);
  ASSERT_EQ(p->principalSets.size(), 2u);
  EXPECT_EQ(p->principalSets[0].first, 0);
  EXPECT_EQ(p->principalSets[0].size, 7);
  EXPECT_EQ(p->principalSets[1].first, 7);
  EXPECT_EQ(p->principalSets[1].size, 2);
  EXPECT_EQ(p->numPrincipals, 9);
  // Q = 2*F+1 = 5 in the quorum threshold.
  EXPECT_EQ(p->roles[1].transitions[1].triggers[0].issuer.threshold->intVal, 5);
}

TEST(Lowering, ConstPrincipalOfALaterSet) {
  auto p = compileText(R"(protocol P;
param K = 2;
principals A[K];
const LEADER = B[1];
principals B[K+1];
role Ra at A { var x: bool = LEADER == B[1]; transition T IF !x @@{ x <- true; @@} }
)");
  ASSERT_TRUE(p);
  const auto &init = p->roles[0].vars[0].init;
  ASSERT_EQ(init->kind, ExprKind::Binary);
  EXPECT_EQ(init->args[0]->kind, ExprKind::PrincipalLit);
  EXPECT_EQ(init->args[0]->intVal, 3); // B starts at 2
  EXPECT_EQ(init->args[0]->type->principalSet, 1);
}

TEST(Lowering, RoundProgram) {
  auto p = compileText(R"(protocol OTR;
param N = 3;
principals P[N];
role Process at P {
  var x: 0..2 in 0..2;
  var decision: option<0..2> = none;
  phase bound 2 {
    round Exchange : 0..2 {
      progress timeout(100ms), catchUp, goAhead when card(dom(mbox)) > 2 * N / 3;
      send x to P;
      update {
        if card(dom(mbox)) > 2 * N / 3 {
          let v = min({ mbox[q] : q in dom(mbox) });
          x <- v;
          decision <- some(v);
        }
      }
    }
  }
}
communication Uniform: round Exchange: card(dom(mbox)) > 2 * N / 3;
invariant Agreement: forall p in P, q in P:
  decision[p] != none && decision[q] != none => decision[p] == decision[q];
)");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->isRoundProgram());
  const auto &ph = *p->roles[0].phase;
  EXPECT_EQ(ph.bound, 2);
  ASSERT_EQ(ph.rounds.size(), 1u);
  const auto &r = ph.rounds[0];
  EXPECT_EQ(r.mboxSlot, 0);
  const auto &mt = *r.slots[0].type;
  EXPECT_EQ(mt.kind, TypeKind::Map);
  EXPECT_EQ(mt.args[0]->kind, TypeKind::Principal);
  EXPECT_EQ(mt.args[1]->kind, TypeKind::Range);
  ASSERT_EQ(r.progress.size(), 3u);
  EXPECT_EQ(r.progress[0].kind, ir::ProgressKind::Timeout);
  EXPECT_EQ(r.progress[0].timeoutMs, 100);
  EXPECT_EQ(r.progress[2].kind, ir::ProgressKind::GoAhead);
  // 2 * N / 3 with N = 3 is folded to the literal 2.
  const auto &bound = r.progress[2].expr->args[1];
  EXPECT_EQ(bound->kind, ExprKind::IntLit);
  EXPECT_EQ(bound->intVal, 2);
  ASSERT_EQ(r.sends.size(), 1u);
  EXPECT_EQ(r.sends[0].dest->kind, ExprKind::PrincipalSet);
  EXPECT_EQ(r.slots.size(), 3u); // mbox, v, q
  ASSERT_EQ(p->commPredicates.size(), 1u);
  EXPECT_EQ(p->commPredicates[0].round, 0);
  EXPECT_EQ(p->commPredicates[0].mboxSlot, 0);
  EXPECT_TRUE(p->roles[0].vars[0].initSet);
  EXPECT_TRUE(ir::verifyProgram(*p).empty());
}

TEST(Lowering, MissingFileIsADiagnostic) {
  DiagnosticEngine diags;
  auto p = frontend::compileFile("/nonexistent/x.mom", {}, diags);
  EXPECT_FALSE(p);
  ASSERT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].loc.file, "/nonexistent/x.mom");
}

std::vector<std::filesystem::path> examples() {
  std::vector<std::filesystem::path> out;
  for (const auto &f : std::filesystem::directory_iterator(
           std::filesystem::path(MOMMIE_SOURCE_DIR) / "examples"))
    if (f.path().extension() == ".mom")
      out.push_back(f.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Examples, AllCompileWithoutErrorsAndVerify) {
  auto files = examples();
  EXPECT_FALSE(files.empty());
  for (const auto &f : files) {
    DiagnosticEngine diags;
    auto p = frontend::compileFile(f.string(), {}, diags);
    std::ostringstream os;
    diags.print(os);
    ASSERT_TRUE(p) << f << "\n" << os.str();
    auto problems = ir::verifyProgram(*p);
    std::string all;
    for (const auto &s : problems)
      all += s + "\n";
    EXPECT_TRUE(problems.empty()) << f << "\n" << all;
  }
}

TEST(Examples, TruncatedInputsNeverCrash) {
  for (const auto &f : examples()) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (size_t cut = 0; cut < text.size(); cut += 13) {
      DiagnosticEngine diags;
      auto p = frontend::compile("cut.mom", text.substr(0, cut), {}, diags);
      if (!p) {
        EXPECT_TRUE(diags.hasErrors()) << f << " cut at " << cut;
      }
      for (const auto &d : diags.diagnostics())
        EXPECT_EQ(d.message.find("internal error"), std::string::npos)
            << d.message;
    }
  }
}

} // namespace
