// Sema: retire clauses, `retire PATTERN [IF cond];` in a role.
//
// The pattern is checked exactly as a trigger pattern (SemaPattern.cpp),
// with ME the principal playing the role, except that its issuer is never a
// quorum: a node retires single statements. The condition is a boolean over
// the pattern's variables and the role's variables; it reads no KNOWN (the
// retirement of a statement must not depend on the rest of the pool) and no
// ghost variable (checked with the other ghost rules, SemaGhost.cpp). A
// retire pattern is not a use of its record for Byzantine publishing: the
// clause does not change the state space.
#include "frontend/Sema.h"

#include <fmt/format.h>

namespace mommie::frontend {

void Sema::checkRetire(const ast::RetireDecl &r, int role) {
  if (!r.pattern)
    return;
  if (r.pattern->statementSet) {
    rejectStatementSet(*r.pattern, "a retire clause");
    return;
  }
  if (r.pattern->issuer.kind == ast::IssuerPattern::Kind::Quorum) {
    error(r.pattern->issuer.loc,
          "a retire clause cannot use a quorum issuer: a node retires single "
          "statements "
          "(write the issuer as '_', 'x in S' or a principal)");
    return;
  }
  ir::Retire out;
  out.loc = r.loc;
  Frame frame;
  ScopeStack scopes;
  ExprCtx ctx = ExprCtx::inRole(ExprCtx::Kind::Transition, role, frame, scopes);
  ctx.retire = true;
  scopes.push();
  PendingPattern p;
  p.ast = r.pattern.get();
  declarePattern(p, ctx, LocalKind::PatternRecord, false);
  checkPattern(p, ctx);
  if (r.cond)
    out.cond = boolExpr(*r.cond, ctx, "the condition of a retire clause");
  closeScope(ctx, false);
  out.slots = frame.take();
  if (!p.ok || (r.cond && !out.cond))
    return;
  out.pattern = std::move(p.ir);
  out_.roles[size_t(role)].retires.push_back(std::move(out));
}

} // namespace mommie::frontend
