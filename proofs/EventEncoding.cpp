// The bounded encoding of event-driven programs (transitions, pool,
// deliveries, Byzantine publishes). Not supported yet: every step is
// reported as unknown.
#include "proofs/Encoding.h"

namespace mommie::proofs {

void encodeEvents(StateBuilder &b, Encoding &enc) {
  for (const auto &role : b.prog.roles)
    for (const auto &t : role.transitions) {
      StepEncoding step;
      step.name = "transition " + role.name + "." + t.name;
      step.loc = t.loc;
      step.unsupported = "event-driven transitions are not encoded yet";
      step.goals = b.invariantGoals(SymState{});
      enc.steps.push_back(std::move(step));
    }
}

} // namespace mommie::proofs
