// proofs/SymbolicParams: the parameterized encoding's parameters, read from
// the IR's symbolic forms. The parameters that size a principal set or bound
// a fault are symbolic; set sizes, fault bounds and the literals computed
// from them are affine functions of those (named constants expanded); what
// is not affine is refused with a reason, for the whole program when it is
// a size, a bound or a state type, for the literal alone otherwise.
#include "CliRun.h"
#include "frontend/Frontend.h"
#include "proofs/SymbolicParams.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <unistd.h>

namespace {

namespace ir = mommie::ir;
using mommie::proofs::SymbolicParams;

ir::Program compileText(const std::string &source) {
  mommie::DiagnosticEngine diags;
  auto prog = mommie::frontend::compile("t.mom", source, {}, diags);
  EXPECT_TRUE(prog && !diags.hasErrors());
  return prog ? *prog : ir::Program{};
}

// A one-round program over `principals P[size]` with `extra` declarations,
// variable `y` of type `yType` and the invariant `inv`.
std::string roundProgram(const std::string &size, const std::string &extra,
                         const std::string &yType, const std::string &inv) {
  return "protocol T;\nparam N = 4;\nparam V = 2;\nprincipals P[" + size +
         "];\n" + extra +
         "role Process at P {\n"
         "  var x: 0..V-1 = 0;\n"
         "  var y: " +
         yType +
         " = 0;\n"
         "  phase bound 2 {\n"
         "    round Exchange : 0..V-1 {\n"
         "      send x to P;\n"
         "      update { if card(dom(mbox)) >= N - 1 { x <- 1; y <- y; } }\n"
         "    }\n"
         "  }\n"
         "}\n"
         "invariant Inv: " +
         inv + ";\n";
}

// The affine texts of the literals over the symbolic parameters, and the
// reasons of those that are not affine.
std::set<std::string> literalTexts(const SymbolicParams &sp) {
  std::set<std::string> out;
  for (const auto &[e, a] : sp.literals)
    out.insert(a.affine ? a.affine->text(sp.symbolic) : "why: " + a.why);
  return out;
}

} // namespace

TEST(SymbolicParams, PbftIsAffineInF) {
  mommie::DiagnosticEngine diags;
  auto prog = mommie::frontend::compileFile(
      std::string(MOMMIE_SOURCE_DIR) + "/examples/pbft_normal_case.mom", {},
      diags);
  ASSERT_TRUE(prog);
  SymbolicParams sp = mommie::proofs::readSymbolicParams(*prog);
  EXPECT_EQ(sp.unsupported, "");
  EXPECT_EQ(sp.symbolic, std::vector<std::string>{"F"});
  EXPECT_EQ(sp.base, std::vector<int64_t>{1});
  EXPECT_TRUE(sp.concrete.empty());
  ASSERT_EQ(sp.setSizes.size(), 1u);
  EXPECT_EQ(sp.setSizes[0].text(sp.symbolic), "3*F + 1");
  ASSERT_EQ(sp.faultMax.size(), 1u);
  EXPECT_EQ(sp.faultMax[0].text(sp.symbolic), "F");
  // Q = 2*F + 1 (expanded), sync(F + 1); PRIMARY = R[0] is not symbolic.
  EXPECT_EQ(literalTexts(sp), (std::set<std::string>{"2*F + 1", "F + 1"}));
  EXPECT_EQ(sp.valuesAt({3}), (std::map<std::string, int64_t>{{"F", 3}}));
}

TEST(SymbolicParams, LiteralsAndNamedPrincipals) {
  auto prog = compileText(roundProgram(
      "N", "const LAST = P[N - 1];\nconst HALF = N / 2;\n", "0..V-1",
      "LAST in P && card({ p in P | Process.x[p] == 1 }) <= N + HALF"));
  SymbolicParams sp = mommie::proofs::readSymbolicParams(prog);
  EXPECT_EQ(sp.unsupported, "");
  EXPECT_EQ(sp.symbolic, std::vector<std::string>{"N"});
  EXPECT_EQ(sp.concrete, (std::map<std::string, int64_t>{{"V", 2}}));
  // N - 1 (the update's literal and LAST's index), and the literal
  // N + HALF, refused for its division only.
  EXPECT_EQ(
      literalTexts(sp),
      (std::set<std::string>{
          "N - 1", "why: 17:69: a number (N + HALF) is not an affine function "
                   "of the symbolic parameters (N / 2: a division)"}));
  // LAST is P3 at N = 4: its index is N - 1 at every size.
  int named = 0;
  for (const auto &[e, a] : sp.literals)
    if (e->kind == ir::ExprKind::PrincipalLit) {
      ++named;
      ASSERT_TRUE(a.affine);
      EXPECT_EQ(a.affine->text(sp.symbolic), "N - 1");
    }
  EXPECT_EQ(named, 1);
}

TEST(SymbolicParams, NonAffineSizeIsUnsupported) {
  auto prog = compileText(roundProgram("N * N", "", "0..V-1", "true"));
  SymbolicParams sp = mommie::proofs::readSymbolicParams(prog);
  EXPECT_EQ(sp.unsupported,
            "the size of principal set 'P' (N * N) is not an affine function "
            "of the symbolic parameters (N * N: a product of two parameters)");
}

TEST(SymbolicParams, StateTypeOverASymbolicParameterIsUnsupported) {
  auto prog = compileText(roundProgram("N", "", "0..N", "true"));
  SymbolicParams sp = mommie::proofs::readSymbolicParams(prog);
  EXPECT_EQ(sp.unsupported,
            "the type of variable 'y' depends on the symbolic parameters");
}

TEST(SymbolicParams, ConstantSizesHaveNoSymbolicParameter) {
  auto prog = compileText(roundProgram("3", "", "0..V-1", "true"));
  SymbolicParams sp = mommie::proofs::readSymbolicParams(prog);
  EXPECT_EQ(sp.unsupported, "no parameter sizes a principal set");
}

// End to end: the literal that is not affine makes `unknown` only the
// obligations whose formula needs it; TypeOK is still proved for all N.
TEST(SymbolicParams, NonAffineLiteralIsUnknownOnlyWhereUsed) {
  char dir[] = "/tmp/mommie-symparams-XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  std::string file = std::string(dir) + "/t.mom";
  std::ofstream(file) << roundProgram(
      "N", "const HALF = N / 2;\n", "0..V-1",
      "card({ p in P | Process.x[p] == 1 }) <= N + HALF");
  auto r = proofs_test::mommie("prove " + file +
                               " --parameterized --solver z3 --json");
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  int typeOk = 0, inv = 0;
  for (const auto &res : j["runs"][0]["results"]) {
    if (res["invariant"] == "TypeOK") {
      ++typeOk;
      EXPECT_EQ(res["verdict"], "proved") << res.dump();
    } else {
      ++inv;
      EXPECT_EQ(res["verdict"], "unknown") << res.dump();
      EXPECT_NE(res["detail"].get<std::string>().find("N / 2: a division"),
                std::string::npos);
    }
  }
  EXPECT_EQ(typeOk, 2);
  EXPECT_EQ(inv, 2);
  std::remove(file.c_str());
  rmdir(dir);
}
