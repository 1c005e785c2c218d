// The actions of event-driven programs (docs/semantics.md, "Actions"):
// one operator per transition, parameterized by the executing principal,
// then Deliver_X per record type, Crash, Recover, ByzPublish_X and
// Terminated.
//
// A transition's operator quantifies, in order, over its parameters' finite
// domains and over each trigger pattern's records among the statements ME
// knows (patterns are ordered so that the expressions in their issuer,
// verifier and auditor parts only mention variables already bound; a
// pattern that cannot be placed so is matched on its record type alone and
// checked once everything is bound). Field constraints, the guard and
// refraction (`binding \notin T_fired[self]`) follow, then the body as a
// LET-chain (TlaBody.h).
#include "backends/tla/TlaBody.h"
#include "ir/Walk.h"

namespace mommie::tla {

using namespace ir;

Lines Emitter::unchangedExcept(const std::set<std::string> &changed) const {
  std::vector<std::string> rest;
  for (const auto &v : allVars)
    if (!changed.count(v))
      rest.push_back(v);
  if (rest.empty())
    return {};
  return wrappedList("UNCHANGED <<", rest, ">>");
}

std::vector<int> bindingSlots(const Transition &tr) {
  std::vector<int> slots = tr.refractionSlots();
  std::vector<int> out;
  std::set<int> seen;
  for (int s : slots)
    if (seen.insert(s).second)
      out.push_back(s);
  return out;
}

namespace {

std::string joinWith(const std::vector<std::string> &parts, const char *sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? sep : "") + parts[i];
  return out;
}

// A guard as TLC must evaluate it: left to right with short circuits, as
// the checker does. As a conjunct of an action, TLC splits a disjunction
// (or an implication, or an existential) into branches and evaluates every
// one, so `j = 0 \/ m[j - 1]` fails on m[-1]; inside IF it is a value.
std::string stateLevel(Emitter &em, const Expr &guard, Frame &f) {
  bool branches = ir::anyExpr(guard, [](const Expr &e) {
    return e.kind == ExprKind::Exists ||
           (e.kind == ExprKind::Binary &&
            (e.op == Op::Or || e.op == Op::Implies));
  });
  std::string text = em.expr(&guard, f);
  return branches ? "IF " + text + " THEN TRUE ELSE FALSE" : text;
}

// Wraps `inner` in the quantifier lines, innermost last.
Lines quantify(const std::vector<std::string> &quants, Lines inner) {
  for (size_t i = quants.size(); i-- > 0;) {
    Lines out{quants[i]};
    for (auto &l : inner)
      out.push_back("  " + l);
    inner = std::move(out);
  }
  return inner;
}

std::string transitionOp(Emitter &em, int r, int t,
                         std::vector<std::string> &next,
                         std::vector<std::string> &fair) {
  const Role &role = em.prog.roles[r];
  const Transition &tr = role.transitions[t];
  const std::string &name = em.actionNames[r][t];
  const std::string &set = em.setNames[role.principalSet];
  Frame f(em, &tr.slots, "self");

  std::vector<Lines> outer;
  if (em.hasCrash || em.hasByz)
    outer.push_back(single(em.liveExpr("self")));
  if (tr.timer >= 0)
    outer.push_back(single(em.timerNames[r][tr.timer] + "[self]"));

  std::vector<std::string> quants, conds;
  std::vector<std::pair<std::string, std::string>> binderDefs;
  std::set<int> bound;
  for (int p : tr.params) {
    quants.push_back("\\E " + f.slot(p) + " \\in " +
                     em.domainOf(*tr.slots.at(p).type, tr.loc) + " :");
    bound.insert(p);
  }

  // Order the patterns so that their part expressions only use bound slots.
  std::vector<int> order;
  std::vector<bool> deferred(tr.triggers.size(), false),
      placed(tr.triggers.size(), false);
  auto deps = [&](const Pattern &p) {
    std::set<int> s;
    collectSlots(p.issuer.expr.get(), s);
    collectSlots(p.issuer.threshold.get(), s);
    collectSlots(p.verifier.expr.get(), s);
    collectSlots(p.auditor.expr.get(), s);
    s.erase(p.slot);
    return s;
  };
  for (size_t n = 0; n < tr.triggers.size(); ++n) {
    int pick = -1;
    for (size_t i = 0; i < tr.triggers.size() && pick < 0; ++i) {
      if (placed[i])
        continue;
      bool ok = true;
      for (int s : deps(tr.triggers[i]))
        ok = ok && bound.count(s);
      if (ok)
        pick = static_cast<int>(i);
    }
    if (pick < 0) {
      for (size_t i = 0; i < tr.triggers.size() && pick < 0; ++i)
        if (!placed[i])
          pick = static_cast<int>(i);
      deferred[pick] = true;
    }
    placed[pick] = true;
    order.push_back(pick);
    const Pattern &p = tr.triggers[pick];
    if (p.issuer.kind == IssuerPattern::Kind::Bind)
      bound.insert(p.issuer.slot);
    bound.insert(p.slot);
  }

  std::set<int> quantified(tr.params.begin(), tr.params.end());
  std::vector<std::string> deferredConds;
  for (int i : order) {
    const Pattern &p = tr.triggers[i];
    std::string x = f.slot(p.slot);
    if (p.statementSet) {
      // Every matching statement, as (issuer, record) pairs; no quantifier.
      binderDefs.emplace_back(x, "IssuedMsgs(" +
                                     em.stmtFilter(p, f, false, true) + ")");
      deferredConds.push_back(
          std::string(p.issuer.exact ? "ExactSetQuorum(" : "SetQuorum(") + x +
          ", " + em.operand(p.issuer.threshold.get(), f) + ")");
      quantified.insert(p.slot);
      continue;
    }
    bool issuerJoin = p.issuer.kind == IssuerPattern::Kind::Bind &&
                      quantified.count(p.issuer.slot);
    bool bindsIssuer =
        p.issuer.kind == IssuerPattern::Kind::Bind && !issuerJoin;
    bool recordJoin = quantified.count(p.slot) != 0;
    std::string known = f.known(p.record);
    std::string stmts = em.stmtFilter(p, f, issuerJoin);
    std::string c = bindsIssuer ? f.slot(p.issuer.slot) : "";
    // The membership condition and the unfiltered domain of the binders.
    std::string member, domain;
    if (p.issuer.kind == IssuerPattern::Kind::Quorum) {
      std::string q =
          std::string(p.issuer.exact ? "ExactQuorumMsgs(" : "QuorumMsgs(") +
          stmts + ", " + em.operand(p.issuer.threshold.get(), f) + ")";
      member = x + " \\in " + q;
      domain = deferred[i] ? "Msgs(" + known + ")" : q;
    } else if (bindsIssuer) {
      member = "<<" + c + ", " + x + ">> \\in IssuedMsgs(" + stmts + ")";
      domain = deferred[i] ? "IssuedMsgs(" + known + ")"
                           : "IssuedMsgs(" + stmts + ")";
    } else {
      member = x + " \\in Msgs(" + stmts + ")";
      domain = deferred[i] ? "Msgs(" + known + ")" : "Msgs(" + stmts + ")";
    }
    if (bindsIssuer && !recordJoin) {
      quants.push_back("\\E <<" + c + ", " + x + ">> \\in " + domain + " :");
      if (deferred[i])
        deferredConds.push_back(member);
    } else if (bindsIssuer) {
      quants.push_back("\\E " + c + " \\in " + em.setNames[p.issuer.set] +
                       " :");
      deferredConds.push_back(member);
    } else if (!recordJoin) {
      quants.push_back("\\E " + x + " \\in " + domain + " :");
      if (deferred[i])
        deferredConds.push_back(member);
    } else {
      deferredConds.push_back(member);
    }
    if (p.issuer.kind == IssuerPattern::Kind::Quorum && p.issuer.slot >= 0)
      binderDefs.emplace_back(f.slot(p.issuer.slot),
                              "IssuersOf(" + stmts + ", " + x + ")");
    if (bindsIssuer)
      quantified.insert(p.issuer.slot);
    quantified.insert(p.slot);
  }
  conds.insert(conds.end(), deferredConds.begin(), deferredConds.end());
  for (int i : order)
    for (auto &c : tr.triggers[i].statementSet
                       ? std::vector<std::string>()
                       : em.constraints(tr.triggers[i], f))
      conds.push_back(c);
  if (tr.guard)
    conds.push_back(stateLevel(em, *tr.guard, f));

  // Refraction: the binding tuple, parameters then pattern vars in order.
  std::string binding;
  if (tr.refracted()) {
    std::vector<std::string> parts;
    for (int s : bindingSlots(tr))
      parts.push_back(f.slot(s));
    binding = "<<" + joinWith(parts, ", ") + ">>";
    conds.push_back(binding + " \\notin " + em.firedNames[r][t] + "[self]");
  }

  // The body.
  BodyTranslator body(em, f, r);
  if (tr.timer >= 0)
    body.cur.timers[tr.timer] = "FALSE";
  body.run(tr.body);
  std::set<std::string> changed;
  std::vector<std::string> ups = body.updates(changed);
  if (tr.refracted()) {
    const std::string &fired = em.firedNames[r][t];
    ups.push_back(fired + "' = [" + fired + " EXCEPT ![self] = @ \\cup {" +
                  binding + "}]");
    changed.insert(fired);
  }
  std::vector<Lines> upItems;
  for (auto &u : ups)
    upItems.push_back(single(u));
  if (Lines unch = em.unchangedExcept(changed); !unch.empty())
    upItems.push_back(unch);
  if (upItems.empty())
    upItems.push_back(single("UNCHANGED vars"));
  std::vector<Lines> innerItems;
  for (auto &c : conds)
    innerItems.push_back(single(c));
  if (body.defs.empty())
    innerItems.insert(innerItems.end(), upItems.begin(), upItems.end());
  else
    innerItems.push_back(letBlock(body.defs, bulletList(upItems, "/\\ ")));
  Lines inner = letBlock(binderDefs, bulletList(innerItems, "/\\ "));
  if (!quants.empty() || !binderDefs.empty())
    outer.push_back(quantify(quants, inner));
  else
    for (auto &item : innerItems)
      outer.push_back(item);

  std::string out = em.locComment(tr.loc);
  out += name + "(self) ==\n";
  for (auto &l : indent(bulletList(outer, "/\\ "), 2))
    out += l + "\n";
  next.push_back("\\E self \\in " + set + " : " + name + "(self)");
  fair.push_back("\\A self \\in " + set + " : " + name + "(self)");
  return out + "\n";
}

} // namespace

std::string emitCrash(Emitter &em, std::vector<std::string> &next) {
  const Program &prog = em.prog;
  std::string out;
  if (em.hasCrash) {
    // Bound names are fresh: a role variable may be called `p`.
    NameScope scope(&em.globals);
    std::string p = scope.claim("p");
    out += em.hasRecover ? "\\* A live principal crashes (at most the declared "
                           "number per set down at once).\n"
                         : "\\* A live principal crashes (at most the declared "
                           "number per set).\n";
    out += "Crash(" + p + ") ==\n";
    std::vector<std::string> alts;
    std::vector<std::string> sets;
    for (const auto &fd : prog.faults) {
      if (!fd.crashes())
        continue;
      const std::string &s = em.setNames[fd.principalSet];
      alts.push_back(p + " \\in " + s + " /\\ Cardinality(crashed \\cap " + s +
                     ") < " + em.symbolic(fd.symMax, fd.max) + "  \\* " +
                     em.loc(fd.loc));
      sets.push_back(s);
    }
    std::vector<Lines> items;
    items.push_back(single(em.liveExpr(p)));
    if (alts.size() == 1) {
      items.push_back(single(alts[0]));
    } else {
      std::vector<Lines> altItems;
      for (auto &a : alts)
        altItems.push_back(single(a));
      items.push_back(bulletList(altItems, "\\/ "));
    }
    items.push_back(single("crashed' = crashed \\cup {" + p + "}"));
    if (Lines unch = em.unchangedExcept({"crashed"}); !unch.empty())
      items.push_back(unch);
    for (auto &l : indent(bulletList(items, "/\\ "), 2))
      out += l + "\n";
    out += "\n";
    next.push_back("\\E " + p + " \\in Principals : Crash(" + p + ")");
  }
  return out;
}

namespace {

// The branch of Recover(self) for the members of principal set `set`: the
// variables of the role at `set` (the first one, as the checker's
// Layout::roleOf) reset except ![self], the knowledge of self emptied.
Lines recoverBranch(Emitter &em, const FaultDecl &fd) {
  const Program &prog = em.prog;
  const std::string &set = em.setNames[fd.principalSet];
  std::vector<Lines> items;
  std::set<std::string> changed{"crashed"};
  items.push_back(single("self \\in " + set + "  \\* " + em.loc(fd.loc)));
  items.push_back(single("crashed' = crashed \\ {self}"));
  auto reset = [&](const std::string &name, const std::string &value) {
    changed.insert(name);
    return name + "' = [" + name + " EXCEPT ![self] = " + value + "]";
  };
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const Role &role = prog.roles[r];
    if (role.principalSet != fd.principalSet)
      continue;
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const VarDecl &vd = role.vars[v];
      if (vd.durable || vd.ghost)
        continue; // kept
      const std::string &name = em.varNames[r][v];
      Frame f(em, &vd.slots, "self");
      if (vd.init) {
        items.push_back(single(reset(name, em.expr(vd.init.get(), f))));
        continue;
      }
      // Any initial value: one successor per choice, as in Init.
      std::string choices = vd.initSet ? em.expr(vd.initSet.get(), f)
                                       : em.domainOf(*vd.type, vd.loc);
      std::string x = f.fresh("v");
      items.push_back(
          single("\\E " + x + " \\in " + choices + " : " + reset(name, x)));
    }
    for (const auto &timer : em.timerNames[r])
      items.push_back(single(reset(timer, "FALSE")));
    for (const auto &fired : em.firedNames[r])
      if (!fired.empty())
        items.push_back(single(reset(fired, "{}")));
    break;
  }
  for (const auto &[rec, known] : em.knownNames)
    items.push_back(single(reset(known, "{}")));
  if (Lines unch = em.unchangedExcept(changed); !unch.empty())
    items.push_back(unch);
  return bulletList(items, "/\\ ");
}

} // namespace

std::string emitRecover(Emitter &em, std::vector<std::string> &next) {
  if (!em.hasRecover)
    return {};
  std::vector<Lines> branches;
  for (const auto &fd : em.prog.faults)
    if (fd.kind == FaultDecl::Kind::Recover)
      branches.push_back(recoverBranch(em, fd));
  std::string out =
      "\\* A crashed principal restarts (a recover fault). It keeps its "
      "durable and\n"
      "\\* ghost variables, takes an initial value for every other variable of "
      "its\n"
      "\\* role (each choice a successor, as in Init), stops its timers, and "
      "forgets\n"
      "\\* its refraction sets and what it knew; the pools stay.\n";
  out += "Recover(self) ==\n";
  // One recover set: its branch's conjuncts are the operator's.
  Lines body = bulletList({single("self \\in crashed")}, "/\\ ");
  Lines rest =
      branches.size() == 1 ? branches[0] : bulletList(branches, "\\/ ");
  if (branches.size() > 1)
    rest = bulletList({rest}, "/\\ ");
  body.insert(body.end(), rest.begin(), rest.end());
  for (auto &l : indent(body, 2))
    out += l + "\n";
  out += "\n";
  next.push_back("\\E self \\in Principals : Recover(self)");
  return out;
}

std::string emitEventActions(Emitter &em, std::vector<std::string> &next,
                             std::vector<std::string> &fair) {
  const Program &prog = em.prog;
  std::string out;
  for (size_t r = 0; r < prog.roles.size(); ++r)
    for (size_t t = 0; t < prog.roles[r].transitions.size(); ++t)
      out += transitionOp(em, static_cast<int>(r), static_cast<int>(t), next,
                          fair);

  // Deliver_X: one published statement reaches one live verifier.
  for (const auto &[rec, known] : em.knownNames) {
    const std::string &pool = em.poolNames.at(rec);
    std::string name = "Deliver_" + sanitizeName(prog.records[rec].name);
    NameScope scope(&em.globals);
    std::string st = scope.claim("st"), q = scope.claim("q");
    out += "\\* Delivery of a published " + prog.records[rec].name +
           " statement to one of its verifiers (" +
           em.loc(prog.records[rec].loc) + ").\n";
    out += name + " ==\n";
    out += "  \\E " + st + " \\in " + pool + " : \\E " + q + " \\in " + st +
           ".ver :\n";
    std::vector<Lines> items;
    if (em.hasCrash || em.hasByz)
      items.push_back(single(em.liveExpr(q)));
    items.push_back(single(st + " \\notin " + known + "[" + q + "]"));
    items.push_back(single(known + "' = [" + known + " EXCEPT ![" + q +
                           "] = @ \\cup {" + st + "}]"));
    if (Lines unch = em.unchangedExcept({known}); !unch.empty())
      items.push_back(unch);
    for (auto &l : indent(bulletList(items, "/\\ "), 4))
      out += l + "\n";
    out += "\n";
    next.push_back(name);
    fair.push_back(name);
  }

  out += emitCrash(em, next);
  out += emitRecover(em, next);

  // ByzPublish_X.
  if (em.hasByz) {
    for (int rec : em.byzRecords) {
      const std::string &pool = em.poolNames.at(rec);
      std::string name = "ByzPublish_" + sanitizeName(prog.records[rec].name);
      Type recordType;
      recordType.kind = TypeKind::Record;
      recordType.record = rec;
      std::string dom = em.domainOf(recordType, prog.records[rec].loc);
      out += "\\* A Byzantine principal publishes any " +
             prog.records[rec].name +
             " statement it issues, to one verifier (" +
             em.loc(prog.records[rec].loc) + ").\n";
      NameScope scope(&em.globals);
      std::string b = scope.claim("b"), q = scope.claim("q"),
                  x = scope.claim("x");
      out += name + " ==\n";
      out += "  \\E " + b + " \\in byz, " + q + " \\in Principals, " + x +
             " \\in " + dom + " :\n";
      std::vector<Lines> items;
      items.push_back(single(pool + "' = " + pool + " \\cup {Stmt(" + b +
                             ", {" + q + "}, {}, " + x + ")}"));
      if (Lines unch = em.unchangedExcept({pool}); !unch.empty())
        items.push_back(unch);
      for (auto &l : indent(bulletList(items, "/\\ "), 4))
        out += l + "\n";
      out += "\n";
      next.push_back(name);
    }
  }

  // Terminated.
  if (prog.termination.expr) {
    Frame f(em, &prog.termination.slots, "");
    out += em.locComment(prog.termination.loc);
    out += "Terminated ==\n  /\\ " + em.expr(prog.termination.expr.get(), f) +
           "\n  /\\ UNCHANGED vars\n\n";
    next.push_back("Terminated");
  }
  return out;
}

} // namespace mommie::tla
