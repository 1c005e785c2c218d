// Parameterized quorum-intersection lemmas, proved for every N and F with
// cvc5's theory of finite sets with cardinality: principals are an
// uninterpreted sort, quorums are sets of principals, N and F are integers.
// Each lemma is checked by asserting its hypotheses and the negation of its
// conclusion; unsat means it holds for all sizes.
#pragma once

#include "proofs/Prover.h"

#include <string>
#include <vector>

namespace mommie::proofs {

struct LemmaResult {
  std::string name;
  std::string statement; // in mathematical notation
  Verdict verdict = Verdict::Unknown;
  double seconds = 0;
  std::string detail; // a counter-model or why unknown
};

// `withControl` adds a deliberately false lemma (a self-test: it must get a
// counterexample).
std::vector<LemmaResult> proveQuorumLemmas(unsigned timeoutMs,
                                           bool withControl = false);

} // namespace mommie::proofs
