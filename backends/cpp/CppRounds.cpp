// The C++ backend for round programs (see CppRounds.h). Layout:
//   header: principals, records, `<Role>State`, programInfo();
//   source: functions, state methods, class `<Role>` : rt::RoundProgram with
//   per round a frame struct (its slots: send / progress / update locals and
//   the mailbox), `send_<R>`, `progress_<R>`, `goAhead_<R>`, `update_<R>`,
//   and `main` = rt::roundNodeMain.
// Expressions and statements go through the event-driven generator's Gen
// (phaseNo / roundNo are the locals `phaseNo_` / `roundNo_`).
#include "backends/cpp/CppRounds.h"

#include "backends/cpp/CppGenImpl.h"

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

struct RoundsGen {
  Gen &g;
  const ir::Program &P;
  const ir::Role &role;
  const ir::Phase &phase;
  std::string cls, state;

  Ctx ctxFor(const ir::Round &r) const {
    Ctx c;
    c.role = 0;
    c.slots = &r.slots;
    c.slotNames = frameNames(r.slots);
    c.where = role.name + "." + r.name;
    return c;
  }
  std::string frameType(const ir::Round &r) const {
    return "Frame_" + cppIdent(r.name);
  }

  void header(Out &h) {
    h.line("// Role " + role.name + ": the variables of one process.");
    h.open("struct " + state + " {");
    for (const auto &v : nodeVars(role))
      h.line("Value " + cppIdent(v.name) + ";");
    h.line("bool operator==(const " + state + " &o) const;");
    h.line("bool operator!=(const " + state +
           " &o) const { return !(*this == o); }");
    h.line("std::string toJson() const;");
    h.close("};");
    h.line("");
  }

  void stateMethods(Out &o) {
    o.open("bool " + state + "::operator==(const " + state + " &o) const {");
    std::string eq = "true";
    for (const auto &v : nodeVars(role))
      eq += " && this->" + cppIdent(v.name) + " == o." + cppIdent(v.name);
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
    o.line("return s + \"}\";");
    o.close();
    o.line("");
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
    o.open("const rt::TypeP &" + cls + "PayloadType(size_t r) {");
    o.line("static const std::vector<rt::TypeP> types = {");
    ++o.indent;
    for (const auto &r : phase.rounds)
      o.line(g.typeDesc(*r.payload) + ", // " + r.name);
    --o.indent;
    o.line("};");
    o.line("return types[r];");
    o.close();
    o.line("");
  }

  void ctor(Out &o) {
    o.open(cls + "(int me, std::optional<uint64_t> choiceSeed) : me_(me), "
                 "choiceSeed_(choiceSeed) {");
    emitVarInits(o, g, role, 0);
    o.close();
  }

  // Dispatch of a virtual method on the round index.
  void dispatch(Out &o, const std::string &sig, const std::string &call,
                const std::string &fallback) {
    o.open(sig + " override {");
    o.open("switch (r) {");
    for (size_t i = 0; i < phase.rounds.size(); ++i)
      o.line("case " + std::to_string(i) + ": return " + call + "_" +
             cppIdent(phase.rounds[i].name) + "(ph);");
    o.line("default: return " + fallback + ";");
    o.close();
    o.close();
  }

  void round(Out &o, size_t index, const ir::Round &r) {
    Ctx c = ctxFor(r);
    std::string n = cppIdent(r.name), fr = frameType(r);
    std::string file = r.loc.file.substr(r.loc.file.find_last_of('/') + 1);
    o.line("// round " + r.name + " (" + file + ":" +
           std::to_string(r.loc.line) + ")");
    o.open("struct " + fr + " {");
    for (const auto &s : c.slotNames)
      o.line("Value " + s + ";");
    o.close("};");
    std::string prelude =
        "const int64_t phaseNo_ = ph, roundNo_ = " + std::to_string(index) +
        "; (void)phaseNo_; (void)roundNo_; " + fr + " F; (void)F;";
    // Send: the first clause whose condition holds and whose destination
    // contains q gives q's message.
    o.open("void send_" + n +
           "(int64_t ph, std::vector<std::pair<int, Value>> &out) {");
    o.line(prelude);
    o.line("const " + state + " &S = st_; (void)S;");
    o.line("std::vector<bool> sent(" + std::to_string(P.numPrincipals) +
           ", false);");
    o.open("auto to = [&](const Value &d, const Value &payload) {");
    o.line("if (d.is(rt::Kind::Principal)) { int q = d.asPrincipal(); if "
           "(!sent[size_t(q)]) { sent[size_t(q)] = "
           "true; out.emplace_back(q, payload); } return; }");
    o.line("for (const Value &m : o::members(d)) { int q = m.asPrincipal(); if "
           "(!sent[size_t(q)]) { "
           "sent[size_t(q)] = true; out.emplace_back(q, payload); } }");
    o.close("};");
    for (const auto &s : r.sends) {
      std::string call =
          "to(" + g.expr(*s.dest, c) + ", " + g.expr(*s.payload, c) + ");";
      if (s.cond)
        o.line("if (" + g.cond(*s.cond, c) + ") " + call);
      else
        o.line(call);
    }
    o.close();
    // Progress.
    o.open("rt::RoundProgress progress_" + n + "(int64_t ph) {");
    o.line(prelude);
    o.line("const " + state + " &S = st_; (void)S;");
    o.line("rt::RoundProgress p;");
    for (const auto &pc : r.progress) {
      switch (pc.kind) {
      case ir::ProgressKind::Timeout:
        o.line("p.timeoutMs = " + std::to_string(pc.timeoutMs) + ";");
        break;
      case ir::ProgressKind::WaitMessages:
        o.line("p.waitMessages = true;");
        break;
      case ir::ProgressKind::CatchUp:
        o.line("p.catchUp = true;");
        break;
      case ir::ProgressKind::GoAhead:
        o.line("p.hasGoAhead = true;");
        break;
      case ir::ProgressKind::Sync:
        if (pc.expr)
          o.line("p.sync = (" + g.expr(*pc.expr, c) + ").asInt();");
        else
          g.error(pc.loc, "sync without a count");
        break;
      }
    }
    o.line("return p;");
    o.close();
    // goAhead over the mailbox (several conditions: any of them).
    o.open("bool goAhead_" + n + "(int64_t ph, const Value &mbox) {");
    o.line(prelude);
    o.line("const " + state + " &S = st_; (void)S; (void)mbox;");
    if (r.mboxSlot >= 0)
      o.line(g.slotRef(c, r.mboxSlot) + " = mbox;");
    std::string any;
    for (const auto &pc : r.progress)
      if (pc.kind == ir::ProgressKind::GoAhead && pc.expr)
        any += (any.empty() ? "" : " || ") + g.cond(*pc.expr, c);
    o.line("return " + (any.empty() ? std::string("false") : any) + ";");
    o.close();
    // Update.
    o.open("void update_" + n + "(int64_t ph, const Value &mbox) {");
    o.line(prelude);
    o.line(state + " &S = st_; (void)mbox;");
    if (r.mboxSlot >= 0)
      o.line(g.slotRef(c, r.mboxSlot) + " = mbox;");
    Out body;
    body.indent = o.indent;
    g.block(body, r.update, c);
    o.text += body.text;
    o.close();
    o.line("");
  }

  void cls_(Out &o) {
    o.line("// Role " + role.name + ", played by " +
           P.principalSets[size_t(role.principalSet)].name + ".");
    o.open("class " + cls + " final : public rt::RoundProgram {");
    --o.indent;
    o.line("public:");
    ++o.indent;
    ctor(o);
    o.line("const char *roleName() const override { return " +
           quote(role.name) + "; }");
    o.line("size_t numRounds() const override { return " +
           std::to_string(phase.rounds.size()) + "; }");
    o.open("const char *roundName(size_t r) const override {");
    o.line("static const char *const names[] = {");
    for (const auto &r : phase.rounds)
      o.line("    " + quote(r.name) + ",");
    o.line("    nullptr};");
    o.line("return r < numRounds() ? names[r] : \"?\";");
    o.close();
    dispatch(o, "rt::RoundProgress progress(size_t r, int64_t ph)", "progress",
             "rt::RoundProgress{}");
    o.open("void send(size_t r, int64_t ph, std::vector<std::pair<int, Value>> "
           "&out) override {");
    o.open("switch (r) {");
    for (const auto &r : phase.rounds)
      o.line("case " + std::to_string(&r - &phase.rounds[0]) + ": send_" +
             cppIdent(r.name) + "(ph, out); break;");
    o.line("default: break;");
    o.close();
    o.close();
    o.open("bool goAhead(size_t r, int64_t ph, const Value &mbox) override {");
    o.open("switch (r) {");
    for (const auto &r : phase.rounds)
      o.line("case " + std::to_string(&r - &phase.rounds[0]) +
             ": return goAhead_" + cppIdent(r.name) + "(ph, mbox);");
    o.line("default: return false;");
    o.close();
    o.close();
    o.open("void update(size_t r, int64_t ph, const Value &mbox) override {");
    o.open("switch (r) {");
    for (const auto &r : phase.rounds)
      o.line("case " + std::to_string(&r - &phase.rounds[0]) + ": update_" +
             cppIdent(r.name) + "(ph, mbox); break;");
    o.line("default: break;");
    o.close();
    o.close();
    o.open("bool payloadOk(size_t r, const Value &v, std::string *why) const "
           "override {");
    o.line("return r < numRounds() && rt::conforms(v, *" + cls +
           "PayloadType(r), programInfo().schema, why);");
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
    o.line("traced_ = st_;");
    o.line("return s + \"}\";");
    o.close();
    o.line("const " + state + " &state() const { return st_; }");
    o.line("");
    --o.indent;
    o.line("private:");
    ++o.indent;
    o.open("static void checkVar(const Value &v, int var) {");
    o.line("std::string why;");
    o.line("if (!rt::conforms(v, *" + cls +
           "VarType(var), programInfo().schema, &why))");
    o.line("  throw rt::EvalError(\"value \" + "
           "v.toJson(&programInfo().schema.names) + \" is outside the "
           "declared type: \" + why);");
    o.close();
    o.line("");
    for (size_t i = 0; i < phase.rounds.size(); ++i)
      round(o, i, phase.rounds[i]);
    o.line("int me_;");
    o.line("std::optional<uint64_t> choiceSeed_; // of `var x in S` "
           "(rt::initialChoice)");
    o.line(state + " st_;");
    o.line("std::optional<" + state +
           "> traced_; // the state at the last trace record");
    o.close("};");
    o.line("");
  }
};

} // namespace

Result generateRounds(const ir::Program &program, const Options &options) {
  Result res;
  Gen g(program, res.errors);
  const auto &P = program;
  g.ns = cppIdent(P.name);
  res.nameSpace = g.ns;
  const ir::Role &role = P.roles[0];
  const ir::Phase &phase = *role.phase;
  if (phase.rounds.empty()) {
    res.errors.push_back(P.file + ": error: a phase without rounds cannot run");
    return res;
  }
  std::string src = options.sourceName.empty() ? P.file : options.sourceName;

  Out h;
  h.line("// Generated by mommie from " + src + ". Do not edit.");
  h.line("// Round protocol " + P.name + ": records and the process state.");
  h.line("#pragma once");
  h.line("");
  h.line("#include \"runtime/rounds/RoundNode.h\"");
  h.line("#include \"runtime/wire/Choice.h\"");
  h.line("#include \"runtime/wire/Ops.h\"");
  h.line("");
  h.line("namespace " + g.ns + " {");
  h.line("using mommie::rt::Value;");
  h.line("");
  emitPrincipalsAndRecords(h, P, /*accessors=*/false);

  Out c;
  c.line("// Generated by mommie from " + src + ". Do not edit.");
  c.line("#include \"" + g.ns + ".h\"");
  c.line("");
  c.line("#include \"runtime/wire/Types.h\"");
  c.line("");
  c.line("#include <optional>");
  c.line("");
  c.line("namespace " + g.ns + " {");
  c.line("namespace rt = mommie::rt;");
  c.line("namespace o = mommie::rt::ops;");
  c.line("using T = mommie::rt::TypeDesc;");
  c.line("");
  c.line("const rt::RoundProgramInfo &programInfo();");
  c.line("");
  emitFunctions(c, g, P);
  RoundsGen rg{
      g, P, role, phase, cppIdent(role.name), cppIdent(role.name) + "State"};
  rg.header(h);
  rg.stateMethods(c);
  rg.cls_(c);
  h.line("const mommie::rt::RoundProgramInfo &programInfo();");
  h.line("} // namespace " + g.ns);

  int byz = 0;
  for (const auto &f : P.faults)
    if (f.kind == ir::FaultDecl::Kind::Byzantine &&
        f.principalSet == role.principalSet)
      byz += int(f.max);
  const auto &set = P.principalSets[size_t(role.principalSet)];
  c.open("const rt::RoundProgramInfo &programInfo() {");
  c.open("static const rt::RoundProgramInfo info = [] {");
  c.line("rt::RoundProgramInfo p;");
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
      ft += f ? ", " : "";
      ft += g.typeDesc(*rd.fields[f].type);
    }
    c.line("p.schema.records.push_back({" + quote(rd.name) + ", {" + fn +
           "}, {" + ft + "}});");
  }
  c.line("p.schema.finish(p.principals);");
  c.line("p.first = " + std::to_string(set.first) + ";");
  c.line("p.size = " + std::to_string(set.size) + ";");
  c.line("p.byzantine = " + std::to_string(byz) + ";");
  c.line("p.make = [](int me, std::optional<uint64_t> choiceSeed) {");
  c.line("  return std::unique_ptr<rt::RoundProgram>(new " + rg.cls +
         "(me, choiceSeed));");
  c.line("};");
  c.line("return p;");
  c.close("}();");
  c.line("return info;");
  c.close();
  c.line("");
  c.line("} // namespace " + g.ns);
  if (options.withMain) {
    c.line("");
    c.open("int main(int argc, char **argv) {");
    c.line("return mommie::rt::roundNodeMain(argc, argv, " + g.ns +
           "::programInfo());");
    c.close();
  }
  if (!res.errors.empty())
    return res;
  res.files.push_back({g.ns + ".h", h.text});
  res.files.push_back({g.ns + ".cpp", c.text});
  return res;
}

} // namespace mommie::cppgen
