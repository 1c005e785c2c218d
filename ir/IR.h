// The mommie IR: the one typed, name-resolved representation of a program
// that every later stage reads (checker, TLA+ backend, SMT proofs, C++
// backend). It is produced by frontend/Lower.cpp after semantic analysis.
//
// Conventions
// - A program is an instance: the front end evaluates parameters and `const`s
//   at the values it was given (-D or the defaults), so evaluated positions
//   hold numbers and principal sets have concrete sizes. Where a number,
//   boolean or principal came from parameters, the node keeps its symbolic
//   form too (Expr::sym, Type::symLo/symHi, PrincipalSet::symSize,
//   Phase::symBound, FaultDecl::symMax, Param::def, Program::consts): an
//   expression over Param and ConstRef leaves. ir::instantiate
//   (ir/Instantiate.h) turns a program into the instance for other parameter
//   values; the TLA+ backend and the prover read the symbolic forms.
// - Principals are global ids 0..numPrincipals-1; each principal set owns a
//   contiguous range [first, first+size). Principal names are "R0", "R1"...
// - Local variables (transition parameters, pattern binders, issuer binders,
//   `let`s, quantifier / comprehension binders, function parameters, the
//   round mailbox) live in numbered slots of one frame per transition,
//   function, round update, invariant or property. Expr::slot indexes it.
// - Every node carries a SourceLoc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mommie::ir {

struct SourceLoc {
  std::string file;
  uint32_t line = 0;
  uint32_t col = 0;
};

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

enum class TypeKind {
  Bool,
  Int,       // unbounded
  Range,     // lo..hi
  Principal, // principalSet == -1: any principal; else a member of that set
  Record,    // record index
  Set,       // args[0]
  Map,       // args[0] -> args[1]
  Option,    // args[0]
  Seq,       // args[0]
  Tuple,     // args
};

struct Type;
using TypeRef = std::shared_ptr<const Type>;

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Type {
  TypeKind kind = TypeKind::Bool;
  int64_t lo = 0, hi = 0; // Range
  ExprPtr symLo, symHi; // Range: the bounds over parameters, when they use any
  // Range: `int model lo..hi`, an unbounded integer of the protocol that the
  // checker, the TLA+ spec and the prover explore only over lo..hi (a value
  // outside puts the state outside the model, as a failed `constraint`
  // does); compiled code holds any 64-bit integer.
  bool model = false;
  int principalSet = -1; // Principal
  int record = -1;       // Record
  std::vector<TypeRef> args;
};

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

// The kinds, their operand counts and fields: ir/ExprKinds.def.
enum class ExprKind {
#define MOMMIE_EXPR_KIND(Name, MinArgs, MaxArgs, Fields, Description) Name,
#include "ir/ExprKinds.def"
};

enum class Op {
  // unary
  Not,
  Neg,
  // binary
  Add,
  Sub,
  Mul,
  Div, // floor division, as TLA+ \div
  Mod, // as TLA+ %
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
  Implies,
  In,
  NotIn,
  SubsetEq,
  Union,
  Inter,
  Diff,
};

// The builtins, their spellings and arities: ir/ExprKinds.def.
enum class Builtin {
#define MOMMIE_BUILTIN(Name, Spelling, Arity, Description) Name,
#include "ir/ExprKinds.def"
};

// The scalar fields of an Expr a kind uses (ExprKinds.def's Fields column).
namespace ExprField {
enum : unsigned {
  None = 0,
  IntVal = 1u << 0,
  Op = 1u << 1,
  Builtin = 1u << 2,
  Slot = 1u << 3,
  Role = 1u << 4,
  Var = 1u << 5,
  Index = 1u << 6,
  Pattern = 1u << 7,
  Sym = 1u << 8,
};
} // namespace ExprField

inline constexpr int kVariadic = -1; // ExprKindInfo::maxArgs: no upper bound
inline constexpr int kByDeclaration =
    -1; // ExprKindInfo::minArgs: the callee's, record's or builtin's

struct ExprKindInfo {
  const char *name;     // "IntLit"
  int minArgs, maxArgs; // bounds on Expr::args.size()
  unsigned fields;      // ExprField bits
  const char *description;
};
const ExprKindInfo &exprKindInfo(ExprKind k);
inline const char *exprKindName(ExprKind k) { return exprKindInfo(k).name; }

struct BuiltinInfo {
  const char *name;     // "IsSome"
  const char *spelling; // "isSome"
  size_t arity;
  const char *description;
};
const BuiltinInfo &builtinInfo(Builtin b);
// The builtin spelled `spelling` in the source language, if any.
std::optional<Builtin> builtinNamed(std::string_view spelling);

struct Pattern;

struct Expr {
  ExprKind kind = ExprKind::IntLit;
  TypeRef type;
  SourceLoc loc;
  int64_t intVal = 0;
  Op op = Op::Add;
  Builtin builtin = Builtin::Card;
  int slot = -1;  // Slot, binders
  int role = -1;  // StateVar, StateVarOf
  int var = -1;   // StateVar, StateVarOf
  int index = -1; // Field, TupleGet, Call, RecordCons, PrincipalSet
  std::vector<ExprPtr> args;
  std::shared_ptr<const Pattern> pattern; // Known
  // IntLit, BoolLit, PrincipalLit: the same value over parameters and named
  // constants, when it was computed from them (`NumReq - 1`, `Q`, `R[0]` as
  // Index(PrincipalSet, 0)); null for a plain literal.
  ExprPtr sym;
};

//===----------------------------------------------------------------------===//
// Statement patterns
//===----------------------------------------------------------------------===//

// The issuer part of a pattern.
struct IssuerPattern {
  enum class Kind {
    Any,    // _ / ANY
    Exact,  // expr
    Bind,   // issuer bound to slot `slot`, a member of principal set `set`
    Quorum, // >= / == `threshold` distinct issuers of `set`; optional slot
            // (type set<principal>) receives the issuer set
  };
  Kind kind = Kind::Any;
  ExprPtr expr;       // Exact
  int set = -1;       // Bind, Quorum
  int slot = -1;      // Bind (principal), Quorum (set of issuers, or -1)
  bool exact = false; // Quorum: `==` instead of `>=`
  ExprPtr threshold;  // Quorum
};

// The verifier or auditor part of a pattern.
struct PartyPattern {
  enum class Kind {
    Any,       // _ / ANY (verifier), _ / NOONE (auditor): don't care
    Contains,  // expr (a principal) must be in the statement's set
    Universal, // auditor ANY: the statement must be auditable by everyone
  };
  Kind kind = Kind::Any;
  ExprPtr expr;
};

struct FieldConstraint {
  SourceLoc loc;
  int field = -1;
  Op op = Op::Eq; // a comparison
  ExprPtr expr;
};

struct Pattern {
  SourceLoc loc;
  IssuerPattern issuer;
  PartyPattern verifier;
  PartyPattern auditor;
  int record = -1;
  int slot = -1; // binds the record value
  // `[S >= k, V, A] Record* x` (a quorum issuer only): `slot` binds the set
  // of (issuer, record) pairs of every known statement matching the
  // pattern, of type set<(S, Record)>; the field constraints filter those
  // statements, and the quorum counts their distinct issuers. Only the
  // guard and the body read `slot`; refraction leaves it out of the binding
  // (refractionSlots).
  bool statementSet = false;
  std::vector<FieldConstraint> constraints;
};

//===----------------------------------------------------------------------===//
// Statements (body specs and round updates)
//===----------------------------------------------------------------------===//

enum class StmtKind {
  Assign,      // target <- value
  Let,         // slot <- value
  If,          // cond, thenBody, elseBody
  Publish,     // issuer ME; verifier, auditor, value (record); progress
  StartTimer,  // timer
  CancelTimer, // timer
  Skip,
};

// An lvalue: role var of ME, followed by a path of map keys / seq indices /
// record fields / tuple components.
struct LValueStep {
  enum class Kind { Index, Field, TupleGet } kind = Kind::Index;
  ExprPtr key;    // Index
  int index = -1; // Field, TupleGet
};

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;
using Block = std::vector<StmtPtr>;

struct Stmt {
  StmtKind kind = StmtKind::Skip;
  SourceLoc loc;
  // Assign
  int var = -1; // role var index
  std::vector<LValueStep> path;
  // Let
  int slot = -1;
  // Assign, Let: value; Publish: the record
  ExprPtr value;
  // If
  ExprPtr cond;
  Block thenBody, elseBody;
  // Publish
  ExprPtr verifier; // principal or set<principal>
  enum class Auditor { None, Any, Expr } auditorKind = Auditor::None;
  ExprPtr auditor; // Auditor::Expr: principal or set<principal>
  std::shared_ptr<const Pattern> progress; // may be null
  // Start/CancelTimer
  int timer = -1;
  // Only ghost state depends on this statement: an assignment to a ghost
  // variable, a let read only by ghost statements' values, or an `if` whose
  // branches are all ghost (frontend/SemaGhost.cpp). Compiled code skips it.
  bool ghost = false;
};

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

struct Param {
  std::string name;
  int64_t value = 0;
  ExprPtr
      def; // the declared default, over earlier parameters (may be a literal)
  SourceLoc loc;
};

// A named constant (`const Q = 2*F + 1;`): its value over parameters and
// earlier constants (an int, bool or principal expression).
struct ConstDecl {
  std::string name;
  ExprPtr expr;
  SourceLoc loc;
};

struct PrincipalSet {
  std::string name;
  int first = 0; // first global principal id
  int size = 0;
  ExprPtr symSize; // the size over parameters, when it uses any
  SourceLoc loc;
};

struct FieldDecl {
  std::string name;
  TypeRef type;
  SourceLoc loc;
};

struct RecordDecl {
  std::string name;
  std::vector<FieldDecl> fields;
  SourceLoc loc;
};

struct SlotInfo {
  std::string
      name; // as written by the user (unique within a frame after renaming)
  TypeRef type;
  SourceLoc loc;
};

struct Function {
  std::string name;
  std::vector<int> params; // slots
  TypeRef result;
  ExprPtr body;
  std::vector<SlotInfo> slots;
  SourceLoc loc;
};

struct VarDecl {
  std::string name;
  TypeRef type;
  ExprPtr init;    // `= e` (may use Me), or null
  ExprPtr initSet; // `in S`: any element, or null
  SourceLoc loc;
  std::vector<SlotInfo> slots; // frame of binders used in init / initSet
  // `ghost var`: a history variable for invariants and proofs. Checked and
  // proved like any variable; nothing but ghost state depends on it
  // (Stmt::ghost), so compiled nodes leave it out.
  bool ghost = false;
  // `durable var`: kept across a restart (a `recover` fault); every other
  // non-ghost variable is reset to its initial value (docs/semantics.md,
  // Actions, "Recover").
  bool durable = false;
};

struct TimerDecl {
  std::string name;
  int64_t durationMs = 0;
  SourceLoc loc;
};

struct Transition {
  std::string name;
  std::vector<int> params; // slots, domains are their (finite) types
  std::vector<Pattern> triggers;
  int timer = -1;          // AFTER timeout(timer), or -1
  ExprPtr guard;           // may be null
  std::string bodyProgram; // C++ function name, or empty
  Block body;
  std::vector<SlotInfo> slots;
  SourceLoc loc;
  bool refracted() const { return !triggers.empty(); }
  // The slots of a refraction binding, in order: the parameters, then per
  // pattern its issuer binder (`x in S`) and its record variable (not a
  // statement set, nor a quorum's issuer set: they grow with the pool).
  std::vector<int> refractionSlots() const;
};

// `retire PATTERN [IF cond];`: at a principal ME of the role, a statement
// of ME's pool that matches `pattern` (binding its slots, as a trigger
// pattern does) and satisfies `cond` (may be null: true) in ME's current
// state is retired: a node may drop it and refuse it if delivered again.
// It does not change the model's semantics; `mommie check` verifies that
// collecting never changes behaviour (docs/semantics.md, "Retiring
// statements"). The issuer is never a quorum; `cond` reads no KNOWN and no
// ghost variable.
struct Retire {
  Pattern pattern;
  ExprPtr cond;
  std::vector<SlotInfo> slots;
  SourceLoc loc;
};

enum class ProgressKind { Timeout, WaitMessages, GoAhead, CatchUp, Sync };

struct ProgressCond {
  ProgressKind kind = ProgressKind::Timeout;
  int64_t timeoutMs = 0; // Timeout
  ExprPtr expr;          // GoAhead condition (over mbox slot), Sync k
  SourceLoc loc;
};

struct SendClause {
  ExprPtr payload;
  ExprPtr dest; // principal or set<principal>
  ExprPtr cond; // may be null
  SourceLoc loc;
};

struct Round {
  std::string name;
  TypeRef payload;
  std::vector<ProgressCond> progress;
  std::vector<SendClause> sends; // evaluated in the round's frame
  int mboxSlot = -1;             // map<principal, payload>, in update
  Block update;
  std::vector<SlotInfo> slots; // shared by sends, progress, update
  SourceLoc loc;
};

struct Phase {
  int64_t bound = 0; // phases explored by the checker / TLA+
  ExprPtr symBound;  // the bound over parameters, when it uses any
  std::vector<Round> rounds;
  SourceLoc loc;
};

struct Role {
  std::string name;
  int principalSet = -1;
  std::vector<VarDecl> vars;
  std::vector<TimerDecl> timers;
  std::vector<Transition> transitions;
  std::vector<Retire> retires;
  std::optional<Phase> phase;
  SourceLoc loc;
};

struct FaultDecl {
  // Crash: a member stops for good. Recover: a member stops and may restart
  // with its durable variables (at most `max` down at once). Byzantine.
  enum class Kind { Crash, Recover, Byzantine } kind = Kind::Crash;
  // Whether members may crash (crash-stop or crash-recovery).
  bool crashes() const { return kind != Kind::Byzantine; }
  int principalSet = -1;
  int64_t max = 0;
  ExprPtr symMax; // the bound over parameters, when it uses any
  SourceLoc loc;
};

// A closed state predicate (invariant / lemma / communication predicate).
struct Predicate {
  std::string name;
  ExprPtr expr;
  std::vector<SlotInfo> slots;
  SourceLoc loc;
  bool lemma = false;
};

struct Temporal;
using TemporalPtr = std::shared_ptr<const Temporal>;

struct Temporal {
  enum class Kind {
    State,
    Always,
    Eventually,
    LeadsTo,
    And,
    Or,
    Not
  } kind = Kind::State;
  ExprPtr state; // State
  std::vector<TemporalPtr> args;
  SourceLoc loc;
};

struct Property {
  std::string name;
  TemporalPtr formula;
  std::vector<SlotInfo> slots;
  SourceLoc loc;
};

// A communication predicate: every live process's mailbox in round `round`
// satisfies `expr` (frame: slot 0 is the mailbox; Me is the receiver).
struct CommPredicate {
  std::string name;
  int round = -1;
  ExprPtr expr;
  std::vector<SlotInfo> slots;
  int mboxSlot = -1;
  SourceLoc loc;
};

enum class Fairness { None, Weak, Strong };
// "none", "weak", "strong": the declaration's keyword.
const char *fairnessName(Fairness f);

struct Program {
  std::string name;
  std::string file;
  std::vector<Param> params;
  std::vector<ConstDecl> consts;      // `const`s, in declaration order
  std::vector<Predicate> assumptions; // `assume`, over params (already checked)
  std::vector<PrincipalSet> principalSets;
  int numPrincipals = 0;
  std::vector<RecordDecl> records;
  std::vector<Function> funs;
  std::vector<Role> roles;
  std::vector<FaultDecl> faults;
  std::vector<Predicate> invariants; // invariants and lemmas, in source order
  // `constraint` declarations (TLC's CONSTRAINT): a state that violates one
  // is checked against the invariants but neither counted nor expanded
  // (docs/semantics.md, "Model constraints").
  std::vector<Predicate> constraints;
  std::vector<Property> properties;
  std::vector<CommPredicate> commPredicates;
  Fairness fairness = Fairness::None;
  Predicate termination; // `terminate when`; expr null if absent

  // Helpers.
  std::string principalName(int id) const; // "R0"
  int setOf(int principal) const;          // index of its principal set
  // Whether a value of `t` may hold an `int model lo..hi` (directly, in a
  // component, or in a field of a record it carries).
  bool hasModelRange(const Type &t) const;
  // Whether a role variable or a record holds an `int model lo..hi`.
  bool hasModelRanges() const;
  bool isRoundProgram() const {
    return roles.size() == 1 && roles[0].phase.has_value();
  }
};

} // namespace mommie::ir
