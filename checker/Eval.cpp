// Expression evaluation, pattern parts, type domains and body execution.
#include "checker/Eval.h"

#include "ir/Arith.h"

#include <fmt/format.h>

namespace mommie::checker {

using ir::ExprKind;
using ir::Op;
using K = Value::Kind;

std::string locString(const ir::SourceLoc &loc) {
  if (loc.file.empty() && loc.line == 0)
    return "<unknown>";
  return fmt::format("{}:{}:{}", loc.file, loc.line, loc.col);
}

[[noreturn]] static void fail(const ir::SourceLoc &loc, const std::string &msg) {
  throw EvalError(loc, msg);
}


static Value principalSetValue(const Layout &layout, int set) {
  const auto &s = layout.program().principalSets[set];
  Value r = Value::emptySet();
  for (int i = 0; i < s.size; ++i)
    r.elems.push_back(Value::principal(s.first + i));
  return r;
}

static Value allPrincipals(const Layout &layout) {
  Value r = Value::emptySet();
  for (int i = 0; i < layout.numPrincipals(); ++i)
    r.elems.push_back(Value::principal(i));
  return r;
}

// A principal or a set of principals, as a set.
static Value asPrincipalSet(Value v, const ir::SourceLoc &loc) {
  if (v.kind == K::Principal) {
    Value s = Value::emptySet();
    s.elems.push_back(std::move(v));
    return s;
  }
  if (v.kind != K::Set)
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
  if (v.kind != K::Bool)
    fail(e.loc, "expected a boolean");
  return v.num != 0;
}

static int64_t evalInt(const ir::Expr &e, Env &env) {
  Value v = eval(e, env);
  if (v.kind != K::Int)
    fail(e.loc, "expected an integer");
  return v.num;
}

static Value evalSet(const ir::Expr &e, Env &env) {
  Value v = eval(e, env);
  if (v.kind != K::Set)
    fail(e.loc, "expected a set");
  return v;
}

static bool knownMatch(const ir::Pattern &pat, Env &env, const ir::SourceLoc &loc);

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
    if (p.kind != K::Principal || !env.layout.inSet(role.principalSet, int(p.num)))
      fail(e.loc, "principal " + showValue(env.layout.program(), p) +
                      " does not play role " + role.name);
    return env.state.vars[size_t(env.layout.varIndex(e.role, int(p.num), e.var))];
  }
  case ExprKind::Field:
  case ExprKind::TupleGet: {
    Value t;
    const Value &r = evalRef(*e.args[0], env, t);
    if (e.index < 0 || size_t(e.index) >= r.elems.size() ||
        (e.kind == ExprKind::Field && r.kind != K::Record))
      fail(e.loc, e.kind == ExprKind::Field ? "field of a non-record"
                                            : "tuple component out of range");
    if (&r == &t) {
      tmp = std::move(t.elems[size_t(e.index)]);
      return tmp;
    }
    return r.elems[size_t(e.index)];
  }
  case ExprKind::Index: {
    if (e.args[0]->kind == ExprKind::PrincipalSet)
      break;
    Value t, tk;
    const Value &base = evalRef(*e.args[0], env, t);
    const Value &key = evalRef(*e.args[1], env, tk);
    const Value *v = nullptr;
    if (base.kind == K::Map) {
      v = base.lookup(key);
      if (!v)
        fail(e.loc, "map lookup outside the domain: " +
                        showValue(env.layout.program(), key));
    } else if (base.kind == K::Seq) {
      if (key.kind != K::Int || key.num < 0 || size_t(key.num) >= base.elems.size())
        fail(e.loc, "sequence index out of range");
      v = &base.elems[size_t(key.num)];
    } else {
      fail(e.loc, "indexing a value that is neither a map nor a sequence");
    }
    if (&base == &t) {
      tmp = std::move(*const_cast<Value *>(v));
      return tmp;
    }
    return *v;
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
    return Value::boolean(evalBool(*e.args[0], env) && evalBool(*e.args[1], env));
  if (op == Op::Or)
    return Value::boolean(evalBool(*e.args[0], env) || evalBool(*e.args[1], env));
  if (op == Op::Implies)
    return Value::boolean(!evalBool(*e.args[0], env) || evalBool(*e.args[1], env));
  Value ta, tb;
  const Value &a = evalRef(*e.args[0], env, ta);
  const Value &b = evalRef(*e.args[1], env, tb);
  switch (op) {
  case Op::Eq:
    return Value::boolean(a == b);
  case Op::Ne:
    return Value::boolean(a != b);
  case Op::Lt:
    return Value::boolean(compare(a, b) < 0);
  case Op::Le:
    return Value::boolean(compare(a, b) <= 0);
  case Op::Gt:
    return Value::boolean(compare(a, b) > 0);
  case Op::Ge:
    return Value::boolean(compare(a, b) >= 0);
  case Op::In:
  case Op::NotIn: {
    bool in = false;
    if (b.kind == K::Set)
      in = b.contains(a);
    else if (b.kind == K::Map)
      in = b.lookup(a) != nullptr;
    else
      fail(e.loc, "`in` needs a set");
    return Value::boolean(op == Op::In ? in : !in);
  }
  case Op::SubsetEq:
    if (a.kind != K::Set || b.kind != K::Set)
      fail(e.loc, "`subseteq` needs sets");
    return Value::boolean(setSubsetEq(a, b));
  case Op::Union:
  case Op::Inter:
  case Op::Diff:
    if (a.kind != K::Set || b.kind != K::Set)
      fail(e.loc, "set operation needs sets");
    return op == Op::Union ? setUnion(a, b)
                           : op == Op::Inter ? setInter(a, b) : setDiff(a, b);
  default:
    break;
  }
  if (a.kind != K::Int || b.kind != K::Int)
    fail(e.loc, "arithmetic needs integers");
  int64_t r = 0;
  if (const char *msg = ir::arithError(op, a.num, b.num, r))
    fail(e.loc, msg);
  return Value::integer(r);
}

static Value evalBuiltin(const ir::Expr &e, Env &env) {
  using B = ir::Builtin;
  switch (e.builtin) {
  case B::Card: {
    Value t;
    const Value &s = evalRef(*e.args[0], env, t);
    if (s.kind != K::Set)
      fail(e.loc, "expected a set");
    return Value::integer(int64_t(s.elems.size()));
  }
  case B::Dom: {
    Value t;
    const Value &m = evalRef(*e.args[0], env, t);
    if (m.kind != K::Map)
      fail(e.loc, "dom of a non-map");
    Value s = Value::emptySet();
    s.elems.reserve(m.elems.size() / 2);
    for (size_t i = 0; i < m.elems.size(); i += 2)
      s.elems.push_back(m.elems[i]);
    return s;
  }
  case B::Len: {
    Value t;
    const Value &s = evalRef(*e.args[0], env, t);
    return Value::integer(int64_t(s.elems.size()));
  }
  case B::Append: {
    Value s = eval(*e.args[0], env);
    s.elems.push_back(eval(*e.args[1], env));
    return s;
  }
  case B::Head: {
    Value s = eval(*e.args[0], env);
    if (s.elems.empty())
      fail(e.loc, "head of an empty sequence");
    return std::move(s.elems[0]);
  }
  case B::Tail: {
    Value s = eval(*e.args[0], env);
    if (s.elems.empty())
      fail(e.loc, "tail of an empty sequence");
    s.elems.erase(s.elems.begin());
    return s;
  }
  case B::Max:
  case B::Min: {
    Value s = evalSet(*e.args[0], env);
    if (s.elems.empty())
      fail(e.loc, e.builtin == B::Max ? "max of an empty set" : "min of an empty set");
    return e.builtin == B::Max ? s.elems.back() : s.elems.front();
  }
  case B::Get: {
    Value t;
    const Value &o = evalRef(*e.args[0], env, t);
    if (o.kind != K::Some)
      fail(e.loc, "get(none)");
    return o.elems[0];
  }
  case B::IsSome: {
    Value t;
    return Value::boolean(evalRef(*e.args[0], env, t).kind == K::Some);
  }
  case B::Correct: {
    Value s = evalSet(*e.args[0], env);
    if (env.state.byz.empty())
      return s;
    Value r = Value::emptySet();
    for (auto &p : s.elems)
      if (!env.state.isByz(int(p.num)))
        r.elems.push_back(std::move(p));
    return r;
  }
  case B::Crashed: {
    Value p = eval(*e.args[0], env);
    return Value::boolean(env.state.isCrashed(int(p.num)));
  }
  }
  fail(e.loc, "unknown builtin");
}

static Value evalIndex(const ir::Expr &e, Env &env) {
  if (e.args[0]->kind == ExprKind::PrincipalSet) {
    const auto &set = env.layout.program().principalSets[e.args[0]->index];
    int64_t i = evalInt(*e.args[1], env);
    if (i < 0 || i >= set.size)
      fail(e.loc, fmt::format("index {} outside principal set {}", i, set.name));
    return Value::principal(set.first + i);
  }
  Value base = eval(*e.args[0], env);
  Value key = eval(*e.args[1], env);
  if (base.kind == K::Map) {
    Value *v = base.lookupMut(key);
    if (!v)
      fail(e.loc, "map lookup outside the domain: " +
                      showValue(env.layout.program(), key));
    return std::move(*v);
  }
  if (base.kind == K::Seq) {
    if (key.kind != K::Int || key.num < 0 || size_t(key.num) >= base.elems.size())
      fail(e.loc, "sequence index out of range");
    return std::move(base.elems[size_t(key.num)]);
  }
  fail(e.loc, "indexing a value that is neither a map nor a sequence");
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
    return env.state.vars[env.layout.varIndex(e.role, requireMe(env, e.loc), e.var)];
  case ExprKind::StateVarOf: {
    Value p = eval(*e.args[0], env);
    const auto &role = env.layout.program().roles[e.role];
    if (p.kind != K::Principal || !env.layout.inSet(role.principalSet, int(p.num)))
      fail(e.loc, "principal " + showValue(env.layout.program(), p) +
                      " does not play role " + role.name);
    return env.state.vars[env.layout.varIndex(e.role, int(p.num), e.var)];
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
      int64_t r = 0;
      if (const char *msg = ir::arithError(Op::Neg, evalInt(*e.args[0], env), 0, r))
        fail(e.loc, msg);
      return Value::integer(r);
    }
  case ExprKind::Binary:
    return evalBinary(e, env);
  case ExprKind::Ite:
    return evalBool(*e.args[0], env) ? eval(*e.args[1], env) : eval(*e.args[2], env);
  case ExprKind::SetLit: {
    std::vector<Value> es;
    es.reserve(e.args.size());
    for (const auto &a : e.args)
      es.push_back(eval(*a, env));
    return Value::setOf(std::move(es));
  }
  case ExprKind::RangeSet: {
    int64_t lo = evalInt(*e.args[0], env), hi = evalInt(*e.args[1], env);
    if (hi > lo && uint64_t(hi) - uint64_t(lo) >= kMaxRangeSet)
      throw EvalError(e.loc,
                      fmt::format("a range set of more than {} values ({}..{})", kMaxRangeSet,
                                  lo, hi),
                      /*limit=*/true);
    Value s = Value::emptySet();
    for (int64_t i = lo; i <= hi; ++i)
      s.elems.push_back(Value::integer(i));
    return s;
  }
  case ExprKind::SetFilter: {
    Value s = evalSet(*e.args[0], env);
    Value r = Value::emptySet();
    for (auto &x : s.elems) {
      env.slots[e.slot] = x;
      if (evalBool(*e.args[1], env))
        r.elems.push_back(std::move(x));
    }
    return r;
  }
  case ExprKind::SetMap: {
    Value s = evalSet(*e.args[0], env);
    std::vector<Value> out;
    for (auto &x : s.elems) {
      env.slots[e.slot] = x;
      if (e.args.size() > 2 && e.args[2] && !evalBool(*e.args[2], env))
        continue;
      out.push_back(eval(*e.args[1], env));
    }
    return Value::setOf(std::move(out));
  }
  case ExprKind::Forall:
  case ExprKind::Exists: {
    Value t;
    const Value &s = evalRef(*e.args[0], env, t);
    if (s.kind != K::Set)
      fail(e.loc, "expected a set");
    bool all = e.kind == ExprKind::Forall;
    for (const auto &x : s.elems) {
      env.slots[e.slot] = x;
      if (evalBool(*e.args[1], env) != all)
        return Value::boolean(!all);
    }
    return Value::boolean(all);
  }
  case ExprKind::MapCons: {
    Value s = evalSet(*e.args[0], env);
    Value m{K::Map, 0, {}};
    m.elems.reserve(s.elems.size() * 2);
    for (auto &x : s.elems) {
      env.slots[e.slot] = x;
      Value v = eval(*e.args[1], env);
      m.elems.push_back(std::move(x));
      m.elems.push_back(std::move(v));
    }
    return m;
  }
  case ExprKind::RecordCons:
  case ExprKind::TupleCons:
  case ExprKind::SeqCons: {
    Value r{e.kind == ExprKind::RecordCons  ? K::Record
            : e.kind == ExprKind::TupleCons ? K::Tuple
                                            : K::Seq,
            e.kind == ExprKind::RecordCons ? e.index : 0,
            {}};
    r.elems.reserve(e.args.size());
    for (const auto &a : e.args)
      r.elems.push_back(eval(*a, env));
    return r;
  }
  case ExprKind::SomeCons:
    return Value::some(eval(*e.args[0], env));
  case ExprKind::Known:
    return Value::boolean(knownMatch(*e.pattern, env, e.loc));
  case ExprKind::PrincipalSet:
    return principalSetValue(env.layout, e.index);
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
  const Value &iss = stmt.elems[StmtIss];
  switch (ip.kind) {
  case IK::Any:
    return true;
  case IK::Exact: {
    Value v = eval(*ip.expr, env);
    if (v.kind == K::Set)
      return v.contains(iss);
    return v == iss;
  }
  case IK::Bind:
    return ip.set < 0 || env.layout.inSet(ip.set, int(iss.num));
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
    if (v.kind == K::Set)
      return setSubsetEq(v, set);
    return set.contains(v);
  }
  case PK::Universal:
    return int(set.elems.size()) == env.layout.numPrincipals();
  }
  return false;
}

bool constraintHolds(const ir::FieldConstraint &c, const Value &msg, Env &env) {
  if (c.field < 0 || size_t(c.field) >= msg.elems.size())
    fail(c.loc, "bad field in constraint");
  const Value &f = msg.elems[c.field];
  Value v = eval(*c.expr, env);
  int cmp = compare(f, v);
  switch (c.op) {
  case Op::Eq: return cmp == 0;
  case Op::Ne: return cmp != 0;
  case Op::Lt: return cmp < 0;
  case Op::Le: return cmp <= 0;
  case Op::Gt: return cmp > 0;
  case Op::Ge: return cmp >= 0;
  default: fail(c.loc, "bad constraint operator");
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
template <class F> static void forEachQuorumStatement(const ir::Pattern &pat, Env &env, F &&fn) {
  const Value &known = visibleStatements(pat, env);
  for (const auto &st : known.elems) {
    int p = int(st.elems[StmtIss].num);
    if (pat.issuer.set >= 0 && !env.layout.inSet(pat.issuer.set, p))
      continue;
    if (!partyMatches(pat.verifier, st.elems[StmtVer], env) ||
        !partyMatches(pat.auditor, st.elems[StmtAud], env))
      continue;
    fn(st);
  }
}

Value quorumIssuers(const ir::Pattern &pat, const Value &msg, Env &env) {
  Value iss = Value::emptySet();
  forEachQuorumStatement(pat, env, [&](const Value &st) {
    if (st.elems[StmtMsg] == msg)
      iss.insert(st.elems[StmtIss]);
  });
  return iss;
}

Value statementSet(const ir::Pattern &pat, Env &env, Value &issuers) {
  Value pairs = Value::emptySet();
  issuers = Value::emptySet();
  forEachQuorumStatement(pat, env, [&](const Value &st) {
    if (!constraintsHold(pat, st.elems[StmtMsg], env))
      return;
    pairs.insert(Value{K::Tuple, 0, {st.elems[StmtIss], st.elems[StmtMsg]}});
    issuers.insert(st.elems[StmtIss]);
  });
  return pairs;
}

bool quorumHolds(const ir::Pattern &pat, const Value &issuers, Env &env) {
  int64_t k = evalInt(*pat.issuer.threshold, env);
  int64_t n = int64_t(issuers.elems.size());
  return pat.issuer.exact ? n == k : n >= k;
}

// KNOWN pattern: some statement (or quorum) matches, binding the pattern's
// slots in the current frame.
static bool knownMatch(const ir::Pattern &pat, Env &env, const ir::SourceLoc &) {
  const Value &known = visibleStatements(pat, env);
  if (pat.issuer.kind == ir::IssuerPattern::Kind::Quorum) {
    const Value *prev = nullptr;
    for (const auto &st : known.elems) {
      const Value &msg = st.elems[StmtMsg];
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
  for (const auto &st : known.elems) {
    if (pat.slot >= 0)
      env.slots[pat.slot] = st.elems[StmtMsg];
    if (pat.issuer.kind == ir::IssuerPattern::Kind::Bind && pat.issuer.slot >= 0)
      env.slots[pat.issuer.slot] = st.elems[StmtIss];
    if (issuerMatches(pat.issuer, st, env) &&
        partyMatches(pat.verifier, st.elems[StmtVer], env) &&
        partyMatches(pat.auditor, st.elems[StmtAud], env) &&
        constraintsHold(pat, st.elems[StmtMsg], env))
      return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Type domains and ranges
//===----------------------------------------------------------------------===//

static void product(const std::vector<std::vector<Value>> &doms, K kind, int64_t num,
                    std::vector<Value> &out, const ir::SourceLoc &loc) {
  size_t total = 1;
  for (const auto &d : doms) {
    total *= d.size();
    if (total > 5'000'000)
      fail(loc, "type domain too large to enumerate");
  }
  std::vector<size_t> idx(doms.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    Value v{kind, num, {}};
    for (size_t i = 0; i < doms.size(); ++i)
      v.elems.push_back(doms[i][idx[i]]);
    out.push_back(std::move(v));
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
      return principalSetValue(layout, t.principalSet).elems;
    return allPrincipals(layout).elems;
  case TK::Record: {
    const auto &rec = layout.program().records[t.record];
    std::vector<std::vector<Value>> doms;
    for (const auto &f : rec.fields)
      doms.push_back(typeDomain(layout, *f.type, loc));
    product(doms, K::Record, t.record, out, loc);
    return out;
  }
  case TK::Tuple: {
    std::vector<std::vector<Value>> doms;
    for (const auto &a : t.args)
      doms.push_back(typeDomain(layout, *a, loc));
    product(doms, K::Tuple, 0, out, loc);
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
      Value s = Value::emptySet();
      for (size_t i = 0; i < elems.size(); ++i)
        if (mask >> i & 1)
          s.elems.push_back(elems[i]);
      out.push_back(std::move(s));
    }
    return out;
  }
  case TK::Map: {
    auto keys = typeDomain(layout, *t.args[0], loc);
    auto vals = typeDomain(layout, *t.args[1], loc);
    std::vector<std::vector<Value>> doms(keys.size(), vals);
    std::vector<Value> tuples;
    product(doms, K::Tuple, 0, tuples, loc);
    for (auto &tu : tuples) {
      Value m{K::Map, 0, {}};
      for (size_t i = 0; i < keys.size(); ++i) {
        m.elems.push_back(keys[i]);
        m.elems.push_back(std::move(tu.elems[i]));
      }
      out.push_back(std::move(m));
    }
    return out;
  }
  case TK::Int:
  case TK::Seq:
    fail(loc, "cannot enumerate an unbounded type");
  }
  return out;
}

bool conformsTo(const Layout &layout, const Value &v, const ir::Type &t, bool modelRanges) {
  using TK = ir::TypeKind;
  switch (t.kind) {
  case TK::Range:
    return v.kind == K::Int && ((t.model && !modelRanges) || (v.num >= t.lo && v.num <= t.hi));
  case TK::Principal:
    return v.kind == K::Principal &&
           (t.principalSet < 0 || layout.inSet(t.principalSet, int(v.num)));
  case TK::Record: {
    if (v.kind != K::Record)
      return false;
    const auto &rec = layout.program().records[t.record];
    for (size_t i = 0; i < rec.fields.size() && i < v.elems.size(); ++i)
      if (!conformsTo(layout, v.elems[i], *rec.fields[i].type, modelRanges))
        return false;
    return true;
  }
  case TK::Tuple:
    for (size_t i = 0; i < t.args.size() && i < v.elems.size(); ++i)
      if (!conformsTo(layout, v.elems[i], *t.args[i], modelRanges))
        return false;
    return true;
  case TK::Option:
    return v.kind != K::Some || conformsTo(layout, v.elems[0], *t.args[0], modelRanges);
  case TK::Set:
  case TK::Seq:
    for (const auto &e : v.elems)
      if (!conformsTo(layout, e, *t.args[0], modelRanges))
        return false;
    return true;
  case TK::Map:
    for (size_t i = 0; i + 1 < v.elems.size(); i += 2)
      if (!conformsTo(layout, v.elems[i], *t.args[0], modelRanges) ||
          !conformsTo(layout, v.elems[i + 1], *t.args[1], modelRanges))
        return false;
    return true;
  default:
    return true;
  }
}

bool withinModelRanges(const Layout &layout, const State &s) {
  for (int v : layout.modelVars()) {
    const auto &slot = layout.varSlots()[size_t(v)];
    const auto &decl = layout.program().roles[size_t(slot.role)].vars[size_t(slot.var)];
    if (!conformsTo(layout, s.vars[size_t(v)], *decl.type))
      return false;
  }
  for (int r : layout.modelRecords()) {
    ir::Type rec;
    rec.kind = ir::TypeKind::Record;
    rec.record = r;
    for (const Value &st : s.pool[size_t(r)].elems)
      if (!conformsTo(layout, st.elems[StmtMsg], rec))
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
  std::vector<Value> keys;
  for (const auto &step : s.path)
    keys.push_back(step.kind == ir::LValueStep::Kind::Index ? eval(*step.key, env)
                                                             : Value());
  int roleIdx = role;
  if (roleIdx < 0 || size_t(s.var) >= layout.program().roles[roleIdx].vars.size())
    fail(s.loc, "assignment to an unknown variable");
  const auto &decl = layout.program().roles[roleIdx].vars[s.var];
  Value &root = next.vars[layout.varIndex(roleIdx, me, s.var)];
  Value *target = &root;
  for (size_t i = 0; i < s.path.size(); ++i) {
    const auto &step = s.path[i];
    if (step.kind == ir::LValueStep::Kind::Index) {
      if (target->kind == K::Map) {
        Value *v = target->lookupMut(keys[i]);
        if (!v)
          fail(s.loc, "map update outside the domain: " +
                          showValue(layout.program(), keys[i]));
        target = v;
      } else if (target->kind == K::Seq) {
        if (keys[i].kind != K::Int || keys[i].num < 0 ||
            size_t(keys[i].num) >= target->elems.size())
          fail(s.loc, "sequence index out of range");
        target = &target->elems[size_t(keys[i].num)];
      } else {
        fail(s.loc, "indexing a value that is neither a map nor a sequence");
      }
    } else {
      if (step.index < 0 || size_t(step.index) >= target->elems.size())
        fail(s.loc, "bad field or component in assignment");
      target = &target->elems[step.index];
    }
  }
  *target = std::move(value);
  if (!conformsTo(layout, root, *decl.type, /*modelRanges=*/false))
    fail(s.loc, fmt::format("value {} of `{}` at {} is outside its declared range",
                            showValue(layout.program(), root), decl.name,
                            layout.principalName(me)));
}

void execBlock(const ir::Block &body, const Layout &layout, State &next, int role,
               int me, std::vector<Value> &slots, std::vector<Published> &published) {
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
      if (msg.kind != K::Record)
        fail(s.loc, "PUBLISH of a non-record");
      Value ver = asPrincipalSet(eval(*s.verifier, env), s.loc);
      Value aud = Value::emptySet();
      if (s.auditorKind == ir::Stmt::Auditor::Any)
        aud = allPrincipals(layout);
      else if (s.auditorKind == ir::Stmt::Auditor::Expr)
        aud = asPrincipalSet(eval(*s.auditor, env), s.loc);
      int rec = int(msg.num);
      published.push_back(
          {rec, makeStatement(me, std::move(ver), std::move(aud), std::move(msg))});
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
    next.pool[p.record].insert(p.statement);
    next.known[layout.knownIndex(p.record, me)].insert(p.statement);
  }
}

} // namespace mommie::checker
