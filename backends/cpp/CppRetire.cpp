// The C++ backend: a role's retire clauses (docs/runtime.md, "Collecting
// statements"). For each clause the role class gets
//   retireValue<k>(msg, issuer)  its field constraints and condition on a
//                                record value (the issuer bound if the
//                                clause binds it), over the current state;
//   retireStmt<k>(st)            the whole pattern on a statement (issuer,
//                                verifier, auditor parts, then the above);
// per retired record type `retiredRec<r>(st)` (any clause), and the
// RoleBase overrides retiresRecord / retired the node uses to refuse and
// remove statements. The matchers (CppMatch.cpp) skip retired statements,
// so a node behaves as if every retired statement were gone even before a
// collection pass removes it: exactly the model's hide-images that `mommie
// check` verified.
//
// Refraction memory: a fired binding of transition T can be dropped once
// one of its trigger records r can never again be carried by a statement
// the trigger accepts. Decided at compile time per (transition, trigger,
// clause): the clause must match every statement the trigger accepts
// (same record; issuer `_`, or the same principal set as the trigger's
// issuer binder or quorum, or the same constant issuer; verifier and
// auditor `_` or the trigger's own constant ones); then at run time, when
// the clause holds for r (and the binding's issuer), every such statement
// is retired for good (retire conditions are monotone) and invisible to
// the matcher, so T can never fire with that binding again.
#include "backends/cpp/CppGenImpl.h"

#include "ir/Equal.h"
#include "ir/Walk.h"

namespace mommie::cppgen {

namespace {

// Whether `e` is the same principal wherever the role evaluates it: no
// variable, slot or pool read.
bool constantPrincipal(const ir::ExprPtr &e) {
  return e && !ir::anyExpr(*e, [](const ir::Expr &x) {
           return x.kind == ir::ExprKind::StateVar ||
                  x.kind == ir::ExprKind::StateVarOf ||
                  x.kind == ir::ExprKind::Slot || x.kind == ir::ExprKind::Known;
         });
}

bool usesSlot(const ir::Retire &rt, int slot) {
  if (slot < 0)
    return false;
  auto reads = [&](const ir::Expr &x) {
    return ir::anyExpr(x, [&](const ir::Expr &y) {
      return y.kind == ir::ExprKind::Slot && y.slot == slot;
    });
  };
  bool used = rt.cond && reads(*rt.cond);
  for (const auto &c : rt.pattern.constraints)
    used = used || (c.expr && reads(*c.expr));
  return used;
}

// A party part of the clause accepts every statement the trigger's does.
bool coversParty(const ir::PartyPattern &clause,
                 const ir::PartyPattern &trigger) {
  if (clause.kind == ir::PartyPattern::Kind::Any)
    return true;
  return clause.kind == trigger.kind && constantPrincipal(clause.expr) &&
         (clause.kind == ir::PartyPattern::Kind::Universal ||
          ir::equal(clause.expr, trigger.expr));
}

} // namespace

RetireCover retireCover(const ir::Retire &rt, const ir::Pattern &trigger) {
  using IK = ir::IssuerPattern::Kind;
  RetireCover no;
  const auto &ci = rt.pattern.issuer, &ti = trigger.issuer;
  if (rt.pattern.record != trigger.record || trigger.slot < 0 ||
      !coversParty(rt.pattern.verifier, trigger.verifier) ||
      !coversParty(rt.pattern.auditor, trigger.auditor))
    return no;
  RetireCover yes;
  yes.ok = true;
  switch (ci.kind) {
  case IK::Any:
    return yes;
  case IK::Exact:
    return ti.kind == IK::Exact && constantPrincipal(ci.expr) &&
                   ir::equal(ci.expr, ti.expr)
               ? yes
               : no;
  case IK::Bind:
    if (!usesSlot(rt, ci.slot))
      return (ti.kind == IK::Bind || ti.kind == IK::Quorum) && ti.set == ci.set
                 ? yes
                 : no;
    yes.issuerFromBinding =
        true; // the clause reads its issuer: the trigger must bind it
    return ti.kind == IK::Bind && ti.set == ci.set && ti.slot >= 0 ? yes : no;
  case IK::Quorum:
    return no;
  }
  return no;
}

std::set<int> retiredRecords(const ir::Role &role) {
  std::set<int> out;
  for (const auto &rt : role.retires)
    out.insert(rt.pattern.record);
  return out;
}

void emitRetireMembers(Out &o, Gen &g, const ir::Role &role, int roleIndex,
                       const std::string &state) {
  using IK = ir::IssuerPattern::Kind;
  using PK = ir::PartyPattern::Kind;
  if (role.retires.empty())
    return;
  for (size_t k = 0; k < role.retires.size(); ++k) {
    const ir::Retire &rt = role.retires[k];
    const ir::Pattern &p = rt.pattern;
    Ctx c;
    c.role = roleIndex;
    c.slots = &rt.slots;
    c.slotNames = frameNames(rt.slots);
    c.where = role.name + " retire clause";
    std::string fields;
    for (const auto &n : c.slotNames)
      fields += " Value " + n + ";";
    std::string file = rt.loc.file.substr(rt.loc.file.find_last_of('/') + 1);
    std::string n = std::to_string(k);
    o.line("// retire clause " + n + " (" + file + ":" +
           std::to_string(rt.loc.line) + "): " + g.recordName(p.record) +
           " statements");
    o.open("bool retireValue" + n + "(const Value &msg, int issuer) const {");
    o.line("const " + state + " &S = st_;");
    o.line("(void)S; (void)issuer;");
    o.line("struct {" + fields + " } F;");
    if (p.slot >= 0)
      o.line(g.slotRef(c, p.slot) + " = msg;");
    if (p.issuer.kind == IK::Bind && p.issuer.slot >= 0)
      o.line(g.slotRef(c, p.issuer.slot) + " = o::P(issuer);");
    for (const auto &fc : p.constraints)
      o.line(std::string("if (!o::") + cmpOp(fc.op) + "(msg.field(" +
             std::to_string(fc.field) + "), " + g.expr(*fc.expr, c) +
             ").asBool()) return false; // " +
             g.P.records[size_t(p.record)].fields[size_t(fc.field)].name);
    o.line("return " + (rt.cond ? g.cond(*rt.cond, c) : std::string("true")) +
           ";");
    o.close();
    o.open("bool retireStmt" + n + "(const rt::Statement &st) const {");
    o.line("const " + state + " &S = st_;");
    o.line("(void)S;");
    o.line("struct {" + fields + " } F;");
    o.line("(void)F;");
    if (p.issuer.kind == IK::Exact) {
      o.line("if (st.issuer != (" + g.expr(*p.issuer.expr, c) +
             ").asPrincipal()) return false;");
    } else if (p.issuer.kind == IK::Bind) {
      const auto &set = g.P.principalSets[size_t(p.issuer.set)];
      o.line("if (st.issuer < " + std::to_string(set.first) +
             " || st.issuer >= " + std::to_string(set.first + set.size) +
             ") return false; // issuer in " + set.name);
    }
    if (p.verifier.kind == PK::Contains)
      o.line("if (!st.verifiers.setContains(" + g.expr(*p.verifier.expr, c) +
             ")) return false;");
    if (p.auditor.kind == PK::Universal)
      o.line("if (st.auditors.size() != " + std::to_string(g.P.numPrincipals) +
             ") return false;");
    else if (p.auditor.kind == PK::Contains)
      o.line("if (!st.auditors.setContains(" + g.expr(*p.auditor.expr, c) +
             ")) return false;");
    o.line("return retireValue" + n + "(st.msg, st.issuer);");
    o.close();
  }
  std::set<int> records = retiredRecords(role);
  for (int r : records) {
    std::string test;
    for (size_t k = 0; k < role.retires.size(); ++k)
      if (role.retires[k].pattern.record == r)
        test += (test.empty() ? "" : " || ") + std::string("retireStmt") +
                std::to_string(k) + "(st)";
    o.line("bool retiredRec" + std::to_string(r) +
           "(const rt::Statement &st) const { return " + test + "; } // " +
           g.recordName(r));
  }
  std::string list;
  for (int r : records)
    list += (list.empty() ? "" : " || ") + std::string("record == ") +
            std::to_string(r);
  o.line("bool retiresRecord(int record) const override { return " + list +
         "; }");
  o.open("bool retired(const rt::Statement &st) const override {");
  o.open("switch (st.msg.recordIndex()) {");
  for (int r : records)
    o.line("case " + std::to_string(r) + ": return retiredRec" +
           std::to_string(r) + "(st);");
  o.line("default: return false;");
  o.close();
  o.close();

  // Refraction memory.
  std::string sweeps;
  for (const auto &t : role.transitions) {
    if (!t.refracted())
      continue;
    std::vector<int> slots = t.refractionSlots();
    auto position = [&](int slot) {
      for (size_t i = 0; i < slots.size(); ++i)
        if (slots[i] == slot)
          return i;
      return slots.size();
    };
    std::vector<std::string> tests;
    for (const auto &trig : t.triggers)
      for (size_t k = 0; k < role.retires.size() && !trig.statementSet; ++k) {
        RetireCover cov = retireCover(role.retires[k], trig);
        if (!cov.ok)
          continue;
        std::string issuer =
            cov.issuerFromBinding
                ? "b.field(" + std::to_string(position(trig.issuer.slot)) +
                      ").asPrincipal()"
                : std::string("-1");
        tests.push_back("retireValue" + std::to_string(k) + "(b.field(" +
                        std::to_string(position(trig.slot)) + "), " + issuer +
                        ")");
      }
    if (tests.empty())
      continue;
    std::string name = cppIdent(t.name);
    std::string test;
    for (const auto &x : tests)
      test += (test.empty() ? "" : " || ") + x;
    o.line("// A fired binding of " + t.name +
           " whose trigger record is retired for every statement");
    o.line("// the trigger accepts can never be matched again.");
    o.line("bool firedGone" + name + "(const Value &b) const { return " + test +
           "; }");
    o.line("size_t sweep" + name + "_ = 64;");
    sweeps += name + ",";
  }
  o.open("void collectRefraction() override {");
  for (size_t at = 0; at < sweeps.size();) {
    size_t comma = sweeps.find(',', at);
    std::string name = sweeps.substr(at, comma - at);
    at = comma + 1;
    std::string set = "fired" + name + "_";
    o.open("if (" + set + ".size() >= sweep" + name + "_) {");
    o.open("for (auto it = " + set + ".begin(); it != " + set + ".end();) {");
    o.line("if (firedGone" + name + "(*it)) it = " + set +
           ".erase(it); else ++it;");
    o.close();
    o.line("sweep" + name + "_ = " + set + ".size() + (" + set +
           ".size() / 2 > 64 ? " + set + ".size() / 2 : 64);");
    o.close();
  }
  o.close();
}

} // namespace mommie::cppgen
