// Ghost variables (`ghost var`): history state for invariants and proofs.
// The rule: nothing but ghost state depends on a ghost variable. Triggers,
// guards, retire clauses, PUBLISH, timers, round sends and progress
// conditions never read one; a non-ghost variable is never assigned a value
// that reads one, nor under a condition that reads one. A `let` whose value
// reads ghost state is ghost itself (its uses are checked the same way). So the
// checker, TLC and the prover keep ghost variables like any other, while
// compiled nodes drop them and every statement marked Stmt::ghost, with the
// same behaviour.
#include "frontend/Sema.h"
#include "ir/Walk.h"

#include <fmt/format.h>

namespace mommie::frontend {

namespace {

class GhostFlow {
public:
  GhostFlow(const ir::Role &role, size_t numSlots, DiagnosticEngine &diags)
      : role_(role), ghostSlot_(numSlots, false), diags_(diags) {}

  bool readsGhost(const ir::Expr &e) const {
    return ir::anyExpr(e, [&](const ir::Expr &x) {
      if (x.kind == ir::ExprKind::StateVar)
        return x.var >= 0 && size_t(x.var) < role_.vars.size() &&
               role_.vars[size_t(x.var)].ghost;
      if (x.kind == ir::ExprKind::Slot)
        return x.slot >= 0 && size_t(x.slot) < ghostSlot_.size() &&
               ghostSlot_[size_t(x.slot)];
      return false;
    });
  }
  bool readsGhost(const ir::ExprPtr &e) const { return e && readsGhost(*e); }

  // An error at `e` if it reads ghost state; `what` names the place.
  void forbid(const ir::ExprPtr &e, const std::string &what) {
    if (readsGhost(e))
      diags_.error(
          e->loc,
          fmt::format(
              "{} reads ghost state; only ghost variables may depend on "
              "ghost variables",
              what));
  }
  void forbid(const ir::Pattern &p, const std::string &what) {
    ir::forEachPatternExpr(p, [&](const ir::Expr &x) {
      if (readsGhost(x))
        diags_.error(
            x.loc,
            fmt::format("{} reads ghost state; only ghost variables may depend "
                        "on ghost variables",
                        what));
    });
  }

  // `b` with Stmt::ghost set; `underGhost`: inside an `if` on ghost state.
  ir::Block mark(const ir::Block &b, bool underGhost) {
    ir::Block out;
    for (const auto &sp : b) {
      auto s = std::make_shared<ir::Stmt>(*sp);
      markStmt(*s, underGhost);
      out.push_back(std::move(s));
    }
    return out;
  }

private:
  void markStmt(ir::Stmt &s, bool underGhost) {
    switch (s.kind) {
    case ir::StmtKind::Let:
      if (underGhost || readsGhost(s.value)) {
        if (s.slot >= 0 && size_t(s.slot) < ghostSlot_.size())
          ghostSlot_[size_t(s.slot)] = true;
        s.ghost = true;
      }
      break;
    case ir::StmtKind::Assign: {
      bool ghostVar = s.var >= 0 && size_t(s.var) < role_.vars.size() &&
                      role_.vars[size_t(s.var)].ghost;
      if (ghostVar) {
        s.ghost = true;
        break;
      }
      const std::string &name = role_.vars[size_t(s.var)].name;
      if (underGhost)
        diags_.error(
            s.loc,
            fmt::format("'{}' is not a ghost variable but is assigned under a "
                        "condition on ghost state",
                        name));
      std::string what = fmt::format(
          "the value assigned to '{}' (not a ghost variable)", name);
      forbid(s.value, what);
      for (const auto &step : s.path)
        forbid(step.key, what);
      break;
    }
    case ir::StmtKind::If: {
      bool ghostCond = underGhost || readsGhost(s.cond);
      s.thenBody = mark(s.thenBody, ghostCond);
      s.elseBody = mark(s.elseBody, ghostCond);
      s.ghost = allGhost(s.thenBody) && allGhost(s.elseBody);
      break;
    }
    case ir::StmtKind::Publish:
      if (underGhost)
        diags_.error(s.loc, "PUBLISH under a condition on ghost state");
      ir::forEachStmtExpr(s, [&](const ir::Expr &x) {
        if (readsGhost(x))
          diags_.error(
              x.loc,
              "PUBLISH reads ghost state; only ghost variables may depend on "
              "ghost variables");
      });
      break;
    case ir::StmtKind::StartTimer:
    case ir::StmtKind::CancelTimer:
      if (underGhost)
        diags_.error(
            s.loc,
            "a timer is started or cancelled under a condition on ghost state");
      break;
    case ir::StmtKind::Skip:
      s.ghost = underGhost;
      break;
    }
  }
  static bool allGhost(const ir::Block &b) {
    for (const auto &s : b)
      if (!s->ghost)
        return false;
    return true;
  }

  const ir::Role &role_;
  std::vector<bool> ghostSlot_;
  DiagnosticEngine &diags_;
};

bool hasGhost(const ir::Role &role) {
  for (const auto &v : role.vars)
    if (v.ghost)
      return true;
  return false;
}

} // namespace

void Sema::checkGhosts() {
  for (auto &role : out_.roles) {
    if (!hasGhost(role))
      continue;
    for (auto &t : role.transitions) {
      GhostFlow flow(role, t.slots.size(), diags_);
      for (const auto &p : t.triggers)
        flow.forbid(p, "a trigger pattern");
      flow.forbid(t.guard, "a guard");
      t.body = flow.mark(t.body, false);
    }
    for (const auto &rt : role.retires) {
      GhostFlow flow(role, rt.slots.size(), diags_);
      flow.forbid(rt.pattern, "a retire pattern");
      flow.forbid(rt.cond, "a retire condition");
    }
    if (role.phase) {
      for (auto &r : role.phase->rounds) {
        GhostFlow flow(role, r.slots.size(), diags_);
        for (const auto &pc : r.progress)
          flow.forbid(pc.expr, "a progress condition");
        for (const auto &s : r.sends) {
          flow.forbid(s.payload, "a round's message");
          flow.forbid(s.dest, "a round's destination");
          flow.forbid(s.cond, "a send condition");
        }
        r.update = flow.mark(r.update, false);
      }
    }
  }
}

} // namespace mommie::frontend
