// The IR verifier: structural invariants every producer must establish
// (indices in range, slots declared, types consistent). Returns one message
// per problem; empty means the IR is well formed.
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace mommie {
class DiagnosticEngine;
}

namespace mommie::ir {

std::vector<std::string> verifyProgram(const Program &program);

// Whether the front end and every pass verify their output: in debug builds
// (no NDEBUG), and whenever MOMMIE_VERIFY_IR is set to anything but "0"
// (scripts/test sets it for the whole suite).
bool verifyAfterPasses();

// Runs the verifier if verifyAfterPasses(); reports each problem as an
// internal error of `pass` at the program's file. True when none.
bool verifyAfterPass(const Program &program, const char *pass,
                     DiagnosticEngine &diags);

} // namespace mommie::ir
