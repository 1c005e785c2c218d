// The mommie parser: source text -> syntax-faithful AST (frontend/Ast.h).
// Built with Boost.Spirit X3 (frontend/Grammar*.cpp).
#pragma once

#include "frontend/Ast.h"
#include "ir/Diagnostics.h"

#include <optional>
#include <string>

namespace mommie::frontend {

// Parses `source` (named `file` in diagnostics). Syntax errors are reported
// to `diags` as `file:line:col: error: expected ...`; after an error the
// parser resumes at the next line that starts with a top-level declaration
// keyword, so one run can report several errors. Returns the AST, or
// nullopt if any error was reported. Never throws; nesting deeper than
// MaxBracketDepth brackets (or an equivalent chain of prefix operators) is
// rejected with a diagnostic instead of exhausting the stack.
std::optional<ast::Program> parseProgram(const std::string &file,
                                         const std::string &source,
                                         DiagnosticEngine &diags);

constexpr unsigned MaxBracketDepth = 256;

} // namespace mommie::frontend
