// Which numbers of a lowered program are parameters. The IR holds concrete
// numbers only (parameters and `const`s are substituted at lowering), so the
// parameterized encoding recovers them: the program is lowered again with
// each parameter that sizes a principal set moved by +1 and +2, the IRs are
// walked in the same order, and every integer literal, principal-set size
// and fault bound that changes is fitted as an affine function of those
// parameters (validated on the extra point). A program whose IR shape
// changes with the parameters, or whose numbers are not affine in them, is
// not supported (the prover reports `unknown` with the reason).
#pragma once

#include "ir/IR.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mommie::proofs {

// Lowers the program's source with parameter overrides (like -D); nullopt
// when the front end rejects that instance (e.g. an `assume` fails).
using Lowerer = std::function<std::optional<ir::Program>(
    const std::map<std::string, int64_t> &)>;

// c0 + sum coef[i] * param[i] over the symbolic parameters.
struct Affine {
  int64_t c0 = 0;
  std::vector<int64_t> coef;
  bool constant() const;
  std::string text(const std::vector<std::string> &names) const;
};

struct ParamShape {
  std::vector<std::string> symbolic;   // parameters made symbolic
  std::vector<int64_t> base;           // their values in the base program
  std::map<std::string, int64_t> concrete; // the other parameters
  std::map<const ir::Expr *, Affine> literals; // IntLits of the base program
  std::vector<Affine> setSizes;                 // per principal set
  std::vector<Affine> faultMax;                 // per fault declaration
  std::string unsupported; // why no shape could be found
};

// `base` is the program lowered with `defines` (the values of -D); `lower`
// lowers other instances.
ParamShape findParamShape(const ir::Program &base,
                          const std::map<std::string, int64_t> &defines,
                          const Lowerer &lower);

// Every expression of the program, in a fixed pre-order (functions, role
// variables, rounds, invariants, communication predicates, assumptions).
void walkExprs(const ir::Program &prog,
               const std::function<void(const ir::Expr &)> &fn);

} // namespace mommie::proofs
