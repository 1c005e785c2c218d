// Recovers the parameters of a lowered program (see ParamShape.h).
#include "proofs/ParamShape.h"

#include <fmt/format.h>

namespace mommie::proofs {

bool Affine::constant() const {
  for (int64_t c : coef)
    if (c != 0)
      return false;
  return true;
}

std::string Affine::text(const std::vector<std::string> &names) const {
  std::string out;
  for (size_t i = 0; i < coef.size(); ++i) {
    if (coef[i] == 0)
      continue;
    if (!out.empty())
      out += coef[i] < 0 ? " - " : " + ";
    else if (coef[i] < 0)
      out += "-";
    int64_t a = coef[i] < 0 ? -coef[i] : coef[i];
    out += (a == 1 ? "" : std::to_string(a) + "*") + names.at(i);
  }
  if (out.empty())
    return std::to_string(c0);
  if (c0 != 0)
    out += (c0 < 0 ? " - " : " + ") + std::to_string(c0 < 0 ? -c0 : c0);
  return out;
}

namespace {

void walkExpr(const ir::ExprPtr &e,
              const std::function<void(const ir::Expr &)> &fn) {
  if (!e)
    return;
  fn(*e);
  for (const auto &a : e->args)
    walkExpr(a, fn);
}

void walkBlock(const ir::Block &b,
               const std::function<void(const ir::Expr &)> &fn) {
  for (const auto &st : b) {
    walkExpr(st->value, fn);
    walkExpr(st->cond, fn);
    for (const auto &p : st->path)
      walkExpr(p.key, fn);
    walkBlock(st->thenBody, fn);
    walkBlock(st->elseBody, fn);
  }
}

} // namespace

void walkExprs(const ir::Program &prog,
               const std::function<void(const ir::Expr &)> &fn) {
  for (const auto &f : prog.funs)
    walkExpr(f.body, fn);
  for (const auto &role : prog.roles) {
    for (const auto &v : role.vars) {
      walkExpr(v.init, fn);
      walkExpr(v.initSet, fn);
    }
    for (const auto &t : role.transitions) {
      walkExpr(t.guard, fn);
      walkBlock(t.body, fn);
    }
    if (role.phase)
      for (const auto &r : role.phase->rounds) {
        for (const auto &pc : r.progress)
          walkExpr(pc.expr, fn);
        for (const auto &sc : r.sends) {
          walkExpr(sc.payload, fn);
          walkExpr(sc.dest, fn);
          walkExpr(sc.cond, fn);
        }
        walkBlock(r.update, fn);
      }
  }
  for (const auto &inv : prog.invariants)
    walkExpr(inv.expr, fn);
  for (const auto &cp : prog.commPredicates)
    walkExpr(cp.expr, fn);
  for (const auto &a : prog.assumptions)
    walkExpr(a.expr, fn);
}

namespace {

std::vector<const ir::Expr *> exprsOf(const ir::Program &p) {
  std::vector<const ir::Expr *> out;
  walkExprs(p, [&](const ir::Expr &e) { out.push_back(&e); });
  return out;
}

bool sameType(const ir::TypeRef &a, const ir::TypeRef &b) {
  if (!a || !b)
    return !a && !b;
  if (a->kind != b->kind || a->lo != b->lo || a->hi != b->hi ||
      a->args.size() != b->args.size())
    return false;
  for (size_t i = 0; i < a->args.size(); ++i)
    if (!sameType(a->args[i], b->args[i]))
      return false;
  return true;
}

// The numbers of one lowering that may depend on parameters.
struct Numbers {
  std::vector<int64_t> lits, sizes, faults;
};

std::optional<std::string> numbersOf(const ir::Program &base,
                                     const ir::Program &other, Numbers &out) {
  auto a = exprsOf(base), b = exprsOf(other);
  if (a.size() != b.size())
    return std::string("the shape of the IR depends on the parameters");
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i]->kind != b[i]->kind || a[i]->op != b[i]->op ||
        a[i]->builtin != b[i]->builtin)
      return std::string("the shape of the IR depends on the parameters");
    if (a[i]->kind == ir::ExprKind::IntLit)
      out.lits.push_back(b[i]->intVal);
    else if (a[i]->intVal != b[i]->intVal)
      return fmt::format("{}:{}: a principal or boolean constant depends on "
                         "the parameters",
                         a[i]->loc.line, a[i]->loc.col);
  }
  if (base.principalSets.size() != other.principalSets.size() ||
      base.faults.size() != other.faults.size() ||
      base.roles.size() != other.roles.size())
    return std::string("the declarations depend on the parameters");
  for (const auto &ps : other.principalSets)
    out.sizes.push_back(ps.size);
  for (const auto &f : other.faults)
    out.faults.push_back(f.max);
  for (size_t r = 0; r < base.roles.size(); ++r) {
    const auto &ra = base.roles[r], &rb = other.roles[r];
    if (ra.vars.size() != rb.vars.size())
      return std::string("the declarations depend on the parameters");
    for (size_t v = 0; v < ra.vars.size(); ++v)
      if (!sameType(ra.vars[v].type, rb.vars[v].type))
        return fmt::format("the type of variable '{}' depends on the "
                           "parameters",
                           ra.vars[v].name);
    if (ra.phase && rb.phase)
      for (size_t k = 0; k < ra.phase->rounds.size(); ++k)
        if (!sameType(ra.phase->rounds[k].payload,
                      rb.phase->rounds[k].payload))
          return fmt::format("the payload type of round '{}' depends on the "
                             "parameters",
                             ra.phase->rounds[k].name);
  }
  return std::nullopt;
}

} // namespace

ParamShape findParamShape(const ir::Program &base,
                          const std::map<std::string, int64_t> &defines,
                          const Lowerer &lower) {
  ParamShape shape;
  std::map<std::string, int64_t> values = defines;
  for (const auto &p : base.params)
    values[p.name] = p.value;
  Numbers b0;
  if (auto why = numbersOf(base, base, b0)) {
    shape.unsupported = *why;
    return shape;
  }
  // Which parameters size a principal set or bound a fault: try +1, +2, -1.
  std::vector<int64_t> deltas;
  std::vector<Numbers> moved;
  for (const auto &p : base.params) {
    for (int64_t d : {1, 2, -1}) {
      auto vals = values;
      vals[p.name] = p.value + d;
      auto prog = lower(vals);
      if (!prog)
        continue;
      Numbers n;
      // A parameter that changes the IR's shape (a range type, say) stays
      // concrete: it cannot be symbolic, but it need not be.
      if (numbersOf(base, *prog, n))
        break;
      if (n.sizes != b0.sizes || n.faults != b0.faults) {
        shape.symbolic.push_back(p.name);
        shape.base.push_back(p.value);
        deltas.push_back(d);
        moved.push_back(std::move(n));
      }
      break;
    }
  }
  for (const auto &[name, v] : values) {
    bool sym = false;
    for (const auto &s : shape.symbolic)
      sym |= s == name;
    if (!sym)
      shape.concrete[name] = v;
  }
  if (shape.symbolic.empty()) {
    shape.unsupported = "no parameter sizes a principal set";
    return shape;
  }
  // Moving a symbolic parameter must not change the shape: re-check.
  size_t k = shape.symbolic.size();
  for (size_t i = 0; i < k; ++i)
    if (moved[i].lits.size() != b0.lits.size()) {
      shape.unsupported = fmt::format(
          "the shape of the IR depends on parameter {}", shape.symbolic[i]);
      return shape;
    }
  auto fit = [&](auto member) -> std::vector<std::optional<Affine>> {
    const std::vector<int64_t> &at0 = b0.*member;
    std::vector<std::optional<Affine>> out;
    for (size_t j = 0; j < at0.size(); ++j) {
      Affine a;
      a.c0 = at0[j];
      bool ok = true;
      for (size_t i = 0; i < k; ++i) {
        int64_t diff = (moved[i].*member)[j] - at0[j];
        if (diff % deltas[i] != 0)
          ok = false;
        a.coef.push_back(diff / deltas[i]);
        a.c0 -= a.coef.back() * shape.base[i];
      }
      out.push_back(ok ? std::optional<Affine>(a) : std::nullopt);
    }
    return out;
  };
  auto lits = fit(&Numbers::lits);
  auto sizes = fit(&Numbers::sizes);
  auto faults = fit(&Numbers::faults);
  // Validation point: every symbolic parameter moved by twice its delta.
  auto vals = values;
  for (size_t i = 0; i < k; ++i)
    vals[shape.symbolic[i]] = shape.base[i] + 2 * deltas[i];
  Numbers check;
  if (auto prog = lower(vals)) {
    if (auto why = numbersOf(base, *prog, check)) {
      shape.unsupported = *why;
      return shape;
    }
    auto at = [&](const std::optional<Affine> &a, int64_t got) {
      if (!a)
        return false;
      int64_t v = a->c0;
      for (size_t i = 0; i < k; ++i)
        v += a->coef[i] * vals[shape.symbolic[i]];
      return v == got;
    };
    for (size_t j = 0; j < lits.size(); ++j)
      if (!at(lits[j], check.lits[j]))
        lits[j].reset();
    for (size_t j = 0; j < sizes.size(); ++j)
      if (!at(sizes[j], check.sizes[j]))
        sizes[j].reset();
    for (size_t j = 0; j < faults.size(); ++j)
      if (!at(faults[j], check.faults[j]))
        faults[j].reset();
  }
  auto exprs = exprsOf(base);
  size_t li = 0;
  for (const ir::Expr *e : exprs) {
    if (e->kind != ir::ExprKind::IntLit)
      continue;
    const auto &a = lits[li++];
    if (!a) {
      shape.unsupported = fmt::format(
          "{}:{}: a number is not an affine function of the parameters",
          e->loc.line, e->loc.col);
      return shape;
    }
    if (!a->constant())
      shape.literals[e] = *a;
  }
  for (auto &a : sizes) {
    if (!a) {
      shape.unsupported = "a principal-set size is not affine in the parameters";
      return shape;
    }
    shape.setSizes.push_back(*a);
  }
  for (auto &a : faults) {
    if (!a) {
      shape.unsupported = "a fault bound is not affine in the parameters";
      return shape;
    }
    shape.faultMax.push_back(*a);
  }
  return shape;
}

} // namespace mommie::proofs
