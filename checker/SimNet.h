// `mommie sim`: every node of a deployment in one process over a seeded,
// simulated network, ON THE CHECKER'S SEMANTICS (not the generated C++):
// each step is a random enabled action of docs/semantics.md, chosen by a
// seeded RNG among the (kind, principal) groups, then within the group.
// Network faults act on Deliver actions: loss (a statement is never
// delivered to that verifier), delay (a delivery is enabled only after a
// random simulated delay), no reordering unless asked (per issuer ->
// receiver channel, FIFO), duplication (counted; a no-op in the pool).
// Timers fire only after their duration of simulated time; crashes happen
// at a given simulated time or step. Invariants are checked after every
// step, and the run can be written as a trace `mommie conform` accepts.
#pragma once

#include "checker/Successors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace mommie::checker {

struct SimConfig {
  uint64_t seed = 1;
  uint64_t maxSteps = 10000;
  std::vector<std::string> nodes; // the deployment's principals ([Hosts])
  double loss = 0, dup = 0;
  bool reorder = false;
  int64_t delayMinMs = 0, delayMaxMs = 0;
  struct CrashAt {
    std::string node;
    int64_t atMs = -1;   // simulated time, or
    int64_t atStep = -1; // step number
  };
  std::vector<CrashAt> crashes;
  // byz=R3 (repeatable): start from an initial state whose Byzantine set
  // is exactly these principals (default: any initial state, at random).
  std::vector<std::string> byzantine;
  bool byzantineGiven = false;
};

// `loss=0.1,dup=0.05,reorder,delay=1-20ms,crash=R0@2s,byz=R3` into `config`
// (runtime/wire/FaultSpec.h; config.nodes names the principals first).
bool parseFaults(const std::string &text, SimConfig &config,
                 std::string &error);

struct SimResult {
  bool ok = false;
  bool badInput = false; // `error` is a usage error (exit 2)
  std::string
      verdict; // terminated, step limit, stuck, deadlock, invariant ..., ...
  std::string error;
  uint64_t seed = 0, steps = 0, transitions = 0, deliveries = 0, lost = 0,
           duplicates = 0, byzantine = 0;
  int64_t timeMs = 0;
  std::vector<std::string> crashed, byzantineSet;
  std::vector<std::string> finalVars; // "R0.x = 3"
};

// Runs one simulation; writes the run as JSON lines to `trace` if given.
SimResult simulateNetwork(const ir::Program &program, const SimConfig &config,
                          std::ostream *trace);

nlohmann::json simResultJson(const SimResult &r);
std::string simResultText(const SimResult &r);

} // namespace mommie::checker
