// The stop request of a node process: SIGINT and SIGTERM only set it, and
// each main's housekeeping tick stops its event loop once it is set.
// C++17.
#pragma once

namespace mommie::rt {

// Installs SIGINT and SIGTERM handlers that only set the stop request.
void installStopSignals();
bool stopRequested();

} // namespace mommie::rt
