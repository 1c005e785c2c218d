// Expressions, goals and update blocks of the parameterized encoding (see
// ParamEval.h).
#include "proofs/ParamEval.h"

#include <fmt/format.h>

namespace mommie::proofs::param {

namespace {

bool isPrincipalSet(const ir::Type *t) {
  return t && t->kind == ir::TypeKind::Set && !t->args.empty() &&
         t->args[0]->kind == ir::TypeKind::Principal;
}

std::string where(const ir::Expr &e) {
  return fmt::format("{}:{}", e.loc.line, e.loc.col);
}

} // namespace

PV Ev::stateAt(const Term &elem, int var) {
  if (st.groundValue && c.isBinderFree(elem))
    return st.groundValue(elem, var);
  if (st.lazyCells)
    return c.decode(elem, var, st.lazyCells(var));
  return c.decode(elem, var, st.cells.at(var));
}

std::vector<int64_t> Ev::range(const ir::Expr &lo, const ir::Expr &hi) {
  Term a = eval(lo).t, b = eval(hi).t;
  if (!a.isIntegerValue() || !b.isIntegerValue())
    throw NotSupported(where(lo) + ": a range whose bounds depend on symbolic "
                                   "parameters");
  std::vector<int64_t> out;
  if (b.getInt64Value() - a.getInt64Value() > 4096)
    throw NotSupported(where(lo) + ": a range of more than 4096 values");
  for (int64_t v = a.getInt64Value(); v <= b.getInt64Value(); ++v)
    out.push_back(v);
  return out;
}

Term Ev::in(const PV &x, const PV &s) {
  if (s.k == PV::K::PSet)
    return c.member(x.t, s.t);
  if (s.k == PV::K::VSet) {
    std::vector<Term> alts;
    for (const auto &[g, item] : s.items)
      alts.push_back(c.mkAnd({g, c.eq(x, item)}));
    return c.mkOr(alts);
  }
  throw NotSupported("membership in a value that is not a set");
}

PV Ev::eval(const ir::Expr &e) {
  using EK = ir::ExprKind;
  switch (e.kind) {
  case EK::IntLit:
    return PV::scalar(c.intLit(e));
  case EK::BoolLit:
    return PV::scalar(c.boolLit(e));
  case EK::PrincipalLit:
    return PV::of(PV::K::Elem, c.principalLit(e));
  case EK::Me:
    if (me.isNull())
      throw NotSupported(where(e) + ": ME outside a principal's frame");
    return PV::of(PV::K::Elem, me);
  case EK::NoneLit: {
    PV v = PV::of(PV::K::Opt, c.ff);
    v.sub = {c.defaultValue(*e.type->args.at(0))};
    return v;
  }
  case EK::Slot:
    if (e.slot < 0 || e.slot >= static_cast<int>(slots.size()) ||
        !slots[e.slot])
      throw NotSupported(where(e) + ": an unbound local");
    return *slots[e.slot];
  case EK::StateVar:
    if (e.role != 0)
      throw NotSupported(where(e) + ": another role's variable");
    if (inUpdate)
      return local.at(e.var);
    if (me.isNull())
      throw NotSupported(where(e) + ": a role variable outside a frame");
    return stateAt(me, e.var);
  case EK::StateVarOf: {
    if (e.role != 0)
      throw NotSupported(where(e) + ": another role's variable");
    PV p = eval(*e.args[0]);
    return stateAt(p.t, e.var);
  }
  case EK::Field:
  case EK::TupleGet:
    return eval(*e.args[0]).sub.at(e.index);
  case EK::Index: {
    PV m = eval(*e.args[0]);
    if (m.k == PV::K::PSet && m.t == c.all &&
        e.args[0]->kind == EK::PrincipalSet) {
      // P[i]: the i-th principal of the role's set, i possibly symbolic
      // (a rotating coordinator, P[phaseNo % N]).
      PV i = eval(*e.args[1]);
      if (i.t.isIntegerValue())
        return PV::of(PV::K::Elem, c.elemOf(c.set.first + i.t.getInt64Value()));
      return PV::of(PV::K::Elem, c.indexedElem(i.t));
    }
    if (m.k != PV::K::Mbox)
      throw NotSupported(where(e) + ": map lookup outside the mailbox");
    PV key = eval(*e.args[1]);
    return c.mailboxes.at(m.mbox).payload(key.t);
  }
  case EK::Call: {
    const auto &fn = c.prog.funs.at(e.index);
    static thread_local int depth = 0;
    if (depth > 32)
      throw NotSupported(where(e) + ": recursion");
    Ev inner(c, st, me, std::max<size_t>(fn.slots.size(), 1));
    for (size_t i = 0; i < fn.params.size(); ++i)
      inner.slots.at(fn.params[i]) = eval(*e.args.at(i));
    ++depth;
    try {
      PV r = inner.eval(*fn.body);
      --depth;
      return r;
    } catch (...) {
      --depth;
      throw;
    }
  }
  case EK::Builtin:
    return builtin(e);
  case EK::Unary: {
    Term a = eval(*e.args[0]).t;
    if (e.op == ir::Op::Not)
      return PV::scalar(c.mkNot(a));
    return PV::scalar(c.mk(Kind::NEG, {a}));
  }
  case EK::Binary:
    return binary(e);
  case EK::Ite:
    return c.ite(evalBool(*e.args[0]), eval(*e.args[1]), eval(*e.args[2]));
  case EK::SetLit: {
    if (isPrincipalSet(e.type.get())) {
      Term s = c.emptySet;
      for (const auto &a : e.args)
        s = c.unite(s, c.mk(Kind::SET_SINGLETON, {eval(*a).t}));
      return PV::of(PV::K::PSet, s);
    }
    PV v;
    v.k = PV::K::VSet;
    for (const auto &a : e.args)
      v.items.push_back({c.tt, eval(*a)});
    return v;
  }
  case EK::RangeSet: {
    PV v;
    v.k = PV::K::VSet;
    for (int64_t x : range(*e.args[0], *e.args[1]))
      v.items.push_back({c.tt, PV::scalar(c.mkInt(x))});
    return v;
  }
  case EK::SetFilter:
    return setFilter(e);
  case EK::SetMap:
    return setMap(e);
  case EK::Forall:
  case EK::Exists:
    return quantifier(e);
  case EK::RecordCons:
  case EK::TupleCons: {
    PV v;
    v.k = PV::K::Tuple;
    for (const auto &a : e.args)
      v.sub.push_back(eval(*a));
    return v;
  }
  case EK::SomeCons: {
    PV v = PV::of(PV::K::Opt, c.tt);
    v.sub = {eval(*e.args[0])};
    return v;
  }
  case EK::PrincipalSet:
    if (e.index != c.role.principalSet)
      throw NotSupported(where(e) + ": a principal set other than the role's");
    return PV::of(PV::K::PSet, c.all);
  case EK::PhaseNo:
    return PV::scalar(st.phaseNo);
  case EK::RoundNo:
    return PV::scalar(st.roundNo);
  case EK::MapCons:
    throw NotSupported(where(e) + ": map construction");
  case EK::SeqCons:
    throw NotSupported(where(e) + ": sequences");
  case EK::Known:
    throw NotSupported(where(e) + ": KNOWN");
  case EK::Param:
  case EK::ConstRef: // only in symbolic forms, read by SymbolicParams
    throw NotSupported(where(e) + ": a symbolic form");
  }
  throw NotSupported(where(e) + ": unknown expression");
}

PV Ev::builtin(const ir::Expr &e) {
  using B = ir::Builtin;
  switch (e.builtin) {
  case B::Card: {
    PV s = eval(*e.args[0]);
    if (s.k == PV::K::PSet)
      return PV::scalar(c.card(s.t));
    if (s.k != PV::K::VSet)
      throw NotSupported(where(e) + ": card of a non-set");
    std::vector<Term> parts;
    for (size_t i = 0; i < s.items.size(); ++i) {
      std::vector<Term> fresh{s.items[i].guard};
      for (size_t j = 0; j < i; ++j)
        fresh.push_back(c.mkNot(c.mkAnd(
            {s.items[j].guard, c.eq(s.items[j].value, s.items[i].value)})));
      parts.push_back(c.mkIte(c.mkAnd(fresh), c.mkInt(1), c.mkInt(0)));
    }
    if (parts.empty())
      return PV::scalar(c.mkInt(0));
    return PV::scalar(parts.size() == 1 ? parts[0] : c.mk(Kind::ADD, parts));
  }
  case B::Dom: {
    PV m = eval(*e.args[0]);
    if (m.k != PV::K::Mbox)
      throw NotSupported(where(e) + ": dom of a map other than the mailbox");
    return PV::of(PV::K::PSet, c.mailboxes.at(m.mbox).box);
  }
  case B::Max:
  case B::Min: {
    PV s = eval(*e.args[0]);
    if (s.k != PV::K::VSet)
      throw NotSupported(where(e) + ": min / max of principals");
    Kind cmp = e.builtin == B::Min ? Kind::LEQ : Kind::GEQ;
    PV acc = PV::scalar(c.mkInt(0));
    for (size_t i = s.items.size(); i-- > 0;) {
      std::vector<Term> best{s.items[i].guard};
      for (size_t j = 0; j < s.items.size(); ++j)
        if (j != i)
          best.push_back(
              c.mkImplies(s.items[j].guard,
                          c.mk(cmp, {s.items[i].value.t, s.items[j].value.t})));
      acc = c.ite(c.mkAnd(best), s.items[i].value, acc);
    }
    return acc;
  }
  case B::Get:
    return eval(*e.args[0]).sub.at(0);
  case B::IsSome:
    return PV::scalar(eval(*e.args[0]).t);
  case B::Correct: {
    PV s = eval(*e.args[0]);
    return PV::of(PV::K::PSet, c.minus(s.t, st.byz));
  }
  case B::Crashed:
    return PV::scalar(c.member(eval(*e.args[0]).t, st.crashed));
  default:
    throw NotSupported(where(e) + ": sequence builtins");
  }
}

PV Ev::binary(const ir::Expr &e) {
  using O = ir::Op;
  if (e.op == O::And || e.op == O::Or || e.op == O::Implies) {
    Term a = evalBool(*e.args[0]), b = evalBool(*e.args[1]);
    if (e.op == O::And)
      return PV::scalar(c.mkAnd({a, b}));
    if (e.op == O::Or)
      return PV::scalar(c.mkOr({a, b}));
    return PV::scalar(c.mkImplies(a, b));
  }
  PV a = eval(*e.args[0]), b = eval(*e.args[1]);
  switch (e.op) {
  case O::Add:
    return PV::scalar(c.mk(Kind::ADD, {a.t, b.t}));
  case O::Sub:
    return PV::scalar(c.mk(Kind::SUB, {a.t, b.t}));
  case O::Mul:
    if (!a.t.isIntegerValue() && !b.t.isIntegerValue())
      c.nonLinear = true;
    return PV::scalar(c.mk(Kind::MULT, {a.t, b.t}));
  case O::Div:
  case O::Mod:
    // Only a divisor known positive: a positive constant or the size of
    // the role's principal set (>= 1); this encoding does not state that
    // a divisor is positive (docs/prove.md, ArithOK).
    if (b.t != c.size &&
        (!b.t.isIntegerValue() || b.t.getIntegerValue().rfind('-', 0) == 0 ||
         b.t.getIntegerValue() == "0"))
      throw NotSupported(where(e) + ": '/' or '%' by a divisor that is neither "
                                    "a positive constant nor the "
                                    "principal set's size");
    return PV::scalar(c.mk(
        e.op == O::Div ? Kind::INTS_DIVISION : Kind::INTS_MODULUS, {a.t, b.t}));
  case O::Eq:
    return PV::scalar(c.eq(a, b));
  case O::Ne:
    return PV::scalar(c.mkNot(c.eq(a, b)));
  case O::Lt:
    return PV::scalar(c.mk(Kind::LT, {a.t, b.t}));
  case O::Le:
    return PV::scalar(c.mk(Kind::LEQ, {a.t, b.t}));
  case O::Gt:
    return PV::scalar(c.mk(Kind::GT, {a.t, b.t}));
  case O::Ge:
    return PV::scalar(c.mk(Kind::GEQ, {a.t, b.t}));
  case O::In:
    return PV::scalar(in(a, b));
  case O::NotIn:
    return PV::scalar(c.mkNot(in(a, b)));
  case O::SubsetEq:
    if (a.k == PV::K::PSet)
      return PV::scalar(c.subset(a.t, b.t));
    {
      std::vector<Term> parts;
      for (const auto &[g, item] : a.items)
        parts.push_back(c.mkImplies(g, in(item, b)));
      return PV::scalar(c.mkAnd(parts));
    }
  case O::Union:
  case O::Inter:
  case O::Diff: {
    if (a.k == PV::K::PSet) {
      Term r = e.op == O::Union   ? c.unite(a.t, b.t)
               : e.op == O::Inter ? c.inter(a.t, b.t)
                                  : c.minus(a.t, b.t);
      return PV::of(PV::K::PSet, r);
    }
    PV r;
    r.k = PV::K::VSet;
    for (const auto &[g, item] : a.items) {
      Term g2 = e.op == O::Union   ? g
                : e.op == O::Inter ? c.mkAnd({g, in(item, b)})
                                   : c.mkAnd({g, c.mkNot(in(item, b))});
      r.items.push_back({g2, item});
    }
    if (e.op == O::Union)
      for (const auto &it : b.items)
        r.items.push_back(it);
    return r;
  }
  default:
    throw NotSupported(where(e) + ": operator");
  }
}

PV Ev::quantifier(const ir::Expr &e) {
  bool all = e.kind == ir::ExprKind::Forall;
  PV dom = eval(*e.args[0]);
  if (dom.k == PV::K::PSet) {
    Term b = c.binder();
    slots.at(e.slot) = PV::of(PV::K::Elem, b);
    Term body = evalBool(*e.args[1]);
    Term s = c.lift(body, b);
    if (all)
      return PV::scalar(c.subset(dom.t, s));
    return PV::scalar(c.mkNot(c.isEmpty(c.inter(dom.t, s))));
  }
  if (dom.k != PV::K::VSet)
    throw NotSupported(where(e) + ": a quantifier over a non-set");
  std::vector<Term> parts;
  for (const auto &[g, item] : dom.items) {
    slots.at(e.slot) = item;
    Term body = evalBool(*e.args[1]);
    parts.push_back(all ? c.mkImplies(g, body) : c.mkAnd({g, body}));
  }
  return PV::scalar(all ? c.mkAnd(parts) : c.mkOr(parts));
}

PV Ev::setFilter(const ir::Expr &e) {
  PV dom = eval(*e.args[0]);
  if (dom.k == PV::K::PSet) {
    Term b = c.binder();
    slots.at(e.slot) = PV::of(PV::K::Elem, b);
    Term cond = evalBool(*e.args[1]);
    return PV::of(PV::K::PSet, c.inter(dom.t, c.lift(cond, b)));
  }
  if (dom.k != PV::K::VSet)
    throw NotSupported(where(e) + ": a comprehension over a non-set");
  PV r;
  r.k = PV::K::VSet;
  for (const auto &[g, item] : dom.items) {
    slots.at(e.slot) = item;
    r.items.push_back({c.mkAnd({g, evalBool(*e.args[1])}), item});
  }
  return r;
}

PV Ev::setMap(const ir::Expr &e) {
  PV dom = eval(*e.args[0]);
  const ir::Expr *cond = e.args.size() > 2 ? e.args[2].get() : nullptr;
  if (dom.k == PV::K::VSet) {
    PV r;
    r.k = PV::K::VSet;
    for (const auto &[g, item] : dom.items) {
      slots.at(e.slot) = item;
      Term g2 = cond ? c.mkAnd({g, evalBool(*cond)}) : g;
      r.items.push_back({g2, eval(*e.args[1])});
    }
    return r;
  }
  if (dom.k != PV::K::PSet)
    throw NotSupported(where(e) + ": a comprehension over a non-set");
  Term b = c.binder();
  slots.at(e.slot) = PV::of(PV::K::Elem, b);
  Term guard = cond ? evalBool(*cond) : c.tt;
  PV f = eval(*e.args[1]);
  if (f.k == PV::K::Elem) {
    if (f.t != b)
      throw NotSupported(where(e) + ": a map from principals to principals");
    return PV::of(PV::K::PSet, c.inter(dom.t, c.lift(guard, b)));
  }
  // { f(q) : q in S | p } over a finite type: value v is in it iff some q
  // of S has p(q) and f(q) == v.
  PV r;
  r.k = PV::K::VSet;
  for (const auto &d : c.domainOf(*e.type->args.at(0))) {
    Term s = c.inter(dom.t, c.lift(c.mkAnd({guard, c.eq(f, d.v)}), b));
    r.items.push_back({c.mkNot(c.isEmpty(s)), d.v});
  }
  return r;
}

Term Ev::evalGoal(const ir::Expr &e, bool positive) {
  using EK = ir::ExprKind;
  if ((e.kind == EK::Forall && positive) ||
      (e.kind == EK::Exists && !positive)) {
    PV dom = eval(*e.args[0]);
    if (dom.k == PV::K::PSet) {
      std::string name = frame && e.slot < static_cast<int>(frame->size())
                             ? (*frame)[e.slot].name
                             : std::string("q");
      Term k = c.freshElem(name);
      c.hyps.push_back(c.member(k, dom.t));
      c.inAll.insert(k);
      c.named.push_back({k, name});
      slots.at(e.slot) = PV::of(PV::K::Elem, k);
      return evalGoal(*e.args[1], positive);
    }
    if (dom.k == PV::K::VSet) {
      std::vector<Term> parts;
      for (const auto &[g, item] : dom.items) {
        slots.at(e.slot) = item;
        Term body = evalGoal(*e.args[1], positive);
        parts.push_back(positive ? c.mkImplies(g, body) : c.mkAnd({g, body}));
      }
      return positive ? c.mkAnd(parts) : c.mkOr(parts);
    }
  }
  if (e.kind == EK::Unary && e.op == ir::Op::Not)
    return c.mkNot(evalGoal(*e.args[0], !positive));
  if (e.kind == EK::Binary) {
    if (e.op == ir::Op::And)
      return c.mkAnd(
          {evalGoal(*e.args[0], positive), evalGoal(*e.args[1], positive)});
    if (e.op == ir::Op::Or)
      return c.mkOr(
          {evalGoal(*e.args[0], positive), evalGoal(*e.args[1], positive)});
    if (e.op == ir::Op::Implies)
      return c.mkImplies(evalGoal(*e.args[0], !positive),
                         evalGoal(*e.args[1], positive));
  }
  return evalBool(e);
}

void Ev::exec(const ir::Block &block, const Term &pc) {
  for (const auto &st : block) {
    switch (st->kind) {
    case ir::StmtKind::Assign: {
      if (!st->path.empty())
        throw NotSupported(fmt::format("{}:{}: assignment to a part of a "
                                       "variable",
                                       st->loc.line, st->loc.col));
      PV v = eval(*st->value);
      local.at(st->var) = c.ite(pc, v, local.at(st->var));
      break;
    }
    case ir::StmtKind::Let:
      slots.at(st->slot) = eval(*st->value);
      break;
    case ir::StmtKind::If: {
      Term cond = evalBool(*st->cond);
      exec(st->thenBody, c.mkAnd({pc, cond}));
      exec(st->elseBody, c.mkAnd({pc, c.mkNot(cond)}));
      break;
    }
    case ir::StmtKind::Skip:
      break;
    default:
      throw NotSupported(fmt::format("{}:{}: PUBLISH or timers in a round",
                                     st->loc.line, st->loc.col));
    }
  }
}

} // namespace mommie::proofs::param
