// The generic rewriter (see Rewrite.h).
#include "ir/Rewrite.h"

#include <functional>

namespace mommie::ir {

TypeRef Rewriter::type(const TypeRef &t) {
  if (!t)
    return t;
  auto it = types_.find(t.get());
  if (it != types_.end())
    return it->second;
  std::vector<TypeRef> args;
  bool changed = false;
  for (const auto &a : t->args) {
    args.push_back(type(a));
    changed |= args.back() != a;
  }
  TypeRef out = t;
  if (changed) {
    auto copy = std::make_shared<Type>(*t);
    copy->args = std::move(args);
    out = copy;
  }
  out = leaveType(out);
  types_.emplace(t.get(), out);
  return out;
}

ExprPtr Rewriter::expr(const ExprPtr &e) {
  if (!e)
    return e;
  auto it = exprs_.find(e.get());
  if (it != exprs_.end())
    return it->second;
  std::vector<ExprPtr> args;
  bool changed = false;
  for (const auto &a : e->args) {
    args.push_back(expr(a));
    changed |= args.back() != a;
  }
  auto pat = pattern(e->pattern);
  auto ty = type(e->type);
  changed |= pat != e->pattern || ty != e->type;
  ExprPtr out = e;
  if (changed) {
    auto copy = std::make_shared<Expr>(*e);
    copy->args = std::move(args);
    copy->pattern = std::move(pat);
    copy->type = std::move(ty);
    out = copy;
  }
  out = leave(out);
  exprs_.emplace(e.get(), out);
  return out;
}

Pattern Rewriter::pattern(const Pattern &p) {
  Pattern out = p;
  out.issuer.expr = expr(p.issuer.expr);
  out.issuer.threshold = expr(p.issuer.threshold);
  out.verifier.expr = expr(p.verifier.expr);
  out.auditor.expr = expr(p.auditor.expr);
  for (auto &c : out.constraints)
    c.expr = expr(c.expr);
  return out;
}

std::shared_ptr<const Pattern>
Rewriter::pattern(const std::shared_ptr<const Pattern> &p) {
  if (!p)
    return p;
  return std::make_shared<const Pattern>(pattern(*p));
}

Block Rewriter::block(const Block &b) {
  Block out;
  for (const auto &s : b) {
    if (!s) {
      out.push_back(s);
      continue;
    }
    auto copy = std::make_shared<Stmt>(*s);
    copy->value = expr(s->value);
    copy->cond = expr(s->cond);
    copy->verifier = expr(s->verifier);
    copy->auditor = expr(s->auditor);
    for (auto &step : copy->path)
      step.key = expr(step.key);
    copy->progress = pattern(s->progress);
    copy->thenBody = block(s->thenBody);
    copy->elseBody = block(s->elseBody);
    out.push_back(std::move(copy));
  }
  return out;
}

void Rewriter::slots(std::vector<SlotInfo> &s) {
  for (auto &slot : s)
    slot.type = type(slot.type);
}

void Rewriter::predicate(Predicate &p) {
  p.expr = expr(p.expr);
  slots(p.slots);
}

TemporalPtr Rewriter::temporal(const TemporalPtr &t) {
  if (!t)
    return t;
  auto copy = std::make_shared<Temporal>(*t);
  copy->state = expr(t->state);
  for (auto &a : copy->args)
    a = temporal(a);
  return copy;
}

void Rewriter::program(Program &p) {
  for (auto &r : p.records)
    for (auto &f : r.fields)
      f.type = type(f.type);
  for (auto &f : p.funs) {
    f.result = type(f.result);
    f.body = expr(f.body);
    slots(f.slots);
  }
  for (auto &role : p.roles) {
    for (auto &v : role.vars) {
      v.type = type(v.type);
      v.init = expr(v.init);
      v.initSet = expr(v.initSet);
      slots(v.slots);
    }
    for (auto &t : role.transitions) {
      for (auto &trig : t.triggers)
        trig = pattern(trig);
      t.guard = expr(t.guard);
      t.body = block(t.body);
      slots(t.slots);
    }
    for (auto &rt : role.retires) {
      rt.pattern = pattern(rt.pattern);
      rt.cond = expr(rt.cond);
      slots(rt.slots);
    }
    if (role.phase)
      for (auto &rd : role.phase->rounds) {
        rd.payload = type(rd.payload);
        for (auto &pc : rd.progress)
          pc.expr = expr(pc.expr);
        for (auto &s : rd.sends) {
          s.payload = expr(s.payload);
          s.dest = expr(s.dest);
          s.cond = expr(s.cond);
        }
        rd.update = block(rd.update);
        slots(rd.slots);
      }
  }
  for (auto &a : p.assumptions)
    predicate(a);
  for (auto &inv : p.invariants)
    predicate(inv);
  for (auto &c : p.constraints)
    predicate(c);
  for (auto &prop : p.properties) {
    prop.formula = temporal(prop.formula);
    slots(prop.slots);
  }
  for (auto &cp : p.commPredicates) {
    cp.expr = expr(cp.expr);
    slots(cp.slots);
  }
  predicate(p.termination);
}

namespace {

// Visits without rebuilding: a Rewriter whose leave() reports each node.
class Visitor : public Rewriter {
public:
  explicit Visitor(const std::function<void(const Expr &)> &fn) : fn_(fn) {}
  ExprPtr leave(ExprPtr e) override {
    fn_(*e);
    return e;
  }

private:
  const std::function<void(const Expr &)> &fn_;
};

} // namespace

void forEachExpr(const Program &p,
                 const std::function<void(const Expr &)> &fn) {
  Program copy = p; // shares every node; only the containers are copied
  Visitor v(fn);
  v.program(copy);
}

} // namespace mommie::ir
