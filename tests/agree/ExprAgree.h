// Item 4 of the agreement fuzzer: one random expression evaluated by the
// checker (checker/Eval.h) and by the SMT encoding of `mommie prove`
// (proofs/SymEval.h, under Z3) gives one value or the same evaluation
// error. The expression is the body of `fun f(a: int, b: int, c: bool)`,
// compiled by the front end, at given argument values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mommie::agree {

struct ExprOutcome {
  bool compiled = false;  // the front end accepted the program
  std::string frontError; // ... else its diagnostics
  std::optional<int64_t> checker,
      smt; // the value; nullopt: an evaluation error
  std::string checkerError, smtError;
  bool smtUnsupported = false; // the encoding refused it (reason in smtError)
  bool agree() const { return checker == smt; }
};

// `expr` is an integer expression when `isInt`, else boolean (values 0/1).
ExprOutcome evaluateBoth(const std::string &expr, bool isInt, int64_t a,
                         int64_t b, bool c);

// The program evaluateBoth compiles.
std::string exprProgram(const std::string &expr, bool isInt);

} // namespace mommie::agree
