// The C++ backend's driver: lays out the generated header and source
// (records, role states and frames, role classes, programInfo, main).
#include "backends/cpp/CppGenImpl.h"
#include "backends/cpp/CppRounds.h"

#include <algorithm>
#include <sstream>

namespace mommie::cppgen {

namespace {

std::string quote(const std::string &s) {
  std::string o = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\')
      o += '\\';
    o += ch;
  }
  return o + "\"";
}

struct RoleGen {
  Gen &g;
  const ir::Role &role;
  int index;
  std::string cls, state;
  struct ConsumedMember {
    std::string name;
    int record;
    bool values; // over valuesOf (a quorum pattern), else ofType
  };
  std::vector<ConsumedMember> consumedMembers;

  std::string frameType(const ir::Transition &t) const {
    return cls + "_" + cppIdent(t.name) + "_Frame";
  }

  Ctx ctxFor(const ir::Transition &t) const {
    Ctx c;
    c.role = index;
    c.slots = &t.slots;
    c.slotNames = frameNames(t.slots);
    c.where = role.name + "." + t.name;
    return c;
  }

  void header(Out &h) {
    h.line("// Role " + role.name +
           ": the variables and timers of one principal.");
    h.open("struct " + state + " {");
    for (const auto &v : nodeVars(role))
      h.line("Value " + cppIdent(v.name) + ";");
    for (const auto &t : role.timers)
      h.line("bool timer_" + cppIdent(t.name) + " = false; // " +
             std::to_string(t.durationMs) + "ms");
    h.line("bool operator==(const " + state + " &o) const;");
    h.line("bool operator!=(const " + state +
           " &o) const { return !(*this == o); }");
    h.line("std::string toJson() const;");
    h.line(
        "// The variables that differ from `spec`, rendered for a log line.");
    h.line("std::string diff(const " + state + " &spec) const;");
    h.close("};");
    h.line("");
    for (const auto &t : role.transitions) {
      auto names = frameNames(t.slots);
      h.line("// The local slots of " + role.name + "." + t.name +
             " (bindings, lets, binders).");
      h.open("struct " + frameType(t) + " {");
      for (size_t i = 0; i < t.slots.size(); ++i)
        h.line("Value " + names[i] + ";");
      h.close("};");
      if (!t.bodyProgram.empty()) {
        h.line("// Body program of " + role.name + "." + t.name +
               ", defined by the user; checked");
        h.line("// against the body spec after every call.");
        h.line("void " + cppIdent(t.bodyProgram) + "(int me, " + state +
               " &state, const " + frameType(t) +
               " &frame, mommie::rt::Outbox &out);");
      }
      h.line("");
    }
  }

  void stateMethods(Out &o) {
    o.open("bool " + state + "::operator==(const " + state + " &o) const {");
    std::string eq = "true";
    for (const auto &v : nodeVars(role))
      eq += " && this->" + cppIdent(v.name) + " == o." + cppIdent(v.name);
    for (const auto &t : role.timers)
      eq += " && this->timer_" + cppIdent(t.name) + " == o.timer_" +
            cppIdent(t.name);
    o.line("return " + eq + ";");
    o.close();
    o.line("");
    o.open("std::string " + state + "::toJson() const {");
    o.line("const rt::Names *names = &programInfo().schema.names;");
    o.line("std::string s = \"{\";");
    bool first = true;
    for (const auto &v : nodeVars(role)) {
      o.line("s += " +
             quote(std::string(first ? "" : ",") + "\"" + v.name + "\":") +
             "; this->" + cppIdent(v.name) + ".appendJson(s, names);");
      first = false;
    }
    for (const auto &t : role.timers) {
      o.line(
          "s += " +
          quote(std::string(first ? "" : ",") + "\"timer " + t.name + "\":") +
          "; s += this->timer_" + cppIdent(t.name) +
          " ? \"true\" : \"false\";");
      first = false;
    }
    o.line("return s + \"}\";");
    o.close();
    o.line("");
    o.open("std::string " + state + "::diff(const " + state +
           " &spec) const {");
    o.line("const rt::Names *names = &programInfo().schema.names;");
    o.line("std::string d;");
    for (const auto &v : nodeVars(role)) {
      std::string n = cppIdent(v.name);
      o.line("if (this->" + n + " != spec." + n +
             ") d += " + quote(v.name + ": program ") + " + this->" + n +
             ".toJson(names) + \", spec \" + spec." + n +
             ".toJson(names) + \"; \";");
    }
    for (const auto &t : role.timers) {
      std::string n = "timer_" + cppIdent(t.name);
      o.line("if (this->" + n + " != spec." + n +
             ") d += " + quote("timer " + t.name + " differs; ") + ";");
    }
    o.line("return d;");
    o.close();
    o.line("");
  }

  void varTypes(Out &o) {
    o.open("const rt::TypeP &" + cls + "VarType(int var) {");
    o.line("static const std::vector<rt::TypeP> types = {");
    ++o.indent;
    for (const auto &v : role.vars)
      o.line(g.typeDesc(*v.type) + ", // " + v.name);
    --o.indent;
    o.line("};");
    o.line("return types[size_t(var)];");
    o.close();
    o.line("");
  }

  void cls_(Out &o) {
    g.retired = retiredRecords(role);
    // The constructor's variable initializations, then the transitions
    // (the order of their fresh names), before the constructor is written:
    // the transitions tell which Consumed bitmaps the pool must remap when
    // it compacts a list.
    Out inits, transitions;
    inits.indent = o.indent + 2;
    emitVarInits(inits, g, role, index);
    transitions.indent = o.indent + 1;
    for (const auto &t : role.transitions)
      transition(transitions, t);
    o.line("// Role " + role.name + ", played by " +
           g.P.principalSets[size_t(role.principalSet)].name + ".");
    o.open("class " + cls + " final : public rt::RoleBase {");
    --o.indent;
    o.line("public:");
    ++o.indent;
    o.open("explicit " + cls +
           "(rt::Node &node) : rt::RoleBase(node), me_(node.me()) {");
    o.text += inits.text;
    for (const auto &cm : consumedMembers)
      if (g.retired.count(cm.record))
        o.line(
            "node.pool().attach(" + cm.name + ", " + std::to_string(cm.record) +
            ", rt::Pool::Index::" + (cm.values ? "Values" : "OfType") + ");");
    o.close();
    o.line("const char *roleName() const override { return " +
           quote(role.name) + "; }");
    o.line("size_t numTransitions() const override { return " +
           std::to_string(role.transitions.size()) + "; }");
    o.open("const char *transitionName(size_t t) const override {");
    o.line("static const char *const names[] = {");
    for (const auto &t : role.transitions)
      o.line("    " + quote(t.name) + ",");
    o.line("    nullptr};");
    o.line("return t < numTransitions() ? names[t] : \"?\";");
    o.close();
    o.open("bool refracted(size_t t) const override {");
    std::string refr;
    for (size_t i = 0; i < role.transitions.size(); ++i)
      if (role.transitions[i].refracted())
        refr += (refr.empty() ? "" : " || ") + std::string("t == ") +
                std::to_string(i);
    o.line("return " + (refr.empty() ? std::string("false") : refr) + ";");
    o.close();
    o.open("bool fire(size_t t, rt::Step &step) override {");
    o.open("switch (t) {");
    for (size_t i = 0; i < role.transitions.size(); ++i)
      o.line("case " + std::to_string(i) + ": return fire" +
             cppIdent(role.transitions[i].name) + "(step);");
    o.line("default: return false;");
    o.close();
    o.close();
    o.line("std::string stateJson() const override { return st_.toJson(); }");
    emitDurableMembers(o, role, cls);
    o.open("std::string stateDeltaJson() override {");
    o.line("const rt::Names *names = &programInfo().schema.names;");
    o.line("std::string s = \"{\";");
    for (const auto &v : nodeVars(role)) {
      std::string n = cppIdent(v.name);
      o.open("if (!traced_ || st_." + n + " != traced_->" + n + ") {");
      o.line("s += s.size() > 1 ? \",\" : \"\";");
      o.line("s += " + quote("\"" + v.name + "\":") + ";");
      o.line("if (traced_) rt::appendJsonDelta(s, traced_->" + n + ", st_." +
             n + ", names);");
      o.line("else st_." + n + ".appendJson(s, names);");
      o.close();
    }
    for (const auto &t : role.timers) {
      std::string n = "timer_" + cppIdent(t.name);
      o.open("if (!traced_ || st_." + n + " != traced_->" + n + ") {");
      o.line("s += s.size() > 1 ? \",\" : \"\";");
      o.line("s += " + quote("\"timer " + t.name + "\":") + "; s += st_." + n +
             " ? \"true\" : \"false\";");
      o.close();
    }
    o.line("traced_ = st_;");
    o.line("return s + \"}\";");
    o.close();
    o.line("size_t numTimers() const override { return " +
           std::to_string(role.timers.size()) + "; }");
    o.open("const char *timerName(size_t t) const override {");
    o.line("static const char *const names[] = {");
    for (const auto &t : role.timers)
      o.line("    " + quote(t.name) + ",");
    o.line("    nullptr};");
    o.line("return t < numTimers() ? names[t] : \"?\";");
    o.close();
    o.open("int64_t timerMs(size_t t) const override {");
    o.line("static const int64_t ms[] = {");
    for (const auto &t : role.timers)
      o.line("    " + std::to_string(t.durationMs) + ",");
    o.line("    0};");
    o.line("return t < numTimers() ? ms[t] : 0;");
    o.close();
    o.line("const " + state + " &state() const { return st_; }");
    o.line("");
    --o.indent;
    o.line("private:");
    ++o.indent;
    o.line("const rt::Pool &pool() const { return node_.pool(); }");
    o.open("static void checkVar(const Value &v, int var) {");
    o.line("std::string why;");
    o.line("if (!rt::conforms(v, *" + cls +
           "VarType(var), programInfo().schema, &why))");
    o.line("  throw rt::EvalError(\"value \" + "
           "v.toJson(&programInfo().schema.names) + \" is outside the "
           "declared type: \" + why);");
    o.close();
    o.line("");
    o.text += transitions.text;
    emitRetireMembers(o, g, role, index, state);
    std::string sizes;
    for (const auto &t : role.transitions)
      if (t.refracted())
        sizes += (sizes.empty() ? "" : " + ") + std::string("fired") +
                 cppIdent(t.name) + "_.size()";
    if (!sizes.empty())
      o.line("size_t firedBindings() const override { return " + sizes + "; }");
    g.retired.clear();
    o.line("int me_;");
    o.line(state + " st_;");
    o.line("std::optional<" + state +
           "> traced_; // the state at the last trace record");
    for (const auto &t : role.transitions)
      if (t.refracted())
        o.line("std::unordered_set<Value, rt::ValueHash> fired" +
               cppIdent(t.name) + "_;");
    for (const auto &cm : consumedMembers)
      o.line("rt::Consumed " + cm.name + ";");
    o.close("};");
    o.line("");
  }

  void transition(Out &o, const ir::Transition &t) {
    Ctx c = ctxFor(t);
    std::string name = cppIdent(t.name);
    std::string frame = frameType(t);
    // Binding order: parameters, then per pattern its issuer variable and
    // its record (as the checker's refraction sets and trace labels).
    std::vector<int> bindSlots(t.params.begin(), t.params.end());
    std::vector<int> refrSlots = t.refractionSlots();
    for (const auto &p : t.triggers) {
      if (p.issuer.slot >= 0)
        bindSlots.push_back(p.issuer.slot);
      if (p.slot >= 0)
        bindSlots.push_back(p.slot);
    }
    std::string file = t.loc.file.substr(t.loc.file.find_last_of('/') + 1);
    o.line("// transition " + t.name + " (" + file + ":" +
           std::to_string(t.loc.line) + ")");
    o.open("bool fire" + name + "(rt::Step &step) {");
    o.line("const " + state + " &S = st_;");
    o.line("(void)S;");
    o.line(frame + " F;");
    if (t.timer >= 0) {
      std::string tn = cppIdent(role.timers[size_t(t.timer)].name);
      o.line("if (!S.timer_" + tn + " || !node_.timerExpired(" +
             std::to_string(t.timer) + ")) return false; // AFTER timeout(" +
             role.timers[size_t(t.timer)].name + ")");
    }
    std::string consumed = "consumed" + name + "_";
    bool transitionUsedConsumed = false;
    ir::MatchPlan plan = ir::planMatch(t);
    bool guardMoved = false; // some conjunct tested before the innermost loop
    for (size_t k = 0; k < plan.guard.size(); ++k)
      guardMoved = guardMoved || !plan.testedWhenFiring(k);
    g.match(
        o, c, t.triggers, t.params, plan,
        [&](Out &in, const char *fail) {
          bool usedConsumed =
              g.usedConsumed; // KNOWN in the guard runs match() again
          if (t.refracted()) {
            std::string b = "Value::tuple({";
            for (size_t i = 0; i < refrSlots.size(); ++i)
              b += (i ? ", " : "") + g.slotRef(c, refrSlots[i]);
            in.line("Value binding = " + b + "});");
            if (usedConsumed) {
              in.open("if (fired" + name + "_.count(binding)) { // refraction");
              in.line(consumed + ".set(k0);");
              in.line(fail);
              in.close();
            } else {
              in.line("if (fired" + name + "_.count(binding)) " + fail +
                      " // refraction");
            }
          }
          if (t.guard && !guardMoved) {
            in.line("if (!" + g.cond(*t.guard, c) + ") " + fail + " // guard");
          } else if (t.guard) {
            // The rest of the guard, left to right (match() tested the others).
            for (size_t k = 0; k < plan.guard.size(); ++k)
              if (plan.testedWhenFiring(k))
                in.line("if (!" + g.cond(*plan.guard[k], c) + ") " + fail +
                        " // guard");
          }
          if (t.refracted())
            in.line("fired" + name + "_.insert(std::move(binding));");
          if (usedConsumed)
            in.line(consumed + ".set(k0);");
          transitionUsedConsumed = usedConsumed;
          in.line("commit" + name + "(F, step);");
          in.line("return true;");
        },
        "return false;", t.refracted() ? consumed : "");
    if (transitionUsedConsumed)
      consumedMembers.push_back(
          {consumed, t.triggers[0].record,
           t.triggers[0].issuer.kind == ir::IssuerPattern::Kind::Quorum});
    if (!t.triggers.empty() || !t.params.empty())
      o.line("return false;");
    o.close();
    // Commit: run the body (or the body program, checked against the spec).
    o.open("void commit" + name + "(" + frame + " &F, rt::Step &step) {");
    o.line("const rt::Names *names = &programInfo().schema.names;");
    o.line("(void)names;");
    o.line("step.binding = \"{\";");
    for (size_t i = 0; i < bindSlots.size(); ++i) {
      const auto &si = t.slots[size_t(bindSlots[i])];
      o.line("step.binding += " +
             quote(std::string(i ? "," : "") + "\"" + si.name + "\":") + "; " +
             g.slotRef(c, bindSlots[i]) + ".appendJson(step.binding, names);");
    }
    o.line("step.binding += \"}\";");
    o.line(state + " pre = st_;");
    if (t.timer >= 0) {
      std::string tn = cppIdent(role.timers[size_t(t.timer)].name);
      o.line("// The AFTER timer stops before the body runs.");
      o.line("st_.timer_" + tn + " = false;");
      o.line("step.out.stopTimer(" + std::to_string(t.timer) + ");");
    }
    if (t.bodyProgram.empty()) {
      o.line("body" + name + "(st_, F, step.out);");
    } else {
      std::string fn = cppIdent(t.bodyProgram);
      o.line("// Body program " + t.bodyProgram +
             ", then the body spec on the same pre-state.");
      o.line(state + " spec = st_;");
      o.line(frame + " specFrame = F;");
      o.line("rt::Outbox specOut = step.out;");
      o.line("body" + name + "(spec, specFrame, specOut);");
      o.line(state + " prog = st_;");
      o.line("rt::Outbox progOut = step.out;");
      o.line(fn + "(me_, prog, F, progOut);");
      o.line("std::string d = prog.diff(spec);");
      o.line("if (!rt::sameEffects(progOut, specOut))");
      o.line("  d += \"published: program \" + rt::describeEffects(progOut, "
             "names) + \", spec \" + "
             "rt::describeEffects(specOut, names);");
      o.line("if (!d.empty()) // fail-stop before the step takes effect");
      o.line("  throw rt::EvalError(\"body program " + t.bodyProgram +
             " disagrees with the body spec of " + t.name + ": \" + d);");
      o.line("st_ = std::move(prog);");
      o.line("step.out = std::move(progOut);");
    }
    o.line("step.changed = st_ != pre;");
    o.close();
    o.open("void body" + name + "(" + state + " &S, " + frame +
           " &F, rt::Outbox &out) {");
    o.line("(void)S; (void)F; (void)out;");
    g.block(o, t.body, c);
    o.close();
    o.line("");
  }
};

} // namespace

std::string nodeCode(const Result &r) {
  if (!r.errors.empty())
    return "";
  std::string code;
  for (const auto &f : r.files) {
    std::istringstream in(f.text);
    for (std::string line; std::getline(in, line);)
      if (line.find("p.params = ") == std::string::npos)
        code += line + "\n";
  }
  return code;
}

Result generate(const ir::Program &program, const Options &options) {
  Result res;
  Gen g(program, res.errors);
  const auto &P = program;
  g.ns = cppIdent(P.name);
  res.nameSpace = g.ns;
  if (P.isRoundProgram()) // backends/cpp/CppRounds.cpp
    return generateRounds(program, options);
  std::string src = options.sourceName.empty() ? P.file : options.sourceName;

  Out h;
  h.line("// Generated by mommie from " + src + ". Do not edit.");
  h.line("// Protocol " + P.name +
         ": records, role states, frames and body-program declarations.");
  h.line("#pragma once");
  h.line("");
  h.line("#include \"runtime/node/Node.h\"");
  h.line("#include \"runtime/wire/Ops.h\"");
  h.line("");
  h.line("namespace " + g.ns + " {");
  h.line("using mommie::rt::Value;");
  h.line("");
  emitPrincipalsAndRecords(h, P, /*accessors=*/true);

  Out c;
  c.line("// Generated by mommie from " + src + ". Do not edit.");
  c.line("#include \"" + g.ns + ".h\"");
  c.line("");
  c.line("#include \"runtime/wire/Types.h\"");
  c.line("");
  c.line("#include <optional>");
  c.line("#include <unordered_set>");
  c.line("");
  c.line("namespace " + g.ns + " {");
  c.line("namespace rt = mommie::rt;");
  c.line("namespace o = mommie::rt::ops;");
  c.line("using T = mommie::rt::TypeDesc;");
  c.line("");
  c.line("const rt::ProgramInfo &programInfo();");
  c.line("");
  emitFunctions(c, g, P);
  std::vector<std::string> classes;
  for (size_t r = 0; r < P.roles.size(); ++r) {
    const auto &role = P.roles[r];
    RoleGen rg{
        g, role, int(r), cppIdent(role.name), cppIdent(role.name) + "State",
        {}};
    rg.header(h);
    rg.stateMethods(c);
    rg.varTypes(c);
    rg.cls_(c);
    classes.push_back(rg.cls);
  }
  h.line("// The program as the runtime sees it (schema, principals, roles).");
  h.line("const mommie::rt::ProgramInfo &programInfo();");
  h.line("} // namespace " + g.ns);

  // programInfo.
  c.open("const rt::ProgramInfo &programInfo() {");
  c.open("static const rt::ProgramInfo info = [] {");
  c.line("rt::ProgramInfo p;");
  c.line("p.name = " + quote(P.name) + ";");
  std::string names;
  for (int p = 0; p < P.numPrincipals; ++p)
    names += (p ? ", " : "") + quote(P.principalName(p));
  c.line("p.principals = {" + names + "};");
  c.line("p.schema.numPrincipals = " + std::to_string(P.numPrincipals) + ";");
  emitParams(c, P);
  for (const auto &rd : P.records) {
    std::string fn, ft;
    for (size_t f = 0; f < rd.fields.size(); ++f) {
      fn += (f ? ", " : "") + quote(rd.fields[f].name);
      ft += (f ? ", " : "") + g.typeDesc(*rd.fields[f].type);
    }
    c.line("p.schema.records.push_back({" + quote(rd.name) + ", {" + fn +
           "}, {" + ft + "}});");
  }
  c.line("p.schema.finish(p.principals);");
  for (size_t r = 0; r < P.roles.size(); ++r) {
    const auto &set = P.principalSets[size_t(P.roles[r].principalSet)];
    c.line("p.roles.push_back({" + quote(P.roles[r].name) + ", " +
           std::to_string(set.first) + ", " + std::to_string(set.size) +
           ", [](rt::Node &n) { return std::unique_ptr<rt::RoleBase>(new " +
           classes[r] + "(n)); }});");
  }
  for (const auto &[rec, field] : g.fieldIndexes)
    c.line("p.fieldIndexes.push_back({" + std::to_string(rec) + ", " +
           std::to_string(field) + "}); // " + P.records[size_t(rec)].name +
           "." + P.records[size_t(rec)].fields[size_t(field)].name);
  c.line("return p;");
  c.close("}();");
  c.line("return info;");
  c.close();
  c.line("");
  c.line("} // namespace " + g.ns);
  if (options.withMain) {
    c.line("");
    c.open("int main(int argc, char **argv) {");
    c.line("return mommie::rt::nodeMain(argc, argv, " + g.ns +
           "::programInfo());");
    c.close();
  }
  if (!res.errors.empty())
    return res;
  res.files.push_back({g.ns + ".h", h.text});
  res.files.push_back({g.ns + ".cpp", c.text});
  return res;
}

void emitDurableMembers(Out &o, const ir::Role &role, const std::string &cls) {
  std::vector<size_t> durable;
  for (size_t i = 0; i < role.vars.size(); ++i)
    if (role.vars[i].durable)
      durable.push_back(i);
  if (durable.empty())
    return;
  std::string n = std::to_string(durable.size()), elems, indices;
  for (size_t k = 0; k < durable.size(); ++k) {
    elems += (k ? ", st_." : "st_.") + cppIdent(role.vars[durable[k]].name);
    indices += (k ? ", " : "") + std::to_string(durable[k]);
  }
  o.line("bool hasDurable() const override { return true; }");
  o.line("Value durableState() const override { return Value::tuple({" + elems +
         "}); }");
  o.open("bool restoreDurable(const Value &v, std::string *why) override {");
  o.open("if (!v.is(rt::Kind::Tuple) || v.elems().size() != " + n + ") {");
  o.line("if (why) *why = " +
         quote("not the " + n + " durable variables of " + role.name) + ";");
  o.line("return false;");
  o.close();
  o.line("static const int vars[] = {" + indices + "};");
  o.line("for (size_t i = 0; i < " + n + "; ++i)");
  o.line("  if (!rt::conforms(v.elems()[i], *" + cls +
         "VarType(vars[i]), programInfo().schema, why)) return false;");
  for (size_t k = 0; k < durable.size(); ++k)
    o.line("st_." + cppIdent(role.vars[durable[k]].name) + " = v.elems()[" +
           std::to_string(k) + "];");
  o.line("return true;");
  o.close();
}

std::vector<ir::VarDecl> nodeVars(const ir::Role &role) {
  std::vector<ir::VarDecl> vars;
  for (const auto &v : role.vars)
    if (!v.ghost)
      vars.push_back(v);
  return vars;
}

// The statements that give each role variable its initial value (one
// block per variable, over the variable's own frame), then check its type.
void emitVarInits(Out &o, Gen &g, const ir::Role &role, int roleIndex) {
  for (size_t i = 0; i < role.vars.size(); ++i) {
    const auto &v = role.vars[i];
    if (v.ghost)
      continue;
    Ctx c;
    c.role = roleIndex;
    c.slots = &v.slots;
    c.slotNames = frameNames(v.slots);
    c.hasState = false;
    c.where = role.name + "." + v.name;
    std::string fields;
    for (const auto &n : c.slotNames)
      fields += " Value " + n + ";";
    o.open("{ // " + v.name);
    o.line("struct {" + fields + " } F;");
    o.line("(void)F;");
    if (v.init) {
      o.line("st_." + cppIdent(v.name) + " = " + g.expr(*v.init, c) + ";");
    } else if (v.initSet) {
      // The element rt::initialChoice picks (seeded under --sim), through
      // the node of an event-driven role, the choice seed of a round process.
      std::string pick = g.P.isRoundProgram()
                             ? "rt::initialChoice(choices.size(), int(me_), " +
                                   std::to_string(i) + ", choiceSeed_)"
                             : "node_.initialChoice(choices.size(), " +
                                   std::to_string(i) + ")";
      o.line("// `in S`: the checker explores every element; a node takes one "
             "of them.");
      o.line("const Value choices = " + g.expr(*v.initSet, c) + ";");
      o.line("if (choices.size() == 0) throw rt::EvalError(\"empty initial "
             "choice for " +
             v.name + "\");");
      o.line("st_." + cppIdent(v.name) + " = o::members(choices)[" + pick +
             "];");
    } else {
      g.error(v.loc,
              "a role variable without an initial value cannot run in a node");
    }
    o.line("checkVar(st_." + cppIdent(v.name) + ", " + std::to_string(i) +
           ");");
    o.close();
  }
}

// One static C++ function per program `fun`, over its own frame.
void emitFunctions(Out &c, Gen &g, const ir::Program &program) {
  for (const auto &f : program.funs) {
    Ctx fc;
    fc.slots = &f.slots;
    fc.slotNames = frameNames(f.slots);
    fc.hasState = false;
    fc.hasPool = false;
    fc.where = "fun " + f.name;
    std::string params, fields;
    for (size_t i = 0; i < f.params.size(); ++i)
      params +=
          (i ? ", " : "") + std::string("const Value &a") + std::to_string(i);
    for (const auto &n : fc.slotNames)
      fields += " Value " + n + ";";
    c.line("// fun " + f.name);
    c.open("[[maybe_unused]] static Value fn_" + cppIdent(f.name) + "(" +
           params + ") {");
    c.line("struct {" + fields + " } F;");
    for (size_t i = 0; i < f.params.size(); ++i)
      c.line(g.slotRef(fc, f.params[i]) + " = a" + std::to_string(i) + ";");
    c.line("return " + g.expr(*f.body, fc) + ";");
    c.close();
    c.line("");
  }
}

void emitParams(Out &c, const ir::Program &program) {
  std::string values;
  for (const auto &p : program.params)
    values += (values.empty() ? "{" : ", {") + quote(p.name) + ", " +
              std::to_string(p.value) + "}";
  c.line("p.params = {" + values + "};");
}

void emitPrincipalsAndRecords(Out &h, const ir::Program &program,
                              bool accessors) {
  h.line("// Principals.");
  h.open("enum Principal : int {");
  for (int p = 0; p < program.numPrincipals; ++p)
    h.line(cppIdent(program.principalName(p)) + " = " + std::to_string(p) +
           ",");
  h.close("};");
  h.line("");
  if (accessors)
    h.line("// Records: runtime values with typed accessors.");
  h.line("namespace rec {");
  for (size_t r = 0; r < program.records.size(); ++r) {
    const auto &rd = program.records[r];
    h.open("struct " + cppIdent(rd.name) + " {");
    h.line("static constexpr int kRecordIndex = " + std::to_string(r) + ";");
    std::string params, args;
    for (size_t f = 0; f < rd.fields.size(); ++f) {
      params +=
          (f ? ", " : "") + std::string("Value ") + cppIdent(rd.fields[f].name);
      args += (f ? ", " : "") + std::string("std::move(") +
              cppIdent(rd.fields[f].name) + ")";
    }
    h.line("static Value make(" + params +
           ") { return Value::record(kRecordIndex, {" + args + "}); }");
    for (size_t f = 0; accessors && f < rd.fields.size(); ++f)
      h.line("static const Value &" + cppIdent(rd.fields[f].name) +
             "(const Value &r) { return r.field(" + std::to_string(f) + "); }");
    h.close("};");
  }
  h.line("} // namespace rec");
  h.line("");
}

} // namespace mommie::cppgen
