// Sema: pure functions, fault declarations, invariants and lemmas,
// temporal properties, communication predicates, fairness, termination.
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

void Sema::checkFuns() {
  calls_.assign(funs_.size(), {});
  funParams_.assign(funs_.size(), {});
  funResult_.assign(funs_.size(), nullptr);
  // Signatures first: any function may be called from any body.
  for (size_t i = 0; i < funs_.size(); ++i) {
    for (const auto &p : funs_[i]->params) {
      auto t = p.type ? resolveType(*p.type) : nullptr;
      funParams_[i].push_back(t ? t : intType());
    }
    funResult_[i] = funs_[i]->result ? resolveType(*funs_[i]->result) : nullptr;
  }
  for (size_t i = 0; i < funs_.size(); ++i) {
    const auto *f = funs_[i];
    ir::Function fn;
    fn.name = f->name;
    fn.loc = f->loc;
    fn.result = funResult_[i] ? funResult_[i] : intType();
    Frame frame;
    ScopeStack scopes;
    ExprCtx ctx;
    ctx.kind = ExprCtx::Kind::Fun;
    ctx.fun = (int)i;
    ctx.frame = &frame;
    ctx.scopes = &scopes;
    scopes.push();
    for (size_t k = 0; k < f->params.size(); ++k) {
      const auto &p = f->params[k];
      Local l;
      l.name = p.name;
      l.type = funParams_[i][k];
      l.loc = p.loc;
      l.kind = LocalKind::Param;
      l.slot = frame.addSlot(p.name, l.type, p.loc);
      fn.params.push_back(l.slot);
      if (const Local *prev = scopes.declare(l)) {
        error(p.loc, fmt::format("redefinition of '{}'", p.name));
        note(prev->loc, "previous definition is here");
      }
    }
    if (f->body)
      fn.body = exprOfType(*f->body, ctx, funResult_[i],
                           fmt::format("the result of function '{}'", f->name));
    closeScope(ctx, true);
    fn.slots = frame.take();
    out_.funs.push_back(std::move(fn));
  }
}

void Sema::checkFaults() {
  std::map<int, ir::SourceLoc> seen;
  for (const auto *f : ast_.all<ast::FaultsDecl>()) {
    const Global *g = global(f->set);
    if (!g || g->kind != GlobalKind::PrincipalSet) {
      error(f->loc,
            fmt::format("faults of unknown principal set '{}'", f->set));
      continue;
    }
    auto [it, ins] = seen.emplace(g->index, f->loc);
    if (!ins) {
      error(f->loc,
            fmt::format("faults of principal set '{}' are declared twice",
                        f->set));
      note(it->second, "previous declaration is here");
      continue;
    }
    ir::FaultDecl fd;
    switch (f->kind) {
    case ast::FaultsDecl::Kind::Crash:
      fd.kind = ir::FaultDecl::Kind::Crash;
      break;
    case ast::FaultsDecl::Kind::Recover:
      fd.kind = ir::FaultDecl::Kind::Recover;
      break;
    case ast::FaultsDecl::Kind::Byzantine:
      fd.kind = ir::FaultDecl::Kind::Byzantine;
      break;
    }
    fd.principalSet = g->index;
    fd.loc = f->loc;
    auto m = f->max ? evalIntConst(*f->max, "the fault bound") : std::nullopt;
    if (!m)
      continue;
    if (*m < 0) {
      error(f->max->loc,
            fmt::format("the fault bound must not be negative, not {}", *m));
      continue;
    }
    if (*m > out_.principalSets[g->index].size)
      warning(f->max->loc,
              fmt::format("fault bound {} exceeds the size {} of '{}'", *m,
                          out_.principalSets[g->index].size, f->set));
    fd.max = *m;
    fd.symMax = symIfParams(*f->max);
    out_.faults.push_back(fd);
  }
}

// A closed state predicate with an invariant's scope: every principal's
// variables and, in event-driven programs, KNOWN over the pool.
ir::Predicate Sema::statePredicate(const std::string &name,
                                   const ir::SourceLoc &loc,
                                   const ast::ExprPtr &e,
                                   const std::string &what) {
  Frame frame;
  ScopeStack scopes;
  ExprCtx ctx;
  ctx.kind = ExprCtx::Kind::Invariant;
  ctx.poolKnown = true;
  ctx.frame = &frame;
  ctx.scopes = &scopes;
  ir::Predicate p;
  p.name = name;
  p.loc = loc;
  if (e)
    p.expr = boolExpr(*e, ctx, what);
  p.slots = frame.take();
  return p;
}

void Sema::checkInvariants() {
  for (const auto *inv : ast_.all<ast::InvariantDecl>()) {
    auto p = statePredicate(inv->name, inv->loc, inv->expr,
                            inv->lemma ? "a lemma" : "an invariant");
    p.lemma = inv->lemma;
    out_.invariants.push_back(std::move(p));
  }
}

// Model constraints are state predicates like invariants. Unnamed ones are
// numbered in source order: Constraint1, Constraint2, ...
void Sema::checkConstraints() {
  int unnamed = 0;
  for (const auto *c : ast_.all<ast::ConstraintDecl>()) {
    std::string name =
        c->name.empty() ? fmt::format("Constraint{}", ++unnamed) : c->name;
    out_.constraints.push_back(
        statePredicate(name, c->loc, c->expr, "a constraint"));
  }
}

ir::TemporalPtr Sema::temporal(const ast::Temporal &t, ExprCtx &ctx) {
  using TK = ast::Temporal::Kind;
  auto out = std::make_shared<ir::Temporal>();
  out->loc = t.loc;
  auto sub = [&](size_t i) -> ir::TemporalPtr {
    return i < t.args.size() && t.args[i] ? temporal(*t.args[i], ctx) : nullptr;
  };
  std::vector<ir::TemporalPtr> args;
  for (size_t i = 0; i < t.args.size(); ++i)
    args.push_back(sub(i));
  for (const auto &a : args)
    if (!a)
      return nullptr;
  switch (t.kind) {
  case TK::State:
    out->kind = ir::Temporal::Kind::State;
    out->state =
        t.state ? boolExpr(*t.state, ctx, "a state predicate") : nullptr;
    return out->state ? out : nullptr;
  case TK::Always:
    out->kind = ir::Temporal::Kind::Always;
    break;
  case TK::Eventually:
    out->kind = ir::Temporal::Kind::Eventually;
    break;
  case TK::LeadsTo:
    out->kind = ir::Temporal::Kind::LeadsTo;
    break;
  case TK::And:
    out->kind = ir::Temporal::Kind::And;
    break;
  case TK::Or:
    out->kind = ir::Temporal::Kind::Or;
    break;
  case TK::Not:
    out->kind = ir::Temporal::Kind::Not;
    break;
  case TK::Implies: {
    // a => b  ==  !a || b
    if (args.size() != 2)
      return nullptr;
    auto notA = std::make_shared<ir::Temporal>();
    notA->kind = ir::Temporal::Kind::Not;
    notA->loc = t.loc;
    notA->args = {args[0]};
    out->kind = ir::Temporal::Kind::Or;
    out->args = {notA, args[1]};
    return out;
  }
  }
  out->args = std::move(args);
  return out;
}

void Sema::checkProperties() {
  for (const auto *pd : ast_.all<ast::PropertyDecl>()) {
    Frame frame;
    ScopeStack scopes;
    ExprCtx ctx;
    ctx.kind = ExprCtx::Kind::Invariant;
    ctx.frame = &frame;
    ctx.scopes = &scopes;
    ir::Property p;
    p.name = pd->name;
    p.loc = pd->loc;
    if (pd->formula)
      p.formula = temporal(*pd->formula, ctx);
    p.slots = frame.take();
    if (p.formula)
      out_.properties.push_back(std::move(p));
  }
}

void Sema::checkCommunication() {
  for (const auto *c : ast_.all<ast::CommunicationDecl>()) {
    auto it = rounds_.find(c->round);
    if (it == rounds_.end() || phaseRole_ < 0) {
      error(c->loc,
            fmt::format("communication predicate '{}' names unknown round '{}'",
                        c->name, c->round));
      continue;
    }
    const auto &round = out_.roles[phaseRole_].phase->rounds[it->second];
    Frame frame;
    ScopeStack scopes;
    ExprCtx ctx;
    ctx.kind = ExprCtx::Kind::Comm;
    ctx.role = phaseRole_;
    ctx.frame = &frame;
    ctx.scopes = &scopes;
    scopes.push();
    int mboxSlot = declareMailbox(ctx, round.payload, c->loc);
    ir::CommPredicate cp;
    cp.name = c->name;
    cp.round = it->second;
    cp.loc = c->loc;
    cp.mboxSlot = mboxSlot;
    if (c->expr)
      cp.expr = boolExpr(*c->expr, ctx, "a communication predicate");
    cp.slots = frame.take();
    out_.commPredicates.push_back(std::move(cp));
  }
}

void Sema::checkMisc() {
  auto fair = ast_.all<ast::FairnessDecl>();
  for (size_t i = 0; i < fair.size(); ++i) {
    if (i > 0) {
      error(fair[i]->loc, "fairness is declared twice");
      note(fair[0]->loc, "previous declaration is here");
    }
  }
  if (!fair.empty())
    out_.fairness = fair[0]->kind == ast::FairnessDecl::Kind::Weak
                        ? ir::Fairness::Weak
                        : ir::Fairness::Strong;
  auto term = ast_.all<ast::TerminateDecl>();
  for (size_t i = 1; i < term.size(); ++i) {
    error(term[i]->loc, "termination is declared twice");
    note(term[0]->loc, "previous declaration is here");
  }
  if (!term.empty() && term[0]->expr) {
    Frame frame;
    ScopeStack scopes;
    ExprCtx ctx;
    ctx.kind = ExprCtx::Kind::Invariant;
    ctx.frame = &frame;
    ctx.scopes = &scopes;
    out_.termination.name = "terminate";
    out_.termination.loc = term[0]->loc;
    out_.termination.expr =
        boolExpr(*term[0]->expr, ctx, "the termination condition");
    out_.termination.slots = frame.take();
  }
}

} // namespace mommie::frontend
