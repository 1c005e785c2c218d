// The mommie AST: a syntax-faithful tree of a parsed `.mom` program.
//
// Produced by frontend/Parser (parseProgram), read by Sema, printed back by
// AstPrinter. Nothing here is resolved or type-checked: every name is the
// identifier as written (a variable, a parameter, a const, a principal set,
// a record, a function, a builtin such as `card` or `correct`, a binder,
// `mbox`, `phaseNo`, ...); Sema decides what it denotes.
//
// Conventions
// - Every node has `loc`: file, line and column (1-based) of its first token.
// - Plain structs; children are shared_ptr (Expr, Type, Pattern, Stmt,
//   Temporal) or held by value. Copying a Program is shallow for pointers.
// - Optional children are null pointers (or empty strings / vectors), as
//   documented per field.
// - Top-level declarations are kept in source order in Program::decls (a
//   std::variant per kind) so that Sema can enforce declare-before-use.
#pragma once

#include "ir/IR.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mommie::ast {

using ir::SourceLoc;

struct Expr;
struct Type;
struct Pattern;
struct Stmt;
struct Temporal;
using ExprPtr = std::shared_ptr<Expr>;
using TypePtr = std::shared_ptr<Type>;
using PatternPtr = std::shared_ptr<Pattern>;
using StmtPtr = std::shared_ptr<Stmt>;
using TemporalPtr = std::shared_ptr<Temporal>;
using Block = std::vector<StmtPtr>;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

enum class TypeKind {
  Bool,      // bool
  Int,       // int
  Principal, // principal
  Named,     // name: a record, a principal set or a `type` alias
  Range,     // lo..hi (lo, hi: constant expressions)
  Set,       // set<args[0]>
  Map,       // map<args[0], args[1]>
  Option,    // option<args[0]>
  Seq,       // seq<args[0]>
  Tuple,     // (args[0], args[1], ...), at least two elements
};

struct Type {
  TypeKind kind = TypeKind::Int;
  SourceLoc loc;
  std::string name;          // Named
  ExprPtr lo, hi;            // Range
  bool model = false;        // Range: `int model lo..hi`
  std::vector<TypePtr> args; // Set, Map, Option, Seq, Tuple
};

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

enum class UnOp { Not, Neg }; // ! -

enum class BinOp {
  Implies,  // =>
  Or,       // ||
  And,      // &&
  Eq,       // ==
  Ne,       // !=
  Lt,       // <
  Le,       // <=
  Gt,       // >
  Ge,       // >=
  In,       // in
  NotIn,    // notin
  SubsetEq, // subseteq
  Union,    // union
  Diff,     // \   (set difference)
  Inter,    // inter
  Add,      // +
  Sub,      // -
  Mul,      // *
  Div,      // /
  Mod,      // %
};

// `x in S`: a binder of a quantifier, set filter, set map or map construction.
struct Binder {
  std::string name;
  ExprPtr set;
  SourceLoc loc;
};

// `field: value` in a named record construction `Reply{req: r, res: 3}`.
struct FieldInit {
  std::string name;
  ExprPtr value;
  SourceLoc loc;
};

enum class ExprKind {
  IntLit,      // intVal (non-negative; `-3` is Unary Neg of 3)
  BoolLit,     // boolVal: true / false
  Name,        // name: an identifier as written (see file comment)
  Me,          // ME
  NoneLit,     // none
  Some,        // some(args[0])
  Unary,       // unOp args[0]
  Binary,      // args[0] binOp args[1]
  Ite,         // if args[0] then args[1] else args[2]
  Range,       // args[0]..args[1]  (a set of integers)
  SetLit,      // {args...}  ({} when empty)
  SetFilter,   // { binders[0] | body }          e.g. { x in S | x > 2 }
  SetMap,      // { body : binders[0] [| cond] }  e.g. { f(x) : x in S | p }
  MapCons,     // [binders[0] |-> body]           e.g. [i in 0..3 |-> none]
  Forall,      // forall binders...: body        (one or more binders)
  Exists,      // exists binders...: body
  Call,        // name(args...): a function call, a builtin (card, dom,
               // len, append, head, tail, max, min, get, isSome, correct,
               // crashed) or a positional record construction Reply(a, b);
               // Sema decides which
  RecordNamed, // name{fields...}: named record construction Reply{req: r}
  Field,       // args[0].name         (record field; also Role.x)
  TupleGet,    // args[0].intVal       (tuple component, 0-based: t.0)
  Index,       // args[0][args[1]]     (map lookup, seq index, R[0], x[p])
  Tuple,       // (args...), at least two elements
  SeqLit,      // <<args...>>  (<<>> when empty)
  Known,       // KNOWN pattern
  // Temporal operators. The expression grammar accepts them, but in a
  // Program returned by parseProgram they occur nowhere: property formulas
  // are converted to Temporal trees and any other use is a syntax error.
  Always,     // [] args[0]
  Eventually, // <> args[0]
  LeadsTo,    // args[0] ~> args[1]
};

struct Expr {
  ExprKind kind = ExprKind::IntLit;
  SourceLoc loc;
  int64_t intVal = 0;   // IntLit, TupleGet
  bool boolVal = false; // BoolLit
  std::string name;     // Name, Call, RecordNamed, Field
  UnOp unOp = UnOp::Not;
  BinOp binOp = BinOp::Add;
  std::vector<ExprPtr> args; // see ExprKind
  std::vector<Binder>
      binders;  // SetFilter, SetMap, MapCons (one); Forall, Exists (1+)
  ExprPtr body; // SetFilter predicate, SetMap element,
                // MapCons value, quantifier body
  ExprPtr cond; // SetMap optional filter (may be null)
  std::vector<FieldInit> fields; // RecordNamed
  PatternPtr pattern;            // Known
};

//===----------------------------------------------------------------------===//
// Statement patterns  `[issuer, verifier, auditor] Record binder {{ ... }}`
//===----------------------------------------------------------------------===//

struct IssuerPattern {
  enum class Kind {
    Underscore, // _
    Any,        // ANY
    BindIn,     // binder in set            `x in R`
    BindOne,    // binder set == 1          the paper's `c C == 1` (same meaning
                //                          as BindIn); exactly the literal 1
    Quorum,     // [binder] set >= threshold, or [binder] set == threshold
                // (`R >= 2*F+1`, `S R >= 3`, `R == 4`); binder may be empty;
                // when present it names the set of issuers
    Expr,       // expr: a given principal (PRIMARY, ME, a bound variable)
  };
  Kind kind = Kind::Underscore;
  SourceLoc loc;
  std::string binder; // BindIn, BindOne, Quorum (optional: empty)
  std::string set;    // BindIn, BindOne, Quorum: a principal set name
  bool exact = false; // Quorum: `==` rather than `>=`
  ExprPtr threshold;  // Quorum
  ExprPtr expr;       // Expr
};

// The verifier or auditor part of a pattern, and the auditor of PUBLISH.
struct PartyPattern {
  enum class Kind {
    Underscore, // _
    Any,        // ANY
    Noone,      // NOONE
    Expr,       // expr (a principal; for PUBLISH also a set of principals)
  };
  Kind kind = Kind::Underscore;
  SourceLoc loc;
  ExprPtr expr; // Expr
};

// `field op expr;` inside `{{ ... }}`; op is one of Eq Ne Lt Le Gt Ge.
struct FieldConstraint {
  std::string field;
  BinOp op = BinOp::Eq;
  ExprPtr expr;
  SourceLoc loc;
};

struct Pattern {
  SourceLoc loc; // the '['
  IssuerPattern issuer;
  PartyPattern verifier;
  PartyPattern auditor;
  std::string record;             // record name
  std::string binder;             // variable bound to the matched record value
  SourceLoc recordLoc, binderLoc; // of the two names (diagnostics)
  bool statementSet = false; // `Record* x`: x binds every matching statement
  std::vector<FieldConstraint> constraints; // empty if no `{{ }}`
};

//===----------------------------------------------------------------------===//
// Statements (body specs `@@{ ... @@}`, round `update { ... }`)
//===----------------------------------------------------------------------===//

// One step of an assignment target after its root variable.
struct LValueStep {
  enum class Kind { Index, Field, TupleGet } kind = Kind::Index;
  SourceLoc loc;
  ExprPtr key;       // Index: `[key]`
  std::string field; // Field: `.field`
  int64_t index = 0; // TupleGet: `.0`
};

enum class StmtKind {
  Assign,     // name path... <- value;
  TypedLocal, // type name <- value;          (the paper's `Result res <- e;`)
  Let,        // let name = value;
  If,         // if cond { thenBody } [else { elseBody }]
              // (`else if` is an elseBody holding exactly one If statement)
  Publish,    // PUBLISH [issuer, verifier, auditor] value [PROGRESS progress];
  Start,      // start name;   (a timer)
  Cancel,     // cancel name;  (a timer)
  Skip,       // skip;
};

struct Stmt {
  StmtKind kind = StmtKind::Skip;
  SourceLoc loc;
  std::string name;             // Assign: root variable; TypedLocal, Let:
                                // the local; Start, Cancel: the timer
  std::vector<LValueStep> path; // Assign
  TypePtr type;                 // TypedLocal
  ExprPtr value;                // Assign, TypedLocal, Let; Publish: the
                                // record construction (Call or RecordNamed)
  ExprPtr cond;                 // If
  Block thenBody, elseBody;     // If
  bool hasElse = false;         // If: an `else` was written
  ExprPtr issuer;               // Publish: as written (the grammar wants ME)
  ExprPtr verifier;             // Publish: principal or set of principals
  PartyPattern auditor;         // Publish: NOONE, ANY or expr (`_` is
                                // accepted by the grammar, Sema rejects it)
  PatternPtr progress;          // Publish: PROGRESS pattern, or null
};

//===----------------------------------------------------------------------===//
// Temporal formulas (properties)
//===----------------------------------------------------------------------===//

struct Temporal {
  enum class Kind {
    State,      // state: a state predicate (no temporal operator inside)
    Always,     // [] args[0]
    Eventually, // <> args[0]
    LeadsTo,    // args[0] ~> args[1]
    And,        // args[0] && args[1]   (only when an operand is temporal;
    Or,         // args[0] || args[1]    otherwise the whole thing is one
    Not,        // ! args[0]             State predicate)
    Implies,    // args[0] => args[1]
  };
  Kind kind = Kind::State;
  SourceLoc loc;
  ExprPtr state;                 // State
  std::vector<TemporalPtr> args; // the others
};

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

// `name: type` (record fields, function and transition parameters).
struct TypedName {
  std::string name;
  TypePtr type;
  SourceLoc loc;
};

// A duration literal as written: `50ms`, `2s`.
struct Duration {
  enum class Unit { Ms, S } unit = Unit::Ms;
  int64_t value = 0;
  SourceLoc loc;
  int64_t millis() const { return unit == Unit::S ? value * 1000 : value; }
};

struct ParamDecl { // param F = 1;
  std::string name;
  ExprPtr value;
  SourceLoc loc;
};

struct AssumeDecl { // assume N > 3 * F;
  ExprPtr expr;
  SourceLoc loc;
};

struct PrincipalsDecl { // principals R[3*F+1];
  std::string name;
  ExprPtr size;
  SourceLoc loc;
};

struct ConstDecl { // const PRIMARY = R[0];
  std::string name;
  ExprPtr value;
  SourceLoc loc;
};

struct RecordDecl { // record Request { client: C, op: 0..3 }
  std::string name;
  std::vector<TypedName> fields;
  SourceLoc loc;
};

struct TypeAliasDecl { // type Result = 0..7;
  std::string name;
  TypePtr type;
  SourceLoc loc;
};

struct FunDecl { // fun execute(r: Request): Result = r.op * 2 % 8;
  std::string name;
  std::vector<TypedName> params;
  TypePtr result;
  ExprPtr body;
  SourceLoc loc;
};

// var name: type [= init | in initSet];
struct VarDecl {
  std::string name;
  TypePtr type;
  ExprPtr init;    // `= e`, or null
  ExprPtr initSet; // `in S`, or null (at most one of init/initSet is set)
  SourceLoc loc;
  bool ghost = false;   // `ghost var`
  bool durable = false; // `durable var`
};

struct TimerDecl { // timer suspect = 50ms;
  std::string name;
  Duration duration;
  SourceLoc loc;
};

// WHEN / ANDWHEN trigger: a pattern or `AFTER timeout(timer)`.
struct Trigger {
  enum class Kind { Pattern, Timeout } kind = Kind::Pattern;
  PatternPtr pattern; // Pattern
  std::string timer;  // Timeout
  SourceLoc loc;      // the pattern's '[' or the AFTER keyword
};

struct TransitionDecl {
  std::string name;
  std::vector<TypedName> params; // transition Name(i: 0..3, p: R)
  std::vector<Trigger> triggers; // [0] after WHEN, then each ANDWHEN
  ExprPtr guard;                 // IF expr, or null
  std::string bodyProgram;       // program NAME, or empty
  Block body;                    // @@{ ... @@}
  SourceLoc loc;
};

// retire PATTERN [IF cond];  a statement of ME's pool that matches the
// pattern and satisfies cond may be collected (docs/language.md,
// "Retiring statements").
struct RetireDecl {
  PatternPtr pattern;
  ExprPtr cond; // IF expr, or null
  SourceLoc loc;
};

struct ProgressCond {
  enum class Kind { Timeout, WaitMessages, GoAhead, CatchUp, Sync };
  Kind kind = Kind::Timeout;
  Duration timeout; // Timeout: timeout(100ms)
  ExprPtr expr;     // GoAhead: `goAhead when expr`; Sync: `sync(expr)`
  SourceLoc loc;
};

struct SendClause { // send payload to dest [if cond];
  ExprPtr payload;
  ExprPtr dest;
  ExprPtr cond; // or null
  SourceLoc loc;
};

// round Name : Payload { [progress p, ...;] send...; [update { ... }] }
struct RoundDecl {
  std::string name;
  TypePtr payload;
  std::vector<ProgressCond> progress;
  std::vector<SendClause> sends;
  Block update;
  bool hasUpdate = false;
  SourceLoc loc;
};

struct PhaseDecl { // phase bound K { round ... }
  ExprPtr bound;
  std::vector<RoundDecl> rounds;
  SourceLoc loc;
};

struct RoleDecl { // role Replica at R { ... }
  std::string name;
  std::string set; // the principal set after `at`
  // Members, each kind in source order (the grammar allows any
  // interleaving; compare locs to recover the global order).
  std::vector<VarDecl> vars;
  std::vector<TimerDecl> timers;
  std::vector<TransitionDecl> transitions;
  std::vector<RetireDecl> retires;
  std::vector<PhaseDecl> phases; // language: at most one (Sema checks)
  SourceLoc loc;
};

struct FaultsDecl { // faults R: crash <= F;   (or recover, byzantine)
  enum class Kind { Crash, Recover, Byzantine } kind = Kind::Crash;
  std::string set;
  ExprPtr max;
  SourceLoc loc;
};

struct InvariantDecl { // invariant Name: expr;   lemma Name: expr;
  std::string name;
  ExprPtr expr;
  bool lemma = false;
  SourceLoc loc;
};

struct ConstraintDecl { // constraint expr;   constraint Name: expr;
  std::string name;     // empty when unnamed
  ExprPtr expr;
  SourceLoc loc;
};

struct PropertyDecl { // property Name: temporal;
  std::string name;
  TemporalPtr formula;
  SourceLoc loc;
};

struct FairnessDecl { // fairness weak;  fairness strong;
  enum class Kind { Weak, Strong } kind = Kind::Weak;
  SourceLoc loc;
};

struct CommunicationDecl { // communication Name: round R: expr;
  std::string name;
  std::string round;
  ExprPtr expr;
  SourceLoc loc;
};

struct TerminateDecl { // terminate when expr;
  ExprPtr expr;
  SourceLoc loc;
};

using Decl =
    std::variant<ParamDecl, AssumeDecl, PrincipalsDecl, ConstDecl, RecordDecl,
                 TypeAliasDecl, FunDecl, RoleDecl, FaultsDecl, InvariantDecl,
                 ConstraintDecl, PropertyDecl, FairnessDecl, CommunicationDecl,
                 TerminateDecl>;

struct Program {
  std::string name; // protocol Name;
  std::string file;
  SourceLoc loc;
  std::vector<Decl> decls; // source order

  // The declarations of one kind, in source order.
  template <class T> std::vector<const T *> all() const {
    std::vector<const T *> out;
    for (const Decl &d : decls)
      if (const T *p = std::get_if<T>(&d))
        out.push_back(p);
    return out;
  }
};

// The source location of any declaration.
inline const SourceLoc &declLoc(const Decl &d) {
  return std::visit([](const auto &x) -> const SourceLoc & { return x.loc; },
                    d);
}

} // namespace mommie::ast
