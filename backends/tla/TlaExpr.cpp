// IR expressions and types as TLA+ text.
//
// Every expression prints on one line. Forms that TLA+ could parse
// differently inside a larger expression (infix operators, IF, quantifiers,
// DOMAIN, ranges) are parenthesized when used as operands, except inside a
// chain of the same associative operator. Options are sequences of length
// at most one (MommiePool's None/Some), maps and sequences are functions,
// tuples are TLA+ tuples (components 1-based), records are records.
#include "backends/tla/TlaEmitter.h"
#include "ir/Walk.h"

#include <fmt/format.h>

namespace mommie::tla {

using namespace ir;

Frame::Frame(Emitter &e, const std::vector<SlotInfo> *s, std::string meName)
    : em(e), scope(&e.globals), slots(s), me(std::move(meName)) {
  if (!me.empty())
    scope.claimExact(me);
  if (slots)
    for (const auto &info : *slots)
      slotNames.push_back(scope.claim(info.name.empty() ? "v" : info.name));
  stmtBinder = scope.claim("st");
  stateVar = [this](int role, int var) {
    return em.varNames[role][var] + "[" + me + "]";
  };
  known = [this](int record) {
    auto it = em.knownNames.find(record);
    if (it == em.knownNames.end())
      return std::string("{}");
    return it->second + "[" + me + "]";
  };
}

std::string Frame::slot(int s) const {
  if (s < 0 || s >= static_cast<int>(slotNames.size()))
    return "<slot" + std::to_string(s) + ">";
  return slotNames[s];
}

namespace {

bool isAtomic(const Expr &e) {
  if (e.sym) // printed as its symbolic form
    return isAtomic(*e.sym);
  switch (e.kind) {
  case ExprKind::IntLit:
    return e.intVal >= 0;
  case ExprKind::Unary:
  case ExprKind::Binary:
  case ExprKind::Ite:
  case ExprKind::RangeSet:
  case ExprKind::Forall:
  case ExprKind::Exists:
  case ExprKind::Known:
    return false;
  case ExprKind::Builtin:
    return e.builtin != Builtin::Dom && e.builtin != Builtin::Crashed &&
           e.builtin != Builtin::Correct;
  default:
    return true;
  }
}

bool isAssociative(Op op) {
  return op == Op::And || op == Op::Or || op == Op::Add || op == Op::Mul ||
         op == Op::Union || op == Op::Inter;
}

const char *opText(Op op) {
  switch (op) {
  case Op::Not:
    return "~";
  case Op::Neg:
    return "-";
  case Op::Add:
    return "+";
  case Op::Sub:
    return "-";
  case Op::Mul:
    return "*";
  case Op::Div:
    return "\\div";
  case Op::Mod:
    return "%";
  case Op::Eq:
    return "=";
  case Op::Ne:
    return "#";
  case Op::Lt:
    return "<";
  case Op::Le:
    return "<=";
  case Op::Gt:
    return ">";
  case Op::Ge:
    return ">=";
  case Op::And:
    return "/\\";
  case Op::Or:
    return "\\/";
  case Op::Implies:
    return "=>";
  case Op::In:
    return "\\in";
  case Op::NotIn:
    return "\\notin";
  case Op::SubsetEq:
    return "\\subseteq";
  case Op::Union:
    return "\\cup";
  case Op::Inter:
    return "\\cap";
  case Op::Diff:
    return "\\";
  }
  return "?";
}

std::string join(const std::vector<std::string> &parts, const char *sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i)
      out += sep;
    out += parts[i];
  }
  return out;
}

std::string paren(const std::string &s) { return "(" + s + ")"; }

} // namespace

std::string Emitter::fieldName(int record, int field) const {
  if (record < 0 || record >= static_cast<int>(prog.records.size()))
    return "<field>";
  const auto &fields = prog.records[record].fields;
  if (field < 0 || field >= static_cast<int>(fields.size()))
    return "<field>";
  return sanitizeName(fields[field].name);
}

std::string Emitter::symbolic(const ExprPtr &sym, int64_t value,
                              bool asOperand) {
  if (!sym)
    return std::to_string(value);
  Frame f(*this, nullptr, "");
  return asOperand ? operand(sym.get(), f) : expr(sym.get(), f);
}

std::string Emitter::apalacheType(const Type &t) const {
  auto fn = [](const std::string &s) { // a function type as an operand
    return s.find("->") != std::string::npos ? "(" + s + ")" : s;
  };
  switch (t.kind) {
  case TypeKind::Bool:
    return "Bool";
  case TypeKind::Int:
  case TypeKind::Range:
    return "Int";
  case TypeKind::Principal:
    return "$principal";
  case TypeKind::Record:
    if (t.record < 0 || t.record >= static_cast<int>(recordAliases.size()))
      return "{}";
    return "$" + recordAliases[size_t(t.record)];
  case TypeKind::Set:
    return "Set(" + apalacheType(*t.args.at(0)) + ")";
  case TypeKind::Option:
  case TypeKind::Seq:
    return "Seq(" + apalacheType(*t.args.at(0)) + ")";
  case TypeKind::Map:
    return fn(apalacheType(*t.args.at(0))) + " -> " +
           fn(apalacheType(*t.args.at(1)));
  case TypeKind::Tuple: {
    std::vector<std::string> parts;
    for (const auto &a : t.args)
      parts.push_back(apalacheType(*a));
    return "<<" + join(parts, ", ") + ">>";
  }
  }
  return "?";
}

std::string Emitter::statementType(int record) const {
  return "$" + statementAliases.at(size_t(record));
}

std::string Emitter::member(int set, int64_t offset) const {
  return memberNames[size_t(set)] + "(" + std::to_string(offset) + ")";
}

std::string Emitter::principalSetOfType(const Type &t) const {
  if (t.principalSet >= 0 && t.principalSet < static_cast<int>(setNames.size()))
    return setNames[t.principalSet];
  return "Principals";
}

std::string Emitter::operand(const Expr *e, Frame &f) {
  if (!e)
    return "<null>";
  std::string s = expr(e, f);
  return isAtomic(*e) ? s : paren(s);
}

// `k + 1` for a 0-based index, folded when `k` is a literal.
static std::string plusOne(Emitter &em, const Expr *k, Frame &f) {
  if (k && k->kind == ExprKind::IntLit)
    return std::to_string(k->intVal + 1);
  return em.operand(k, f) + " + 1";
}

std::string Emitter::expr(const Expr *e, Frame &f) {
  if (!e)
    return "<null>";
  auto arg = [&](size_t i) -> const Expr * {
    return i < e->args.size() ? e->args[i].get() : nullptr;
  };
  auto args = [&]() {
    std::vector<std::string> out;
    for (const auto &a : e->args)
      out.push_back(expr(a.get(), f));
    return out;
  };
  if (e->sym) // a value computed from parameters, as written
    return expr(e->sym.get(), f);
  switch (e->kind) {
  case ExprKind::IntLit:
    return std::to_string(e->intVal);
  case ExprKind::BoolLit:
    return e->intVal ? "TRUE" : "FALSE";
  case ExprKind::PrincipalLit: {
    int set = prog.setOf(static_cast<int>(e->intVal));
    if (set < 0)
      return "<principal>";
    return member(set, e->intVal - prog.principalSets[size_t(set)].first);
  }
  case ExprKind::Param:
    return e->index >= 0 && size_t(e->index) < paramNames.size()
               ? paramNames[e->index]
               : "<param>";
  case ExprKind::ConstRef:
    return e->index >= 0 && size_t(e->index) < constNames.size()
               ? constNames[e->index]
               : "<const>";
  case ExprKind::Me:
    if (f.me.empty()) {
      error(e->loc, "ME is not defined here");
      return "ME";
    }
    return f.me;
  case ExprKind::NoneLit:
    return "None";
  case ExprKind::Slot:
    return f.slot(e->slot);
  case ExprKind::StateVar:
    if (f.me.empty() || !f.stateVar) {
      error(e->loc, "a role variable without a principal is not defined here");
      return "<var>";
    }
    return f.stateVar(e->role, e->var);
  case ExprKind::StateVarOf:
    return varNames[e->role][e->var] + "[" + expr(arg(0), f) + "]";
  case ExprKind::Field: {
    int record = arg(0) && arg(0)->type ? arg(0)->type->record : -1;
    return operand(arg(0), f) + "." + fieldName(record, e->index);
  }
  case ExprKind::Index: {
    const Expr *base = arg(0);
    if (base && base->kind == ExprKind::PrincipalSet) {
      // A member by index: a constant one (R[0], R[F]) always exists; a
      // computed one (P[ph % N]) is checked, as the checker does.
      const Expr *k = arg(1);
      bool constant =
          k && (k->kind == ExprKind::IntLit || k->kind == ExprKind::Param ||
                k->kind == ExprKind::ConstRef || k->sym);
      if (constant)
        return memberNames[base->index] + "(" + expr(k, f) + ")";
      orderedSets.insert(base->index);
      return atNames[base->index] + "(" + expr(k, f) + ")";
    }
    bool seq = base && base->type &&
               (base->type->kind == TypeKind::Seq ||
                base->type->kind == TypeKind::Tuple);
    std::string key = seq ? plusOne(*this, arg(1), f) : expr(arg(1), f);
    return operand(base, f) + "[" + key + "]";
  }
  case ExprKind::TupleGet:
    return operand(arg(0), f) + "[" + std::to_string(e->index + 1) + "]";
  case ExprKind::Call: {
    if (e->index < 0 || e->index >= static_cast<int>(funNames.size()))
      return "<fun>";
    if (e->args.empty())
      return funNames[e->index];
    return funNames[e->index] + "(" + join(args(), ", ") + ")";
  }
  case ExprKind::Builtin:
    switch (e->builtin) {
    case Builtin::Card:
      return "Cardinality(" + expr(arg(0), f) + ")";
    case Builtin::Dom:
      return "DOMAIN " + operand(arg(0), f);
    case Builtin::Len:
      return "Len(" + expr(arg(0), f) + ")";
    case Builtin::Append:
      return "Append(" + expr(arg(0), f) + ", " + expr(arg(1), f) + ")";
    case Builtin::Head:
      return "Head(" + expr(arg(0), f) + ")";
    case Builtin::Tail:
      return "Tail(" + expr(arg(0), f) + ")";
    case Builtin::Max:
      return "SetMax(" + expr(arg(0), f) + ")";
    case Builtin::Min:
      return "SetMin(" + expr(arg(0), f) + ")";
    case Builtin::Get:
      return "Get(" + expr(arg(0), f) + ")";
    case Builtin::IsSome:
      return "IsSome(" + expr(arg(0), f) + ")";
    case Builtin::Correct:
      return hasByz ? operand(arg(0), f) + " \\ byz" : expr(arg(0), f);
    case Builtin::Crashed:
      return hasCrash ? operand(arg(0), f) + " \\in " + f.crashedSet : "FALSE";
    }
    return "<builtin>";
  case ExprKind::Unary:
    if (e->op == Op::Not)
      return "~" + operand(arg(0), f);
    return "-" + operand(arg(0), f);
  case ExprKind::Binary: {
    if ((e->op == Op::Div || e->op == Op::Mod) &&
        !(arg(1) && arg(1)->kind == ExprKind::IntLit && arg(1)->intVal > 0))
      return std::string(e->op == Op::Div ? "Div(" : "Mod(") + expr(arg(0), f) +
             ", " + expr(arg(1), f) + ")";
    auto side = [&](const Expr *a) {
      if (a && a->kind == ExprKind::Binary && a->op == e->op &&
          isAssociative(e->op))
        return expr(a, f);
      return operand(a, f);
    };
    return side(arg(0)) + " " + opText(e->op) + " " + side(arg(1));
  }
  case ExprKind::Ite:
    return "IF " + expr(arg(0), f) + " THEN " + expr(arg(1), f) + " ELSE " +
           expr(arg(2), f);
  case ExprKind::SetLit:
    return "{" + join(args(), ", ") + "}";
  case ExprKind::RangeSet:
    return operand(arg(0), f) + ".." + operand(arg(1), f);
  case ExprKind::SetFilter:
    return "{" + f.slot(e->slot) + " \\in " + expr(arg(0), f) + " : " +
           expr(arg(1), f) + "}";
  case ExprKind::SetMap: {
    std::string dom = expr(arg(0), f);
    if (arg(2))
      dom = "{" + f.slot(e->slot) + " \\in " + dom + " : " + expr(arg(2), f) +
            "}";
    return "{" + expr(arg(1), f) + " : " + f.slot(e->slot) + " \\in " + dom +
           "}";
  }
  case ExprKind::Forall:
  case ExprKind::Exists:
    return std::string(e->kind == ExprKind::Forall ? "\\A " : "\\E ") +
           f.slot(e->slot) + " \\in " + expr(arg(0), f) + " : " +
           expr(arg(1), f);
  case ExprKind::MapCons:
    return "[" + f.slot(e->slot) + " \\in " + expr(arg(0), f) + " |-> " +
           expr(arg(1), f) + "]";
  case ExprKind::RecordCons: {
    std::vector<std::string> parts;
    for (size_t i = 0; i < e->args.size(); ++i)
      parts.push_back(fieldName(e->index, static_cast<int>(i)) + " |-> " +
                      expr(arg(i), f));
    return "[" + join(parts, ", ") + "]";
  }
  case ExprKind::TupleCons:
  case ExprKind::SeqCons:
    return "<<" + join(args(), ", ") + ">>";
  case ExprKind::SomeCons:
    return "Some(" + expr(arg(0), f) + ")";
  case ExprKind::Known:
    if (!e->pattern)
      return "<known>";
    return knownExpr(*e->pattern, f);
  case ExprKind::PrincipalSet:
    if (e->index >= 0 && e->index < static_cast<int>(setNames.size()))
      return setNames[e->index];
    return "<set>";
  case ExprKind::PhaseNo:
    return "phaseNo";
  case ExprKind::RoundNo:
    return "roundNo";
  }
  return "<expr>";
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

namespace {

std::string wrapSet(const std::string &s) {
  // Set expressions that are not atomic when used as operands.
  if (s.find(' ') != std::string::npos || s.find("..") != std::string::npos)
    return "(" + s + ")";
  return s;
}

} // namespace

std::string Emitter::domainOf(const Type &t, const SourceLoc &where) {
  switch (t.kind) {
  case TypeKind::Bool:
    return "BOOLEAN";
  case TypeKind::Range:
    if (t.model && modelRangesAsInt)
      return "Int";
    return symbolic(t.symLo, t.lo) + ".." + symbolic(t.symHi, t.hi);
  case TypeKind::Principal:
    return principalSetOfType(t);
  case TypeKind::Record: {
    if (t.record < 0 || t.record >= static_cast<int>(prog.records.size()))
      return "{}";
    const auto &r = prog.records[t.record];
    std::vector<std::string> parts;
    for (size_t i = 0; i < r.fields.size(); ++i)
      parts.push_back(fieldName(t.record, static_cast<int>(i)) + ": " +
                      domainOf(*r.fields[i].type, where));
    return "[" + join(parts, ", ") + "]";
  }
  case TypeKind::Option:
    return "OptionOf(" + domainOf(*t.args.at(0), where) + ")";
  case TypeKind::Set:
    return "SUBSET " + wrapSet(domainOf(*t.args.at(0), where));
  case TypeKind::Map:
    return "Maps(" + domainOf(*t.args.at(0), where) + ", " +
           domainOf(*t.args.at(1), where) + ")";
  case TypeKind::Tuple: {
    std::vector<std::string> parts;
    for (const auto &a : t.args)
      parts.push_back(wrapSet(domainOf(*a, where)));
    if (parts.size() == 1)
      return "{<<x>> : x \\in " + parts[0] + "}";
    return "(" + join(parts, " \\X ") + ")";
  }
  case TypeKind::Int:
  case TypeKind::Seq:
    error(where, "type has no finite domain for TLA+ (use a bounded range)");
    return "{}";
  }
  return "{}";
}

namespace {

// The TLA+ set of all values of `t` if membership in it is decidable by TLC
// (finite sets, Int, and records/sets/sequences/tuples of those).
bool isFinite(const Type &t, bool modelRangesAsInt) {
  switch (t.kind) {
  case TypeKind::Int:
  case TypeKind::Seq:
    return false;
  case TypeKind::Range:
    return !(t.model && modelRangesAsInt);
  default:
    for (const auto &a : t.args)
      if (!isFinite(*a, modelRangesAsInt))
        return false;
    return true;
  }
}

} // namespace

std::string Emitter::typePred(const std::string &value, const Type &t,
                              NameScope &scope) {
  // Membership in a set TLC can test without enumerating an infinite set.
  std::function<bool(const Type &)> simple = [&](const Type &ty) -> bool {
    switch (ty.kind) {
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Range:
    case TypeKind::Principal:
      return true;
    case TypeKind::Record:
      if (ty.record < 0 || ty.record >= static_cast<int>(prog.records.size()))
        return false;
      for (const auto &fd : prog.records[ty.record].fields)
        if (!simple(*fd.type))
          return false;
      return !prog.records[ty.record].fields.empty();
    case TypeKind::Set:
    case TypeKind::Seq:
      return simple(*ty.args.at(0));
    case TypeKind::Tuple:
      for (const auto &a : ty.args)
        if (!simple(*a))
          return false;
      return ty.args.size() >= 2;
    case TypeKind::Option:
    case TypeKind::Map:
      return isFinite(ty, modelRangesAsInt);
    }
    return false;
  };
  std::function<std::string(const Type &)> set =
      [&](const Type &ty) -> std::string {
    switch (ty.kind) {
    case TypeKind::Int:
      return "Int";
    case TypeKind::Record: {
      const auto &r = prog.records[ty.record];
      std::vector<std::string> parts;
      for (size_t i = 0; i < r.fields.size(); ++i)
        parts.push_back(fieldName(ty.record, static_cast<int>(i)) + ": " +
                        set(*r.fields[i].type));
      return "[" + join(parts, ", ") + "]";
    }
    case TypeKind::Set:
      return "SUBSET " + wrapSet(set(*ty.args[0]));
    case TypeKind::Seq:
      return "Seq(" + set(*ty.args[0]) + ")";
    case TypeKind::Tuple: {
      std::vector<std::string> parts;
      for (const auto &a : ty.args)
        parts.push_back(wrapSet(set(*a)));
      return "(" + join(parts, " \\X ") + ")";
    }
    default:
      return domainOf(ty, SourceLoc{});
    }
  };
  if (simple(t))
    return value + " \\in " + set(t);
  switch (t.kind) {
  case TypeKind::Option:
    return "(" + value + " = None \\/ " +
           typePred("Get(" + value + ")", *t.args[0], scope) + ")";
  case TypeKind::Map: {
    std::string k = scope.claim("k");
    return "(\\A " + k + " \\in DOMAIN " + value + " : " +
           typePred(k, *t.args[0], scope) + " /\\ " +
           typePred(value + "[" + k + "]", *t.args[1], scope) + ")";
  }
  case TypeKind::Set: {
    std::string v = scope.claim("v");
    return "(\\A " + v + " \\in " + value + " : " +
           typePred(v, *t.args[0], scope) + ")";
  }
  case TypeKind::Seq: {
    std::string i = scope.claim("i");
    return "(\\A " + i + " \\in 1..Len(" + value +
           ") : " + typePred(value + "[" + i + "]", *t.args[0], scope) + ")";
  }
  case TypeKind::Tuple: {
    std::vector<std::string> parts;
    for (size_t i = 0; i < t.args.size(); ++i)
      parts.push_back(typePred(value + "[" + std::to_string(i + 1) + "]",
                               *t.args[i], scope));
    return "(" + join(parts, " /\\ ") + ")";
  }
  case TypeKind::Record: {
    const auto &r = prog.records[t.record];
    std::vector<std::string> parts;
    for (size_t i = 0; i < r.fields.size(); ++i)
      parts.push_back(typePred(value + "." + fieldName(t.record, i),
                               *r.fields[i].type, scope));
    if (parts.empty())
      return "TRUE";
    return "(" + join(parts, " /\\ ") + ")";
  }
  default:
    return "TRUE";
  }
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

std::string Emitter::stmtFilter(const Pattern &p, Frame &f,
                                bool bindIssuerAsExact, bool withConstraints) {
  const std::string &st = f.stmtBinder;
  std::vector<std::string> conds;
  switch (p.issuer.kind) {
  case IssuerPattern::Kind::Any:
    break;
  case IssuerPattern::Kind::Exact:
    conds.push_back(st + ".iss = " + operand(p.issuer.expr.get(), f));
    break;
  case IssuerPattern::Kind::Bind:
    if (bindIssuerAsExact)
      conds.push_back(st + ".iss = " + f.slot(p.issuer.slot));
    else if (p.issuer.set >= 0)
      conds.push_back(st + ".iss \\in " + setNames[p.issuer.set]);
    break;
  case IssuerPattern::Kind::Quorum:
    if (p.issuer.set >= 0)
      conds.push_back(st + ".iss \\in " + setNames[p.issuer.set]);
    break;
  }
  if (p.verifier.kind == PartyPattern::Kind::Contains)
    conds.push_back(operand(p.verifier.expr.get(), f) + " \\in " + st + ".ver");
  if (p.auditor.kind == PartyPattern::Kind::Contains)
    conds.push_back(operand(p.auditor.expr.get(), f) + " \\in " + st + ".aud");
  else if (p.auditor.kind == PartyPattern::Kind::Universal)
    conds.push_back(st + ".aud = Principals");
  if (withConstraints)
    for (auto &c : constraints(p, f, st + ".msg"))
      conds.push_back(c);
  std::string known = f.known(p.record);
  if (conds.empty())
    return known;
  return "{" + st + " \\in " + known + " : " + join(conds, " /\\ ") + "}";
}

std::vector<std::string> Emitter::constraints(const Pattern &p, Frame &f,
                                              const std::string &subject) {
  std::vector<std::string> out;
  for (const auto &c : p.constraints) {
    std::string lhs = (subject.empty() ? f.slot(p.slot) : subject) + "." +
                      fieldName(p.record, c.field);
    out.push_back(lhs + " " + opText(c.op) + " " + operand(c.expr.get(), f));
  }
  return out;
}

std::string Emitter::knownExpr(const Pattern &p, Frame &f) {
  std::string stmts = stmtFilter(p, f, false);
  std::vector<std::string> cons = constraints(p, f);
  std::string x = f.slot(p.slot);
  if (p.issuer.kind == IssuerPattern::Kind::Quorum) {
    std::string k = operand(p.issuer.threshold.get(), f);
    std::string msgs =
        std::string(p.issuer.exact ? "ExactQuorumMsgs(" : "QuorumMsgs(") +
        stmts + ", " + k + ")";
    if (cons.empty() && p.issuer.slot < 0)
      return msgs + " # {}";
    std::string body = cons.empty() ? "TRUE" : join(cons, " /\\ ");
    if (p.issuer.slot >= 0)
      body = "LET " + f.slot(p.issuer.slot) + " == IssuersOf(" + stmts + ", " +
             x + ") IN " + body;
    return "\\E " + x + " \\in " + msgs + " : " + body;
  }
  if (cons.empty())
    return stmts + " # {}";
  if (p.issuer.kind == IssuerPattern::Kind::Bind && p.issuer.slot >= 0)
    return "\\E <<" + f.slot(p.issuer.slot) + ", " + x + ">> \\in IssuedMsgs(" +
           stmts + ") : " + join(cons, " /\\ ");
  return "\\E " + x + " \\in Msgs(" + stmts + ") : " + join(cons, " /\\ ");
}

//===----------------------------------------------------------------------===//
// Slot and pattern collection
//===----------------------------------------------------------------------===//

void collectSlots(const Expr *e, std::set<int> &out) {
  if (!e)
    return;
  walkExpr(*e, [&](const Expr &x) {
    if (x.kind == ExprKind::Slot)
      out.insert(x.slot);
  });
}

void collectKnownRecords(const Expr *e, std::set<int> &out) {
  if (!e)
    return;
  walkExpr(*e, [&](const Expr &x) {
    if (x.kind == ExprKind::Known && x.pattern)
      out.insert(x.pattern->record);
  });
}

} // namespace mommie::tla
