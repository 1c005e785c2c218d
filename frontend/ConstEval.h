// Constant evaluation of AST expressions: parameter defaults, `const`s,
// principal-set sizes, range bounds, `assume`, fault bounds, phase bounds.
// A constant is an integer, a boolean or a principal (a global id). Names
// are resolved through a callback (Sema's global table); anything else that
// is not constant is reported as an error.
//
// foldInt() is the same idea on lowered IR expressions (used where a value
// is optional, e.g. to type `lo..hi` set expressions precisely).
#pragma once

#include "frontend/Ast.h"
#include "ir/Diagnostics.h"
#include "ir/IR.h"

#include <functional>
#include <optional>
#include <string>

namespace mommie::frontend {

struct ConstValue {
  enum class Kind { Int, Bool, Principal } kind = Kind::Int;
  int64_t value = 0;
  int set = -1; // Principal: its principal set
};

class ConstEval {
public:
  // Resolves an identifier to a constant; reports its own errors and
  // returns nullopt when the name is not a constant.
  using NameFn = std::function<std::optional<ConstValue>(
      const std::string &, const ir::SourceLoc &)>;
  // Resolves `SET[i]`: the global id of member i, or nullopt (reported).
  using MemberFn = std::function<std::optional<ConstValue>(
      const std::string &set, int64_t i, const ir::SourceLoc &)>;

  ConstEval(DiagnosticEngine &diags, NameFn names, MemberFn members)
      : diags_(diags), names_(std::move(names)), members_(std::move(members)) {}

  std::optional<ConstValue> eval(const ast::Expr &e);
  // Evaluates and requires an integer; `what` names the context in errors.
  std::optional<int64_t> evalInt(const ast::Expr &e, const std::string &what);

  // The symbolic form of a constant expression, as IR (docs: ir/IR.h): its
  // names resolved by `names` to Param, ConstRef or PrincipalSet nodes, and
  // `S[i]` as Index(PrincipalSet, i). Reports nothing; null where a part
  // is not a constant (eval() reports those). Call it on an expression
  // eval() accepted.
  using SymNameFn =
      std::function<ir::ExprPtr(const std::string &, const ir::SourceLoc &)>;
  static ir::ExprPtr symbolic(const ast::Expr &e, const SymNameFn &names);

private:
  std::optional<ConstValue> binary(const ast::Expr &e);
  void error(const ir::SourceLoc &loc, std::string msg) {
    diags_.error(loc, std::move(msg));
  }

  DiagnosticEngine &diags_;
  NameFn names_;
  MemberFn members_;
  int depth_ = 0;
};

// The integer value of a lowered expression built only from literals and
// arithmetic, or nullopt.
std::optional<int64_t> foldInt(const ir::Expr &e);

// Whether a symbolic expression reads a parameter or a named constant.
bool usesParams(const ir::ExprPtr &e);

} // namespace mommie::frontend
