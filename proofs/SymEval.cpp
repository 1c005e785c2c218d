// Symbolic evaluation of expressions and statements (see SymEval.h).
#include "proofs/SymEval.h"

#include "runtime/wire/Arith.h"

#include <fmt/format.h>

namespace mommie::proofs {

using ir::Expr;
using ir::ExprKind;
using ir::Op;
using ir::Type;
using ir::TypeKind;

SVal Evaluator::principalSetOf(int set) {
  const auto &ps = prog.principalSets.at(set);
  SVal r;
  r.kind = SVal::Kind::Set;
  for (int p = ps.first; p < ps.first + ps.size; ++p) {
    r.guards.push_back(s.boolConst(true));
    r.items.push_back(SVal::scalar(s.intConst(p)));
  }
  return r;
}

SVal Evaluator::asPrincipalSet(const Expr &e) {
  SVal v = eval(e);
  if (v.kind == SVal::Kind::Set)
    return v;
  SVal r;
  r.kind = SVal::Kind::Set;
  r.guards.push_back(s.boolConst(true));
  r.items.push_back(v);
  return r;
}

SVal Evaluator::stateVarOf(int role, int var, Term principal) {
  const auto &ro = prog.roles.at(role);
  const auto &ps = prog.principalSets.at(ro.principalSet);
  if (me >= 0 && role == localRole && principal->kind == TermKind::IntConst &&
      principal->val == me)
    return local.at(var);
  const auto &vals = state.vars.at(role).at(var);
  if (principal->kind == TermKind::IntConst) {
    int64_t i = principal->val - ps.first;
    if (i >= 0 && i < ps.size)
      return vals[i];
  }
  // Symbolic principal: select among the role's principals (outside the
  // set the value is unspecified; we pick the last one).
  SVal r = vals.back();
  for (int i = ps.size - 1; i-- > 0;)
    r = ops.ite(s.mkEq(principal, s.intConst(ps.first + i)), vals[i], r);
  return r;
}

static const Type &typeOf(const Expr &e) {
  if (!e.type)
    throw Unsupported("untyped expression in the IR");
  return *e.type;
}

// Evaluates a scope under `cond_ && c` (`exec` replaces it with a
// statement's path condition, which already includes the enclosing ones).
struct Evaluator::Under {
  Evaluator &ev;
  Term saved;
  Under(Evaluator &ev, Term c, bool replace = false) : ev(ev), saved(ev.cond_) {
    ev.cond_ = replace ? c : ev.s.mkAnd(saved, c);
  }
  ~Under() { ev.cond_ = saved; }
};

SVal Evaluator::arithmetic(const Expr &e, Term a, Term b) {
  using rt::arith::Op;
  auto within = [&](Term r) {
    return s.mkAnd(s.mkLe(s.intConst(rt::arith::kMin), r),
                   s.mkLe(r, s.intConst(rt::arith::kMax)));
  };
  Term r, ok;
  Op op;
  switch (e.op) {
  case ir::Op::Add:
    op = Op::Add;
    r = s.mkAdd(a, b);
    ok = within(r);
    break;
  case ir::Op::Sub:
    op = Op::Sub;
    r = s.mkSub(a, b);
    ok = within(r);
    break;
  case ir::Op::Mul:
    op = Op::Mul;
    r = s.mkMul(a, b);
    ok = within(r);
    break;
  case ir::Op::Neg:
    op = Op::Neg;
    r = s.mkNeg(a);
    ok = within(r);
    break;
  case ir::Op::Div:
    op = Op::Div;
    r = s.mkDiv(a, b);
    ok = s.mkLt(s.intConst(0), b);
    break;
  case ir::Op::Mod:
    op = Op::Mod;
    r = s.mkMod(a, b);
    ok = s.mkLt(s.intConst(0), b);
    break;
  default:
    throw Unsupported("an arithmetic operator the encoding does not know");
  }
  if (!s.isTrue(ok))
    arith.push_back({cond_, ok,
                     fmt::format("{}:{}:{}: {}", e.loc.file, e.loc.line,
                                 e.loc.col, rt::arith::errorMessage(op))});
  return SVal::scalar(r);
}

// `exists` stops at its first witness and `forall` at its first
// counterexample, in the order of the set, as the checker (and TLC, and a
// node) evaluates them: the body of an element is evaluated only when no
// element before it decides. So an ArithOK entry of element i's body holds
// under the further condition that no earlier element decides. `decides`
// pairs an element's index in `set.items` with its deciding condition;
// `bodyArith` gives the range of `arith` its body added. The order is the
// values' (integers, principals, booleans), else the order of the items,
// which is the values' when they are constants in order (ranges).
void Evaluator::shortCircuit(
    const SVal &set, const ir::Type &elem,
    const std::vector<std::pair<size_t, Term>> &decides,
    const std::vector<std::pair<size_t, size_t>> &bodyArith) {
  bool ordered = elem.kind == TypeKind::Int || elem.kind == TypeKind::Range ||
                 elem.kind == TypeKind::Principal;
  auto before = [&](const SVal &x, const SVal &y, bool indexBefore) {
    if (ordered)
      return s.mkLt(x.t, y.t);
    if (elem.kind == TypeKind::Bool)
      return s.mkAnd(s.mkNot(x.t), y.t);
    return s.boolConst(indexBefore);
  };
  for (size_t k = 0; k < decides.size(); ++k) {
    if (bodyArith[k].first == bodyArith[k].second)
      continue;
    size_t i = decides[k].first;
    std::vector<Term> earlier;
    for (size_t l = 0; l < decides.size(); ++l) {
      size_t j = decides[l].first;
      if (l == k)
        continue;
      Term b = before(set.items[j], set.items[i], j < i);
      if (!s.isFalse(b))
        earlier.push_back(s.mkAnd(decides[l].second, b));
    }
    if (earlier.empty())
      continue;
    Term reached = s.mkNot(s.mkOr(earlier));
    for (size_t a = bodyArith[k].first; a < bodyArith[k].second; ++a)
      arith[a].cond = s.mkAnd(arith[a].cond, reached);
  }
}

SVal Evaluator::eval(const Expr &e) {
  switch (e.kind) {
  case ExprKind::IntLit:
    return SVal::scalar(s.intConst(e.intVal));
  case ExprKind::BoolLit:
    return SVal::scalar(s.boolConst(e.intVal != 0));
  case ExprKind::PrincipalLit:
    return SVal::scalar(s.intConst(e.intVal));
  case ExprKind::Me:
    if (me < 0)
      throw Unsupported("ME outside a transition or round");
    return SVal::scalar(s.intConst(me));
  case ExprKind::NoneLit:
    return ops.defaultValue(typeOf(e));
  case ExprKind::Slot:
    if (e.slot < 0 || e.slot >= static_cast<int>(slots.size()) ||
        !slots[e.slot])
      throw Unsupported("read of an unbound local slot");
    return *slots[e.slot];
  case ExprKind::StateVar:
    if (me < 0)
      throw Unsupported("role variable without a principal");
    return stateVarOf(e.role, e.var, s.intConst(me));
  case ExprKind::StateVarOf:
    return stateVarOf(e.role, e.var, eval(*e.args.at(0)).t);
  case ExprKind::Field:
  case ExprKind::TupleGet:
    return eval(*e.args.at(0)).elems.at(e.index);
  case ExprKind::Index: {
    if (e.args.at(0)->kind == ExprKind::PrincipalSet) {
      // P[i]: the i-th member (outside 0..size-1 an evaluation error, which
      // proofs do not cover; the term is then simply first + i).
      const auto &ps = prog.principalSets.at(e.args[0]->index);
      return SVal::scalar(s.mkAdd(s.intConst(ps.first), eval(*e.args.at(1)).t));
    }
    const Type &ct = typeOf(*e.args.at(0));
    if (ct.kind == TypeKind::Seq)
      return ops.at(*ct.args.at(0), eval(*e.args[0]), eval(*e.args.at(1)).t);
    if (ct.kind != TypeKind::Map)
      throw Unsupported("indexing a tuple by a computed index");
    SVal m = eval(*e.args[0]);
    return ops.lookup(m, eval(*e.args.at(1)), *ct.args.at(1));
  }
  case ExprKind::Call: {
    const auto &fn = prog.funs.at(e.index);
    Evaluator callee(ops, state, me, fn.slots.size());
    callee.localRole = localRole;
    callee.local = local;
    callee.known = known;
    callee.cond_ = cond_;
    for (size_t i = 0; i < fn.params.size() && i < e.args.size(); ++i)
      callee.slots.at(fn.params[i]) = eval(*e.args[i]);
    SVal r = callee.eval(*fn.body);
    arith.insert(arith.end(), callee.arith.begin(), callee.arith.end());
    beyondSeqBound.insert(beyondSeqBound.end(), callee.beyondSeqBound.begin(),
                          callee.beyondSeqBound.end());
    return r;
  }
  case ExprKind::Builtin:
    return evalBuiltin(e);
  case ExprKind::Unary: {
    SVal a = eval(*e.args.at(0));
    if (e.op == Op::Not)
      return SVal::scalar(s.mkNot(a.t));
    return arithmetic(e, a.t, nullptr);
  }
  case ExprKind::Binary:
    return evalBinary(e);
  case ExprKind::Ite: {
    Term c = evalBool(*e.args.at(0));
    if (s.isTrue(c))
      return eval(*e.args.at(1));
    if (s.isFalse(c))
      return eval(*e.args.at(2));
    SVal t, f;
    {
      Under then(*this, c);
      t = eval(*e.args[1]);
    }
    {
      Under otherwise(*this, s.mkNot(c));
      f = eval(*e.args[2]);
    }
    return ops.ite(c, t, f);
  }
  case ExprKind::SetLit: {
    SVal r;
    r.kind = SVal::Kind::Set;
    for (const auto &a : e.args) {
      r.guards.push_back(s.boolConst(true));
      r.items.push_back(eval(*a));
    }
    return r;
  }
  case ExprKind::RangeSet: {
    Term lo = eval(*e.args.at(0)).t, hi = eval(*e.args.at(1)).t;
    if (lo->kind != TermKind::IntConst || hi->kind != TermKind::IntConst)
      throw Unsupported("a range with non-constant bounds");
    if (hi->val - lo->val > 4096)
      throw Unsupported("range too large to expand");
    SVal r;
    r.kind = SVal::Kind::Set;
    for (int64_t v = lo->val; v <= hi->val; ++v) {
      r.guards.push_back(s.boolConst(true));
      r.items.push_back(SVal::scalar(s.intConst(v)));
    }
    return r;
  }
  case ExprKind::SetFilter:
  case ExprKind::SetMap:
  case ExprKind::Forall:
  case ExprKind::Exists:
  case ExprKind::MapCons: {
    SVal src = eval(*e.args.at(0));
    if (src.kind != SVal::Kind::Set)
      throw Unsupported("a binder over a non-set");
    auto saved = slots.at(e.slot);
    SVal r;
    r.kind = e.kind == ExprKind::MapCons ? SVal::Kind::Map : SVal::Kind::Set;
    std::vector<Term> parts;
    bool quantifier = e.kind == ExprKind::Forall || e.kind == ExprKind::Exists;
    // Per element of a quantifier: whether it decides the result (a witness
    // of `exists`, a counterexample of `forall`), and the ArithOK entries
    // its body added (see below).
    std::vector<std::pair<size_t, Term>> decides;
    std::vector<std::pair<size_t, size_t>> bodyArith;
    for (size_t i = 0; i < src.items.size(); ++i) {
      if (s.isFalse(src.guards[i]))
        continue;
      slots[e.slot] = src.items[i];
      Term g = src.guards[i];
      Under member(*this, g);
      size_t arithBefore = arith.size();
      switch (e.kind) {
      case ExprKind::SetFilter:
        r.guards.push_back(s.mkAnd(g, evalBool(*e.args.at(1))));
        r.items.push_back(src.items[i]);
        break;
      case ExprKind::SetMap: {
        Term c = e.args.size() > 2 && e.args[2] ? evalBool(*e.args[2])
                                                : s.boolConst(true);
        r.guards.push_back(s.mkAnd(g, c));
        Under selected(*this, c);
        r.items.push_back(eval(*e.args.at(1)));
        break;
      }
      case ExprKind::Forall: {
        Term body = evalBool(*e.args.at(1));
        parts.push_back(s.mkImplies(g, body));
        decides.emplace_back(i, s.mkAnd(g, s.mkNot(body)));
        break;
      }
      case ExprKind::Exists: {
        Term body = evalBool(*e.args.at(1));
        parts.push_back(s.mkAnd(g, body));
        decides.emplace_back(i, parts.back());
        break;
      }
      default: // MapCons
        r.guards.push_back(g);
        r.items.push_back(src.items[i]);
        r.vals.push_back(eval(*e.args.at(1)));
        break;
      }
      if (quantifier)
        bodyArith.emplace_back(arithBefore, arith.size());
    }
    if (quantifier)
      shortCircuit(src, *typeOf(*e.args.at(0)).args.at(0), decides, bodyArith);
    slots[e.slot] = saved;
    if (e.kind == ExprKind::Forall)
      return SVal::scalar(s.mkAnd(parts));
    if (e.kind == ExprKind::Exists)
      return SVal::scalar(s.mkOr(parts));
    return r;
  }
  case ExprKind::RecordCons:
  case ExprKind::TupleCons: {
    SVal r;
    r.kind = SVal::Kind::Tuple;
    for (const auto &a : e.args)
      r.elems.push_back(eval(*a));
    return r;
  }
  case ExprKind::SeqCons: {
    std::vector<SVal> elems;
    for (const auto &a : e.args)
      elems.push_back(eval(*a));
    return ops.seqOf(*typeOf(e).args.at(0), elems);
  }
  case ExprKind::SomeCons: {
    SVal r;
    r.kind = SVal::Kind::Option;
    r.t = s.boolConst(true);
    r.elems.push_back(eval(*e.args.at(0)));
    return r;
  }
  case ExprKind::Known:
    if (!known || !e.pattern)
      throw Unsupported("KNOWN outside an event-driven transition");
    return SVal::scalar(known(*e.pattern, slots, *this));
  case ExprKind::PrincipalSet:
    return principalSetOf(e.index);
  case ExprKind::PhaseNo:
    if (!state.phaseNo)
      throw Unsupported("phaseNo outside a round program");
    return SVal::scalar(state.phaseNo);
  case ExprKind::RoundNo:
    if (!state.roundNo)
      throw Unsupported("roundNo outside a round program");
    return SVal::scalar(state.roundNo);
  case ExprKind::Param:
  case ExprKind::ConstRef:
    // Symbolic forms are read by SymbolicParams, never evaluated here.
    throw Unsupported(
        "internal error: a symbolic form in an evaluated position");
  }
  throw Unsupported("unknown expression kind");
}

SVal Evaluator::evalBuiltin(const Expr &e) {
  auto arg = [&](size_t i) { return eval(*e.args.at(i)); };
  switch (e.builtin) {
  case ir::Builtin::Card:
    return SVal::scalar(ops.card(arg(0)));
  case ir::Builtin::Dom:
    return ops.dom(arg(0));
  case ir::Builtin::Max:
  case ir::Builtin::Min: {
    SVal set = arg(0);
    bool isMax = e.builtin == ir::Builtin::Max;
    Term acc = s.intConst(0); // empty set: unspecified, we use 0
    Term any = s.boolConst(false);
    for (size_t i = 0; i < set.items.size(); ++i) {
      Term x = set.items[i].t;
      Term better = isMax ? s.mkLt(acc, x) : s.mkLt(x, acc);
      acc =
          s.mkIte(s.mkAnd(set.guards[i], s.mkOr(s.mkNot(any), better)), x, acc);
      any = s.mkOr(any, set.guards[i]);
    }
    return SVal::scalar(acc);
  }
  case ir::Builtin::Get:
    return arg(0).elems.at(0);
  case ir::Builtin::IsSome:
    return SVal::scalar(arg(0).t);
  case ir::Builtin::Correct: {
    SVal set = arg(0);
    for (size_t i = 0; i < set.items.size(); ++i) {
      Term p = set.items[i].t;
      if (p->kind == TermKind::IntConst &&
          p->val < static_cast<int64_t>(state.byz.size()))
        set.guards[i] = s.mkAnd(set.guards[i], s.mkNot(state.byz[p->val]));
      else
        throw Unsupported("correct() of a non-constant set");
    }
    return set;
  }
  case ir::Builtin::Crashed: {
    Term p = arg(0).t;
    std::vector<Term> cs;
    for (size_t i = 0; i < state.crashed.size(); ++i)
      cs.push_back(s.mkAnd(s.mkEq(p, s.intConst(i)), state.crashed[i]));
    return SVal::scalar(s.mkOr(cs));
  }
  case ir::Builtin::Len:
    return SVal::scalar(arg(0).t);
  case ir::Builtin::Append: {
    Term beyond = nullptr;
    SVal r = ops.append(*typeOf(e).args.at(0), arg(0), arg(1), beyond);
    if (!s.isFalse(beyond))
      beyondSeqBound.push_back(s.mkAnd(cond_, beyond));
    return r;
  }
  case ir::Builtin::Head:
    return ops.head(arg(0));
  case ir::Builtin::Tail:
    return ops.tail(*typeOf(e).args.at(0), arg(0));
  default:
    throw Unsupported("a builtin the bounded encoding does not know");
  }
}

SVal Evaluator::evalBinary(const Expr &e) {
  const Expr &l = *e.args.at(0), &r = *e.args.at(1);
  switch (e.op) {
  case Op::And: {
    Term a = evalBool(l);
    if (s.isFalse(a))
      return SVal::scalar(a);
    Under when(*this, a);
    return SVal::scalar(s.mkAnd(a, evalBool(r)));
  }
  case Op::Or: {
    Term a = evalBool(l);
    if (s.isTrue(a))
      return SVal::scalar(a);
    Under unless(*this, s.mkNot(a));
    return SVal::scalar(s.mkOr(a, evalBool(r)));
  }
  case Op::Implies: {
    Term a = evalBool(l);
    if (s.isFalse(a))
      return SVal::scalar(s.boolConst(true));
    Under when(*this, a);
    return SVal::scalar(s.mkImplies(a, evalBool(r)));
  }
  default:
    break;
  }
  SVal a = eval(l), b = eval(r);
  auto sc = [](Term t) { return SVal::scalar(t); };
  switch (e.op) {
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::Div:
  case Op::Mod:
    return arithmetic(e, a.t, b.t);
  case Op::Eq:
    return sc(ops.eq(a, b));
  case Op::Ne:
    return sc(s.mkNot(ops.eq(a, b)));
  case Op::Lt:
    return sc(s.mkLt(a.t, b.t));
  case Op::Le:
    return sc(s.mkLe(a.t, b.t));
  case Op::Gt:
    return sc(s.mkLt(b.t, a.t));
  case Op::Ge:
    return sc(s.mkLe(b.t, a.t));
  case Op::In:
    return sc(ops.member(b, a));
  case Op::NotIn:
    return sc(s.mkNot(ops.member(b, a)));
  case Op::SubsetEq:
    return sc(ops.subset(a, b));
  case Op::Union:
    return ops.setUnion(a, b);
  case Op::Inter:
    return ops.setInter(a, b);
  case Op::Diff:
    return ops.setDiff(a, b);
  default:
    throw Unsupported("unknown binary operator");
  }
}

// The type of the part of a `type` value that `path` names.
const Type &Evaluator::partType(const Type &type,
                                const std::vector<ir::LValueStep> &path) {
  const Type *t = &type;
  for (const auto &step : path) {
    switch (step.kind) {
    case ir::LValueStep::Kind::Field:
      t = prog.records.at(t->record).fields.at(step.index).type.get();
      break;
    case ir::LValueStep::Kind::TupleGet:
      t = t->args.at(step.index).get();
      break;
    case ir::LValueStep::Kind::Index:
      t = t->args.at(t->kind == TypeKind::Map ? 1 : 0).get();
      break;
    }
  }
  return *t;
}

SVal Evaluator::assignPath(const SVal &cur, const Type &type,
                           const std::vector<ir::LValueStep> &path, size_t i,
                           const SVal &value, Term pc) {
  if (i == path.size())
    return ops.canon(type, value);
  const auto &step = path[i];
  SVal r = cur;
  switch (step.kind) {
  case ir::LValueStep::Kind::Field: {
    const auto &ft = *prog.records.at(type.record).fields.at(step.index).type;
    r.elems.at(step.index) =
        assignPath(cur.elems.at(step.index), ft, path, i + 1, value, pc);
    return r;
  }
  case ir::LValueStep::Kind::TupleGet:
    r.elems.at(step.index) =
        assignPath(cur.elems.at(step.index), *type.args.at(step.index), path,
                   i + 1, value, pc);
    return r;
  case ir::LValueStep::Kind::Index: {
    if (type.kind != TypeKind::Map)
      throw Unsupported("assignment into a sequence");
    SVal key = eval(*step.key);
    const Type &vt = *type.args.at(1);
    bool found = false;
    for (size_t k = 0; k < r.items.size(); ++k) {
      Term hit = ops.eq(r.items[k], key);
      if (s.isFalse(hit))
        continue;
      found = found || s.isTrue(hit);
      SVal nv = assignPath(cur.vals[k], vt, path, i + 1, value, pc);
      r.vals[k] = ops.ite(hit, nv, cur.vals[k]);
      r.guards[k] = s.mkOr(cur.guards[k], hit);
    }
    if (!found) {
      // The key may be outside the listed entries: add it in front.
      stored.push_back(
          {type.args.at(0).get(), key, pc,
           "a key of " + prog.roles.at(localRole).vars.at(assigning).name});
      outside.at(assigning) =
          s.mkOr(outside[assigning],
                 s.mkNot(ops.typeOk(*type.args.at(0), key, Ranges::Model)));
      SVal nv =
          assignPath(ops.lookup(cur, key, vt), vt, path, i + 1, value, pc);
      r.guards.insert(r.guards.begin(), s.boolConst(true));
      r.items.insert(r.items.begin(), key);
      r.vals.insert(r.vals.begin(), nv);
      r = ops.canon(type, r);
    }
    return r;
  }
  }
  return r;
}

void Evaluator::sizeOutside() {
  if (outside.size() < local.size())
    outside.resize(local.size(), s.boolConst(false));
}

void Evaluator::exec(const ir::Block &block, Term pc) {
  for (const auto &st : block)
    exec(*st, pc);
}

void Evaluator::exec(const ir::Stmt &st, Term pc) {
  Under path(*this, pc, /*replace=*/true);
  switch (st.kind) {
  case ir::StmtKind::Assign: {
    if (localRole < 0)
      throw Unsupported("assignment outside a transition or round");
    SVal value = eval(*st.value);
    const auto &var = prog.roles.at(localRole).vars.at(st.var);
    const Type &part = partType(*var.type, st.path);
    stored.push_back({&part, value, pc, var.name});
    // A part stored over a dropped one may not undo it: over-approximated
    // (a set stored into a map entry and then overwritten).
    sizeOutside();
    Term drops = ops.dropsModel(part, value);
    outside[st.var] = st.path.empty() ? drops : s.mkOr(outside[st.var], drops);
    assigning = st.var;
    local.at(st.var) =
        assignPath(local[st.var], *var.type, st.path, 0, value, pc);
    return;
  }
  case ir::StmtKind::Let:
    slots.at(st.slot) = eval(*st.value);
    return;
  case ir::StmtKind::If: {
    Term c = evalBool(*st.cond);
    if (s.isTrue(c)) {
      exec(st.thenBody, pc);
      return;
    }
    if (s.isFalse(c)) {
      exec(st.elseBody, pc);
      return;
    }
    sizeOutside();
    auto savedLocal = local;
    auto savedOutside = outside;
    auto savedSlots = slots;
    exec(st.thenBody, s.mkAnd(pc, c));
    auto thenLocal = std::move(local);
    auto thenOutside = std::move(outside);
    auto thenSlots = std::move(slots);
    local = std::move(savedLocal);
    outside = std::move(savedOutside);
    slots = std::move(savedSlots);
    exec(st.elseBody, s.mkAnd(pc, s.mkNot(c)));
    const auto &vars = prog.roles.at(localRole).vars;
    for (size_t v = 0; v < local.size(); ++v) {
      local[v] = ops.canon(*vars[v].type, ops.ite(c, thenLocal[v], local[v]));
      outside[v] = s.mkIte(c, thenOutside[v], outside[v]);
    }
    for (size_t i = 0; i < slots.size(); ++i) {
      if (thenSlots[i] && slots[i]) {
        if (thenSlots[i]->kind == slots[i]->kind)
          slots[i] = ops.ite(c, *thenSlots[i], *slots[i]);
      } else if (thenSlots[i]) {
        slots[i] = thenSlots[i];
      }
    }
    return;
  }
  case ir::StmtKind::Publish: {
    Published p;
    p.record = st.value && st.value->type ? st.value->type->record : -1;
    p.value = eval(*st.value);
    p.verifier = asPrincipalSet(*st.verifier);
    p.auditor.kind = SVal::Kind::Set;
    if (st.auditorKind == ir::Stmt::Auditor::Any) {
      p.auditor = SVal();
      p.auditor.kind = SVal::Kind::Set;
      for (int q = 0; q < prog.numPrincipals; ++q) {
        p.auditor.guards.push_back(s.boolConst(true));
        p.auditor.items.push_back(SVal::scalar(s.intConst(q)));
      }
    } else if (st.auditorKind == ir::Stmt::Auditor::Expr) {
      p.auditor = asPrincipalSet(*st.auditor);
    }
    p.cond = pc;
    published.push_back(std::move(p));
    return;
  }
  case ir::StmtKind::StartTimer:
    timerStarts.push_back({st.timer, pc});
    return;
  case ir::StmtKind::CancelTimer:
    timerCancels.push_back({st.timer, pc});
    return;
  case ir::StmtKind::Skip:
    return;
  }
}

} // namespace mommie::proofs
