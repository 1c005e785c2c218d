// The resource limits of `mommie prove` (docs/prove.md, "Limits"): every
// obligation gets a Budget, a deadline (--timeout) and a memory limit
// (--max-memory), which every stage of the obligation honours. The long
// loops (term construction in the encodings and the Venn reduction) poll
// the budget of the obligation running on this thread, which throws
// LimitReached naming the stage; each solver call gets the time that is
// left as its own timeout. A budget opened inside another (the bounded
// counterexample search of a parameterized obligation) never outlives it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mommie::proofs {

struct Limits {
  unsigned timeoutMs = 0;   // per obligation; 0: none
  uint64_t maxMemoryMb = 0; // resident memory of the process; 0: none
};

// Half of the machine's physical memory, in MB (the default --max-memory).
uint64_t defaultMaxMemoryMb();

// Thrown by a poll past the deadline or above the memory limit, with the
// reason: "timeout after 20 s in the Venn reduction", "memory limit 3072 MB
// reached in the Venn reduction". Not a std::exception, so that the
// encodings' handlers of unsupported constructs let it through.
struct LimitReached {
  std::string reason;
};

class Budget {
public:
  // Opens a budget and makes it this thread's current one (until the
  // destructor restores the previous one), within the current one's limits.
  explicit Budget(const Limits &limits);
  ~Budget();
  Budget(const Budget &) = delete;
  Budget &operator=(const Budget &) = delete;

  // Names the stage that runs until the Stage is destroyed.
  class Stage {
  public:
    Stage(const char *name);
    ~Stage();
    Stage(const Stage &) = delete;
    Stage &operator=(const Stage &) = delete;

  private:
    Budget *budget_;
    const char *previous_;
  };

  // Throws LimitReached when past the deadline or above the memory limit.
  void check();
  // The time a solver call may take: what is left of the deadline (at
  // least 1 ms), or 0 when there is none.
  unsigned solverTimeoutMs() const;
  // Throws LimitReached for the memory limit (a solver ran out of the
  // memory it was given).
  [[noreturn]] void memoryReached();
  uint64_t maxMemoryMb() const { return maxMemoryMb_; }
  const char *stage() const { return stage_; }

  // This thread's current budget, or null.
  static Budget *current();

private:
  using Clock = std::chrono::steady_clock;
  friend void pollLimits();
  void poll();

  Budget *parent_;
  bool hasDeadline_ = false;
  Clock::time_point start_, deadline_;
  unsigned timeoutMs_ = 0;
  uint64_t maxMemoryMb_ = 0;
  const char *stage_ = "the encoding";
  unsigned polls_ = 0;
  Clock::time_point lastMemoryCheck_;
};

// Polls the current budget (if any): cheap enough for every term a loop
// builds; reads the clock and the resident size only every so often.
void pollLimits();

// Checks the current budget (if any) now; throws LimitReached. Called
// around each solver call, so that a solver that stopped on the time (or
// memory) it was given reports the limit rather than its own `unknown`.
void checkLimits();

// The timeout of a solver call: `requestedMs` (0: none), shortened to what
// is left of the current budget's deadline.
unsigned solverTimeoutMs(unsigned requestedMs);

// In a child process that runs one obligation (proofs/Isolate.h): every
// stage name is also copied into `stageBuffer` (shared with the parent),
// and a limit calls `onLimit` with the reason instead of throwing (it ends
// the process: unwinding would free everything, which takes time).
void becomeIsolatedChild(char *stageBuffer, size_t size,
                         void (*onLimit)(const std::string &reason));

// The memory a solver call may allocate, in MB: what the current budget's
// limit leaves above the resident size (0: no limit).
uint64_t solverMemoryMb();

} // namespace mommie::proofs
