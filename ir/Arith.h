// Integer arithmetic with the language's meaning (docs/semantics.md), for
// every compile-time evaluator (constant evaluation, folding, instantiate):
// + - * on 64-bit integers, floor division (TLA+ \div) and the modulus
// that goes with it (TLA+ %). nullopt on overflow or a zero divisor.
#pragma once

#include "ir/IR.h"

#include <optional>

namespace mommie::ir {

// `op` is Add, Sub, Mul, Div or Mod; any other op gives nullopt.
std::optional<int64_t> arith(Op op, int64_t x, int64_t y);

} // namespace mommie::ir
