// The MOMMIE paper's snippets (with the typo fixes of docs/language.md) and
// the example corpus parse, with the expected AST shape.
#include "ParseHelpers.h"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace mommie;
using namespace mommie::ast;
using mommie::test::parse;
using mommie::test::parseOk;

static const char *PaperExecute = R"(
role Replica at R {
  var executeSeqNo: 0..MaxSeq = 0;
  transition Execute
    WHEN [PRIMARY, ME, NOONE] Order order {{ m == req; seqNo == executeSeqNo; }}
    ANDWHEN [c C == 1, ME, NOONE] Request req
    @@{
      Result res <- execute(req);
      PUBLISH [ME, c, NOONE] Reply(req, res);
      executeSeqNo <- executeSeqNo + 1;
    @@}
}
)";

TEST(ParserPaper, ExecuteTransition) {
  Program p = parseOk(PaperExecute);
  ASSERT_EQ(p.decls.size(), 1u);
  const RoleDecl &role = std::get<RoleDecl>(p.decls[0]);
  EXPECT_EQ(role.name, "Replica");
  EXPECT_EQ(role.set, "R");
  ASSERT_EQ(role.transitions.size(), 1u);
  const TransitionDecl &t = role.transitions[0];
  EXPECT_EQ(t.name, "Execute");
  ASSERT_EQ(t.triggers.size(), 2u);

  const Pattern &order = *t.triggers[0].pattern;
  EXPECT_EQ(order.issuer.kind, IssuerPattern::Kind::Expr);
  EXPECT_EQ(order.issuer.expr->kind, ExprKind::Name);
  EXPECT_EQ(order.issuer.expr->name, "PRIMARY");
  EXPECT_EQ(order.verifier.kind, PartyPattern::Kind::Expr);
  EXPECT_EQ(order.verifier.expr->kind, ExprKind::Me);
  EXPECT_EQ(order.auditor.kind, PartyPattern::Kind::Noone);
  EXPECT_EQ(order.record, "Order");
  EXPECT_EQ(order.binder, "order");
  ASSERT_EQ(order.constraints.size(), 2u);
  EXPECT_EQ(order.constraints[0].field, "m");
  EXPECT_EQ(order.constraints[0].op, BinOp::Eq);
  EXPECT_EQ(order.constraints[0].expr->name, "req");
  EXPECT_EQ(order.constraints[1].field, "seqNo");
  EXPECT_EQ(order.constraints[1].expr->name, "executeSeqNo");

  const Pattern &req = *t.triggers[1].pattern;
  EXPECT_EQ(req.issuer.kind, IssuerPattern::Kind::BindOne);
  EXPECT_EQ(req.issuer.binder, "c");
  EXPECT_EQ(req.issuer.set, "C");
  EXPECT_EQ(req.record, "Request");
  EXPECT_EQ(req.binder, "req");

  ASSERT_EQ(t.body.size(), 3u);
  EXPECT_EQ(t.body[0]->kind, StmtKind::TypedLocal);
  EXPECT_EQ(t.body[0]->type->kind, TypeKind::Named);
  EXPECT_EQ(t.body[0]->type->name, "Result");
  EXPECT_EQ(t.body[0]->name, "res");
  EXPECT_EQ(t.body[0]->value->kind, ExprKind::Call);
  EXPECT_EQ(t.body[0]->value->name, "execute");
  const Stmt &pub = *t.body[1];
  EXPECT_EQ(pub.kind, StmtKind::Publish);
  EXPECT_EQ(pub.issuer->kind, ExprKind::Me);
  EXPECT_EQ(pub.verifier->name, "c");
  EXPECT_EQ(pub.auditor.kind, PartyPattern::Kind::Noone);
  EXPECT_EQ(pub.value->kind, ExprKind::Call);
  EXPECT_EQ(pub.value->name, "Reply");
  ASSERT_EQ(pub.value->args.size(), 2u);
  EXPECT_EQ(t.body[2]->kind, StmtKind::Assign);
  EXPECT_EQ(t.body[2]->name, "executeSeqNo");
  EXPECT_EQ(t.body[2]->value->binOp, BinOp::Add);
}

TEST(ParserPaper, ExecuteLocations) {
  Program p = parseOk(PaperExecute);
  const TransitionDecl &t = std::get<RoleDecl>(p.decls[0]).transitions[0];
  // Line 1 is `protocol P;`, line 2 is empty.
  EXPECT_EQ(t.loc.line, 5u);
  EXPECT_EQ(t.loc.col, 3u);
  EXPECT_EQ(t.loc.file, "t.mom");
  EXPECT_EQ(t.triggers[0].pattern->loc.line, 6u);
  EXPECT_EQ(t.triggers[0].pattern->loc.col, 10u);
  EXPECT_EQ(t.triggers[1].pattern->issuer.loc.col, 14u);
  EXPECT_EQ(t.body[1]->loc.line, 10u);
  EXPECT_EQ(t.body[1]->loc.col, 7u);
  EXPECT_EQ(t.body[2]->value->loc.col, 23u); // executeSeqNo + 1
}

TEST(ParserPaper, QuorumReply) {
  Program p = parseOk(R"(
role Client at C {
  transition Accept
    WHEN [R >= 3, ME, NOONE] Reply r
    @@{ skip; @@}
})");
  const Pattern &pat =
      *std::get<RoleDecl>(p.decls[0]).transitions[0].triggers[0].pattern;
  EXPECT_EQ(pat.issuer.kind, IssuerPattern::Kind::Quorum);
  EXPECT_EQ(pat.issuer.set, "R");
  EXPECT_TRUE(pat.issuer.binder.empty());
  EXPECT_FALSE(pat.issuer.exact);
  EXPECT_EQ(pat.issuer.threshold->intVal, 3);
  EXPECT_EQ(pat.record, "Reply");
  EXPECT_EQ(pat.binder, "r");
}

TEST(ParserPaper, ExamplesParseAndRoundTrip) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(MOMMIE_SOURCE_DIR) / "examples";
  if (!fs::exists(dir))
    GTEST_SKIP() << "no examples/";
  int n = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".mom")
      continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto r = parse(ss.str(), entry.path().string());
    ASSERT_TRUE(r.program) << entry.path() << ": " << r.errors[0];
    std::string printed = frontend::printProgram(*r.program);
    auto again = parse(printed, "printed.mom");
    ASSERT_TRUE(again.program) << again.errors[0] << "\n" << printed;
    EXPECT_TRUE(frontend::astEqual(*r.program, *again.program)) << entry.path();
    ++n;
  }
  EXPECT_GT(n, 0);
}
