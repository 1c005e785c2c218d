// Sema: roles — variables and their initial values, timers, transitions
// (parameters, triggers, guard, body spec), phases and rounds (retire
// clauses: SemaRetire.cpp).
#include "frontend/Lower.h"
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

template <class T>
static void addMember(Sema &, std::map<std::string, int> &names,
                      std::map<std::string, ir::SourceLoc> &locs, const T &decl,
                      int index, DiagnosticEngine &diags) {
  auto [it, ins] = locs.emplace(decl.name, decl.loc);
  if (!ins) {
    diags.error(decl.loc, fmt::format("redefinition of '{}'", decl.name));
    diags.note(it->second, "previous definition is here");
    return;
  }
  names[decl.name] = index;
}

void Sema::checkRoles() {
  roleInfo_.resize(roles_.size());
  std::map<std::string, ir::SourceLoc> roundLocs;
  // Pass 1: every role's members and variable types, so that any body can
  // refer to any role's variables (invariants) and timers.
  for (size_t i = 0; i < roles_.size(); ++i) {
    const auto *r = roles_[i];
    ir::Role role;
    role.name = r->name;
    role.loc = r->loc;
    const Global *g = global(r->set);
    if (!g || g->kind != GlobalKind::PrincipalSet)
      error(r->loc,
            fmt::format("role '{}' is played by unknown principal set '{}'",
                        r->name, r->set));
    else
      role.principalSet = g->index;
    auto &info = roleInfo_[i];
    std::map<std::string, ir::SourceLoc> memberLocs, transitionLocs;
    for (const auto &v : r->vars) {
      ir::VarDecl vd;
      vd.name = v.name;
      vd.loc = v.loc;
      vd.ghost = v.ghost;
      vd.durable = v.durable;
      vd.type = v.type ? resolveType(*v.type) : nullptr;
      if (!vd.type)
        vd.type = intType();
      addMember(*this, info.vars, memberLocs, v, (int)role.vars.size(), diags_);
      role.vars.push_back(vd);
    }
    for (const auto &t : r->timers) {
      ir::TimerDecl td;
      td.name = t.name;
      td.loc = t.loc;
      td.durationMs = t.duration.millis();
      if (td.durationMs <= 0)
        error(t.duration.loc,
              fmt::format("timer '{}' needs a positive duration", t.name));
      addMember(*this, info.timers, memberLocs, t, (int)role.timers.size(),
                diags_);
      role.timers.push_back(td);
      info.timerLoc.push_back(t.loc);
    }
    for (size_t k = 0; k < r->transitions.size(); ++k)
      addMember(*this, info.transitions, transitionLocs, r->transitions[k],
                (int)k, diags_);
    info.varRead.assign(role.vars.size(), false);
    info.timerStarted.assign(role.timers.size(), false);
    if (r->phases.size() > 1)
      error(r->phases[1].loc,
            fmt::format("role '{}' has more than one phase", r->name));
    if (!r->phases.empty()) {
      if (!r->transitions.empty())
        error(r->phases[0].loc,
              fmt::format("role '{}' has both transitions and a phase; a "
                          "role contains either transitions or one phase",
                          r->name));
      else if (roles_.size() > 1)
        error(r->phases[0].loc,
              "a program with a phase must have exactly one role");
      else
        phaseRole_ = (int)i;
      for (const auto &rd : r->phases[0].rounds) {
        auto [it, ins] = roundLocs.emplace(rd.name, rd.loc);
        if (!ins) {
          redefinition(rd.name, rd.loc, it->second);
          continue;
        }
        rounds_[rd.name] = (int)rounds_.size();
      }
    }
    out_.roles.push_back(std::move(role));
  }
  // Pass 2: initial values and behaviour.
  for (size_t i = 0; i < roles_.size(); ++i)
    checkRole(*roles_[i], (int)i);
}

void Sema::checkRole(const ast::RoleDecl &r, int index) {
  for (const auto &v : r.vars)
    checkVar(v, index);
  for (size_t k = 0; k < r.transitions.size(); ++k) {
    curTransition_ = (int)k;
    checkTransition(r.transitions[k], index);
  }
  curTransition_ = -1;
  if (!r.retires.empty() && !r.phases.empty())
    error(r.retires[0].loc,
          fmt::format("role '{}' has a phase: rounds have no pool, there is "
                      "nothing to retire",
                      r.name));
  else
    for (const auto &rt : r.retires)
      checkRetire(rt, index);
  if (!r.phases.empty())
    checkPhase(r.phases[0], index);
}

void Sema::checkVar(const ast::VarDecl &v, int role) {
  auto &vd = out_.roles[role].vars[roleInfo_[role].vars.count(v.name)
                                       ? roleInfo_[role].vars[v.name]
                                       : 0];
  if (vd.loc.line != v.loc.line || vd.loc.col != v.loc.col)
    return; // a duplicate, already reported
  Frame frame;
  ScopeStack scopes;
  ExprCtx ctx = ExprCtx::inRole(ExprCtx::Kind::VarInit, role, frame, scopes);
  if (v.init) {
    vd.init = exprOfType(*v.init, ctx, vd.type,
                         fmt::format("the initial value of '{}'", v.name));
  } else if (v.initSet) {
    vd.initSet = exprOfType(*v.initSet, ctx, setType(vd.type),
                            fmt::format("the initial values of '{}'", v.name));
  } else {
    error(v.loc,
          fmt::format(
              "variable '{}' has no initial value (write '= e' or 'in S')",
              v.name));
  }
  vd.slots = frame.take();
}

void Sema::checkTransition(const ast::TransitionDecl &t, int role) {
  ir::Transition tr;
  tr.name = t.name;
  tr.loc = t.loc;
  tr.bodyProgram = t.bodyProgram;
  Frame frame;
  ScopeStack scopes;
  ExprCtx ctx = ExprCtx::inRole(ExprCtx::Kind::Transition, role, frame, scopes);
  scopes.push();
  for (const auto &p : t.params) {
    ir::TypeRef type = p.type ? resolveType(*p.type) : nullptr;
    if (type && !isBounded(*type, out_.records)) {
      error(p.loc,
            fmt::format(
                "transition parameter '{}' must have a finite type, not {}",
                p.name, typeStr(type)));
      type = nullptr;
    }
    Local l;
    l.name = p.name;
    l.type = type ? type : intType();
    l.loc = p.loc;
    l.kind = LocalKind::Param;
    l.slot = frame.addSlot(p.name, l.type, p.loc);
    tr.params.push_back(l.slot);
    if (const Local *prev = scopes.declare(l)) {
      error(p.loc, fmt::format("redefinition of '{}'", p.name));
      note(prev->loc, "previous definition is here");
    }
  }
  std::vector<PendingPattern> patterns;
  for (const auto &trig : t.triggers) {
    if (trig.kind == ast::Trigger::Kind::Timeout) {
      auto &info = roleInfo_[role];
      auto it = info.timers.find(trig.timer);
      if (it == info.timers.end()) {
        error(trig.loc, fmt::format("unknown timer '{}' in role '{}'",
                                    trig.timer, out_.roles[role].name));
      } else if (tr.timer >= 0) {
        error(trig.loc, "a transition may wait for at most one timeout");
      } else {
        tr.timer = it->second;
        timeoutUses_.push_back({role, it->second, t.name, trig.loc});
      }
      continue;
    }
    if (!trig.pattern)
      continue;
    PendingPattern p;
    p.ast = trig.pattern.get();
    patterns.push_back(std::move(p));
  }
  for (auto &p : patterns)
    declarePattern(p, ctx, LocalKind::PatternRecord, true);
  for (auto &p : patterns) {
    checkPattern(p, ctx);
    if (p.ok) {
      recordPatternUse(p.ir, true);
      if (!patternUses_.empty())
        patternUses_.back().role = role;
      tr.triggers.push_back(p.ir);
    }
  }
  statementSetsUnread(patterns);
  if (t.guard)
    tr.guard = boolExpr(*t.guard, ctx, "the guard of a transition");
  scopes.push();
  tr.body = block(t.body, ctx);
  closeScope(ctx, true);
  closeScope(ctx, true);
  tr.slots = frame.take();
  out_.roles[role].transitions.push_back(std::move(tr));
}

void Sema::checkPhase(const ast::PhaseDecl &p, int role) {
  ir::Phase ph;
  ph.loc = p.loc;
  if (p.bound) {
    auto b = evalIntConst(*p.bound, "the phase bound");
    if (b && *b < 1)
      error(p.bound->loc,
            fmt::format("the phase bound must be at least 1, not {}", *b));
    ph.bound = b.value_or(1);
    if (b)
      ph.symBound = symIfParams(*p.bound);
  }
  if (p.rounds.empty())
    error(p.loc, "a phase needs at least one round");
  for (const auto &r : p.rounds) {
    ir::Round out;
    checkRound(r, role, out);
    ph.rounds.push_back(std::move(out));
  }
  out_.roles[role].phase = std::move(ph);
}

void Sema::checkRound(const ast::RoundDecl &r, int role, ir::Round &out) {
  out.name = r.name;
  out.loc = r.loc;
  out.payload = r.payload ? resolveType(*r.payload) : nullptr;
  if (!out.payload)
    out.payload = intType();
  else if (!isBounded(*out.payload, out_.records))
    error(r.payload->loc,
          fmt::format("the payload type of round '{}' must be bounded, not {}",
                      r.name, typeStr(out.payload)));
  Frame frame;
  ScopeStack scopes;
  ExprCtx ctx = ExprCtx::inRole(ExprCtx::Kind::Round, role, frame, scopes);
  scopes.push();
  out.mboxSlot = declareMailbox(ctx, out.payload, r.loc);
  for (const auto &pc : r.progress) {
    ir::ProgressCond c;
    c.loc = pc.loc;
    c.kind = static_cast<ir::ProgressKind>(static_cast<int>(pc.kind));
    if (pc.kind == ast::ProgressCond::Kind::Timeout) {
      c.timeoutMs = pc.timeout.millis();
      if (c.timeoutMs <= 0)
        error(pc.loc, "timeout needs a positive duration");
    } else if (pc.kind == ast::ProgressCond::Kind::GoAhead && pc.expr) {
      c.expr = boolExpr(*pc.expr, ctx, "the goAhead condition");
    } else if (pc.kind == ast::ProgressCond::Kind::Sync && pc.expr) {
      c.expr = intExpr(*pc.expr, ctx, "the argument of sync");
    }
    out.progress.push_back(c);
  }
  if (r.sends.empty())
    warning(r.loc, fmt::format("round '{}' sends nothing", r.name));
  for (const auto &s : r.sends) {
    ir::SendClause sc;
    sc.loc = s.loc;
    if (s.payload)
      sc.payload =
          exprOfType(*s.payload, ctx, out.payload,
                     fmt::format("the payload sent in round '{}'", r.name));
    if (s.dest) {
      sc.dest = expr(*s.dest, ctx);
      if (sc.dest && !isPrincipalOrSet(*sc.dest->type)) {
        error(
            s.dest->loc,
            fmt::format("the destination of send must be a principal or a set "
                        "of principals, not {}",
                        typeStr(sc.dest->type)));
        sc.dest = nullptr;
      }
    }
    if (s.cond)
      sc.cond = boolExpr(*s.cond, ctx, "the condition of send");
    out.sends.push_back(sc);
  }
  scopes.push();
  out.update = block(r.update, ctx);
  closeScope(ctx, true);
  closeScope(ctx, true);
  out.slots = frame.take();
}

} // namespace mommie::frontend
