// `mommie sim` over the generated code (docs/conform.md): generates the C++
// of the program, compiles it once into a binary cached by a hash of the
// generated sources, the body programs, the compiler and the runtime
// archive, runs it with `--sim` (every node in one process over a seeded
// simulated network and virtual time, runtime/node/SimMain.cpp) for each seed,
// and checks each run's node traces with the conformance checker, with
// every invariant checked on the replayed states.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::tool {

struct SimDriverArgs {
  std::string file, deploy, faults, traceDir, cacheDir, cxx;
  std::vector<std::string> defines, bodies;
  uint64_t firstSeed = 1, lastSeed = 1;
  int64_t runForMs = 600000; // virtual time per run
  int64_t wallMs = 120000;   // wall-clock bound per run
  int64_t requests = 10;     // statement programs: requests each client issues
  uint64_t maxSteps =
      1000000; // steps of all nodes per run (round programs: node rounds)
  bool json = false, verbose = false, invariants = true;
};

// Exit code: 0 every run conforms and keeps the invariants, 1 a violation,
// 2 bad input.
int runSimDriver(const SimDriverArgs &args);

} // namespace mommie::tool
