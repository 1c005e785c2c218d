// `int model lo..hi` in `mommie prove` (docs/prove.md, "Model ranges"): the
// proof is of the model, so a step whose post-state leaves a model range
// (a role variable, a value stored in a set or map, a published record) is
// outside the proof, as `mommie check` and TLC do not expand a state outside
// the model; TypeOK and PoolUniverse do not fail on it. A declared range
// `lo..hi` stays an obligation, in a set element too. Both encodings.
#include "proofs/Prover.h"
#include "tests/e2e/E2eUtil.h"
#include "tests/proofs/CliRun.h"
#include "tests/proofs/ProveTestUtil.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

using namespace mommie;
using namespace proofs_test;

namespace {

bool hasModelNote(const proofs::ProveReport &r) {
  for (const auto &n : r.notes)
    if (n.rfind("model ranges: ", 0) == 0)
      return true;
  return false;
}

// A counter in a set and a scalar, each of type RANGE, that grow past 1:
// `seen` gains n (Add), `top` is incremented (Bump).
std::string counters(const std::string &range) {
  std::string text = R"(protocol Overflow;
principals P[1];
role Counter at P {
  var n: int = 0;
  var seen: set<RANGE> = {};
  var top: RANGE = 0;
  transition Add
  @@{
    seen <- seen union {n};
    n <- n + 1;
  @@}
  transition Bump
  @@{
    top <- top + 1;
  @@}
}
invariant Counted: forall p in P: card(Counter.seen[p]) == Counter.n[p];
lemma Below: forall p in P: forall k in Counter.seen[p]: k < Counter.n[p];
)";
  return std::regex_replace(text, std::regex("RANGE"), range);
}

// A round program whose counter grows past 2 in three phases.
std::string ticks(const std::string &range) {
  std::string text = R"(protocol Ticks;
param N = 3;
principals P[N];
role Process at P {
  var ticks: RANGE = 0;
  phase bound 3 {
    round Tick : bool {
      send true to P;
      update { ticks <- ticks + 1; }
    }
  }
}
invariant NonNegative: forall p in P: ticks[p] >= 0;
)";
  return std::regex_replace(text, std::regex("RANGE"), range);
}

} // namespace

// tests/tla/programs/pb_model_ranges.mom (primary_backup without a NumReq
// guard: nextSeqNo and the client's next grow past the model) with the
// example's lemmas over its sets: proved by both solvers; the seeded
// F+1-quorum client is refuted exactly in Accept.
TEST(ModelRanges, PrimaryBackupProvedAndQuorumBugRefutedInAccept) {
  std::string text =
      e2e::readFile(src("tests/tla/programs/pb_model_ranges.mom"));
  for (int numReq : {1, 2}) {
    DiagnosticEngine diags;
    frontend::Options opts;
    opts.defines["NumReq"] = numReq;
    auto p = frontend::compile("pb_model_ranges.mom", text, opts, diags);
    ASSERT_TRUE(p.has_value());
    proofs::ProveReport ok = proofs::proveBounded(*p, bothSolvers());
    expectAllProved(ok, "NumReq=" + std::to_string(numReq));
    EXPECT_TRUE(hasModelNote(ok));
  }

  ir::Program bug =
      compileText("pb_model_ranges_bug.mom",
                  e2e::readFile(src("tests/proofs/pb_model_ranges_bug.mom")));
  expectOnlyRefuted(proofs::proveBounded(bug, bothSolvers()),
                    "Durable @ transition Client.Accept at C0",
                    "step: C0 fires Client.Accept");
}

// A declared range is an obligation, for a scalar and for a set element
// (which canonicalisation would drop unseen); the same overflow of a model
// range takes the step outside the model, and the invariant is proved: the
// out-of-model element does not vanish from `seen`.
TEST(ModelRanges, DeclaredOverflowIsTypeOkCounterexampleModelOverflowIsNot) {
  ir::Program declared = compileText("declared.mom", counters("0..1"));
  proofs::ProveReport d = proofs::proveBounded(declared, bothSolvers());
  auto bad = refuted(d);
  EXPECT_TRUE(bad.count("TypeOK @ transition Counter.Add at P0"))
      << d.results.size();
  EXPECT_TRUE(bad.count("TypeOK @ transition Counter.Bump at P0"));
  for (const auto &o : d.results)
    if (o.invariant == "TypeOK" && o.step == "transition Counter.Add at P0") {
      EXPECT_NE(
          o.detail.find("stored: seen = {0, 1, 2}, outside its declared type"),
          std::string::npos)
          << o.detail;
    }
  EXPECT_FALSE(hasModelNote(d));

  ir::Program model = compileText("model.mom", counters("int model 0..1"));
  proofs::ProveReport m = proofs::proveBounded(model, bothSolvers());
  expectAllProved(m);
  EXPECT_TRUE(hasModelNote(m));
}

// Only the values a step leaves in its post-state count, as for the
// checker: a counter that passes its model range and wraps around in the
// same body, or a set that briefly holds an out-of-model element, are
// within the model, and their steps are not hidden from the proof.
TEST(ModelRanges, WhatTheBodyOverwritesDoesNotLeaveTheModel) {
  ir::Program p = compileText("wrap.mom", R"(protocol Wrap;
principals P[1];
role Counter at P {
  var c: int model 0..1 = 0;
  var started: bool = false;
  var seen: set<int model 0..1> = {0};
  transition Tick
  @@{
    c <- c + 1;
    if c > 1 { c <- 0; }
    started <- true;
  @@}
  transition Fill
  @@{
    seen <- seen union {7};
    seen <- {};
  @@}
}
invariant NoWrap: forall p in P: Counter.started[p] => Counter.c[p] == 1;
invariant HasZero: forall p in P: 0 in Counter.seen[p];
)");
  proofs::ProveReport r = proofs::proveBounded(p, bothSolvers());
  EXPECT_EQ(refuted(r),
            (std::set<std::string>{"NoWrap @ transition Counter.Tick at P0",
                                   "HasZero @ transition Counter.Fill at P0"}));
  EXPECT_TRUE(r.disagreements.empty());
}

// Round programs, in the bounded and the parameterized encoding: TypeOK of a
// counter that passes its declared range is refuted (never proved), of one
// that passes its model range proved.
TEST(ModelRanges, RoundCounterInBothEncodings) {
  ir::Program declared = compileText("ticks.mom", ticks("0..2"));
  ir::Program model = compileText("ticks_model.mom", ticks("int model 0..2"));
  for (bool param : {false, true}) {
    auto prove = param ? proofs::proveParameterized : proofs::proveBounded;
    proofs::ProveReport d = prove(declared, bothSolvers());
    EXPECT_TRUE(refuted(d).count("TypeOK @ round Tick"))
        << "parameterized=" << param;
    for (const auto &o : d.results)
      if (o.invariant == "TypeOK" && o.step == "round Tick") {
        EXPECT_NE(o.verdict, proofs::Verdict::Proved)
            << "parameterized=" << param;
      }
    proofs::ProveReport m = prove(model, bothSolvers());
    expectAllProved(m, param ? "parameterized" : "bounded");
    EXPECT_TRUE(hasModelNote(m));
  }
}
