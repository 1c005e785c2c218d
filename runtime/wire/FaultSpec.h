// The fault specification of simulated runs, `--faults` of `mommie sim`
// (both the generated code's network, runtime/net/SimTransport.h, and the
// checker's model simulation, checker/SimNet.h), parsed once:
//   loss=P        a frame / delivery is dropped with probability P
//   dup=P         it is duplicated with probability P
//   delay=A-Bms   each delivery a uniform A..B after the send (us, ms, s)
//   reorder       frames may overtake each other (else FIFO per channel)
//   crash=NODE@T  NODE stops at time T (2s, 150ms, 500us); a bare number
//                 is `unitless`: milliseconds for the generated code, a
//                 step number for the model simulation
//   byz=NODE      NODE is Byzantine
// Items are comma-separated; empty items are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt {

struct SimFaults {
  double loss = 0, dup = 0;
  bool reorder = false;
  bool delayGiven = false;
  int64_t delayMinUs = 1000, delayMaxUs = 1000;
  struct Crash {
    int node = -1;
    int64_t atUs = 0;
    bool unitless = false; // a bare number (then atUs = that many ms)
  };
  std::vector<Crash> crashes;
  std::vector<int> byzantine;
};

// `text` into `out`, NODE names among `principals`; false with `error`.
bool parseSimFaults(const std::string &text,
                    const std::vector<std::string> &principals, SimFaults &out,
                    std::string &error);

} // namespace mommie::rt
