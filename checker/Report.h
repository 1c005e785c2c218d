// Rendering a check result: the human-readable summary and counterexample
// (numbered steps, bindings, statements, variable diffs), the JSON form
// for tools, and an SVG message sequence chart of the trace.
#pragma once

#include "checker/Explorer.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mommie::checker {

// One changed variable between two consecutive trace states.
struct VarChange {
  int principal;
  std::string name; // "x", "timer t", "crashed"
  std::string before, after;
};

std::vector<VarChange> diffStates(const Layout &layout, const State &before,
                                  const State &after);

std::string formatText(const ir::Program &program, const CheckResult &result);
nlohmann::json formatJson(const ir::Program &program, const CheckResult &result);
std::string formatSvg(const ir::Program &program, const CheckResult &result);

} // namespace mommie::checker
