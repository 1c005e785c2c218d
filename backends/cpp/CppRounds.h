// The C++ backend for round programs (`phase { round ... }`): a class
// implementing mommie::rt::RoundProgram (sends, progress conditions, goAhead
// over the mailbox, updates, phaseNo / roundNo) driven by the runtime's
// round engine (runtime/rounds/RoundEngine.h), and a `main` calling
// roundNodeMain.
#pragma once

#include "backends/cpp/CppGen.h"

namespace mommie::cppgen {

Result generateRounds(const ir::Program &program, const Options &options);

} // namespace mommie::cppgen
