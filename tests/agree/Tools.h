// Running the tools under comparison for the agreement fuzzer: `mommie
// check`, `mommie tla` + TLC, `mommie prove`, `mommie sim`, each a bounded
// child process, and their verdicts read back from their output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mommie::agree {

// A child process's exit code (-1: killed at the time limit or by a
// signal), its stdout and its stderr.
struct Run {
  int code = -1;
  std::string out, err;
  std::string all() const { return out + err; }
};

// Runs argv (argv[0] a path, or a name looked up on PATH) in `dir`, at most
// `ms` milliseconds; the child and its descendants are killed after that.
Run runBounded(const std::vector<std::string> &argv, const std::string &dir,
               int ms);

// A model checker's answer, in the terms both mommie check and TLC use.
struct Verdict {
  enum class Kind {
    Ok,
    Invariant,
    Deadlock,
    Error,
    Limit,
    Failed
  } kind = Kind::Failed;
  std::string name;      // the violated invariant; the error message
  uint64_t distinct = 0; // when Ok
  int64_t steps = -1;    // length of the counterexample, when not Ok
  std::string text() const;
};

// `mommie check FILE --no-symmetry --json` (and --max-states to stay small).
Verdict checkVerdict(const std::string &mommie, const std::string &file,
                     const std::string &dir, uint64_t maxStates);
// TLC on DIR/<Module>.tla with DIR/<Module>.cfg, as tests/tla/tlc.sh runs
// it; `module` is the protocol module `mommie tla` wrote.
Verdict tlcVerdict(const std::string &jar, const std::string &dir,
                   const std::string &module, int ms);

// The summary line of `mommie prove`: "N proved, C counterexample(s) to
// induction, U unknown".
struct ProveSummary {
  bool parsed = false;
  int proved = 0, counterexamples = 0, unknown = 0;
  bool allProved() const {
    return parsed && counterexamples == 0 && unknown == 0;
  }
};
ProveSummary parseProve(const std::string &out);

} // namespace mommie::agree
