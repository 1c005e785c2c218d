// What `BIN --sim` shares between statement programs (node/SimMain.cpp) and
// round programs (rounds/RoundSim.cpp): every node of a deployment in this
// process, running the same generated code as `BIN --id X`, over the
// simulated network of SimTransport.h on one virtual-time EventLoop
// (docs/conform.md).
//
//   BIN --sim --deploy deploy.conf [--seed S] [--faults F] [--trace-dir DIR]
//       [--run-for MS] [--log-level L]
//
// The nodes are the principals of [Hosts]. Authentication modules run as
// deployed (keys are generated in memory). Each node writes DIR/<node>.jsonl
// as it would with --trace over TCP (t_us is virtual time); a Byzantine
// round node writes none. The run ends when nothing is left to do
// (quiescent) or at --run-for ms of virtual time (default 600000). One JSON
// line on stdout: the verdict, virtual time, network counters, and per node
// its counters and final state. Exit 0; 1 if a node that was not crashed by
// the simulator fail-stopped (evaluation error, body program check); 2 bad
// input.
#pragma once

#include "runtime/auth/Deploy.h"
#include "runtime/net/EventLoop.h"
#include "runtime/net/Log.h"
#include "runtime/net/SimTransport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt {

struct SimFlags {
  std::string deploy, traceDir, faults, logLevel = "error";
  uint64_t seed = 1;
  int64_t runForMs = 600000;
  int64_t phases = 0; // round programs: stop after this many phases; 0: never
  int64_t requests =
      -1; // statement programs: each client's requests (-1: unbounded)
  int64_t maxSteps =
      1000000; // steps of all nodes (round programs: node rounds)
};

// Counts the steps of a simulated run and stops its loop at SimFlags::maxSteps:
// a node that fires forever in zero virtual time would otherwise never let
// the virtual clock reach --run-for.
class SimStepLimit {
public:
  SimStepLimit(EventLoop &loop, int64_t max)
      : loop_(loop), max_(uint64_t(max)) {}
  void step() {
    if (++steps_ >= max_ && !hit_) {
      hit_ = true;
      loop_.stop();
    }
  }
  bool hit() const { return hit_; }

private:
  EventLoop &loop_;
  uint64_t max_, steps_ = 0;
  bool hit_ = false;
};

// Prints the error and the usage line; returns 2.
int simUsage(const char *argv0, const std::string &why);
// Flags, deploy file and faults; `nodes` = principals with a host, in
// principal order. Returns -1 to go on, else the exit code.
int simSetUp(int argc, char **argv, const std::vector<std::string> &principals,
             SimFlags &f, DeployConfig &conf, std::vector<int> &nodes,
             SimFaults &faults, LogLevel &level);
// The network counters as a JSON object.
std::string simNetJson(const SimNetwork &net);
// The names of principals `ps` as a JSON array.
std::string simNamesJson(const std::vector<std::string> &principals,
                         const std::vector<int> &ps);
// Runs the loop to quiescence, the virtual time limit or the step limit;
// the verdict.
std::string simRunLoop(EventLoop &loop, const SimFlags &f,
                       const SimStepLimit &limit);

} // namespace mommie::rt
