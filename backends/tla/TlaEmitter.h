// Internal to the TLA+ backend: the emitter's shared context (global names
// of every program entity), the per-operator frame that maps IR slots to
// TLA+ names, and the text helpers for indented conjunction lists.
//
// Expressions are printed on one line each, fully parenthesized where TLA+
// precedence could bite; actions are laid out as aligned `/\` lists with
// LET-chains for sequential bodies (TlaActions.cpp, TlaBody.cpp).
#pragma once

#include "backends/tla/TlaBackend.h"
#include "backends/tla/TlaNames.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mommie::tla {

// Lines of TLA+ text; helpers indent them as a block.
using Lines = std::vector<std::string>;

// `/\ item` (or `\/ item`) for each item, continuation lines indented.
Lines bulletList(const std::vector<Lines> &items, const std::string &bullet);
Lines indent(const Lines &lines, size_t n);
Lines single(std::string line);
// `open` + items joined by ", " + `close`, wrapped at about 80 columns; the
// continuation lines are indented to the first item.
Lines wrappedList(const std::string &open,
                  const std::vector<std::string> &items,
                  const std::string &close);

class Emitter;

// The scope of one operator: the names of its slots and how role vars,
// known statements and ME print at the current point of a body.
struct Frame {
  Frame(Emitter &e, const std::vector<ir::SlotInfo> *slots, std::string me);

  Emitter &em;
  NameScope scope;
  const std::vector<ir::SlotInfo> *slots = nullptr;
  std::vector<std::string> slotNames;
  std::string me; // how ME prints ("self", "q", or empty if ME is invalid)
  // Role var `var` of role `role`, of ME, at the current point.
  std::function<std::string(int role, int var)> stateVar;
  // The statements of record type `record` known to ME right now.
  std::function<std::string(int record)> known;
  std::string stmtBinder; // bound name for statements in filters
  // How the crashed set prints in `crashed(p)`: a communication predicate
  // reads the processes crashed by the end of the round (a parameter).
  std::string crashedSet = "crashed";

  std::string slot(int s) const;
  std::string fresh(const std::string &base) { return scope.claim(base); }
};

class Emitter {
public:
  Emitter(const ir::Program &p, DiagnosticEngine &d);

  const ir::Program &prog;
  DiagnosticEngine &diags;
  NameScope globals;
  bool ok = true;

  // Principal set S: its name, `S_Member(i)` (member i), `S_Size`, and
  // `S_At(i)` (member i, checked to exist: dynamic indices). Principals
  // are <<"S", i>> in the protocol module and model values (principalNames)
  // in MC.tla, which overrides S_Member.
  std::vector<std::string> setNames, memberNames, sizeNames, atNames;
  std::vector<std::string> principalNames, paramNames, constNames, funNames;
  std::vector<std::vector<std::string>> varNames, timerNames, firedNames,
      actionNames;
  std::vector<std::vector<std::vector<std::string>>> funParamNames;
  std::map<int, std::string> poolNames, knownNames; // by record
  std::set<int> byzRecords;                         // Byzantine-publishable
  std::vector<std::string> roundNames;
  std::set<int> orderedSets; // principal sets indexed dynamically (R[i])

  // A number the front end computed from parameters, as written: its
  // symbolic form (ir/IR.h) when it has one, else the number.
  // As an operand (parenthesized unless atomic), or not.
  std::string symbolic(const ir::ExprPtr &sym, int64_t value,
                       bool asOperand = true);
  // Member `offset` of principal set `set`.
  std::string member(int set, int64_t offset) const;
  // hasCrash: a crash or recover fault (the `crashed` variable); hasRecover:
  // a recover fault (the Recover action).
  bool hasCrash = false, hasRecover = false, hasByz = false;

  void error(const ir::SourceLoc &loc, const std::string &msg);
  std::string loc(const ir::SourceLoc &l) const; // "file:line"
  std::string locComment(const ir::SourceLoc &l) const;

  // Expressions (TlaExpr.cpp).
  std::string expr(const ir::Expr *e, Frame &f);
  // As an operand of an infix operator: parenthesized unless atomic.
  std::string operand(const ir::Expr *e, Frame &f);
  std::string fieldName(int record, int field) const;
  // The finite set of values of `t` (params, Byzantine payloads), or
  // nullopt-like empty string with an error if `t` is unbounded.
  std::string domainOf(const ir::Type &t, const ir::SourceLoc &where);
  // While set, domainOf and typePred take `int model lo..hi` as Int (the
  // protocol's type, for TypeOK); else as lo..hi (the model, ModelRanges).
  bool modelRangesAsInt = false;
  // A state predicate saying `value` has type `t` (TypeOK).
  std::string typePred(const std::string &value, const ir::Type &t,
                       NameScope &scope);
  std::string principalSetOfType(const ir::Type &t) const;
  // The Apalache type of values of `t` (for `\* @type:` annotations):
  // principals are <<Str, Int>>, options sequences, maps functions.
  std::string apalacheType(const ir::Type &t) const;
  // The Apalache type of a statement of record type `record`.
  std::string statementType(int record) const;
  // Apalache type aliases (`$name`): one per record, one per statement
  // type, and `principal`; claimed in the constructor.
  std::vector<std::string> recordAliases, statementAliases;
  std::string typedefsName; // the operator whose comment defines them

  // Patterns (TlaPatterns.cpp).
  // The set of known statements matching the statement-level parts of `p`
  // (issuer, verifier, auditor), and with `withConstraints` its field
  // constraints on each statement's record (a statement set).
  std::string stmtFilter(const ir::Pattern &p, Frame &f, bool bindIssuerAsExact,
                         bool withConstraints = false);
  // KNOWN p, as a boolean expression.
  std::string knownExpr(const ir::Pattern &p, Frame &f);
  // The conjuncts of p's field constraints on `subject` (by default the
  // pattern's record variable).
  std::vector<std::string> constraints(const ir::Pattern &p, Frame &f,
                                       const std::string &subject = "");

  // Whole-program pieces (TlaModule.cpp, TlaActions.cpp, TlaRounds.cpp).
  std::string liveExpr(const std::string &p) const;
  std::vector<std::string> allVars; // `vars`, in order
  std::vector<std::string> invNames, constraintNames, propNames;
  std::string symmetryName; // the SYMMETRY operator, or empty
  // UNCHANGED of every variable not in `changed` (wrapped), or nothing.
  Lines unchangedExcept(const std::set<std::string> &changed) const;
};

// The slots of a refracted transition's binding tuple, in order
// (ir::Transition::refractionSlots), each slot once.
std::vector<int> bindingSlots(const ir::Transition &tr);
// Slots used by an expression (free or bound), for dependency ordering.
void collectSlots(const ir::Expr *e, std::set<int> &out);
// Record types matched by KNOWN patterns inside `e`.
void collectKnownRecords(const ir::Expr *e, std::set<int> &out);

// Sections of the module (each returns text, ends with a blank line).
std::string emitEventActions(Emitter &em, std::vector<std::string> &next,
                             std::vector<std::string> &fair);
// Crash(p) and Recover(self), shared by both kinds of programs.
std::string emitCrash(Emitter &em, std::vector<std::string> &next);
std::string emitRecover(Emitter &em, std::vector<std::string> &next);
std::string emitRoundActions(Emitter &em, std::vector<std::string> &next,
                             std::vector<std::string> &fair);

} // namespace mommie::tla
