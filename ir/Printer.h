// The IR text printer behind `mommie ir`: stable, readable, deterministic.
#pragma once

#include "ir/IR.h"

#include <string>

namespace mommie::ir {

std::string printProgram(const Program &program);
std::string printType(const Program &program, const Type &type);
// One expression, as in printProgram (slots print as `#N`: no frame).
std::string printExpr(const Program &program, const ExprPtr &e);

} // namespace mommie::ir
