// Sema: body-spec and round-update statements: assignments to the role's own
// variables, typed locals and lets, if/else, PUBLISH (issuer ME only),
// timers, skip.
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

using ast::StmtKind;
using ir::TypeKind;

ir::Block Sema::block(const ast::Block &b, ExprCtx &ctx) {
  ir::Block out;
  for (const auto &s : b)
    if (s)
      if (auto x = stmt(*s, ctx))
        out.push_back(x);
  return out;
}

static std::shared_ptr<ir::Stmt> mkStmt(ir::StmtKind k,
                                        const ir::SourceLoc &loc) {
  auto s = std::make_shared<ir::Stmt>();
  s->kind = k;
  s->loc = loc;
  return s;
}

ir::StmtPtr Sema::stmt(const ast::Stmt &s, ExprCtx &ctx) {
  switch (s.kind) {
  case StmtKind::Assign:
    return assignStmt(s, ctx);
  case StmtKind::TypedLocal:
  case StmtKind::Let: {
    ir::TypeRef t = s.type ? resolveType(*s.type) : nullptr;
    if (s.kind == StmtKind::TypedLocal && !t)
      return nullptr;
    ir::ExprPtr v =
        !s.value ? nullptr
        : t      ? exprOfType(*s.value, ctx, t,
                              fmt::format("initialization of '{}'", s.name))
                 : expr(*s.value, ctx);
    Local l;
    l.name = s.name;
    l.type = t ? t : (v ? v->type : intType());
    l.loc = s.loc;
    l.kind = LocalKind::Let;
    l.slot = ctx.frame->addSlot(s.name, l.type, s.loc);
    if (const Local *prev = ctx.scopes->declare(l)) {
      error(s.loc, fmt::format("redefinition of '{}'", s.name));
      note(prev->loc, "previous definition is here");
      return nullptr;
    }
    if (!v)
      return nullptr;
    auto out = mkStmt(ir::StmtKind::Let, s.loc);
    out->slot = l.slot;
    out->value = v;
    return out;
  }
  case StmtKind::If: {
    auto c = s.cond ? boolExpr(*s.cond, ctx, "the condition of 'if'") : nullptr;
    auto out = mkStmt(ir::StmtKind::If, s.loc);
    ctx.scopes->push();
    out->thenBody = block(s.thenBody, ctx);
    closeScope(ctx, true);
    ctx.scopes->push();
    out->elseBody = block(s.elseBody, ctx);
    closeScope(ctx, true);
    if (!c)
      return nullptr;
    out->cond = c;
    return out;
  }
  case StmtKind::Publish:
    return publishStmt(s, ctx);
  case StmtKind::Start:
  case StmtKind::Cancel:
    return timerStmt(s, ctx);
  case StmtKind::Skip:
    return mkStmt(ir::StmtKind::Skip, s.loc);
  }
  return nullptr;
}

ir::StmtPtr Sema::assignStmt(const ast::Stmt &s, ExprCtx &ctx) {
  const std::string roleName = ctx.role >= 0 ? out_.roles[ctx.role].name : "?";
  if (ctx.scopes->lookup(s.name)) {
    error(
        s.loc,
        fmt::format("cannot assign to '{}': only variables of role '{}' can be "
                    "assigned",
                    s.name, roleName));
    return nullptr;
  }
  int var = -1;
  if (ctx.role >= 0) {
    auto it = roleInfo_[ctx.role].vars.find(s.name);
    if (it != roleInfo_[ctx.role].vars.end())
      var = it->second;
  }
  if (var < 0) {
    if (global(s.name) || findRoleVar(s.name, s.loc, false))
      error(s.loc,
            fmt::format("cannot assign to '{}': not a variable of role '{}'",
                        s.name, roleName));
    else
      error(s.loc, fmt::format("use of undeclared identifier '{}'", s.name));
    if (s.value)
      expr(*s.value, ctx);
    return nullptr;
  }
  auto out = mkStmt(ir::StmtKind::Assign, s.loc);
  out->var = var;
  ir::TypeRef cur = out_.roles[ctx.role].vars[var].type;
  bool ok = true;
  for (const auto &step : s.path) {
    if (!ok || !cur)
      break;
    ir::LValueStep st;
    switch (step.kind) {
    case ast::LValueStep::Kind::Index:
      st.kind = ir::LValueStep::Kind::Index;
      if (cur->kind == TypeKind::Map) {
        st.key = step.key ? exprOfType(*step.key, ctx, cur->args[0], "map key")
                          : nullptr;
        cur = cur->args[1];
      } else if (cur->kind == TypeKind::Seq) {
        st.key = step.key ? intExpr(*step.key, ctx, "sequence index") : nullptr;
        cur = cur->args[0];
      } else {
        error(step.loc,
              fmt::format("cannot index a value of type {}", typeStr(cur)));
        ok = false;
      }
      ok = ok && st.key;
      break;
    case ast::LValueStep::Kind::Field: {
      st.kind = ir::LValueStep::Kind::Field;
      if (cur->kind != TypeKind::Record) {
        error(step.loc, fmt::format("'.{}' needs a record, not {}", step.field,
                                    typeStr(cur)));
        ok = false;
        break;
      }
      const auto &rec = out_.records[cur->record];
      for (size_t i = 0; i < rec.fields.size(); ++i)
        if (rec.fields[i].name == step.field)
          st.index = (int)i;
      if (st.index < 0) {
        error(step.loc, fmt::format("record '{}' has no field '{}'", rec.name,
                                    step.field));
        ok = false;
        break;
      }
      cur = rec.fields[st.index].type;
      break;
    }
    case ast::LValueStep::Kind::TupleGet:
      st.kind = ir::LValueStep::Kind::TupleGet;
      if (cur->kind != TypeKind::Tuple || step.index < 0 ||
          step.index >= (int64_t)cur->args.size()) {
        error(step.loc, fmt::format("'.{}' is not a component of {}",
                                    step.index, typeStr(cur)));
        ok = false;
        break;
      }
      st.index = (int)step.index;
      cur = cur->args[st.index];
      break;
    }
    out->path.push_back(st);
  }
  if (!s.value)
    return nullptr;
  out->value = ok ? exprOfType(*s.value, ctx, cur,
                               fmt::format("assignment to '{}'", s.name))
                  : expr(*s.value, ctx);
  if (!ok || !out->value)
    return nullptr;
  return out;
}

ir::StmtPtr Sema::publishStmt(const ast::Stmt &s, ExprCtx &ctx) {
  if (ctx.kind != ExprCtx::Kind::Transition) {
    error(
        s.loc,
        "PUBLISH is only allowed in transitions (round programs have no pool)");
    return nullptr;
  }
  bool ok = true;
  if (!s.issuer || s.issuer->kind != ast::ExprKind::Me) {
    error(s.issuer ? s.issuer->loc : s.loc,
          "the issuer of PUBLISH must be ME: a principal never issues a "
          "statement in "
          "another's name");
    ok = false;
  }
  auto out = mkStmt(ir::StmtKind::Publish, s.loc);
  auto party = [&](const ast::Expr &e, const char *what) -> ir::ExprPtr {
    auto x = expr(e, ctx);
    if (x && !isPrincipalOrSet(*x->type)) {
      error(e.loc,
            fmt::format(
                "the {} of PUBLISH must be a principal or a set of principals, "
                "not {}",
                what, typeStr(x->type)));
      return nullptr;
    }
    return x;
  };
  out->verifier = s.verifier ? party(*s.verifier, "verifier") : nullptr;
  ok = ok && out->verifier;
  switch (s.auditor.kind) {
  case ast::PartyPattern::Kind::Noone:
    out->auditorKind = ir::Stmt::Auditor::None;
    break;
  case ast::PartyPattern::Kind::Any:
    out->auditorKind = ir::Stmt::Auditor::Any;
    break;
  case ast::PartyPattern::Kind::Underscore:
    error(s.auditor.loc,
          "the auditor of PUBLISH must be NOONE, ANY, a principal or a set");
    ok = false;
    break;
  case ast::PartyPattern::Kind::Expr:
    out->auditorKind = ir::Stmt::Auditor::Expr;
    out->auditor = s.auditor.expr ? party(*s.auditor.expr, "auditor") : nullptr;
    ok = ok && out->auditor;
    break;
  }
  const Global *g = nullptr;
  if (s.value && (s.value->kind == ast::ExprKind::Call ||
                  s.value->kind == ast::ExprKind::RecordNamed))
    g = global(s.value->name);
  if (!g || g->kind != GlobalKind::Record) {
    error(s.value ? s.value->loc : s.loc,
          "PUBLISH needs a record construction, such as Reply(req, res)");
    ok = false;
  } else {
    out->value = recordCons(*s.value, ctx, g->index);
    ok = ok && out->value;
    published_.insert(g->index);
  }
  if (s.progress) {
    rejectStatementSet(*s.progress, "PROGRESS");
    ok = ok && !s.progress->statementSet;
    PendingPattern p;
    p.ast = s.progress.get();
    ctx.scopes->push();
    declarePattern(p, ctx, LocalKind::PatternRecord, false);
    checkPattern(p, ctx);
    ctx.scopes->pop();
    ok = ok && p.ok;
    out->progress = std::make_shared<ir::Pattern>(std::move(p.ir));
  }
  return ok ? out : nullptr;
}

ir::StmtPtr Sema::timerStmt(const ast::Stmt &s, ExprCtx &ctx) {
  bool start = s.kind == StmtKind::Start;
  if (ctx.kind != ExprCtx::Kind::Transition || ctx.role < 0) {
    error(s.loc, fmt::format("'{}' is only allowed in transitions",
                             start ? "start" : "cancel"));
    return nullptr;
  }
  auto &info = roleInfo_[ctx.role];
  auto it = info.timers.find(s.name);
  if (it == info.timers.end()) {
    error(s.loc, fmt::format("unknown timer '{}' in role '{}'", s.name,
                             out_.roles[ctx.role].name));
    return nullptr;
  }
  if (start)
    info.timerStarted[it->second] = true;
  auto out = mkStmt(
      start ? ir::StmtKind::StartTimer : ir::StmtKind::CancelTimer, s.loc);
  out->timer = it->second;
  return out;
}

} // namespace mommie::frontend
