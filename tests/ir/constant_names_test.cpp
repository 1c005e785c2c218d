// ir::ConstantNames (docs/checker.md, "Constants by name"): which integer
// variables and record fields show as named constants, on small programs
// compiled from source, and on the two-phase commit example.
#include "frontend/Frontend.h"
#include "ir/ConstantNames.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace mommie;

namespace {

ir::Program compile(const std::string &source) {
  DiagnosticEngine diags;
  auto p = frontend::compile("t.mom", source, {}, diags);
  std::ostringstream errors;
  diags.print(errors);
  EXPECT_TRUE(p) << errors.str();
  return p ? *p : ir::Program{};
}

int varIndex(const ir::Program &p, int role, const std::string &name) {
  const auto &vars = p.roles[size_t(role)].vars;
  for (size_t v = 0; v < vars.size(); ++v)
    if (vars[v].name == name)
      return int(v);
  ADD_FAILURE() << "no variable " << name;
  return -1;
}

// The name variable `name` of role 0 shows for `value`, or "" for a number.
std::string varName(const std::string &source, const std::string &name,
                    int64_t value) {
  ir::Program p = compile(source);
  if (p.roles.empty())
    return "<no program>";
  ir::ConstantNames names(p); // ofVar points into it
  const std::string *s = names.ofVar(0, varIndex(p, 0, name), value);
  return s ? *s : "";
}

// A program with one role whose variable `x` is declared, and used in the
// body of one transition, as given.
std::string withVar(const std::string &decls, const std::string &guard,
                    const std::string &body, const std::string &rest = "") {
  return "protocol T;\nprincipals P[2];\nconst IDLE = 0;\nconst BUSY = "
         "1;\nconst DONE = 2;\n" +
         decls +
         "role A at P {\n  var x: 0..3 = IDLE;\n  transition Go\n    IF " +
         guard + "\n  @@{\n" + body + "\n  @@}\n}\n" + rest;
}

} // namespace

TEST(ConstantNames, AssignedAndComparedWithConstantsOnly) {
  std::string src =
      withVar("", "x == IDLE || x != DONE",
              "    x <- if x == IDLE then BUSY else DONE;",
              "invariant I: forall p in P: A.x[p] != 3 + 0 || true;\n");
  // The invariant compares x with a number: not named.
  EXPECT_EQ(varName(src, "x", 1), "");
  src = withVar("", "x == IDLE || x != DONE",
                "    x <- if x == IDLE then BUSY else DONE;",
                "invariant I: forall p in P: A.x[p] != DONE || A.x[p] in "
                "{IDLE, BUSY, DONE};\n");
  EXPECT_EQ(varName(src, "x", 0), "IDLE");
  EXPECT_EQ(varName(src, "x", 1), "BUSY");
  EXPECT_EQ(varName(src, "x", 2), "DONE");
  EXPECT_EQ(varName(src, "x", 3), ""); // no constant has that value
}

TEST(ConstantNames, ArithmeticOrderOrNumbersLeaveANumber) {
  EXPECT_EQ(varName(withVar("", "x == IDLE", "    x <- x + 1;"), "x", 1), "");
  EXPECT_EQ(varName(withVar("", "x < BUSY", "    x <- BUSY;"), "x", 1), "");
  EXPECT_EQ(varName(withVar("", "x == 0", "    x <- BUSY;"), "x", 1), "");
  EXPECT_EQ(varName(withVar("", "x == IDLE", "    x <- 1;"), "x", 1), "");
  // Read into a function or a let: not followed, so not named.
  EXPECT_EQ(varName(withVar("fun f(v: 0..3): bool = v == BUSY;\n", "f(x)",
                            "    x <- BUSY;"),
                    "x", 1),
            "");
  EXPECT_EQ(varName(withVar("", "x == IDLE", "    let y = x;\n    x <- BUSY;"),
                    "x", 1),
            "");
  EXPECT_EQ(varName(withVar("", "x == IDLE", "    x <- BUSY;"), "x", 1),
            "BUSY");
}

TEST(ConstantNames, TwoNamesForOneValueAreAmbiguous) {
  std::string src = withVar("const READY = 1;\n", "x == IDLE || x == READY",
                            "    x <- BUSY;");
  EXPECT_EQ(varName(src, "x", 1), "");
  EXPECT_EQ(varName(src, "x", 0), "");
}

TEST(ConstantNames, InitialValuesFromASetOfConstants) {
  std::string src =
      "protocol T;\nprincipals P[1];\nconst LOW = 3;\nconst HIGH = 7;\n"
      "role A at P {\n  var y: 0..9 in {LOW, HIGH};\n  var z: 0..9 in 3..7;\n"
      "  transition Go\n    IF y == LOW && z == LOW\n  @@{\n    y <- HIGH;\n  "
      "@@}\n}\n";
  EXPECT_EQ(varName(src, "y", 7), "HIGH");
  EXPECT_EQ(varName(src, "z", 3), ""); // its initial values are a range
}

TEST(ConstantNames, RecordFieldsAndCopiesJoinAClass) {
  // Vote.choice is written with constants and compared in a field
  // constraint; `last` is a copy of it, so it is named too; Vote.rnd is
  // compared with `<`, so it is not.
  std::string src =
      "protocol T;\nprincipals P[2];\nconst YES = 1;\nconst NO = 2;\n"
      "record Vote { choice: 0..2, rnd: 0..2 }\n"
      "role A at P {\n  var sent: bool = false;\n  var last: 0..2 = NO;\n"
      "  transition Send\n    IF !sent\n  @@{\n"
      "    PUBLISH [ME, P, NOONE] Vote(if sent then YES else NO, 0);\n    sent "
      "<- true;\n  @@}\n"
      "  transition Learn\n    WHEN [_, ME, NOONE] Vote v {{ choice == YES; "
      "}}\n"
      "    IF v.rnd < 2\n  @@{\n    last <- v.choice;\n  @@}\n}\n";
  ir::Program p = compile(src);
  ASSERT_EQ(p.records.size(), 1u);
  ir::ConstantNames names(p);
  ASSERT_NE(names.ofField(0, 0, 1), nullptr);
  EXPECT_EQ(*names.ofField(0, 0, 1), "YES");
  EXPECT_EQ(*names.ofField(0, 0, 2), "NO");
  EXPECT_EQ(names.ofField(0, 1, 0), nullptr);
  const std::string *last = names.ofVar(0, varIndex(p, 0, "last"), 1);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(*last, "YES");
}

TEST(ConstantNames, TwoPhaseCommitDecisionAndState) {
  std::ifstream in(std::string(MOMMIE_SOURCE_DIR) +
                   "/examples/two_phase_commit.mom");
  std::stringstream text;
  text << in.rdbuf();
  ir::Program p = compile(text.str());
  ASSERT_EQ(p.roles.size(), 2u);
  ir::ConstantNames names(p);
  const std::string *commit = names.ofVar(0, varIndex(p, 0, "decision"), 1);
  ASSERT_NE(commit, nullptr);
  EXPECT_EQ(*commit, "COMMITTED");
  const std::string *aborted = names.ofVar(1, varIndex(p, 1, "state"), 2);
  ASSERT_NE(aborted, nullptr);
  EXPECT_EQ(*aborted, "ABORTED");
  // Booleans and the transaction number (a plain 0) are not named.
  EXPECT_EQ(names.ofField(0, 0, 0), nullptr);
}
