// The IR text printer behind `mommie ir`: stable, readable, deterministic.
#pragma once

#include "ir/IR.h"

#include <string>

namespace mommie::ir {

std::string printProgram(const Program &program);
std::string printType(const Program &program, const Type &type);

} // namespace mommie::ir
