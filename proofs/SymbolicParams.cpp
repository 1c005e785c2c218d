// Reads the symbolic parameters of a round program (see SymbolicParams.h).
#include "proofs/SymbolicParams.h"

#include "ir/Arith.h"
#include "ir/Instantiate.h"
#include "ir/Printer.h"
#include "ir/Rewrite.h"

#include <fmt/format.h>

#include <set>

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

bool SymbolicParams::mentionsSymbolic(const ir::ExprPtr &sym) const {
  if (!sym)
    return false;
  if (sym->kind == ir::ExprKind::Param)
    return paramSymbol.at(sym->index) >= 0;
  if (sym->kind == ir::ExprKind::ConstRef)
    return constSymbolic.at(sym->index);
  if (mentionsSymbolic(sym->sym))
    return true;
  for (const auto &a : sym->args)
    if (mentionsSymbolic(a))
      return true;
  return false;
}

bool SymbolicParams::symbolicRange(const ir::Type &type) const {
  return type.kind == ir::TypeKind::Range &&
         (mentionsSymbolic(type.symLo) || mentionsSymbolic(type.symHi));
}

std::map<std::string, int64_t>
SymbolicParams::valuesAt(const std::vector<int64_t> &values) const {
  std::map<std::string, int64_t> out = concrete;
  for (size_t i = 0; i < symbolic.size(); ++i)
    out[symbolic[i]] = values.at(i);
  return out;
}

namespace {

// The parameters a symbolic form mentions, through named constants.
void paramsIn(const ir::Program &prog, const ir::ExprPtr &e,
              std::set<int> &out) {
  if (!e)
    return;
  if (e->kind == ir::ExprKind::Param)
    out.insert(e->index);
  if (e->kind == ir::ExprKind::ConstRef)
    paramsIn(prog, prog.consts.at(e->index).expr, out);
  paramsIn(prog, e->sym, out);
  for (const auto &a : e->args)
    paramsIn(prog, a, out);
}

class Reader {
public:
  Reader(const ir::Program &prog, SymbolicParams &sp) : prog_(prog), sp_(sp) {}

  void findSymbolic();
  AffineOrWhy affine(const ir::ExprPtr &e);
  AffineOrWhy principalIndex(const ir::ExprPtr &e);
  std::optional<Affine> declared(const ir::ExprPtr &sym, int64_t value,
                                 const std::string &what);
  void checkTypes();
  void readLiterals();

private:
  Affine constant(int64_t v) const {
    return {v, std::vector<int64_t>(sp_.symbolic.size(), 0)};
  }
  static AffineOrWhy why(std::string reason) { return {std::nullopt, reason}; }
  AffineOrWhy combine(ir::Op op, const Affine &a, const Affine &b);
  AffineOrWhy scale(const Affine &a, int64_t k);
  bool typeMentionsSymbolic(const ir::Type &type, int depth = 0) const;
  std::string literalWhy(const ir::Expr &e, const std::string &what,
                         const std::string &reason) const;

  const ir::Program &prog_;
  SymbolicParams &sp_;
};

void Reader::findSymbolic() {
  std::set<int> used;
  for (const auto &ps : prog_.principalSets)
    paramsIn(prog_, ps.symSize, used);
  for (const auto &f : prog_.faults)
    paramsIn(prog_, f.symMax, used);
  sp_.paramSymbol.assign(prog_.params.size(), -1);
  for (size_t i = 0; i < prog_.params.size(); ++i) {
    const auto &p = prog_.params[i];
    if (!used.count(static_cast<int>(i))) {
      sp_.concrete[p.name] = p.value;
      continue;
    }
    sp_.paramSymbol[i] = static_cast<int>(sp_.symbolic.size());
    sp_.symbolic.push_back(p.name);
    sp_.base.push_back(p.value);
  }
  // A constant mentions only earlier constants.
  sp_.constSymbolic.assign(prog_.consts.size(), false);
  for (size_t i = 0; i < prog_.consts.size(); ++i)
    sp_.constSymbolic[i] = sp_.mentionsSymbolic(prog_.consts[i].expr);
}

AffineOrWhy Reader::scale(const Affine &a, int64_t k) {
  Affine out = a;
  auto c0 = ir::arith(ir::Op::Mul, a.c0, k);
  if (!c0)
    return why("overflow");
  out.c0 = *c0;
  for (auto &c : out.coef) {
    auto v = ir::arith(ir::Op::Mul, c, k);
    if (!v)
      return why("overflow");
    c = *v;
  }
  return {out, ""};
}

AffineOrWhy Reader::combine(ir::Op op, const Affine &a, const Affine &b) {
  if (op == ir::Op::Mul) {
    if (a.constant())
      return scale(b, a.c0);
    if (b.constant())
      return scale(a, b.c0);
    return why("a product of two parameters");
  }
  Affine out = a;
  auto c0 = ir::arith(op, a.c0, b.c0);
  if (!c0)
    return why("overflow");
  out.c0 = *c0;
  for (size_t i = 0; i < out.coef.size(); ++i) {
    auto v = ir::arith(op, a.coef[i], b.coef[i]);
    if (!v)
      return why("overflow");
    out.coef[i] = *v;
  }
  return {out, ""};
}

AffineOrWhy Reader::affine(const ir::ExprPtr &e) {
  if (!sp_.mentionsSymbolic(e)) {
    auto v = ir::evalSymbolic(prog_, e);
    if (!v)
      return why("it cannot be evaluated");
    return {constant(*v), ""};
  }
  using EK = ir::ExprKind;
  switch (e->kind) {
  case EK::Param: {
    Affine a = constant(0);
    a.coef.at(sp_.paramSymbol.at(e->index)) = 1;
    return {a, ""};
  }
  case EK::ConstRef:
    return affine(prog_.consts.at(e->index).expr);
  case EK::IntLit:
    return affine(e->sym);
  case EK::Unary: {
    if (e->op != ir::Op::Neg)
      break;
    auto a = affine(e->args.at(0));
    return a.affine ? scale(*a.affine, -1) : a;
  }
  case EK::Binary: {
    if (e->op == ir::Op::Div || e->op == ir::Op::Mod)
      return why(ir::printExpr(prog_, e) + ": a division");
    if (e->op != ir::Op::Add && e->op != ir::Op::Sub && e->op != ir::Op::Mul)
      break;
    auto a = affine(e->args.at(0));
    if (!a.affine)
      return a;
    auto b = affine(e->args.at(1));
    if (!b.affine)
      return b;
    auto c = combine(e->op, *a.affine, *b.affine);
    if (!c.affine)
      c.why = ir::printExpr(prog_, e) + ": " + c.why;
    return c;
  }
  default:
    break;
  }
  return why(ir::printExpr(prog_, e) + ": not arithmetic");
}

// The index within its principal set of a principal-valued symbolic form
// (`R[F]`, a constant naming one, a literal).
AffineOrWhy Reader::principalIndex(const ir::ExprPtr &e) {
  using EK = ir::ExprKind;
  if (e->kind == EK::ConstRef)
    return principalIndex(prog_.consts.at(e->index).expr);
  if (e->kind == EK::PrincipalLit) {
    if (e->sym)
      return principalIndex(e->sym);
    int set = prog_.setOf(static_cast<int>(e->intVal));
    if (set < 0)
      return why("not a principal of a set");
    return {constant(e->intVal - prog_.principalSets[set].first), ""};
  }
  if (e->kind == EK::Index && e->args.at(0)->kind == EK::PrincipalSet)
    return affine(e->args.at(1));
  return why("not a named principal");
}

std::optional<Affine> Reader::declared(const ir::ExprPtr &sym, int64_t value,
                                       const std::string &what) {
  if (!sym)
    return constant(value);
  auto a = affine(sym);
  if (!a.affine && sp_.unsupported.empty())
    sp_.unsupported = fmt::format(
        "{} ({}) is not an affine function of the symbolic parameters ({})",
        what, ir::printExpr(prog_, sym), a.why);
  return a.affine;
}

bool Reader::typeMentionsSymbolic(const ir::Type &type, int depth) const {
  if (depth > 32)
    return false;
  if (sp_.symbolicRange(type))
    return true;
  for (const auto &a : type.args)
    if (a && typeMentionsSymbolic(*a, depth + 1))
      return true;
  if (type.kind == ir::TypeKind::Record)
    for (const auto &f : prog_.records.at(type.record).fields)
      if (f.type && typeMentionsSymbolic(*f.type, depth + 1))
        return true;
  return false;
}

// The state of a round program must have the same finite type at every size.
void Reader::checkTypes() {
  for (const auto &role : prog_.roles) {
    for (const auto &v : role.vars)
      if (v.type && typeMentionsSymbolic(*v.type) && sp_.unsupported.empty())
        sp_.unsupported = fmt::format(
            "the type of variable '{}' depends on the symbolic parameters",
            v.name);
    if (role.phase)
      for (const auto &r : role.phase->rounds)
        if (r.payload && typeMentionsSymbolic(*r.payload) &&
            sp_.unsupported.empty())
          sp_.unsupported = fmt::format("the payload type of round '{}' "
                                        "depends on the symbolic parameters",
                                        r.name);
  }
}

std::string Reader::literalWhy(const ir::Expr &e, const std::string &what,
                               const std::string &reason) const {
  return fmt::format("{}:{}: {} ({}) {}", e.loc.line, e.loc.col, what,
                     ir::printExpr(prog_, e.sym), reason);
}

void Reader::readLiterals() {
  using EK = ir::ExprKind;
  ir::forEachExpr(prog_, [&](const ir::Expr &e) {
    if (!sp_.mentionsSymbolic(e.sym))
      return;
    AffineOrWhy a;
    if (e.kind == EK::IntLit)
      a = affine(e.sym);
    else if (e.kind == EK::PrincipalLit)
      a = principalIndex(e.sym);
    if (!a.affine && e.kind == EK::BoolLit)
      a.why = literalWhy(e, "a boolean constant",
                         "depends on the symbolic parameters");
    else if (!a.affine)
      a.why = literalWhy(e, e.kind == EK::IntLit ? "a number" : "a principal",
                         "is not an affine function of the symbolic "
                         "parameters (" +
                             a.why + ")");
    sp_.literals[&e] = std::move(a);
  });
}

} // namespace

SymbolicParams readSymbolicParams(const ir::Program &program) {
  SymbolicParams sp;
  Reader reader(program, sp);
  reader.findSymbolic();
  if (sp.symbolic.empty()) {
    sp.unsupported = "no parameter sizes a principal set";
    return sp;
  }
  for (const auto &ps : program.principalSets)
    if (auto a = reader.declared(ps.symSize, ps.size,
                                 "the size of principal set '" + ps.name + "'"))
      sp.setSizes.push_back(*a);
  for (const auto &f : program.faults)
    if (auto a = reader.declared(f.symMax, f.max, "a fault bound"))
      sp.faultMax.push_back(*a);
  for (const auto &role : program.roles)
    if (role.phase)
      if (auto a = reader.declared(role.phase->symBound, role.phase->bound,
                                   "the phase bound"))
        sp.phaseBound = *a;
  reader.checkTypes();
  reader.readLiterals();
  return sp;
}

} // namespace mommie::proofs
