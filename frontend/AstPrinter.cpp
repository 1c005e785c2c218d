// Canonical printing of the AST (see AstPrinter.h). Expressions are printed
// with the minimum parentheses implied by precedence levels:
//   0 if/forall/exists/KNOWN (extend as far as possible)   1 ~>   2 =>
//   3 ||   4 &&   5 [] <>   6 comparisons   7 union \   8 inter   9 ..
//   10 + -   11 * / %   12 unary   13 postfix and atoms
#include "frontend/AstPrinter.h"

#include <fmt/format.h>

namespace mommie::frontend {

using namespace ast;

namespace {

int binPrec(BinOp op) {
  switch (op) {
  case BinOp::Implies:
    return 2;
  case BinOp::Or:
    return 3;
  case BinOp::And:
    return 4;
  case BinOp::Eq:
  case BinOp::Ne:
  case BinOp::Lt:
  case BinOp::Le:
  case BinOp::Gt:
  case BinOp::Ge:
  case BinOp::In:
  case BinOp::NotIn:
  case BinOp::SubsetEq:
    return 6;
  case BinOp::Union:
  case BinOp::Diff:
    return 7;
  case BinOp::Inter:
    return 8;
  case BinOp::Add:
  case BinOp::Sub:
    return 10;
  case BinOp::Mul:
  case BinOp::Div:
  case BinOp::Mod:
    return 11;
  }
  return 13;
}

int prec(const Expr &e) {
  switch (e.kind) {
  case ExprKind::Ite:
  case ExprKind::Forall:
  case ExprKind::Exists:
  case ExprKind::Known:
    return 0;
  case ExprKind::LeadsTo:
    return 1;
  case ExprKind::Always:
  case ExprKind::Eventually:
    return 5;
  case ExprKind::Range:
    return 9;
  case ExprKind::Unary:
    return 12;
  case ExprKind::Binary:
    return binPrec(e.binOp);
  default:
    return 13;
  }
}

std::string expr(const Expr &e, int minPrec);
std::string pattern(const Pattern &p);

std::string sub(const ExprPtr &e, int minPrec) {
  if (!e)
    return "<null>";
  std::string s = expr(*e, minPrec);
  return prec(*e) < minPrec ? "(" + s + ")" : s;
}

std::string list(const std::vector<ExprPtr> &v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + sub(v[i], 1);
  return out;
}

std::string binder(const Binder &b, int setPrec) {
  return b.name + " in " + sub(b.set, setPrec);
}

std::string expr(const Expr &e, int) {
  switch (e.kind) {
  case ExprKind::IntLit:
    return std::to_string(e.intVal);
  case ExprKind::BoolLit:
    return e.boolVal ? "true" : "false";
  case ExprKind::Name:
    return e.name;
  case ExprKind::Me:
    return "ME";
  case ExprKind::NoneLit:
    return "none";
  case ExprKind::Some:
    return "some(" + sub(e.args[0], 1) + ")";
  case ExprKind::Unary:
    return std::string(e.unOp == UnOp::Not ? "!" : "-") + sub(e.args[0], 12);
  case ExprKind::Binary: {
    int p = binPrec(e.binOp);
    int l = p, r = p + 1;
    if (p == 6)
      l = p + 1; // non-associative
    if (e.binOp == BinOp::Implies)
      l = p + 1, r = p; // right-associative
    return sub(e.args[0], l) + " " + binOpText(e.binOp) + " " +
           sub(e.args[1], r);
  }
  case ExprKind::Ite:
    return "if " + sub(e.args[0], 0) + " then " + sub(e.args[1], 0) + " else " +
           sub(e.args[2], 0);
  case ExprKind::Range:
    return sub(e.args[0], 10) + ".." + sub(e.args[1], 10);
  case ExprKind::SetLit:
    return "{" + list(e.args) + "}";
  case ExprKind::SetFilter:
    return "{" + binder(e.binders[0], 7) + " | " + sub(e.body, 1) + "}";
  case ExprKind::SetMap:
    return "{" + sub(e.body, 1) + " : " + binder(e.binders[0], 1) +
           (e.cond ? " | " + sub(e.cond, 1) : "") + "}";
  case ExprKind::MapCons:
    return "[" + binder(e.binders[0], 1) + " |-> " + sub(e.body, 1) + "]";
  case ExprKind::Forall:
  case ExprKind::Exists: {
    std::string out = e.kind == ExprKind::Forall ? "forall " : "exists ";
    for (size_t i = 0; i < e.binders.size(); ++i)
      out += (i ? ", " : "") + binder(e.binders[i], 1);
    return out + ": " + sub(e.body, 0);
  }
  case ExprKind::Call:
    return e.name + "(" + list(e.args) + ")";
  case ExprKind::RecordNamed: {
    std::string out = e.name + "{";
    for (size_t i = 0; i < e.fields.size(); ++i)
      out +=
          (i ? ", " : "") + e.fields[i].name + ": " + sub(e.fields[i].value, 1);
    return out + "}";
  }
  case ExprKind::Field:
    return sub(e.args[0], 13) + "." + e.name;
  case ExprKind::TupleGet:
    return sub(e.args[0], 13) + "." + std::to_string(e.intVal);
  case ExprKind::Index:
    return sub(e.args[0], 13) + "[" + sub(e.args[1], 1) + "]";
  case ExprKind::Tuple:
    return "(" + list(e.args) + ")";
  case ExprKind::SeqLit:
    return "<<" + list(e.args) + ">>";
  case ExprKind::Known:
    return "KNOWN " + (e.pattern ? pattern(*e.pattern) : "");
  case ExprKind::Always:
    return "[] " + sub(e.args[0], 5);
  case ExprKind::Eventually:
    return "<> " + sub(e.args[0], 5);
  case ExprKind::LeadsTo:
    return sub(e.args[0], 2) + " ~> " + sub(e.args[1], 2);
  }
  return "?";
}

std::string party(const PartyPattern &p) {
  switch (p.kind) {
  case PartyPattern::Kind::Underscore:
    return "_";
  case PartyPattern::Kind::Any:
    return "ANY";
  case PartyPattern::Kind::Noone:
    return "NOONE";
  case PartyPattern::Kind::Expr:
    return sub(p.expr, 13);
  }
  return "?";
}

std::string issuer(const IssuerPattern &i) {
  using K = IssuerPattern::Kind;
  switch (i.kind) {
  case K::Underscore:
    return "_";
  case K::Any:
    return "ANY";
  case K::BindIn:
    return i.binder + " in " + i.set;
  case K::BindOne:
    return i.binder + " " + i.set + " == 1";
  case K::Quorum: {
    std::string t = sub(i.threshold, 1);
    // `x S == 1` would read back as BindOne.
    if (!i.binder.empty() && i.exact && t == "1")
      t = "(1)";
    return (i.binder.empty() ? "" : i.binder + " ") + i.set +
           (i.exact ? " == " : " >= ") + t;
  }
  case K::Expr:
    return sub(i.expr, 13);
  }
  return "?";
}

std::string pattern(const Pattern &p) {
  std::string out = "[" + issuer(p.issuer) + ", " + party(p.verifier) + ", " +
                    party(p.auditor) + "] " + p.record +
                    (p.statementSet ? "* " : " ") + p.binder;
  if (!p.constraints.empty()) {
    out += " {{";
    for (const FieldConstraint &c : p.constraints)
      out += " " + c.field + " " + binOpText(c.op) + " " + sub(c.expr, 0) + ";";
    out += " }}";
  }
  return out;
}

std::string type(const Type &t) {
  switch (t.kind) {
  case TypeKind::Bool:
    return "bool";
  case TypeKind::Int:
    return "int";
  case TypeKind::Principal:
    return "principal";
  case TypeKind::Named:
    return t.name;
  case TypeKind::Range:
    return (t.model ? "int model " : "") + sub(t.lo, 10) + ".." + sub(t.hi, 10);
  case TypeKind::Set:
    return "set<" + type(*t.args[0]) + ">";
  case TypeKind::Map:
    return "map<" + type(*t.args[0]) + ", " + type(*t.args[1]) + ">";
  case TypeKind::Option:
    return "option<" + type(*t.args[0]) + ">";
  case TypeKind::Seq:
    return "seq<" + type(*t.args[0]) + ">";
  case TypeKind::Tuple: {
    std::string out = "(";
    for (size_t i = 0; i < t.args.size(); ++i)
      out += (i ? ", " : "") + type(*t.args[i]);
    return out + ")";
  }
  }
  return "?";
}

std::string temporal(const Temporal &t, int minPrec) {
  using K = Temporal::Kind;
  std::string s;
  int p = 13;
  switch (t.kind) {
  case K::State:
    return sub(t.state, minPrec);
  case K::Always:
    s = "[] " + temporal(*t.args[0], 5);
    p = 5;
    break;
  case K::Eventually:
    s = "<> " + temporal(*t.args[0], 5);
    p = 5;
    break;
  case K::LeadsTo:
    s = temporal(*t.args[0], 2) + " ~> " + temporal(*t.args[1], 2);
    p = 1;
    break;
  case K::Implies:
    s = temporal(*t.args[0], 3) + " => " + temporal(*t.args[1], 2);
    p = 2;
    break;
  case K::Or:
    s = temporal(*t.args[0], 3) + " || " + temporal(*t.args[1], 4);
    p = 3;
    break;
  case K::And:
    s = temporal(*t.args[0], 4) + " && " + temporal(*t.args[1], 5);
    p = 4;
    break;
  case K::Not:
    s = "!" + temporal(*t.args[0], 12);
    p = 12;
    break;
  }
  return p < minPrec ? "(" + s + ")" : s;
}

struct Printer {
  std::string out;
  int indent = 0;

  void line(const std::string &s) {
    out += std::string(size_t(indent) * 2, ' ') + s + "\n";
  }

  void block(const Block &b) {
    ++indent;
    for (const StmtPtr &s : b)
      stmt(*s);
    --indent;
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
    case StmtKind::Assign: {
      std::string lv = s.name;
      for (const LValueStep &st : s.path) {
        if (st.kind == LValueStep::Kind::Index)
          lv += "[" + sub(st.key, 1) + "]";
        else if (st.kind == LValueStep::Kind::Field)
          lv += "." + st.field;
        else
          lv += "." + std::to_string(st.index);
      }
      line(lv + " <- " + sub(s.value, 0) + ";");
      break;
    }
    case StmtKind::TypedLocal:
      line(type(*s.type) + " " + s.name + " <- " + sub(s.value, 0) + ";");
      break;
    case StmtKind::Let:
      line("let " + s.name + " = " + sub(s.value, 0) + ";");
      break;
    case StmtKind::If:
      line("if " + sub(s.cond, 0) + " {");
      block(s.thenBody);
      if (s.hasElse) {
        line("} else {");
        block(s.elseBody);
      }
      line("}");
      break;
    case StmtKind::Publish:
      line("PUBLISH [" + sub(s.issuer, 1) + ", " + sub(s.verifier, 1) + ", " +
           party(s.auditor) + "] " + sub(s.value, 1) +
           (s.progress ? " PROGRESS " + pattern(*s.progress) : "") + ";");
      break;
    case StmtKind::Start:
      line("start " + s.name + ";");
      break;
    case StmtKind::Cancel:
      line("cancel " + s.name + ";");
      break;
    case StmtKind::Skip:
      line("skip;");
      break;
    }
  }

  static std::string duration(const Duration &d) {
    return std::to_string(d.value) +
           (d.unit == Duration::Unit::Ms ? "ms" : "s");
  }

  static std::string typedNames(const std::vector<TypedName> &v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
      out += (i ? ", " : "") + v[i].name + ": " + type(*v[i].type);
    return out;
  }

  void transition(const TransitionDecl &t) {
    std::string head = "transition " + t.name;
    if (!t.params.empty())
      head += "(" + typedNames(t.params) + ")";
    line(head);
    ++indent;
    for (size_t i = 0; i < t.triggers.size(); ++i) {
      const Trigger &tr = t.triggers[i];
      std::string kw = i == 0 ? "WHEN " : "ANDWHEN ";
      line(kw + (tr.kind == Trigger::Kind::Timeout
                     ? "AFTER timeout(" + tr.timer + ")"
                     : pattern(*tr.pattern)));
    }
    if (t.guard)
      line("IF " + sub(t.guard, 0));
    if (!t.bodyProgram.empty())
      line("program " + t.bodyProgram);
    line("@@{");
    block(t.body);
    line("@@}");
    --indent;
  }

  void round(const RoundDecl &r) {
    line("round " + r.name + " : " + type(*r.payload) + " {");
    ++indent;
    if (!r.progress.empty()) {
      std::string s = "progress ";
      for (size_t i = 0; i < r.progress.size(); ++i) {
        const ProgressCond &p = r.progress[i];
        s += i ? ", " : "";
        switch (p.kind) {
        case ProgressCond::Kind::Timeout:
          s += "timeout(" + duration(p.timeout) + ")";
          break;
        case ProgressCond::Kind::WaitMessages:
          s += "waitMessages";
          break;
        case ProgressCond::Kind::GoAhead:
          s += "goAhead when " + sub(p.expr, 1);
          break;
        case ProgressCond::Kind::CatchUp:
          s += "catchUp";
          break;
        case ProgressCond::Kind::Sync:
          s += "sync(" + sub(p.expr, 1) + ")";
          break;
        }
      }
      line(s + ";");
    }
    for (const SendClause &sc : r.sends)
      line("send " + sub(sc.payload, 1) + " to " + sub(sc.dest, 1) +
           (sc.cond ? " if " + sub(sc.cond, 0) : "") + ";");
    if (r.hasUpdate) {
      line("update {");
      block(r.update);
      line("}");
    }
    --indent;
    line("}");
  }

  void role(const RoleDecl &r) {
    line("role " + r.name + " at " + r.set + " {");
    ++indent;
    for (const VarDecl &v : r.vars)
      line((v.ghost     ? "ghost var "
            : v.durable ? "durable var "
                        : "var ") +
           v.name + ": " + type(*v.type) +
           (v.init      ? " = " + sub(v.init, 0)
            : v.initSet ? " in " + sub(v.initSet, 0)
                        : "") +
           ";");
    for (const TimerDecl &t : r.timers)
      line("timer " + t.name + " = " + duration(t.duration) + ";");
    for (const TransitionDecl &t : r.transitions)
      transition(t);
    for (const RetireDecl &rt : r.retires)
      line("retire " + pattern(*rt.pattern) +
           (rt.cond ? " IF " + sub(rt.cond, 0) : "") + ";");
    for (const PhaseDecl &ph : r.phases) {
      line("phase bound " + sub(ph.bound, 1) + " {");
      ++indent;
      for (const RoundDecl &rd : ph.rounds)
        round(rd);
      --indent;
      line("}");
    }
    --indent;
    line("}");
  }

  void decl(const Decl &d) {
    if (auto *p = std::get_if<ParamDecl>(&d))
      line("param " + p->name + " = " + sub(p->value, 0) + ";");
    else if (auto *a = std::get_if<AssumeDecl>(&d))
      line("assume " + sub(a->expr, 0) + ";");
    else if (auto *ps = std::get_if<PrincipalsDecl>(&d))
      line("principals " + ps->name + "[" + sub(ps->size, 1) + "];");
    else if (auto *c = std::get_if<ConstDecl>(&d))
      line("const " + c->name + " = " + sub(c->value, 0) + ";");
    else if (auto *r = std::get_if<RecordDecl>(&d))
      line("record " + r->name + " { " + typedNames(r->fields) + " }");
    else if (auto *t = std::get_if<TypeAliasDecl>(&d))
      line("type " + t->name + " = " + type(*t->type) + ";");
    else if (auto *f = std::get_if<FunDecl>(&d))
      line("fun " + f->name + "(" + typedNames(f->params) +
           "): " + type(*f->result) + " = " + sub(f->body, 0) + ";");
    else if (auto *ro = std::get_if<RoleDecl>(&d))
      role(*ro);
    else if (auto *fa = std::get_if<FaultsDecl>(&d))
      line("faults " + fa->set + ": " +
           (fa->kind == FaultsDecl::Kind::Crash     ? "crash"
            : fa->kind == FaultsDecl::Kind::Recover ? "recover"
                                                    : "byzantine") +
           " <= " + sub(fa->max, 0) + ";");
    else if (auto *inv = std::get_if<InvariantDecl>(&d))
      line(std::string(inv->lemma ? "lemma " : "invariant ") + inv->name +
           ": " + sub(inv->expr, 0) + ";");
    else if (auto *co = std::get_if<ConstraintDecl>(&d))
      line("constraint " + (co->name.empty() ? "" : co->name + ": ") +
           sub(co->expr, 0) + ";");
    else if (auto *pr = std::get_if<PropertyDecl>(&d))
      line("property " + pr->name + ": " + temporal(*pr->formula, 0) + ";");
    else if (auto *fr = std::get_if<FairnessDecl>(&d))
      line(std::string("fairness ") +
           (fr->kind == FairnessDecl::Kind::Weak ? "weak" : "strong") + ";");
    else if (auto *cm = std::get_if<CommunicationDecl>(&d))
      line("communication " + cm->name + ": round " + cm->round + ": " +
           sub(cm->expr, 0) + ";");
    else if (auto *te = std::get_if<TerminateDecl>(&d))
      line("terminate when " + sub(te->expr, 0) + ";");
  }
};

} // namespace

std::string printExpr(const Expr &e) { return expr(e, 0); }
std::string printType(const Type &t) { return type(t); }
std::string printPattern(const Pattern &p) { return pattern(p); }
std::string printTemporal(const Temporal &t) { return temporal(t, 0); }

std::string printProgram(const Program &p) {
  Printer pr;
  pr.line("protocol " + p.name + ";");
  for (const Decl &d : p.decls)
    pr.decl(d);
  return pr.out;
}

const char *binOpText(BinOp op) {
  switch (op) {
  case BinOp::Implies:
    return "=>";
  case BinOp::Or:
    return "||";
  case BinOp::And:
    return "&&";
  case BinOp::Eq:
    return "==";
  case BinOp::Ne:
    return "!=";
  case BinOp::Lt:
    return "<";
  case BinOp::Le:
    return "<=";
  case BinOp::Gt:
    return ">";
  case BinOp::Ge:
    return ">=";
  case BinOp::In:
    return "in";
  case BinOp::NotIn:
    return "notin";
  case BinOp::SubsetEq:
    return "subseteq";
  case BinOp::Union:
    return "union";
  case BinOp::Diff:
    return "\\";
  case BinOp::Inter:
    return "inter";
  case BinOp::Add:
    return "+";
  case BinOp::Sub:
    return "-";
  case BinOp::Mul:
    return "*";
  case BinOp::Div:
    return "/";
  case BinOp::Mod:
    return "%";
  }
  return "?";
}

} // namespace mommie::frontend
