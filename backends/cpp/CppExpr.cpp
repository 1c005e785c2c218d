// The C++ backend: expressions, types and body statements. Every value is a
// runtime value (mommie::rt::Value); operations go through rt::ops (`o::`),
// which implement the model's semantics and throw EvalError exactly where
// the checker reports an evaluation error. Binders (quantifiers,
// comprehensions, map constructors) become immediately invoked lambdas that
// assign the binder's frame slot.
#include "backends/cpp/CppGenImpl.h"
#include "ir/Walk.h"

#include <cctype>
#include <unordered_set>

namespace mommie::cppgen {

namespace {
const std::unordered_set<std::string> &keywords() {
  static const std::unordered_set<std::string> k = {"alignas",
                                                    "alignof",
                                                    "and",
                                                    "and_eq",
                                                    "asm",
                                                    "auto",
                                                    "bitand",
                                                    "bitor",
                                                    "bool",
                                                    "break",
                                                    "case",
                                                    "catch",
                                                    "char",
                                                    "class",
                                                    "compl",
                                                    "const",
                                                    "constexpr",
                                                    "const_cast",
                                                    "continue",
                                                    "decltype",
                                                    "default",
                                                    "delete",
                                                    "do",
                                                    "double",
                                                    "dynamic_cast",
                                                    "else",
                                                    "enum",
                                                    "explicit",
                                                    "export",
                                                    "extern",
                                                    "false",
                                                    "float",
                                                    "for",
                                                    "friend",
                                                    "goto",
                                                    "if",
                                                    "inline",
                                                    "int",
                                                    "long",
                                                    "mutable",
                                                    "namespace",
                                                    "new",
                                                    "noexcept",
                                                    "not",
                                                    "not_eq",
                                                    "nullptr",
                                                    "operator",
                                                    "or",
                                                    "or_eq",
                                                    "private",
                                                    "protected",
                                                    "public",
                                                    "register",
                                                    "reinterpret_cast",
                                                    "return",
                                                    "short",
                                                    "signed",
                                                    "sizeof",
                                                    "static",
                                                    "static_assert",
                                                    "static_cast",
                                                    "struct",
                                                    "switch",
                                                    "template",
                                                    "this",
                                                    "thread_local",
                                                    "throw",
                                                    "true",
                                                    "try",
                                                    "typedef",
                                                    "typeid",
                                                    "typename",
                                                    "union",
                                                    "unsigned",
                                                    "using",
                                                    "virtual",
                                                    "void",
                                                    "volatile",
                                                    "wchar_t",
                                                    "while",
                                                    "main",
                                                    "std",
                                                    "mommie",
                                                    "o",
                                                    "rt",
                                                    "rec",
                                                    "F",
                                                    "S",
                                                    "Value",
                                                    "T",
                                                    "me_",
                                                    "st_",
                                                    "out",
                                                    "step"};
  return k;
}
} // namespace

std::string cppIdent(const std::string &name) {
  std::string s;
  for (char c : name)
    s += (std::isalnum((unsigned char)c) || c == '_') ? c : '_';
  if (s.empty() || std::isdigit((unsigned char)s[0]))
    s = "_" + s;
  if (keywords().count(s) || s.compare(0, 2, "__") == 0)
    s += "_";
  return s;
}

std::vector<std::string> frameNames(const std::vector<ir::SlotInfo> &slots) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (size_t i = 0; i < slots.size(); ++i) {
    std::string n = cppIdent(slots[i].name);
    if (used.count(n)) {
      n += '_';
      n += std::to_string(i);
    }
    used.insert(n);
    names.push_back(n);
  }
  return names;
}

void Gen::error(const ir::SourceLoc &loc, const std::string &msg) {
  errors_.push_back(loc.file + ":" + std::to_string(loc.line) + ":" +
                    std::to_string(loc.col) + ": error: " + msg);
}

std::string Gen::slotRef(const Ctx &c, int slot) {
  if (slot < 0 || size_t(slot) >= c.slotNames.size()) {
    errors_.push_back("internal error: slot " + std::to_string(slot) +
                      " out of range in " + c.where);
    return "Value()";
  }
  return "F." + c.slotNames[size_t(slot)];
}

std::string Gen::principalSetValue(int set) {
  const auto &s = P.principalSets[size_t(set)];
  return "o::principalRange(" + std::to_string(s.first) + ", " +
         std::to_string(s.size) + ")";
}

std::string Gen::typeDesc(const ir::Type &t) {
  switch (t.kind) {
  case ir::TypeKind::Bool:
    return "T::boolean()";
  case ir::TypeKind::Int:
    return "T::integer()";
  case ir::TypeKind::Range:
    if (t.model) // the model's range; a node holds any integer
      return "T::integer()";
    return "T::range(" + std::to_string(t.lo) + ", " + std::to_string(t.hi) +
           ")";
  case ir::TypeKind::Principal:
    if (t.principalSet < 0)
      return "T::principal()";
    return "T::principal(" +
           std::to_string(P.principalSets[size_t(t.principalSet)].first) +
           ", " + std::to_string(P.principalSets[size_t(t.principalSet)].size) +
           ")";
  case ir::TypeKind::Record:
    return "T::recordOf(" + std::to_string(t.record) + ")";
  case ir::TypeKind::Set:
    return "T::setOf(" + typeDesc(*t.args[0]) + ")";
  case ir::TypeKind::Map:
    return "T::mapOf(" + typeDesc(*t.args[0]) + ", " + typeDesc(*t.args[1]) +
           ")";
  case ir::TypeKind::Option:
    return "T::optionOf(" + typeDesc(*t.args[0]) + ")";
  case ir::TypeKind::Seq:
    return "T::seqOf(" + typeDesc(*t.args[0]) + ")";
  case ir::TypeKind::Tuple: {
    std::string s = "T::tupleOf({";
    for (size_t i = 0; i < t.args.size(); ++i)
      s += (i ? ", " : "") + typeDesc(*t.args[i]);
    return s + "})";
  }
  }
  return "T::boolean()";
}

void Gen::collectSlots(const ir::Expr &e, std::set<int> &out) const {
  ir::walkExpr(e, [&](const ir::Expr &x) {
    if (x.kind == ir::ExprKind::Slot)
      out.insert(x.slot);
  });
}

// Joins generated lines into one, dropping `//` comments.
static std::string collapse(const std::string &text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    size_t cm = line.find(" // ");
    if (cm != std::string::npos)
      line.resize(cm);
    size_t b = line.find_first_not_of(' ');
    if (b != std::string::npos)
      out += line.substr(b) + " ";
    pos = nl + 1;
  }
  return out;
}

std::string
Gen::binder(const ir::Expr &e, const Ctx &c, const std::string &setExpr,
            const std::function<void(Out &, const std::string &)> &body,
            const std::string &init, const std::string &result) {
  std::string set = fresh("set"), x = fresh("x");
  Out o;
  body(o, x);
  std::string inner = collapse(o.text);
  return "[&]() -> Value { " + init + " const Value " + set + " = " + setExpr +
         "; for (const Value &" + x + " : o::members(" + set + ")) { " +
         slotRef(c, e.slot) + " = " + x + "; " + inner + "} " + result + " }()";
}

std::string Gen::expr(const ir::Expr &e, const Ctx &c) {
  using K = ir::ExprKind;
  auto arg = [&](size_t i) { return expr(*e.args[i], c); };
  auto unsupported = [&](const std::string &what) {
    error(e.loc, what + " cannot be evaluated by a running node");
    return std::string("Value()");
  };
  switch (e.kind) {
  case K::IntLit:
    return "o::I(" + std::to_string(e.intVal) + ")";
  case K::BoolLit:
    return e.intVal ? "o::B(true)" : "o::B(false)";
  case K::PrincipalLit:
    return "o::P(" + std::to_string(e.intVal) + ")";
  case K::Me:
    if (!c.hasPool)
      return unsupported("ME outside a role");
    return "o::P(me_)";
  case K::NoneLit:
    return "Value::none()";
  case K::Slot:
    return slotRef(c, e.slot);
  case K::StateVar:
    if (!c.hasState || e.role != c.role)
      return unsupported("a role variable here");
    return "S." + cppIdent(P.roles[size_t(e.role)].vars[size_t(e.var)].name);
  case K::StateVarOf:
    return unsupported("another principal's variable");
  case K::Field:
  case K::TupleGet:
    return "(" + arg(0) + ").field(" + std::to_string(e.index) + ")";
  case K::Index:
    if (e.args[0]->kind ==
        K::PrincipalSet) { // P[i]: the i-th member (e.g. P[phaseNo % N])
      const auto &set = P.principalSets[size_t(e.args[0]->index)];
      return "[&]() -> Value { const int64_t i = (" + arg(1) +
             ").asInt(); if (i < 0 || i >= " + std::to_string(set.size) +
             ") throw rt::EvalError(\"index outside principal set " + set.name +
             "\"); return o::P(" + std::to_string(set.first) + " + i); }()";
    }
    return "o::index(" + arg(0) + ", " + arg(1) + ")";
  case K::Call: {
    std::string s = "fn_" + cppIdent(P.funs[size_t(e.index)].name) + "(";
    for (size_t i = 0; i < e.args.size(); ++i)
      s += (i ? ", " : "") + arg(i);
    return s + ")";
  }
  case K::Builtin: {
    using B = ir::Builtin;
    switch (e.builtin) {
    case B::Card:
      return "o::card(" + arg(0) + ")";
    case B::Dom:
      return "o::dom(" + arg(0) + ")";
    case B::Len:
      return "o::len(" + arg(0) + ")";
    case B::Append:
      return "o::append(" + arg(0) + ", " + arg(1) + ")";
    case B::Head:
      return "o::head(" + arg(0) + ")";
    case B::Tail:
      return "o::tail(" + arg(0) + ")";
    case B::Max:
      return "o::maxOf(" + arg(0) + ")";
    case B::Min:
      return "o::minOf(" + arg(0) + ")";
    case B::Get:
      return "o::get(" + arg(0) + ")";
    case B::IsSome:
      return "o::isSome(" + arg(0) + ")";
    case B::Correct:
      return unsupported("correct()");
    case B::Crashed:
      return unsupported("crashed()");
    }
    return unsupported("this builtin");
  }
  case K::Unary:
    return (e.op == ir::Op::Not ? "o::lnot(" : "o::neg(") + arg(0) + ")";
  case K::Binary: {
    using O = ir::Op;
    switch (e.op) {
    case O::And:
      return "o::B(" + cond(*e.args[0], c) + " && " + cond(*e.args[1], c) + ")";
    case O::Or:
      return "o::B(" + cond(*e.args[0], c) + " || " + cond(*e.args[1], c) + ")";
    case O::Implies:
      return "o::B(!" + cond(*e.args[0], c) + " || " + cond(*e.args[1], c) +
             ")";
    default:
      break;
    }
    const char *f = "";
    switch (e.op) {
    case O::Add:
      f = "add";
      break;
    case O::Sub:
      f = "sub";
      break;
    case O::Mul:
      f = "mul";
      break;
    case O::Div:
      f = "div";
      break;
    case O::Mod:
      f = "mod";
      break;
    case O::Eq:
      f = "eq";
      break;
    case O::Ne:
      f = "ne";
      break;
    case O::Lt:
      f = "lt";
      break;
    case O::Le:
      f = "le";
      break;
    case O::Gt:
      f = "gt";
      break;
    case O::Ge:
      f = "ge";
      break;
    case O::In:
      f = "in";
      break;
    case O::NotIn:
      f = "notIn";
      break;
    case O::SubsetEq:
      f = "subsetEq";
      break;
    case O::Union:
      f = "setUnion";
      break;
    case O::Inter:
      f = "setInter";
      break;
    case O::Diff:
      f = "setDiff";
      break;
    default:
      return unsupported("this operator");
    }
    return std::string("o::") + f + "(" + arg(0) + ", " + arg(1) + ")";
  }
  case K::Ite:
    return "(" + cond(*e.args[0], c) + " ? " + arg(1) + " : " + arg(2) + ")";
  case K::SetLit:
  case K::TupleCons:
  case K::SeqCons: {
    std::string s = e.kind == K::SetLit      ? "Value::set({"
                    : e.kind == K::TupleCons ? "Value::tuple({"
                                             : "Value::seq({";
    for (size_t i = 0; i < e.args.size(); ++i)
      s += (i ? ", " : "") + arg(i);
    return s + "})";
  }
  case K::RangeSet:
    return "o::rangeSet(" + arg(0) + ", " + arg(1) + ")";
  case K::SetFilter: {
    std::string p = cond(*e.args[1], c);
    return binder(
        e, c, arg(0),
        [&](Out &o, const std::string &x) {
          o.line("if (" + p + ") acc.push_back(" + x + ");");
        },
        "Value::Elems acc;", "return Value::set(std::move(acc));");
  }
  case K::SetMap: {
    std::string v = arg(1);
    std::string p = e.args.size() > 2 && e.args[2] ? cond(*e.args[2], c) : "";
    return binder(
        e, c, arg(0),
        [&](Out &o, const std::string &) {
          o.line(p.empty() ? "acc.push_back(" + v + ");"
                           : "if (" + p + ") acc.push_back(" + v + ");");
        },
        "Value::Elems acc;", "return Value::set(std::move(acc));");
  }
  case K::Forall:
  case K::Exists: {
    std::string p = cond(*e.args[1], c);
    bool all = e.kind == K::Forall;
    return binder(
        e, c, arg(0),
        [&](Out &o, const std::string &) {
          o.line(all ? "if (!" + p + ") return o::B(false);"
                     : "if (" + p + ") return o::B(true);");
        },
        "", all ? "return o::B(true);" : "return o::B(false);");
  }
  case K::MapCons: {
    std::string v = arg(1);
    return binder(
        e, c, arg(0),
        [&](Out &o, const std::string &x) {
          o.line("acc.emplace_back(" + x + ", " + v + ");");
        },
        "std::vector<std::pair<Value, Value>> acc;",
        "return Value::map(std::move(acc));");
  }
  case K::RecordCons: {
    std::string s = "Value::record(" + std::to_string(e.index) + ", {";
    for (size_t i = 0; i < e.args.size(); ++i)
      s += (i ? ", " : "") + arg(i);
    return s + "})";
  }
  case K::SomeCons:
    return "Value::some(" + arg(0) + ")";
  case K::Known:
    if (!c.hasPool || !e.pattern)
      return unsupported("KNOWN outside a role");
    return knownExpr(*e.pattern, c);
  case K::PrincipalSet:
    return principalSetValue(e.index);
  case K::PhaseNo:
    return "o::I(phaseNo_)"; // round programs (CppRounds.cpp)
  case K::RoundNo:
    return "o::I(roundNo_)";
  case K::Param:
  case K::ConstRef: // symbolic forms only (ir/ExprKinds.def): an instance has
                    // numbers
    return unsupported("internal error: a symbolic form");
  }
  return unsupported("this expression");
}

std::string Gen::knownExpr(const ir::Pattern &pat, const Ctx &c) {
  Out o;
  o.indent = 0;
  std::vector<ir::Pattern> pats;
  pats.push_back(pat);
  match(
      o, c, pats, {}, ir::planMatch(pats, {}, nullptr),
      [](Out &in, const char *) { in.line("return o::B(true);"); },
      "return o::B(false);");
  return "[&]() -> Value { " + collapse(o.text) + "return o::B(false); }()";
}

void Gen::block(Out &o, const ir::Block &b, const Ctx &c) {
  for (const auto &sp : b) {
    const ir::Stmt &s = *sp;
    if (s.ghost)
      continue; // only ghost state depends on it; a node has none
    switch (s.kind) {
    case ir::StmtKind::Assign: {
      const auto &var = P.roles[size_t(c.role)].vars[size_t(s.var)];
      std::string name = cppIdent(var.name);
      std::string v = fresh("v");
      o.open("{ // " + var.name + " <- ...");
      o.line("Value " + v + " = " + expr(*s.value, c) + ";");
      if (s.path.empty()) {
        o.line("S." + name + " = std::move(" + v + ");");
      } else {
        std::string path;
        for (const auto &step : s.path) {
          if (!path.empty())
            path += ", ";
          path +=
              step.kind == ir::LValueStep::Kind::Index
                  ? "o::PathStep::key_(" + expr(*step.key, c) + ")"
                  : "o::PathStep::field_(" + std::to_string(step.index) + ")";
        }
        o.line("S." + name + " = o::assignAt(S." + name + ", {" + path +
               "}, std::move(" + v + "));");
      }
      o.line("checkVar(S." + name + ", " + std::to_string(s.var) + ");");
      o.close();
      break;
    }
    case ir::StmtKind::Let:
      o.line(slotRef(c, s.slot) + " = " + expr(*s.value, c) + ";");
      break;
    case ir::StmtKind::If:
      o.open("if (" + cond(*s.cond, c) + ") {");
      block(o, s.thenBody, c);
      if (!s.elseBody.empty()) {
        o.close("} else {");
        ++o.indent;
        block(o, s.elseBody, c);
      }
      o.close();
      break;
    case ir::StmtKind::Publish: {
      std::string ver = expr(*s.verifier, c), msg = expr(*s.value, c);
      if (s.auditorKind == ir::Stmt::Auditor::None)
        o.line("out.publishNoAuditor(" + ver + ", " + msg + ");");
      else if (s.auditorKind == ir::Stmt::Auditor::Any)
        o.line("out.publishAnyAuditor(" + ver + ", " + msg + ");");
      else
        o.line("out.publish(" + ver + ", " + expr(*s.auditor, c) + ", " + msg +
               ");");
      if (s.progress &&
          c.hasPool) // PROGRESS: tested later by the dissemination layer,
        // on copies of the state and bindings the PUBLISH saw
        // (runtime/dissem/Optimistic.h)
        o.line("out.setProgress([=]() mutable -> bool { return " +
               knownExpr(*s.progress, c) + ".asBool(); });");
      break;
    }
    case ir::StmtKind::StartTimer:
    case ir::StmtKind::CancelTimer: {
      bool start = s.kind == ir::StmtKind::StartTimer;
      std::string t =
          cppIdent(P.roles[size_t(c.role)].timers[size_t(s.timer)].name);
      o.line(std::string("S.timer_") + t + " = " + (start ? "true" : "false") +
             "; out." + (start ? "startTimer(" : "stopTimer(") +
             std::to_string(s.timer) + ");");
      break;
    }
    case ir::StmtKind::Skip:
      o.line(";");
      break;
    }
  }
}

} // namespace mommie::cppgen
