// The deploy.conf parser: the DESIGN.md and paper syntax, located errors.
#include "runtime/auth/Deploy.h"

#include <gtest/gtest.h>

using namespace mommie::rt;

TEST(Deploy, FullGrammar) {
  const char *text = R"(# a comment
[Hosts]
R0 = 127.0.0.1:7100
R1 = 127.0.0.1:7101   // trailing comment
C0 = localhost:7200
[Authentication]
R* <-> R*       : HMAC_SHA256
C* -> R*        : ED25519
[Non-repudiation]
x,y -> *        : TTP(z)
[Dissemination]
C* -> R*        : OPTIMISTIC(PRIMARY) 20ms; OPTIMISTIC(QUORUM) 40ms
R* -> *         : BATCH(64, 1ms)
x,y -> *        : OPTIMISTIC(PRIMARY);
                : OPTIMISTIC(QUORUM);
)";
  DeployConfig c;
  std::vector<DeployError> errors;
  ASSERT_TRUE(parseDeploy(text, c, errors))
      << (errors.empty() ? "" : errors[0].message);
  ASSERT_EQ(c.hosts.size(), 3u);
  EXPECT_EQ(c.hosts[1].principal, "R1");
  EXPECT_EQ(c.hosts[1].endpoint.port, 7101);
  EXPECT_EQ(c.host("C0")->endpoint.host, "localhost");
  ASSERT_EQ(c.authentication.size(), 2u);
  EXPECT_TRUE(c.authentication[0].bidirectional);
  EXPECT_EQ(c.authentication[1].modules[0].name, "ED25519");
  ASSERT_EQ(c.nonRepudiation.size(), 1u);
  EXPECT_EQ(c.nonRepudiation[0].from, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(c.nonRepudiation[0].modules[0].args[0], "z");
  ASSERT_EQ(c.dissemination.size(), 3u);
  EXPECT_EQ(c.dissemination[0].modules.size(), 2u);
  EXPECT_EQ(c.dissemination[0].modules[1].escalationMs, 40);
  EXPECT_EQ(c.dissemination[1].modules[0].args,
            (std::vector<std::string>{"64", "1ms"}));
  EXPECT_EQ(c.dissemination[2].modules.size(), 2u); // continuation line
  EXPECT_TRUE(principalMatches("R*", "R12"));
  EXPECT_FALSE(principalMatches("R*", "C0"));
  EXPECT_TRUE(principalMatches("*", "C0"));
}

TEST(Deploy, LocatedErrors) {
  struct Case {
    const char *text;
    int line, col;
    const char *needle;
  } cases[] = {
      {"[Hosts]\nR0 = 127.0.0.1:99999\n", 2, 16, "bad port"},
      {"[Hosts]\nR0 127.0.0.1:7100\n", 2, 4, "expected '='"},
      {"[Hosts]\nR0 = 1.2.3.4:1\nR0 = 1.2.3.4:2\n", 3, 1, "duplicate host"},
      // Two principals cannot listen on one address (build and keygen parse
      // the deploy file with this function).
      {"[Hosts]\nR0 = 127.0.0.1:7100\nR1 = 127.0.0.1:7100\n", 3, 6,
       "is already R0's"},
      {"[Hosts]\nR0 = localhost:7100\nR1 = 127.0.0.1:7100\n", 3, 6,
       "is already R0's"},
      {"R0 = 1.2.3.4:1\n", 1, 1, "section header"},
      {"[Bogus]\n", 1, 2, "unknown section"},
      {"[Authentication]\nR* => R* : HMAC_SHA256\n", 2, 4, "expected '->'"},
      {"[Authentication]\nR* -> R* : MD5\n", 2, 12,
       "unknown authentication module"},
      {"[Dissemination]\nR* -> * : BATCH(x)\n", 2, 11, "BATCH"},
      {"[Dissemination]\nR* -> * : OPTIMISTIC(ALL)\n", 2, 11,
       "PRIMARY or QUORUM"},
      {"[Dissemination]\n: BATCH(4)\n", 2, 3, "continuation"},
  };
  for (const auto &c : cases) {
    DeployConfig conf;
    std::vector<DeployError> errors;
    EXPECT_FALSE(parseDeploy(c.text, conf, errors)) << c.text;
    ASSERT_FALSE(errors.empty()) << c.text;
    EXPECT_EQ(errors[0].line, c.line) << c.text;
    EXPECT_EQ(errors[0].col, c.col) << c.text << ": " << errors[0].message;
    EXPECT_NE(errors[0].message.find(c.needle), std::string::npos)
        << errors[0].message;
  }
}
