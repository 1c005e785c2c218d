// Body programs: a transition naming `program fn` runs the user's C++
// function, then the body spec on the same pre-state; the node stops
// (fail-stop, exit 1) when their post-states or published statements
// differ. A correct program runs; a deliberately buggy one is caught.
#include "../e2e/E2eUtil.h"

#include <gtest/gtest.h>

namespace {

const char *Program = R"(protocol Counter;
principals W[1];
principals V[1];
record Tick { n: 0..10 }
role Worker at W {
  var x: 0..10 = 0;
  var done: bool = false;
  transition Bump
    IF !done
    program bump
  @@{
    x <- x + 2;
    done <- true;
    PUBLISH [ME, V, NOONE] Tick(x + 2);
  @@}
}
role Viewer at V {
  var seen: 0..10 = 0;
  transition See
    WHEN [W[0], ME, NOONE] Tick t
  @@{
    seen <- t.n;
  @@}
}
)";

// `delta` is what the body program adds to x; `tick` what it publishes.
std::string body(int delta, int tick) {
  return "#include \"Counter.h\"\n"
         "namespace Counter {\n"
         "void bump(int me, WorkerState &s, const Worker_Bump_Frame &f, "
         "mommie::rt::Outbox &out) {\n"
         "  namespace o = mommie::rt::ops;\n"
         "  s.x = o::add(s.x, o::I(" +
         std::to_string(delta) +
         "));\n"
         "  s.done = o::B(true);\n"
         "  out.publishNoAuditor(o::P(V0), rec::Tick::make(o::I(" +
         std::to_string(tick) +
         ")));\n"
         "}\n"
         "} // namespace Counter\n";
}

struct Built {
  std::string dir;
  int buildRc = -1;
  int nodeRc = -1;
  std::string log, out;
};

Built buildAndRun(const std::string &tag, const std::string &bodySource) {
  Built b;
  const char *mommie = std::getenv("MOMMIE");
  if (!mommie)
    return b;
  b.dir = e2e::tempDir(tag);
  std::ofstream(b.dir + "/counter.mom") << Program;
  std::ofstream(b.dir + "/body.cpp") << bodySource;
  auto ports = e2e::freePorts(2);
  std::ofstream(b.dir + "/deploy.conf")
      << "[Hosts]\nW0 = 127.0.0.1:" << ports[0]
      << "\nV0 = 127.0.0.1:" << ports[1] << "\n";
  b.buildRc = e2e::run({mommie, "build", b.dir + "/counter.mom", "--deploy",
                        b.dir + "/deploy.conf", "--body", b.dir + "/body.cpp",
                        "-o", b.dir + "/counter"},
                       b.dir, 240000);
  if (b.buildRc != 0) {
    b.log = e2e::readFile(b.dir + "/run.err");
    return b;
  }
  pid_t pid = e2e::spawn({b.dir + "/counter", "--id", "W0", "--deploy",
                          b.dir + "/deploy.conf", "--exit-when-quiescent",
                          "300", "--run-for", "20000"},
                         b.dir + "/W0.out", b.dir + "/W0.log");
  b.nodeRc = e2e::waitFor(pid, 30000);
  b.log = e2e::readFile(b.dir + "/W0.log");
  b.out = e2e::readFile(b.dir + "/W0.out");
  return b;
}

} // namespace

TEST(BodyProgram, CorrectProgramRuns) {
  Built b = buildAndRun("body-ok", body(2, 4));
  ASSERT_EQ(b.buildRc, 0) << b.log;
  EXPECT_EQ(b.nodeRc, 0) << b.log;
  EXPECT_NE(b.out.find("\"x\":2"), std::string::npos) << b.out;
  EXPECT_NE(b.out.find("\"failed\":false"), std::string::npos) << b.out;
  EXPECT_EQ(b.log.find("fail_stop"), std::string::npos) << b.log;
}

TEST(BodyProgram, WrongStateIsCaught) {
  Built b = buildAndRun("body-bug", body(1, 3)); // the bug: x + 1
  ASSERT_EQ(b.buildRc, 0) << b.log;
  EXPECT_EQ(b.nodeRc, 1) << b.log;
  EXPECT_NE(b.log.find("fail_stop"), std::string::npos) << b.log;
  EXPECT_NE(
      b.log.find("body program bump disagrees with the body spec of Bump"),
      std::string::npos)
      << b.log;
  EXPECT_NE(b.log.find("x: program 1, spec 2"), std::string::npos) << b.log;
  EXPECT_NE(b.out.find("\"failed\":true"), std::string::npos) << b.out;
  // The buggy step was not committed: x is still 0.
  EXPECT_NE(b.out.find("\"x\":0"), std::string::npos) << b.out;
}

TEST(BodyProgram, WrongPublicationIsCaught) {
  Built b = buildAndRun("body-pub", body(2, 5)); // right state, wrong Tick
  ASSERT_EQ(b.buildRc, 0) << b.log;
  EXPECT_EQ(b.nodeRc, 1) << b.log;
  EXPECT_NE(b.log.find("published: program"), std::string::npos) << b.log;
}
