// Discharges the obligations of the bounded encoding (see Prover.h). Per
// step and solver, the hypotheses are asserted once; each goal is checked
// in its own push/pop scope as `hyps /\ not goal`: unsat means proved, sat
// gives a counterexample to induction read back from the model.
#include "proofs/Prover.h"
#include "proofs/Encoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>

namespace mommie::proofs {

const char *verdictName(Verdict v) {
  switch (v) {
  case Verdict::Proved:
    return "proved";
  case Verdict::Counterexample:
    return "counterexample to induction";
  case Verdict::Unknown:
    return "unknown";
  }
  return "unknown";
}

bool ProveReport::limitReached() const {
  for (const auto &r : results)
    if (r.limit)
      return true;
  return false;
}

void ProveReport::addNote(std::string note, const ProveOptions &options) {
  notes.push_back(std::move(note));
  if (options.onNote)
    options.onNote(notes.back());
}

void ProveReport::add(ObligationResult result, const ProveOptions &options) {
  results.push_back(std::move(result));
  if (options.onResult)
    options.onResult(results.back());
}

bool ProveReport::allProved() const {
  if (!disagreements.empty() || results.empty())
    return false;
  for (const auto &r : results)
    if (r.verdict != Verdict::Proved)
      return false;
  return true;
}

static double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

// Checks one goal (conjunct by conjunct) with `solver`, which holds the
// step's hypotheses.
static void checkGoal(const StepEncoding &step, const Goal &g, TermStore &store,
                      SmtSolver &solver, ObligationResult &r) {
  // A conjunctive goal (typically an expanded forall) is checked one
  // conjunct at a time: each query is smaller, and the first satisfiable
  // one is the counterexample.
  std::vector<Term> parts;
  if (g.term->kind == TermKind::And)
    parts = g.term->args;
  else
    parts = {g.term};
  r.verdict = Verdict::Proved;
  for (Term part : parts) {
    solver.push();
    solver.add(store.mkNot(part));
    SatResult sat = solver.check();
    if (sat == SatResult::Sat) {
      r.verdict = Verdict::Counterexample;
      TermValues cache;
      SmtSolver *sp = &solver;
      ModelEval ev = [&](Term t) {
        return evalTerm(
            t, [sp](Term v) { return sp->value(v); }, cache);
      };
      r.detail = step.describe ? step.describe(ev) : "";
      // Sanity: the model must violate the goal under our own evaluator.
      if (ev(g.term))
        r.detail += "  (warning: the model does not violate the goal under "
                    "mommie's evaluator)\n";
      solver.pop();
      break;
    }
    if (sat == SatResult::Unknown) {
      r.verdict = Verdict::Unknown;
      r.detail = solver.reasonUnknown();
      if (r.detail.empty())
        r.detail = "solver gave up";
    }
    solver.pop();
  }
}

static void runStep(const StepEncoding &step, TermStore &store, SolverKind kind,
                    const ProveOptions &options, ProveReport &report) {
  auto unknownAll = [&](const std::string &why, bool limit = false) {
    for (const auto &g : step.goals) {
      ObligationResult r{g.invariant,      step.name, g.loc, kind,
                         Verdict::Unknown, 0,         why};
      r.limit = limit;
      report.add(std::move(r), options);
    }
  };
  if (!step.unsupported.empty()) {
    if (step.goals.empty())
      report.add({"*", step.name, step.loc, kind, Verdict::Unknown, 0,
                  "unsupported: " + step.unsupported},
                 options);
    unknownAll("unsupported: " + step.unsupported);
    return;
  }
  // The step's hypotheses are asserted once, within the budget of its first
  // goal (and charged to it); a solver that reached a limit is dropped and
  // built again for the next goal.
  std::unique_ptr<SmtSolver> solver;
  for (const auto &g : step.goals) {
    ObligationResult r{g.invariant,      step.name, g.loc, kind,
                       Verdict::Unknown, 0,         ""};
    if (!g.term) {
      r.detail = "unsupported: " + g.unsupported;
      report.add(std::move(r), options);
      continue;
    }
    auto t0 = std::chrono::steady_clock::now();
    try {
      Budget budget(options.limits());
      if (!solver) {
        Budget::Stage stage(kind == SolverKind::Z3
                                ? "z3 (asserting the step's hypotheses)"
                                : "cvc5 (asserting the step's hypotheses)");
        solver = makeSolver(kind, store, options.timeoutMs);
        for (Term h : step.hyps)
          solver->add(h);
      }
      Budget::Stage stage(kind == SolverKind::Z3 ? "z3" : "cvc5");
      checkGoal(step, g, store, *solver, r);
    } catch (const LimitReached &e) {
      solver.reset();
      r.verdict = Verdict::Unknown;
      r.detail = e.reason;
      r.limit = true;
    }
    r.seconds = since(t0);
    report.add(std::move(r), options);
  }
}

// The `int model` ranges that a value of `t` holds outside records.
static void modelRangesOf(const ir::Type &t, std::vector<std::string> &out) {
  if (t.kind == ir::TypeKind::Range && t.model) {
    std::string r = std::to_string(t.lo) + ".." + std::to_string(t.hi);
    if (std::find(out.begin(), out.end(), r) == out.end())
      out.push_back(r);
  }
  for (const auto &a : t.args)
    if (a)
      modelRangesOf(*a, out);
}

std::string modelRangesNote(const ir::Program &program) {
  std::vector<std::string> where;
  auto add = [&](const std::string &name, const ir::Type &t) {
    std::vector<std::string> ranges;
    modelRangesOf(t, ranges);
    if (!ranges.empty())
      where.push_back(name + " " + fmt::format("{}", fmt::join(ranges, ", ")));
  };
  for (const auto &role : program.roles)
    for (const auto &v : role.vars)
      add(role.name + "." + v.name, *v.type);
  for (const auto &rec : program.records)
    for (const auto &f : rec.fields)
      add(rec.name + "." + f.name, *f.type);
  if (where.empty())
    return "";
  return fmt::format("model ranges: {} (a step that leaves one is outside the "
                     "model, as in check and TLC, and outside the proof)",
                     fmt::join(where, "; "));
}

// Whether a role variable or a record field has a sequence type.
static bool usesSequences(const ir::Program &program) {
  std::function<bool(const ir::Type &)> seq = [&](const ir::Type &t) {
    if (t.kind == ir::TypeKind::Seq)
      return true;
    if (t.kind == ir::TypeKind::Record)
      for (const auto &f : program.records.at(t.record).fields)
        if (f.type && seq(*f.type))
          return true;
    for (const auto &a : t.args)
      if (a && seq(*a))
        return true;
    return false;
  };
  for (const auto &role : program.roles)
    for (const auto &v : role.vars)
      if (v.type && seq(*v.type))
        return true;
  for (const auto &rec : program.records)
    for (const auto &f : rec.fields)
      if (f.type && seq(*f.type))
        return true;
  return false;
}

ProveReport proveBounded(const ir::Program &program,
                         const ProveOptions &options) {
  ProveReport report;
  if (std::string note = modelRangesNote(program); !note.empty())
    report.addNote(note, options);
  if (usesSequences(program))
    report.addNote(
        fmt::format("sequences: at most {} elements (--seq-bound); a "
                    "step that makes one longer is outside the proof",
                    options.seqBound),
        options);
  auto t0 = std::chrono::steady_clock::now();
  // The encoding of every step at once: one budget, as one obligation's.
  std::optional<Encoding> enc;
  try {
    Budget budget(options.limits());
    Budget::Stage stage("the bounded encoding");
    enc.emplace(encodeBounded(program, options.seqBound));
  } catch (const LimitReached &e) {
    for (SolverKind kind : options.solvers) {
      ObligationResult r{"*",     "encoding",       ir::SourceLoc{},
                         kind,    Verdict::Unknown, since(t0),
                         e.reason};
      r.limit = true;
      report.add(std::move(r), options);
    }
    return report;
  }
  report.encodeSeconds = since(t0);
  for (const auto &step : enc->steps)
    for (SolverKind kind : options.solvers)
      runStep(step, *enc->store, kind, options, report);
  // Disagreements: one solver proved what another refuted.
  std::map<std::pair<std::string, std::string>,
           std::vector<const ObligationResult *>>
      byGoal;
  for (const auto &r : report.results)
    byGoal[{r.invariant, r.step}].push_back(&r);
  for (const auto &[key, rs] : byGoal) {
    const ObligationResult *proved = nullptr, *refuted = nullptr;
    for (const auto *r : rs) {
      if (r->verdict == Verdict::Proved)
        proved = r;
      if (r->verdict == Verdict::Counterexample)
        refuted = r;
    }
    if (proved && refuted)
      report.disagreements.push_back(
          key.first + " / " + key.second + ": " + solverName(proved->solver) +
          " proved it, " + solverName(refuted->solver) +
          " found a counterexample to induction");
  }
  return report;
}

} // namespace mommie::proofs
