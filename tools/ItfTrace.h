// `mommie check --itf FILE`: the counterexample in the Informal Trace
// Format of Apalache and Quint
// (https://apalache-mc.org/docs/adr/015adr-trace.html), in the terms of the
// TLA+ spec `mommie tla` emits: the state variables are the spec's
// (tla::stateNames), every state is given in full, and values are typed as the
// spec has them (docs/checker.md, "ITF traces").
#pragma once

#include "checker/Explorer.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mommie::tool {

// The ITF object of `result`'s trace (no states when there is none);
// `source` is the program's path, as given.
nlohmann::json itfTrace(const ir::Program &program,
                        const checker::CheckResult &result,
                        const std::string &source);

} // namespace mommie::tool
