// The front end's entry point: source text -> diagnostics -> IR.
#pragma once

#include "ir/Diagnostics.h"
#include "ir/IR.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mommie::frontend {

struct Options {
  // -D NAME=VALUE: parameter overrides, applied at lowering.
  std::map<std::string, int64_t> defines;
};

// Parses, checks and lowers `source` (named `file` in diagnostics).
// Returns the IR, or nullopt when an error was reported to `diags`.
// Never throws on bad input.
std::optional<ir::Program> compile(const std::string &file,
                                   const std::string &source,
                                   const Options &options,
                                   DiagnosticEngine &diags);

// Reads `path` and compiles it; a missing file is a diagnostic too.
std::optional<ir::Program> compileFile(const std::string &path,
                                       const Options &options,
                                       DiagnosticEngine &diags);

} // namespace mommie::frontend
