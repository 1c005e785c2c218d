// Expression evaluation, pattern parts, type domains and body execution.
#include "checker/Eval.h"

#include "runtime/wire/Ops.h"

#include <fmt/format.h>

namespace mommie::checker {

std::atomic<bool> evalInterrupt{false};

namespace {
inline void pollInterrupt() {
  if (evalInterrupt.load(std::memory_order_relaxed))
    throw EvalInterrupted{};
}
} // namespace

using ir::ExprKind;
using ir::Op;
using K = Kind;
namespace ops = rt::ops;

std::string locString(const ir::SourceLoc &loc) {
  if (loc.file.empty() && loc.line == 0)
    return "<unknown>";
  return fmt::format("{}:{}:{}", loc.file, loc.line, loc.col);
}

[[noreturn]] static void fail(const ir::SourceLoc &loc,
                              const std::string &msg) {
  throw EvalError(loc, msg);
}

// Applies an operator of the semantics core (runtime/wire/Ops.h): its
// evaluation error becomes the checker's, at `loc`, with the operand it
// names rendered in the language's syntax. The one place where the
// runtime's errors are mapped.
template <class F>
static auto core(const ir::SourceLoc &loc, const Env &env, F &&f)
    -> decltype(f()) {
  try {
    return f();
  } catch (const rt::EvalError &err) {
    if (err.hasOperand)
      fail(loc,
           err.message + ": " + showValue(env.layout.program(), err.operand));
    fail(loc, err.message);
  }
}

static Value allPrincipals(const Layout &layout) {
  return ops::principalRange(0, layout.numPrincipals());
}

// A principal or a set of principals, as a set.
static Value asPrincipalSet(Value v, const ir::SourceLoc &loc) {
  if (v.is(K::Principal))
    return Value::sortedSet({std::move(v)});
  if (!v.is(K::Set))
    fail(loc, "expected a principal or a set of principals");
  return v;
}

static int requireMe(const Env &env, const ir::SourceLoc &loc) {
  if (env.me < 0)
    fail(loc, "ME used outside a role");
  return env.me;
}

bool evalBool(const ir::Expr &e, Env &env) {
  Value v = eval(e, env);
  if (!v.is(K::Bool))
    fail(e.loc, "expected a boolean");
  return v.scalar() != 0;
}

static int64_t evalInt(const ir::Expr &e, Env &env) {
  Value v = eval(e, env);
  if (!v.is(K::Int))
    fail(e.loc, "expected an integer");
  return v.scalar();
}

static Value evalSet(const ir::Expr &e, Env &env) {
  Value v = eval(e, env);
  if (!v.is(K::Set))
    fail(e.loc, "expected a set");
  return v;
}

static bool knownMatch(const ir::Pattern &pat, Env &env,
                       const ir::SourceLoc &loc);

// Evaluates `e` without copying when its value already exists (a slot, a
// state variable, or a part of one); otherwise stores it in `tmp`.
static const Value &evalRef(const ir::Expr &e, Env &env, Value &tmp) {
  switch (e.kind) {
  case ExprKind::Slot:
    if (e.slot < 0 || size_t(e.slot) >= env.slots.size())
      fail(e.loc, "bad slot");
    return env.slots[size_t(e.slot)];
  case ExprKind::StateVar:
    return env.state.vars[size_t(
        env.layout.varIndex(e.role, requireMe(env, e.loc), e.var))];
  case ExprKind::PrincipalSet:
    return env.layout.principalSetValue(e.index);
  case ExprKind::StateVarOf: {
    Value t;
    const Value &p = evalRef(*e.args[0], env, t);
    const auto &role = env.layout.program().roles[e.role];
    if (!p.is(K::Principal) ||
        !env.layout.inSet(role.principalSet, int(p.scalar())))
      fail(e.loc, "principal " + showValue(env.layout.program(), p) +
                      " does not play role " + role.name);
    return env.state
        .vars[size_t(env.layout.varIndex(e.role, int(p.scalar()), e.var))];
  }
  case ExprKind::Field:
  case ExprKind::TupleGet: {
    Value t;
    const Value &r = evalRef(*e.args[0], env, t);
    if (e.index < 0 || (e.kind == ExprKind::Field && !r.is(K::Record)))
      fail(e.loc, e.kind == ExprKind::Field ? "field of a non-record"
                                            : "tuple component out of range");
    const Value &f = core(e.loc, env, [&]() -> const Value & {
      return r.field(size_t(e.index));
    });
    if (&r == &t) {
      tmp = f; // t's elements may be shared: copied, not moved
      return tmp;
    }
    return f;
  }
  case ExprKind::Index: {
    if (e.args[0]->kind == ExprKind::PrincipalSet)
      break;
    Value t, tk;
    const Value &base = evalRef(*e.args[0], env, t);
    const Value &key = evalRef(*e.args[1], env, tk);
    const Value &v = core(e.loc, env, [&]() -> const Value & {
      return ops::indexRef(base, key);
    });
    if (&base == &t) {
      tmp = v; // t's elements may be shared: copied, not moved
      return tmp;
    }
    return v;
  }
  default:
    break;
  }
  tmp = eval(e, env);
  return tmp;
}

static Value evalBinary(const ir::Expr &e, Env &env) {
  Op op = e.op;
  if (op == Op::And)
    return Value::boolean(evalBool(*e.args[0], env) &&
                          evalBool(*e.args[1], env));
  if (op == Op::Or)
    return Value::boolean(evalBool(*e.args[0], env) ||
                          evalBool(*e.args[1], env));
  if (op == Op::Implies)
    return Value::boolean(!evalBool(*e.args[0], env) ||
                          evalBool(*e.args[1], env));
  Value ta, tb;
  const Value &a = evalRef(*e.args[0], env, ta);
  const Value &b = evalRef(*e.args[1], env, tb);
  return core(e.loc, env, [&] {
    switch (op) {
    case Op::Eq:
      return ops::eq(a, b);
    case Op::Ne:
      return ops::ne(a, b);
    case Op::Lt:
      return ops::lt(a, b);
    case Op::Le:
      return ops::le(a, b);
    case Op::Gt:
      return ops::gt(a, b);
    case Op::Ge:
      return ops::ge(a, b);
    case Op::In:
      return ops::in(a, b);
    case Op::NotIn:
      return ops::notIn(a, b);
    case Op::SubsetEq:
      return ops::subsetEq(a, b);
    case Op::Union:
      return ops::setUnion(a, b);
    case Op::Inter:
      return ops::setInter(a, b);
    case Op::Diff:
      return ops::setDiff(a, b);
    case Op::Add:
      return ops::add(a, b);
    case Op::Sub:
      return ops::sub(a, b);
    case Op::Mul:
      return ops::mul(a, b);
    case Op::Div:
      return ops::div(a, b);
    case Op::Mod:
      return ops::mod(a, b);
    default:
      throw rt::EvalError("unknown binary operator");
    }
  });
}

static Value evalBuiltin(const ir::Expr &e, Env &env) {
  using B = ir::Builtin;
  if (e.builtin != B::Correct && e.builtin != B::Crashed) {
    Value t;
    const Value &x = evalRef(*e.args[0], env, t);
    if (e.builtin == B::Append) {
      Value y = eval(*e.args[1], env);
      return core(e.loc, env, [&] { return ops::append(x, y); });
    }
    return core(e.loc, env, [&] {
      switch (e.builtin) {
      case B::Card:
        return ops::card(x);
      case B::Dom:
        return ops::dom(x);
      case B::Len:
        return ops::len(x);
      case B::Head:
        return ops::head(x);
      case B::Tail:
        return ops::tail(x);
      case B::Max:
        return ops::maxOf(x);
      case B::Min:
        return ops::minOf(x);
      case B::Get:
        return ops::get(x);
      case B::IsSome:
        return ops::isSome(x);
      default:
        throw rt::EvalError("unknown builtin");
      }
    });
  }
  switch (e.builtin) {
  case B::Correct: {
    Value s = evalSet(*e.args[0], env);
    if (env.state.byz.empty())
      return s;
    Value::Elems r;
    for (const auto &p : s.elems())
      if (!env.state.isByz(int(p.scalar())))
        r.push_back(p);
    return Value::sortedSet(std::move(r));
  }
  case B::Crashed: {
    Value p = eval(*e.args[0], env);
    return Value::boolean(env.state.isCrashed(int(p.scalar())));
  }
  default:
    break;
  }
  fail(e.loc, "unknown builtin");
}

static Value evalIndex(const ir::Expr &e, Env &env) {
  if (e.args[0]->kind == ExprKind::PrincipalSet) {
    const auto &set = env.layout.program().principalSets[e.args[0]->index];
    int64_t i = evalInt(*e.args[1], env);
    if (i < 0 || i >= set.size)
      fail(e.loc,
           fmt::format("index {} outside principal set {}", i, set.name));
    return Value::principal(set.first + i);
  }
  Value base = eval(*e.args[0], env);
  Value key = eval(*e.args[1], env);
  return core(e.loc, env, [&] { return ops::index(base, key); });
}

Value eval(const ir::Expr &e, Env &env) {
  switch (e.kind) {
  case ExprKind::IntLit:
    return Value::integer(e.intVal);
  case ExprKind::BoolLit:
    return Value::boolean(e.intVal != 0);
  case ExprKind::PrincipalLit:
    return Value::principal(e.intVal);
  case ExprKind::Me:
    return Value::principal(requireMe(env, e.loc));
  case ExprKind::NoneLit:
    return Value::none();
  case ExprKind::Slot:
    if (e.slot < 0 || size_t(e.slot) >= env.slots.size())
      fail(e.loc, "bad slot");
    return env.slots[e.slot];
  case ExprKind::StateVar:
    return env.state
        .vars[env.layout.varIndex(e.role, requireMe(env, e.loc), e.var)];
  case ExprKind::StateVarOf: {
    Value p = eval(*e.args[0], env);
    const auto &role = env.layout.program().roles[e.role];
    if (!p.is(K::Principal) ||
        !env.layout.inSet(role.principalSet, int(p.scalar())))
      fail(e.loc, "principal " + showValue(env.layout.program(), p) +
                      " does not play role " + role.name);
    return env.state.vars[env.layout.varIndex(e.role, int(p.scalar()), e.var)];
  }
  case ExprKind::Field:
  case ExprKind::TupleGet: {
    Value t;
    const Value &v = evalRef(e, env, t);
    if (&v == &t)
      return t;
    return v;
  }
  case ExprKind::Index:
    if (e.args[0]->kind == ExprKind::PrincipalSet)
      return evalIndex(e, env);
    {
      Value t;
      const Value &v = evalRef(e, env, t);
      if (&v == &t)
        return t;
      return v;
    }
  case ExprKind::Call: {
    const auto &fn = env.layout.program().funs[e.index];
    std::vector<Value> frame(fn.slots.size());
    for (size_t i = 0; i < fn.params.size() && i < e.args.size(); ++i)
      frame[fn.params[i]] = eval(*e.args[i], env);
    Env inner{env.layout, env.state, env.me, frame};
    return eval(*fn.body, inner);
  }
  case ExprKind::Builtin:
    return evalBuiltin(e, env);
  case ExprKind::Unary:
    if (e.op == Op::Not)
      return Value::boolean(!evalBool(*e.args[0], env));
    {
      Value x = Value::integer(evalInt(*e.args[0], env));
      return core(e.loc, env, [&] { return ops::neg(x); });
    }
  case ExprKind::Binary:
    return evalBinary(e, env);
  case ExprKind::Ite:
    return evalBool(*e.args[0], env) ? eval(*e.args[1], env)
                                     : eval(*e.args[2], env);
  case ExprKind::SetLit: {
    Value::Elems es;
    es.reserve(e.args.size());
    for (const auto &a : e.args)
      es.push_back(eval(*a, env));
    return Value::set(std::move(es));
  }
  case ExprKind::RangeSet: {
    int64_t lo = evalInt(*e.args[0], env), hi = evalInt(*e.args[1], env);
    if (hi > lo && uint64_t(hi) - uint64_t(lo) >= kMaxRangeSet)
      throw EvalError(e.loc,
                      fmt::format("a range set of more than {} values ({}..{})",
                                  kMaxRangeSet, lo, hi),
                      /*limit=*/true);
    return core(e.loc, env, [&] { return ops::rangeSet(lo, hi); });
  }
  case ExprKind::SetFilter: {
    Value s = evalSet(*e.args[0], env);
    Value::Elems r;
    for (const auto &x : s.elems()) {
      pollInterrupt();
      env.slots[e.slot] = x;
      if (evalBool(*e.args[1], env))
        r.push_back(x);
    }
    return Value::sortedSet(std::move(r));
  }
  case ExprKind::SetMap: {
    Value s = evalSet(*e.args[0], env);
    Value::Elems out;
    for (const auto &x : s.elems()) {
      pollInterrupt();
      env.slots[e.slot] = x;
      if (e.args.size() > 2 && e.args[2] && !evalBool(*e.args[2], env))
        continue;
      out.push_back(eval(*e.args[1], env));
    }
    return Value::set(std::move(out));
  }
  case ExprKind::Forall:
  case ExprKind::Exists: {
    Value t;
    const Value &s = evalRef(*e.args[0], env, t);
    if (!s.is(K::Set))
      fail(e.loc, "expected a set");
    bool all = e.kind == ExprKind::Forall;
    for (const auto &x : s.elems()) {
      pollInterrupt();
      env.slots[e.slot] = x;
      if (evalBool(*e.args[1], env) != all)
        return Value::boolean(!all);
    }
    return Value::boolean(all);
  }
  case ExprKind::MapCons: {
    Value s = evalSet(*e.args[0], env);
    Value::Elems m;
    m.reserve(s.size() * 2);
    for (const auto &x : s.elems()) {
      pollInterrupt();
      env.slots[e.slot] = x;
      Value v = eval(*e.args[1], env);
      m.push_back(x);
      m.push_back(std::move(v));
    }
    return Value::sortedMap(std::move(m)); // keys in the set's order
  }
  case ExprKind::RecordCons:
  case ExprKind::TupleCons:
  case ExprKind::SeqCons: {
    Value::Elems r;
    r.reserve(e.args.size());
    for (const auto &a : e.args)
      r.push_back(eval(*a, env));
    if (e.kind == ExprKind::RecordCons)
      return Value::record(e.index, std::move(r));
    return e.kind == ExprKind::TupleCons ? Value::tuple(std::move(r))
                                         : Value::seq(std::move(r));
  }
  case ExprKind::SomeCons:
    return Value::some(eval(*e.args[0], env));
  case ExprKind::Known:
    return Value::boolean(knownMatch(*e.pattern, env, e.loc));
  case ExprKind::PrincipalSet:
    return env.layout.principalSetValue(e.index);
  case ExprKind::PhaseNo:
    return Value::integer(env.state.phaseNo);
  case ExprKind::RoundNo:
    return Value::integer(env.state.roundNo);
  case ExprKind::Param:
  case ExprKind::ConstRef: // symbolic forms only (ir/ExprKinds.def)
    fail(e.loc, "internal error: a symbolic form evaluated");
  }
  fail(e.loc, "unknown expression kind");
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

bool issuerMatches(const ir::IssuerPattern &ip, const Value &stmt, Env &env) {
  using IK = ir::IssuerPattern::Kind;
  const Value &iss = stmt.elems()[StmtIss];
  switch (ip.kind) {
  case IK::Any:
    return true;
  case IK::Exact: {
    Value v = eval(*ip.expr, env);
    if (v.is(K::Set))
      return v.setContains(iss);
    return v == iss;
  }
  case IK::Bind:
    return ip.set < 0 || env.layout.inSet(ip.set, int(iss.scalar()));
  case IK::Quorum:
    return true;
  }
  return false;
}

bool partyMatches(const ir::PartyPattern &pp, const Value &set, Env &env) {
  using PK = ir::PartyPattern::Kind;
  switch (pp.kind) {
  case PK::Any:
    return true;
  case PK::Contains: {
    Value v = eval(*pp.expr, env);
    if (v.is(K::Set))
      return ops::subsetEq(v, set).isTrue();
    return set.setContains(v);
  }
  case PK::Universal:
    return int(set.size()) == env.layout.numPrincipals();
  }
  return false;
}

bool constraintHolds(const ir::FieldConstraint &c, const Value &msg, Env &env) {
  if (c.field < 0 || size_t(c.field) >= msg.elems().size())
    fail(c.loc, "bad field in constraint");
  const Value &f = msg.elems()[size_t(c.field)];
  Value v = eval(*c.expr, env);
  int cmp = f.compare(v);
  switch (c.op) {
  case Op::Eq:
    return cmp == 0;
  case Op::Ne:
    return cmp != 0;
  case Op::Lt:
    return cmp < 0;
  case Op::Le:
    return cmp <= 0;
  case Op::Gt:
    return cmp > 0;
  case Op::Ge:
    return cmp >= 0;
  default:
    fail(c.loc, "bad constraint operator");
  }
  return false;
}

bool constraintsHold(const ir::Pattern &pat, const Value &msg, Env &env) {
  for (const auto &c : pat.constraints)
    if (!constraintHolds(c, msg, env))
      return false;
  return true;
}

// The statements a pattern is matched against: those ME knows, or in an
// invariant or lemma (no ME) the whole pool.
static const Value &visibleStatements(const ir::Pattern &pat, const Env &env) {
  if (pat.record < 0 || pat.record >= env.layout.numRecords())
    fail(pat.loc, "bad record in pattern");
  if (env.me < 0)
    return env.state.pool[size_t(pat.record)];
  return env.state.known[env.layout.knownIndex(pat.record, env.me)];
}

// Calls fn(statement) for each visible statement a quorum pattern counts:
// its issuer in the quorum's set, its verifier and auditor parts matching.
template <class F>
static void forEachQuorumStatement(const ir::Pattern &pat, Env &env, F &&fn) {
  const Value &known = visibleStatements(pat, env);
  for (const auto &st : known.elems()) {
    const auto &f = st.elems();
    int p = int(f[StmtIss].scalar());
    if (pat.issuer.set >= 0 && !env.layout.inSet(pat.issuer.set, p))
      continue;
    if (!partyMatches(pat.verifier, f[StmtVer], env) ||
        !partyMatches(pat.auditor, f[StmtAud], env))
      continue;
    fn(st);
  }
}

Value quorumIssuers(const ir::Pattern &pat, const Value &msg, Env &env) {
  Value iss = Value::emptySet();
  forEachQuorumStatement(pat, env, [&](const Value &st) {
    if (st.elems()[StmtMsg] == msg)
      iss.setInsert(st.elems()[StmtIss]);
  });
  return iss;
}

Value statementSet(const ir::Pattern &pat, Env &env, Value &issuers) {
  Value pairs = Value::emptySet();
  issuers = Value::emptySet();
  forEachQuorumStatement(pat, env, [&](const Value &st) {
    const auto &f = st.elems();
    if (!constraintsHold(pat, f[StmtMsg], env))
      return;
    pairs.setInsert(Value::tuple({f[StmtIss], f[StmtMsg]}));
    issuers.setInsert(f[StmtIss]);
  });
  return pairs;
}

bool quorumHolds(const ir::Pattern &pat, const Value &issuers, Env &env) {
  int64_t k = evalInt(*pat.issuer.threshold, env);
  int64_t n = int64_t(issuers.size());
  return pat.issuer.exact ? n == k : n >= k;
}

// KNOWN pattern: some statement (or quorum) matches, binding the pattern's
// slots in the current frame.
static bool knownMatch(const ir::Pattern &pat, Env &env,
                       const ir::SourceLoc &) {
  const Value &known = visibleStatements(pat, env);
  if (pat.issuer.kind == ir::IssuerPattern::Kind::Quorum) {
    const Value *prev = nullptr;
    for (const auto &st : known.elems()) {
      const Value &msg = st.elems()[StmtMsg];
      if (prev && *prev == msg)
        continue;
      prev = &msg;
      if (pat.slot >= 0)
        env.slots[pat.slot] = msg;
      Value iss = quorumIssuers(pat, msg, env);
      if (!quorumHolds(pat, iss, env))
        continue;
      if (pat.issuer.slot >= 0)
        env.slots[pat.issuer.slot] = iss;
      if (constraintsHold(pat, msg, env))
        return true;
    }
    return false;
  }
  for (const auto &st : known.elems()) {
    const auto &f = st.elems();
    if (pat.slot >= 0)
      env.slots[pat.slot] = f[StmtMsg];
    if (pat.issuer.kind == ir::IssuerPattern::Kind::Bind &&
        pat.issuer.slot >= 0)
      env.slots[pat.issuer.slot] = f[StmtIss];
    if (issuerMatches(pat.issuer, st, env) &&
        partyMatches(pat.verifier, f[StmtVer], env) &&
        partyMatches(pat.auditor, f[StmtAud], env) &&
        constraintsHold(pat, f[StmtMsg], env))
      return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Type domains and ranges
//===----------------------------------------------------------------------===//

// Every combination of one value per domain, as records of index `record`
// (tuples if -1).
static void product(const std::vector<std::vector<Value>> &doms, int record,
                    std::vector<Value> &out, const ir::SourceLoc &loc) {
  size_t total = 1;
  for (const auto &d : doms) {
    total *= d.size();
    if (total > 5'000'000)
      fail(loc, "type domain too large to enumerate");
  }
  std::vector<size_t> idx(doms.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    Value::Elems v;
    v.reserve(doms.size());
    for (size_t i = 0; i < doms.size(); ++i)
      v.push_back(doms[i][idx[i]]);
    out.push_back(record >= 0 ? Value::record(record, std::move(v))
                              : Value::tuple(std::move(v)));
    for (size_t i = doms.size(); i-- > 0;) {
      if (++idx[i] < doms[i].size())
        break;
      idx[i] = 0;
    }
  }
}

std::vector<Value> typeDomain(const Layout &layout, const ir::Type &t,
                              const ir::SourceLoc &loc) {
  using TK = ir::TypeKind;
  std::vector<Value> out;
  switch (t.kind) {
  case TK::Bool:
    return {Value::boolean(false), Value::boolean(true)};
  case TK::Range:
    if (t.hi - t.lo > 5'000'000)
      fail(loc, "range too large to enumerate");
    for (int64_t i = t.lo; i <= t.hi; ++i)
      out.push_back(Value::integer(i));
    return out;
  case TK::Principal:
    if (t.principalSet >= 0)
      return layout.principalSetValue(t.principalSet).elems();
    return allPrincipals(layout).elems();
  case TK::Record: {
    const auto &rec = layout.program().records[t.record];
    std::vector<std::vector<Value>> doms;
    for (const auto &f : rec.fields)
      doms.push_back(typeDomain(layout, *f.type, loc));
    product(doms, t.record, out, loc);
    return out;
  }
  case TK::Tuple: {
    std::vector<std::vector<Value>> doms;
    for (const auto &a : t.args)
      doms.push_back(typeDomain(layout, *a, loc));
    product(doms, -1, out, loc);
    return out;
  }
  case TK::Option:
    out.push_back(Value::none());
    for (auto &v : typeDomain(layout, *t.args[0], loc))
      out.push_back(Value::some(std::move(v)));
    return out;
  case TK::Set: {
    auto elems = typeDomain(layout, *t.args[0], loc);
    if (elems.size() > 20)
      fail(loc, "powerset domain too large to enumerate");
    for (uint64_t mask = 0; mask < (uint64_t(1) << elems.size()); ++mask) {
      Value::Elems s;
      for (size_t i = 0; i < elems.size(); ++i)
        if (mask >> i & 1)
          s.push_back(elems[i]);
      out.push_back(
          Value::set(std::move(s))); // sorted: a domain of sets is not
    }
    return out;
  }
  case TK::Map: {
    auto keys = typeDomain(layout, *t.args[0], loc);
    auto vals = typeDomain(layout, *t.args[1], loc);
    std::vector<std::vector<Value>> doms(keys.size(), vals);
    std::vector<Value> tuples;
    product(doms, -1, tuples, loc);
    for (auto &tu : tuples) {
      std::vector<std::pair<Value, Value>> m;
      m.reserve(keys.size());
      for (size_t i = 0; i < keys.size(); ++i)
        m.emplace_back(keys[i], tu.elems()[i]);
      out.push_back(Value::map(std::move(m)));
    }
    return out;
  }
  case TK::Int:
  case TK::Seq:
    fail(loc, "cannot enumerate an unbounded type");
  }
  return out;
}

bool conformsTo(const Layout &layout, const Value &v, const ir::Type &t,
                bool modelRanges) {
  using TK = ir::TypeKind;
  switch (t.kind) {
  case TK::Range:
    return v.is(K::Int) && ((t.model && !modelRanges) ||
                            (v.scalar() >= t.lo && v.scalar() <= t.hi));
  case TK::Principal:
    return v.is(K::Principal) &&
           (t.principalSet < 0 ||
            layout.inSet(t.principalSet, int(v.scalar())));
  case TK::Record: {
    if (!v.is(K::Record))
      return false;
    const auto &rec = layout.program().records[t.record];
    for (size_t i = 0; i < rec.fields.size() && i < v.elems().size(); ++i)
      if (!conformsTo(layout, v.elems()[i], *rec.fields[i].type, modelRanges))
        return false;
    return true;
  }
  case TK::Tuple:
    for (size_t i = 0; i < t.args.size() && i < v.elems().size(); ++i)
      if (!conformsTo(layout, v.elems()[i], *t.args[i], modelRanges))
        return false;
    return true;
  case TK::Option:
    return !v.isSome() ||
           conformsTo(layout, v.elems()[0], *t.args[0], modelRanges);
  case TK::Set:
  case TK::Seq:
    for (const auto &e : v.elems())
      if (!conformsTo(layout, e, *t.args[0], modelRanges))
        return false;
    return true;
  case TK::Map:
    for (size_t i = 0; i + 1 < v.elems().size(); i += 2)
      if (!conformsTo(layout, v.elems()[i], *t.args[0], modelRanges) ||
          !conformsTo(layout, v.elems()[i + 1], *t.args[1], modelRanges))
        return false;
    return true;
  default:
    return true;
  }
}

bool withinModelRanges(const Layout &layout, const State &s) {
  for (int v : layout.modelVars()) {
    const auto &slot = layout.varSlots()[size_t(v)];
    const auto &decl =
        layout.program().roles[size_t(slot.role)].vars[size_t(slot.var)];
    if (!conformsTo(layout, s.vars[size_t(v)], *decl.type))
      return false;
  }
  for (int r : layout.modelRecords()) {
    ir::Type rec;
    rec.kind = ir::TypeKind::Record;
    rec.record = r;
    for (const Value &st : s.pool[size_t(r)].elems())
      if (!conformsTo(layout, st.elems()[StmtMsg], rec))
        return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Body execution
//===----------------------------------------------------------------------===//

static void execAssign(const ir::Stmt &s, const Layout &layout, State &next,
                       int role, int me, std::vector<Value> &slots) {
  Env env{layout, next, me, slots};
  Value value = eval(*s.value, env);
  std::vector<ops::PathStep> path;
  path.reserve(s.path.size());
  for (const auto &step : s.path) {
    if (step.kind == ir::LValueStep::Kind::Index)
      path.push_back(ops::PathStep::key_(eval(*step.key, env)));
    else if (step.index < 0)
      fail(s.loc, "bad field or component in assignment");
    else
      path.push_back(ops::PathStep::field_(size_t(step.index)));
  }
  int roleIdx = role;
  if (roleIdx < 0 ||
      size_t(s.var) >= layout.program().roles[roleIdx].vars.size())
    fail(s.loc, "assignment to an unknown variable");
  const auto &decl = layout.program().roles[roleIdx].vars[s.var];
  Value &root = next.vars[layout.varIndex(roleIdx, me, s.var)];
  core(s.loc, env, [&] {
    ops::assignInPlace(root, path.data(), path.size(), std::move(value));
  });
  if (!conformsTo(layout, root, *decl.type, /*modelRanges=*/false))
    fail(s.loc,
         fmt::format("value {} of `{}` at {} is outside its declared range",
                     showValue(layout.program(), root), decl.name,
                     layout.principalName(me)));
}

void execBlock(const ir::Block &body, const Layout &layout, State &next,
               int role, int me, std::vector<Value> &slots,
               std::vector<Published> &published) {
  for (const auto &sp : body) {
    const ir::Stmt &s = *sp;
    Env env{layout, next, me, slots};
    switch (s.kind) {
    case ir::StmtKind::Assign:
      execAssign(s, layout, next, role, me, slots);
      break;
    case ir::StmtKind::Let:
      slots[s.slot] = eval(*s.value, env);
      break;
    case ir::StmtKind::If:
      if (evalBool(*s.cond, env))
        execBlock(s.thenBody, layout, next, role, me, slots, published);
      else
        execBlock(s.elseBody, layout, next, role, me, slots, published);
      break;
    case ir::StmtKind::Publish: {
      Value msg = eval(*s.value, env);
      if (!msg.is(K::Record))
        fail(s.loc, "PUBLISH of a non-record");
      Value ver = asPrincipalSet(eval(*s.verifier, env), s.loc);
      Value aud = Value::emptySet();
      if (s.auditorKind == ir::Stmt::Auditor::Any)
        aud = allPrincipals(layout);
      else if (s.auditorKind == ir::Stmt::Auditor::Expr)
        aud = asPrincipalSet(eval(*s.auditor, env), s.loc);
      int rec = int(msg.scalar());
      published.push_back({rec, makeStatement(me, std::move(ver),
                                              std::move(aud), std::move(msg))});
      break;
    }
    case ir::StmtKind::StartTimer:
    case ir::StmtKind::CancelTimer: {
      if (role < 0)
        fail(s.loc, "timer outside a role");
      next.timers[layout.timerIndex(role, me, s.timer)] =
          s.kind == ir::StmtKind::StartTimer ? 1 : 0;
      break;
    }
    case ir::StmtKind::Skip:
      break;
    }
  }
}

void applyPublishes(const Layout &layout, State &next, int me,
                    const std::vector<Published> &published) {
  for (const auto &p : published) {
    next.pool[p.record].setInsert(p.statement);
    next.known[layout.knownIndex(p.record, me)].setInsert(p.statement);
  }
}

} // namespace mommie::checker
