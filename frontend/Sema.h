// Semantic analysis: name resolution and type checking of an ast::Program,
// elaborated directly into the typed IR (ir::Program).
//
// Algorithm. Parameters are known when a program is checked (-D overrides
// included), so constants are evaluated first and types carry concrete
// bounds. The pass runs in four steps:
//   1. collect every global name (duplicates: error + note);
//   2. resolve lazily, with cycle detection, params, consts, principal sets
//      (global ids in declaration order), type aliases and record fields;
//   3. check and elaborate each declaration: functions, roles (vars, timers,
//      transitions with their patterns and body specs, phases and rounds),
//      faults, invariants, properties, communication predicates;
//   4. whole-program checks (SemaChecks.cpp): recursion, Byzantine-issuable
//      records bounded, transitions that can never fire, unused variables.
// Every expression checker returns a typed ir::Expr or nullptr after having
// reported an error, so that one run reports as many independent errors as
// possible. The files: Sema.cpp (driver, globals), SemaTypes.cpp (types,
// constants), SemaExpr*.cpp (expressions), SemaPattern.cpp, SemaStmt.cpp,
// SemaRole.cpp, SemaRetire.cpp, SemaGhost.cpp, SemaProps.cpp, SemaChecks.cpp;
// IR node construction helpers are in Lower.h.
#pragma once

#include "frontend/Ast.h"
#include "frontend/ConstEval.h"
#include "frontend/Frontend.h"
#include "frontend/Scope.h"
#include "ir/Diagnostics.h"
#include "ir/IR.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mommie::frontend {

enum class GlobalKind {
  Param,
  Const,
  PrincipalSet,
  Record,
  TypeAlias,
  Fun,
  Role
};

struct Global {
  GlobalKind kind = GlobalKind::Param;
  int index = -1; // into the per-kind table
  ir::SourceLoc loc;
};

// What an expression may refer to where it appears.
struct ExprCtx {
  enum class Kind {
    Fun,        // a function body: parameters and globals only
    VarInit,    // a var initializer: ME, no role vars
    Transition, // guard, body spec, pattern parts
    Round,      // sends, progress, update
    Invariant,  // invariants, lemmas, properties, terminate
    Comm,       // communication predicates: mbox and ME
    Assume,
  };
  Kind kind = Kind::Fun;
  int role = -1; // role of ME / of the readable vars
  int fun = -1;  // the function being checked (call graph)
  // Invariants and lemmas: `KNOWN pattern` tests the whole pool (there is no
  // ME); elsewhere outside transitions it is an error.
  bool poolKnown = false;
  // A retire clause (Kind::Transition otherwise): no KNOWN.
  bool retire = false;
  Frame *frame = nullptr;
  ScopeStack *scopes = nullptr;

  // A context of `kind` for ME of `role`, binding in `frame` and `scopes`.
  static ExprCtx inRole(Kind kind, int role, Frame &frame, ScopeStack &scopes) {
    ExprCtx c;
    c.kind = kind;
    c.role = role;
    c.frame = &frame;
    c.scopes = &scopes;
    return c;
  }
};

class Sema {
public:
  Sema(const ast::Program &ast, const Options &options,
       DiagnosticEngine &diags);
  // Checks and elaborates the program; nullopt if an error was reported.
  std::optional<ir::Program> run();

private:
  friend class SemaTest;

  // ---- Sema.cpp: globals
  void collectGlobals();
  void declareGlobal(const std::string &name, GlobalKind kind, int index,
                     const ir::SourceLoc &loc);
  const Global *global(const std::string &name) const;
  void checkDefines();
  void checkAssumptions();
  void finishPrincipals();

  // ---- SemaTypes.cpp: constants, types, records
  std::optional<ConstValue> constOf(const std::string &name,
                                    const ir::SourceLoc &loc);
  std::optional<ConstValue> memberOf(const std::string &set, int64_t i,
                                     const ir::SourceLoc &loc);
  std::optional<int64_t> paramValue(int index);
  std::optional<ConstValue> constValue(int index);
  bool principalSetReady(int index);
  ConstEval constEval();
  std::optional<int64_t> evalIntConst(const ast::Expr &e,
                                      const std::string &what);
  ir::TypeRef resolveType(const ast::Type &t);
  ir::TypeRef aliasType(int index, const ir::SourceLoc &use);
  void resolveRecords();
  std::string typeStr(const ir::TypeRef &t) const;
  // A folded constant as a literal; `sym` is its symbolic form (ir/IR.h),
  // kept when it reads parameters.
  ir::ExprPtr constExpr(const ConstValue &v, const ir::SourceLoc &loc,
                        ir::ExprPtr sym = nullptr);
  // The symbolic form of a constant expression (ConstEval::symbolic), and
  // the same only when it reads a parameter or named constant (else null).
  ir::ExprPtr symbolicConst(const ast::Expr &e);
  ir::ExprPtr symIfParams(const ast::Expr &e);
  // The Param or ConstRef node for a global parameter or constant name.
  ir::ExprPtr symName(const std::string &name, const ir::SourceLoc &loc);
  // The names of the program's records, for did-you-mean suggestions.
  std::vector<std::string> recordNames() const;
  std::string didYouMean(const std::string &name, ExprCtx &ctx);

  // ---- SemaExpr.cpp / SemaExprOps.cpp: expressions
  ir::ExprPtr expr(const ast::Expr &e, ExprCtx &ctx,
                   ir::TypeRef expected = nullptr);
  ir::ExprPtr exprOfType(const ast::Expr &e, ExprCtx &ctx,
                         const ir::TypeRef &want, const std::string &what);
  ir::ExprPtr boolExpr(const ast::Expr &e, ExprCtx &ctx,
                       const std::string &what);
  ir::ExprPtr intExpr(const ast::Expr &e, ExprCtx &ctx,
                      const std::string &what);
  ir::ExprPtr nameExpr(const ast::Expr &e, ExprCtx &ctx);
  ir::ExprPtr unaryExpr(const ast::Expr &e, ExprCtx &ctx);
  ir::ExprPtr binaryExpr(const ast::Expr &e, ExprCtx &ctx);
  ir::ExprPtr indexExpr(const ast::Expr &e, ExprCtx &ctx);
  ir::ExprPtr fieldExpr(const ast::Expr &e, ExprCtx &ctx);
  ir::ExprPtr callExpr(const ast::Expr &e, ExprCtx &ctx,
                       const ir::TypeRef &expected);
  ir::ExprPtr builtinCall(const ast::Expr &e, ExprCtx &ctx,
                          const ir::TypeRef &expected);
  ir::ExprPtr recordCons(const ast::Expr &e, ExprCtx &ctx, int record);
  ir::ExprPtr setExpr(const ast::Expr &e, ExprCtx &ctx,
                      const ir::TypeRef &expected);
  // The elements of a set or sequence literal, each checked against `want`
  // (or, with `contextFromEarlier` and no `want`, against the join of the
  // earlier ones), and their joined type. False after an error.
  bool literalElements(const ast::Expr &e, ExprCtx &ctx,
                       const ir::TypeRef &want, bool contextFromEarlier,
                       const char *what, std::vector<ir::ExprPtr> &args,
                       ir::TypeRef &joined);
  ir::ExprPtr binderExpr(const ast::Expr &e, ExprCtx &ctx,
                         const ir::TypeRef &expected);
  ir::ExprPtr stateVarOf(const ast::Expr &e, int role, int var,
                         const ast::Expr &who, ExprCtx &ctx);
  // Declares a binder `x in S` in a new scope; returns the lowered set.
  ir::ExprPtr openBinder(const ast::Binder &b, ExprCtx &ctx, int &slot);
  void closeScope(ExprCtx &ctx, bool warn);
  // Declares `mbox: map<principal, payload>` in the current scope of
  // `ctx` (rounds and communication predicates); returns its slot.
  int declareMailbox(ExprCtx &ctx, const ir::TypeRef &payload,
                     const ir::SourceLoc &loc);
  std::optional<std::pair<int, int>>
  findRoleVar(const std::string &name, const ir::SourceLoc &loc, bool report);

  // ---- SemaPattern.cpp
  struct PendingPattern {
    const ast::Pattern *ast = nullptr;
    ir::Pattern ir;
    bool ok = true;
  };
  // Declares the binders of a pattern in the current scope (first pass).
  void declarePattern(PendingPattern &p, ExprCtx &ctx, LocalKind recordKind,
                      bool warn);
  // Checks issuer / verifier / auditor / constraints (second pass).
  void checkPattern(PendingPattern &p, ExprCtx &ctx);
  std::shared_ptr<const ir::Pattern> knownPattern(const ast::Pattern &p,
                                                  ExprCtx &ctx);
  bool statementSetOk(const ast::Pattern &a);
  void rejectStatementSet(const ast::Pattern &a, const char *where);
  void statementSetsUnread(const std::vector<PendingPattern> &patterns);
  // KNOWN in an invariant or lemma (ctx.poolKnown) tests the pool: warns if
  // no statement can ever match.
  void warnNeverInPool(const ir::Pattern &p);
  void recordPatternUse(const ir::Pattern &p, bool countsForByzantine);

  // ---- SemaStmt.cpp
  ir::Block block(const ast::Block &b, ExprCtx &ctx);
  ir::StmtPtr stmt(const ast::Stmt &s, ExprCtx &ctx);
  ir::StmtPtr assignStmt(const ast::Stmt &s, ExprCtx &ctx);
  ir::StmtPtr publishStmt(const ast::Stmt &s, ExprCtx &ctx);
  ir::StmtPtr timerStmt(const ast::Stmt &s, ExprCtx &ctx);

  // ---- SemaRole.cpp
  void checkRoles();
  void checkGhosts(); // SemaGhost.cpp
  void checkRole(const ast::RoleDecl &r, int index);
  void checkVar(const ast::VarDecl &v, int role);
  void checkTransition(const ast::TransitionDecl &t, int role);
  void checkRetire(const ast::RetireDecl &r, int role); // SemaRetire.cpp
  void checkPhase(const ast::PhaseDecl &p, int role);
  void checkRound(const ast::RoundDecl &r, int role, ir::Round &out);

  // ---- SemaProps.cpp
  void checkFuns();
  void checkFaults();
  ir::Predicate statePredicate(const std::string &name,
                               const ir::SourceLoc &loc, const ast::ExprPtr &e,
                               const std::string &what);
  void checkInvariants();
  void checkConstraints();
  void checkProperties();
  void checkCommunication();
  void checkMisc(); // fairness, terminate
  ir::TemporalPtr temporal(const ast::Temporal &t, ExprCtx &ctx);

  // ---- SemaChecks.cpp
  void checkRecursion();
  void checkByzantineRecords();
  void checkFireable();
  void checkUnusedVars();

  // ---- diagnostics helpers
  void error(const ir::SourceLoc &loc, const std::string &msg) {
    diags_.error(loc, msg);
  }
  void warning(const ir::SourceLoc &loc, const std::string &msg) {
    diags_.warning(loc, msg);
  }
  void note(const ir::SourceLoc &loc, const std::string &msg) {
    diags_.note(loc, msg);
  }
  void redefinition(const std::string &name, const ir::SourceLoc &loc,
                    const ir::SourceLoc &prev);
  void warnUnused(const std::vector<Local> &unused);

  const ast::Program &ast_;
  const Options &options_;
  DiagnosticEngine &diags_;
  ir::Program out_;

  std::map<std::string, Global> globals_;
  std::map<std::string, ir::SourceLoc> propertyNames_;

  // Per-kind AST tables (indices of Global::index).
  std::vector<const ast::ParamDecl *> params_;
  // Pattern variables whose record is unknown (already reported): a field
  // of one is not reported again (no cascade).
  std::set<std::pair<const Frame *, int>> unknownRecordSlots_;
  std::vector<const ast::ConstDecl *> consts_;
  std::vector<const ast::PrincipalsDecl *> sets_;
  std::vector<const ast::RecordDecl *> records_;
  std::vector<const ast::TypeAliasDecl *> aliases_;
  std::vector<const ast::FunDecl *> funs_;
  std::vector<const ast::RoleDecl *> roles_;

  // Lazy resolution state: 0 = todo, 1 = in progress, 2 = done, 3 = failed.
  std::vector<int> paramState_, constState_, setState_, aliasState_;
  std::vector<int64_t> paramValues_;
  std::vector<ConstValue> constValues_;
  std::vector<ir::TypeRef> aliasTypes_;
  int nextPrincipal_ = 0;

  // Role members: name -> index, per role.
  struct RoleInfo {
    std::map<std::string, int> vars, timers, transitions;
    std::vector<bool> varRead;
    std::vector<bool> timerStarted;
    std::vector<ir::SourceLoc> timerLoc;
  };
  std::vector<RoleInfo> roleInfo_;
  std::map<std::string, int> rounds_; // round name -> index in the phase
  int phaseRole_ = -1;

  // Whole-program facts gathered while checking.
  std::vector<std::set<int>> calls_; // fun -> called funs
  std::set<int> published_;          // records some role PUBLISHes
  struct PatternUse {
    int record;
    ir::SourceLoc loc;
    ir::IssuerPattern::Kind issuer;
    int set; // Bind / Quorum
    ir::TypeRef exactType;
    int role, transition; // transition -1 for KNOWN
  };
  std::vector<PatternUse> patternUses_;
  struct TimeoutUse {
    int role, timer;
    std::string transition;
    ir::SourceLoc loc;
  };
  std::vector<TimeoutUse> timeoutUses_;
  std::vector<ir::TypeRef> funResult_;
  std::vector<std::vector<ir::TypeRef>> funParams_;
  int curTransition_ = -1;
  bool fatal_ = false;
};

} // namespace mommie::frontend
