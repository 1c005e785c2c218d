// The node flag table (runtime/node/Flags.h): parsing, did-you-mean, help,
// and docs/runtime.md's flag table, which is generated from it (and
// rewritten with UPDATE_GOLDEN=1), so the two cannot drift.
#include "apps/kv/App.h"
#include "runtime/node/Flags.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using namespace mommie::rt;

namespace {

// The table with the KV store's rows (registered once).
const std::vector<FlagSpec> &fullTable() {
  static bool registered = mommie::apps::kv::registerApp();
  (void)registered;
  return flagTable();
}

bool parse(const std::string &main, std::vector<std::string> args,
           FlagValues &v, std::string &err) {
  std::vector<char *> argv = {const_cast<char *>("BIN")};
  for (auto &a : args)
    argv.push_back(a.data());
  return parseFlags(main, int(argv.size()), argv.data(), 1, v, err);
}

} // namespace

TEST(Flags, ParsesValuesAndSwitches) {
  fullTable();
  FlagValues v;
  std::string err;
  ASSERT_TRUE(
      parse("node", {"--id", "R1", "--json", "--run-for", "250"}, v, err))
      << err;
  EXPECT_EQ(v.str("--id"), "R1");
  EXPECT_TRUE(v.has("--json"));
  int64_t ms = -1;
  EXPECT_TRUE(v.count("--run-for", ms, err));
  EXPECT_EQ(ms, 250);
  EXPECT_FALSE(v.count("--id", ms, err));
  EXPECT_EQ(err, "bad --id 'R1'");
}

TEST(Flags, UnknownFlagNamesTheClosest) {
  fullTable();
  FlagValues v;
  std::string err;
  EXPECT_FALSE(parse("node", {"--trce", "t.jsonl"}, v, err));
  EXPECT_EQ(err, "unknown flag '--trce' (did you mean '--trace'?)");
  EXPECT_FALSE(parse("round", {"--lingr", "5"}, v, err));
  EXPECT_EQ(err, "unknown flag '--lingr' (did you mean '--linger'?)");
  EXPECT_FALSE(parse("node", {"--zzz"}, v, err));
  EXPECT_EQ(err, "unknown flag '--zzz'");
  // A flag of another main is not a typo.
  EXPECT_FALSE(parse("node", {"--linger", "5"}, v, err));
  EXPECT_EQ(err, "--linger is not a flag of this mode (node)");
  EXPECT_FALSE(parse("node", {"--trace"}, v, err));
  EXPECT_EQ(err, "--trace needs an argument FILE.jsonl");
  // A mode is only a first argument.
  EXPECT_FALSE(parse("node", {"--id", "R1", "--sim"}, v, err));
  EXPECT_EQ(err, "--sim must be the first argument");
}

TEST(Flags, HelpListsEveryFlagOfItsMains) {
  const auto &rows = fullTable();
  for (const auto &main : flagMains()) {
    std::string help = flagsHelp("BIN", {main});
    for (const auto &f : rows)
      if (acceptedBy(f, main)) {
        EXPECT_NE(help.find("  " + f.name + (f.arg.empty() ? "" : " " + f.arg)),
                  std::string::npos)
            << main << " " << f.name << "\n"
            << help;
      }
  }
}

TEST(Flags, RowsOfOneNameServeDisjointMains) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto &f : fullTable()) {
    EXPECT_FALSE(f.help.empty()) << f.name;
    std::istringstream in(f.mains);
    for (std::string m; in >> m;)
      EXPECT_TRUE(seen.insert({f.name, m}).second)
          << f.name << " twice for " << m;
  }
}

// docs/runtime.md lists the table between its markers, as flagsMarkdown()
// renders it.
TEST(Flags, DocsListEveryFlag) {
  fullTable();
  std::string path = std::string(MOMMIE_SOURCE_DIR) + "/docs/runtime.md";
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  const std::string begin =
      "<!-- flags:begin (generated from runtime/node/Flags.cpp) -->\n";
  const std::string end = "<!-- flags:end -->";
  size_t b = doc.find(begin), e = doc.find(end);
  ASSERT_NE(b, std::string::npos) << "no flag table markers in " << path;
  ASSERT_NE(e, std::string::npos);
  b += begin.size();
  std::string want = flagsMarkdown();
  if (const char *u = std::getenv("UPDATE_GOLDEN");
      u && std::string(u) == "1") {
    doc.replace(b, e - b, want);
    std::ofstream(path) << doc;
    return;
  }
  EXPECT_EQ(doc.substr(b, e - b), want)
      << "run UPDATE_GOLDEN=1 build/tests/test_runtime "
         "--gtest_filter=Flags.DocsListEveryFlag";
}
