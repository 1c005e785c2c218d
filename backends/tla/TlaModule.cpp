// Module assembly: names, constants, variables, TypeOK, Init, Next, Spec,
// invariants and properties, and the TLC configuration.
//
// Names are claimed in a fixed order (principal sets, principals,
// parameters, functions, role variables, timers, refraction sets, pools,
// actions, rounds, predicates), so that the output is deterministic and a
// program name only gets a suffix when it collides with an earlier one or
// with a TLA+ / MommiePool name.
#include "backends/tla/TlaBody.h"

#include "ir/Rewrite.h"
#include "ir/Symmetric.h"
#include "ir/Walk.h"

#include <fmt/format.h>

#include <map>

namespace mommie::tla {

using namespace ir;

Lines bulletList(const std::vector<Lines> &items, const std::string &bullet) {
  Lines out;
  std::string pad(bullet.size(), ' ');
  for (const auto &item : items)
    for (size_t i = 0; i < item.size(); ++i)
      out.push_back((i == 0 ? bullet : pad) + item[i]);
  return out;
}

Lines indent(const Lines &lines, size_t n) {
  Lines out;
  for (const auto &l : lines)
    out.push_back(std::string(n, ' ') + l);
  return out;
}

Lines single(std::string line) { return Lines{std::move(line)}; }

Lines wrappedList(const std::string &open,
                  const std::vector<std::string> &items,
                  const std::string &close) {
  const size_t width = 80;
  Lines out{open};
  const std::string pad(open.size(), ' ');
  bool lineEmpty = true; // no item on the current line yet
  for (size_t i = 0; i < items.size(); ++i) {
    std::string item = items[i] + (i + 1 < items.size() ? "," : close);
    if (!lineEmpty && out.back().size() + 1 + item.size() > width) {
      out.push_back(pad);
      lineEmpty = true;
    }
    out.back() += (lineEmpty ? "" : " ") + item;
    lineEmpty = false;
  }
  if (items.empty())
    out.back() += close;
  return out;
}

void Emitter::error(const SourceLoc &l, const std::string &msg) {
  ok = false;
  diags.error(l, "tla: " + msg);
}

std::string Emitter::loc(const SourceLoc &l) const {
  std::string file = l.file.empty() ? prog.file : l.file;
  auto slash = file.find_last_of('/');
  if (slash != std::string::npos)
    file = file.substr(slash + 1);
  return file + ":" + std::to_string(l.line);
}

std::string Emitter::locComment(const SourceLoc &l) const {
  return "\\* " + loc(l) + "\n";
}

std::string Emitter::liveExpr(const std::string &p) const {
  std::vector<std::string> parts;
  if (hasCrash || hasByz)
    return "Live(" + p + ")";
  return "TRUE";
}

namespace {

void collectPublishes(const Block &b, std::set<int> &out) {
  forEachStmt(b, [&](const Stmt &s) {
    if (s.kind == StmtKind::Publish && s.value && s.value->type)
      out.insert(s.value->type->record);
  });
}

void collectKnownInBlock(const Block &b, std::set<int> &out) {
  forEachStmt(b, [&](const Stmt &s) {
    forEachStmtExpr(
        s, [&](const Expr &x) { collectKnownRecords(&x, out); },
        StmtExprs::Evaluated);
  });
}

std::string joinWith(const std::vector<std::string> &parts, const char *sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? sep : "") + parts[i];
  return out;
}

std::string opLines(const std::string &header, const std::vector<Lines> &items,
                    const std::string &bullet = "/\\ ") {
  std::string out = header + " ==\n";
  if (items.empty())
    return out + "  TRUE\n\n";
  for (auto &l : indent(bulletList(items, bullet), 2))
    out += l + "\n";
  return out + "\n";
}

// Apalache type aliases for the `\\* @type:` annotations of the variables.
std::string typedefs(Emitter &em) {
  const Program &prog = em.prog;
  std::string out = "\\* Apalache type aliases, for the @type annotations of "
                    "the variables.\n";
  out += "\\* @typeAlias: principal = <<Str, Int>>;\n";
  for (size_t r = 0; r < prog.records.size(); ++r) {
    std::vector<std::string> fields;
    for (size_t i = 0; i < prog.records[r].fields.size(); ++i)
      fields.push_back(em.fieldName(int(r), int(i)) + ": " +
                       em.apalacheType(*prog.records[r].fields[i].type));
    out += "\\* @typeAlias: " + em.recordAliases[r] + " = { " +
           joinWith(fields, ", ") + " };\n";
  }
  for (size_t r = 0; r < prog.records.size(); ++r)
    out += "\\* @typeAlias: " + em.statementAliases[r] +
           " = { iss: $principal, ver: Set($principal), aud: Set($principal), "
           "msg: $" +
           em.recordAliases[r] + " };\n";
  return out + em.typedefsName + " == TRUE\n\n";
}

// Parameters (CONSTANTS, assigned in the .cfg), the program's assumptions,
// named constants and principal sets, all as written over the parameters.
std::string emitParameters(Emitter &em) {
  const Program &prog = em.prog;
  std::string out;
  if (!prog.params.empty()) {
    out += "\\* Parameters: assigned in the .cfg; any values the assumptions "
           "allow.\n";
    out += "CONSTANTS\n";
    for (size_t i = 0; i < prog.params.size(); ++i)
      out += "  \\* @type: Int;\n  " + em.paramNames[i] +
             (i + 1 < prog.params.size() ? "," : "") + "  \\* " +
             em.loc(prog.params[i].loc) + "\n";
    std::vector<std::string> ints;
    for (const auto &n : em.paramNames)
      ints.push_back(n + " \\in Int");
    out += "ASSUME " + joinWith(ints, " /\\ ") + "\n";
    for (const auto &a : prog.assumptions) {
      Frame f(em, &a.slots, "");
      out += "ASSUME " + em.expr(a.expr.get(), f) + "  \\* " + em.loc(a.loc) +
             "\n";
    }
    out += "\n";
  }
  // Members first: a named constant may be one (PRIMARY == R_Member(0)).
  out += "\\* Principals: member i of set S is S_Member(i), a pair <<\"S\", "
         "i>> here and a\n"
         "\\* model value in MC.tla (which overrides S_Member).\n";
  for (size_t i = 0; i < prog.principalSets.size(); ++i)
    out += em.memberNames[i] + "(i) == <<\"" + prog.principalSets[i].name +
           "\", i>>\n";
  out += "\n";
  if (!prog.consts.empty()) {
    for (size_t i = 0; i < prog.consts.size(); ++i) {
      Frame f(em, nullptr, "");
      out += em.constNames[i] + " == " + em.expr(prog.consts[i].expr.get(), f) +
             "  \\* " + em.loc(prog.consts[i].loc) + "\n";
    }
    out += "\n";
  }
  std::vector<std::string> setList;
  for (size_t i = 0; i < prog.principalSets.size(); ++i) {
    const PrincipalSet &s = prog.principalSets[i];
    out += em.sizeNames[i] + " == " + em.symbolic(s.symSize, s.size, false) +
           "  \\* " + em.loc(s.loc) + "\n";
    out += em.setNames[i] + " == {" + em.memberNames[i] + "(i) : i \\in 0.." +
           em.sizeNames[i] + " - 1}\n";
    if (em.orderedSets.count(static_cast<int>(i)))
      out += em.atNames[i] + "(i) ==  \\* " + s.name +
             "[i] for a computed i: an error unless 0 <= i < " +
             em.sizeNames[i] + "\n  IF i \\in 0.." + em.sizeNames[i] +
             " - 1 THEN " + em.memberNames[i] + "(i) ELSE Assert(FALSE, \"" +
             s.name + "[i]: index out of range\")\n";
    setList.push_back(em.setNames[i]);
  }
  out += "Principals == " +
         (setList.empty() ? std::string("{}") : joinWith(setList, " \\cup ")) +
         "\n\n";
  return out;
}

// Retire clauses name statements a compiled node may collect; they do not
// change the behaviours (`mommie check` verifies that collecting commutes
// with every action), so the spec only names them in a comment.
static std::string retireComments(const Program &prog, const Emitter &em) {
  std::string out;
  for (const auto &r : prog.roles)
    for (const auto &rt : r.retires)
      out += "\\* retire clause of role " + r.name + " (" + em.loc(rt.loc) +
             "): a node may collect " +
             prog.records[size_t(rt.pattern.record)].name +
             " statements; no effect on this spec.\n";
  return out.empty() ? out : out + "\n";
}

// The symmetry group `mommie check` reduces by (ir/Symmetric.h), as TLC's
// SYMMETRY: the permutations of each reduced set, combined (`@@`) so that the
// group is their product and TLC counts the same orbits. Empty when no set is
// reduced.
std::string symmetryDefinition(Emitter &em) {
  auto reduced = ir::symmetricSets(em.prog).reduced;
  std::vector<std::string> sets, perms, binders;
  for (size_t i = 0; i < reduced.size(); ++i)
    if (reduced[i]) {
      sets.push_back(em.setNames[i]);
      perms.push_back("Permutations(" + em.setNames[i] + ")");
      binders.push_back(em.globals.claim("sigma_" + em.setNames[i]));
    }
  if (perms.empty())
    return {};
  em.symmetryName = em.globals.claim("Symmetry");
  std::string out = "\\* The members of " + joinWith(sets, ", ") +
                    " are interchangeable: mommie check reduces by this\n"
                    "\\* group, TLC by SYMMETRY in the .cfg. TLC's liveness "
                    "checking is unsound\n"
                    "\\* under symmetry: the .cfg leaves SYMMETRY out when "
                    "there are properties.\n";
  if (perms.size() == 1)
    return out + em.symmetryName + " == " + perms[0] + "\n\n";
  std::vector<std::string> ranges;
  for (size_t i = 0; i < perms.size(); ++i)
    ranges.push_back(binders[i] + " \\in " + perms[i]);
  return out + em.symmetryName + " ==\n  {" + joinWith(binders, " @@ ") +
         " :\n     " + joinWith(ranges, ",\n     ") + "}\n\n";
}

} // namespace

Emitter::Emitter(const Program &p, DiagnosticEngine &d) : prog(p), diags(d) {
  for (const auto &s : prog.principalSets)
    setNames.push_back(globals.claim(s.name));
  // Model values of MC.tla: reserved so that no definition takes them.
  for (int id = 0; id < prog.numPrincipals; ++id)
    principalNames.push_back(globals.claim(prog.principalName(id)));
  for (const auto &s : setNames) {
    memberNames.push_back(globals.claim(s + "_Member"));
    sizeNames.push_back(globals.claim(s + "_Size"));
    atNames.push_back(globals.claim(s + "_At"));
    globals.claim("MC_" + s + "_Member");
  }
  for (const auto &pa : prog.params)
    paramNames.push_back(globals.claim(pa.name));
  // Apalache aliases live in their own namespace: unique among themselves.
  NameScope aliases;
  aliases.claim("principal");
  for (const auto &r : prog.records) {
    std::string n = r.name;
    n[0] = char(std::tolower((unsigned char)n[0]));
    recordAliases.push_back(aliases.claim(n));
  }
  for (const auto &r : prog.records)
    statementAliases.push_back(aliases.claim("stmt" + r.name));
  typedefsName = globals.claim(sanitizeName(prog.name) + "_typedefs");
  for (const auto &c : prog.consts)
    constNames.push_back(globals.claim(c.name));
  for (const auto &fn : prog.funs)
    funNames.push_back(globals.claim(fn.name));
  for (const auto &fd : prog.faults) {
    (fd.crashes() ? hasCrash : hasByz) = true;
    hasRecover = hasRecover || fd.kind == FaultDecl::Kind::Recover;
  }

  std::map<std::string, int> varCount;
  for (const auto &r : prog.roles)
    for (const auto &v : r.vars)
      ++varCount[v.name];
  for (const auto &r : prog.roles) {
    varNames.emplace_back();
    for (const auto &v : r.vars)
      varNames.back().push_back(
          globals.claim(varCount[v.name] > 1 ? r.name + "_" + v.name : v.name));
  }
  for (const auto &r : prog.roles) {
    timerNames.emplace_back();
    for (const auto &t : r.timers)
      timerNames.back().push_back(
          globals.claim(r.name + "_" + t.name + "_running"));
  }
  for (const auto &r : prog.roles) {
    firedNames.emplace_back();
    for (const auto &t : r.transitions)
      firedNames.back().push_back(
          t.refracted() ? globals.claim(r.name + "_" + t.name + "_fired") : "");
  }

  std::set<int> published, matched;
  for (const auto &r : prog.roles)
    for (const auto &t : r.transitions) {
      collectPublishes(t.body, published);
      for (const auto &pat : t.triggers) {
        matched.insert(pat.record);
        for (const auto &c : pat.constraints)
          collectKnownRecords(c.expr.get(), matched);
      }
      collectKnownRecords(t.guard.get(), matched);
      collectKnownInBlock(t.body, matched);
    }
  if (hasByz && !prog.isRoundProgram())
    for (int rec : matched)
      if (rec >= 0 && rec < static_cast<int>(prog.records.size())) {
        byzRecords.insert(rec);
        published.insert(rec);
      }
  for (int rec : published) {
    if (rec < 0 || rec >= static_cast<int>(prog.records.size()))
      continue;
    poolNames[rec] = globals.claim("pool_" + prog.records[rec].name);
    knownNames[rec] = globals.claim("known_" + prog.records[rec].name);
  }
  for (const auto &r : prog.roles) {
    actionNames.emplace_back();
    for (const auto &t : r.transitions)
      actionNames.back().push_back(globals.claim(r.name + "_" + t.name));
  }
  for (const auto &[rec, name] : poolNames) {
    globals.claim("Deliver_" + prog.records[rec].name);
    if (byzRecords.count(rec))
      globals.claim("ByzPublish_" + prog.records[rec].name);
  }
}

namespace {

// The module's variables in VARIABLES order, with their comments and
// Apalache types (emitModule; stateNames gives ITF traces the same names).
struct StateVar {
  std::string name, comment, type;
};

std::vector<StateVar> stateVariables(Emitter &em) {
  const Program &prog = em.prog;
  bool rounds = prog.isRoundProgram();
  std::vector<StateVar> vars;
  const std::string principal = "$principal";
  auto perPrincipal = [&](const std::string &t) {
    return principal + " -> " +
           (t.find("->") != std::string::npos ? "(" + t + ")" : t);
  };
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const Role &role = prog.roles[r];
    for (size_t v = 0; v < role.vars.size(); ++v)
      vars.push_back({em.varNames[r][v],
                      role.name + "." + role.vars[v].name + " of each " +
                          em.setNames[role.principalSet] + " (" +
                          em.loc(role.vars[v].loc) + ")",
                      perPrincipal(em.apalacheType(*role.vars[v].type))});
  }
  for (size_t r = 0; r < prog.roles.size(); ++r)
    for (size_t t = 0; t < prog.roles[r].timers.size(); ++t)
      vars.push_back({em.timerNames[r][t],
                      "whether timer " + prog.roles[r].timers[t].name +
                          " is running (" +
                          em.loc(prog.roles[r].timers[t].loc) + ")",
                      perPrincipal("Bool")});
  for (size_t r = 0; r < prog.roles.size(); ++r)
    for (size_t t = 0; t < prog.roles[r].transitions.size(); ++t) {
      if (em.firedNames[r][t].empty())
        continue;
      const Transition &tr = prog.roles[r].transitions[t];
      std::vector<std::string> parts;
      for (int sl : bindingSlots(tr))
        if (sl >= 0 && size_t(sl) < tr.slots.size())
          parts.push_back(em.apalacheType(*tr.slots[size_t(sl)].type));
      vars.push_back({em.firedNames[r][t],
                      "bindings " + prog.roles[r].name + "." + tr.name +
                          " already fired with (refraction)",
                      perPrincipal("Set(<<" + joinWith(parts, ", ") + ">>)")});
    }
  for (const auto &[rec, name] : em.poolNames)
    vars.push_back(
        {name,
         "every " + prog.records[rec].name + " statement published so far",
         "Set(" + em.statementType(rec) + ")"});
  for (const auto &[rec, name] : em.knownNames)
    vars.push_back(
        {name,
         "the " + prog.records[rec].name + " statements each principal knows",
         perPrincipal("Set(" + em.statementType(rec) + ")")});
  if (rounds) {
    vars.push_back({"phaseNo", "current phase", "Int"});
    vars.push_back({"roundNo", "current round within the phase", "Int"});
  }
  if (em.hasCrash)
    vars.push_back({"crashed", "crashed principals", "Set(" + principal + ")"});
  if (em.hasByz)
    vars.push_back({"byz", "Byzantine principals, fixed in Init",
                    "Set(" + principal + ")"});
  return vars;
}

std::string emitModule(Emitter &em, const std::string &moduleName) {
  const Program &prog = em.prog;
  bool rounds = prog.isRoundProgram();
  std::vector<StateVar> vars = stateVariables(em);
  for (const auto &v : vars)
    em.allVars.push_back(v.name);

  // Functions, actions, predicates first: they record which principal
  // orders are needed.
  std::string funs;
  for (size_t i = 0; i < prog.funs.size(); ++i) {
    const Function &fn = prog.funs[i];
    Frame f(em, &fn.slots, "");
    std::vector<std::string> params;
    for (int s : fn.params)
      params.push_back(f.slot(s));
    funs += em.locComment(fn.loc);
    funs += em.funNames[i];
    if (!params.empty())
      funs += "(" + joinWith(params, ", ") + ")";
    funs += " == " + em.expr(fn.body.get(), f) + "\n\n";
  }

  std::vector<std::string> next, fair;
  std::string actions = rounds ? emitRoundActions(em, next, fair)
                               : emitEventActions(em, next, fair);

  // A state predicate as an operator definition; its name is claimed and
  // appended to `names`. KNOWN in an invariant, lemma or constraint tests
  // the whole pool (a record type nobody can publish has no pool: {}).
  auto statePredicate = [&em](const Predicate &pred,
                              std::vector<std::string> &names) {
    Frame f(em, &pred.slots, "");
    f.known = [&em](int record) {
      auto it = em.poolNames.find(record);
      return it == em.poolNames.end() ? std::string("{}") : it->second;
    };
    names.push_back(em.globals.claim(pred.name));
    return em.locComment(pred.loc) + names.back() +
           " == " + em.expr(pred.expr.get(), f) + "\n\n";
  };
  std::string preds;
  for (const auto &inv : prog.invariants)
    preds += statePredicate(inv, em.invNames);
  std::string constraints;
  for (const auto &c : prog.constraints)
    constraints += statePredicate(c, em.constraintNames);
  std::string symmetry = symmetryDefinition(em);
  std::string props;
  for (const auto &pr : prog.properties) {
    Frame f(em, &pr.slots, "");
    std::function<std::string(const Temporal *)> tf =
        [&](const Temporal *t) -> std::string {
      if (!t)
        return "TRUE";
      auto a = [&](size_t i) {
        return i < t->args.size() ? tf(t->args[i].get()) : std::string("TRUE");
      };
      switch (t->kind) {
      case Temporal::Kind::State:
        return "(" + em.expr(t->state.get(), f) + ")";
      case Temporal::Kind::Always:
        return "[]" + a(0);
      case Temporal::Kind::Eventually:
        return "<>" + a(0);
      case Temporal::Kind::LeadsTo:
        return "(" + a(0) + " ~> " + a(1) + ")";
      case Temporal::Kind::And:
        return "(" + a(0) + " /\\ " + a(1) + ")";
      case Temporal::Kind::Or:
        return "(" + a(0) + " \\/ " + a(1) + ")";
      case Temporal::Kind::Not:
        return "~" + a(0);
      }
      return "TRUE";
    };
    std::string name = em.globals.claim(pr.name);
    em.propNames.push_back(name);
    props += em.locComment(pr.loc);
    props += name + " == " + tf(pr.formula.get()) + "\n\n";
  }

  std::string out;
  std::string file = prog.file;
  out += "---- MODULE " + moduleName + " ----\n";
  std::string base = file.substr(file.find_last_of('/') + 1);
  out += "\\* Generated by mommie tla from " + base +
         "; the state space is mommie's docs/semantics.md.\n";
  out +=
      "EXTENDS Naturals, Integers, FiniteSets, Sequences, TLC, MommiePool\n\n";

  out += emitParameters(em);
  out += symmetry;
  out += typedefs(em);
  out += funs;

  out += "VARIABLES\n";
  for (size_t i = 0; i < vars.size(); ++i)
    out += "  \\* @type: " + vars[i].type + ";\n  " + vars[i].name +
           (i + 1 < vars.size() ? "," : "") + "  \\* " + vars[i].comment + "\n";
  if (vars.empty())
    out += "  unused\n";
  out += "\n";
  for (const auto &l : wrappedList("vars == <<", em.allVars, ">>"))
    out += l + "\n";
  out += "\n";

  if (em.hasCrash || em.hasByz) {
    // Bound names are fresh: a role variable may be called `p`.
    NameScope scope(&em.globals);
    std::string p = scope.claim("p");
    std::vector<std::string> parts;
    if (em.hasCrash)
      parts.push_back(p + " \\notin crashed");
    if (em.hasByz)
      parts.push_back(p + " \\notin byz");
    out += "\\* A principal that has not crashed and is not Byzantine.\n";
    out += "Live(" + p + ") == " + joinWith(parts, " /\\ ") + "\n\n";
  }

  // TypeOK, and ModelRanges: the `int model lo..hi` values in their ranges
  // (Int in TypeOK), a CONSTRAINT.
  for (bool model : {false, true}) {
    if (model && !prog.hasModelRanges())
      break;
    em.modelRangesAsInt = !model;
    NameScope scope(&em.globals);
    std::string p = scope.claim("p");
    std::vector<Lines> items;
    for (size_t r = 0; r < prog.roles.size(); ++r) {
      const Role &role = prog.roles[r];
      const std::string &set = em.setNames[role.principalSet];
      for (size_t v = 0; v < role.vars.size(); ++v) {
        if (model && !prog.hasModelRange(*role.vars[v].type))
          continue;
        const std::string &name = em.varNames[r][v];
        std::string pred = em.typePred("@@", *role.vars[v].type, scope);
        if (pred.rfind("@@ \\in ", 0) == 0)
          items.push_back(
              single(name + " \\in [" + set + " -> " + pred.substr(7) + "]"));
        else
          items.push_back(single(
              "\\A " + p + " \\in " + set + " : " +
              em.typePred(name + "[" + p + "]", *role.vars[v].type, scope)));
      }
      for (size_t t = 0; t < role.timers.size() && !model; ++t)
        items.push_back(
            single(em.timerNames[r][t] + " \\in [" + set + " -> BOOLEAN]"));
      for (size_t t = 0; t < role.transitions.size() && !model; ++t)
        if (!em.firedNames[r][t].empty())
          items.push_back(
              single("DOMAIN " + em.firedNames[r][t] + " = " + set));
    }
    for (const auto &[rec, pool] : em.poolNames) {
      std::string st = scope.claim("st");
      Type recType;
      recType.kind = TypeKind::Record;
      recType.record = rec;
      if (model) {
        if (prog.hasModelRange(recType))
          items.push_back(
              Lines{"\\A " + st + " \\in " + pool + " :",
                    "     " + em.typePred(st + ".msg", recType, scope)});
        continue;
      }
      items.push_back(
          Lines{"\\A " + st + " \\in " + pool + " :",
                "     /\\ " + st + ".iss \\in Principals",
                "     /\\ " + st + ".ver \\subseteq Principals",
                "     /\\ " + st + ".aud \\subseteq Principals",
                "     /\\ " + em.typePred(st + ".msg", recType, scope)});
      const std::string &known = em.knownNames.at(rec);
      items.push_back(single("\\A " + p + " \\in Principals : " + known + "[" +
                             p + "] \\subseteq " + pool));
    }
    if (model) {
      em.modelRangesAsInt = false;
      constraints +=
          "\\* The model's ranges of the `int model lo..hi` values.\n";
      em.constraintNames.push_back(em.globals.claim("ModelRanges"));
      constraints += opLines(em.constraintNames.back(), items);
      break;
    }
    if (rounds) {
      const Phase &ph = *prog.roles[0].phase;
      items.push_back(
          single("phaseNo \\in 0.." + em.symbolic(ph.symBound, ph.bound)));
      items.push_back(
          single(fmt::format("roundNo \\in 0..{}", ph.rounds.size() - 1)));
    }
    if (em.hasCrash)
      items.push_back(single("crashed \\subseteq Principals"));
    if (em.hasByz)
      items.push_back(single("byz \\subseteq Principals"));
    out += "\\* Every variable holds a value of its declared type.\n";
    out += opLines("TypeOK", items);
  }
  em.modelRangesAsInt = false;

  // Init.
  {
    NameScope scope(&em.globals);
    std::string p = scope.claim("p"), bset = scope.claim("B");
    std::vector<Lines> items;
    for (size_t r = 0; r < prog.roles.size(); ++r) {
      const Role &role = prog.roles[r];
      const std::string &set = em.setNames[role.principalSet];
      for (size_t v = 0; v < role.vars.size(); ++v) {
        const VarDecl &vd = role.vars[v];
        const std::string &name = em.varNames[r][v];
        Frame f(em, &vd.slots, "self");
        bool usesMe = false;
        if (vd.init) {
          items.push_back(single(name + " = [self \\in " + set + " |-> " +
                                 em.expr(vd.init.get(), f) + "]"));
        } else if (vd.initSet) {
          usesMe = anyExpr(*vd.initSet, [](const Expr &x) {
            return x.kind == ExprKind::Me;
          });
          if (usesMe)
            items.push_back(single(name + " \\in Product(" + set +
                                   ", [self \\in " + set + " |-> " +
                                   em.expr(vd.initSet.get(), f) + "])"));
          else
            items.push_back(single(name + " \\in [" + set + " -> " +
                                   em.expr(vd.initSet.get(), f) + "]"));
        } else {
          items.push_back(single(name + " \\in [" + set + " -> " +
                                 em.domainOf(*vd.type, vd.loc) + "]"));
        }
      }
      for (size_t t = 0; t < role.timers.size(); ++t)
        items.push_back(single(em.timerNames[r][t] + " = [" + p + " \\in " +
                               set + " |-> FALSE]"));
      for (size_t t = 0; t < role.transitions.size(); ++t)
        if (!em.firedNames[r][t].empty())
          items.push_back(single(em.firedNames[r][t] + " = [" + p + " \\in " +
                                 set + " |-> {}]"));
    }
    for (const auto &[rec, pool] : em.poolNames)
      items.push_back(single(pool + " = {}"));
    for (const auto &[rec, known] : em.knownNames)
      items.push_back(single(known + " = [" + p + " \\in Principals |-> {}]"));
    if (rounds) {
      items.push_back(single("phaseNo = 0"));
      items.push_back(single("roundNo = 0"));
    }
    if (em.hasCrash)
      items.push_back(single("crashed = {}"));
    if (em.hasByz) {
      std::vector<std::string> sets, bounds;
      for (const auto &fd : prog.faults)
        if (fd.kind == FaultDecl::Kind::Byzantine) {
          const std::string &s = em.setNames[fd.principalSet];
          sets.push_back(s);
          bounds.push_back("Cardinality(" + bset + " \\cap " + s +
                           ") <= " + em.symbolic(fd.symMax, fd.max));
        }
      std::string u =
          sets.size() == 1 ? sets[0] : "(" + joinWith(sets, " \\cup ") + ")";
      items.push_back(single("byz \\in {" + bset + " \\in SUBSET " + u + " : " +
                             joinWith(bounds, " /\\ ") + "}"));
    }
    out += opLines("Init", items);
  }

  out += actions;
  out += retireComments(prog, em);

  {
    std::vector<Lines> items;
    for (auto &n : next)
      items.push_back(single(n));
    out += opLines("Next", items, "\\/ ");
  }

  std::string fairKind =
      prog.fairness == Fairness::Strong ? "SF_vars" : "WF_vars";
  if (prog.fairness != Fairness::None && !fair.empty()) {
    std::vector<Lines> items;
    for (auto &a : fair) {
      // "\A self \in R : Op(self)" -> "\A self \in R : WF_vars(Op(self))"
      auto colon = a.find(" : ");
      if (a.rfind("\\A ", 0) == 0 && colon != std::string::npos)
        items.push_back(single(a.substr(0, colon + 3) + fairKind + "(" +
                               a.substr(colon + 3) + ")"));
      else
        items.push_back(single(fairKind + "(" + a + ")"));
    }
    out += "\\* fairness " + std::string(fairnessName(prog.fairness)) +
           ": every action except the faults.\n";
    out += opLines("Fairness", items);
    out += "Spec == Init /\\ [][Next]_vars /\\ Fairness\n\n";
  } else {
    out += "Spec == Init /\\ [][Next]_vars\n\n";
  }

  if (!preds.empty())
    out += "\\* Invariants and lemmas (INVARIANT in the .cfg).\n\n" + preds;
  if (!constraints.empty())
    out += "\\* Model constraints (CONSTRAINT in the .cfg): a state that "
           "violates one\n"
           "\\* is checked against the invariants but neither counted nor "
           "expanded.\n\n" +
           constraints;
  if (!props.empty())
    out += "\\* Properties (PROPERTY in the .cfg).\n\n" + props;
  out += "====\n";
  return out;
}

// A TLC configuration. The protocol module's own (`mc` false) assigns the
// parameters only: they may be edited to any values the ASSUMEs allow.
// MC.cfg checks the same instance with the principals as model values, and
// so with SYMMETRY where mommie check reduces.
std::string emitCfg(Emitter &em, const std::string &moduleName, bool mc) {
  const Program &prog = em.prog;
  std::string module = mc ? std::string("MC") : moduleName;
  std::string out =
      "\\* TLC configuration of " + module + ".tla, generated by mommie tla.\n";
  if (mc)
    out += "\\* The instance mommie check explores by default, its principals "
           "as model\n"
           "\\* values. To check other sizes, edit " +
           moduleName + ".cfg or regenerate with -D.\n";
  else
    out += "\\* Edit the parameters freely (the ASSUMEs say what is legal). "
           "Principals are\n"
           "\\* pairs <<\"S\", i>> here, which TLC cannot permute: MC.cfg has "
           "SYMMETRY.\n";
  out += "\\* Run: java -XX:+UseParallelGC -cp tla2tools.jar tlc2.TLC -workers "
         "1 -config " +
         module + ".cfg " + module + ".tla\n";
  out += "CONSTANTS\n";
  for (size_t i = 0; i < prog.params.size(); ++i)
    out += "  " + em.paramNames[i] + " = " +
           std::to_string(prog.params[i].value) + "\n";
  if (mc) {
    for (const auto &p : em.principalNames)
      out += "  " + p + " = " + p + "\n";
    for (const auto &m : em.memberNames)
      out += "  " + m + " <- MC_" + m + "\n";
  }
  out += "SPECIFICATION Spec\n";
  out += "\\* Deadlock is checked (TLC's default); Terminated stutters.\n";
  out += "INVARIANT\n  TypeOK\n";
  for (const auto &inv : em.invNames)
    out += "  " + inv + "\n";
  if (mc && !em.symmetryName.empty()) {
    if (em.propNames.empty())
      out += "SYMMETRY " + em.symmetryName + "\n";
    else
      out +=
          "\\* SYMMETRY " + em.symmetryName +
          "  (left out: TLC's liveness checking is unsound under symmetry)\n";
  }
  if (!em.constraintNames.empty()) {
    out += "CONSTRAINT\n";
    for (const auto &c : em.constraintNames)
      out += "  " + c + "\n";
  }
  if (!em.propNames.empty()) {
    out += "PROPERTY\n";
    for (const auto &pr : em.propNames)
      out += "  " + pr + "\n";
  }
  return out;
}

// MC.tla: the protocol module at the instance's sizes, with TLC model values
// for the principals (MC.cfg overrides each S_Member by MC_S_Member).
std::string emitMc(Emitter &em, const std::string &moduleName) {
  const Program &prog = em.prog;
  std::string out = "---- MODULE MC ----\n";
  out += "\\* The model of " + moduleName +
         ".tla that mommie check explores by default, its principals\n"
         "\\* as TLC model values (needed for SYMMETRY). Generated by mommie "
         "tla.\n";
  out += "EXTENDS " + moduleName + ", TLC\n\n";
  out += "CONSTANTS " + joinWith(em.principalNames, ", ") + "\n\n";
  std::vector<std::string> sizes;
  for (size_t i = 0; i < prog.principalSets.size(); ++i) {
    const PrincipalSet &s = prog.principalSets[i];
    std::vector<std::string> members;
    for (int k = 0; k < s.size; ++k)
      members.push_back(em.principalNames[size_t(s.first + k)]);
    out += "MC_" + em.memberNames[i] + "(i) == <<" + joinWith(members, ", ") +
           ">>[i + 1]\n";
    sizes.push_back(em.sizeNames[i] + " = " + std::to_string(s.size));
  }
  out += "\n\\* The model values above fix the sizes: regenerate with mommie "
         "tla -D to\n"
         "\\* change them, or check other sizes with " +
         moduleName + ".cfg.\n";
  if (!sizes.empty())
    out += "ASSUME " + joinWith(sizes, " /\\ ") + "\n";
  out += "====\n";
  return out;
}

// TLC computes with 32-bit integers and stops at a literal or a result
// outside them; the spec still means the program (docs/tla.md, "Integers").
void warnBeyondTlcIntegers(const Program &program, DiagnosticEngine &diags) {
  const Expr *first = nullptr;
  ir::forEachExpr(program, [&](const Expr &e) {
    if (!first && e.kind == ExprKind::IntLit && !e.sym &&
        (e.intVal > INT32_MAX || e.intVal < INT32_MIN))
      first = &e;
  });
  if (first)
    diags.warning(
        first->loc,
        fmt::format(
            "the literal {} is outside TLC's integers (-2^31 .. 2^31-1): "
            "TLC stops on it; the checker and the prover use 64 bits",
            first->intVal));
}

} // namespace

std::optional<TlaFiles> emitTla(const Program &program,
                                DiagnosticEngine &diags) {
  warnBeyondTlcIntegers(program, diags);
  Emitter em(program, diags);
  TlaFiles files;
  files.moduleName = sanitizeName(program.name);
  files.tla = emitModule(em, files.moduleName);
  files.cfg = emitCfg(em, files.moduleName, false);
  files.mcTla = emitMc(em, files.moduleName);
  files.mcCfg = emitCfg(em, files.moduleName, true);
  files.poolTla = mommiePoolModule();
  if (!em.ok)
    return std::nullopt;
  return files;
}

StateNames stateNames(const Program &program) {
  DiagnosticEngine quiet;
  Emitter em(program, quiet);
  StateNames n;
  n.principalSets = em.setNames;
  for (size_t r = 0; r < program.records.size(); ++r) {
    n.fields.emplace_back();
    for (size_t f = 0; f < program.records[r].fields.size(); ++f)
      n.fields.back().push_back(em.fieldName(int(r), int(f)));
  }
  n.vars = em.varNames;
  n.timers = em.timerNames;
  n.fired = em.firedNames;
  n.pools = em.poolNames;
  n.known = em.knownNames;
  n.crashed = em.hasCrash;
  n.byz = em.hasByz;
  for (const StateVar &v :
       stateVariables(em)) // the order of emitModule's VARIABLES
    n.all.push_back(v.name);
  return n;
}

} // namespace mommie::tla
