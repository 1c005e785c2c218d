// Expectation-driven front-end tests. Each tests/sema/negative/*.mom must
// fail to compile with exactly the errors listed in its leading comments
//   // expect: LINE:COL: error: MESSAGE
// (notes and warnings are compared too when the file lists any), and each
// tests/sema/warnings/*.mom must compile with exactly the listed warnings
// (none if it lists none).
// `// define: NAME=VALUE` lines become -D overrides.
#include "frontend/Frontend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using mommie::DiagnosticEngine;
using mommie::Severity;

struct Expected {
  std::set<std::string> errors, warnings, notes;
  bool checkWarnings = false, checkNotes = false;
  mommie::frontend::Options options;
};

std::string readFile(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Expected parseExpectations(const std::string &text) {
  Expected e;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::string expect = "// expect: ", define = "// define: ";
    if (line.rfind(expect, 0) == 0) {
      std::string d = line.substr(expect.size());
      if (d.find(": warning: ") != std::string::npos) {
        e.warnings.insert(d);
        e.checkWarnings = true;
      } else if (d.find(": note: ") != std::string::npos) {
        e.notes.insert(d);
        e.checkNotes = true;
      } else {
        e.errors.insert(d);
      }
    } else if (line.rfind(define, 0) == 0) {
      std::string d = line.substr(define.size());
      auto eq = d.find('=');
      e.options.defines[d.substr(0, eq)] = std::stoll(d.substr(eq + 1));
    }
  }
  return e;
}

std::string key(const mommie::Diagnostic &d) {
  const char *sev = d.severity == Severity::Error     ? "error"
                    : d.severity == Severity::Warning ? "warning"
                                                      : "note";
  return std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " +
         sev + ": " + d.message;
}

std::string join(const std::set<std::string> &s) {
  std::string out;
  for (const auto &x : s)
    out += "  " + x + "\n";
  return out;
}

std::vector<std::string> filesIn(const std::string &dir) {
  std::vector<std::string> out;
  fs::path root = fs::path(MOMMIE_SOURCE_DIR) / "tests" / "sema" / dir;
  if (fs::exists(root))
    for (const auto &f : fs::directory_iterator(root))
      if (f.path().extension() == ".mom")
        out.push_back(f.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

void runFile(const std::string &path, bool mustFail) {
  std::string text = readFile(path);
  Expected exp = parseExpectations(text);
  DiagnosticEngine diags;
  auto program = mommie::frontend::compile(path, text, exp.options, diags);
  std::set<std::string> errors, warnings, notes;
  for (const auto &d : diags.diagnostics()) {
    if (d.severity == Severity::Error)
      errors.insert(key(d));
    else if (d.severity == Severity::Warning)
      warnings.insert(key(d));
    else
      notes.insert(key(d));
  }
  std::ostringstream all;
  diags.print(all);
  if (mustFail) {
    EXPECT_FALSE(program.has_value()) << path << " compiled but must fail";
    EXPECT_FALSE(exp.errors.empty()) << path << " lists no expected error";
  } else {
    EXPECT_TRUE(program.has_value()) << path << " must compile:\n" << all.str();
  }
  EXPECT_EQ(join(errors), join(exp.errors)) << path << "\n" << all.str();
  if (exp.checkWarnings || !mustFail) {
    EXPECT_EQ(join(warnings), join(exp.warnings)) << path << "\n" << all.str();
  }
  if (exp.checkNotes) {
    EXPECT_EQ(join(notes), join(exp.notes)) << path << "\n" << all.str();
  }
}

std::string testName(const testing::TestParamInfo<std::string> &info) {
  std::string n = fs::path(info.param).stem().string();
  for (auto &c : n)
    if (!isalnum((unsigned char)c))
      c = '_';
  return n;
}

class Negative : public testing::TestWithParam<std::string> {};
TEST_P(Negative, ReportsExactlyTheExpectedErrors) { runFile(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Sema, Negative, testing::ValuesIn(filesIn("negative")),
                         testName);

class Warnings : public testing::TestWithParam<std::string> {};
TEST_P(Warnings, CompilesWithExactlyTheExpectedWarnings) {
  runFile(GetParam(), false);
}
INSTANTIATE_TEST_SUITE_P(Sema, Warnings, testing::ValuesIn(filesIn("warnings")),
                         testName);

TEST(SemaCorpus, HasAtLeastFortyNegativeTests) {
  EXPECT_GE(filesIn("negative").size(), 40u);
}

} // namespace
