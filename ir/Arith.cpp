// Compile-time integer arithmetic (see Arith.h).
#include "ir/Arith.h"

#include "runtime/wire/Arith.h"

namespace mommie::ir {

const char *arithError(Op op, int64_t x, int64_t y, int64_t &out) {
  using A = rt::arith::Op;
  switch (op) {
  case Op::Add:
    return rt::arith::apply(A::Add, x, y, out);
  case Op::Sub:
    return rt::arith::apply(A::Sub, x, y, out);
  case Op::Mul:
    return rt::arith::apply(A::Mul, x, y, out);
  case Op::Div:
    return rt::arith::apply(A::Div, x, y, out);
  case Op::Mod:
    return rt::arith::apply(A::Mod, x, y, out);
  case Op::Neg:
    return rt::arith::apply(A::Neg, x, y, out);
  default:
    return "not an arithmetic operator";
  }
}

std::optional<int64_t> arith(Op op, int64_t x, int64_t y) {
  int64_t r = 0;
  return arithError(op, x, y, r) ? std::nullopt : std::optional(r);
}

} // namespace mommie::ir
