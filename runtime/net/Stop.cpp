// The stop request (see Stop.h).
#include "runtime/net/Stop.h"

#include <csignal>

namespace mommie::rt {

namespace {
volatile std::sig_atomic_t StopRequested = 0;
void onSignal(int) { StopRequested = 1; }
} // namespace

void installStopSignals() {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
}

bool stopRequested() { return StopRequested != 0; }

} // namespace mommie::rt
