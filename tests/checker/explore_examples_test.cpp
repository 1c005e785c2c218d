// A report, not a test: prints the verdict and counts of every example and
// bug variant (run with --gtest_also_run_disabled_tests; SYM=1 for symmetry,
// ONLY=name to pick one). Used to refresh tests/checker/manifest.json.
#include "Support.h"

#include <filesystem>

using namespace mommie::checker;
using namespace mommie::checker::testing;

TEST(Examples, DISABLED_Print) {
  for (const char *dir : {"examples", "tests/bugs"})
    for (auto &e :
         std::filesystem::directory_iterator(sourceDir() + "/" + dir)) {
      if (e.path().extension() != ".mom" ||
          (getenv("ONLY") && e.path().filename().string().find(
                                 getenv("ONLY")) == std::string::npos))
        continue;
      auto p = compilePath(e.path());
      if (!p)
        continue;
      CheckOptions o;
      o.progress = false;
      o.symmetry = getenv("SYM") != nullptr;
      o.timeLimit = 60;
      try {
        auto r = explore(*p, o);
        printf("%-40s %-20s %-16s distinct %8lu gen %9lu depth %3lu trace %2zu "
               " %.2fs  sym=%s\n",
               e.path().filename().c_str(), verdictName(r.verdict),
               r.name.c_str(), (unsigned long)r.distinct,
               (unsigned long)r.generated, (unsigned long)r.depth,
               r.trace.empty() ? 0 : r.trace.size() - 1, r.seconds,
               r.symmetry.c_str());
        if (!r.message.empty())
          printf("   %s %s\n", r.message.c_str(), locString(r.loc).c_str());
      } catch (const EvalError &err) {
        printf("%-40s setup error %s %s\n", e.path().filename().c_str(),
               err.what(), locString(err.loc).c_str());
      }
      fflush(stdout);
    }
}
