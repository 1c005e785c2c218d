// Helpers for the checker tests: compile a program (file or inline source)
// with the front end and run the explorer on it.
#pragma once

#include "checker/Explorer.h"
#include "frontend/Frontend.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>

namespace mommie::checker::testing {

inline std::optional<ir::Program>
compileSource(const std::string &source,
              std::map<std::string, int64_t> defines = {}) {
  DiagnosticEngine diags;
  frontend::Options opts;
  opts.defines = std::move(defines);
  auto p = frontend::compile("test.mom", source, opts, diags);
  if (!p || diags.hasErrors()) {
    std::ostringstream os;
    diags.print(os);
    ADD_FAILURE() << "compile failed:\n" << os.str();
    return std::nullopt;
  }
  return p;
}

inline std::optional<ir::Program>
compilePath(const std::string &path,
            std::map<std::string, int64_t> defines = {}) {
  DiagnosticEngine diags;
  frontend::Options opts;
  opts.defines = std::move(defines);
  auto p = frontend::compileFile(path, opts, diags);
  if (!p || diags.hasErrors()) {
    std::ostringstream os;
    diags.print(os);
    ADD_FAILURE() << "compile failed: " << path << "\n" << os.str();
    return std::nullopt;
  }
  return p;
}

inline CheckResult run(const ir::Program &p, bool symmetry = false,
                       int workers = 1, bool deadlock = true) {
  CheckOptions o;
  o.symmetry = symmetry;
  o.workers = workers;
  o.deadlock = deadlock;
  o.progress = false;
  return explore(p, o);
}

inline std::string sourceDir() { return MOMMIE_SOURCE_DIR; }

} // namespace mommie::checker::testing
