// The IR verifier: structural invariants every producer of IR must establish.
//
// It walks every declaration with the frame (slot table) and role that are
// in scope there and checks: principal sets are contiguous and cover
// 0..numPrincipals-1; every index (record, field, role, var, function,
// timer, principal set, slot, round) is in range; every expression and slot
// carries a type; arities of expression kinds, builtins and calls match;
// principal literals are valid ids; guards, conditions and predicates are
// boolean; a published value is a record; round constructs appear only in
// round programs; KNOWN appears only in transitions and in the invariants
// and lemmas of event-driven programs (where it tests the pool), never in a
// retire clause, whose issuer is never a quorum. It does not re-run type
// inference: it checks the shape the later stages rely on. Each problem is one
// message, prefixed by the source location and the path of the enclosing
// declaration.
#include "ir/Verifier.h"

#include "ir/Diagnostics.h"
#include "ir/Instantiate.h"
#include "ir/Walk.h"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>

namespace mommie::ir {

namespace {

class Verifier {
public:
  explicit Verifier(const Program &program) : p_(program) {}
  std::vector<std::string> run();

private:
  void error(const SourceLoc &loc, const std::string &msg) {
    std::string where =
        loc.line ? fmt::format("{}:{}:{}: ", loc.file, loc.line, loc.col) : "";
    problems_.push_back(where + (context_.empty() ? "" : context_ + ": ") +
                        msg);
  }

  bool validSet(int s) const {
    return s >= 0 && s < static_cast<int>(p_.principalSets.size());
  }
  bool validRecord(int r) const {
    return r >= 0 && r < static_cast<int>(p_.records.size());
  }
  bool validSlot(int s) const {
    return frame_ && s >= 0 && s < static_cast<int>(frame_->size());
  }

  void type(const TypeRef &t, const SourceLoc &loc, const std::string &what);
  void frameTypes(const std::vector<SlotInfo> &slots);
  void slot(int s, const SourceLoc &loc, const char *what);
  // A symbolic form: built of constants, parameters, named constants and
  // arithmetic only, and equal to `value`, the number it stands for.
  void symbolic(const ExprPtr &sym, int64_t value, const SourceLoc &loc,
                const std::string &what);
  void expr(const ExprPtr &e, const SourceLoc &parentLoc, const char *what);
  void exprNode(const Expr &e);
  void boolExpr(const ExprPtr &e, const SourceLoc &loc, const char *what);
  void pattern(const Pattern &pat);
  void statementSet(const Pattern &pat);
  void statementSetsUnread(const Transition &t);
  void block(const Block &b, const SourceLoc &loc);
  void stmt(const Stmt &s);
  void lvalue(const Stmt &s);
  void timer(int t, const SourceLoc &loc);
  void role(int index);
  void round(const Round &rd);

  const Program &p_;
  std::vector<std::string> problems_;
  std::string context_;
  const std::vector<SlotInfo> *frame_ = nullptr;
  int role_ = -1;
  bool inRound_ = false;   // inside a round (sends, progress, update)
  bool poolKnown_ = false; // an invariant or lemma: KNOWN tests the pool
  bool inRetire_ = false;  // a retire clause: no KNOWN
};

bool isComparison(Op op) {
  return op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le ||
         op == Op::Gt || op == Op::Ge;
}

void Verifier::type(const TypeRef &t, const SourceLoc &loc,
                    const std::string &what) {
  if (!t) {
    error(loc, what + " has no type");
    return;
  }
  auto wantArgs = [&](size_t n) {
    if (t->args.size() != n)
      error(loc, fmt::format("{}: type expects {} type argument(s), has {}",
                             what, n, t->args.size()));
  };
  switch (t->kind) {
  case TypeKind::Bool:
  case TypeKind::Int:
    break;
  case TypeKind::Range:
    if (t->lo > t->hi)
      error(loc,
            fmt::format("{}: empty range type {}..{}", what, t->lo, t->hi));
    if (bool(t->symLo) != bool(t->symHi))
      error(loc, what + ": a range type with one symbolic bound");
    if (t->symLo && t->symHi) {
      symbolic(t->symLo, t->lo, loc, what + " (lower bound)");
      symbolic(t->symHi, t->hi, loc, what + " (upper bound)");
    }
    break;
  case TypeKind::Principal:
    if (t->principalSet != -1 && !validSet(t->principalSet))
      error(loc, fmt::format("{}: principal type names set {} out of range",
                             what, t->principalSet));
    break;
  case TypeKind::Record:
    if (!validRecord(t->record))
      error(loc, fmt::format("{}: record type index {} out of range", what,
                             t->record));
    break;
  case TypeKind::Set:
  case TypeKind::Option:
  case TypeKind::Seq:
    wantArgs(1);
    break;
  case TypeKind::Map:
    wantArgs(2);
    break;
  case TypeKind::Tuple:
    if (t->args.empty())
      error(loc, what + ": empty tuple type");
    break;
  }
  for (const auto &a : t->args)
    type(a, loc, what);
}

void Verifier::frameTypes(const std::vector<SlotInfo> &slots) {
  for (size_t i = 0; i < slots.size(); ++i)
    type(slots[i].type, slots[i].loc,
         fmt::format("slot {} '{}'", i, slots[i].name));
}

void Verifier::symbolic(const ExprPtr &sym, int64_t value, const SourceLoc &loc,
                        const std::string &what) {
  // A node that may not appear in a symbolic form (or a malformed one).
  auto foreign = [&](const Expr &e) {
    for (const auto &a : e.args)
      if (!a)
        return true;
    switch (e.kind) {
    case ExprKind::Param:
      return e.index < 0 || size_t(e.index) >= p_.params.size();
    case ExprKind::ConstRef:
      return e.index < 0 || size_t(e.index) >= p_.consts.size();
    case ExprKind::IntLit:
    case ExprKind::BoolLit:
    case ExprKind::PrincipalLit:
    case ExprKind::PrincipalSet:
    case ExprKind::Unary:
    case ExprKind::Binary:
    case ExprKind::Ite:
    case ExprKind::Index:
      return false;
    default:
      return true;
    }
  };
  if (!sym || anyExpr(*sym, foreign)) {
    error(loc, what + ": symbolic form is not a constant expression");
    return;
  }
  auto v = evalSymbolic(p_, sym);
  if (!v || *v != value)
    error(loc,
          fmt::format("{}: symbolic form evaluates to {}, not {}", what,
                      v ? std::to_string(*v) : std::string("nothing"), value));
}

void Verifier::slot(int s, const SourceLoc &loc, const char *what) {
  if (!validSlot(s))
    error(loc, fmt::format("{}: slot {} out of range (frame has {} slots)",
                           what, s, frame_ ? frame_->size() : 0));
}

void Verifier::expr(const ExprPtr &e, const SourceLoc &parentLoc,
                    const char *what) {
  if (!e) {
    error(parentLoc, std::string("missing expression (") + what + ")");
    return;
  }
  exprNode(*e);
}

void Verifier::boolExpr(const ExprPtr &e, const SourceLoc &loc,
                        const char *what) {
  expr(e, loc, what);
  if (e && e->type && e->type->kind != TypeKind::Bool)
    error(e->loc, std::string(what) + " is not boolean");
}

void Verifier::exprNode(const Expr &e) {
  const SourceLoc &loc = e.loc;
  const ExprKindInfo &info = exprKindInfo(e.kind);
  const char *kind = info.name;
  if (!e.type)
    error(loc, fmt::format("{} expression has no type", kind));
  else
    type(e.type, loc, std::string(kind) + " expression");

  auto arity = [&](size_t n) -> bool {
    if (e.args.size() == n)
      return true;
    error(loc, fmt::format("{} expression expects {} operand(s), has {}", kind,
                           n, e.args.size()));
    return false;
  };
  // The operand count ExprKinds.def gives the kind (kinds whose count is a
  // declaration's are checked by their rule below).
  bool arityOk = true;
  if (info.minArgs != kByDeclaration) {
    size_t n = e.args.size(), lo = size_t(info.minArgs);
    if (info.minArgs == info.maxArgs) {
      arityOk = arity(lo);
    } else if (n < lo ||
               (info.maxArgs != kVariadic && n > size_t(info.maxArgs))) {
      arityOk = false;
      std::string want = info.maxArgs == kVariadic
                             ? fmt::format("at least {}", lo)
                         : size_t(info.maxArgs) == lo + 1
                             ? fmt::format("{} or {}", lo, info.maxArgs)
                             : fmt::format("{} to {}", lo, info.maxArgs);
      error(loc, fmt::format("{} expression expects {} operands, has {}", kind,
                             want, n));
    }
  }
  auto argType = [&](size_t i) -> const Type * {
    return i < e.args.size() && e.args[i] ? e.args[i]->type.get() : nullptr;
  };
  auto binder = [&] { slot(e.slot, loc, kind); };

  switch (e.kind) {
  case ExprKind::IntLit:
  case ExprKind::BoolLit:
  case ExprKind::NoneLit:
  case ExprKind::SetLit:
  case ExprKind::TupleCons:
  case ExprKind::SeqCons:
  case ExprKind::RangeSet:
  case ExprKind::SomeCons:
    break;
  case ExprKind::PrincipalLit:
    if (e.intVal < 0 || e.intVal >= p_.numPrincipals)
      error(loc, fmt::format("principal id {} out of range (program has {})",
                             e.intVal, p_.numPrincipals));
    break;
  case ExprKind::Me:
    if (role_ < 0)
      error(loc, "ME used outside a role");
    break;
  case ExprKind::Slot:
    slot(e.slot, loc, "Slot");
    break;
  case ExprKind::StateVar:
  case ExprKind::StateVarOf:
    if (e.role < 0 || e.role >= static_cast<int>(p_.roles.size())) {
      error(loc, fmt::format("{}: role {} out of range", kind, e.role));
      break;
    }
    if (e.var < 0 || e.var >= static_cast<int>(p_.roles[e.role].vars.size()))
      error(loc, fmt::format("{}: var {} out of range for role {}", kind, e.var,
                             p_.roles[e.role].name));
    if (e.kind == ExprKind::StateVar && e.role != role_)
      error(loc, fmt::format("StateVar of role {} used outside that role",
                             p_.roles[e.role].name));
    break;
  case ExprKind::Field:
    if (!arityOk)
      break;
    if (const Type *t = argType(0)) {
      if (t->kind != TypeKind::Record || !validRecord(t->record))
        error(loc, "Field applied to a non-record");
      else if (e.index < 0 ||
               e.index >= static_cast<int>(p_.records[t->record].fields.size()))
        error(loc, fmt::format("field index {} out of range for record {}",
                               e.index, p_.records[t->record].name));
    }
    break;
  case ExprKind::Index:
    if (!arityOk)
      break;
    if (const Type *t = argType(0))
      if (t->kind != TypeKind::Map && t->kind != TypeKind::Seq &&
          e.args[0]->kind != ExprKind::PrincipalSet) // R[i]: member of a set
        error(loc, "Index applied to a value that is neither map nor seq");
    break;
  case ExprKind::TupleGet:
    if (!arityOk)
      break;
    if (const Type *t = argType(0)) {
      if (t->kind != TypeKind::Tuple)
        error(loc, "TupleGet applied to a non-tuple");
      else if (e.index < 0 || e.index >= static_cast<int>(t->args.size()))
        error(loc, fmt::format("tuple component {} out of range", e.index));
    }
    break;
  case ExprKind::Call:
    if (e.index < 0 || e.index >= static_cast<int>(p_.funs.size())) {
      error(loc, fmt::format("call of function {} out of range", e.index));
      break;
    }
    if (e.args.size() != p_.funs[e.index].params.size())
      error(loc, fmt::format("call of {} with {} argument(s), expects {}",
                             p_.funs[e.index].name, e.args.size(),
                             p_.funs[e.index].params.size()));
    break;
  case ExprKind::Builtin:
    arity(builtinInfo(e.builtin).arity);
    if (e.builtin == Builtin::Correct && !e.args.empty() && e.args[0] &&
        e.args[0]->kind != ExprKind::PrincipalSet)
      error(loc, "correct() takes a principal set name");
    break;
  case ExprKind::Unary:
    if (e.op != Op::Not && e.op != Op::Neg)
      error(loc, "Unary expression with a binary operator");
    break;
  case ExprKind::Binary:
    if (e.op == Op::Not || e.op == Op::Neg)
      error(loc, "Binary expression with a unary operator");
    break;
  case ExprKind::Ite:
    if (arityOk && e.args[0] && e.args[0]->type &&
        e.args[0]->type->kind != TypeKind::Bool)
      error(loc, "if-then-else condition is not boolean");
    break;
  case ExprKind::SetFilter:
  case ExprKind::Forall:
  case ExprKind::Exists:
  case ExprKind::MapCons:
  case ExprKind::SetMap:
    binder();
    break;
  case ExprKind::RecordCons:
    if (!validRecord(e.index)) {
      error(loc, fmt::format("RecordCons of record {} out of range", e.index));
      break;
    }
    if (e.args.size() != p_.records[e.index].fields.size())
      error(loc,
            fmt::format("RecordCons of {} with {} field value(s), expects {}",
                        p_.records[e.index].name, e.args.size(),
                        p_.records[e.index].fields.size()));
    break;
  case ExprKind::Known:
    if (inRound_ || (role_ < 0 && !poolKnown_))
      error(loc, "KNOWN outside a transition, invariant or lemma of an "
                 "event-driven program");
    if (inRetire_)
      error(loc, "KNOWN in a retire clause");
    if (!e.pattern)
      error(loc, "KNOWN without a pattern");
    else
      pattern(*e.pattern);
    if (e.pattern && e.pattern->statementSet)
      error(loc, "KNOWN of a statement set");
    break;
  case ExprKind::PrincipalSet:
    if (!validSet(e.index))
      error(loc, fmt::format("principal set {} out of range", e.index));
    break;
  case ExprKind::PhaseNo:
  case ExprKind::RoundNo:
    if (!p_.isRoundProgram())
      error(loc, std::string(kind) + " used in a program without rounds");
    break;
  case ExprKind::Param:
  case ExprKind::ConstRef:
    error(loc, std::string(kind) + " outside a symbolic form");
    break;
  }
  if (e.sym) {
    if (!(info.fields & ExprField::Sym))
      error(loc, std::string(kind) + " expression has a symbolic form");
    else
      symbolic(e.sym, e.intVal, loc, "literal");
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    if (!e.args[i]) {
      // SetMap's optional filter may be null.
      if (!(e.kind == ExprKind::SetMap && i == 2))
        error(loc, fmt::format("{} expression has a null operand {}", kind, i));
      continue;
    }
    exprNode(*e.args[i]);
  }
}

void Verifier::pattern(const Pattern &pat) {
  const SourceLoc &loc = pat.loc;
  if (!validRecord(pat.record)) {
    error(loc, fmt::format("pattern record {} out of range", pat.record));
  }
  slot(pat.slot, loc, "pattern binder");
  const auto &is = pat.issuer;
  switch (is.kind) {
  case IssuerPattern::Kind::Any:
    break;
  case IssuerPattern::Kind::Exact:
    expr(is.expr, loc, "pattern issuer");
    break;
  case IssuerPattern::Kind::Bind:
    if (!validSet(is.set))
      error(loc, fmt::format("issuer binder set {} out of range", is.set));
    slot(is.slot, loc, "issuer binder");
    break;
  case IssuerPattern::Kind::Quorum:
    if (!validSet(is.set))
      error(loc, fmt::format("quorum set {} out of range", is.set));
    if (is.slot != -1)
      slot(is.slot, loc, "quorum issuer-set binder");
    expr(is.threshold, loc, "quorum threshold");
    break;
  }
  auto party = [&](const PartyPattern &pp, const char *what) {
    if (pp.kind == PartyPattern::Kind::Contains)
      expr(pp.expr, loc, what);
  };
  if (pat.statementSet)
    statementSet(pat);
  party(pat.verifier, "pattern verifier");
  party(pat.auditor, "pattern auditor");
  if (pat.verifier.kind == PartyPattern::Kind::Universal)
    error(loc, "verifier pattern cannot be universal (ANY means don't care)");
  for (const auto &c : pat.constraints) {
    if (validRecord(pat.record) &&
        (c.field < 0 ||
         c.field >= static_cast<int>(p_.records[pat.record].fields.size())))
      error(c.loc, fmt::format("constraint field {} out of range for record {}",
                               c.field, p_.records[pat.record].name));
    if (!isComparison(c.op))
      error(c.loc, "field constraint operator is not a comparison");
    expr(c.expr, c.loc, "field constraint");
  }
}

// `[S >= k, ...] Record* x`: a quorum whose binder has type set<(S, Record)>.
void Verifier::statementSet(const Pattern &pat) {
  const SourceLoc &loc = pat.loc;
  if (pat.issuer.kind != IssuerPattern::Kind::Quorum || pat.issuer.slot != -1)
    error(loc, "a statement set without a quorum issuer, or with an issuer-set "
               "binder");
  if (!validSlot(pat.slot))
    return;
  const TypeRef &t = (*frame_)[size_t(pat.slot)].type;
  bool ok = t && t->kind == TypeKind::Set && t->args.size() == 1 &&
            t->args[0] && t->args[0]->kind == TypeKind::Tuple &&
            t->args[0]->args.size() == 2;
  if (ok) {
    const Type &iss = *t->args[0]->args[0], &rec = *t->args[0]->args[1];
    ok = iss.kind == TypeKind::Principal &&
         iss.principalSet == pat.issuer.set && rec.kind == TypeKind::Record &&
         rec.record == pat.record;
  }
  if (!ok)
    error(loc, "statement set binder is not a set of (issuer, record) pairs of "
               "the pattern");
}

// Only the guard and the body read a statement set: no pattern part or
// field constraint of the transition does.
void Verifier::statementSetsUnread(const Transition &t) {
  for (const auto &set : t.triggers)
    if (set.statementSet)
      if (const Expr *x = slotReadInPatterns(t.triggers, set.slot))
        error(x->loc, "a pattern reads a statement set");
}

void Verifier::timer(int t, const SourceLoc &loc) {
  if (role_ < 0 || t < 0 ||
      t >= static_cast<int>(p_.roles[role_].timers.size()))
    error(loc, fmt::format("timer {} out of range", t));
}

void Verifier::lvalue(const Stmt &s) {
  if (role_ < 0 || s.var < 0 ||
      s.var >= static_cast<int>(p_.roles[role_].vars.size())) {
    error(s.loc, fmt::format("assignment to var {} out of range", s.var));
    return;
  }
  const Type *cur = p_.roles[role_].vars[s.var].type.get();
  for (const auto &step : s.path) {
    switch (step.kind) {
    case LValueStep::Kind::Index:
      expr(step.key, s.loc, "lvalue index");
      if (cur && cur->kind == TypeKind::Map && cur->args.size() == 2)
        cur = cur->args[1].get();
      else if (cur && cur->kind == TypeKind::Seq && cur->args.size() == 1)
        cur = cur->args[0].get();
      else {
        error(s.loc, "lvalue indexes a value that is neither map nor seq");
        return;
      }
      break;
    case LValueStep::Kind::Field:
      if (!cur || cur->kind != TypeKind::Record || !validRecord(cur->record) ||
          step.index < 0 ||
          step.index >=
              static_cast<int>(p_.records[cur->record].fields.size())) {
        error(s.loc, fmt::format("lvalue field {} invalid", step.index));
        return;
      }
      cur = p_.records[cur->record].fields[step.index].type.get();
      break;
    case LValueStep::Kind::TupleGet:
      if (!cur || cur->kind != TypeKind::Tuple || step.index < 0 ||
          step.index >= static_cast<int>(cur->args.size())) {
        error(s.loc,
              fmt::format("lvalue tuple component {} invalid", step.index));
        return;
      }
      cur = cur->args[step.index].get();
      break;
    }
  }
}

void Verifier::block(const Block &b, const SourceLoc &loc) {
  for (const auto &s : b) {
    if (!s)
      error(loc, "null statement");
    else
      stmt(*s);
  }
}

void Verifier::stmt(const Stmt &s) {
  switch (s.kind) {
  case StmtKind::Assign:
    lvalue(s);
    expr(s.value, s.loc, "assigned value");
    break;
  case StmtKind::Let:
    slot(s.slot, s.loc, "let");
    expr(s.value, s.loc, "let value");
    break;
  case StmtKind::If:
    boolExpr(s.cond, s.loc, "if condition");
    block(s.thenBody, s.loc);
    block(s.elseBody, s.loc);
    break;
  case StmtKind::Publish:
    if (inRound_)
      error(s.loc, "PUBLISH inside a round");
    expr(s.value, s.loc, "published value");
    if (s.value && s.value->type && s.value->type->kind != TypeKind::Record)
      error(s.loc, "published value is not a record");
    expr(s.verifier, s.loc, "publish verifier");
    if (s.auditorKind == Stmt::Auditor::Expr)
      expr(s.auditor, s.loc, "publish auditor");
    if (s.progress)
      pattern(*s.progress);
    if (s.progress && s.progress->statementSet)
      error(s.loc, "PROGRESS of a statement set");
    break;
  case StmtKind::StartTimer:
  case StmtKind::CancelTimer:
    timer(s.timer, s.loc);
    break;
  case StmtKind::Skip:
    break;
  }
}

void Verifier::round(const Round &rd) {
  frame_ = &rd.slots;
  inRound_ = true;
  frameTypes(rd.slots);
  type(rd.payload, rd.loc, "round payload");
  slot(rd.mboxSlot, rd.loc, "round mailbox");
  if (validSlot(rd.mboxSlot)) {
    const auto &t = rd.slots[rd.mboxSlot].type;
    if (t && t->kind != TypeKind::Map)
      error(rd.loc, "round mailbox slot is not a map");
  }
  for (const auto &pc : rd.progress) {
    if (pc.kind == ProgressKind::Sync)
      expr(pc.expr, pc.loc, "sync bound");
    else if (pc.kind == ProgressKind::GoAhead && pc.expr)
      boolExpr(pc.expr, pc.loc, "goAhead condition");
    if (pc.kind == ProgressKind::Timeout && pc.timeoutMs < 0)
      error(pc.loc, "negative timeout");
  }
  for (const auto &send : rd.sends) {
    expr(send.payload, send.loc, "send payload");
    expr(send.dest, send.loc, "send destination");
    if (send.cond)
      boolExpr(send.cond, send.loc, "send condition");
  }
  block(rd.update, rd.loc);
  inRound_ = false;
  frame_ = nullptr;
}

void Verifier::role(int index) {
  const Role &r = p_.roles[index];
  role_ = index;
  context_ = "role " + r.name;
  if (!validSet(r.principalSet))
    error(r.loc, fmt::format("role played by principal set {} out of range",
                             r.principalSet));
  for (const auto &v : r.vars) {
    context_ = "role " + r.name + ": var " + v.name;
    frame_ = &v.slots;
    frameTypes(v.slots);
    type(v.type, v.loc, "var");
    if (v.init)
      expr(v.init, v.loc, "initial value");
    if (v.initSet)
      expr(v.initSet, v.loc, "initial set");
    if (v.init && v.initSet)
      error(v.loc, "var has both `=` and `in` initializers");
    frame_ = nullptr;
  }
  for (const auto &t : r.timers)
    if (t.durationMs < 0)
      error(t.loc, "timer " + t.name + " has a negative duration");
  for (const auto &t : r.transitions) {
    context_ = "role " + r.name + ": transition " + t.name;
    frame_ = &t.slots;
    frameTypes(t.slots);
    for (int prm : t.params)
      slot(prm, t.loc, "transition parameter");
    for (const auto &pat : t.triggers)
      pattern(pat);
    statementSetsUnread(t);
    if (t.timer != -1)
      timer(t.timer, t.loc);
    if (t.guard)
      boolExpr(t.guard, t.loc, "guard");
    block(t.body, t.loc);
    frame_ = nullptr;
  }
  for (size_t i = 0; i < r.retires.size(); ++i) {
    const Retire &rt = r.retires[i];
    context_ = fmt::format("role {}: retire {}", r.name, i);
    frame_ = &rt.slots;
    inRetire_ = true;
    frameTypes(rt.slots);
    pattern(rt.pattern);
    if (rt.pattern.issuer.kind == IssuerPattern::Kind::Quorum)
      error(rt.loc, "a retire clause with a quorum issuer");
    if (rt.cond)
      boolExpr(rt.cond, rt.loc, "retire condition");
    inRetire_ = false;
    frame_ = nullptr;
  }
  if (r.phase && !r.retires.empty())
    error(r.retires[0].loc, "a role with a phase cannot retire statements");
  if (r.phase) {
    context_ = "role " + r.name + ": phase";
    if (p_.roles.size() != 1)
      error(r.phase->loc, "a program with a phase must have exactly one role");
    if (!r.transitions.empty())
      error(r.phase->loc, "a role cannot have both transitions and a phase");
    if (r.phase->bound < 0)
      error(r.phase->loc, "negative phase bound");
    if (r.phase->rounds.empty())
      error(r.phase->loc, "phase without rounds");
    for (const auto &rd : r.phase->rounds) {
      context_ = "role " + r.name + ": round " + rd.name;
      round(rd);
    }
  }
  role_ = -1;
  context_.clear();
}

std::vector<std::string> Verifier::run() {
  // Principal sets: contiguous ranges in declaration order covering all ids.
  int next = 0;
  for (size_t i = 0; i < p_.principalSets.size(); ++i) {
    const auto &s = p_.principalSets[i];
    if (s.size <= 0)
      error(s.loc, fmt::format("principal set {} has size {}", s.name, s.size));
    if (s.first != next)
      error(s.loc, fmt::format("principal set {} starts at id {}, expected {} "
                               "(sets must be contiguous)",
                               s.name, s.first, next));
    next = s.first + s.size;
    for (size_t j = 0; j < i; ++j)
      if (p_.principalSets[j].name == s.name)
        error(s.loc, "duplicate principal set " + s.name);
  }
  if (next != p_.numPrincipals)
    error({}, fmt::format("numPrincipals is {}, principal sets cover {}",
                          p_.numPrincipals, next));

  for (const auto &rec : p_.records) {
    context_ = "record " + rec.name;
    for (const auto &f : rec.fields)
      type(f.type, f.loc, "field " + f.name);
  }

  for (const auto &f : p_.funs) {
    context_ = "fun " + f.name;
    frame_ = &f.slots;
    frameTypes(f.slots);
    for (int prm : f.params)
      slot(prm, f.loc, "function parameter");
    type(f.result, f.loc, "result");
    expr(f.body, f.loc, "function body");
    frame_ = nullptr;
  }
  context_.clear();

  for (size_t i = 0; i < p_.roles.size(); ++i)
    role(static_cast<int>(i));

  for (const auto &f : p_.faults) {
    if (!validSet(f.principalSet))
      error(f.loc, fmt::format("faults on principal set {} out of range",
                               f.principalSet));
    if (f.max < 0)
      error(f.loc, "negative fault bound");
    if (f.symMax)
      symbolic(f.symMax, f.max, f.loc, "fault bound");
  }
  for (const auto &s : p_.principalSets)
    if (s.symSize)
      symbolic(s.symSize, s.size, s.loc, "size of principal set " + s.name);
  for (const auto &r : p_.roles)
    if (r.phase && r.phase->symBound)
      symbolic(r.phase->symBound, r.phase->bound, r.phase->loc, "phase bound");

  auto predicate = [&](const Predicate &pred, const std::string &what) {
    context_ = what;
    frame_ = &pred.slots;
    frameTypes(pred.slots);
    boolExpr(pred.expr, pred.loc, "predicate");
    frame_ = nullptr;
    context_.clear();
  };
  for (const auto &a : p_.assumptions)
    predicate(a, "assume " + a.name);
  poolKnown_ = !p_.isRoundProgram();
  for (const auto &inv : p_.invariants)
    predicate(inv, (inv.lemma ? "lemma " : "invariant ") + inv.name);
  for (const auto &c : p_.constraints)
    predicate(c, "constraint " + c.name);
  poolKnown_ = false;
  if (p_.termination.expr)
    predicate(p_.termination, "terminate");

  for (const auto &prop : p_.properties) {
    context_ = "property " + prop.name;
    frame_ = &prop.slots;
    frameTypes(prop.slots);
    std::vector<const Temporal *> work;
    if (!prop.formula)
      error(prop.loc, "property without a formula");
    else
      work.push_back(prop.formula.get());
    while (!work.empty()) {
      const Temporal *t = work.back();
      work.pop_back();
      size_t want = t->kind == Temporal::Kind::State ? 0
                    : t->kind == Temporal::Kind::LeadsTo ||
                            t->kind == Temporal::Kind::And ||
                            t->kind == Temporal::Kind::Or
                        ? 2
                        : 1;
      if (t->args.size() != want)
        error(t->loc,
              fmt::format("temporal operator expects {} operand(s), has {}",
                          want, t->args.size()));
      if (t->kind == Temporal::Kind::State)
        boolExpr(t->state, t->loc, "state formula");
      for (const auto &a : t->args) {
        if (a)
          work.push_back(a.get());
        else
          error(t->loc, "null temporal operand");
      }
    }
    frame_ = nullptr;
  }
  context_.clear();

  for (const auto &cp : p_.commPredicates) {
    context_ = "communication " + cp.name;
    if (!p_.isRoundProgram()) {
      error(cp.loc, "communication predicate in a program without rounds");
    } else if (cp.round < 0 ||
               cp.round >= static_cast<int>(p_.roles[0].phase->rounds.size())) {
      error(cp.loc, fmt::format("round {} out of range", cp.round));
    }
    role_ = p_.roles.empty() ? -1 : 0;
    frame_ = &cp.slots;
    frameTypes(cp.slots);
    slot(cp.mboxSlot, cp.loc, "mailbox");
    boolExpr(cp.expr, cp.loc, "communication predicate");
    frame_ = nullptr;
    role_ = -1;
  }
  context_.clear();
  return std::move(problems_);
}

} // namespace

std::vector<std::string> verifyProgram(const Program &program) {
  return Verifier(program).run();
}

bool verifyAfterPasses() {
#ifndef NDEBUG
  return true;
#else
  const char *env = std::getenv("MOMMIE_VERIFY_IR");
  return env && *env && std::string(env) != "0";
#endif
}

bool verifyAfterPass(const Program &program, const char *pass,
                     DiagnosticEngine &diags) {
  if (!verifyAfterPasses())
    return true;
  auto problems = verifyProgram(program);
  SourceLoc loc;
  loc.file = program.file;
  for (const auto &p : problems)
    diags.error(loc,
                fmt::format("internal error: the IR after {} is malformed: {}",
                            pass, p));
  return problems.empty();
}

} // namespace mommie::ir
