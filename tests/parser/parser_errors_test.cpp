// Syntax errors: exact `file:line:col: error: message`, recovery at the next
// top-level declaration, nesting limits, never a crash.
#include "ParseHelpers.h"

using mommie::test::parse;

namespace {
std::vector<std::string> errorsOf(const std::string &src) {
  auto r = parse(src);
  EXPECT_FALSE(r.program.has_value());
  return r.errors;
}
} // namespace

TEST(ParserErrors, MissingSemicolonPointsAtNextToken) {
  auto e = errorsOf("protocol P;\nparam F = 1\nparam G = 2;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:3:1: error: expected ';'");
}

TEST(ParserErrors, MissingExpression) {
  auto e = errorsOf(
      "protocol P;\nrole X at R {\n  transition T @@{ x <- ; @@}\n}\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:3:25: error: expected expression");
}

TEST(ParserErrors, MissingHeader) {
  auto e = errorsOf("param F = 1;\n");
  ASSERT_GE(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:1:1: error: expected 'protocol'");
}

TEST(ParserErrors, UnknownDeclaration) {
  auto e = errorsOf("protocol P;\nfoo bar;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:1: error: expected declaration");
}

TEST(ParserErrors, KeywordIsNotAnIdentifier) {
  auto e = errorsOf("protocol P;\nparam round = 1;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:7: error: expected identifier");
}

TEST(ParserErrors, PatternParts) {
  auto e =
      errorsOf("protocol P;\nrole X at R {\n  transition T WHEN [R >= 3, ME] "
               "Reply r @@{ skip; @@}\n}\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:3:32: error: expected ','");
  auto e2 =
      errorsOf("protocol P;\nrole X at R {\n  transition T WHEN [R >= 3, ME, "
               "NOONE] r @@{ skip; @@}\n}\n");
  ASSERT_EQ(e2.size(), 1u);
  EXPECT_EQ(e2[0], "t.mom:3:43: error: expected pattern variable");
}

TEST(ParserErrors, BadRoleMemberAndStatement) {
  auto e = errorsOf("protocol P;\nrole X at R {\n  vars x: int;\n}\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:3:3: error: expected role member ('var', 'timer', "
                  "'transition', 'retire' or 'phase'); did you mean 'var'?");
  auto e2 = errorsOf(
      "protocol P;\nrole X at R {\n  transition T @@{ 3 <- x; @@}\n}\n");
  ASSERT_EQ(e2.size(), 1u);
  EXPECT_EQ(e2[0], "t.mom:3:20: error: expected statement");
  auto e3 = errorsOf(
      "protocol P;\nrole X at R {\n  transition T @@{ x = 3; @@}\n}\n");
  ASSERT_EQ(e3.size(), 1u);
  EXPECT_EQ(
      e3[0],
      "t.mom:3:22: error: expected '<-'; an assignment is written 'x <- e'");
}

TEST(ParserErrors, FaultsKind) {
  auto e = errorsOf("protocol P;\nfaults R: omission <= 1;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0],
            "t.mom:2:11: error: expected 'crash', 'recover' or 'byzantine'");
}

TEST(ParserErrors, TemporalOutsideProperty) {
  auto e = errorsOf("protocol P;\ninvariant I: [] x;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:14: error: temporal operator outside a property "
                  "(use 'property')");
  auto e2 = errorsOf("protocol P;\nproperty Q: x + (<> y);\n");
  ASSERT_EQ(e2.size(), 1u);
  EXPECT_EQ(e2[0], "t.mom:2:13: error: temporal operator inside a state "
                   "expression");
}

TEST(ParserErrors, SetFilterNeedsBinder) {
  auto e = errorsOf("protocol P;\nconst A = { f(x) | x > 1 };\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:13: error: expected 'x in S' before '|' in a set "
                  "filter");
}

TEST(ParserErrors, RecoversAtNextDeclaration) {
  auto e = errorsOf("protocol P;\n"
                    "param F = ;\n"
                    "record A { x: int }\n"
                    "role X at R {\n"
                    "  var x: = 0;\n"
                    "  var y: int = 0;\n"
                    "}\n"
                    "const C = 1 +;\n"
                    "invariant I: true;\n");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], "t.mom:2:11: error: expected expression");
  EXPECT_EQ(e[1], "t.mom:5:10: error: expected type");
  EXPECT_EQ(e[2], "t.mom:8:14: error: expected expression");
}

TEST(ParserErrors, UnterminatedComment) {
  auto e = errorsOf("protocol P;\n/* never closed\nparam F = 1;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:1: error: unterminated block comment");
}

TEST(ParserErrors, IntegerTooLarge) {
  auto e = errorsOf("protocol P;\nconst A = 99999999999999999999;\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:11: error: integer literal is too large");
}

TEST(ParserErrors, DeepBracketsRejected) {
  std::string src = "protocol P;\nconst A = " + std::string(100000, '(') + "1" +
                    std::string(100000, ')') + ";\n";
  auto e = errorsOf(src);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.mom:2:267: error: brackets nested too deeply (more than "
                  "256)");
}

TEST(ParserErrors, DeepBracketsUnderLimitAccepted) {
  std::string src = "protocol P;\nconst A = " + std::string(250, '(') + "1" +
                    std::string(250, ')') + ";\n";
  auto r = parse(src);
  ASSERT_TRUE(r.program.has_value()) << r.errors[0];
}

TEST(ParserErrors, DeepPrefixOperatorsRejected) {
  for (std::string op : {"!", "-", "[] ", "if x then 1 else "}) {
    std::string src = "protocol P;\nproperty A: ";
    for (int i = 0; i < 100000; ++i)
      src += op;
    src += "x;\n";
    auto r = parse(src);
    EXPECT_FALSE(r.program.has_value()) << op;
    ASSERT_FALSE(r.errors.empty());
    EXPECT_NE(r.errors[0].find("nest"), std::string::npos) << r.errors[0];
  }
}

TEST(ParserErrors, LongOperatorChainRejected) {
  std::string src = "protocol P;\nconst A = a";
  for (int i = 0; i < 100000; ++i)
    src += "+a";
  src += ";\n";
  auto r = parse(src);
  EXPECT_FALSE(r.program.has_value());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("nested too deeply"), std::string::npos);
}

TEST(ParserErrors, GarbageNeverThrows) {
  const char *inputs[] = {"",
                          "protocol",
                          "protocol P",
                          "protocol P;;",
                          "protocol P; role",
                          "protocol P; role X at R {",
                          "\x01\x02\xff",
                          "protocol P; const A = {{{{",
                          "protocol P; const A = <<<<",
                          "protocol P; /*",
                          "protocol P; const A = 1..;",
                          "protocol P;\nprotocol Q;\n"};
  for (const char *in : inputs) {
    auto r = parse(in);
    EXPECT_FALSE(r.program.has_value()) << in;
    EXPECT_FALSE(r.errors.empty()) << in;
  }
}
