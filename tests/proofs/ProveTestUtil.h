// Helpers of the tests that prove .mom programs through the library: compile
// a program's text, the options of `--solver both`, the obligations a report
// refutes ("Durable @ transition Client.Accept at C0"), and the expectations
// "all proved" and "exactly this one refuted".
#pragma once

#include "frontend/Frontend.h"
#include "proofs/Prover.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace proofs_test {

inline mommie::ir::Program compileText(const std::string &name,
                                       const std::string &text) {
  mommie::DiagnosticEngine diags;
  auto p = mommie::frontend::compile(name, text, {}, diags);
  EXPECT_TRUE(p.has_value()) << name;
  return p ? *p : mommie::ir::Program{};
}

inline mommie::proofs::ProveOptions bothSolvers() {
  mommie::proofs::ProveOptions o;
  o.solvers = {mommie::proofs::SolverKind::Z3,
               mommie::proofs::SolverKind::Cvc5};
  o.timeoutMs = 60000;
  return o;
}

inline std::set<std::string> refuted(const mommie::proofs::ProveReport &r) {
  std::set<std::string> out;
  for (const auto &o : r.results)
    if (o.verdict == mommie::proofs::Verdict::Counterexample)
      out.insert(o.invariant + " @ " + o.step);
  return out;
}

// Every obligation of `r` proved; a failure names `label` (an instance).
inline void expectAllProved(const mommie::proofs::ProveReport &r,
                            const std::string &label = "") {
  for (const auto &o : r.results)
    EXPECT_EQ(o.verdict, mommie::proofs::Verdict::Proved)
        << label << " " << o.invariant << " / " << o.step << "\n"
        << o.detail;
  EXPECT_TRUE(r.allProved()) << label;
}

// `obligation` ("Durable @ transition Client.Accept at C0") is the only one
// refuted, every counterexample shows `step`, and the solvers agree.
inline void expectOnlyRefuted(const mommie::proofs::ProveReport &r,
                              const std::string &obligation,
                              const std::string &step) {
  EXPECT_EQ(refuted(r), std::set<std::string>{obligation});
  for (const auto &o : r.results)
    if (o.verdict == mommie::proofs::Verdict::Counterexample) {
      EXPECT_NE(o.detail.find(step), std::string::npos) << o.detail;
    }
  EXPECT_TRUE(r.disagreements.empty());
}

} // namespace proofs_test
