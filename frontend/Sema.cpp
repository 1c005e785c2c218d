// Sema driver: the global name table, -D overrides, assumptions, principal
// sets, and the order in which the declaration checkers run.
#include "frontend/Sema.h"

#include "frontend/AstPrinter.h"
#include "frontend/Lower.h"
#include "frontend/Types.h"
#include "ir/Instantiate.h"

#include <fmt/format.h>

namespace mommie::frontend {

Sema::Sema(const ast::Program &ast, const Options &options,
           DiagnosticEngine &diags)
    : ast_(ast), options_(options), diags_(diags) {}

void Sema::redefinition(const std::string &name, const ir::SourceLoc &loc,
                        const ir::SourceLoc &prev) {
  error(loc, fmt::format("redefinition of '{}'", name));
  note(prev, "previous definition is here");
}

void Sema::warnUnused(const std::vector<Local> &unused) {
  for (const auto &l : unused) {
    const char *what = l.kind == LocalKind::Param           ? "parameter"
                       : l.kind == LocalKind::PatternRecord ? "pattern variable"
                       : l.kind == LocalKind::IssuerBinder  ? "issuer variable"
                                                            : "variable";
    warning(l.loc, fmt::format("unused {} '{}'", what, l.name));
  }
}

const Global *Sema::global(const std::string &name) const {
  auto it = globals_.find(name);
  return it == globals_.end() ? nullptr : &it->second;
}

void Sema::declareGlobal(const std::string &name, GlobalKind kind, int index,
                         const ir::SourceLoc &loc) {
  auto [it, inserted] = globals_.emplace(name, Global{kind, index, loc});
  if (!inserted)
    redefinition(name, loc, it->second.loc);
}

void Sema::collectGlobals() {
  for (const auto &d : ast_.decls) {
    if (auto *p = std::get_if<ast::ParamDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::Param, (int)params_.size(), p->loc);
      params_.push_back(p);
    } else if (auto *p = std::get_if<ast::ConstDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::Const, (int)consts_.size(), p->loc);
      consts_.push_back(p);
    } else if (auto *p = std::get_if<ast::PrincipalsDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::PrincipalSet, (int)sets_.size(),
                    p->loc);
      sets_.push_back(p);
      ir::PrincipalSet s;
      s.name = p->name;
      s.loc = p->loc;
      out_.principalSets.push_back(s);
    } else if (auto *p = std::get_if<ast::RecordDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::Record, (int)records_.size(), p->loc);
      records_.push_back(p);
      ir::RecordDecl r;
      r.name = p->name;
      r.loc = p->loc;
      out_.records.push_back(r);
    } else if (auto *p = std::get_if<ast::TypeAliasDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::TypeAlias, (int)aliases_.size(),
                    p->loc);
      aliases_.push_back(p);
    } else if (auto *p = std::get_if<ast::FunDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::Fun, (int)funs_.size(), p->loc);
      funs_.push_back(p);
    } else if (auto *p = std::get_if<ast::RoleDecl>(&d)) {
      declareGlobal(p->name, GlobalKind::Role, (int)roles_.size(), p->loc);
      roles_.push_back(p);
    } else if (auto *p = std::get_if<ast::InvariantDecl>(&d)) {
      auto [it, ins] = propertyNames_.emplace(p->name, p->loc);
      if (!ins)
        redefinition(p->name, p->loc, it->second);
    } else if (auto *p = std::get_if<ast::ConstraintDecl>(&d)) {
      if (p->name.empty())
        continue;
      auto [it, ins] = propertyNames_.emplace(p->name, p->loc);
      if (!ins)
        redefinition(p->name, p->loc, it->second);
    } else if (auto *p = std::get_if<ast::PropertyDecl>(&d)) {
      auto [it, ins] = propertyNames_.emplace(p->name, p->loc);
      if (!ins)
        redefinition(p->name, p->loc, it->second);
    } else if (auto *p = std::get_if<ast::CommunicationDecl>(&d)) {
      auto [it, ins] = propertyNames_.emplace(p->name, p->loc);
      if (!ins)
        redefinition(p->name, p->loc, it->second);
    }
  }
  paramState_.assign(params_.size(), 0);
  paramValues_.assign(params_.size(), 0);
  constState_.assign(consts_.size(), 0);
  constValues_.assign(consts_.size(), ConstValue{});
  setState_.assign(sets_.size(), 0);
  aliasState_.assign(aliases_.size(), 0);
  aliasTypes_.assign(aliases_.size(), nullptr);
}

// A -D for a name that is not a parameter: the error suggests the closest
// parameter and lists them all.
void Sema::checkDefines() {
  std::vector<std::string> known;
  for (const auto *p : params_)
    known.push_back(p->name);
  for (const auto &[name, value] : options_.defines) {
    const Global *g = global(name);
    if (g && g->kind == GlobalKind::Param)
      continue;
    ir::SourceLoc loc;
    loc.file = ast_.file;
    error(loc, fmt::format("-D {}={}: ", name, value) +
                   ir::unknownParameterMessage(name, ast_.name, known));
  }
}

void Sema::finishPrincipals() {
  for (size_t i = 0; i < sets_.size(); ++i)
    principalSetReady((int)i);
  out_.numPrincipals = nextPrincipal_;
}

void Sema::checkAssumptions() {
  for (const auto *a : ast_.all<ast::AssumeDecl>()) {
    if (!a->expr)
      continue;
    unsigned before = diags_.errorCount();
    auto v = constEval().eval(*a->expr);
    if (!v)
      continue;
    if (v->kind != ConstValue::Kind::Bool) {
      error(a->expr->loc, "assumption must be a boolean");
      continue;
    }
    if (!v->value) {
      std::string values;
      for (size_t i = 0; i < params_.size(); ++i)
        values += fmt::format("{}{} = {}", i ? ", " : "", params_[i]->name,
                              paramValues_[i]);
      error(a->loc, fmt::format("assumption 'assume {}' does not hold ({})",
                                printExpr(*a->expr), values));
      for (size_t i = 0; i < params_.size(); ++i)
        if (options_.defines.count(params_[i]->name))
          note(params_[i]->loc,
               fmt::format("-D {}={} overrides the declared value {}",
                           params_[i]->name, paramValues_[i],
                           printExpr(*params_[i]->value)));
      continue;
    }
    if (diags_.errorCount() != before)
      continue;
    Frame frame;
    ScopeStack scopes;
    ExprCtx ctx;
    ctx.kind = ExprCtx::Kind::Assume;
    ctx.frame = &frame;
    ctx.scopes = &scopes;
    ir::Predicate pred;
    pred.name = "assume";
    pred.loc = a->loc;
    pred.expr = expr(*a->expr, ctx, boolType());
    pred.slots = frame.take();
    if (pred.expr)
      out_.assumptions.push_back(std::move(pred));
  }
}

std::optional<ir::Program> Sema::run() {
  unsigned before = diags_.errorCount();
  out_.name = ast_.name;
  out_.file = ast_.file;
  collectGlobals();
  for (size_t i = 0; i < params_.size(); ++i) {
    auto v = paramValue((int)i);
    ir::Param p;
    p.name = params_[i]->name;
    p.value = v.value_or(0);
    p.loc = params_[i]->loc;
    if (params_[i]->value)
      p.def = symbolicConst(*params_[i]->value);
    out_.params.push_back(p);
  }
  checkDefines();
  finishPrincipals();
  for (size_t i = 0; i < consts_.size(); ++i) {
    constValue((int)i);
    ir::ConstDecl c;
    c.name = consts_[i]->name;
    c.loc = consts_[i]->loc;
    if (consts_[i]->value)
      c.expr = symbolicConst(*consts_[i]->value);
    out_.consts.push_back(std::move(c));
  }
  for (size_t i = 0; i < aliases_.size(); ++i)
    aliasType((int)i, aliases_[i]->loc);
  resolveRecords();
  checkAssumptions();
  checkFuns();
  checkRoles();
  checkGhosts();
  checkFaults();
  checkInvariants();
  checkConstraints();
  checkProperties();
  checkCommunication();
  checkMisc();
  checkRecursion();
  checkByzantineRecords();
  checkFireable();
  checkUnusedVars();
  if (diags_.errorCount() != before)
    return std::nullopt;
  return std::move(out_);
}

} // namespace mommie::frontend
