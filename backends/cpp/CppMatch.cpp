// The C++ backend: trigger patterns compiled to nested loops over the
// pool's indexes, following a match plan (ir/MatchPlan.h, which the
// checker's successor generator follows too). Parameters are enumerated
// first (from their finite types), then one loop per pattern:
//   - a plain pattern iterates the statements of its record type, or the
//     record value an earlier pattern's `field == x` names (a join), or,
//     when one of its `field == e` constraints only uses variables bound by
//     earlier loops, the statements of the per-field equality index for e;
//   - a quorum pattern iterates the distinct record values of its type and
//     counts the distinct issuers of each (Pool::issuersOf);
//   - a statement set runs once: its quorum check collects every matching
//     statement (Pool::statementsOf) and counts their issuers.
// Every check (issuer, verifier, auditor, field constraint, quorum size)
// is emitted in the loop of the plan's level, the shallowest where all the
// variables it mentions are bound, so a mismatch prunes as early as
// possible. So is every conjunct of the transition's guard that cannot
// fail at evaluation (no division, lookup, overflow, ...) and does not need
// the innermost loop's variables (a conjunct using none, such as
// `ME == PRIMARY`, is tested before all loops): the guard is pure, so only
// the evaluation order changes, and the same bindings fire. Statements of a
// record type the role retires are skipped when retired (as if the node had
// collected them already) and when collected (tombstones).
#include "backends/cpp/CppGenImpl.h"

namespace mommie::cppgen {

const char *cmpOp(ir::Op op) {
  switch (op) {
  case ir::Op::Eq:
    return "eq";
  case ir::Op::Ne:
    return "ne";
  case ir::Op::Lt:
    return "lt";
  case ir::Op::Le:
    return "le";
  case ir::Op::Gt:
    return "gt";
  case ir::Op::Ge:
    return "ge";
  default:
    return "eq";
  }
}

namespace {

// Opens a loop binding `v` to each of the `n` values first, first + 1, ...,
// starting at the offset Node::parameterStart draws (0 unless seeded), so
// that a seeded simulation samples the value a transition fires with.
void loopFrom(Out &o, const std::string &v, const std::string &first,
              uint64_t n) {
  std::string k = "k" + v, at = "at" + v, ns = std::to_string(n);
  o.open("for (uint64_t " + k + " = 0, " + at + " = node_.parameterStart(" +
         ns + "); " + k + " < " + ns + "; ++" + k + ") {");
  o.line("const int64_t " + v + " = " + first + " + int64_t((" + k + " + " +
         at + ") % " + ns + ");");
}

} // namespace

std::string Gen::constraintTest(const ir::Pattern &p, size_t k,
                                const std::string &msg, const Ctx &c) {
  const auto &fc = p.constraints[k];
  return std::string("o::") + cmpOp(fc.op) + "(" + msg + ".field(" +
         std::to_string(fc.field) + "), " + expr(*fc.expr, c) + ").asBool()";
}

void Gen::match(Out &o, const Ctx &c, const std::vector<ir::Pattern> &pats,
                const std::vector<int> &params, const ir::MatchPlan &plan,
                const std::function<void(Out &, const char *)> &innermost,
                const char *failOutside, const std::string &consumed) {
  using IK = ir::IssuerPattern::Kind;
  using PK = ir::PartyPattern::Kind;
  using CK = ir::MatchCheck::Kind;
  size_t n = pats.size();
  for (size_t i = 0; i < n; ++i)
    if (plan.access[i].index >= 0)
      fieldIndexes.insert(
          {pats[i].record,
           pats[i].constraints[size_t(plan.access[i].index)].field});
  for (size_t k = 0; k < plan.guard.size(); ++k)
    if (plan.guardLevel[k] == ir::MatchPlan::kBeforeLoops)
      o.line("if (!" + cond(*plan.guard[k], c) + ") " + failOutside +
             " // guard conjunct without pattern variables");

  int loops = 0;
  bool consumedLoop = false;
  auto emitChecks = [&](size_t l) {
    for (const auto &ch : plan.checks[l]) {
      if (ch.kind == CK::Guard) {
        o.line("if (!" + cond(*plan.guard[size_t(ch.index)], c) +
               ") continue; // guard conjunct");
        continue;
      }
      if (plan.constraintIsIndex(ch))
        continue; // the index lookup enforces it
      const auto &p = pats[size_t(ch.pattern)];
      std::string st = "st" + std::to_string(ch.pattern);
      std::string msg = p.issuer.kind == IK::Quorum
                            ? "m" + std::to_string(ch.pattern)
                            : st + ".msg";
      switch (ch.kind) {
      case CK::Issuer:
        if (p.issuer.kind == IK::Exact) {
          o.line("if (" + st + ".issuer != (" + expr(*p.issuer.expr, c) +
                 ").asPrincipal()) continue;");
        } else {
          const auto &set = P.principalSets[size_t(p.issuer.set)];
          o.line("if (" + st + ".issuer < " + std::to_string(set.first) +
                 " || " + st +
                 ".issuer >= " + std::to_string(set.first + set.size) +
                 ") continue; // issuer in " + set.name);
        }
        break;
      case CK::Verifier:
        o.line("if (!" + st + ".verifiers.setContains(" +
               expr(*p.verifier.expr, c) + ")) continue;");
        break;
      case CK::Auditor:
        if (p.auditor.kind == PK::Universal)
          o.line("if (" + st +
                 ".auditors.size() != " + std::to_string(P.numPrincipals) +
                 ") continue; // auditable by everyone");
        else
          o.line("if (!" + st + ".auditors.setContains(" +
                 expr(*p.auditor.expr, c) + ")) continue;");
        break;
      case CK::Constraint:
        o.line("if (!" + constraintTest(p, size_t(ch.index), msg, c) +
               ") continue; // " +
               P.records[size_t(p.record)]
                   .fields[size_t(p.constraints[size_t(ch.index)].field)]
                   .name);
        break;
      case CK::Guard:
        break;
      case CK::Quorum: {
        const auto &set = P.principalSets[size_t(p.issuer.set)];
        std::string accept = "s.issuer >= " + std::to_string(set.first) +
                             " && s.issuer < " +
                             std::to_string(set.first + set.size);
        if (p.verifier.kind == PK::Contains)
          accept +=
              " && s.verifiers.setContains(" + expr(*p.verifier.expr, c) + ")";
        if (p.auditor.kind == PK::Contains)
          accept +=
              " && s.auditors.setContains(" + expr(*p.auditor.expr, c) + ")";
        else if (p.auditor.kind == PK::Universal)
          accept +=
              " && s.auditors.size() == " + std::to_string(P.numPrincipals);
        if (retired.count(p.record))
          accept += " && !retiredRec" + std::to_string(p.record) + "(s)";
        std::string iss = "iss" + std::to_string(ch.pattern);
        if (p.statementSet) {
          // Every matching statement whose record meets the constraints.
          for (size_t k = 0; k < p.constraints.size(); ++k)
            accept += " && " + constraintTest(p, k, "s.msg", c);
          o.line("Value " + iss + ";");
          o.line(slotRef(c, p.slot) + " = pool().statementsOf(" +
                 std::to_string(p.record) +
                 ", [&](const rt::Statement &s) { return " + accept + "; }, " +
                 iss + ");");
        } else {
          o.line("const Value " + iss + " = pool().issuersOf(" +
                 std::to_string(p.record) + ", " + msg +
                 ", [&](const rt::Statement &s) { return " + accept + "; });");
        }
        o.line("if (!o::" + std::string(p.issuer.exact ? "eq" : "ge") +
               "(o::card(" + iss + "), " + expr(*p.issuer.threshold, c) +
               ").asBool()) continue; // quorum of " + set.name);
        if (p.issuer.slot >= 0)
          o.line(slotRef(c, p.issuer.slot) + " = " + iss + ";");
        break;
      }
      }
    }
  };

  for (int s : params) {
    const ir::Type &t = *(*c.slots)[size_t(s)].type;
    std::string v = "p" + std::to_string(s);
    if (t.kind == ir::TypeKind::Range && t.model) {
      error((*c.slots)[size_t(s)].loc,
            "a transition parameter of type `int model " +
                std::to_string(t.lo) + ".." + std::to_string(t.hi) +
                "` has no bound in a node; give it a range type");
      o.open("{");
    } else if (t.kind == ir::TypeKind::Range) {
      loopFrom(o, v, std::to_string(t.lo), uint64_t(t.hi - t.lo + 1));
      o.line(slotRef(c, s) + " = o::I(" + v + ");");
    } else if (t.kind == ir::TypeKind::Bool) {
      loopFrom(o, v, "0", 2);
      o.line(slotRef(c, s) + " = o::B(" + v + " != 0);");
    } else if (t.kind == ir::TypeKind::Principal) {
      int first = 0, size = P.numPrincipals;
      if (t.principalSet >= 0) {
        first = P.principalSets[size_t(t.principalSet)].first;
        size = P.principalSets[size_t(t.principalSet)].size;
      }
      loopFrom(o, v, std::to_string(first), uint64_t(size));
      o.line(slotRef(c, s) + " = o::P(" + v + ");");
    } else {
      error((*c.slots)[size_t(s)].loc,
            "a transition parameter must have a range, bool or principal type "
            "to run in a node");
      o.open("{");
    }
    ++loops;
  }
  emitChecks(0);
  for (size_t i = 0; i < n; ++i) {
    const auto &p = pats[i];
    std::string idx = std::to_string(i);
    std::string rec = std::to_string(p.record);
    std::string recName = P.records[size_t(p.record)].name;
    bool useConsumed = !consumed.empty() && i == 0 && n == 1 &&
                       params.empty() && !p.statementSet;
    // Removed statements leave tombstones in ofType / valuesOf (Pool.h).
    bool collected = retired.count(p.record) != 0;
    if (p.statementSet) {
      // One binding: the quorum check (at its level) collects the set.
      o.open("for (int k" + idx + " = 0; k" + idx + " < 1; ++k" + idx +
             ") { // every " + recName + " statement (statement set)");
    } else if (p.issuer.kind == IK::Quorum && useConsumed) {
      o.open("for (size_t k0 = " + consumed +
             ".cursor(); k0 < pool().valuesOf(" + rec +
             ").size(); ++k0) { // " + recName);
      o.line("if (" + consumed +
             ".test(k0)) continue; // its binding has fired");
      if (collected)
        o.line("if (!pool().valueLive(" + rec +
               ", k0)) continue; // collected");
      o.line("const Value &m0 = pool().valuesOf(" + rec + ")[k0];");
      consumedLoop = true;
      if (p.slot >= 0)
        o.line(slotRef(c, p.slot) + " = m" + idx + ";");
    } else if (p.issuer.kind == IK::Quorum && collected) {
      o.open("for (size_t k" + idx + " = 0; k" + idx + " < pool().valuesOf(" +
             rec + ").size(); ++k" + idx + ") { // " + recName);
      o.line("if (!pool().valueLive(" + rec + ", k" + idx +
             ")) continue; // collected");
      o.line("const Value &m" + idx + " = pool().valuesOf(" + rec + ")[k" +
             idx + "];");
      if (p.slot >= 0)
        o.line(slotRef(c, p.slot) + " = m" + idx + ";");
    } else if (p.issuer.kind == IK::Quorum) {
      o.open("for (const Value &m" + idx + " : pool().valuesOf(" + rec +
             ")) { // " + recName);
      if (p.slot >= 0)
        o.line(slotRef(c, p.slot) + " = m" + idx + ";");
    } else {
      std::string src = "pool().ofType(" + rec + ")";
      const ir::PatternAccess &access = plan.access[i];
      if (access.joinPattern >= 0) {
        // The record value an earlier pattern's `field == x` names.
        size_t e = size_t(access.joinPattern);
        const auto &fc = pats[e].constraints[size_t(access.joinConstraint)];
        std::string msg = pats[e].issuer.kind == IK::Quorum
                              ? "m" + std::to_string(e)
                              : "st" + std::to_string(e) + ".msg";
        src = "pool().withValue(" + rec + ", " + msg + ".field(" +
              std::to_string(fc.field) + "))";
        recName +=
            " joined on " + P.records[size_t(pats[e].record)].name + "." +
            P.records[size_t(pats[e].record)].fields[size_t(fc.field)].name;
      } else if (access.index >= 0) {
        const auto &fc = p.constraints[size_t(access.index)];
        src = "pool().byField(" + rec + ", " + std::to_string(fc.field) + ", " +
              expr(*fc.expr, c) + ")";
        recName += " with " +
                   P.records[size_t(p.record)].fields[size_t(fc.field)].name +
                   " == ...";
      }
      if (useConsumed && src == "pool().ofType(" + rec + ")") {
        o.open("for (size_t k0 = " + consumed +
               ".cursor(); k0 < pool().ofType(" + rec +
               ").size(); ++k0) { // " + recName);
        o.line("if (" + consumed +
               ".test(k0)) continue; // its binding has fired");
        if (collected)
          o.line("if (pool().ofType(" + rec +
                 ")[k0] == rt::kDeadStmt) continue; // collected");
        o.line("const rt::Statement &st0 = pool().at(pool().ofType(" + rec +
               ")[k0]);");
        consumedLoop = true;
      } else {
        o.open("for (rt::StmtId id" + idx + " : " + src + ") { // " + recName);
        if (collected && src == "pool().ofType(" + rec + ")")
          o.line("if (id" + idx + " == rt::kDeadStmt) continue; // collected");
        o.line("const rt::Statement &st" + idx + " = pool().at(id" + idx +
               ");");
      }
      if (p.slot >= 0)
        o.line(slotRef(c, p.slot) + " = st" + idx + ".msg;");
      if (p.issuer.kind == IK::Bind && p.issuer.slot >= 0)
        o.line(slotRef(c, p.issuer.slot) + " = o::P(st" + idx + ".issuer);");
    }
    ++loops;
    emitChecks(i + 1);
    // A retired statement is invisible, as if collected already.
    if (collected && p.issuer.kind != IK::Quorum)
      o.line("if (retiredRec" + rec + "(st" + idx + ")) continue; // retired");
  }
  usedConsumed = consumedLoop;
  innermost(o, loops ? "continue;" : failOutside);
  for (int i = 0; i < loops; ++i)
    o.close();
}

} // namespace mommie::cppgen
