// Sema: statement patterns `[issuer, verifier, auditor] Record x {{ ... }}`
// of triggers, KNOWN (in transitions, invariants and lemmas) and PROGRESS.
// Patterns are checked in two passes so that joins work in either order:
// first every binder of every pattern of a transition is declared, then the
// parts and field constraints are checked with all of them in scope.
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"
#include "ir/Walk.h"

#include <fmt/format.h>

namespace mommie::frontend {

using IK = ast::IssuerPattern::Kind;
using PK = ast::PartyPattern::Kind;

static bool declareLocal(Sema &, ScopeStack &scopes, const Local &l,
                         DiagnosticEngine &diags) {
  if (const Local *prev = scopes.declare(l)) {
    diags.error(l.loc, fmt::format("redefinition of '{}'", l.name));
    diags.note(prev->loc, "previous definition is here");
    return false;
  }
  return true;
}

void Sema::declarePattern(PendingPattern &p, ExprCtx &ctx, LocalKind recordKind,
                          bool warn) {
  const ast::Pattern &a = *p.ast;
  p.ir.loc = a.loc;
  const Global *g = global(a.record);
  if (!g || g->kind != GlobalKind::Record) {
    std::string msg = fmt::format("unknown record '{}' in pattern", a.record);
    std::string close = closestName(a.record, recordNames());
    if (!close.empty())
      msg += fmt::format("; did you mean '{}'?", close);
    error(a.recordLoc, msg);
    p.ok = false;
  } else {
    p.ir.record = g->index;
  }
  const auto &is = a.issuer;
  if (is.kind == IK::BindIn || is.kind == IK::BindOne ||
      is.kind == IK::Quorum) {
    const Global *s = global(is.set);
    if (!s || s->kind != GlobalKind::PrincipalSet) {
      error(is.loc, fmt::format("'{}' is not a principal set", is.set));
      p.ok = false;
    } else {
      p.ir.issuer.set = s->index;
    }
    p.ir.issuer.kind = is.kind == IK::Quorum ? ir::IssuerPattern::Kind::Quorum
                                             : ir::IssuerPattern::Kind::Bind;
    p.ir.issuer.exact = is.exact;
    if (!is.binder.empty() && !a.statementSet) {
      ir::TypeRef t = is.kind == IK::Quorum ? setType(principalType(-1))
                                            : principalType(p.ir.issuer.set);
      Local l;
      l.name = is.binder;
      l.type = t;
      l.loc = is.loc;
      l.kind = LocalKind::IssuerBinder;
      l.warnUnused = warn;
      l.slot = ctx.frame->addSlot(is.binder, t, is.loc);
      p.ir.issuer.slot = l.slot;
      declareLocal(*this, *ctx.scopes, l, diags_);
    }
  }
  Local l;
  l.name = a.binder;
  l.type = p.ir.record >= 0 ? recordType(p.ir.record) : intType();
  if (a.statementSet) {
    // The set's type even when the form is wrong, so that uses in the body
    // are not reported twice.
    p.ir.statementSet = true;
    l.type = setType(tupleType({principalType(p.ir.issuer.set), l.type}));
    p.ok = p.ok && statementSetOk(a);
  }
  l.loc = a.binderLoc;
  l.kind = recordKind;
  // Field constraints read the variable's fields (`Order order {{ m == req;
  // }}`, the MOMMIE paper's Execute): it is used even if the body never names
  // it.
  l.warnUnused = warn && a.constraints.empty();
  l.slot = ctx.frame->addSlot(a.binder, l.type, a.loc);
  p.ir.slot = l.slot;
  if (p.ir.record < 0)
    unknownRecordSlots_.insert({ctx.frame, l.slot});
  declareLocal(*this, *ctx.scopes, l, diags_);
}

// `[S >= k, V, A] Record* x`: a quorum issuer without an issuer-set
// binder (the issuers are `{e.0 : e in x}`).
bool Sema::statementSetOk(const ast::Pattern &a) {
  if (a.issuer.kind != IK::Quorum) {
    error(
        a.loc,
        fmt::format("a statement set '{}* {}' needs a quorum issuer ('S >= k')",
                    a.record, a.binder));
    return false;
  }
  if (!a.issuer.binder.empty()) {
    error(a.issuer.loc,
          fmt::format(
              "a statement set binds no issuer set: write '{{e.0 : e in {}}}' "
              "for the issuers",
              a.binder));
    return false;
  }
  return true;
}

void Sema::rejectStatementSet(const ast::Pattern &a, const char *where) {
  if (a.statementSet)
    error(a.loc,
          fmt::format(
              "{} cannot bind a statement set ('{}* {}'): only a transition's "
              "trigger can",
              where, a.record, a.binder));
}

// Only the guard and the body of a transition read a statement set: the
// patterns (its own and the others) are matched before it is collected.
void Sema::statementSetsUnread(const std::vector<PendingPattern> &patterns) {
  std::vector<ir::Pattern> pats;
  for (const auto &p : patterns)
    pats.push_back(p.ir);
  for (const auto &set : patterns)
    if (set.ok && set.ir.statementSet)
      if (const ir::Expr *x = ir::slotReadInPatterns(pats, set.ir.slot))
        error(x->loc,
              fmt::format(
                  "the statement set '{}' cannot be read in a pattern; use it "
                  "in the guard or the body",
                  set.ast->binder));
}

// A principal-valued part of a pattern.
static ir::ExprPtr principalPart(Sema &, ir::ExprPtr x) { return x; }

void Sema::checkPattern(PendingPattern &p, ExprCtx &ctx) {
  const ast::Pattern &a = *p.ast;
  auto principal = [&](const ast::ExprPtr &e, const char *what) -> ir::ExprPtr {
    if (!e)
      return nullptr;
    auto x = expr(*e, ctx, principalType(-1));
    if (x && !isPrincipal(*x->type)) {
      error(e->loc,
            fmt::format("the {} of a pattern must be a principal, not {}", what,
                        typeStr(x->type)));
      return nullptr;
    }
    return principalPart(*this, x);
  };
  const auto &is = a.issuer;
  switch (is.kind) {
  case IK::Underscore:
  case IK::Any:
    p.ir.issuer.kind = ir::IssuerPattern::Kind::Any;
    break;
  case IK::Expr:
    p.ir.issuer.kind = ir::IssuerPattern::Kind::Exact;
    p.ir.issuer.expr = principal(is.expr, "issuer");
    p.ok = p.ok && p.ir.issuer.expr;
    break;
  case IK::Quorum:
    if (is.threshold) {
      p.ir.issuer.threshold =
          intExpr(*is.threshold, ctx, "the quorum threshold");
      p.ok = p.ok && p.ir.issuer.threshold;
    }
    break;
  default:
    break;
  }
  switch (a.verifier.kind) {
  case PK::Underscore:
  case PK::Any:
    p.ir.verifier.kind = ir::PartyPattern::Kind::Any;
    break;
  case PK::Noone:
    error(a.verifier.loc, "NOONE cannot be the verifier of a pattern");
    p.ok = false;
    break;
  case PK::Expr:
    p.ir.verifier.kind = ir::PartyPattern::Kind::Contains;
    p.ir.verifier.expr = principal(a.verifier.expr, "verifier");
    p.ok = p.ok && p.ir.verifier.expr;
    break;
  }
  switch (a.auditor.kind) {
  case PK::Underscore:
  case PK::Noone:
    p.ir.auditor.kind = ir::PartyPattern::Kind::Any;
    break;
  case PK::Any:
    p.ir.auditor.kind = ir::PartyPattern::Kind::Universal;
    break;
  case PK::Expr:
    p.ir.auditor.kind = ir::PartyPattern::Kind::Contains;
    p.ir.auditor.expr = principal(a.auditor.expr, "auditor");
    p.ok = p.ok && p.ir.auditor.expr;
    break;
  }
  if (p.ir.record < 0)
    return;
  const auto &rec = out_.records[p.ir.record];
  for (const auto &c : a.constraints) {
    int field = -1;
    for (size_t i = 0; i < rec.fields.size(); ++i)
      if (rec.fields[i].name == c.field)
        field = (int)i;
    if (field < 0) {
      error(c.loc,
            fmt::format("record '{}' has no field '{}'", rec.name, c.field));
      p.ok = false;
      continue;
    }
    const auto &ft = rec.fields[field].type;
    auto x = c.expr ? expr(*c.expr, ctx, ft) : nullptr;
    if (!x) {
      p.ok = false;
      continue;
    }
    bool ordering = c.op != ast::BinOp::Eq && c.op != ast::BinOp::Ne;
    if (ordering ? !(isIntLike(*ft) && isIntLike(*x->type))
                 : !comparable(*ft, *x->type)) {
      error(c.loc, fmt::format("cannot compare field '{}' of type {} with {}",
                               c.field, typeStr(ft), typeStr(x->type)));
      p.ok = false;
      continue;
    }
    ir::FieldConstraint fc;
    fc.loc = c.loc;
    fc.field = field;
    fc.op = lower::binOp((int)c.op);
    fc.expr = x;
    p.ir.constraints.push_back(fc);
  }
}

void Sema::recordPatternUse(const ir::Pattern &p, bool countsForByzantine) {
  if (!countsForByzantine || p.record < 0)
    return;
  PatternUse u;
  u.record = p.record;
  u.loc = p.loc;
  u.issuer = p.issuer.kind;
  u.set = p.issuer.set;
  u.exactType = p.issuer.expr ? p.issuer.expr->type : nullptr;
  if (p.issuer.expr && p.issuer.expr->kind == ir::ExprKind::Me)
    u.exactType =
        nullptr; // ME never is a Byzantine principal running a transition
  u.role = -1;
  u.transition = curTransition_;
  patternUses_.push_back(u);
}

std::shared_ptr<const ir::Pattern> Sema::knownPattern(const ast::Pattern &a,
                                                      ExprCtx &ctx) {
  rejectStatementSet(a, "KNOWN");
  if (a.statementSet)
    return nullptr;
  PendingPattern p;
  p.ast = &a;
  ctx.scopes->push();
  declarePattern(p, ctx, LocalKind::PatternRecord, false);
  checkPattern(p, ctx);
  ctx.scopes->pop();
  if (!p.ok)
    return nullptr;
  if (ctx.poolKnown) {
    warnNeverInPool(p.ir);
  } else {
    recordPatternUse(p.ir, true);
    patternUses_.back().role = ctx.role;
    patternUses_.back().transition = -1;
  }
  return std::make_shared<ir::Pattern>(std::move(p.ir));
}

// KNOWN in an invariant or lemma tests the whole pool. It does not count as
// a pattern a Byzantine principal's statements can match (docs/semantics.md,
// action 5: only transitions' patterns do), so it leaves the state space
// unchanged; a record nobody can publish makes it constantly false.
void Sema::warnNeverInPool(const ir::Pattern &p) {
  bool byzIssuable = false;
  for (const auto &f : out_.faults)
    byzIssuable = byzIssuable || f.kind == ir::FaultDecl::Kind::Byzantine;
  bool matched = false;
  for (const auto &u : patternUses_)
    matched = matched || u.record == p.record;
  if (!published_.count(p.record) && !(byzIssuable && matched))
    warning(p.loc,
            fmt::format(
                "no role publishes '{}' and no Byzantine principal can issue "
                "it: this KNOWN is always false",
                out_.records[p.record].name));
}

} // namespace mommie::frontend
