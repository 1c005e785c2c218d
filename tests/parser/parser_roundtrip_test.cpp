// Property: for random ASTs (bounded depth), print -> parse gives an equal
// AST (locations ignored). Generated names avoid keywords; the generator
// only builds trees the parser can produce (e.g. a property's And/Or/Not
// has a temporal operand, range-type bounds are additive expressions).
#include "ParseHelpers.h"

#include <rapidcheck.h>

using namespace mommie;
using namespace mommie::ast;

namespace {

namespace gen = rc::gen;

std::string genName() {
  static const char *names[] = {"a",   "b",   "x",      "y",   "R",
                                "C",   "Req", "mbox",   "f",   "card",
                                "p_1", "inx", "notin_", "Vote"};
  return *gen::elementOf(
      std::vector<std::string>(std::begin(names), std::end(names)));
}

ExprPtr node(ExprKind k) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  return e;
}

ExprPtr genExpr(int depth);
PatternPtr genPattern(int depth);

ExprPtr genLeaf() {
  switch (*gen::inRange(0, 5)) {
  case 0: {
    auto e = node(ExprKind::IntLit);
    e->intVal = *gen::inRange<int64_t>(0, 1000);
    return e;
  }
  case 1: {
    auto e = node(ExprKind::BoolLit);
    e->boolVal = *gen::arbitrary<bool>();
    return e;
  }
  case 2:
    return node(ExprKind::Me);
  case 3:
    return node(ExprKind::NoneLit);
  default: {
    auto e = node(ExprKind::Name);
    e->name = genName();
    return e;
  }
  }
}

std::vector<ExprPtr> genList(int depth, int lo, int hi) {
  std::vector<ExprPtr> v;
  int n = *gen::inRange(lo, hi + 1);
  for (int i = 0; i < n; ++i)
    v.push_back(genExpr(depth - 1));
  return v;
}

Binder genBinder(int depth) {
  return Binder{genName(), genExpr(depth - 1), {}};
}

ExprPtr genExpr(int depth) {
  if (depth <= 0)
    return genLeaf();
  static const BinOp ops[] = {
      BinOp::Implies, BinOp::Or,       BinOp::And,   BinOp::Eq,   BinOp::Ne,
      BinOp::Lt,      BinOp::Le,       BinOp::Gt,    BinOp::Ge,   BinOp::In,
      BinOp::NotIn,   BinOp::SubsetEq, BinOp::Union, BinOp::Diff, BinOp::Inter,
      BinOp::Add,     BinOp::Sub,      BinOp::Mul,   BinOp::Div,  BinOp::Mod};
  switch (*gen::inRange(0, 20)) {
  case 0:
  case 1:
    return genLeaf();
  case 2: {
    auto e = node(ExprKind::Unary);
    e->unOp = *gen::element(UnOp::Not, UnOp::Neg);
    e->args = {genExpr(depth - 1)};
    return e;
  }
  case 3:
  case 4:
  case 5: {
    auto e = node(ExprKind::Binary);
    e->binOp = ops[*gen::inRange<size_t>(0, std::size(ops))];
    e->args = {genExpr(depth - 1), genExpr(depth - 1)};
    return e;
  }
  case 6: {
    auto e = node(ExprKind::Ite);
    e->args = genList(depth, 3, 3);
    return e;
  }
  case 7: {
    auto e = node(ExprKind::Range);
    e->args = genList(depth, 2, 2);
    return e;
  }
  case 8: {
    auto e = node(ExprKind::SetLit);
    e->args = genList(depth, 0, 3);
    return e;
  }
  case 9: {
    auto e = node(*gen::element(ExprKind::SetFilter, ExprKind::SetMap,
                                ExprKind::MapCons));
    e->binders = {genBinder(depth)};
    e->body = genExpr(depth - 1);
    if (e->kind == ExprKind::SetMap && *gen::arbitrary<bool>())
      e->cond = genExpr(depth - 1);
    return e;
  }
  case 10: {
    auto e = node(*gen::element(ExprKind::Forall, ExprKind::Exists));
    int n = *gen::inRange(1, 3);
    for (int i = 0; i < n; ++i)
      e->binders.push_back(genBinder(depth));
    e->body = genExpr(depth - 1);
    return e;
  }
  case 11: {
    auto e = node(ExprKind::Call);
    e->name = genName();
    e->args = genList(depth, 0, 3);
    return e;
  }
  case 12: {
    auto e = node(ExprKind::RecordNamed);
    e->name = genName();
    int n = *gen::inRange(1, 3);
    for (int i = 0; i < n; ++i)
      e->fields.push_back(FieldInit{genName(), genExpr(depth - 1), {}});
    return e;
  }
  case 13: {
    auto e = node(ExprKind::Field);
    e->name = genName();
    e->args = {genExpr(depth - 1)};
    return e;
  }
  case 14: {
    auto e = node(ExprKind::TupleGet);
    e->intVal = *gen::inRange(0, 3);
    e->args = {genExpr(depth - 1)};
    return e;
  }
  case 15: {
    auto e = node(ExprKind::Index);
    e->args = genList(depth, 2, 2);
    return e;
  }
  case 16: {
    auto e = node(ExprKind::Tuple);
    e->args = genList(depth, 2, 3);
    return e;
  }
  case 17: {
    auto e = node(ExprKind::SeqLit);
    e->args = genList(depth, 0, 3);
    return e;
  }
  case 18: {
    auto e = node(ExprKind::Known);
    e->pattern = genPattern(depth - 1);
    return e;
  }
  default: {
    auto e = node(ExprKind::Some);
    e->args = {genExpr(depth - 1)};
    return e;
  }
  }
}

PartyPattern genParty(int depth) {
  PartyPattern p;
  p.kind =
      *gen::element(PartyPattern::Kind::Underscore, PartyPattern::Kind::Any,
                    PartyPattern::Kind::Noone, PartyPattern::Kind::Expr);
  if (p.kind == PartyPattern::Kind::Expr)
    p.expr = genExpr(depth);
  return p;
}

PatternPtr genPattern(int depth) {
  auto p = std::make_shared<Pattern>();
  using K = IssuerPattern::Kind;
  IssuerPattern &i = p->issuer;
  i.kind = *gen::element(K::Underscore, K::Any, K::BindIn, K::BindOne,
                         K::Quorum, K::Expr);
  if (i.kind == K::BindIn || i.kind == K::BindOne || i.kind == K::Quorum) {
    i.set = genName();
    if (i.kind != K::Quorum || *gen::arbitrary<bool>())
      i.binder = genName();
  }
  if (i.kind == K::Quorum) {
    i.exact = *gen::arbitrary<bool>();
    i.threshold = genExpr(depth);
  }
  if (i.kind == K::Expr)
    i.expr = genExpr(depth);
  p->verifier = genParty(depth);
  p->auditor = genParty(depth);
  p->record = genName();
  p->binder = genName();
  int n = *gen::inRange(0, 3);
  for (int k = 0; k < n; ++k)
    p->constraints.push_back(
        FieldConstraint{genName(),
                        *gen::element(BinOp::Eq, BinOp::Ne, BinOp::Lt,
                                      BinOp::Le, BinOp::Gt, BinOp::Ge),
                        genExpr(depth),
                        {}});
  return p;
}

// Range bounds are additive expressions that do not start with '('.
ExprPtr genBound() {
  ExprPtr leaf = *gen::arbitrary<bool>() ? genLeaf() : nullptr;
  if (!leaf || leaf->kind == ExprKind::BoolLit || leaf->kind == ExprKind::Me ||
      leaf->kind == ExprKind::NoneLit) {
    leaf = node(ExprKind::IntLit);
    leaf->intVal = *gen::inRange(0, 9);
  }
  if (*gen::arbitrary<bool>())
    return leaf;
  auto e = node(ExprKind::Binary);
  e->binOp = *gen::element(BinOp::Add, BinOp::Sub, BinOp::Mul);
  auto rhs = node(ExprKind::Name);
  rhs->name = genName();
  e->args = {leaf, rhs};
  return e;
}

TypePtr genType(int depth) {
  auto t = std::make_shared<Type>();
  int k = depth <= 0 ? *gen::inRange(0, 5) : *gen::inRange(0, 10);
  switch (k) {
  case 0:
    t->kind = TypeKind::Bool;
    break;
  case 1:
    t->kind = TypeKind::Int;
    break;
  case 2:
    t->kind = TypeKind::Principal;
    break;
  case 3:
    t->kind = TypeKind::Named;
    t->name = genName();
    break;
  case 4:
    t->kind = TypeKind::Range;
    t->lo = genBound();
    t->hi = genBound();
    break;
  case 5:
  case 6:
  case 8:
    t->kind = *gen::element(TypeKind::Set, TypeKind::Option, TypeKind::Seq);
    t->args = {genType(depth - 1)};
    break;
  case 7:
    t->kind = TypeKind::Map;
    t->args = {genType(depth - 1), genType(depth - 1)};
    break;
  default:
    t->kind = TypeKind::Tuple;
    t->args = {genType(depth - 1), genType(depth - 1)};
    break;
  }
  return t;
}

Block genBlock(int depth);

StmtPtr genStmt(int depth) {
  auto s = std::make_shared<Stmt>();
  int d = 2;
  switch (*gen::inRange(0, depth > 0 ? 8 : 7)) {
  case 0: {
    s->kind = StmtKind::Assign;
    s->name = genName();
    int n = *gen::inRange(0, 3);
    for (int i = 0; i < n; ++i) {
      LValueStep st;
      st.kind = *gen::element(LValueStep::Kind::Index, LValueStep::Kind::Field,
                              LValueStep::Kind::TupleGet);
      if (st.kind == LValueStep::Kind::Index)
        st.key = genExpr(d);
      else if (st.kind == LValueStep::Kind::Field)
        st.field = genName();
      else
        st.index = *gen::inRange(0, 4);
      s->path.push_back(st);
    }
    s->value = genExpr(d);
    break;
  }
  case 1:
    s->kind = StmtKind::TypedLocal;
    s->type = genType(2);
    s->name = genName();
    s->value = genExpr(d);
    break;
  case 2:
    s->kind = StmtKind::Let;
    s->name = genName();
    s->value = genExpr(d);
    break;
  case 3: {
    s->kind = StmtKind::Publish;
    s->issuer = node(ExprKind::Me);
    s->verifier = genExpr(d);
    s->auditor = genParty(d);
    s->value = genExpr(d);
    if (*gen::arbitrary<bool>())
      s->progress = genPattern(d);
    break;
  }
  case 4:
    s->kind = StmtKind::Start;
    s->name = genName();
    break;
  case 5:
    s->kind = StmtKind::Cancel;
    s->name = genName();
    break;
  case 6:
  case 7:
    s->kind = StmtKind::Skip;
    break;
  default:
    s->kind = StmtKind::If;
    s->cond = genExpr(d);
    s->thenBody = genBlock(depth - 1);
    s->hasElse = *gen::arbitrary<bool>();
    if (s->hasElse)
      s->elseBody = genBlock(depth - 1);
    break;
  }
  return s;
}

Block genBlock(int depth) {
  Block b;
  int n = *gen::inRange(0, 3);
  for (int i = 0; i < n; ++i)
    b.push_back(genStmt(depth));
  return b;
}

TemporalPtr genTemporal(int depth, bool mustBeTemporal) {
  auto t = std::make_shared<Temporal>();
  using K = Temporal::Kind;
  if (depth <= 0 || (!mustBeTemporal && *gen::inRange(0, 3) == 0)) {
    if (!mustBeTemporal || depth > 0) {
      t->kind = K::State;
      t->state = genExpr(2);
      return t;
    }
    t->kind = K::Always;
    t->args = {genTemporal(0, false)};
    return t;
  }
  t->kind = *gen::element(K::Always, K::Eventually, K::LeadsTo, K::And, K::Or,
                          K::Not, K::Implies);
  switch (t->kind) {
  case K::Always:
  case K::Eventually:
    t->args = {genTemporal(depth - 1, false)};
    break;
  case K::LeadsTo:
    t->args = {genTemporal(depth - 1, false), genTemporal(depth - 1, false)};
    break;
  case K::Not:
    t->args = {genTemporal(depth - 1, true)};
    break;
  default: {
    bool first = *gen::arbitrary<bool>();
    t->args = {genTemporal(depth - 1, first), genTemporal(depth - 1, !first)};
  }
  }
  return t;
}

Decl genDecl() {
  switch (*gen::inRange(0, 15)) {
  case 0:
    return ParamDecl{genName(), genExpr(2), {}};
  case 1:
    return AssumeDecl{genExpr(3), {}};
  case 2:
    return PrincipalsDecl{genName(), genExpr(2), {}};
  case 3:
    return ConstDecl{genName(), genExpr(3), {}};
  case 4: {
    RecordDecl r{genName(), {}, {}};
    int n = *gen::inRange(0, 3);
    for (int i = 0; i < n; ++i)
      r.fields.push_back(TypedName{genName(), genType(2), {}});
    return r;
  }
  case 5:
    return TypeAliasDecl{genName(), genType(3), {}};
  case 6: {
    FunDecl f{genName(), {}, genType(2), genExpr(3), {}};
    int n = *gen::inRange(0, 3);
    for (int i = 0; i < n; ++i)
      f.params.push_back(TypedName{genName(), genType(1), {}});
    return f;
  }
  case 7:
  case 8: {
    RoleDecl r;
    r.name = genName();
    r.set = genName();
    int n = *gen::inRange(0, 3);
    for (int i = 0; i < n; ++i) {
      VarDecl v{genName(), genType(2), nullptr, nullptr, {}};
      int k = *gen::inRange(0, 3);
      if (k == 1)
        v.init = genExpr(2);
      if (k == 2)
        v.initSet = genExpr(2);
      r.vars.push_back(v);
    }
    if (*gen::arbitrary<bool>())
      r.timers.push_back(TimerDecl{
          genName(),
          Duration{*gen::element(Duration::Unit::Ms, Duration::Unit::S),
                   *gen::inRange<int64_t>(0, 5000),
                   {}},
          {}});
    n = *gen::inRange(0, 3);
    for (int i = 0; i < n; ++i) {
      TransitionDecl t;
      t.name = genName();
      int np = *gen::inRange(0, 2);
      for (int j = 0; j < np; ++j)
        t.params.push_back(TypedName{genName(), genType(1), {}});
      int nt = *gen::inRange(0, 3);
      for (int j = 0; j < nt; ++j) {
        Trigger tr;
        if (*gen::inRange(0, 4) == 0) {
          tr.kind = Trigger::Kind::Timeout;
          tr.timer = genName();
        } else {
          tr.pattern = genPattern(2);
        }
        t.triggers.push_back(tr);
      }
      if (*gen::arbitrary<bool>())
        t.guard = genExpr(2);
      if (*gen::arbitrary<bool>())
        t.bodyProgram = genName();
      t.body = genBlock(2);
      r.transitions.push_back(t);
    }
    if (*gen::inRange(0, 3) == 0) {
      PhaseDecl ph;
      ph.bound = genExpr(1);
      int nr = *gen::inRange(0, 3);
      for (int j = 0; j < nr; ++j) {
        RoundDecl rd;
        rd.name = genName();
        rd.payload = genType(1);
        int npc = *gen::inRange(0, 3);
        for (int k = 0; k < npc; ++k) {
          ProgressCond pc;
          pc.kind = *gen::element(
              ProgressCond::Kind::Timeout, ProgressCond::Kind::WaitMessages,
              ProgressCond::Kind::GoAhead, ProgressCond::Kind::CatchUp,
              ProgressCond::Kind::Sync);
          if (pc.kind == ProgressCond::Kind::Timeout)
            pc.timeout = Duration{
                Duration::Unit::Ms, *gen::inRange<int64_t>(1, 500), {}};
          if (pc.kind == ProgressCond::Kind::GoAhead ||
              pc.kind == ProgressCond::Kind::Sync)
            pc.expr = genExpr(2);
          rd.progress.push_back(pc);
        }
        int ns = *gen::inRange(0, 3);
        for (int k = 0; k < ns; ++k)
          rd.sends.push_back(
              SendClause{genExpr(2),
                         genExpr(2),
                         *gen::arbitrary<bool>() ? genExpr(2) : nullptr,
                         {}});
        rd.hasUpdate = *gen::arbitrary<bool>();
        if (rd.hasUpdate)
          rd.update = genBlock(2);
        ph.rounds.push_back(rd);
      }
      r.phases.push_back(ph);
    }
    return r;
  }
  case 9:
    return FaultsDecl{
        *gen::element(FaultsDecl::Kind::Crash, FaultsDecl::Kind::Byzantine),
        genName(),
        genExpr(2),
        {}};
  case 10:
    return InvariantDecl{genName(), genExpr(3), *gen::arbitrary<bool>(), {}};
  case 11:
  case 12:
    return PropertyDecl{genName(), genTemporal(3, false), {}};
  case 13:
    return FairnessDecl{
        *gen::element(FairnessDecl::Kind::Weak, FairnessDecl::Kind::Strong),
        {}};
  case 14:
    return CommunicationDecl{genName(), genName(), genExpr(3), {}};
  default:
    return TerminateDecl{genExpr(3), {}};
  }
}

} // namespace

TEST(ParserRoundTrip, RandomProgramsPrintParseEqual) {
  bool ok = rc::check("print -> parse -> equal AST", [] {
    Program p;
    p.name = genName();
    int n = *gen::inRange(0, 6);
    for (int i = 0; i < n; ++i)
      p.decls.push_back(genDecl());
    std::string text = frontend::printProgram(p);
    auto r = test::parse(text);
    if (!r.program)
      RC_FAIL("printed program does not parse:\n" + text + "\n" +
              (r.errors.empty() ? "" : r.errors[0]));
    if (!frontend::astEqual(p, *r.program))
      RC_FAIL("not equal after re-parse:\n" + text + "\nreprinted:\n" +
              frontend::printProgram(*r.program));
  });
  EXPECT_TRUE(ok);
}

TEST(ParserRoundTrip, RandomExpressionsPrintParseEqual) {
  bool ok = rc::check("expression round trip", [] {
    ExprPtr e = genExpr(*gen::inRange(0, 6));
    std::string text =
        "protocol P;\nconst X = " + frontend::printExpr(*e) + ";\n";
    auto r = test::parse(text);
    RC_ASSERT(r.program.has_value());
    const auto &c = std::get<ConstDecl>(r.program->decls.at(0));
    if (!frontend::astEqual(*e, *c.value))
      RC_FAIL("not equal: " + text +
              " reprinted: " + frontend::printExpr(*c.value));
  });
  EXPECT_TRUE(ok);
}
