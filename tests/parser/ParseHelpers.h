// Helpers for the parser tests: parse a string, collect diagnostics as
// `file:line:col: error: message` lines.
#pragma once

#include "frontend/AstPrinter.h"
#include "frontend/Parser.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace mommie::test {

struct ParseResult {
  std::optional<ast::Program> program;
  std::vector<std::string> errors; // "file:line:col: error: message"
};

inline ParseResult parse(const std::string &src,
                         const std::string &file = "t.mom") {
  DiagnosticEngine diags;
  ParseResult r;
  r.program = frontend::parseProgram(file, src, diags);
  for (const Diagnostic &d : diags.diagnostics()) {
    std::string s = diags.format(d);
    r.errors.push_back(s.substr(0, s.find('\n')));
  }
  return r;
}

// Parses `protocol P;` + decls and returns the program (fails the test on
// any error).
inline ast::Program parseOk(const std::string &decls) {
  ParseResult r = parse("protocol P;\n" + decls);
  EXPECT_TRUE(r.program.has_value()) << (r.errors.empty() ? "" : r.errors[0]);
  if (!r.program)
    return {};
  return *r.program;
}

// The expression of `const X = <e>;`.
inline ast::ExprPtr parseExpr(const std::string &e) {
  ast::Program p = parseOk("const X = " + e + ";");
  if (p.decls.size() != 1)
    return nullptr;
  return std::get<ast::ConstDecl>(p.decls[0]).value;
}

} // namespace mommie::test
