// The simulated network of `mommie sim` (runtime/node/SimMain.cpp): every node
// of a deployment lives in one process on one virtual-time EventLoop, and a
// frame a node sends to a peer is handed to the peer's receive function at
// a virtual time chosen by a seeded PRNG (mt19937_64):
//   - loss=P: a frame is dropped with probability P;
//   - dup=P: a frame is delivered twice with probability P (the copy has its
//     own delay);
//   - delay=A-Bms: each delivery happens a uniform A..B ms after the send
//     (default 1 ms);
//   - reorder: frames may overtake each other; without it each sender ->
//     receiver channel is FIFO (as a TCP connection);
//   - crash=NODE@T: at virtual time T the node stops (no step, no receive,
//     frames in flight to it are dropped);
//   - byz=NODE: the node is Byzantine (round programs: it speaks in every
//     round and equivocates, SimMain.cpp with payloadVariants).
// Same program, same seed, same faults: the same run, byte for byte.
#pragma once

#include "runtime/net/EventLoop.h"
#include "runtime/wire/FaultSpec.h"
#include "runtime/wire/Value.h"

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace mommie::rt {

struct SimNetStats {
  uint64_t sent = 0, delivered = 0, lost = 0, duplicated = 0, toCrashed = 0;
};

class SimNetwork {
public:
  using Receiver =
      std::function<void(int from, const uint8_t *data, size_t size)>;

  SimNetwork(EventLoop &loop, size_t numPrincipals, SimFaults faults,
             uint64_t seed);
  void attach(int p, Receiver r) { receivers_[size_t(p)] = std::move(r); }
  void send(int from, int to, const std::vector<uint8_t> &frame);
  void crash(int p) { crashed_[size_t(p)] = true; }
  bool crashed(int p) const { return crashed_[size_t(p)]; }
  // Virtual µs since the start of the run.
  int64_t nowUs() const;
  const SimNetStats &stats() const { return stats_; }
  const SimFaults &faults() const { return faults_; }
  // The network's PRNG (also drives Byzantine choices, so a run depends on
  // the seed only).
  uint64_t next() { return rng_(); }
  double uniform() { return double(rng_() >> 11) * (1.0 / 9007199254740992.0); }

private:
  void schedule(int from, int to,
                std::shared_ptr<const std::vector<uint8_t>> frame);
  EventLoop &loop_;
  SimFaults faults_;
  std::mt19937_64 rng_;
  TimePoint start_;
  std::vector<Receiver> receivers_;
  std::vector<bool> crashed_;
  std::vector<TimePoint> lastAt_; // FIFO: last delivery time per channel
  size_t n_;
  SimNetStats stats_;
};

// Well-typed-looking variants of `v` for a Byzantine sender: a flipped bool,
// an integer +-1, none / some, another principal, one mutated field or
// element. The caller keeps those its program accepts (payloadOk).
std::vector<Value> payloadVariants(const Value &v, int numPrincipals);

} // namespace mommie::rt
