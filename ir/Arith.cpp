// Compile-time integer arithmetic (see Arith.h).
#include "ir/Arith.h"

namespace mommie::ir {

std::optional<int64_t> arith(Op op, int64_t x, int64_t y) {
  int64_t r = 0;
  switch (op) {
  case Op::Add:
    return __builtin_add_overflow(x, y, &r) ? std::nullopt : std::optional(r);
  case Op::Sub:
    return __builtin_sub_overflow(x, y, &r) ? std::nullopt : std::optional(r);
  case Op::Mul:
    return __builtin_mul_overflow(x, y, &r) ? std::nullopt : std::optional(r);
  case Op::Div:
  case Op::Mod: {
    if (y == 0 || (x == INT64_MIN && y == -1))
      return std::nullopt;
    int64_t q = x / y;
    if (x % y != 0 && ((x < 0) != (y < 0)))
      --q; // floor division
    return op == Op::Div ? q : x - q * y;
  }
  default:
    return std::nullopt;
  }
}

} // namespace mommie::ir
