// The C++ backend: generated code for the event-driven examples matches the
// golden files in tests/golden/cpp/ (UPDATE_GOLDEN=1 rewrites them), is
// deterministic, and compiles triggers to index lookups.
#include "backends/cpp/CppGen.h"
#include "frontend/Frontend.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

using namespace mommie;

namespace {

std::optional<ir::Program> compileExample(const std::string &name) {
  DiagnosticEngine diags;
  auto p = frontend::compileFile(
      std::string(MOMMIE_SOURCE_DIR) + "/examples/" + name + ".mom", {}, diags);
  if (!p) {
    std::ostringstream os;
    diags.print(os);
    ADD_FAILURE() << os.str();
  }
  return p;
}

std::string readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void checkGolden(const std::string &example) {
  auto p = compileExample(example);
  ASSERT_TRUE(p);
  cppgen::Options opts;
  opts.sourceName = example + ".mom";
  auto r = cppgen::generate(*p, opts);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.files.size(), 2u);
  auto again = cppgen::generate(*p, opts);
  for (size_t i = 0; i < r.files.size(); ++i) {
    EXPECT_EQ(r.files[i].text, again.files[i].text) << "not deterministic";
    std::string golden = std::string(MOMMIE_SOURCE_DIR) + "/tests/golden/cpp/" +
                         example + "/" + r.files[i].name;
    if (std::getenv("UPDATE_GOLDEN")) {
      std::ofstream(golden, std::ios::binary) << r.files[i].text;
      continue;
    }
    std::string want = readFile(golden);
    EXPECT_FALSE(want.empty())
        << "missing golden file " << golden << " (run with UPDATE_GOLDEN=1)";
    if (r.files[i].text != want) {
      // Report the first differing line, not the whole file.
      std::istringstream a(r.files[i].text), b(want);
      std::string la, lb;
      int line = 0;
      while (true) {
        bool ga = bool(std::getline(a, la)), gb = bool(std::getline(b, lb));
        ++line;
        if (!ga && !gb)
          break;
        if (!ga || !gb || la != lb) {
          ADD_FAILURE() << "generated " << r.files[i].name << " differs from "
                        << golden << " at line " << line
                        << "\n  generated: " << (ga ? la : "<end>")
                        << "\n  golden:    " << (gb ? lb : "<end>")
                        << "\n(rerun with UPDATE_GOLDEN=1 and review the diff)";
          break;
        }
      }
    }
  }
}

const std::string &findFile(const cppgen::Result &r, const std::string &ext) {
  for (const auto &f : r.files)
    if (f.name.size() > ext.size() &&
        f.name.compare(f.name.size() - ext.size(), ext.size(), ext) == 0)
      return f.text;
  static const std::string none;
  return none;
}

} // namespace

TEST(CppGolden, PrimaryBackup) { checkGolden("primary_backup"); }
TEST(CppGolden, TwoPhaseCommit) { checkGolden("two_phase_commit"); }
TEST(CppGolden, Paxos) { checkGolden("paxos"); } // a statement set (Propose)

TEST(CppGen, TriggersUseIndexes) {
  auto p = compileExample("primary_backup");
  ASSERT_TRUE(p);
  auto r = cppgen::generate(*p);
  ASSERT_TRUE(r.errors.empty());
  const std::string &cpp = findFile(r, ".cpp");
  // Execute: `seqNo == executeSeqNo` only uses state: an equality index on
  // Order.seqNo.
  int order = -1;
  for (size_t i = 0; i < p->records.size(); ++i)
    if (p->records[i].name == "Order")
      order = int(i);
  ASSERT_GE(order, 0);
  EXPECT_NE(cpp.find("pool().byField(" + std::to_string(order) +
                     ", 1, S.executeSeqNo)"),
            std::string::npos);
  EXPECT_NE(
      cpp.find("p.fieldIndexes.push_back({" + std::to_string(order) + ", 1})"),
      std::string::npos);
  // The client's quorum walks distinct Reply values and counts issuers.
  EXPECT_NE(cpp.find("pool().issuersOf("), std::string::npos);
  EXPECT_NE(cpp.find("pool().valuesOf("), std::string::npos);
  // Refraction sets only for transitions with patterns.
  EXPECT_NE(cpp.find("firedExecute_"), std::string::npos);
  EXPECT_EQ(cpp.find("firedSend_"), std::string::npos);
}

// A pattern looked up by a join (`m == q` names Req q) still tests its own
// `sn == next`, which it would read an index for without the join (the
// matcher used to drop that test).
TEST(CppGen, JoinedPatternTestsItsOwnEqualities) {
  DiagnosticEngine diags;
  auto p = frontend::compile("join.mom", R"(protocol J;
principals R[2];
record Req { n: 1..3, sn: 0..3 }
record Order { m: Req, seqNo: 0..3 }
role Node at R {
  var next: 0..3 = 0;
  transition Take
    WHEN [ME, _, NOONE] Order o {{ m == q; seqNo == next; }}
    ANDWHEN [c in R, ME, NOONE] Req q {{ sn == next; }}
  @@{ next <- next + 1; PUBLISH [ME, c, NOONE] Order(q, next); @@}
  transition Ask @@{ PUBLISH [ME, ME, NOONE] Req(1, 0); @@}
}
)",
                             {}, diags);
  ASSERT_TRUE(p);
  auto r = cppgen::generate(*p);
  ASSERT_TRUE(r.errors.empty());
  const std::string &cpp = findFile(r, ".cpp");
  EXPECT_NE(cpp.find("pool().byField(1, 1, S.next)"),
            std::string::npos); // Order.seqNo
  EXPECT_NE(cpp.find("pool().withValue(0, st0.msg.field(0))"),
            std::string::npos);
  EXPECT_NE(
      cpp.find(
          "if (!o::eq(st1.msg.field(1), S.next).asBool()) continue; // sn"),
      std::string::npos);
  EXPECT_EQ(cpp.find("p.fieldIndexes.push_back({0, 1})"),
            std::string::npos); // no Req.sn index
}

// Retire clauses (backends/cpp/CppRetire.cpp): matchers skip retired and
// collected statements of the record types the role retires, Consumed
// bitmaps are attached for remapping, and a fired binding is dropped when a
// clause covers one of its trigger records; a program without retire
// clauses has none of it.
TEST(CppGen, RetireClausesHideAndCollect) {
  DiagnosticEngine diags;
  auto p = frontend::compileFile(std::string(MOMMIE_SOURCE_DIR) +
                                     "/tests/retire/retire_ok.mom",
                                 {}, diags);
  ASSERT_TRUE(p);
  auto r = cppgen::generate(*p);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  const std::string &cpp = findFile(r, ".cpp");
  // Records: 0 Request, 1 Order, 2 Reply.
  EXPECT_NE(cpp.find("if (retiredRec1(st0)) continue; // retired"),
            std::string::npos); // Execute's Order
  EXPECT_NE(cpp.find("if (retiredRec0(st1)) continue; // retired"),
            std::string::npos); // its Request
  EXPECT_NE(cpp.find("if (pool().ofType(0)[k0] == rt::kDeadStmt) continue;"),
            std::string::npos);
  EXPECT_NE(
      cpp.find(
          "node.pool().attach(consumedAssign_, 0, rt::Pool::Index::OfType);"),
      std::string::npos);
  EXPECT_NE(cpp.find("if (!pool().valueLive(2, k0)) continue;"),
            std::string::npos); // Accept's quorum
  EXPECT_NE(cpp.find("&& !retiredRec2(s); });"),
            std::string::npos); // its issuers
  // Execute's binding <<o, c, req>>: either trigger's clause may drop it, the
  // Request one with the binding's issuer.
  EXPECT_NE(cpp.find("bool firedGoneExecute(const Value &b) const { return "
                     "retireValue0(b.field(0), -1) || "
                     "retireValue1(b.field(2), b.field(1).asPrincipal()); }"),
            std::string::npos);
  EXPECT_NE(cpp.find("bool firedGoneAccept(const Value &b) const { return "
                     "retireValue0(b.field(0), -1); }"),
            std::string::npos);
  EXPECT_NE(cpp.find("bool retiresRecord(int record) const override"),
            std::string::npos);

  // primary_backup retires its executed Orders and Requests and the Replies
  // of accepted requests; two_phase_commit retires nothing and pays nothing.
  auto pb = compileExample("primary_backup");
  ASSERT_TRUE(pb);
  auto pbr = cppgen::generate(*pb); // pbCpp points into it
  const std::string &pbCpp = findFile(pbr, ".cpp");
  for (const char *present : {"retiredRec0", "retiredRec1", "retiredRec2"})
    EXPECT_NE(pbCpp.find(present), std::string::npos) << present;
  auto tpc = compileExample("two_phase_commit");
  ASSERT_TRUE(tpc);
  auto tpcr = cppgen::generate(*tpc);
  const std::string &plain = findFile(tpcr, ".cpp");
  for (const char *absent :
       {"retired", "kDeadStmt", "valueLive", "attach(", "collectRefraction"})
    EXPECT_EQ(plain.find(absent), std::string::npos) << absent;
}

// Round programs run on the round engine (backends/cpp/CppRounds.cpp,
// docs/rounds.md; end-to-end runs in tests/rounds/).
TEST(CppGen, RoundProgramsRunOnTheRoundEngine) {
  auto p = compileExample("one_third_rule");
  ASSERT_TRUE(p);
  auto r = cppgen::generate(*p);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.files.size(), 2u);
  const std::string &cpp = r.files[1].text;
  EXPECT_NE(cpp.find("public rt::RoundProgram"), std::string::npos);
  EXPECT_NE(cpp.find("goAhead_Exchange"), std::string::npos);
  EXPECT_NE(cpp.find("rt::roundNodeMain"), std::string::npos);
}

// `int model lo..hi` is the protocol's int: a node holds any 64-bit value,
// so the generated code has no trace of the model's bound (issue 15).
TEST(CppGen, ModelRangesLeaveNoBoundInNodes) {
  DiagnosticEngine diags;
  frontend::Options seven;
  seven.defines["NumReq"] = 7;
  auto p = frontend::compileFile(std::string(MOMMIE_SOURCE_DIR) +
                                     "/tests/tla/programs/pb_model_ranges.mom",
                                 seven, diags);
  ASSERT_TRUE(p);
  auto r = cppgen::generate(*p);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  const std::string &cpp = findFile(r, ".cpp");
  EXPECT_NE(cpp.find("T::integer(), // nextSeqNo"), std::string::npos);
  EXPECT_EQ(cpp.find("T::range(0, 7)"), std::string::npos);
  EXPECT_EQ(cpp.find("T::range(0, 6)"), std::string::npos);
  EXPECT_EQ(cpp.find("o::I(7)"), std::string::npos);
  EXPECT_EQ(cpp.find("o::I(6)"), std::string::npos);

  // A node cannot enumerate a parameter that has only a model range.
  auto q = frontend::compile("param.mom", R"(protocol P;
principals R[1];
role A at R {
  var x: int = 0;
  transition Set(k: int model 0..3) @@{ x <- k; @@}
}
)",
                             frontend::Options{}, diags);
  ASSERT_TRUE(q);
  auto rq = cppgen::generate(*q);
  ASSERT_EQ(rq.errors.size(), 1u);
  EXPECT_NE(rq.errors[0].find("has no bound in a node"), std::string::npos)
      << rq.errors[0];
}

// A node holds no ghost variable and runs no ghost statement (SemaGhost.cpp).
TEST(CppGen, GhostStateIsLeftOutOfNodes) {
  DiagnosticEngine diags;
  auto p = frontend::compileFile(std::string(MOMMIE_SOURCE_DIR) +
                                     "/tests/sema/warnings/ghost_history.mom",
                                 frontend::Options{}, diags);
  ASSERT_TRUE(p);
  auto r = cppgen::generate(*p);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  const std::string &h = findFile(r, ".h");
  const std::string &cpp = findFile(r, ".cpp");
  EXPECT_NE(h.find("Value count;"), std::string::npos);
  EXPECT_EQ(h.find("seen"), std::string::npos);
  EXPECT_NE(cpp.find("S.count"), std::string::npos);
  EXPECT_EQ(cpp.find("S.seen"), std::string::npos);
  EXPECT_EQ(cpp.find("st_.seen"), std::string::npos);
}

// No example's node code depends on a model bound (issue 15): generated at
// the default and at a larger NumReq / MaxPhase, every example's C++ is the
// same but for the parameter values it reports (--version). The nodes of
// primary_backup serve past NumReq and those of last_voting run past
// MaxPhase (tests/e2e/PrimaryBackup_test.cpp, tests/rounds/RoundsE2E_test.cpp).
TEST(CppGen, NoExampleDependsOnAModelBound) {
  auto code = [](const std::string &example,
                 const std::map<std::string, int64_t> &defines) {
    DiagnosticEngine diags;
    frontend::Options o;
    o.defines = defines;
    auto p = frontend::compileFile(std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/" + example + ".mom",
                                   o, diags);
    EXPECT_TRUE(p) << example;
    if (!p)
      return std::string();
    auto r = cppgen::generate(*p);
    EXPECT_TRUE(r.errors.empty()) << example;
    return cppgen::nodeCode(r);
  };
  int compared = 0;
  for (const char *example :
       {"primary_backup", "two_phase_commit", "pbft_normal_case", "last_voting",
        "one_third_rule", "failure_detector", "paxos"}) {
    DiagnosticEngine diags;
    auto p = frontend::compileFile(std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/" + example + ".mom",
                                   frontend::Options{}, diags);
    ASSERT_TRUE(p) << example;
    for (const auto &param : p->params) {
      if (param.name != "NumReq" && param.name != "MaxPhase")
        continue;
      EXPECT_EQ(code(example, {}),
                code(example, {{param.name, param.value + 4}}))
          << example << " " << param.name;
      ++compared;
    }
  }
  EXPECT_EQ(compared,
            4); // primary_backup's NumReq, the three round programs' MaxPhase
}
