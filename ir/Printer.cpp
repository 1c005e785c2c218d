// The IR text printer behind `mommie ir`.
//
// The output is a deterministic, mommie-like rendering of the whole lowered
// program: parameters with their values, principal sets with their global id
// ranges, records, functions, roles (vars, timers, transitions or the round
// phase), faults, invariants and lemmas, properties, communication
// predicates, fairness and termination. Local slots print as `name#slot`,
// principals by name (`R0`). Every declaration line ends with
// `  // file:line:col`; every declaration that owns a slot frame prints it on
// a `frame:` line. The printer never fails: malformed IR (null nodes, indices
// out of range) prints as `<...>` markers so that the verifier's messages can
// be read next to the dump.
#include "ir/Printer.h"

#include <fmt/format.h>

namespace mommie::ir {

namespace {

// Binding strength of expression forms, loosest first.
enum Prec : int {
  PrecBinder = 0, // if-then-else, quantifiers
  PrecImplies = 1,
  PrecOr = 2,
  PrecAnd = 3,
  PrecCompare = 4,
  PrecUnion = 5,
  PrecInter = 6,
  PrecAdd = 7,
  PrecMul = 8,
  PrecUnary = 9,
  PrecPostfix = 10,
  PrecAtom = 11,
};

const char *opText(Op op) {
  switch (op) {
  case Op::Not:
    return "!";
  case Op::Neg:
    return "-";
  case Op::Add:
    return "+";
  case Op::Sub:
    return "-";
  case Op::Mul:
    return "*";
  case Op::Div:
    return "/";
  case Op::Mod:
    return "%";
  case Op::Eq:
    return "==";
  case Op::Ne:
    return "!=";
  case Op::Lt:
    return "<";
  case Op::Le:
    return "<=";
  case Op::Gt:
    return ">";
  case Op::Ge:
    return ">=";
  case Op::And:
    return "&&";
  case Op::Or:
    return "||";
  case Op::Implies:
    return "=>";
  case Op::In:
    return "in";
  case Op::NotIn:
    return "notin";
  case Op::SubsetEq:
    return "subseteq";
  case Op::Union:
    return "union";
  case Op::Inter:
    return "inter";
  case Op::Diff:
    return "\\";
  }
  return "<op>";
}

int opPrec(Op op) {
  switch (op) {
  case Op::Implies:
    return PrecImplies;
  case Op::Or:
    return PrecOr;
  case Op::And:
    return PrecAnd;
  case Op::Eq:
  case Op::Ne:
  case Op::Lt:
  case Op::Le:
  case Op::Gt:
  case Op::Ge:
  case Op::In:
  case Op::NotIn:
  case Op::SubsetEq:
    return PrecCompare;
  case Op::Union:
  case Op::Diff:
    return PrecUnion;
  case Op::Inter:
    return PrecInter;
  case Op::Add:
  case Op::Sub:
    return PrecAdd;
  case Op::Mul:
  case Op::Div:
  case Op::Mod:
    return PrecMul;
  case Op::Not:
  case Op::Neg:
    return PrecUnary;
  }
  return PrecAtom;
}

std::string locText(const SourceLoc &loc) {
  return fmt::format("  // {}:{}:{}", loc.file, loc.line, loc.col);
}

class Printer {
public:
  explicit Printer(const Program &program) : p_(program) {}

  std::string program();
  std::string type(const TypeRef &t) const;
  std::string expr(const ExprPtr &e, int ctx = PrecBinder) const;

private:
  // Expressions.
  std::string exprBody(const Expr &e, int &prec) const;
  std::string list(const std::vector<ExprPtr> &args, size_t from = 0) const;
  std::string slotName(int slot) const;
  std::string varName(int role, int var) const;
  std::string fieldName(const TypeRef &recordType, int field) const;
  std::string setName(int set) const;
  std::string recordName(int record) const;
  std::string pattern(const Pattern &pat) const;
  std::string frame(const std::vector<SlotInfo> &slots) const;
  std::string temporal(const TemporalPtr &t, int ctx) const;

  // Statements and declarations.
  void line(int indent, const std::string &text) {
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }
  void frameLine(int indent, const std::vector<SlotInfo> &slots) {
    if (!slots.empty())
      line(indent, "frame: " + frame(slots));
  }
  void block(int indent, const Block &b);
  void stmt(int indent, const Stmt &s);
  std::string lvalue(const Stmt &s) const;
  void role(int index);
  void transition(const Role &r, const Transition &t);
  void phase(const Phase &ph);
  void round(const Round &rd);
  void predicate(const char *keyword, const Predicate &pred);

  const Program &p_;
  std::string out_;
  const std::vector<SlotInfo> *frame_ = nullptr; // slots of the current frame
  int role_ = -1;                                // enclosing role, or -1
};

std::string Printer::type(const TypeRef &t) const {
  if (!t)
    return "<no type>";
  auto arg = [&](size_t i) -> std::string {
    return i < t->args.size() ? type(t->args[i]) : std::string("<missing>");
  };
  switch (t->kind) {
  case TypeKind::Bool:
    return "bool";
  case TypeKind::Int:
    return "int";
  case TypeKind::Range: {
    const char *model = t->model ? "int model " : "";
    if (t->symLo && t->symHi)
      return fmt::format("{}({}..{} as {}..{})", model, t->lo, t->hi,
                         expr(t->symLo, PrecAdd), expr(t->symHi, PrecAdd));
    return fmt::format("{}{}..{}", model, t->lo, t->hi);
  }
  case TypeKind::Principal:
    return t->principalSet < 0 ? "principal" : setName(t->principalSet);
  case TypeKind::Record:
    return recordName(t->record);
  case TypeKind::Set:
    return "set<" + arg(0) + ">";
  case TypeKind::Map:
    return "map<" + arg(0) + ", " + arg(1) + ">";
  case TypeKind::Option:
    return "option<" + arg(0) + ">";
  case TypeKind::Seq:
    return "seq<" + arg(0) + ">";
  case TypeKind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < t->args.size(); ++i)
      s += (i ? ", " : "") + type(t->args[i]);
    return s + ")";
  }
  }
  return "<bad type>";
}

std::string Printer::setName(int set) const {
  if (set < 0 || set >= static_cast<int>(p_.principalSets.size()))
    return fmt::format("<bad set {}>", set);
  return p_.principalSets[set].name;
}

std::string Printer::recordName(int record) const {
  if (record < 0 || record >= static_cast<int>(p_.records.size()))
    return fmt::format("<bad record {}>", record);
  return p_.records[record].name;
}

std::string Printer::slotName(int slot) const {
  if (frame_ && slot >= 0 && slot < static_cast<int>(frame_->size()))
    return fmt::format("{}#{}", (*frame_)[slot].name, slot);
  return fmt::format("<bad slot {}>", slot);
}

std::string Printer::varName(int role, int var) const {
  if (role < 0 || role >= static_cast<int>(p_.roles.size()))
    return fmt::format("<bad role {}>", role);
  const auto &r = p_.roles[role];
  if (var < 0 || var >= static_cast<int>(r.vars.size()))
    return fmt::format("<bad var {}.{}>", r.name, var);
  return r.vars[var].name;
}

std::string Printer::fieldName(const TypeRef &recordType, int field) const {
  if (recordType && recordType->kind == TypeKind::Record &&
      recordType->record >= 0 &&
      recordType->record < static_cast<int>(p_.records.size())) {
    const auto &fields = p_.records[recordType->record].fields;
    if (field >= 0 && field < static_cast<int>(fields.size()))
      return fields[field].name;
  }
  return fmt::format("<field {}>", field);
}

std::string Printer::list(const std::vector<ExprPtr> &args, size_t from) const {
  std::string s;
  for (size_t i = from; i < args.size(); ++i)
    s += (i > from ? ", " : "") + expr(args[i]);
  return s;
}

std::string Printer::expr(const ExprPtr &e, int ctx) const {
  if (!e)
    return "<null>";
  if (e->sym) { // a value computed from parameters: `(3 as 2 * F + 1)`
    Expr lit = *e;
    lit.sym = nullptr;
    return "(" + expr(std::make_shared<const Expr>(lit), PrecAtom) + " as " +
           expr(e->sym) + ")";
  }
  int prec = PrecAtom;
  std::string s = exprBody(*e, prec);
  return prec < ctx ? "(" + s + ")" : s;
}

std::string Printer::exprBody(const Expr &e, int &prec) const {
  auto arg = [&](size_t i, int ctx = PrecBinder) -> std::string {
    return i < e.args.size() ? expr(e.args[i], ctx) : std::string("<missing>");
  };
  switch (e.kind) {
  case ExprKind::IntLit:
    if (e.intVal < 0)
      prec = PrecUnary;
    return std::to_string(e.intVal);
  case ExprKind::BoolLit:
    return e.intVal ? "true" : "false";
  case ExprKind::PrincipalLit:
    return p_.principalName(static_cast<int>(e.intVal));
  case ExprKind::Me:
    return "ME";
  case ExprKind::NoneLit:
    return "none";
  case ExprKind::Slot:
    return slotName(e.slot);
  case ExprKind::StateVar:
    if (e.role == role_)
      return varName(e.role, e.var);
    return (e.role >= 0 && e.role < static_cast<int>(p_.roles.size())
                ? p_.roles[e.role].name
                : std::string("<bad role>")) +
           "." + varName(e.role, e.var);
  case ExprKind::StateVarOf:
    prec = PrecPostfix;
    return (e.role >= 0 && e.role < static_cast<int>(p_.roles.size())
                ? p_.roles[e.role].name
                : fmt::format("<bad role {}>", e.role)) +
           "." + varName(e.role, e.var) + "[" + arg(0) + "]";
  case ExprKind::Field:
    prec = PrecPostfix;
    return arg(0, PrecPostfix) + "." +
           fieldName(e.args.empty() || !e.args[0] ? nullptr : e.args[0]->type,
                     e.index);
  case ExprKind::Index:
    prec = PrecPostfix;
    return arg(0, PrecPostfix) + "[" + arg(1) + "]";
  case ExprKind::TupleGet:
    prec = PrecPostfix;
    return arg(0, PrecPostfix) + "." + std::to_string(e.index);
  case ExprKind::Call: {
    prec = PrecPostfix;
    std::string name =
        e.index >= 0 && e.index < static_cast<int>(p_.funs.size())
            ? p_.funs[e.index].name
            : fmt::format("<bad fun {}>", e.index);
    return name + "(" + list(e.args) + ")";
  }
  case ExprKind::Builtin:
    prec = PrecPostfix;
    return std::string(builtinInfo(e.builtin).spelling) + "(" + list(e.args) +
           ")";
  case ExprKind::Unary:
    prec = PrecUnary;
    return opText(e.op) + arg(0, PrecUnary);
  case ExprKind::Binary: {
    prec = opPrec(e.op);
    // Left-associative operators take an equal-precedence left operand;
    // `=>` is right-associative; comparisons do not associate.
    int left = prec, right = prec + 1;
    if (e.op == Op::Implies)
      left = prec + 1, right = prec;
    else if (prec == PrecCompare)
      left = prec + 1;
    return arg(0, left) + " " + opText(e.op) + " " + arg(1, right);
  }
  case ExprKind::Ite:
    prec = PrecBinder;
    return "if " + arg(0) + " then " + arg(1) + " else " + arg(2);
  case ExprKind::SetLit:
    return "{" + list(e.args) + "}";
  case ExprKind::RangeSet:
    prec = PrecUnion; // binds like a set operator
    return arg(0, PrecAdd) + ".." + arg(1, PrecAdd);
  case ExprKind::SetFilter:
    return "{" + slotName(e.slot) + " in " + arg(0) + " | " + arg(1) + "}";
  case ExprKind::SetMap: {
    std::string s = "{" + arg(1) + " : " + slotName(e.slot) + " in " + arg(0);
    if (e.args.size() > 2 && e.args[2])
      s += " | " + arg(2);
    return s + "}";
  }
  case ExprKind::Forall:
  case ExprKind::Exists:
    prec = PrecBinder;
    return std::string(e.kind == ExprKind::Forall ? "forall " : "exists ") +
           slotName(e.slot) + " in " + arg(0) + ": " + arg(1);
  case ExprKind::MapCons:
    return "[" + slotName(e.slot) + " in " + arg(0) + " |-> " + arg(1) + "]";
  case ExprKind::RecordCons: {
    if (e.index < 0 || e.index >= static_cast<int>(p_.records.size()))
      return fmt::format("<bad record {}>({})", e.index, list(e.args));
    const auto &rec = p_.records[e.index];
    std::string s = rec.name + "{";
    for (size_t i = 0; i < e.args.size(); ++i) {
      std::string field = i < rec.fields.size() ? rec.fields[i].name
                                                : fmt::format("<extra {}>", i);
      s += (i ? ", " : "") + field + ": " + expr(e.args[i]);
    }
    return s + "}";
  }
  case ExprKind::TupleCons:
    return "(" + list(e.args) + ")";
  case ExprKind::SeqCons:
    return "<<" + list(e.args) + ">>";
  case ExprKind::SomeCons:
    prec = PrecPostfix;
    return "some(" + arg(0) + ")";
  case ExprKind::Known:
    prec = PrecUnary;
    return "KNOWN " + (e.pattern ? pattern(*e.pattern) : std::string("<null>"));
  case ExprKind::PrincipalSet:
    return setName(e.index);
  case ExprKind::PhaseNo:
    return "phaseNo";
  case ExprKind::RoundNo:
    return "roundNo";
  case ExprKind::Param:
    return e.index >= 0 && size_t(e.index) < p_.params.size()
               ? p_.params[e.index].name
               : "<bad param>";
  case ExprKind::ConstRef:
    return e.index >= 0 && size_t(e.index) < p_.consts.size()
               ? p_.consts[e.index].name
               : "<bad const>";
  }
  return "<bad expr>";
}

std::string Printer::pattern(const Pattern &pat) const {
  std::string issuer;
  const auto &is = pat.issuer;
  switch (is.kind) {
  case IssuerPattern::Kind::Any:
    issuer = "_";
    break;
  case IssuerPattern::Kind::Exact:
    issuer = expr(is.expr);
    break;
  case IssuerPattern::Kind::Bind:
    issuer = slotName(is.slot) + " in " + setName(is.set);
    break;
  case IssuerPattern::Kind::Quorum:
    issuer = (is.slot >= 0 ? slotName(is.slot) + " " : std::string()) +
             setName(is.set) + (is.exact ? " == " : " >= ") +
             expr(is.threshold);
    break;
  }
  auto party = [&](const PartyPattern &pp) -> std::string {
    switch (pp.kind) {
    case PartyPattern::Kind::Any:
      return "_";
    case PartyPattern::Kind::Contains:
      return expr(pp.expr);
    case PartyPattern::Kind::Universal:
      return "ANY";
    }
    return "<bad party>";
  };
  std::string s = "[" + issuer + ", " + party(pat.verifier) + ", " +
                  party(pat.auditor) + "] " + recordName(pat.record) +
                  (pat.statementSet ? "* " : " ") + slotName(pat.slot);
  if (!pat.constraints.empty()) {
    Type recType;
    recType.kind = TypeKind::Record;
    recType.record = pat.record;
    auto recRef = std::make_shared<const Type>(recType);
    s += " {{";
    for (const auto &c : pat.constraints)
      s += " " + fieldName(recRef, c.field) + " " + opText(c.op) + " " +
           expr(c.expr) + ";";
    s += " }}";
  }
  return s;
}

std::string Printer::frame(const std::vector<SlotInfo> &slots) const {
  std::string s;
  for (size_t i = 0; i < slots.size(); ++i)
    s += fmt::format("{}{}#{}: {}", i ? ", " : "", slots[i].name, i,
                     type(slots[i].type));
  return s;
}

std::string Printer::temporal(const TemporalPtr &t, int ctx) const {
  if (!t)
    return "<null>";
  auto arg = [&](size_t i, int c) -> std::string {
    return i < t->args.size() ? temporal(t->args[i], c) : "<missing>";
  };
  int prec = 4;
  std::string s;
  switch (t->kind) {
  case Temporal::Kind::State:
    // A state predicate inside a temporal operator is parenthesized unless
    // it is atomic.
    s = expr(t->state, ctx > 0 ? PrecPostfix : PrecBinder);
    prec = 5;
    break;
  case Temporal::Kind::Always:
    s = "[]" + arg(0, 4);
    break;
  case Temporal::Kind::Eventually:
    s = "<>" + arg(0, 4);
    break;
  case Temporal::Kind::Not:
    s = "~" + arg(0, 4);
    break;
  case Temporal::Kind::LeadsTo:
    prec = 1;
    s = arg(0, 2) + " ~> " + arg(1, 2);
    break;
  case Temporal::Kind::Or:
    prec = 2;
    s = arg(0, 2) + " \\/ " + arg(1, 3);
    break;
  case Temporal::Kind::And:
    prec = 3;
    s = arg(0, 3) + " /\\ " + arg(1, 4);
    break;
  }
  return prec < ctx ? "(" + s + ")" : s;
}

std::string Printer::lvalue(const Stmt &s) const {
  std::string text = varName(role_, s.var);
  TypeRef cur;
  if (role_ >= 0 && role_ < static_cast<int>(p_.roles.size()) && s.var >= 0 &&
      s.var < static_cast<int>(p_.roles[role_].vars.size()))
    cur = p_.roles[role_].vars[s.var].type;
  for (const auto &step : s.path) {
    switch (step.kind) {
    case LValueStep::Kind::Index:
      text += "[" + expr(step.key) + "]";
      if (cur && cur->kind == TypeKind::Map && cur->args.size() == 2)
        cur = cur->args[1];
      else if (cur && cur->kind == TypeKind::Seq && cur->args.size() == 1)
        cur = cur->args[0];
      else
        cur = nullptr;
      break;
    case LValueStep::Kind::Field:
      text += "." + fieldName(cur, step.index);
      if (cur && cur->kind == TypeKind::Record && cur->record >= 0 &&
          cur->record < static_cast<int>(p_.records.size()) &&
          step.index >= 0 &&
          step.index < static_cast<int>(p_.records[cur->record].fields.size()))
        cur = p_.records[cur->record].fields[step.index].type;
      else
        cur = nullptr;
      break;
    case LValueStep::Kind::TupleGet:
      text += "." + std::to_string(step.index);
      if (cur && cur->kind == TypeKind::Tuple && step.index >= 0 &&
          step.index < static_cast<int>(cur->args.size()))
        cur = cur->args[step.index];
      else
        cur = nullptr;
      break;
    }
  }
  return text;
}

void Printer::block(int indent, const Block &b) {
  for (const auto &s : b) {
    if (!s)
      line(indent, "<null stmt>");
    else
      stmt(indent, *s);
  }
}

void Printer::stmt(int indent, const Stmt &s) {
  // Statements only ghost state depends on (compiled nodes skip them).
  const std::string ghost = s.ghost ? "ghost " : "";
  switch (s.kind) {
  case StmtKind::Assign:
    line(indent, ghost + lvalue(s) + " <- " + expr(s.value) + ";");
    return;
  case StmtKind::Let:
    line(indent,
         ghost + "let " + slotName(s.slot) + " = " + expr(s.value) + ";");
    return;
  case StmtKind::If:
    line(indent, ghost + "if " + expr(s.cond) + " {");
    block(indent + 1, s.thenBody);
    if (!s.elseBody.empty()) {
      line(indent, "} else {");
      block(indent + 1, s.elseBody);
    }
    line(indent, "}");
    return;
  case StmtKind::Publish: {
    std::string aud = s.auditorKind == Stmt::Auditor::None  ? "NOONE"
                      : s.auditorKind == Stmt::Auditor::Any ? "ANY"
                                                            : expr(s.auditor);
    std::string text =
        "PUBLISH [ME, " + expr(s.verifier) + ", " + aud + "] " + expr(s.value);
    if (s.progress)
      text += " PROGRESS " + pattern(*s.progress);
    line(indent, text + ";");
    return;
  }
  case StmtKind::StartTimer:
  case StmtKind::CancelTimer: {
    std::string name = fmt::format("<bad timer {}>", s.timer);
    if (role_ >= 0 && role_ < static_cast<int>(p_.roles.size()) &&
        s.timer >= 0 &&
        s.timer < static_cast<int>(p_.roles[role_].timers.size()))
      name = p_.roles[role_].timers[s.timer].name;
    line(indent,
         (s.kind == StmtKind::StartTimer ? "start " : "cancel ") + name + ";");
    return;
  }
  case StmtKind::Skip:
    line(indent, "skip;");
    return;
  }
  line(indent, "<bad stmt>;");
}

void Printer::transition(const Role &r, const Transition &t) {
  frame_ = &t.slots;
  std::string head = "transition " + t.name;
  if (!t.params.empty()) {
    head += "(";
    for (size_t i = 0; i < t.params.size(); ++i) {
      int slot = t.params[i];
      std::string ty = slot >= 0 && slot < static_cast<int>(t.slots.size())
                           ? type(t.slots[slot].type)
                           : "<no type>";
      head += (i ? ", " : "") + slotName(slot) + ": " + ty;
    }
    head += ")";
  }
  line(1, head + locText(t.loc));
  frameLine(2, t.slots);
  for (size_t i = 0; i < t.triggers.size(); ++i)
    line(2, (i == 0 ? "WHEN " : "ANDWHEN ") + pattern(t.triggers[i]) +
                locText(t.triggers[i].loc));
  if (t.timer >= 0) {
    std::string name = t.timer < static_cast<int>(r.timers.size())
                           ? r.timers[t.timer].name
                           : fmt::format("<bad timer {}>", t.timer);
    line(2, std::string(t.triggers.empty() ? "WHEN" : "ANDWHEN") +
                " AFTER timeout(" + name + ")");
  }
  if (t.guard)
    line(2, "IF " + expr(t.guard));
  if (!t.bodyProgram.empty())
    line(2, "program " + t.bodyProgram);
  line(2, "@@{");
  block(3, t.body);
  line(2, "@@}");
  frame_ = nullptr;
}

void Printer::round(const Round &rd) {
  frame_ = &rd.slots;
  line(2,
       "round " + rd.name + " : " + type(rd.payload) + " {" + locText(rd.loc));
  frameLine(3, rd.slots);
  line(3, "mbox: " + slotName(rd.mboxSlot));
  if (!rd.progress.empty()) {
    std::string s;
    for (size_t i = 0; i < rd.progress.size(); ++i) {
      const auto &pc = rd.progress[i];
      s += i ? ", " : "";
      switch (pc.kind) {
      case ProgressKind::Timeout:
        s += fmt::format("timeout({}ms)", pc.timeoutMs);
        break;
      case ProgressKind::WaitMessages:
        s += "waitMessages";
        break;
      case ProgressKind::GoAhead:
        s += pc.expr ? "goAhead when " + expr(pc.expr) : "goAhead";
        break;
      case ProgressKind::CatchUp:
        s += "catchUp";
        break;
      case ProgressKind::Sync:
        s += "sync(" + expr(pc.expr) + ")";
        break;
      }
    }
    line(3, "progress " + s + ";");
  }
  for (const auto &send : rd.sends) {
    std::string s = "send " + expr(send.payload) + " to " + expr(send.dest);
    if (send.cond)
      s += " if " + expr(send.cond);
    line(3, s + ";" + locText(send.loc));
  }
  line(3, "update {");
  block(4, rd.update);
  line(3, "}");
  line(2, "}");
  frame_ = nullptr;
}

void Printer::phase(const Phase &ph) {
  std::string bound = ph.symBound
                          ? fmt::format("{} as {}", ph.bound, expr(ph.symBound))
                          : std::to_string(ph.bound);
  line(1, fmt::format("phase bound {} {{", bound) + locText(ph.loc));
  for (const auto &rd : ph.rounds)
    round(rd);
  line(1, "}");
}

void Printer::role(int index) {
  const Role &r = p_.roles[index];
  role_ = index;
  line(0, "role " + r.name + " at " + setName(r.principalSet) + " {" +
              locText(r.loc));
  for (const auto &v : r.vars) {
    frame_ = &v.slots;
    std::string s = (v.ghost     ? "ghost var "
                     : v.durable ? "durable var "
                                 : "var ") +
                    v.name + ": " + type(v.type);
    if (v.init)
      s += " = " + expr(v.init);
    if (v.initSet)
      s += " in " + expr(v.initSet);
    line(1, s + locText(v.loc));
    frameLine(2, v.slots);
    frame_ = nullptr;
  }
  for (const auto &t : r.timers)
    line(1,
         fmt::format("timer {} = {}ms", t.name, t.durationMs) + locText(t.loc));
  for (const auto &t : r.transitions)
    transition(r, t);
  for (const auto &rt : r.retires) {
    frame_ = &rt.slots;
    line(1, "retire " + pattern(rt.pattern) +
                (rt.cond ? " IF " + expr(rt.cond) : "") + locText(rt.loc));
    frameLine(2, rt.slots);
    frame_ = nullptr;
  }
  if (r.phase)
    phase(*r.phase);
  line(0, "}");
  role_ = -1;
}

void Printer::predicate(const char *keyword, const Predicate &pred) {
  frame_ = &pred.slots;
  std::string s = keyword;
  if (!pred.name.empty())
    s += " " + pred.name + ":";
  line(0, s + " " + expr(pred.expr) + locText(pred.loc));
  frameLine(1, pred.slots);
  frame_ = nullptr;
}

std::string Printer::program() {
  out_.clear();
  line(0, "protocol " + p_.name + "  // " + p_.file);
  line(0, fmt::format("// {} principals", p_.numPrincipals));
  if (!p_.params.empty() || !p_.assumptions.empty())
    line(0, "");
  for (const auto &prm : p_.params) {
    // The default, when it is not just this value (a -D, or an expression).
    bool plain = !prm.def || (prm.def->kind == ExprKind::IntLit &&
                              prm.def->intVal == prm.value);
    std::string def = plain ? "" : " (default " + expr(prm.def) + ")";
    line(0, fmt::format("param {} = {}{}", prm.name, prm.value, def) +
                locText(prm.loc));
  }
  for (const auto &c : p_.consts)
    line(0,
         fmt::format("const {} = {}", c.name, expr(c.expr)) + locText(c.loc));
  for (const auto &a : p_.assumptions)
    predicate("assume", a);

  if (!p_.principalSets.empty())
    line(0, "");
  for (const auto &s : p_.principalSets) {
    std::string members =
        s.size <= 0 ? std::string("empty")
        : s.size == 1
            ? fmt::format("id {}: {}", s.first, p_.principalName(s.first))
            : fmt::format("ids {}..{}: {}..{}", s.first, s.first + s.size - 1,
                          p_.principalName(s.first),
                          p_.principalName(s.first + s.size - 1));
    std::string size = s.symSize
                           ? fmt::format("{} as {}", s.size, expr(s.symSize))
                           : std::to_string(s.size);
    line(0, fmt::format("principals {}[{}] {}", s.name, size, members) +
                locText(s.loc));
  }

  for (const auto &rec : p_.records) {
    line(0, "");
    line(0, "record " + rec.name + " {" + locText(rec.loc));
    for (const auto &f : rec.fields)
      line(1, f.name + ": " + type(f.type) + locText(f.loc));
    line(0, "}");
  }

  if (!p_.funs.empty())
    line(0, "");
  for (const auto &f : p_.funs) {
    frame_ = &f.slots;
    std::string s = "fun " + f.name + "(";
    for (size_t i = 0; i < f.params.size(); ++i) {
      int slot = f.params[i];
      std::string ty = slot >= 0 && slot < static_cast<int>(f.slots.size())
                           ? type(f.slots[slot].type)
                           : "<no type>";
      s += (i ? ", " : "") + slotName(slot) + ": " + ty;
    }
    line(0, s + "): " + type(f.result) + " = " + expr(f.body) + locText(f.loc));
    if (f.slots.size() != f.params.size())
      frameLine(1, f.slots);
    frame_ = nullptr;
  }

  for (size_t i = 0; i < p_.roles.size(); ++i) {
    line(0, "");
    role(static_cast<int>(i));
  }

  if (!p_.faults.empty())
    line(0, "");
  for (const auto &f : p_.faults)
    line(0,
         fmt::format("faults {}: {} <= {}", setName(f.principalSet),
                     f.kind == FaultDecl::Kind::Crash     ? "crash"
                     : f.kind == FaultDecl::Kind::Recover ? "recover"
                                                          : "byzantine",
                     f.symMax ? fmt::format("{} as {}", f.max, expr(f.symMax))
                              : std::to_string(f.max)) +
             locText(f.loc));

  if (!p_.invariants.empty())
    line(0, "");
  for (const auto &inv : p_.invariants)
    predicate(inv.lemma ? "lemma" : "invariant", inv);

  if (!p_.constraints.empty())
    line(0, "");
  for (const auto &c : p_.constraints)
    predicate("constraint", c);

  if (!p_.properties.empty())
    line(0, "");
  for (const auto &prop : p_.properties) {
    frame_ = &prop.slots;
    line(0, "property " + prop.name + ": " + temporal(prop.formula, 0) +
                locText(prop.loc));
    frameLine(1, prop.slots);
    frame_ = nullptr;
  }

  if (!p_.commPredicates.empty())
    line(0, "");
  for (const auto &cp : p_.commPredicates) {
    frame_ = &cp.slots;
    role_ = p_.roles.empty() ? -1 : 0;
    std::string roundName = fmt::format("<bad round {}>", cp.round);
    if (p_.isRoundProgram() && cp.round >= 0 &&
        cp.round < static_cast<int>(p_.roles[0].phase->rounds.size()))
      roundName = p_.roles[0].phase->rounds[cp.round].name;
    line(0, "communication " + cp.name + ": round " + roundName + ": " +
                expr(cp.expr) + locText(cp.loc));
    frameLine(1, cp.slots);
    line(1, "mbox: " + slotName(cp.mboxSlot));
    frame_ = nullptr;
    role_ = -1;
  }

  line(0, "");
  line(0, std::string("fairness ") + fairnessName(p_.fairness));
  if (p_.termination.expr) {
    frame_ = &p_.termination.slots;
    line(0, "terminate when " + expr(p_.termination.expr) +
                locText(p_.termination.loc));
    frameLine(1, p_.termination.slots);
    frame_ = nullptr;
  }
  return out_;
}

} // namespace

std::string printProgram(const Program &program) {
  return Printer(program).program();
}

std::string printType(const Program &program, const Type &type) {
  return Printer(program).type(std::make_shared<const Type>(type));
}

std::string printExpr(const Program &program, const ExprPtr &e) {
  return Printer(program).expr(e, 0);
}

} // namespace mommie::ir
