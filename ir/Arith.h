// Integer arithmetic with the language's meaning (runtime/wire/Arith.h,
// docs/semantics.md "Integers") over the IR's operators, for every
// evaluator of the compiler: constant evaluation, folding, instantiate and
// the checker.
#pragma once

#include "ir/IR.h"

#include <optional>

namespace mommie::ir {

// `op` is Add, Sub, Mul, Div, Mod or Neg (which ignores `y`): nullptr with
// the result in `out`, or the evaluation error's message (an overflow, a
// divisor that is not positive, or an `op` that is not arithmetic).
const char *arithError(Op op, int64_t x, int64_t y, int64_t &out);

// The same, nullopt on an evaluation error.
std::optional<int64_t> arith(Op op, int64_t x, int64_t y);

} // namespace mommie::ir
