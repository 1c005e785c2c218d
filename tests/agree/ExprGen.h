// Random well-typed mommie expressions, as source text, for the agreement
// fuzzer (tests/agree): integer expressions with + - * / %, unary -,
// if-then-else, card/max/min of small sets, and boolean expressions with
// comparisons, && || => !, membership and exists/forall over small ranges.
// Every operand is parenthesised, so no precedence rule matters.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mommie::agree {

// The names an expression may read, and what its literals may be.
struct Scope {
  std::vector<std::string> ints;  // integer-valued expressions (x, mm.v, x[p])
  std::vector<std::string> bools; // boolean-valued expressions
  // Literals at the 64-bit edges (INT64_MIN, INT64_MAX, ...); without, the
  // literals stay small so that every value fits TLC's 32-bit integers.
  bool edges = false;
  // `/` and `%` (whose divisor may be <= 0: an evaluation error).
  bool division = true;
  int binders = 0; // quantifier binders made so far (i0, i1, ...)
};

class ExprGen {
public:
  explicit ExprGen(std::mt19937_64 &rng) : rng_(rng) {}

  std::string intExpr(Scope &s, int depth);
  std::string boolExpr(Scope &s, int depth);
  std::string literal(bool edges);

  // 0 .. n-1.
  int pick(int n) {
    return int(std::uniform_int_distribution<int>(0, n - 1)(rng_));
  }
  bool chance(int percent) { return pick(100) < percent; }
  int between(int lo, int hi) { return lo + pick(hi - lo + 1); }

private:
  std::string smallRange();
  std::string bound(Scope &s, const std::string &quantifier, int depth);
  std::mt19937_64 &rng_;
};

} // namespace mommie::agree
