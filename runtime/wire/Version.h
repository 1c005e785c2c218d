// The mommie version: printed by `mommie --version`, by a node binary's
// `--version` / `--info`, and recorded in every node trace.
#pragma once

namespace mommie {

inline constexpr const char kVersion[] = "0.1";

} // namespace mommie
