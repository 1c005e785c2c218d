// ir::equal / ir::hash and the generic walker (ir/Equal.h, ir/Walk.h), over
// every expression of every example and bug variant:
// - an expression equals itself and a deep copy of itself (locations moved),
//   with the same hash;
// - equal => same hash, for every pair of a program's expressions;
// - a copy mutated in one place ExprKinds.def says matters (a field of its
//   kind, its type, an operand, a pattern part, anywhere in the tree) is not
//   equal, and a copy changed only in fields the kind does not use is
//   (property, rapidcheck);
// - forEachChild reaches every part of a KNOWN pattern.
#include "Corpus.h"
#include "frontend/Frontend.h"
#include "ir/Equal.h"
#include "ir/Rewrite.h"
#include "ir/Walk.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace {

namespace ir = mommie::ir;
using ir::Expr;
using ir::ExprKind;
using ir::ExprPtr;

struct Corpus {
  std::vector<ir::Program> programs;
  std::vector<std::vector<ExprPtr>> exprs; // per program, every node
};

// Every node reachable from a program's expressions, as shared pointers.
std::vector<ExprPtr> nodesOf(const ir::Program &p) {
  std::vector<ExprPtr> out;
  // forEachExpr hands out references; a rewriter sees the ExprPtrs.
  struct Collect : ir::Rewriter {
    std::vector<ExprPtr> *out;
    ExprPtr leave(ExprPtr e) override {
      out->push_back(e);
      return e;
    }
  } c;
  c.out = &out;
  ir::Program copy = p;
  c.program(copy);
  return out;
}

const Corpus &corpus() {
  static Corpus c = [] {
    Corpus out;
    for (const auto &path : ir::testing::corpusPaths()) {
      mommie::DiagnosticEngine diags;
      auto p = mommie::frontend::compileFile(path, {}, diags);
      if (!p)
        continue;
      out.exprs.push_back(nodesOf(*p));
      out.programs.push_back(std::move(*p));
    }
    return out;
  }();
  return c;
}

ir::TypeRef deepType(const ir::TypeRef &t);

ExprPtr deep(const ExprPtr &e, uint32_t shift) {
  if (!e)
    return e;
  auto c = std::make_shared<Expr>(*e);
  c->loc.line += shift;
  c->loc.col += 1;
  c->type = deepType(e->type);
  for (auto &a : c->args)
    a = deep(a, shift);
  c->sym = deep(e->sym, shift);
  if (e->pattern) {
    auto p = std::make_shared<ir::Pattern>(*e->pattern);
    p->loc.line += shift;
    for (ExprPtr *x : {&p->issuer.expr, &p->issuer.threshold, &p->verifier.expr,
                       &p->auditor.expr})
      *x = deep(*x, shift);
    for (auto &fc : p->constraints) {
      fc.expr = deep(fc.expr, shift);
      fc.loc.line += shift;
    }
    c->pattern = p;
  }
  return c;
}

ir::TypeRef deepType(const ir::TypeRef &t) {
  if (!t)
    return t;
  auto c = std::make_shared<ir::Type>(*t);
  for (auto &a : c->args)
    a = deepType(a);
  c->symLo = deep(t->symLo, 0);
  c->symHi = deep(t->symHi, 0);
  return c;
}

TEST(Equal, CorpusIsNonTrivial) {
  size_t n = 0;
  for (const auto &es : corpus().exprs)
    n += es.size();
  EXPECT_GE(corpus().programs.size(), 10u);
  EXPECT_GT(n, 1000u);
}

TEST(Equal, EveryExpressionEqualsItsDeepCopy) {
  for (const auto &es : corpus().exprs)
    for (const auto &e : es) {
      auto c = deep(e, 7);
      ASSERT_NE(c.get(), e.get());
      EXPECT_TRUE(ir::equal(*e, *e));
      EXPECT_TRUE(ir::equal(*e, *c)) << ir::exprKindName(e->kind);
      EXPECT_EQ(ir::hash(*e), ir::hash(*c)) << ir::exprKindName(e->kind);
      if (e->type) {
        EXPECT_TRUE(ir::equal(*e->type, *deepType(e->type)));
        EXPECT_EQ(ir::hash(*e->type), ir::hash(*deepType(e->type)));
      }
    }
}

TEST(Equal, EqualImpliesSameHash) {
  size_t equalPairs = 0;
  for (const auto &es : corpus().exprs) {
    size_t n = std::min<size_t>(es.size(), 1500);
    std::vector<size_t> h(n);
    for (size_t i = 0; i < n; ++i)
      h[i] = ir::hash(*es[i]);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j < n; ++j)
        if (ir::equal(*es[i], *es[j])) {
          ++equalPairs;
          ASSERT_EQ(h[i], h[j]) << ir::exprKindName(es[i]->kind);
        }
  }
  EXPECT_GT(equalPairs, 100u); // distinct nodes that are structurally equal
}

// A copy of `e` changed in one place that matters, chosen by `pick`; nullptr
// when `e` offers no such place.
ExprPtr mutate(const ExprPtr &e, const std::function<size_t(size_t)> &pick) {
  auto c = std::make_shared<Expr>(*e);
  unsigned f = ir::exprKindInfo(e->kind).fields;
  std::vector<std::function<void()>> ways;
  auto bump = [&](int &x) { ways.push_back([&x] { x += 1; }); };
  if (f & ir::ExprField::IntVal)
    ways.push_back([&] { c->intVal ^= 1; });
  if (f & ir::ExprField::Op)
    ways.push_back(
        [&] { c->op = c->op == ir::Op::Add ? ir::Op::Sub : ir::Op::Add; });
  if (f & ir::ExprField::Builtin)
    ways.push_back([&] {
      c->builtin = c->builtin == ir::Builtin::Card ? ir::Builtin::Len
                                                   : ir::Builtin::Card;
    });
  if (f & ir::ExprField::Slot)
    bump(c->slot);
  if (f & ir::ExprField::Role)
    bump(c->role);
  if (f & ir::ExprField::Var)
    bump(c->var);
  if (f & ir::ExprField::Index)
    bump(c->index);
  if (f & ir::ExprField::Sym)
    ways.push_back([&] { c->sym = c->sym ? nullptr : e; });
  if ((f & ir::ExprField::Pattern) && e->pattern)
    ways.push_back([&] {
      auto p = std::make_shared<ir::Pattern>(*e->pattern);
      size_t which = pick(3);
      if (which == 0 || p->constraints.empty())
        p->record += 1;
      else if (which == 1)
        p->constraints.pop_back();
      else
        p->constraints.back().op =
            p->constraints.back().op == ir::Op::Eq ? ir::Op::Ne : ir::Op::Eq;
      c->pattern = p;
    });
  ways.push_back([&] {
    auto t = std::make_shared<ir::Type>(e->type ? *e->type : ir::Type{});
    t->kind =
        t->kind == ir::TypeKind::Bool ? ir::TypeKind::Int : ir::TypeKind::Bool;
    t->args.clear();
    c->type = t;
  });
  if (!e->args.empty())
    ways.push_back([&] { c->args.pop_back(); });
  for (size_t i = 0; i < e->args.size(); ++i)
    if (e->args[i])
      ways.push_back([&, i] {
        if (auto m = mutate(e->args[i], pick))
          c->args[i] = m;
      });
  ways[pick(ways.size())]();
  return c;
}

// A copy of `e` changed only in fields its kind does not use, and its
// locations.
ExprPtr irrelevant(const ExprPtr &e) {
  auto c = std::make_shared<Expr>(*deep(e, 3));
  unsigned f = ir::exprKindInfo(e->kind).fields;
  if (!(f & ir::ExprField::IntVal))
    c->intVal += 41;
  if (!(f & ir::ExprField::Slot))
    c->slot += 5;
  if (!(f & ir::ExprField::Index))
    c->index += 5;
  if (!(f & ir::ExprField::Role))
    c->role += 5;
  if (!(f & ir::ExprField::Op))
    c->op = ir::Op::Diff;
  return c;
}

RC_GTEST_PROP(Equal, MutatedCopyDiffersUnusedFieldsDoNot, ()) {
  const auto &c = corpus();
  size_t prog = *rc::gen::inRange<size_t>(0, c.exprs.size());
  const auto &es = c.exprs[prog];
  RC_PRE(!es.empty());
  const auto &e = es[*rc::gen::inRange<size_t>(0, es.size())];
  auto pick = [](size_t n) { return *rc::gen::inRange<size_t>(0, n); };
  auto m = mutate(e, pick);
  RC_ASSERT(!ir::equal(*e, *m));
  auto same = irrelevant(e);
  RC_ASSERT(ir::equal(*e, *same));
  RC_ASSERT(ir::hash(*e) == ir::hash(*same));
}

TEST(Walk, ForEachChildReachesEveryPatternPart) {
  auto leaf = [](int64_t v) {
    auto x = std::make_shared<Expr>();
    x->kind = ExprKind::IntLit;
    x->intVal = v;
    return x;
  };
  auto p = std::make_shared<ir::Pattern>();
  p->issuer.kind = ir::IssuerPattern::Kind::Exact;
  p->issuer.expr = leaf(1);
  p->issuer.threshold = leaf(2);
  p->verifier.kind = ir::PartyPattern::Kind::Contains;
  p->verifier.expr = leaf(3);
  p->auditor.kind = ir::PartyPattern::Kind::Contains;
  p->auditor.expr = leaf(4);
  auto constrain = [&p](int field, ir::Op op, ir::ExprPtr e) {
    ir::FieldConstraint
        c; // member by member: GCC 12 warns on a braced temporary's SourceLoc
    c.field = field;
    c.op = op;
    c.expr = std::move(e);
    p->constraints.push_back(std::move(c));
  };
  constrain(0, ir::Op::Eq, leaf(5));
  constrain(1, ir::Op::Lt, leaf(6));
  Expr known;
  known.kind = ExprKind::Known;
  known.pattern = p;
  Expr set;
  set.kind = ExprKind::SetLit;
  set.args = {leaf(0), std::make_shared<Expr>(known), nullptr};
  std::vector<int64_t> seen;
  ir::walkExpr(set, [&](const Expr &x) {
    if (x.kind == ExprKind::IntLit)
      seen.push_back(x.intVal);
  });
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(ir::anyExpr(set, [](const Expr &x) { return x.intVal == 6; }));
  EXPECT_FALSE(ir::anyExpr(set, [](const Expr &x) { return x.intVal == 7; }));
}

TEST(ExprKinds, TableNamesEveryKind) {
  EXPECT_STREQ(ir::exprKindName(ExprKind::IntLit), "IntLit");
  EXPECT_STREQ(ir::exprKindName(ExprKind::ConstRef), "ConstRef");
  EXPECT_EQ(ir::exprKindInfo(ExprKind::SetMap).minArgs, 2);
  EXPECT_EQ(ir::exprKindInfo(ExprKind::SetMap).maxArgs, 3);
  EXPECT_EQ(ir::builtinInfo(ir::Builtin::Append).arity, 2u);
  EXPECT_EQ(ir::builtinNamed("isSome"), ir::Builtin::IsSome);
  EXPECT_FALSE(ir::builtinNamed("nope"));
}

} // namespace
