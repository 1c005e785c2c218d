// Random well-typed mommie programs for the agreement fuzzer (tests/agree):
// event-driven programs (guards with || => exists, quorum patterns,
// statement sets, PUBLISH/WHEN, joins, sequences, timers, `var x in S`,
// KNOWN, crash and Byzantine faults, `terminate when`, integer arithmetic)
// and round programs (`phase bound`, one or two rounds, mailbox reductions,
// crash faults with `crashed()` in a communication predicate, Byzantine
// faults), with invariants that sometimes fail. Programs stay small: a few
// principals, ranges of two or three values.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mommie::agree {

struct Generated {
  std::string source;
  std::vector<std::string> principals; // every principal, for a deploy file
  // Literals at the 64-bit edges: TLC (32-bit integers) cannot run it.
  bool edges = false;
  bool rounds = false;
  bool byzantine = false;
  // No transition without a pattern can fire forever: a node reaches a
  // state where nothing is enabled (else it fires an enabled guard-only
  // transition at once, again and again, in zero virtual time, and only
  // `mommie sim --steps` ends its runs).
  bool quiescent = true;
};

// The program drawn from `seed` (the same seed, the same program).
Generated generateProgram(uint64_t seed);

} // namespace mommie::agree
