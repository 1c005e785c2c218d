// See ExprGen.h.
#include "ExprGen.h"

namespace mommie::agree {

namespace {

const char *const kEdgeLiterals[] = {
    "9223372036854775807",
    "9223372036854775806",
    "(-9223372036854775807 - 1)",
    "(-9223372036854775807)",
    "4611686018427387904",
    "3037000500",
    "2147483647",
    "2147483648",
    "(-2147483648)",
};

std::string paren(const std::string &s) { return "(" + s + ")"; }

// Each operand is drawn before the next one (the order of the operands of
// `+` on strings is unspecified, and the same seed must give the same
// expression with every compiler).
template <class F> std::vector<std::string> draw(int n, F f) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i)
    v.push_back(f());
  return v;
}

} // namespace

std::string ExprGen::literal(bool edges) {
  if (edges && chance(40))
    return kEdgeLiterals[pick(int(std::size(kEdgeLiterals)))];
  int v = between(-3, 5);
  return v < 0 ? paren(std::to_string(v)) : std::to_string(v);
}

std::string ExprGen::smallRange() {
  int lo = between(-2, 2);
  int hi = lo + between(-1, 3); // sometimes empty
  auto lit = [](int v) {
    return v < 0 ? paren(std::to_string(v)) : std::to_string(v);
  };
  return lit(lo) + ".." + lit(hi);
}

// `exists i in lo..hi: B` and the like: a fresh binder, in scope for B only.
std::string ExprGen::bound(Scope &s, const std::string &quantifier, int depth) {
  std::string name = "i" + std::to_string(s.binders++);
  std::string range = smallRange();
  s.ints.push_back(name);
  std::string body = boolExpr(s, depth - 1);
  s.ints.pop_back();
  if (quantifier == "filter")
    return "{ " + name + " in " + range + " | " + body + " }";
  return paren(quantifier + " " + name + " in " + range + ": " + body);
}

std::string ExprGen::intExpr(Scope &s, int depth) {
  if (depth <= 0 || chance(25)) {
    if (!s.ints.empty() && chance(70))
      return s.ints[size_t(pick(int(s.ints.size())))];
    return literal(s.edges);
  }
  auto i = [&] { return intExpr(s, depth - 1); };
  auto b = [&] { return boolExpr(s, depth - 1); };
  int what = pick(10);
  if (what == 4 && !s.division)
    what = 5;
  switch (what) {
  case 0:
  case 1:
  case 2:
  case 3:
  case 4: {
    static const char *const kOps[] = {" + ", " + ", " - ", " * "};
    std::string op = what < 4 ? kOps[what] : chance(50) ? " / " : " % ";
    auto v = draw(2, i);
    return paren(v[0] + op + v[1]);
  }
  case 5:
    return paren("-" + i());
  case 6:
  case 7: {
    std::string c = b();
    auto v = draw(2, i);
    return paren("if " + c + " then " + v[0] + " else " + v[1]);
  }
  case 8:
    return "card(" + bound(s, "filter", depth) + ")";
  default: {
    // max/min of a non-empty set literal.
    std::string f = chance(50) ? "max" : "min";
    auto v = draw(2, i);
    return f + "({" + v[0] + ", " + v[1] + "})";
  }
  }
}

std::string ExprGen::boolExpr(Scope &s, int depth) {
  static const char *const kCompare[] = {" == ", " != ", " < ",
                                         " <= ", " > ",  " >= "};
  auto i = [&] { return intExpr(s, depth - 1); };
  auto b = [&] { return boolExpr(s, depth - 1); };
  if (depth <= 0 || chance(20)) {
    if (!s.bools.empty() && chance(40))
      return s.bools[size_t(pick(int(s.bools.size())))];
    if (chance(15))
      return chance(50) ? "true" : "false";
    std::string op = kCompare[pick(6)];
    auto v = draw(2, [&] { return intExpr(s, 0); });
    return paren(v[0] + op + v[1]);
  }
  switch (pick(11)) {
  case 0:
  case 1: {
    std::string op = kCompare[pick(6)];
    auto v = draw(2, i);
    return paren(v[0] + op + v[1]);
  }
  case 2:
  case 3:
  case 4: {
    static const char *const kOps[] = {" && ", " || ", " => "};
    std::string op = kOps[pick(3)];
    auto v = draw(2, b);
    return paren(v[0] + op + v[1]);
  }
  case 5:
    return paren("!" + b());
  case 6:
    return bound(s, "exists", depth);
  case 7:
    return bound(s, "forall", depth);
  case 8: {
    std::string op = chance(70) ? " in " : " notin ";
    auto v = draw(3, i);
    return paren(v[0] + op + "{" + v[1] + ", " + v[2] + "}");
  }
  case 9: {
    std::string e = i();
    return paren(e + " in " + smallRange());
  }
  default: {
    auto v = draw(3, b);
    return paren("if " + v[0] + " then " + v[1] + " else " + v[2]);
  }
  }
}

} // namespace mommie::agree
