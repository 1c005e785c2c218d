// Runs one obligation in a child process (fork), so that its limits hold
// even where a solver does not honour them: cvc5 1.0 has no memory option
// and no interrupt, and its preprocessing does not look at its time limit.
// The child proves within the obligation's budget (proofs/Limits.h) and
// sends its result back; the parent waits at most the timeout plus a grace
// period and watches the child's resident size, and stops it (SIGKILL)
// past either, with the stage the child last entered as the reason. The
// child leaves without freeing what it built, which takes time.
#pragma once

#include "proofs/Limits.h"
#include "proofs/Prover.h"

#include <functional>

namespace mommie::proofs {

// What the parent adds to --timeout before it stops the child.
constexpr unsigned IsolationGraceMs = 1000;

// `work()` in a child within `limits` (a Budget); its verdict, detail and
// limit flag are copied into `r`, and the wall time into `r.seconds`. A
// limit reached is an `unknown` with the reason. Without any limit, or
// inside an obligation already, `work` runs in this process.
void runIsolated(const Limits &limits,
                 const std::function<ObligationResult()> &work,
                 ObligationResult &r);

} // namespace mommie::proofs
