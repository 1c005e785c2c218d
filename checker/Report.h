// Rendering a check result: the human-readable summary and counterexample
// (numbered steps, bindings, statements, variable diffs), the JSON form
// for tools, and an SVG message sequence chart of the trace.
#pragma once

#include "checker/Explorer.h"

#include <nlohmann/json.hpp>

#include <optional>
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

// Every role variable of `state` with its value as the traces show it, in
// the layout's order (grouped by principal).
struct ShownVar {
  int principal;
  std::string name, value;
};
std::vector<ShownVar> showVars(const Layout &layout, const State &state);

std::string formatText(const ir::Program &program, const CheckResult &result);

// The verdict as --json and ITF traces give it: "ok", "invariant",
// "deadlock", "error", "property", "limit".
const char *verdictCode(CheckResult::Verdict v);

// Where the violation is: the place of an evaluation error, or where the
// violated invariant, lemma, property or retire clause is declared; null
// for a deadlock, a resource limit or no violation.
std::optional<ir::SourceLoc> violationLoc(const ir::Program &program,
                                          const CheckResult &result);

// Pieces of the text trace, shared with `mommie trace` (node traces printed
// as the checker prints a counterexample): "  3. P0 fires Node.Go ..." with
// its published statements; one principal's initial variables ("       P0:
// x = 0, y = {}", values already shown); one line per change ("       P0.x:
// 0 -> 1").
std::string formatStepHeader(const Layout &layout, size_t index,
                             const Action &action);
std::string
formatInitialVars(const std::string &principal,
                  const std::vector<std::pair<std::string, std::string>> &vars);
std::string formatChanges(const Layout &layout,
                          const std::vector<VarChange> &changes);
nlohmann::json formatJson(const ir::Program &program,
                          const CheckResult &result);
std::string formatSvg(const ir::Program &program, const CheckResult &result);
// A self-contained HTML page: the sequence chart, a slider over the steps,
// and the full state after the chosen step with what it changed marked.
std::string formatHtml(const ir::Program &program, const CheckResult &result);

} // namespace mommie::checker
