// Internals of the C++ backend shared by its translation units: the code
// writer and the generator state (expressions, statements, pattern matchers).
#pragma once

#include "backends/cpp/CppGen.h"
#include "ir/MatchPlan.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mommie::cppgen {

// Indented text.
struct Out {
  std::string text;
  int indent = 0;
  void line(const std::string &s) {
    if (!s.empty())
      text.append(size_t(indent) * 2, ' ');
    text += s;
    text += '\n';
  }
  void open(const std::string &s) {
    line(s);
    ++indent;
  }
  void close(const std::string &s = "}") {
    --indent;
    line(s);
  }
};

// Where an expression is evaluated.
struct Ctx {
  int role = -1; // StateVar resolves against it
  const std::vector<ir::SlotInfo> *slots = nullptr;
  std::vector<std::string> slotNames; // C++ member names in F
  bool hasState = true;               // S is in scope
  bool hasPool = true;                // pool() / me_ in scope
  std::string where;                  // for error messages
};

class Gen {
public:
  Gen(const ir::Program &p, std::vector<std::string> &errors)
      : P(p), errors_(errors) {}

  const ir::Program &P;
  std::string ns;

  // Expressions (CppExpr.cpp).
  std::string expr(const ir::Expr &e, const Ctx &c);
  std::string cond(const ir::Expr &e, const Ctx &c) {
    std::string s = "("; // appended, not "(" + expr(...): GCC 12 -Wrestrict
                         // false positive (GCC bug 105329)
    s += expr(e, c);
    s += ").asBool()";
    return s;
  }
  std::string typeDesc(const ir::Type &t);
  void collectSlots(const ir::Expr &e, std::set<int> &out) const;

  // Statements.
  void block(Out &o, const ir::Block &b, const Ctx &c);

  // Pattern matching (CppMatch.cpp): nested loops over the pool indexes
  // binding `pats` (and `params` first) as `plan` (ir::planMatch of them)
  // says; `innermost` is emitted inside all loops and tests the guard
  // conjuncts the plan leaves to firing; `fail` is what a failed check does
  // where no loop encloses it.
  void match(Out &o, const Ctx &c, const std::vector<ir::Pattern> &pats,
             const std::vector<int> &params, const ir::MatchPlan &plan,
             const std::function<void(Out &, const char *fail)> &innermost,
             const char *failOutside, const std::string &consumed = "");

  // Field constraint k of `p` on the record `msg`, as a C++ bool.
  std::string constraintTest(const ir::Pattern &p, size_t k,
                             const std::string &msg, const Ctx &c);
  std::string fresh(const char *prefix) {
    return prefix + std::to_string(counter_++);
  }
  void error(const ir::SourceLoc &loc, const std::string &msg);
  std::string slotRef(const Ctx &c, int slot);
  std::string principalSetValue(int set);

  // Whether the last match() iterated with a Consumed cursor (loop index k0).
  bool usedConsumed = false;
  // Field indexes the matchers use: (record, field).
  std::set<std::pair<int, int>> fieldIndexes;
  // The record types the role being generated retires: its matchers skip
  // retired statements (retiredRec<r>) and the tombstones of removed ones.
  std::set<int> retired;
  // Record names and principal names for comments.
  std::string recordName(int r) const { return P.records[size_t(r)].name; }

private:
  std::string
  binder(const ir::Expr &e, const Ctx &c, const std::string &setExpr,
         const std::function<void(Out &, const std::string &)> &body,
         const std::string &init, const std::string &result);
  std::string knownExpr(const ir::Pattern &pat, const Ctx &c);
  std::vector<std::string> &errors_;
  int counter_ = 0;
};

// The runtime ops function of a comparison (`o::lt`, ...): "lt".
const char *cmpOp(ir::Op op);

// Frame member names for a list of slots (unique C++ identifiers).
std::vector<std::string> frameNames(const std::vector<ir::SlotInfo> &slots);

// The header part both generators share: `enum Principal` and, in namespace
// `rec`, one struct per record with `make` (and typed field accessors when
// `accessors` is set).
void emitPrincipalsAndRecords(Out &h, const ir::Program &program,
                              bool accessors);

// The line of programInfo() both generators share: the parameter values
// the program was compiled with (`p.params = {{"F", 1}, ...};`), printed by
// the binary's --version / --info and recorded in its traces.
void emitParams(Out &c, const ir::Program &program);

// The source part both generators share: `static Value fn_<name>(...)` for
// every `fun` of the program.
void emitFunctions(Out &c, Gen &g, const ir::Program &program);

// The initialization of a role's variables, in the generated constructor.
void emitVarInits(Out &o, Gen &g, const ir::Role &role, int roleIndex);
// Retire clauses (CppRetire.cpp). Whether clause `rt` matches every
// statement trigger pattern `trigger` accepts (same record; issuer,
// verifier and auditor parts at least as wide), so that once it holds for
// a record value no statement carrying it can match the trigger again;
// issuerFromBinding: the clause reads its issuer, the trigger's binding
// supplies it.
struct RetireCover {
  bool ok = false;
  bool issuerFromBinding = false;
};
RetireCover retireCover(const ir::Retire &rt, const ir::Pattern &trigger);
std::set<int> retiredRecords(const ir::Role &role);
// The role class members for its retire clauses: retireValue<k>,
// retireStmt<k>, retiredRec<r>, the RoleBase overrides retiresRecord,
// retired and collectRefraction. Nothing when the role retires nothing.
void emitRetireMembers(Out &o, Gen &g, const ir::Role &role, int roleIndex,
                       const std::string &state);

// The members that give the runtime a role's durable variables
// (docs/runtime.md, "Durable state"): hasDurable, durableState (their
// values as one tuple, in declaration order) and restoreDurable (type
// checked). Nothing when the role has none (the base class's defaults).
void emitDurableMembers(Out &o, const ir::Role &role, const std::string &cls);

// The variables a node holds: all but the ghost ones (frontend/SemaGhost.cpp).
// Generated code still numbers variables as the IR does (checkVar, VarType).
std::vector<ir::VarDecl> nodeVars(const ir::Role &role);

} // namespace mommie::cppgen
