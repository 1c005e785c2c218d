// The replicated KV store as an application of a round program: `mommie
// build --app kv` adds a source whose static initialiser calls
// registerApp(), so that the node binary runs a replica on `BIN --kv ...`
// (KvNode.cpp) and the load generator on `BIN --kv-load ...` (KvLoad.cpp).
// C++17.
#pragma once

namespace mommie::apps::kv {

// Registers `--kv` and `--kv-load` with the round node (RoundNode.h); true.
bool registerApp();

} // namespace mommie::apps::kv
