// Shared node start-up helpers (see NodeCommon.h).
#include "runtime/NodeCommon.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace mommie::rt {

namespace {
volatile std::sig_atomic_t StopRequested = 0;
void onSignal(int) { StopRequested = 1; }
} // namespace

bool parseCount(const char *s, int64_t &out) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s, &end, 10);
  if (errno || !end || *end || v < 0)
    return false;
  out = v;
  return true;
}

void installStopSignals() {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
}

bool stopRequested() { return StopRequested != 0; }

} // namespace mommie::rt
