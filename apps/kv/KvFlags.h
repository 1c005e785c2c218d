// The KV store's flags (see KvFlags.cpp). C++17.
#pragma once

namespace mommie::apps::kv {

// Adds the kv and kv-load mains and their rows to the node flag table.
void addKvFlags();

} // namespace mommie::apps::kv
