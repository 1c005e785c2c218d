// Out-of-line helpers of the IR: the kind and builtin tables generated from
// ExprKinds.def, principal names and principal-set lookup.
#include "ir/IR.h"

#include <iterator>

// At global scope, where the ExprField names (Builtin, Pattern, ...) do not
// collide with the IR's types.
namespace {

using namespace mommie::ir::ExprField;
using mommie::ir::kByDeclaration;
using mommie::ir::kVariadic;

const mommie::ir::ExprKindInfo kExprKinds[] = {
#define MOMMIE_EXPR_KIND(Name, MinArgs, MaxArgs, Fields, Description)                    \
  {#Name, MinArgs, MaxArgs, Fields, Description},
#include "ir/ExprKinds.def"
};

const mommie::ir::BuiltinInfo kBuiltins[] = {
#define MOMMIE_BUILTIN(Name, Spelling, Arity, Description) {#Name, Spelling, Arity, Description},
#include "ir/ExprKinds.def"
};

} // namespace

namespace mommie::ir {

const ExprKindInfo &exprKindInfo(ExprKind k) {
  static const ExprKindInfo bad{"<bad kind>", 0, kVariadic, ExprField::None, ""};
  size_t i = static_cast<size_t>(k);
  return i < std::size(kExprKinds) ? kExprKinds[i] : bad;
}

const BuiltinInfo &builtinInfo(Builtin b) {
  static const BuiltinInfo bad{"<bad builtin>", "<builtin>", 1, ""};
  size_t i = static_cast<size_t>(b);
  return i < std::size(kBuiltins) ? kBuiltins[i] : bad;
}

std::optional<Builtin> builtinNamed(std::string_view spelling) {
  for (size_t i = 0; i < std::size(kBuiltins); ++i)
    if (spelling == kBuiltins[i].spelling)
      return static_cast<Builtin>(i);
  return std::nullopt;
}

int Program::setOf(int principal) const {
  for (size_t i = 0; i < principalSets.size(); ++i) {
    const auto &s = principalSets[i];
    if (principal >= s.first && principal < s.first + s.size)
      return static_cast<int>(i);
  }
  return -1;
}

std::string Program::principalName(int id) const {
  int set = setOf(id);
  if (set < 0)
    return "<principal " + std::to_string(id) + ">";
  const auto &s = principalSets[set];
  return s.name + std::to_string(id - s.first);
}

} // namespace mommie::ir
