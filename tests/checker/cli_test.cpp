// `mommie check` end to end: exit codes, the summary line, --json and
// --trace-svg.
#include "Support.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sys/wait.h>

using namespace mommie::checker::testing;

namespace {

struct Run {
  int code;
  std::string out;
};

// Runs mommie with `args`; its standard output, and its standard error too
// when `withStderr`.
Run runMommie(const std::string &args, bool withStderr = false) {
  const char *bin = getenv("MOMMIE");
  std::string cmd = std::string(bin ? bin : "mommie") + " " + args +
                    (withStderr ? " 2>&1" : " 2>/dev/null");
  Run r{-1, ""};
  FILE *f = popen(cmd.c_str(), "r");
  if (!f)
    return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0)
    r.out.append(buf.data(), n);
  int status = pclose(f);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

} // namespace

TEST(Cli, ExitCodesAndSummary) {
  if (!getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  std::string ex = sourceDir() + "/examples/two_phase_commit.mom";
  auto ok = runMommie("check -q --no-symmetry " + ex);
  EXPECT_EQ(ok.code, 0);
  EXPECT_NE(ok.out.find("distinct states: 10820"), std::string::npos) << ok.out;
  auto bug = runMommie("check -q " + sourceDir() +
                       "/tests/bugs/two_phase_commit_bug.mom");
  EXPECT_EQ(bug.code, 1);
  EXPECT_NE(bug.out.find("invariant CommitValidity is violated"),
            std::string::npos);
  EXPECT_EQ(runMommie("check -q /nonexistent/x.mom").code, 2);
  EXPECT_EQ(runMommie("check -q --max-states 100 --no-symmetry " + ex).code, 3);
}

TEST(Cli, JsonAndSvg) {
  if (!getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  std::string svg = ::testing::TempDir() + "/trace.svg";
  auto r = runMommie("check -q --json --trace-svg " + svg + " " + sourceDir() +
                     "/tests/bugs/two_phase_commit_bug.mom");
  EXPECT_EQ(r.code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "invariant");
  EXPECT_EQ(j["name"], "CommitValidity");
  EXPECT_EQ(j["steps"], 5);
  EXPECT_EQ(j["trace"][1]["kind"], "transition");
  EXPECT_EQ(j["trace"][1]["transition"], "Start");
  std::ifstream in(svg);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("marker-end"), std::string::npos); // delivery arrows
  // The chart shows the initial state and what each step changed.
  EXPECT_NE(text.find(">decision = WORKING<"), std::string::npos) << text;
  EXPECT_NE(text.find(">vote = false<"), std::string::npos) << text;
  EXPECT_NE(text.find("Co0.decision: WORKING -&gt; COMMITTED"),
            std::string::npos)
      << text;
  // Every text fits the canvas (monospace at 7 px per character).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("width=\"([0-9]+)\"")));
  int width = std::stoi(m[1]);
  std::regex textRe("<text x=\"([0-9]+)\"([^>]*)>([^<]*)</text>");
  int texts = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), textRe), end;
       it != end; ++it) {
    ++texts;
    int x = std::stoi((*it)[1]);
    std::string content = std::regex_replace(
        (*it)[3].str(), std::regex("&[a-z]+;"), std::string("x"));
    int chars = 0; // UTF-8 code points
    for (unsigned char c : content)
      chars += (c & 0xC0) != 0x80;
    int w = 7 * chars;
    bool middle = (*it)[2].str().find("middle") != std::string::npos;
    int left = middle ? x - w / 2 : x, right = middle ? x + w / 2 : x + w;
    EXPECT_GE(left, 0) << (*it)[0];
    EXPECT_LE(right, width)
        << (*it)[0] << " on a canvas " << width << " px wide";
  }
  EXPECT_GT(texts, 20);
}

// `help` and `version` are commands; a misspelt command or option gets the
// closest known one (issue 21, in part).
TEST(Cli, HelpVersionAndDidYouMean) {
  if (!getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  auto version = runMommie("version");
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("mommie ", 0), 0u) << version.out;
  auto help = runMommie("help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos) << help.out;
  auto helpCheck = runMommie("help check");
  EXPECT_EQ(helpCheck.code, 0);
  EXPECT_NE(helpCheck.out.find("--workers"), std::string::npos)
      << helpCheck.out;
  auto typo = runMommie("chek x.mom", true);
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.out.find("unknown command 'chek'; did you mean 'check'?"),
            std::string::npos)
      << typo.out;
  std::string ex = sourceDir() + "/examples/two_phase_commit.mom";
  auto flag = runMommie("check " + ex + " --worker 2", true);
  EXPECT_EQ(flag.code, 2);
  EXPECT_NE(flag.out.find(
                "unexpected argument '--worker'; did you mean '--workers'?"),
            std::string::npos)
      << flag.out;
}

// A directory or a missing file is reported as such, not parsed (issue 21).
TEST(Cli, DirectoriesAndMissingFilesAreReportedAsSuch) {
  if (!getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  auto dir = runMommie("check " + sourceDir() + "/examples", true);
  EXPECT_EQ(dir.code, 2);
  EXPECT_NE(dir.out.find("is a directory, not a .mom program"),
            std::string::npos)
      << dir.out;
  EXPECT_EQ(dir.out.find("expected 'protocol'"), std::string::npos) << dir.out;
  auto missing = runMommie("parse /nonexistent/x.mom", true);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("cannot open file: No such file or directory"),
            std::string::npos)
      << missing.out;
}

// --max-states N stops with exactly N distinct states, whatever the number
// of workers, on event-driven (packed fast path and built states under
// symmetry) and round programs (it used to overshoot by a batch: 1,152 for
// 100); a limit of 0 is refused rather than read as "no limit".
TEST(Cli, MaxStatesStopsAtExactlyTheLimit) {
  if (!getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  for (const char *ex : {"two_phase_commit", "pbft_normal_case"})
    for (const char *flags : {"--workers 1 --no-symmetry",
                              "--workers 2 --no-symmetry", "--workers 2"})
      for (int limit : {1, 100, 777}) {
        auto r = runMommie(
            fmt::format("check -q {} --max-states {} {}/examples/{}.mom", flags,
                        limit, sourceDir(), ex));
        SCOPED_TRACE(fmt::format("{} {} --max-states {}", ex, flags, limit));
        EXPECT_EQ(r.code, 3) << r.out;
        EXPECT_NE(r.out.find(fmt::format("distinct states: {}\n", limit)),
                  std::string::npos)
            << r.out;
        EXPECT_NE(r.out.find(fmt::format(
                      "resource limit --max-states {} reached", limit)),
                  std::string::npos)
            << r.out;
      }
  std::string ex = sourceDir() + "/examples/two_phase_commit.mom";
  for (const char *flag :
       {"--max-states 0", "--max-memory 0", "--time-limit 0"}) {
    auto r =
        runMommie(fmt::format("check -q {} {}", flag, ex), /*withStderr=*/true);
    EXPECT_EQ(r.code, 2) << flag;
    EXPECT_NE(r.out.find("must be above 0 (omit the flag for no limit)"),
              std::string::npos)
        << r.out;
  }
}

// An implementation limit met while evaluating is a resource limit (exit
// 3) that names it and its place, not an evaluation error (exit 1).
TEST(Cli, ImplementationLimitsAreResourceLimits) {
  if (!getenv("MOMMIE"))
    GTEST_SKIP() << "MOMMIE not set";
  std::string file = sourceDir() + "/tests/checker/range_limit.mom";
  auto r = runMommie("check -q " + file);
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(
      r.out.find("resource limit a range set of more than 10000000 values "
                 "(0..1000000000) at " +
                 file + ":14:22 reached"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Trace to the limit (0 steps)"), std::string::npos)
      << r.out;
  auto sim = runMommie("check -q --simulate 2 --depth 5 " + file);
  EXPECT_EQ(sim.code, 3) << sim.out;
}
