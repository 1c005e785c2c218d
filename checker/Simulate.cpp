// Random walks (see Simulate.h). Deterministic for a given seed.
#include "checker/Simulate.h"

#include "checker/Retire.h"
#include "ir/Resources.h"

#include <chrono>
#include <random>

namespace mommie::checker {

CheckResult simulate(const ir::Program &program,
                     const SimulateOptions &options) {
  Layout layout(program);
  Generator gen(layout);
  RetireCheck retire(gen);
  CheckResult res;
  res.symmetry = "off (simulation)";
  auto start = std::chrono::steady_clock::now();
  std::mt19937_64 rng(options.seed);
  std::vector<TraceStep> inits;
  try {
    gen.initialStates([&](State &&s, const Action *a) {
      inits.push_back({*a, std::move(s)});
    });
  } catch (const EvalError &e) {
    setEvalError(res, e);
    return res;
  }
  if (inits.empty())
    return res;
  std::vector<TraceStep> walk, succ;
  for (uint64_t run = 0; run < options.runs; ++run) {
    if (options.timeLimit > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                .count() > options.timeLimit)
      break;
    walk.clear();
    walk.push_back(
        inits[std::uniform_int_distribution<size_t>(0, inits.size() - 1)(rng)]);
    ++res.generated;
    try {
      for (uint64_t d = 0;; ++d) {
        std::string inv = gen.violatedInvariant(walk.back().state);
        if (!inv.empty()) {
          res.verdict = CheckResult::Verdict::InvariantViolated;
          res.name = inv;
          res.trace = walk;
          break;
        }
        // A state outside the model's constraints ends the walk, as in
        // exhaustive search it is not expanded.
        if (d >= options.depth || !gen.withinConstraints(walk.back().state))
          break;
        if (options.retireCheck && retire.active())
          if (auto f = retire.check(walk.back().state)) {
            res.verdict = CheckResult::Verdict::InvariantViolated;
            res.name = f->name;
            res.message = f->message;
            res.loc = f->loc;
            res.trace = walk;
            break;
          }
        succ.clear();
        gen.successors(walk.back().state, true,
                       [&](State &&s, const Action *a) {
                         succ.push_back({*a, std::move(s)});
                       });
        res.generated += succ.size();
        if (succ.empty()) {
          if (options.deadlock && !gen.terminated(walk.back().state)) {
            res.verdict = CheckResult::Verdict::Deadlock;
            res.trace = walk;
          }
          break;
        }
        walk.push_back(std::move(succ[std::uniform_int_distribution<size_t>(
            0, succ.size() - 1)(rng)]));
      }
    } catch (const EvalError &e) {
      setEvalError(res, e);
      res.trace = walk;
    }
    res.depth = std::max<uint64_t>(res.depth, walk.size());
    if (res.verdict != CheckResult::Verdict::Ok)
      break;
  }
  res.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  res.peakRssBytes = residentBytes();
  return res;
}

} // namespace mommie::checker
