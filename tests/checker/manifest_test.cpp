// The protocol corpus against tests/checker/manifest.json: pinned distinct
// state counts and verdicts (symmetry off), shortest counterexamples of the
// seeded bugs, the same counts with two workers, and the same verdict (and
// never more states) with symmetry reduction.
#include "Support.h"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace mommie::checker;
using namespace mommie::checker::testing;

namespace {

struct Entry {
  std::string file;
  std::map<std::string, int64_t> params;
  uint64_t distinct = 0;
  std::string verdict, invariant;
  int64_t traceSteps = -1;
  bool slow = false;
};

std::vector<Entry> loadManifest() {
  std::ifstream in(sourceDir() + "/tests/checker/manifest.json");
  nlohmann::json j = nlohmann::json::parse(in);
  std::vector<Entry> out;
  for (const auto &p : j["programs"]) {
    Entry e;
    e.file = p["file"];
    for (auto it = p["params"].begin(); it != p["params"].end(); ++it)
      e.params[it.key()] = it.value().get<int64_t>();
    e.distinct = p.value("distinct", uint64_t(0));
    e.verdict = p["verdict"];
    e.invariant = p.value("invariant", std::string());
    e.traceSteps = p.value("traceSteps", int64_t(-1));
    e.slow = p.value("slow", false);
    out.push_back(e);
  }
  return out;
}

std::string verdictKey(CheckResult::Verdict v) {
  switch (v) {
  case CheckResult::Verdict::Ok:
    return "ok";
  case CheckResult::Verdict::InvariantViolated:
    return "invariant";
  case CheckResult::Verdict::Deadlock:
    return "deadlock";
  case CheckResult::Verdict::EvalError:
    return "error";
  case CheckResult::Verdict::PropertyViolated:
    return "property";
  case CheckResult::Verdict::ResourceLimit:
    return "limit";
  }
  return "?";
}

class Manifest : public ::testing::TestWithParam<Entry> {};

TEST_P(Manifest, PinnedCountAndVerdict) {
  const Entry &e = GetParam();
  if (e.slow && !getenv("MOMMIE_SLOW_TESTS"))
    GTEST_SKIP() << "slow (set MOMMIE_SLOW_TESTS=1)";
  auto p = compilePath(sourceDir() + "/" + e.file, e.params);
  ASSERT_TRUE(p);
  auto r = run(*p, false, 1);
  EXPECT_EQ(verdictKey(r.verdict), e.verdict) << r.message;
  if (e.distinct) {
    EXPECT_EQ(r.distinct, e.distinct);
  }
  if (!e.invariant.empty()) {
    EXPECT_EQ(r.name, e.invariant);
  }
  if (e.traceSteps >= 0) {
    ASSERT_FALSE(r.trace.empty());
    EXPECT_EQ(int64_t(r.trace.size()) - 1, e.traceSteps);
    // The last state violates the invariant, none before it does.
    Layout layout(*p);
    Generator gen(layout);
    EXPECT_EQ(gen.violatedInvariant(r.trace.back().state), e.invariant);
    for (size_t i = 0; i + 1 < r.trace.size(); ++i)
      EXPECT_EQ(gen.violatedInvariant(r.trace[i].state), "");
  }
}

TEST_P(Manifest, TwoWorkersSameCounts) {
  const Entry &e = GetParam();
  if (e.slow && !getenv("MOMMIE_SLOW_TESTS"))
    GTEST_SKIP() << "slow (set MOMMIE_SLOW_TESTS=1)";
  auto p = compilePath(sourceDir() + "/" + e.file, e.params);
  ASSERT_TRUE(p);
  auto one = run(*p, false, 1);
  auto two = run(*p, false, 2);
  EXPECT_EQ(one.verdict, two.verdict);
  if (one.verdict == CheckResult::Verdict::Ok) {
    EXPECT_EQ(one.distinct, two.distinct);
    EXPECT_EQ(one.generated, two.generated);
  } else {
    EXPECT_EQ(one.trace.size(), two.trace.size());
  }
}

TEST_P(Manifest, SymmetrySameVerdict) {
  const Entry &e = GetParam();
  if (e.slow && !getenv("MOMMIE_SLOW_TESTS"))
    GTEST_SKIP() << "slow (set MOMMIE_SLOW_TESTS=1)";
  auto p = compilePath(sourceDir() + "/" + e.file, e.params);
  ASSERT_TRUE(p);
  auto full = run(*p, false, 1);
  auto sym = run(*p, true, 1);
  EXPECT_EQ(full.verdict, sym.verdict);
  EXPECT_EQ(full.name, sym.name);
  EXPECT_LE(sym.distinct, full.distinct);
  if (full.verdict != CheckResult::Verdict::Ok) {
    EXPECT_EQ(full.trace.size(), sym.trace.size()); // still a shortest trace
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Manifest, ::testing::ValuesIn(loadManifest()),
                         [](const ::testing::TestParamInfo<Entry> &info) {
                           std::string n = info.param.file;
                           n = n.substr(n.rfind('/') + 1);
                           n = n.substr(0, n.find('.'));
                           for (const auto &[param, value] :
                                info.param.params) // -D, in the name
                             n += "_" + param + std::to_string(value);
                           return n;
                         });

} // namespace
