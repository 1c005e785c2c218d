// Out-of-line helpers of the IR: the kind and builtin tables generated from
// ExprKinds.def, principal names and principal-set lookup.
#include "ir/IR.h"

#include <cassert>
#include <iterator>

// At global scope, where the ExprField names (Builtin, Pattern, ...) do not
// collide with the IR's types.
namespace {

using namespace mommie::ir::ExprField;
using mommie::ir::kByDeclaration;
using mommie::ir::kVariadic;

const mommie::ir::ExprKindInfo kExprKinds[] = {
#define MOMMIE_EXPR_KIND(Name, MinArgs, MaxArgs, Fields, Description)          \
  {#Name, MinArgs, MaxArgs, Fields, Description},
#include "ir/ExprKinds.def"
};

const mommie::ir::BuiltinInfo kBuiltins[] = {
#define MOMMIE_BUILTIN(Name, Spelling, Arity, Description)                     \
  {#Name, Spelling, Arity, Description},
#include "ir/ExprKinds.def"
};

} // namespace

namespace mommie::ir {

const ExprKindInfo &exprKindInfo(ExprKind k) {
  static const ExprKindInfo bad{"<bad kind>", 0, kVariadic, ExprField::None,
                                ""};
  size_t i = static_cast<size_t>(k);
  assert(i < std::size(kExprKinds) && "an ExprKind outside ExprKinds.def");
  return i < std::size(kExprKinds) ? kExprKinds[i] : bad;
}

const BuiltinInfo &builtinInfo(Builtin b) {
  static const BuiltinInfo bad{"<bad builtin>", "<builtin>", 1, ""};
  size_t i = static_cast<size_t>(b);
  assert(i < std::size(kBuiltins) && "a Builtin outside ExprKinds.def");
  return i < std::size(kBuiltins) ? kBuiltins[i] : bad;
}

std::optional<Builtin> builtinNamed(std::string_view spelling) {
  for (size_t i = 0; i < std::size(kBuiltins); ++i)
    if (spelling == kBuiltins[i].spelling)
      return static_cast<Builtin>(i);
  return std::nullopt;
}

const char *fairnessName(Fairness f) {
  switch (f) {
  case Fairness::None:
    return "none";
  case Fairness::Weak:
    return "weak";
  case Fairness::Strong:
    return "strong";
  }
  return "none";
}

std::vector<int> Transition::refractionSlots() const {
  std::vector<int> out(params.begin(), params.end());
  for (const auto &p : triggers) {
    if (p.issuer.kind == IssuerPattern::Kind::Bind && p.issuer.slot >= 0)
      out.push_back(p.issuer.slot);
    if (p.slot >= 0 && !p.statementSet)
      out.push_back(p.slot);
  }
  return out;
}

int Program::setOf(int principal) const {
  for (size_t i = 0; i < principalSets.size(); ++i) {
    const auto &s = principalSets[i];
    if (principal >= s.first && principal < s.first + s.size)
      return static_cast<int>(i);
  }
  return -1;
}

static bool hasModelRange(const Program &p, const Type &t, int depth) {
  if (t.kind == TypeKind::Range)
    return t.model;
  if (depth > 32) // records nest by reference, never cyclically
    return false;
  if (t.kind == TypeKind::Record) {
    if (t.record < 0 || size_t(t.record) >= p.records.size())
      return false;
    for (const auto &f : p.records[size_t(t.record)].fields)
      if (f.type && hasModelRange(p, *f.type, depth + 1))
        return true;
    return false;
  }
  for (const auto &a : t.args)
    if (a && hasModelRange(p, *a, depth + 1))
      return true;
  return false;
}

bool Program::hasModelRange(const Type &t) const {
  return mommie::ir::hasModelRange(*this, t, 0);
}

bool Program::hasModelRanges() const {
  for (const auto &role : roles)
    for (const auto &v : role.vars)
      if (hasModelRange(*v.type))
        return true;
  for (const auto &rec : records)
    for (const auto &f : rec.fields)
      if (f.type && hasModelRange(*f.type))
        return true;
  return false;
}

std::string Program::principalName(int id) const {
  int set = setOf(id);
  if (set < 0)
    return "<principal " + std::to_string(id) + ">";
  const auto &s = principalSets[set];
  return s.name + std::to_string(id - s.first);
}

} // namespace mommie::ir
