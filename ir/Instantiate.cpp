// The instantiate pass (see Instantiate.h).
#include "ir/Instantiate.h"

#include "ir/Arith.h"
#include "ir/Printer.h"
#include "ir/Rewrite.h"
#include "ir/Verifier.h"

#include <fmt/format.h>

namespace mommie::ir {

namespace {

// A constant: an integer, a boolean, or a principal as (set, index in set),
// so that it survives a change of the sets' sizes.
struct SymVal {
  enum class Kind { Int, Bool, Principal } kind = Kind::Int;
  int64_t v = 0;
  int set = -1;
};

// Evaluates symbolic forms at given parameter values and set sizes.
class SymEval {
public:
  SymEval(const Program &p, std::vector<int64_t> params, std::vector<int> sizes)
      : p_(p), params_(std::move(params)), sizes_(std::move(sizes)),
        consts_(p.consts.size()), constState_(p.consts.size(), 0) {}

  std::optional<SymVal> eval(const ExprPtr &e) {
    if (!e || depth_ >= 200) // absent, or nested beyond any real program
      return std::nullopt;
    ++depth_;
    auto v = evalNode(*e);
    --depth_;
    return v;
  }

  // A principal's set and index in the *original* program's numbering.
  SymVal principalOf(int64_t id) const {
    int set = p_.setOf(int(id));
    return {SymVal::Kind::Principal,
            set < 0 ? 0 : id - p_.principalSets[set].first, set};
  }

private:
  static SymVal mkInt(int64_t v) { return {SymVal::Kind::Int, v, -1}; }
  static SymVal mkBool(bool v) { return {SymVal::Kind::Bool, v ? 1 : 0, -1}; }

  std::optional<SymVal> evalNode(const Expr &e) {
    if (e.sym && (e.kind == ExprKind::IntLit || e.kind == ExprKind::BoolLit ||
                  e.kind == ExprKind::PrincipalLit))
      return eval(e.sym);
    switch (e.kind) {
    case ExprKind::IntLit:
      return mkInt(e.intVal);
    case ExprKind::BoolLit:
      return mkBool(e.intVal != 0);
    case ExprKind::PrincipalLit:
      return principalOf(e.intVal);
    case ExprKind::Param:
      if (e.index < 0 || size_t(e.index) >= params_.size())
        return std::nullopt;
      return mkInt(params_[size_t(e.index)]);
    case ExprKind::ConstRef:
      return constant(e.index);
    case ExprKind::Ite: {
      auto c = arg(e, 0);
      if (!c || c->kind != SymVal::Kind::Bool)
        return std::nullopt;
      return arg(e, c->v ? 1 : 2);
    }
    case ExprKind::Index: {
      if (e.args.size() != 2 || !e.args[0] ||
          e.args[0]->kind != ExprKind::PrincipalSet)
        return std::nullopt;
      auto i = arg(e, 1);
      int set = e.args[0]->index;
      if (!i || i->kind != SymVal::Kind::Int || set < 0 ||
          size_t(set) >= sizes_.size() || i->v < 0 ||
          i->v >= sizes_[size_t(set)])
        return std::nullopt;
      return SymVal{SymVal::Kind::Principal, i->v, set};
    }
    case ExprKind::Unary: {
      auto a = arg(e, 0);
      if (!a)
        return std::nullopt;
      if (e.op == Op::Not && a->kind == SymVal::Kind::Bool)
        return mkBool(!a->v);
      if (e.op == Op::Neg && a->kind == SymVal::Kind::Int && a->v != INT64_MIN)
        return mkInt(-a->v);
      return std::nullopt;
    }
    case ExprKind::Binary:
      return binary(e);
    default:
      return std::nullopt;
    }
  }

  std::optional<SymVal> arg(const Expr &e, size_t i) {
    return i < e.args.size() ? eval(e.args[i]) : std::nullopt;
  }

  std::optional<SymVal> constant(int i) {
    if (i < 0 || size_t(i) >= consts_.size() || constState_[size_t(i)] == 1)
      return std::nullopt; // out of range, or a cycle
    if (constState_[size_t(i)] == 0) {
      constState_[size_t(i)] = 1;
      consts_[size_t(i)] = eval(p_.consts[size_t(i)].expr);
      constState_[size_t(i)] = 2;
    }
    return consts_[size_t(i)];
  }

  std::optional<SymVal> binary(const Expr &e) {
    using K = SymVal::Kind;
    if (e.op == Op::And || e.op == Op::Or || e.op == Op::Implies) {
      auto a = arg(e, 0);
      if (!a || a->kind != K::Bool)
        return std::nullopt;
      if (e.op == Op::And && !a->v)
        return mkBool(false);
      if (e.op == Op::Or && a->v)
        return mkBool(true);
      if (e.op == Op::Implies && !a->v)
        return mkBool(true);
      auto b = arg(e, 1);
      if (!b || b->kind != K::Bool)
        return std::nullopt;
      return b;
    }
    auto a = arg(e, 0), b = arg(e, 1);
    if (!a || !b)
      return std::nullopt;
    if (e.op == Op::Eq || e.op == Op::Ne) {
      if (a->kind != b->kind)
        return std::nullopt;
      bool eq = a->v == b->v && a->set == b->set;
      return mkBool(e.op == Op::Eq ? eq : !eq);
    }
    if (a->kind != K::Int || b->kind != K::Int)
      return std::nullopt;
    int64_t x = a->v, y = b->v;
    switch (e.op) {
    case Op::Lt:
      return mkBool(x < y);
    case Op::Le:
      return mkBool(x <= y);
    case Op::Gt:
      return mkBool(x > y);
    case Op::Ge:
      return mkBool(x >= y);
    default:
      if (auto r = arith(e.op, x, y))
        return mkInt(*r);
      return std::nullopt;
    }
  }

  const Program &p_;
  std::vector<int64_t> params_;
  std::vector<int> sizes_;
  std::vector<std::optional<SymVal>> consts_;
  std::vector<int> constState_; // 0 unevaluated, 1 evaluating, 2 done
  int depth_ = 0;
};

// The expression as written: every value with a symbolic form replaced by
// that form (`N > 3 * F`, not `4 > 3`), for messages.
class AsWritten : public Rewriter {
public:
  ExprPtr leave(ExprPtr e) override { return e->sym ? e->sym : e; }
};

// Rewrites evaluated positions to the new instance.
class Instantiator : public Rewriter {
public:
  Instantiator(SymEval &eval, const std::vector<int> &first,
               const std::vector<int> &size, const Program &old,
               DiagnosticEngine &diags)
      : eval_(eval), first_(first), size_(size), old_(old), diags_(diags) {}

  ExprPtr leave(ExprPtr e) override {
    if (e->kind == ExprKind::PrincipalLit)
      return principal(e);
    if (!e->sym ||
        (e->kind != ExprKind::IntLit && e->kind != ExprKind::BoolLit))
      return e;
    auto v = eval_.eval(e->sym);
    if (!v) {
      fail(e->loc, fmt::format("cannot evaluate '{}' at these parameter values",
                               printExpr(old_, e->sym)));
      return e;
    }
    auto copy = std::make_shared<Expr>(*e);
    copy->intVal = v->v;
    return copy;
  }

  TypeRef leaveType(TypeRef t) override {
    if (t->kind != TypeKind::Range || !t->symLo || !t->symHi)
      return t;
    auto lo = eval_.eval(t->symLo), hi = eval_.eval(t->symHi);
    SourceLoc loc = t->symLo->loc;
    if (!lo || !hi) {
      fail(
          loc,
          fmt::format(
              "cannot evaluate the range type {}..{} at these parameter values",
              printExpr(old_, t->symLo), printExpr(old_, t->symHi)));
      return t;
    }
    if (lo->v > hi->v) {
      fail(loc, fmt::format("empty range type {}..{} ({}..{})",
                            printExpr(old_, t->symLo),
                            printExpr(old_, t->symHi), lo->v, hi->v));
      return t;
    }
    auto copy = std::make_shared<Type>(*t);
    copy->lo = lo->v;
    copy->hi = hi->v;
    return copy;
  }

  bool ok = true;

private:
  ExprPtr principal(const ExprPtr &e) {
    auto v = e->sym ? eval_.eval(e->sym)
                    : std::optional(eval_.principalOf(e->intVal));
    if (!v || v->kind != SymVal::Kind::Principal || v->set < 0) {
      fail(e->loc, "cannot evaluate this principal at these parameter values");
      return e;
    }
    if (v->v >= size_[size_t(v->set)]) {
      fail(e->loc,
           fmt::format("{}[{}] does not exist: '{}' has {} members at these "
                       "parameter values",
                       old_.principalSets[size_t(v->set)].name, v->v,
                       old_.principalSets[size_t(v->set)].name,
                       size_[size_t(v->set)]));
      return e;
    }
    auto copy = std::make_shared<Expr>(*e);
    copy->intVal = first_[size_t(v->set)] + v->v;
    return copy;
  }

  void fail(const SourceLoc &loc, std::string msg) {
    ok = false;
    diags_.error(loc, std::move(msg));
  }

  SymEval &eval_;
  const std::vector<int> &first_, &size_;
  const Program &old_;
  DiagnosticEngine &diags_;
};

std::string paramList(const Program &p, const std::vector<int64_t> &values) {
  std::string out;
  for (size_t i = 0; i < p.params.size(); ++i)
    out += fmt::format("{}{} = {}", i ? ", " : "", p.params[i].name, values[i]);
  return out;
}

} // namespace

std::string unknownParameterMessage(const std::string &name,
                                    const std::string &protocol,
                                    const std::vector<std::string> &known) {
  std::string msg =
      fmt::format("'{}' is not a parameter of protocol '{}'", name, protocol);
  std::string close = closestName(name, known);
  if (!close.empty())
    msg += fmt::format("; did you mean '{}'?", close);
  return msg + (known.empty() ? std::string(" (it has no parameters)")
                              : fmt::format(" (its parameters: {})",
                                            fmt::join(known, ", ")));
}

std::optional<int64_t> evalSymbolic(const Program &program, const ExprPtr &e) {
  std::vector<int64_t> params;
  for (const auto &p : program.params)
    params.push_back(p.value);
  std::vector<int> sizes;
  for (const auto &s : program.principalSets)
    sizes.push_back(s.size);
  SymEval eval(program, params, sizes);
  auto v = eval.eval(e);
  if (!v)
    return std::nullopt;
  if (v->kind == SymVal::Kind::Principal)
    return program.principalSets[size_t(v->set)].first + v->v;
  return v->v;
}

std::optional<Program> instantiate(const Program &program,
                                   const std::map<std::string, int64_t> &values,
                                   DiagnosticEngine &diags) {
  SourceLoc top;
  top.file = program.file;
  unsigned before = diags.errorCount();
  std::vector<std::string> known;
  for (const auto &p : program.params)
    known.push_back(p.name);
  for (const auto &[name, value] : values) {
    bool found = false;
    for (const auto &p : program.params)
      found |= p.name == name;
    if (found)
      continue;
    diags.error(top, unknownParameterMessage(name, program.name, known));
  }
  if (diags.errorCount() != before)
    return std::nullopt;

  // Parameters, in declaration order (a default may read earlier ones).
  std::vector<int64_t> params;
  for (size_t i = 0; i < program.params.size(); ++i) {
    const Param &p = program.params[i];
    auto it = values.find(p.name);
    if (it != values.end()) {
      params.push_back(it->second);
      continue;
    }
    std::vector<int64_t> sofar = params;
    sofar.resize(program.params.size(), 0);
    std::vector<int> sizes;
    for (const auto &s : program.principalSets)
      sizes.push_back(s.size);
    SymEval early(program, sofar, sizes);
    auto v = p.def ? early.eval(p.def) : std::nullopt;
    if (p.def && (!v || v->kind != SymVal::Kind::Int)) {
      diags.error(
          p.loc,
          fmt::format("cannot evaluate the default of parameter '{}'", p.name));
      return std::nullopt;
    }
    params.push_back(v ? v->v : p.value);
  }

  // Principal sets: sizes, then global ids in declaration order.
  std::vector<int> first, size;
  {
    SymEval sizing(program, params,
                   std::vector<int>(program.principalSets.size(), 0));
    int next = 0;
    for (const auto &s : program.principalSets) {
      int64_t n = s.size;
      if (s.symSize) {
        auto v = sizing.eval(s.symSize);
        if (!v || v->kind != SymVal::Kind::Int) {
          diags.error(
              s.loc,
              fmt::format("cannot evaluate the size of principal set '{}' ({})",
                          s.name, paramList(program, params)));
          return std::nullopt;
        }
        n = v->v;
      }
      if (n < 1 || n > 100000) {
        diags.error(
            s.loc,
            fmt::format("principal set '{}' would have {} members ({}); it "
                        "needs 1 to 100000",
                        s.name, n, paramList(program, params)));
        return std::nullopt;
      }
      first.push_back(next);
      size.push_back(int(n));
      next += int(n);
    }
  }
  SymEval eval(program, params, size);

  // Assumptions, as the front end checks them.
  for (const auto &a : program.assumptions) {
    auto v = eval.eval(a.expr);
    AsWritten written;
    std::string text = printExpr(program, written.expr(a.expr));
    if (!v || v->kind != SymVal::Kind::Bool) {
      diags.error(a.loc, fmt::format("cannot evaluate 'assume {}' ({})", text,
                                     paramList(program, params)));
      return std::nullopt;
    }
    if (!v->v) {
      diags.error(a.loc,
                  fmt::format("assumption 'assume {}' does not hold ({})", text,
                              paramList(program, params)));
      return std::nullopt;
    }
  }

  Program out = program;
  for (size_t i = 0; i < out.params.size(); ++i)
    out.params[i].value = params[i];
  for (size_t i = 0; i < out.principalSets.size(); ++i) {
    out.principalSets[i].first = first[i];
    out.principalSets[i].size = size[i];
  }
  out.numPrincipals = first.empty() ? 0 : first.back() + size.back();
  auto bound = [&](const ExprPtr &sym, int64_t &value, const SourceLoc &loc,
                   const char *what) {
    if (!sym)
      return true;
    auto v = eval.eval(sym);
    if (!v || v->kind != SymVal::Kind::Int) {
      diags.error(loc, fmt::format("cannot evaluate {} ({})", what,
                                   paramList(program, params)));
      return false;
    }
    value = v->v;
    return true;
  };
  for (auto &f : out.faults) {
    if (!bound(f.symMax, f.max, f.loc, "the fault bound"))
      return std::nullopt;
    if (f.max < 0) {
      diags.error(f.loc, fmt::format("the fault bound would be {} ({})", f.max,
                                     paramList(program, params)));
      return std::nullopt;
    }
  }
  for (auto &r : out.roles) {
    if (!r.phase)
      continue;
    if (!bound(r.phase->symBound, r.phase->bound, r.phase->loc,
               "the phase bound"))
      return std::nullopt;
    if (r.phase->bound < 1) {
      diags.error(r.phase->loc,
                  fmt::format("the phase bound would be {} ({})",
                              r.phase->bound, paramList(program, params)));
      return std::nullopt;
    }
  }

  Instantiator inst(eval, first, size, program, diags);
  inst.program(out);
  if (!inst.ok || !verifyAfterPass(out, "instantiate", diags))
    return std::nullopt;
  return out;
}

} // namespace mommie::ir
