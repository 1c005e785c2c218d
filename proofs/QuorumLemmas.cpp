// The quorum-intersection lemmas (see QuorumLemmas.h).
#include "proofs/QuorumLemmas.h"

#include <cvc5/cvc5.h>

#include <chrono>
#include <functional>

namespace mommie::proofs {

namespace {

using cvc5::Kind;
using cvc5::Term;

// The vocabulary of one lemma: a universe U of principals with |U| = N, and
// sets A, B, Byz within it.
struct Vocab {
  cvc5::Solver &slv;
  Term n, f, u, a, b, byz;
  Term card(Term s) { return slv.mkTerm(Kind::SET_CARD, {s}); }
  Term inter(Term x, Term y) { return slv.mkTerm(Kind::SET_INTER, {x, y}); }
  Term minus(Term x, Term y) { return slv.mkTerm(Kind::SET_MINUS, {x, y}); }
  Term sub(Term x, Term y) { return slv.mkTerm(Kind::SET_SUBSET, {x, y}); }
  Term geq(Term x, Term y) { return slv.mkTerm(Kind::GEQ, {x, y}); }
  Term gt(Term x, Term y) { return slv.mkTerm(Kind::GT, {x, y}); }
  Term eq(Term x, Term y) { return slv.mkTerm(Kind::EQUAL, {x, y}); }
  Term le(Term x, Term y) { return slv.mkTerm(Kind::LEQ, {x, y}); }
  Term add(Term x, Term y) { return slv.mkTerm(Kind::ADD, {x, y}); }
  Term mul(int64_t k, Term x) {
    return slv.mkTerm(Kind::MULT, {slv.mkInteger(k), x});
  }
  Term k(int64_t v) { return slv.mkInteger(v); }
  Term andAll(std::vector<Term> ts) {
    return ts.size() == 1 ? ts[0] : slv.mkTerm(Kind::AND, ts);
  }
  Term empty() { return slv.mkEmptySet(u.getSort()); }
};

struct Lemma {
  const char *name;
  const char *statement;
  // Returns (hypotheses, conclusion).
  std::function<std::pair<Term, Term>(Vocab &)> build;
};

std::vector<Lemma> lemmas(bool control) {
  std::vector<Lemma> out = {
      {"BftQuorumIntersection",
       "N = 3F+1, A,B <= U, |U| = N, |A| >= 2F+1, |B| >= 2F+1 => |A inter B| "
       ">= F+1",
       [](Vocab &v) {
         Term hyp =
             v.andAll({v.eq(v.n, v.add(v.mul(3, v.f), v.k(1))),
                       v.geq(v.card(v.a), v.add(v.mul(2, v.f), v.k(1))),
                       v.geq(v.card(v.b), v.add(v.mul(2, v.f), v.k(1)))});
         return std::make_pair(
             hyp, v.geq(v.card(v.inter(v.a, v.b)), v.add(v.f, v.k(1))));
       }},
      {"BftQuorumsShareACorrectMember",
       "N > 3F, |A| >= N-F, |B| >= N-F, |Byz| <= F => (A inter B) \\ Byz != {}",
       [](Vocab &v) {
         Term nf = v.slv.mkTerm(Kind::SUB, {v.n, v.f});
         Term hyp =
             v.andAll({v.gt(v.n, v.mul(3, v.f)), v.geq(v.card(v.a), nf),
                       v.geq(v.card(v.b), nf), v.le(v.card(v.byz), v.f)});
         Term concl = v.slv.mkTerm(
             Kind::NOT, {v.eq(v.minus(v.inter(v.a, v.b), v.byz), v.empty())});
         return std::make_pair(hyp, concl);
       }},
      {"MajoritiesIntersect", "2|A| > N, 2|B| > N => A inter B != {}",
       [](Vocab &v) {
         Term hyp = v.andAll({v.gt(v.mul(2, v.card(v.a)), v.n),
                              v.gt(v.mul(2, v.card(v.b)), v.n)});
         return std::make_pair(
             hyp,
             v.slv.mkTerm(Kind::NOT, {v.eq(v.inter(v.a, v.b), v.empty())}));
       }},
      {"TwoThirdsIntersectInAThird", "3|A| > 2N, 3|B| > 2N => 3|A inter B| > N",
       [](Vocab &v) {
         Term hyp = v.andAll({v.gt(v.mul(3, v.card(v.a)), v.mul(2, v.n)),
                              v.gt(v.mul(3, v.card(v.b)), v.mul(2, v.n))});
         return std::make_pair(hyp,
                               v.gt(v.mul(3, v.card(v.inter(v.a, v.b))), v.n));
       }},
  };
  if (control)
    out.push_back(
        {"ControlTooStrong",
         "N = 3F+1, |A| >= 2F+1, |B| >= 2F+1 => |A inter B| >= F+2 (false)",
         [](Vocab &v) {
           Term hyp =
               v.andAll({v.eq(v.n, v.add(v.mul(3, v.f), v.k(1))),
                         v.geq(v.card(v.a), v.add(v.mul(2, v.f), v.k(1))),
                         v.geq(v.card(v.b), v.add(v.mul(2, v.f), v.k(1)))});
           return std::make_pair(
               hyp, v.geq(v.card(v.inter(v.a, v.b)), v.add(v.f, v.k(2))));
         }});
  return out;
}

} // namespace

std::vector<LemmaResult> proveQuorumLemmas(unsigned timeoutMs,
                                           bool withControl) {
  std::vector<LemmaResult> out;
  for (const auto &lemma : lemmas(withControl)) {
    LemmaResult r;
    r.name = lemma.name;
    r.statement = lemma.statement;
    auto t0 = std::chrono::steady_clock::now();
    try {
      cvc5::Solver slv;
      slv.setOption("produce-models", "true");
      if (timeoutMs)
        slv.setOption("tlimit-per", std::to_string(timeoutMs));
      slv.setLogic("QF_UFLIAFS");
      cvc5::Sort principal = slv.mkUninterpretedSort("Principal");
      cvc5::Sort set = slv.mkSetSort(principal);
      Vocab v{slv,
              slv.mkConst(slv.getIntegerSort(), "N"),
              slv.mkConst(slv.getIntegerSort(), "F"),
              slv.mkConst(set, "U"),
              slv.mkConst(set, "A"),
              slv.mkConst(set, "B"),
              slv.mkConst(set, "Byz")};
      // The universe: |U| = N, F >= 0, every set within U.
      slv.assertFormula(v.eq(v.card(v.u), v.n));
      slv.assertFormula(v.geq(v.f, v.k(0)));
      slv.assertFormula(v.sub(v.a, v.u));
      slv.assertFormula(v.sub(v.b, v.u));
      slv.assertFormula(v.sub(v.byz, v.u));
      auto [hyp, concl] = lemma.build(v);
      slv.assertFormula(hyp);
      slv.assertFormula(slv.mkTerm(Kind::NOT, {concl}));
      cvc5::Result res = slv.checkSat();
      if (res.isUnsat()) {
        r.verdict = Verdict::Proved;
      } else if (res.isSat()) {
        r.verdict = Verdict::Counterexample;
        r.detail = "N = " + slv.getValue(v.n).toString() +
                   ", F = " + slv.getValue(v.f).toString() +
                   ", |A| = " + slv.getValue(v.card(v.a)).toString() +
                   ", |B| = " + slv.getValue(v.card(v.b)).toString();
      } else {
        r.detail = res.toString();
      }
    } catch (const cvc5::CVC5ApiException &e) {
      r.detail = e.getMessage();
    }
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace mommie::proofs
