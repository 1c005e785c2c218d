// Structural equality of ASTs, ignoring source locations (AstPrinter.h).
// Used by the print -> parse round-trip property test.
#include "frontend/AstPrinter.h"

namespace mommie::frontend {

using namespace ast;

namespace {

template <class T, class F>
bool eqVec(const std::vector<T> &a, const std::vector<T> &b, F eq) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!eq(a[i], b[i]))
      return false;
  return true;
}

template <class T, class F>
bool eqPtr(const std::shared_ptr<T> &a, const std::shared_ptr<T> &b, F eq) {
  if (!a || !b)
    return !a && !b;
  return eq(*a, *b);
}

bool eqE(const Expr &a, const Expr &b);
bool eqPat(const Pattern &a, const Pattern &b);
bool eqT(const Type &a, const Type &b);

bool eqEP(const ExprPtr &a, const ExprPtr &b) { return eqPtr(a, b, eqE); }
bool eqTP(const TypePtr &a, const TypePtr &b) { return eqPtr(a, b, eqT); }
bool eqPP(const PatternPtr &a, const PatternPtr &b) {
  return eqPtr(a, b, eqPat);
}

bool eqT(const Type &a, const Type &b) {
  return a.kind == b.kind && a.name == b.name && a.model == b.model &&
         eqEP(a.lo, b.lo) && eqEP(a.hi, b.hi) && eqVec(a.args, b.args, eqTP);
}

bool eqE(const Expr &a, const Expr &b) {
  if (a.kind != b.kind || a.intVal != b.intVal || a.boolVal != b.boolVal ||
      a.name != b.name)
    return false;
  if (a.kind == ExprKind::Unary && a.unOp != b.unOp)
    return false;
  if (a.kind == ExprKind::Binary && a.binOp != b.binOp)
    return false;
  auto eqBinder = [](const Binder &x, const Binder &y) {
    return x.name == y.name && eqEP(x.set, y.set);
  };
  auto eqField = [](const FieldInit &x, const FieldInit &y) {
    return x.name == y.name && eqEP(x.value, y.value);
  };
  return eqVec(a.args, b.args, eqEP) && eqVec(a.binders, b.binders, eqBinder) &&
         eqEP(a.body, b.body) && eqEP(a.cond, b.cond) &&
         eqVec(a.fields, b.fields, eqField) && eqPP(a.pattern, b.pattern);
}

bool eqParty(const PartyPattern &a, const PartyPattern &b) {
  return a.kind == b.kind && eqEP(a.expr, b.expr);
}

bool eqPat(const Pattern &a, const Pattern &b) {
  const IssuerPattern &x = a.issuer, &y = b.issuer;
  if (x.kind != y.kind || x.binder != y.binder || x.set != y.set ||
      x.exact != y.exact || !eqEP(x.threshold, y.threshold) ||
      !eqEP(x.expr, y.expr))
    return false;
  auto eqC = [](const FieldConstraint &p, const FieldConstraint &q) {
    return p.field == q.field && p.op == q.op && eqEP(p.expr, q.expr);
  };
  return eqParty(a.verifier, b.verifier) && eqParty(a.auditor, b.auditor) &&
         a.record == b.record && a.binder == b.binder &&
         a.statementSet == b.statementSet &&
         eqVec(a.constraints, b.constraints, eqC);
}

bool eqS(const Stmt &a, const Stmt &b);
bool eqSP(const StmtPtr &a, const StmtPtr &b) { return eqPtr(a, b, eqS); }

bool eqS(const Stmt &a, const Stmt &b) {
  auto eqStep = [](const LValueStep &x, const LValueStep &y) {
    return x.kind == y.kind && eqEP(x.key, y.key) && x.field == y.field &&
           x.index == y.index;
  };
  return a.kind == b.kind && a.name == b.name &&
         eqVec(a.path, b.path, eqStep) && eqTP(a.type, b.type) &&
         eqEP(a.value, b.value) && eqEP(a.cond, b.cond) &&
         eqVec(a.thenBody, b.thenBody, eqSP) &&
         eqVec(a.elseBody, b.elseBody, eqSP) && a.hasElse == b.hasElse &&
         eqEP(a.issuer, b.issuer) && eqEP(a.verifier, b.verifier) &&
         (a.kind != StmtKind::Publish || eqParty(a.auditor, b.auditor)) &&
         eqPP(a.progress, b.progress);
}

bool eqTemporal(const Temporal &a, const Temporal &b);
bool eqTmP(const TemporalPtr &a, const TemporalPtr &b) {
  return eqPtr(a, b, eqTemporal);
}
bool eqTemporal(const Temporal &a, const Temporal &b) {
  return a.kind == b.kind && eqEP(a.state, b.state) &&
         eqVec(a.args, b.args, eqTmP);
}

bool eqTN(const TypedName &a, const TypedName &b) {
  return a.name == b.name && eqTP(a.type, b.type);
}
bool eqDur(const Duration &a, const Duration &b) {
  return a.unit == b.unit && a.value == b.value;
}

bool eqTransition(const TransitionDecl &a, const TransitionDecl &b) {
  auto eqTr = [](const Trigger &x, const Trigger &y) {
    return x.kind == y.kind && eqPP(x.pattern, y.pattern) && x.timer == y.timer;
  };
  return a.name == b.name && eqVec(a.params, b.params, eqTN) &&
         eqVec(a.triggers, b.triggers, eqTr) && eqEP(a.guard, b.guard) &&
         a.bodyProgram == b.bodyProgram && eqVec(a.body, b.body, eqSP);
}

bool eqRound(const RoundDecl &a, const RoundDecl &b) {
  auto eqPc = [](const ProgressCond &x, const ProgressCond &y) {
    return x.kind == y.kind &&
           (x.kind != ProgressCond::Kind::Timeout ||
            eqDur(x.timeout, y.timeout)) &&
           eqEP(x.expr, y.expr);
  };
  auto eqSend = [](const SendClause &x, const SendClause &y) {
    return eqEP(x.payload, y.payload) && eqEP(x.dest, y.dest) &&
           eqEP(x.cond, y.cond);
  };
  return a.name == b.name && eqTP(a.payload, b.payload) &&
         eqVec(a.progress, b.progress, eqPc) &&
         eqVec(a.sends, b.sends, eqSend) && a.hasUpdate == b.hasUpdate &&
         eqVec(a.update, b.update, eqSP);
}

bool eqRole(const RoleDecl &a, const RoleDecl &b) {
  auto eqVar = [](const VarDecl &x, const VarDecl &y) {
    return x.name == y.name && x.ghost == y.ghost && x.durable == y.durable &&
           eqTP(x.type, y.type) && eqEP(x.init, y.init) &&
           eqEP(x.initSet, y.initSet);
  };
  auto eqTimer = [](const TimerDecl &x, const TimerDecl &y) {
    return x.name == y.name && eqDur(x.duration, y.duration);
  };
  auto eqPhase = [](const PhaseDecl &x, const PhaseDecl &y) {
    return eqEP(x.bound, y.bound) && eqVec(x.rounds, y.rounds, eqRound);
  };
  auto eqRetire = [](const RetireDecl &x, const RetireDecl &y) {
    return eqPP(x.pattern, y.pattern) && eqEP(x.cond, y.cond);
  };
  return a.name == b.name && a.set == b.set && eqVec(a.vars, b.vars, eqVar) &&
         eqVec(a.timers, b.timers, eqTimer) &&
         eqVec(a.transitions, b.transitions, eqTransition) &&
         eqVec(a.retires, b.retires, eqRetire) &&
         eqVec(a.phases, b.phases, eqPhase);
}

struct DeclEq {
  bool operator()(const ParamDecl &a, const ParamDecl &b) const {
    return a.name == b.name && eqEP(a.value, b.value);
  }
  bool operator()(const AssumeDecl &a, const AssumeDecl &b) const {
    return eqEP(a.expr, b.expr);
  }
  bool operator()(const PrincipalsDecl &a, const PrincipalsDecl &b) const {
    return a.name == b.name && eqEP(a.size, b.size);
  }
  bool operator()(const ConstDecl &a, const ConstDecl &b) const {
    return a.name == b.name && eqEP(a.value, b.value);
  }
  bool operator()(const RecordDecl &a, const RecordDecl &b) const {
    return a.name == b.name && eqVec(a.fields, b.fields, eqTN);
  }
  bool operator()(const TypeAliasDecl &a, const TypeAliasDecl &b) const {
    return a.name == b.name && eqTP(a.type, b.type);
  }
  bool operator()(const FunDecl &a, const FunDecl &b) const {
    return a.name == b.name && eqVec(a.params, b.params, eqTN) &&
           eqTP(a.result, b.result) && eqEP(a.body, b.body);
  }
  bool operator()(const RoleDecl &a, const RoleDecl &b) const {
    return eqRole(a, b);
  }
  bool operator()(const FaultsDecl &a, const FaultsDecl &b) const {
    return a.kind == b.kind && a.set == b.set && eqEP(a.max, b.max);
  }
  bool operator()(const InvariantDecl &a, const InvariantDecl &b) const {
    return a.name == b.name && a.lemma == b.lemma && eqEP(a.expr, b.expr);
  }
  bool operator()(const ConstraintDecl &a, const ConstraintDecl &b) const {
    return a.name == b.name && eqEP(a.expr, b.expr);
  }
  bool operator()(const PropertyDecl &a, const PropertyDecl &b) const {
    return a.name == b.name && eqTmP(a.formula, b.formula);
  }
  bool operator()(const FairnessDecl &a, const FairnessDecl &b) const {
    return a.kind == b.kind;
  }
  bool operator()(const CommunicationDecl &a,
                  const CommunicationDecl &b) const {
    return a.name == b.name && a.round == b.round && eqEP(a.expr, b.expr);
  }
  bool operator()(const TerminateDecl &a, const TerminateDecl &b) const {
    return eqEP(a.expr, b.expr);
  }
  template <class A, class B> bool operator()(const A &, const B &) const {
    return false;
  }
};

} // namespace

bool astEqual(const Expr &a, const Expr &b) { return eqE(a, b); }

bool astEqual(const Program &a, const Program &b) {
  return a.name == b.name &&
         eqVec(a.decls, b.decls, [](const Decl &x, const Decl &y) {
           return std::visit(DeclEq{}, x, y);
         });
}

} // namespace mommie::frontend
