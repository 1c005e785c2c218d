// `mommie prove`'s limits (docs/prove.md, "Limits"): --timeout bounds every
// stage of an obligation, the Venn reduction included; --max-memory makes
// an obligation `unknown` with the reason instead of growing; results are
// printed as they come; exit 3 when only limits kept obligations unproved.
// tests/proofs/bracha_rounds.mom is the expensive program: the Venn
// reduction of its DeliveredReady lemma runs for minutes and gigabytes.
#include "CliRun.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace {

using proofs_test::CliRun;
using proofs_test::src;

struct Timed {
  CliRun run;
  double seconds = 0;
};

Timed timed(const std::string &args, int killAfterSeconds) {
  auto t0 = std::chrono::steady_clock::now();
  Timed t{proofs_test::mommie(args, killAfterSeconds), 0};
  t.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return t;
}

const std::string bracha =
    "prove " + src("tests/proofs/bracha_rounds.mom") +
    " --parameterized --solver z3 --invariant DeliveredReady --json";

// Every result of a --json run; the ones past init must be `unknown`
// because of a limit, with `reason` in their detail, each within
// `maxSeconds`.
void expectLimited(const CliRun &r, const std::string &reason,
                   double maxSeconds) {
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  size_t limited = 0;
  for (const auto &res : j["runs"][0]["results"]) {
    EXPECT_LT(res["seconds"].get<double>(), maxSeconds) << res.dump();
    if (res["step"] == "init") {
      EXPECT_EQ(res["verdict"], "proved") << res.dump();
      continue;
    }
    EXPECT_EQ(res["verdict"], "unknown") << res.dump();
    if (res["limit"] == true &&
        res["detail"].get<std::string>().find(reason) != std::string::npos)
      ++limited;
  }
  // Rounds Echo and Ready spend far more than either limit in the Venn
  // reduction; round Initial may finish first on a fast machine.
  EXPECT_GE(limited, 2u) << r.out;
}

} // namespace

// Before, the Venn reduction was outside the timeout: this run took over
// 90 s and 2.9 GB and printed nothing. Each obligation now ends within the
// timeout plus its grace (1 s); the bound below leaves room for a loaded
// machine.
TEST(ProveLimits, TimeoutBoundsTheVennReduction) {
  Timed t = timed(bracha + " --timeout 2", 60);
  EXPECT_EQ(t.run.exit, 3) << t.run.out;
  EXPECT_LT(t.seconds, 30) << t.run.out;
  expectLimited(t.run, "timeout after 2 s in the Venn reduction", 6);
}

TEST(ProveLimits, MemoryLimitIsUnknownWithTheReason) {
  Timed t = timed(bracha + " --timeout 60 --max-memory 200", 60);
  EXPECT_EQ(t.run.exit, 3) << t.run.out;
  EXPECT_LT(t.seconds, 30) << t.run.out;
  expectLimited(t.run, "memory limit 200 MB reached in ", 30);
}

// A run stopped from outside (here by `timeout 6`) has already printed the
// obligations it finished: every result is flushed as it comes.
TEST(ProveLimits, ResultsArePrintedAsTheyCome) {
  CliRun r = proofs_test::mommie(
      "prove " + src("tests/proofs/bracha_rounds.mom") +
          " --parameterized --solver z3 --invariant DeliveredReady",
      6);
  EXPECT_NE(
      r.out.find("DeliveredReady           init                   proved"),
      std::string::npos)
      << r.out;
}
