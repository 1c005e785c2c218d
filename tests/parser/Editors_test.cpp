// The editor definitions in editors/ (issue 21) know every word of the
// language: each keyword of the parser (its keyword table and every
// contextual keyword the grammar matches with Kw("...")) and each builtin
// of ir/ExprKinds.def appears in the TextMate grammar's patterns and in the
// vim syntax file. A keyword added to the language fails this test until
// the editors highlight it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string src(const std::string &rel) {
  return std::string(MOMMIE_SOURCE_DIR) + "/" + rel;
}

std::set<std::string> allMatches(const std::string &text,
                                 const std::regex &re) {
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end;
       ++it)
    out.insert((*it)[1].str());
  return out;
}

// The language's words, read from the front end's and the IR's sources.
std::set<std::string> languageWords() {
  std::set<std::string> words;
  for (const auto &e : std::filesystem::directory_iterator(src("frontend"))) {
    std::string name = e.path().filename().string();
    if (name.rfind("Grammar", 0) == 0 && e.path().extension() == ".cpp")
      for (const auto &w :
           allMatches(slurp(e.path().string()),
                      std::regex(R"re(Kw\("([A-Za-z_]+)"\))re")))
        words.insert(w);
  }
  std::string parser = slurp(src("frontend/Parser.cpp"));
  size_t b = parser.find("Keywords[] = {"), e = parser.find("};", b);
  EXPECT_NE(b, std::string::npos) << "no keyword table in frontend/Parser.cpp";
  for (const auto &w :
       allMatches(parser.substr(b, e - b), std::regex(R"re("([A-Za-z_]+)")re")))
    words.insert(w);
  for (const auto &w :
       allMatches(slurp(src("ir/ExprKinds.def")),
                  std::regex(R"re(MOMMIE_BUILTIN\(\w+, "([A-Za-z]+)")re")))
    words.insert(w);
  return words;
}

// Every `match` and `begin` pattern of a TextMate grammar, concatenated.
void collectPatterns(const nlohmann::json &j, std::string &out) {
  if (j.is_object()) {
    for (const char *k : {"match", "begin"})
      if (j.contains(k) && j[k].is_string())
        out += j[k].get<std::string>() + "\n";
    for (const auto &[k, v] : j.items())
      collectPatterns(v, out);
  } else if (j.is_array()) {
    for (const auto &v : j)
      collectPatterns(v, out);
  }
}

// The words a pattern's alternatives name: "\\b(a|b|c)\\b" -> a, b, c.
std::set<std::string> patternWords(const std::string &patterns) {
  return allMatches(
      patterns,
      std::regex(R"re((?:^|[(|\\b])([A-Za-z_][A-Za-z0-9_]*)(?=[|)\\]))re"));
}

TEST(Editors, LanguageWordsAreRead) {
  auto words = languageWords();
  // A sample of each source: the keyword table, Kw(...) only, builtins.
  for (const char *w :
       {"protocol", "ANDWHEN", "ghost", "retire", "model", "card", "crashed"})
    EXPECT_TRUE(words.count(w)) << w;
  EXPECT_GT(words.size(), 80u);
}

TEST(Editors, TextMateGrammarNamesEveryWord) {
  auto j = nlohmann::json::parse(
      slurp(src("editors/vscode/syntaxes/mom.tmLanguage.json")), nullptr,
      false);
  ASSERT_FALSE(j.is_discarded())
      << "editors/vscode/syntaxes/mom.tmLanguage.json is not JSON";
  EXPECT_EQ(j["scopeName"], "source.mom");
  std::string patterns;
  collectPatterns(j, patterns);
  auto known = patternWords(patterns);
  for (const auto &w : languageWords())
    EXPECT_TRUE(known.count(w))
        << "the TextMate grammar does not highlight '" << w << "'";
  // Every pattern is a valid regular expression (ECMAScript is close
  // enough to Oniguruma for these).
  std::istringstream lines(patterns);
  for (std::string p; std::getline(lines, p);)
    EXPECT_NO_THROW(std::regex{p}) << p;
  auto pkg = nlohmann::json::parse(slurp(src("editors/vscode/package.json")),
                                   nullptr, false);
  ASSERT_FALSE(pkg.is_discarded());
  EXPECT_EQ(pkg["contributes"]["languages"][0]["extensions"][0], ".mom");
}

TEST(Editors, VimSyntaxNamesEveryWord) {
  std::string vim = slurp(src("editors/vim/syntax/mom.vim"));
  std::set<std::string> known;
  std::istringstream lines(vim);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string a, b, group;
    if (!(words >> a >> b >> group) || a != "syn" || b != "keyword")
      continue;
    for (std::string w; words >> w;)
      known.insert(w);
  }
  for (const auto &w : languageWords())
    EXPECT_TRUE(known.count(w))
        << "editors/vim/syntax/mom.vim does not highlight '" << w << "'";
}

} // namespace
