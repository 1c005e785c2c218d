// The language's integer arithmetic (docs/semantics.md, "Integers"),
// written once for every evaluator: constant evaluation and folding
// (ir/Arith.h), the checker (checker/Eval.cpp) and generated nodes
// (runtime/wire/Ops.cpp). The SMT encoding (proofs/SymEval.cpp) states the
// same domain as a proof obligation.
//
// Integers are mathematical within the machine bound -2^63 .. 2^63-1:
//  - `+`, `-`, `*` and unary `-` are exact; a result outside the bound is
//    an evaluation error ("integer overflow");
//  - `/` is floor division and `%` the remainder that goes with it (TLA+
//    `\div` and `%`, which the standard Integers module defines for a
//    positive divisor only); a divisor <= 0 is an evaluation error. The
//    result then lies between 0 and the dividend, so it never overflows,
//    and SMT-LIB's `div`/`mod` (Euclidean) agree with it.
// Header-only, so that the compiler's layers share it without linking the
// runtime.
#pragma once

#include <cstdint>

namespace mommie::rt::arith {

enum class Op { Add, Sub, Mul, Div, Mod, Neg };

inline constexpr int64_t kMin = INT64_MIN;
inline constexpr int64_t kMax = INT64_MAX;

// The message of `op`'s evaluation error (overflow, or a divisor that is
// not positive).
inline const char *errorMessage(Op op) {
  switch (op) {
  case Op::Add:
    return "integer overflow in +";
  case Op::Sub:
    return "integer overflow in -";
  case Op::Mul:
    return "integer overflow in *";
  case Op::Neg:
    return "integer overflow in unary -";
  case Op::Div:
    return "division by a divisor that is not positive";
  case Op::Mod:
    return "modulus by a divisor that is not positive";
  }
  return "unknown arithmetic operator";
}

// Applies `op` (Neg ignores `y`): nullptr with the result in `out`, or the
// evaluation error's message.
inline const char *apply(Op op, int64_t x, int64_t y, int64_t &out) {
  bool fails = false;
  switch (op) {
  case Op::Add:
    fails = __builtin_add_overflow(x, y, &out);
    break;
  case Op::Sub:
    fails = __builtin_sub_overflow(x, y, &out);
    break;
  case Op::Mul:
    fails = __builtin_mul_overflow(x, y, &out);
    break;
  case Op::Neg:
    fails = __builtin_sub_overflow(int64_t(0), x, &out);
    break;
  case Op::Div:
  case Op::Mod: {
    fails = y <= 0;
    if (fails)
      break;
    int64_t q = x / y, r = x % y;
    if (r < 0) { // floor: the remainder takes the divisor's (positive) sign
      --q;
      r += y;
    }
    out = op == Op::Div ? q : r;
    break;
  }
  }
  return fails ? errorMessage(op) : nullptr;
}

} // namespace mommie::rt::arith
