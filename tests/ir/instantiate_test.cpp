// ir::instantiate against the front end: for every example and bug variant,
// and every parameter moved away from its default, the program compiled at
// the defaults and instantiated at the new values prints exactly as the
// program compiled with -D at those values (or both refuse them).
#include "Corpus.h"
#include "frontend/Frontend.h"
#include "ir/Instantiate.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using mommie::DiagnosticEngine;
namespace ir = mommie::ir;

std::optional<ir::Program>
compile(const std::string &path, const std::map<std::string, int64_t> &defines,
        DiagnosticEngine &diags) {
  mommie::frontend::Options o;
  o.defines = defines;
  return mommie::frontend::compileFile(path, o, diags);
}

std::vector<std::string> programs() { return ir::testing::corpusPaths(); }

class Instantiate : public ::testing::TestWithParam<std::string> {};

TEST_P(Instantiate, EqualsTheFrontEndAtOtherValues) {
  DiagnosticEngine diags;
  auto base = compile(GetParam(), {}, diags);
  ASSERT_TRUE(base) << GetParam();
  ASSERT_TRUE(ir::verifyProgram(*base).empty());
  int compared = 0;
  for (const auto &p : base->params) {
    for (int64_t delta : {-1, 1, 2}) {
      std::map<std::string, int64_t> values{{p.name, p.value + delta}};
      DiagnosticEngine d1, d2;
      auto direct = compile(GetParam(), values, d1);
      auto inst = ir::instantiate(*base, values, d2);
      std::string what = GetParam() + " with " + p.name + " = " +
                         std::to_string(p.value + delta);
      ASSERT_EQ(bool(direct), bool(inst)) << what;
      if (!direct)
        continue;
      EXPECT_TRUE(ir::verifyProgram(*inst).empty()) << what;
      EXPECT_EQ(ir::printProgram(*inst), ir::printProgram(*direct)) << what;
      ++compared;
    }
  }
  if (!base->params.empty()) {
    EXPECT_GT(compared, 0) << "no legal value away from the defaults";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Instantiate, ::testing::ValuesIn(programs()),
                         [](const auto &info) {
                           std::string n = fs::path(info.param).stem().string();
                           for (auto &c : n)
                             if (!isalnum((unsigned char)c))
                               c = '_';
                           return n;
                         });

// Identity: instantiating at the program's own values changes nothing.
TEST(InstantiateBasics, OwnValuesAreTheIdentity) {
  DiagnosticEngine diags;
  auto base =
      compile(std::string(MOMMIE_SOURCE_DIR) + "/examples/primary_backup.mom",
              {{"F", 2}}, diags);
  ASSERT_TRUE(base);
  auto same = ir::instantiate(*base, {}, diags);
  ASSERT_TRUE(same);
  // The defaults are re-evaluated: F goes back to 1 unless given.
  EXPECT_EQ(same->params[0].value, 1);
  auto kept = ir::instantiate(*base, {{"F", 2}}, diags);
  ASSERT_TRUE(kept);
  EXPECT_EQ(ir::printProgram(*kept), ir::printProgram(*base));
}

// Errors: an unknown parameter lists the known ones; a failed assume names
// itself and its location; a set that would be empty is refused.
TEST(InstantiateBasics, BadValuesAreLocatedErrors) {
  DiagnosticEngine diags;
  auto base =
      compile(std::string(MOMMIE_SOURCE_DIR) + "/examples/primary_backup.mom",
              {}, diags);
  ASSERT_TRUE(base);
  {
    DiagnosticEngine d;
    EXPECT_FALSE(ir::instantiate(*base, {{"Numreq", 3}}, d));
    ASSERT_EQ(d.diagnostics().size(), 1u);
    EXPECT_NE(d.diagnostics()[0].message.find("did you mean 'NumReq'"),
              std::string::npos);
    EXPECT_NE(d.diagnostics()[0].message.find("its parameters: F, NumReq"),
              std::string::npos);
  }
  {
    DiagnosticEngine d;
    EXPECT_FALSE(ir::instantiate(*base, {{"F", -1}}, d));
    ASSERT_FALSE(d.diagnostics().empty());
    EXPECT_NE(d.diagnostics()[0].message.find(
                  "principal set 'R' would have -2 members"),
              std::string::npos)
        << d.diagnostics()[0].message;
  }
}

TEST(InstantiateBasics, FailedAssumeNamesItself) {
  DiagnosticEngine diags;
  std::string src = R"(protocol T;
param F = 1;
param N = 4;
assume N > 3 * F;
principals R[N];
role A at R { var x: bool = false; }
)";
  diags.addSource("t.mom", src);
  mommie::frontend::Options o;
  auto base = mommie::frontend::compile("t.mom", src, o, diags);
  ASSERT_TRUE(base);
  DiagnosticEngine d;
  EXPECT_FALSE(ir::instantiate(*base, {{"F", 2}}, d));
  ASSERT_EQ(d.diagnostics().size(), 1u);
  EXPECT_EQ(d.diagnostics()[0].loc.line, 4u);
  EXPECT_EQ(d.diagnostics()[0].message,
            "assumption 'assume N > 3 * F' does not hold (F = 2, N = 4)");
}

} // namespace

namespace {

// Principals of later sets move when an earlier set grows: C[1] is id 4
// with three replicas and id 6 with five, named or selected by a parameter.
TEST(InstantiateBasics, PrincipalsAreRenumbered) {
  std::string src = R"(protocol T;
param N = 3;
param K = 1;
principals R[N];
principals C[2];
const LAST = C[1];
const PICK = R[N - K];
role A at C {
  var x: bool = false;
  transition Go IF ME == LAST && !x @@{ x <- true; @@}
}
role B at R {
  var y: bool = false;
  transition Go IF ME == PICK && !y @@{ y <- true; @@}
}
)";
  for (int64_t n : {2, 5}) {
    DiagnosticEngine d0, d1, d2;
    d0.addSource("t.mom", src);
    d1.addSource("t.mom", src);
    mommie::frontend::Options o;
    auto base = mommie::frontend::compile("t.mom", src, o, d0);
    ASSERT_TRUE(base);
    o.defines["N"] = n;
    auto direct = mommie::frontend::compile("t.mom", src, o, d1);
    ASSERT_TRUE(direct);
    auto inst = ir::instantiate(*base, {{"N", n}}, d2);
    ASSERT_TRUE(inst);
    EXPECT_EQ(ir::printProgram(*inst), ir::printProgram(*direct));
    EXPECT_NE(ir::printProgram(*inst), ir::printProgram(*base));
  }
}

} // namespace
