// The expression evaluator and body interpreter of the checker: IR
// expressions over a state and a slot frame, statement patterns against a
// principal's known statements, body statements with sequential semantics.
//
// Evaluation errors (map lookup outside the domain, get(none), ...) are
// thrown as EvalError; the explorer turns them into an error with a trace.
#pragma once

#include "checker/State.h"

#include <atomic>
#include <stdexcept>

namespace mommie::checker {

// The largest range set `lo..hi` the checker expands.
inline constexpr uint64_t kMaxRangeSet = 10'000'000;

class EvalError : public std::runtime_error {
public:
  EvalError(const ir::SourceLoc &loc, const std::string &msg,
            bool limit = false)
      : std::runtime_error(msg), loc(loc), limit(limit) {}
  ir::SourceLoc loc;
  // An implementation limit of the checker met while evaluating (a range
  // set too large to expand), not an error of the program: the search
  // stops with a resource limit (exit 3) that names it.
  bool limit;
};

// What an expression reads: the state, the executing principal (ME, -1 in
// invariants) and the slot frame.
struct Env {
  const Layout &layout;
  const State &state;
  int me;
  std::vector<Value> &slots;
};

// A search whose resource limit passed sets evalInterrupt; the loops of
// eval() (quantifiers, set and map comprehensions) then throw
// EvalInterrupted, so that a limit holds inside one long evaluation too (an
// invariant quantifying twice over 100,000 principals takes hours). Not an
// EvalError: nothing but the search catches it.
struct EvalInterrupted {};
extern std::atomic<bool> evalInterrupt;

Value eval(const ir::Expr &e, Env &env);
bool evalBool(const ir::Expr &e, Env &env);

// All values of a finite type; throws EvalError for unbounded types.
std::vector<Value> typeDomain(const Layout &layout, const ir::Type &t,
                              const ir::SourceLoc &loc);
// Whether `v` lies within the declared ranges of `t`.
// Whether `v` is a value of `t`. With `modelRanges` false an `int model
// lo..hi` admits every integer: a value outside lo..hi is a value of the
// protocol that only puts the state outside the model (withinModelRanges).
bool conformsTo(const Layout &layout, const Value &v, const ir::Type &t,
                bool modelRanges = true);
// Whether every variable and published record of `s` keeps its `int model`
// values in their ranges; a state that does not is outside the model, as if
// a `constraint` failed.
bool withinModelRanges(const Layout &layout, const State &s);

// Pattern parts against one statement (frame slots must be bound).
bool issuerMatches(const ir::IssuerPattern &ip, const Value &stmt, Env &env);
bool partyMatches(const ir::PartyPattern &pp, const Value &set, Env &env);
// One field constraint of a pattern on the record value `msg`.
bool constraintHolds(const ir::FieldConstraint &c, const Value &msg, Env &env);
bool constraintsHold(const ir::Pattern &pat, const Value &msg, Env &env);
// The issuers of known statements of `env.me` carrying `msg` that satisfy
// the quorum pattern's set and verifier / auditor parts.
Value quorumIssuers(const ir::Pattern &pat, const Value &msg, Env &env);
bool quorumHolds(const ir::Pattern &pat, const Value &issuers, Env &env);
// A statement-set pattern (`Record* x`): the (issuer, record) pairs of the
// statements the quorum counts whose records satisfy the field
// constraints; `issuers` receives their issuers.
Value statementSet(const ir::Pattern &pat, Env &env, Value &issuers);

// A statement published by a body.
struct Published {
  int record;
  Value statement;
};

// Runs `body` of role `role` at `me` on `next` (sequential semantics, reading
// the updated vars). Publishes are collected, not applied.
void execBlock(const ir::Block &body, const Layout &layout, State &next,
               int role, int me, std::vector<Value> &slots,
               std::vector<Published> &published);

// Applies collected publishes: pool and the issuer's knowledge.
void applyPublishes(const Layout &layout, State &next, int me,
                    const std::vector<Published> &published);

std::string locString(const ir::SourceLoc &loc);

} // namespace mommie::checker
