// Trace conformance of round programs (docs/conform.md): the per-round
// records of the round nodes (runtime/rounds/RoundNode.h, traceRound) replayed
// in the lock-step semantics of docs/semantics.md, round after round:
//   - every correct node's record of global round k names round k (its
//     phase and round in the phase) and the round's name;
//   - what it sent ("published": [{to, payload}]) is exactly what the
//     model's send clauses give in the node's state;
//   - its mailbox ("delivered": [{from, payload}]) holds, from each correct
//     sender, what that sender's send clauses give for this node, and from
//     a Byzantine sender a value of the payload type; the communication
//     predicates (and, with waitMessages, goAhead) hold on it;
//   - the model's update on that mailbox yields the recorded variables.
// A node whose records stop (crashed) keeps its last state. Byzantine
// nodes write no trace; the initial state is one whose Byzantine set is
// exactly the given one. With `invariants`, the invariants are checked on
// the replayed global state after every round.
#pragma once

#include "checker/Replay.h"

namespace mommie::tool {

struct RoundConformOptions {
  bool invariants = false;
  std::vector<std::string> byzantine;
  size_t maxInits = 4096;
};

checker::ConformResult
conformRoundTraces(const ir::Program &program,
                   const std::vector<checker::TraceRecord> &records,
                   const RoundConformOptions &options);

} // namespace mommie::tool
