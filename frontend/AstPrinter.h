// Prints an AST back as canonical mommie source, and compares ASTs.
//
// The output re-parses to an equal AST (astEqual, which ignores source
// locations): parentheses are inserted from the grammar's precedence table
// (docs/language.md), one declaration or statement per line.
#pragma once

#include "frontend/Ast.h"

#include <string>

namespace mommie::frontend {

std::string printProgram(const ast::Program &p);
std::string printExpr(const ast::Expr &e);
std::string printType(const ast::Type &t);
std::string printPattern(const ast::Pattern &p);
std::string printTemporal(const ast::Temporal &t);
// The source spelling of a binary operator ("=>", "subseteq", ...).
const char *binOpText(ast::BinOp op);

// Structural equality ignoring every `loc`.
bool astEqual(const ast::Program &a, const ast::Program &b);
bool astEqual(const ast::Expr &a, const ast::Expr &b);

} // namespace mommie::frontend
