// Unit tests of the TLA+ backend: a hand-built IR (sequential body with an
// if/else merge, name collisions, determinism, an unbounded Byzantine
// record) and a small program through the front end (patterns, quorum
// binder, KNOWN, timers, crash). When TLA2TOOLS_JAR is set, SANY must
// accept the emitted modules.
#include "backends/tla/TlaBackend.h"
#include "frontend/Frontend.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace mommie;
using namespace mommie::ir;

namespace {

TypeRef rangeType(int64_t lo, int64_t hi) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Range;
  t->lo = lo;
  t->hi = hi;
  return t;
}

TypeRef simpleType(TypeKind k) {
  auto t = std::make_shared<Type>();
  t->kind = k;
  return t;
}

ExprPtr intLit(int64_t v) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::IntLit;
  e->intVal = v;
  e->type = simpleType(TypeKind::Int);
  return e;
}

ExprPtr stateVar(int role, int var) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::StateVar;
  e->role = role;
  e->var = var;
  e->type = rangeType(0, 3);
  return e;
}

ExprPtr binary(Op op, ExprPtr a, ExprPtr b, TypeKind k = TypeKind::Int) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Binary;
  e->op = op;
  e->args = {std::move(a), std::move(b)};
  e->type = simpleType(k);
  return e;
}

StmtPtr assign(int var, ExprPtr v) {
  auto s = std::make_shared<Stmt>();
  s->kind = StmtKind::Assign;
  s->var = var;
  s->value = std::move(v);
  return s;
}

// protocol Toy; principals R[2]; role Node at R { var x: 0..3 = 0;
// var Init: bool = false; transition Step IF x < 3 @@{ x <- x + 1;
// if x == 2 { x <- 0; } else { Init <- true; } @@} }
Program toyProgram() {
  Program p;
  p.name = "Toy";
  p.file = "toy.mom";
  p.principalSets.push_back({"R", 0, 2, nullptr, {"toy.mom", 2, 1}});
  p.numPrincipals = 2;
  Role role;
  role.name = "Node";
  role.principalSet = 0;
  role.loc = {"toy.mom", 3, 1};
  VarDecl x;
  x.name = "x";
  x.type = rangeType(0, 3);
  x.init = intLit(0);
  x.loc = {"toy.mom", 4, 3};
  role.vars.push_back(x);
  VarDecl init;
  init.name = "Init"; // collides with the spec's Init
  init.type = simpleType(TypeKind::Bool);
  auto f = std::make_shared<Expr>();
  f->kind = ExprKind::BoolLit;
  f->intVal = 0;
  f->type = simpleType(TypeKind::Bool);
  init.init = f;
  init.loc = {"toy.mom", 5, 3};
  role.vars.push_back(init);
  Transition t;
  t.name = "Step";
  t.loc = {"toy.mom", 6, 3};
  t.guard = binary(Op::Lt, stateVar(0, 0), intLit(3), TypeKind::Bool);
  t.body.push_back(assign(0, binary(Op::Add, stateVar(0, 0), intLit(1))));
  auto ifs = std::make_shared<Stmt>();
  ifs->kind = StmtKind::If;
  ifs->cond = binary(Op::Eq, stateVar(0, 0), intLit(2), TypeKind::Bool);
  ifs->thenBody.push_back(assign(0, intLit(0)));
  auto tru = std::make_shared<Expr>(*f);
  tru->intVal = 1;
  ifs->elseBody.push_back(assign(1, tru));
  t.body.push_back(ifs);
  role.transitions.push_back(t);
  p.roles.push_back(role);
  Predicate inv;
  inv.name = "Small";
  inv.loc = {"toy.mom", 9, 1};
  auto xr = std::make_shared<Expr>();
  xr->kind = ExprKind::StateVarOf;
  xr->role = 0;
  xr->var = 0;
  auto r0 = std::make_shared<Expr>();
  r0->kind = ExprKind::PrincipalLit;
  r0->intVal = 0;
  xr->args.push_back(r0);
  inv.expr = binary(Op::Le, xr, intLit(3), TypeKind::Bool);
  p.invariants.push_back(inv);
  return p;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// Runs SANY on the files when TLA2TOOLS_JAR is set; returns its output.
std::string sany(const tla::TlaFiles &files, const std::string &name) {
  const char *jar = std::getenv("TLA2TOOLS_JAR");
  if (!jar || !*jar)
    return "";
  auto dir = std::filesystem::temp_directory_path() / ("mommie_tla_" + name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (files.moduleName + ".tla")) << files.tla;
  std::ofstream(dir / "MommiePool.tla") << files.poolTla;
  std::string cmd = "cd '" + dir.string() + "' && timeout 120 java -cp '" +
                    jar + "' tla2sany.SANY " + files.moduleName +
                    ".tla > sany.log 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream in(dir / "sany.log");
  std::string log((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove_all(dir);
  return "rc=" + std::to_string(rc) + "\n" + log;
}

} // namespace

TEST(TlaBackend, SequentialBodyBecomesLetChain) {
  DiagnosticEngine diags;
  auto files = tla::emitTla(toyProgram(), diags);
  ASSERT_TRUE(files) << "emit failed";
  const std::string &t = files->tla;
  EXPECT_EQ(files->moduleName, "Toy");
  EXPECT_TRUE(contains(t, "---- MODULE Toy ----")) << t;
  EXPECT_TRUE(contains(t, "\\* toy.mom:6\nNode_Step(self) ==")) << t;
  EXPECT_TRUE(contains(t, "x_1 == x[self] + 1")) << t;
  EXPECT_TRUE(contains(t, "x_2 == 0")) << t;
  // The user's var `Init` cannot be called Init in TLA+.
  EXPECT_TRUE(contains(t, "Init_1_1 == TRUE")) << t;
  EXPECT_TRUE(contains(t, "x_3 == IF x_1 = 2 THEN x_2 ELSE x_1")) << t;
  EXPECT_TRUE(
      contains(t, "Init_1_2 == IF x_1 = 2 THEN Init_1[self] ELSE Init_1_1"))
      << t;
  EXPECT_TRUE(contains(t, "x' = [x EXCEPT ![self] = x_3]")) << t;
  EXPECT_TRUE(contains(t, "\\E self \\in R : Node_Step(self)")) << t;
  EXPECT_TRUE(contains(t, "Small == x[R_Member(0)] <= 3")) << t;
  EXPECT_TRUE(contains(t, "x \\in [R -> 0..3]")) << t;
  EXPECT_TRUE(contains(files->cfg, "INVARIANT\n  TypeOK\n  Small\n"))
      << files->cfg;
  // Principals are pairs in the protocol module, model values in MC.
  EXPECT_TRUE(contains(t, "R_Member(i) == <<\"R\", i>>")) << t;
  EXPECT_FALSE(contains(files->cfg, "R0 = R0")) << files->cfg;
  EXPECT_TRUE(contains(files->mcCfg, "R0 = R0")) << files->mcCfg;
  EXPECT_TRUE(contains(files->mcCfg, "R_Member <- MC_R_Member"))
      << files->mcCfg;
  EXPECT_TRUE(contains(files->mcTla, "MC_R_Member(i) == <<R0, R1>>[i + 1]"))
      << files->mcTla;
}

TEST(TlaBackend, OutputIsDeterministic) {
  DiagnosticEngine d1, d2;
  auto a = tla::emitTla(toyProgram(), d1);
  auto b = tla::emitTla(toyProgram(), d2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->tla, b->tla);
  EXPECT_EQ(a->cfg, b->cfg);
}

TEST(TlaBackend, UnboundedByzantineRecordIsAnError) {
  Program p = toyProgram();
  RecordDecl rec;
  rec.name = "Big";
  rec.fields.push_back({"n", simpleType(TypeKind::Int), {"toy.mom", 1, 1}});
  p.records.push_back(rec);
  Pattern pat;
  pat.record = 0;
  pat.slot = 0;
  p.roles[0].transitions[0].triggers.push_back(pat);
  auto recType = std::make_shared<Type>();
  recType->kind = TypeKind::Record;
  recType->record = 0;
  p.roles[0].transitions[0].slots.push_back({"b", recType, {}});
  p.faults.push_back(
      {FaultDecl::Kind::Byzantine, 0, 1, nullptr, {"toy.mom", 8, 1}});
  DiagnosticEngine diags;
  auto files = tla::emitTla(p, diags);
  EXPECT_FALSE(files);
  ASSERT_TRUE(diags.hasErrors());
  EXPECT_TRUE(contains(diags.diagnostics()[0].message, "no finite domain"));
}

TEST(TlaBackend, PatternsTimersAndFaultsThroughTheFrontEnd) {
  const std::string src = R"(protocol Mini;
param F = 1;
principals R[3];
principals C[1];
record Req { op: 0..1 }
record Ack { req: Req, ok: bool }
role Client at C {
  var got: option<Req> = none;
  timer retry = 10ms;
  transition Send(op: 0..1)
    IF got == none && !(KNOWN [ME, _, _] Req r {{ op == op; }})
  @@{
    PUBLISH [ME, R, NOONE] Req(op);
    start retry;
  @@}
  transition Done
    WHEN [qs R >= 2*F, ME, NOONE] Ack a
    IF card(qs) >= 2
  @@{
    got <- some(a.req);
  @@}
  transition Retry
    WHEN AFTER timeout(retry)
  @@{
    skip;
  @@}
}
role Server at R {
  var n: 0..3 = 0;
  transition Handle
    WHEN [c in C, ME, NOONE] Req r
  @@{
    let m = n + 1;
    if m > 3 { n <- 3; } else { n <- m; }
    PUBLISH [ME, c, NOONE] Ack(r, true);
  @@}
}
faults R: crash <= F;
invariant Bounded: forall p in R: Server.n[p] <= 3;
terminate when forall c in C: Client.got[c] != none;
)";
  DiagnosticEngine diags;
  auto prog = frontend::compile("mini.mom", src, {}, diags);
  ASSERT_TRUE(prog) << "front end rejected the test program";
  auto files = tla::emitTla(*prog, diags);
  ASSERT_TRUE(files);
  const std::string &t = files->tla;
  EXPECT_TRUE(
      contains(t, "\\E <<c, r>> \\in IssuedMsgs({st \\in known_Req[self] : "
                  "st.iss \\in C /\\ self \\in st.ver}) :"))
      << t;
  EXPECT_TRUE(contains(t, "<<c, r>> \\notin Server_Handle_fired[self]")) << t;
  EXPECT_TRUE(contains(t, "QuorumMsgs({st \\in known_Ack[self] : st.iss \\in R "
                          "/\\ self \\in st.ver}, "))
      << t;
  EXPECT_TRUE(contains(t, "LET qs == IssuersOf(")) << t;
  EXPECT_TRUE(contains(t, "~(\\E r \\in Msgs({st \\in known_Req[self] : "
                          "st.iss = self}) : r.op = op)"))
      << t;
  EXPECT_TRUE(contains(t, "Client_retry_running' = [Client_retry_running "
                          "EXCEPT ![self] = TRUE]"))
      << t;
  EXPECT_TRUE(contains(t, "Client_retry_running' = [Client_retry_running "
                          "EXCEPT ![self] = FALSE]"))
      << t;
  EXPECT_TRUE(contains(t, "n_3 == IF m > 3 THEN n_1 ELSE n_2")) << t;
  EXPECT_TRUE(contains(t, "pool_Ack_1 == pool_Ack \\cup {stmt}")) << t;
  EXPECT_TRUE(contains(t, "Stmt(self, {c}, {}, [req |-> r, ok |-> TRUE])"))
      << t;
  EXPECT_TRUE(contains(t, "Crash(p) ==")) << t;
  EXPECT_TRUE(contains(t, "Terminated ==\n  /\\ \\A c \\in C : got[c] # None"))
      << t;
  EXPECT_TRUE(contains(t, "Live(p) == p \\notin crashed")) << t;
  std::string log = sany(*files, "mini");
  if (!log.empty()) {
    EXPECT_TRUE(contains(log, "rc=0") && !contains(log, "rror")) << log;
  }
}

// Recover(self) for the recover set only (C merely crashes): the role's
// vars reset EXCEPT ![self], refraction and knowledge emptied; never in
// Fairness. (tests/tla/programs/recover_*.mom run it through TLC.)
TEST(TlaBackend, RecoverResetsAllButDurableVars) {
  const std::string src = R"(protocol Rec;
principals R[2];
principals C[1];
record Req { op: 0..1 }
role Client at C {
  durable var sent: bool = false;
  var v: 0..1 in {0, 1};
  timer t = 10ms;
  transition Send
    IF !sent
  @@{
    sent <- true;
    start t;
    PUBLISH [ME, R, NOONE] Req(v);
  @@}
}
role Server at R {
  var n: 0..2 = 0;
  transition Handle
    WHEN [_, ME, NOONE] Req r
    IF n < 2 && r.op >= 0
  @@{
    n <- n + 1;
  @@}
}
faults R: recover <= 1;
faults C: crash <= 1;
fairness weak;
)";
  DiagnosticEngine diags;
  auto prog = frontend::compile("rec.mom", src, {}, diags);
  ASSERT_TRUE(prog) << "front end rejected the test program";
  auto files = tla::emitTla(*prog, diags);
  ASSERT_TRUE(files);
  const std::string &t = files->tla;
  EXPECT_FALSE(contains(t, "byz")) << t;
  EXPECT_TRUE(contains(
      t,
      "Recover(self) ==\n  /\\ self \\in crashed\n"
      "  /\\ self \\in R  \\* rec.mom:26\n"
      "  /\\ crashed' = crashed \\ {self}\n"
      "  /\\ n' = [n EXCEPT ![self] = 0]\n"
      "  /\\ Server_Handle_fired' = [Server_Handle_fired EXCEPT ![self] = {}]\n"
      "  /\\ known_Req' = [known_Req EXCEPT ![self] = {}]\n"))
      << t;
  EXPECT_TRUE(contains(t, "\\E self \\in Principals : Recover(self)")) << t;
  EXPECT_FALSE(contains(t, "WF_vars(Recover")) << t;
  EXPECT_FALSE(contains(t, "self \\in C  \\*")) << t; // C only crashes
  std::string log = sany(*files, "rec");
  if (!log.empty()) {
    EXPECT_TRUE(contains(log, "rc=0") && !contains(log, "rror")) << log;
  }
}

TEST(TlaBackend, SanyAcceptsTheHandBuiltSpec) {
  if (!std::getenv("TLA2TOOLS_JAR"))
    GTEST_SKIP() << "TLA2TOOLS_JAR is not set";
  DiagnosticEngine diags;
  auto files = tla::emitTla(toyProgram(), diags);
  ASSERT_TRUE(files);
  std::string log = sany(*files, "toy");
  EXPECT_TRUE(contains(log, "rc=0") && !contains(log, "rror")) << log;
}

// stateNames (the names ITF traces use) lists the emitted module's
// variables in the order of its `vars == <<...>>`, for every example.
TEST(TlaBackend, StateNamesAreTheEmittedVariables) {
  int checked = 0;
  for (const auto &entry : std::filesystem::directory_iterator(
           std::string(MOMMIE_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".mom")
      continue;
    DiagnosticEngine diags;
    auto p = frontend::compileFile(entry.path().string(), {}, diags);
    ASSERT_TRUE(p) << entry.path();
    auto files = tla::emitTla(*p, diags);
    ASSERT_TRUE(files) << entry.path();
    size_t at = files->tla.find("\nvars == <<");
    ASSERT_NE(at, std::string::npos) << entry.path();
    std::string list =
        files->tla.substr(at + 11, files->tla.find(">>", at) - at - 11);
    std::vector<std::string> emitted;
    std::string name;
    for (char c : list + ",") {
      if (c == ',') {
        emitted.push_back(name);
        name.clear();
      } else if (!std::isspace(static_cast<unsigned char>(c))) {
        name += c;
      }
    }
    EXPECT_EQ(tla::stateNames(*p).all, emitted) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 8);
}
