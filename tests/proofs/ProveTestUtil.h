// Helpers of the tests that prove .mom programs through the library: compile
// a program's text, the options of `--solver both`, and the obligations a
// report refutes ("Durable @ transition Client.Accept at C0").
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
  o.solvers = {mommie::proofs::SolverKind::Z3, mommie::proofs::SolverKind::Cvc5};
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

} // namespace proofs_test
