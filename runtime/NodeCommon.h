// What the event-driven and the round node mains share: number flags and
// the stop request set by SIGINT / SIGTERM.
#pragma once

#include <cstdint>

namespace mommie::rt {

// A whole non-negative decimal number; false on anything else.
bool parseCount(const char *s, int64_t &out);

// Installs SIGINT and SIGTERM handlers that only set the stop request.
void installStopSignals();
bool stopRequested();

} // namespace mommie::rt
