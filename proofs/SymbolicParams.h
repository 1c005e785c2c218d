// The parameters of a round program as the parameterized encoding sees them,
// read from the IR's symbolic forms (ir/IR.h). A parameter that sizes a
// principal set or bounds a fault (it occurs in a PrincipalSet::symSize or a
// FaultDecl::symMax, directly or through a named constant) is *symbolic*;
// the others keep the program's values. Every principal-set size, fault
// bound, phase bound and literal whose symbolic form mentions a symbolic
// parameter becomes an affine function of the symbolic parameters (named
// constants expanded); a form that is not affine (`F * F`, a division by a
// parameter) is recorded with the reason, and the encoding reports
// `unknown` where it needs that number.
#pragma once

#include "ir/IR.h"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mommie::proofs {

// c0 + sum coef[i] * param[i] over the symbolic parameters.
struct Affine {
  int64_t c0 = 0;
  std::vector<int64_t> coef;
  bool constant() const;
  std::string text(const std::vector<std::string> &names) const;
};

// A number of the program over the symbolic parameters: the affine function,
// or why there is none.
struct AffineOrWhy {
  std::optional<Affine> affine;
  std::string why;
};

struct SymbolicParams {
  std::vector<std::string> symbolic;       // in declaration order
  std::vector<int64_t> base;               // their values in the program
  std::map<std::string, int64_t> concrete; // every other parameter
  // Literals whose symbolic form mentions a symbolic parameter: an IntLit's
  // value, a PrincipalLit's index within its principal set; a BoolLit only
  // with the reason it is not supported.
  std::unordered_map<const ir::Expr *, AffineOrWhy> literals;
  std::vector<Affine> setSizes; // per principal set
  std::vector<Affine> faultMax; // per fault declaration
  Affine phaseBound;            // of the round program's phase
  std::string unsupported;      // why the program is outside the encoding

  // Whether a symbolic form mentions a symbolic parameter.
  bool mentionsSymbolic(const ir::ExprPtr &sym) const;
  // Whether a range type's bounds do.
  bool symbolicRange(const ir::Type &type) const;
  // The program's parameter values with the symbolic ones at `values`.
  std::map<std::string, int64_t>
  valuesAt(const std::vector<int64_t> &values) const;

  std::vector<int> paramSymbol;    // per Program::params: its index in
                                   // `symbolic`, or -1
  std::vector<bool> constSymbolic; // per Program::consts: mentions one
};

// Reads the symbolic parameters of a round program in one walk over its
// expressions (ir::forEachExpr: patterns and PUBLISH verifiers included).
SymbolicParams readSymbolicParams(const ir::Program &program);

} // namespace mommie::proofs
