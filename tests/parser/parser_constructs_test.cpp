// One small program per construct of docs/language.md, asserting the AST
// shape.
#include "ParseHelpers.h"

using namespace mommie;
using namespace mommie::ast;
using mommie::test::parseExpr;
using mommie::test::parseOk;

TEST(ParserDecls, HeaderParamAssumePrincipalsConst) {
  Program p = parseOk("param F = 1;\nassume N > 3 * F;\nprincipals R[3*F+1];\n"
                      "const PRIMARY = R[0];\n");
  EXPECT_EQ(p.name, "P");
  ASSERT_EQ(p.decls.size(), 4u);
  const auto &param = std::get<ParamDecl>(p.decls[0]);
  EXPECT_EQ(param.name, "F");
  EXPECT_EQ(param.value->intVal, 1);
  const auto &as = std::get<AssumeDecl>(p.decls[1]);
  EXPECT_EQ(as.expr->binOp, BinOp::Gt);
  EXPECT_EQ(as.expr->args[1]->binOp, BinOp::Mul);
  const auto &ps = std::get<PrincipalsDecl>(p.decls[2]);
  EXPECT_EQ(ps.name, "R");
  EXPECT_EQ(ps.size->binOp, BinOp::Add); // (3*F)+1
  const auto &c = std::get<ConstDecl>(p.decls[3]);
  EXPECT_EQ(c.value->kind, ExprKind::Index);
  EXPECT_EQ(c.value->args[0]->name, "R");
  EXPECT_EQ(p.all<ConstDecl>().size(), 1u);
}

TEST(ParserDecls, RecordTypeFun) {
  Program p =
      parseOk("record Request { client: C, op: 0..3 }\n"
              "type Result = 0..7;\n"
              "fun execute(r: Request, k: int): Result = r.op * 2 % 8;\n"
              "record Empty { }\n");
  const auto &r = std::get<RecordDecl>(p.decls[0]);
  ASSERT_EQ(r.fields.size(), 2u);
  EXPECT_EQ(r.fields[0].name, "client");
  EXPECT_EQ(r.fields[0].type->kind, TypeKind::Named);
  EXPECT_EQ(r.fields[1].type->kind, TypeKind::Range);
  EXPECT_EQ(r.fields[1].type->hi->intVal, 3);
  const auto &t = std::get<TypeAliasDecl>(p.decls[1]);
  EXPECT_EQ(t.name, "Result");
  EXPECT_EQ(t.type->lo->intVal, 0);
  const auto &f = std::get<FunDecl>(p.decls[2]);
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[1].type->kind, TypeKind::Int);
  EXPECT_EQ(f.result->name, "Result");
  EXPECT_EQ(f.body->binOp, BinOp::Mod); // (r.op * 2) % 8
  EXPECT_EQ(f.body->args[0]->binOp, BinOp::Mul);
  EXPECT_EQ(f.body->args[0]->args[0]->kind, ExprKind::Field);
  EXPECT_TRUE(std::get<RecordDecl>(p.decls[3]).fields.empty());
}

TEST(ParserDecls, Types) {
  Program p = parseOk(
      "type A = set<principal>;\ntype B = map<0..N-1, option<Request>>;\n"
      "type C = seq<bool>;\ntype D = (int, R, set<int>);\ntype E = N-1..N;\n");
  auto ty = [&](size_t i) { return std::get<TypeAliasDecl>(p.decls[i]).type; };
  EXPECT_EQ(ty(0)->kind, TypeKind::Set);
  EXPECT_EQ(ty(0)->args[0]->kind, TypeKind::Principal);
  EXPECT_EQ(ty(1)->kind, TypeKind::Map);
  EXPECT_EQ(ty(1)->args[0]->kind, TypeKind::Range);
  EXPECT_EQ(ty(1)->args[0]->hi->binOp, BinOp::Sub);
  EXPECT_EQ(ty(1)->args[1]->kind, TypeKind::Option);
  EXPECT_EQ(ty(2)->kind, TypeKind::Seq);
  EXPECT_EQ(ty(3)->kind, TypeKind::Tuple);
  EXPECT_EQ(ty(3)->args.size(), 3u);
  EXPECT_EQ(ty(4)->kind, TypeKind::Range);
  EXPECT_EQ(ty(4)->lo->binOp, BinOp::Sub);
}

TEST(ParserDecls, RoleVarsTimersTransitionParams) {
  Program p = parseOk(R"(role Replica at R {
  var executeSeqNo: 0..MaxSeq = 0;
  var log: map<0..MaxSeq, option<Request>> = [i in 0..MaxSeq |-> none];
  var input: 0..1 in {0, 1};
  var plain: bool;
  timer suspect = 50ms;
  timer slow = 2s;
  transition Send(op: Op, to_: R) IF !waiting program fast @@{ skip; @@}
})");
  const auto &r = std::get<RoleDecl>(p.decls[0]);
  ASSERT_EQ(r.vars.size(), 4u);
  EXPECT_EQ(r.vars[0].init->intVal, 0);
  EXPECT_EQ(r.vars[1].init->kind, ExprKind::MapCons);
  EXPECT_EQ(r.vars[1].init->binders[0].name, "i");
  EXPECT_EQ(r.vars[1].init->body->kind, ExprKind::NoneLit);
  EXPECT_EQ(r.vars[2].initSet->kind, ExprKind::SetLit);
  EXPECT_EQ(r.vars[2].initSet->args.size(), 2u);
  EXPECT_FALSE(r.vars[3].init || r.vars[3].initSet);
  ASSERT_EQ(r.timers.size(), 2u);
  EXPECT_EQ(r.timers[0].duration.millis(), 50);
  EXPECT_EQ(r.timers[1].duration.unit, Duration::Unit::S);
  EXPECT_EQ(r.timers[1].duration.millis(), 2000);
  const auto &t = r.transitions[0];
  ASSERT_EQ(t.params.size(), 2u);
  EXPECT_EQ(t.params[1].name, "to_");
  EXPECT_TRUE(t.triggers.empty());
  EXPECT_EQ(t.guard->unOp, UnOp::Not);
  EXPECT_EQ(t.bodyProgram, "fast");
}

TEST(ParserDecls, TimeoutTrigger) {
  Program p = parseOk(R"(role X at R {
  transition Suspect
    WHEN [c in C, ME, NOONE] Request req
    ANDWHEN AFTER timeout(suspect)
    IF !(KNOWN [PRIMARY, ME, NOONE] Order o {{ m == req; }})
    @@{ suspected <- true; @@}
})");
  const auto &t = std::get<RoleDecl>(p.decls[0]).transitions[0];
  ASSERT_EQ(t.triggers.size(), 2u);
  EXPECT_EQ(t.triggers[0].pattern->issuer.kind, IssuerPattern::Kind::BindIn);
  EXPECT_EQ(t.triggers[0].pattern->issuer.binder, "c");
  EXPECT_EQ(t.triggers[1].kind, Trigger::Kind::Timeout);
  EXPECT_EQ(t.triggers[1].timer, "suspect");
  const Expr &known = *t.guard->args[0];
  EXPECT_EQ(known.kind, ExprKind::Known);
  EXPECT_EQ(known.pattern->record, "Order");
  EXPECT_EQ(known.pattern->constraints[0].field, "m");
}

TEST(ParserDecls, RetireClauses) {
  Program p = parseOk(R"(role X at R {
  var executeSeqNo: int = 0;
  retire [PRIMARY, ME, NOONE] Order o {{ seqNo < executeSeqNo; }};
  transition T @@{ skip; @@}
  retire [c in C, ME, NOONE] Request req IF req.id < done[c];
})");
  const auto &r = std::get<RoleDecl>(p.decls[0]);
  ASSERT_EQ(r.retires.size(), 2u);
  EXPECT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(r.retires[0].pattern->record, "Order");
  EXPECT_EQ(r.retires[0].pattern->constraints.size(), 1u);
  EXPECT_FALSE(r.retires[0].cond);
  EXPECT_EQ(r.retires[1].pattern->issuer.kind, IssuerPattern::Kind::BindIn);
  ASSERT_TRUE(r.retires[1].cond);
  EXPECT_EQ(r.retires[1].cond->binOp, BinOp::Lt);
  EXPECT_EQ(r.retires[1].loc.line, 6u);
  // `retire` is not reserved: it stays a name elsewhere.
  parseOk("fun retire(x: int): int = x;");
}

TEST(ParserDecls, IssuerForms) {
  Program p = parseOk(R"(role X at R {
  transition T
    WHEN [_, ANY, ANY] A a
    ANDWHEN [ANY, _, _] B b
    ANDWHEN [S R >= 2*F+1, ME, NOONE] Cc c {{ x != 1; y < 2; z <= 3; w > 4; v >= 5; }}
    ANDWHEN [R == 4, ME, p] D d
    ANDWHEN [S2 R == 2, ME, NOONE] E e
    ANDWHEN [R[0], ME, NOONE] G g
    ANDWHEN [R >= 2, ME, NOONE] H* hs {{ x == 1; }}
    @@{ skip; @@}
})");
  const auto &tr = std::get<RoleDecl>(p.decls[0]).transitions[0].triggers;
  using K = IssuerPattern::Kind;
  EXPECT_EQ(tr[0].pattern->issuer.kind, K::Underscore);
  EXPECT_EQ(tr[0].pattern->verifier.kind, PartyPattern::Kind::Any);
  EXPECT_EQ(tr[0].pattern->auditor.kind, PartyPattern::Kind::Any);
  EXPECT_EQ(tr[1].pattern->issuer.kind, K::Any);
  EXPECT_EQ(tr[1].pattern->verifier.kind, PartyPattern::Kind::Underscore);
  const auto &q = tr[2].pattern->issuer;
  EXPECT_EQ(q.kind, K::Quorum);
  EXPECT_EQ(q.binder, "S");
  EXPECT_EQ(q.set, "R");
  EXPECT_EQ(q.threshold->binOp, BinOp::Add);
  const auto &cs = tr[2].pattern->constraints;
  ASSERT_EQ(cs.size(), 5u);
  EXPECT_EQ(cs[0].op, BinOp::Ne);
  EXPECT_EQ(cs[1].op, BinOp::Lt);
  EXPECT_EQ(cs[2].op, BinOp::Le);
  EXPECT_EQ(cs[3].op, BinOp::Gt);
  EXPECT_EQ(cs[4].op, BinOp::Ge);
  EXPECT_EQ(tr[3].pattern->issuer.kind, K::Quorum);
  EXPECT_TRUE(tr[3].pattern->issuer.exact);
  EXPECT_TRUE(tr[3].pattern->issuer.binder.empty());
  EXPECT_EQ(tr[3].pattern->auditor.kind, PartyPattern::Kind::Expr);
  EXPECT_EQ(tr[4].pattern->issuer.kind, K::Quorum);
  EXPECT_EQ(tr[4].pattern->issuer.binder, "S2");
  EXPECT_TRUE(tr[4].pattern->issuer.exact);
  EXPECT_EQ(tr[5].pattern->issuer.kind, K::Expr);
  EXPECT_EQ(tr[5].pattern->issuer.expr->kind, ExprKind::Index);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_FALSE(tr[i].pattern->statementSet) << i;
  // A statement set: `Record* x`.
  EXPECT_EQ(tr[6].pattern->issuer.kind, K::Quorum);
  EXPECT_TRUE(tr[6].pattern->statementSet);
  EXPECT_EQ(tr[6].pattern->record, "H");
  EXPECT_EQ(tr[6].pattern->binder, "hs");
  EXPECT_EQ(tr[6].pattern->constraints.size(), 1u);
}

TEST(ParserStmts, AllStatementForms) {
  Program p = parseOk(R"(role X at R {
  transition T @@{
    log[i].f.0 <- 1;
    Result res <- execute(req);
    set<int> s <- {};
    0..3 k <- 2;
    let y = x + 1;
    if a { skip; } else if b { start t; } else { cancel t; }
    if c { x <- 1; }
    PUBLISH [ME, R, ANY] Vote{rnd: r, v: 1} PROGRESS [R >= Q, ME, NOONE] Vote v;
    PUBLISH [ME, {p, q}, c] Ack(1);
  @@}
})");
  const Block &b = std::get<RoleDecl>(p.decls[0]).transitions[0].body;
  ASSERT_EQ(b.size(), 9u);
  EXPECT_EQ(b[0]->kind, StmtKind::Assign);
  EXPECT_EQ(b[0]->name, "log");
  ASSERT_EQ(b[0]->path.size(), 3u);
  EXPECT_EQ(b[0]->path[0].kind, LValueStep::Kind::Index);
  EXPECT_EQ(b[0]->path[0].key->name, "i");
  EXPECT_EQ(b[0]->path[1].kind, LValueStep::Kind::Field);
  EXPECT_EQ(b[0]->path[1].field, "f");
  EXPECT_EQ(b[0]->path[2].kind, LValueStep::Kind::TupleGet);
  EXPECT_EQ(b[0]->path[2].index, 0);
  EXPECT_EQ(b[1]->kind, StmtKind::TypedLocal);
  EXPECT_EQ(b[2]->type->kind, TypeKind::Set);
  EXPECT_EQ(b[2]->value->kind, ExprKind::SetLit);
  EXPECT_EQ(b[3]->type->kind, TypeKind::Range);
  EXPECT_EQ(b[4]->kind, StmtKind::Let);
  EXPECT_EQ(b[4]->name, "y");
  const Stmt &ifs = *b[5];
  EXPECT_EQ(ifs.kind, StmtKind::If);
  EXPECT_TRUE(ifs.hasElse);
  ASSERT_EQ(ifs.elseBody.size(), 1u);
  EXPECT_EQ(ifs.elseBody[0]->kind, StmtKind::If);
  EXPECT_EQ(ifs.elseBody[0]->thenBody[0]->kind, StmtKind::Start);
  EXPECT_EQ(ifs.elseBody[0]->elseBody[0]->kind, StmtKind::Cancel);
  EXPECT_FALSE(b[6]->hasElse);
  const Stmt &pub = *b[7];
  EXPECT_EQ(pub.auditor.kind, PartyPattern::Kind::Any);
  EXPECT_EQ(pub.value->kind, ExprKind::RecordNamed);
  EXPECT_EQ(pub.value->name, "Vote");
  ASSERT_EQ(pub.value->fields.size(), 2u);
  EXPECT_EQ(pub.value->fields[0].name, "rnd");
  ASSERT_TRUE(pub.progress);
  EXPECT_EQ(pub.progress->issuer.kind, IssuerPattern::Kind::Quorum);
  EXPECT_EQ(b[8]->verifier->kind, ExprKind::SetLit);
  EXPECT_EQ(b[8]->auditor.kind, PartyPattern::Kind::Expr);
  EXPECT_FALSE(b[8]->progress);
}

TEST(ParserRounds, PhaseRoundCommunication) {
  Program p = parseOk(R"(role Process at P {
  var x: 0..2 in 0..2;
  phase bound MaxPhase {
    round Exchange : 0..2 {
      progress timeout(100ms), catchUp, goAhead when card(dom(mbox)) > 2 * N / 3, waitMessages, sync(2);
      send x to P;
      send 0 to q if x == 1;
      update {
        if card(dom(mbox)) > 2 * N / 3 { x <- minMostOften(mbox); }
      }
    }
    round Empty : bool { }
  }
}
communication Uniform: round Exchange: card(dom(mbox)) > 2 * N / 3;
)");
  const auto &r = std::get<RoleDecl>(p.decls[0]);
  ASSERT_EQ(r.phases.size(), 1u);
  const PhaseDecl &ph = r.phases[0];
  EXPECT_EQ(ph.bound->name, "MaxPhase");
  ASSERT_EQ(ph.rounds.size(), 2u);
  const RoundDecl &ex = ph.rounds[0];
  EXPECT_EQ(ex.payload->kind, TypeKind::Range);
  ASSERT_EQ(ex.progress.size(), 5u);
  using K = ProgressCond::Kind;
  EXPECT_EQ(ex.progress[0].kind, K::Timeout);
  EXPECT_EQ(ex.progress[0].timeout.millis(), 100);
  EXPECT_EQ(ex.progress[1].kind, K::CatchUp);
  EXPECT_EQ(ex.progress[2].kind, K::GoAhead);
  EXPECT_EQ(ex.progress[2].expr->binOp, BinOp::Gt);
  EXPECT_EQ(ex.progress[3].kind, K::WaitMessages);
  EXPECT_EQ(ex.progress[4].kind, K::Sync);
  EXPECT_EQ(ex.progress[4].expr->intVal, 2);
  ASSERT_EQ(ex.sends.size(), 2u);
  EXPECT_FALSE(ex.sends[0].cond);
  EXPECT_EQ(ex.sends[1].cond->binOp, BinOp::Eq);
  EXPECT_TRUE(ex.hasUpdate);
  EXPECT_EQ(ex.update.size(), 1u);
  EXPECT_FALSE(ph.rounds[1].hasUpdate);
  const auto &cm = std::get<CommunicationDecl>(p.decls[1]);
  EXPECT_EQ(cm.name, "Uniform");
  EXPECT_EQ(cm.round, "Exchange");
  EXPECT_EQ(cm.expr->binOp, BinOp::Gt);
}

TEST(ParserDecls, FaultsInvariantsPropertiesFairnessTerminate) {
  Program p = parseOk(R"(
faults R: crash <= F;
faults S: byzantine <= 1;
invariant Agreement: forall p in R, q in R: decided[p] != none && decided[q] != none => decided[p] == decided[q];
lemma VotesUnique: true;
property Termination: <> (forall p in correct(P): decision[p] != none);
property Responds: (exists p in C: sent[p]) ~> (exists p in C: done[p]);
property Mixed: [] (x > 0) && !(<> y) || z;
property Plain: x == 1 && y;
fairness weak;
fairness strong;
terminate when forall c in C: done[c];
)");
  ASSERT_EQ(p.decls.size(), 11u);
  EXPECT_EQ(std::get<FaultsDecl>(p.decls[0]).kind, FaultsDecl::Kind::Crash);
  EXPECT_EQ(std::get<FaultsDecl>(p.decls[1]).kind, FaultsDecl::Kind::Byzantine);
  EXPECT_EQ(std::get<FaultsDecl>(p.decls[1]).set, "S");
  const auto &inv = std::get<InvariantDecl>(p.decls[2]);
  EXPECT_FALSE(inv.lemma);
  EXPECT_EQ(inv.expr->kind, ExprKind::Forall);
  ASSERT_EQ(inv.expr->binders.size(), 2u);
  EXPECT_EQ(inv.expr->binders[1].name, "q");
  EXPECT_EQ(inv.expr->body->binOp, BinOp::Implies); // => lowest
  EXPECT_EQ(inv.expr->body->args[0]->binOp, BinOp::And);
  EXPECT_TRUE(std::get<InvariantDecl>(p.decls[3]).lemma);
  using K = Temporal::Kind;
  const auto &term = std::get<PropertyDecl>(p.decls[4]).formula;
  EXPECT_EQ(term->kind, K::Eventually);
  EXPECT_EQ(term->args[0]->kind, K::State);
  EXPECT_EQ(term->args[0]->state->kind, ExprKind::Forall);
  const auto &resp = std::get<PropertyDecl>(p.decls[5]).formula;
  EXPECT_EQ(resp->kind, K::LeadsTo);
  EXPECT_EQ(resp->args[0]->state->kind, ExprKind::Exists);
  const auto &mixed = std::get<PropertyDecl>(p.decls[6]).formula;
  EXPECT_EQ(mixed->kind, K::Or);
  EXPECT_EQ(mixed->args[0]->kind, K::And);
  EXPECT_EQ(mixed->args[0]->args[0]->kind, K::Always);
  EXPECT_EQ(mixed->args[0]->args[1]->kind, K::Not);
  EXPECT_EQ(mixed->args[1]->kind, K::State);
  const auto &plain = std::get<PropertyDecl>(p.decls[7]).formula;
  EXPECT_EQ(plain->kind, K::State);
  EXPECT_EQ(plain->state->binOp, BinOp::And);
  EXPECT_EQ(std::get<FairnessDecl>(p.decls[8]).kind, FairnessDecl::Kind::Weak);
  EXPECT_EQ(std::get<FairnessDecl>(p.decls[9]).kind,
            FairnessDecl::Kind::Strong);
  EXPECT_EQ(std::get<TerminateDecl>(p.decls[10]).expr->kind, ExprKind::Forall);
}

TEST(ParserExprs, Precedence) {
  auto e = parseExpr("a || b && c == d + e * -f");
  EXPECT_EQ(e->binOp, BinOp::Or);
  const Expr &and_ = *e->args[1];
  EXPECT_EQ(and_.binOp, BinOp::And);
  const Expr &eq = *and_.args[1];
  EXPECT_EQ(eq.binOp, BinOp::Eq);
  EXPECT_EQ(eq.args[1]->binOp, BinOp::Add);
  EXPECT_EQ(eq.args[1]->args[1]->binOp, BinOp::Mul);
  EXPECT_EQ(eq.args[1]->args[1]->args[1]->unOp, UnOp::Neg);

  auto s = parseExpr("x in A union B inter C \\ D");
  EXPECT_EQ(s->binOp, BinOp::In);
  EXPECT_EQ(s->args[1]->binOp, BinOp::Diff); // (A union (B inter C)) \ D
  EXPECT_EQ(s->args[1]->args[0]->binOp, BinOp::Union);
  EXPECT_EQ(s->args[1]->args[0]->args[1]->binOp, BinOp::Inter);

  auto r = parseExpr("x in 0..N+1");
  EXPECT_EQ(r->binOp, BinOp::In);
  EXPECT_EQ(r->args[1]->kind, ExprKind::Range);
  EXPECT_EQ(r->args[1]->args[1]->binOp, BinOp::Add);

  auto imp = parseExpr("a => b => c");
  EXPECT_EQ(imp->binOp, BinOp::Implies);
  EXPECT_EQ(imp->args[1]->binOp, BinOp::Implies); // right-associative

  auto sub = parseExpr("a - b - c");
  EXPECT_EQ(sub->args[0]->binOp, BinOp::Sub); // left-associative

  auto misc = parseExpr("S subseteq T && x notin S && !(a != b) && c <= d");
  EXPECT_EQ(misc->args[0]->args[0]->args[0]->binOp, BinOp::SubsetEq);
  EXPECT_EQ(misc->args[0]->args[0]->args[1]->binOp, BinOp::NotIn);
}

TEST(ParserExprs, SetsMapsTuplesSequences) {
  auto f = parseExpr("{ x in S | x > 2 }");
  EXPECT_EQ(f->kind, ExprKind::SetFilter);
  EXPECT_EQ(f->binders[0].name, "x");
  EXPECT_EQ(f->binders[0].set->name, "S");
  EXPECT_EQ(f->body->binOp, BinOp::Gt);

  auto m = parseExpr("{ f(x) : x in S }");
  EXPECT_EQ(m->kind, ExprKind::SetMap);
  EXPECT_EQ(m->body->kind, ExprKind::Call);
  EXPECT_FALSE(m->cond);
  auto mc = parseExpr("{ x + 1 : x in S | x != 0 }");
  EXPECT_EQ(mc->kind, ExprKind::SetMap);
  EXPECT_EQ(mc->cond->binOp, BinOp::Ne);

  auto lit = parseExpr("{a, b, c}");
  EXPECT_EQ(lit->kind, ExprKind::SetLit);
  EXPECT_EQ(lit->args.size(), 3u);
  auto single = parseExpr("{x in S}"); // a set holding one boolean
  EXPECT_EQ(single->kind, ExprKind::SetLit);
  EXPECT_EQ(single->args[0]->binOp, BinOp::In);
  EXPECT_TRUE(parseExpr("{}")->args.empty());

  auto mp = parseExpr("[k in 0..3 |-> none]");
  EXPECT_EQ(mp->kind, ExprKind::MapCons);
  EXPECT_EQ(mp->binders[0].set->kind, ExprKind::Range);

  auto t = parseExpr("(a, b).0");
  EXPECT_EQ(t->kind, ExprKind::TupleGet);
  EXPECT_EQ(t->intVal, 0);
  EXPECT_EQ(t->args[0]->kind, ExprKind::Tuple);
  EXPECT_EQ(parseExpr("(a)")->kind, ExprKind::Name);

  auto sq = parseExpr("append(<<a, b>>, <<>>)");
  EXPECT_EQ(sq->kind, ExprKind::Call);
  EXPECT_EQ(sq->args[0]->kind, ExprKind::SeqLit);
  EXPECT_EQ(sq->args[0]->args.size(), 2u);
  EXPECT_TRUE(sq->args[1]->args.empty());
}

TEST(ParserExprs, OptionsIteQuantifiersRecordsKnown) {
  auto o = parseExpr("if isSome(o) then get(o) else some(none)");
  EXPECT_EQ(o->kind, ExprKind::Ite);
  EXPECT_EQ(o->args[0]->name, "isSome");
  EXPECT_EQ(o->args[2]->kind, ExprKind::Some);
  EXPECT_EQ(o->args[2]->args[0]->kind, ExprKind::NoneLit);

  auto q = parseExpr("exists x in S: forall y in T: x == y");
  EXPECT_EQ(q->kind, ExprKind::Exists);
  EXPECT_EQ(q->body->kind, ExprKind::Forall);

  auto rn = parseExpr("Reply{req: r, res: 3}");
  EXPECT_EQ(rn->kind, ExprKind::RecordNamed);
  EXPECT_EQ(rn->fields[1].value->intVal, 3);
  auto rp = parseExpr("Reply(r, 3)");
  EXPECT_EQ(rp->kind, ExprKind::Call);

  auto k = parseExpr("KNOWN [c in C, ME, NOONE] Request q {{ op == 1; }}");
  EXPECT_EQ(k->kind, ExprKind::Known);
  EXPECT_EQ(k->pattern->binder, "q");

  auto sv = parseExpr("Replica.x[p] == true && false");
  EXPECT_EQ(sv->args[0]->args[0]->kind, ExprKind::Index);
  EXPECT_EQ(sv->args[0]->args[0]->args[0]->kind, ExprKind::Field);
  EXPECT_EQ(sv->args[0]->args[0]->args[0]->name, "x");
  EXPECT_EQ(sv->args[1]->kind, ExprKind::BoolLit);
}

TEST(ParserLexical, CommentsAndKeywords) {
  Program p = parseOk("// line comment\n/* block\ncomment */ param /* x */ "
                      "F = 1; // tail\nconst ME_ = inx + notinx;\n");
  ASSERT_EQ(p.decls.size(), 2u);
  const auto &c = std::get<ConstDecl>(p.decls[1]);
  EXPECT_EQ(c.name, "ME_");
  EXPECT_EQ(c.value->args[0]->name, "inx"); // not `in x`
  EXPECT_EQ(c.value->args[1]->name, "notinx");
  EXPECT_EQ(std::get<ParamDecl>(p.decls[0]).loc.line, 4u);
  EXPECT_EQ(std::get<ParamDecl>(p.decls[0]).loc.col, 12u);
}
