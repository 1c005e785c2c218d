// Liveness: `property` items checked on the explicit state graph under the
// declared fairness (weak: WF, strong: SF, per principal and transition,
// per Deliver_X and per round; fault actions get none).
//
// Supported shapes (conjunctions of): []P, <>P, P ~> Q, []<>P, <>[]P with
// state predicates P, Q. A violation is a fair lasso: a path to a strongly
// connected component of the "bad" region in which every weakly fair action
// that is always enabled is taken (strong fairness: SCCs are refined by
// removing the states where an untaken action is enabled, Emerson-Lei
// style), or a state where stuttering forever is fair.
#pragma once

#include "checker/Explorer.h"

namespace mommie::checker {

CheckResult checkProperties(const ir::Program &program,
                            const CheckOptions &options);

} // namespace mommie::checker
