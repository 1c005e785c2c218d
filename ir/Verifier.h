// The IR verifier: structural invariants every producer must establish
// (indices in range, slots declared, types consistent). Returns one message
// per problem; empty means the IR is well formed.
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace mommie::ir {

std::vector<std::string> verifyProgram(const Program &program);

} // namespace mommie::ir
