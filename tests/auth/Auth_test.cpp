// Authentication modules: the capability table, rule resolution, key files,
// and frame sealing / opening with real HMAC-SHA256 and Ed25519: forged
// MACs and signatures, replays, another issuer's statements and downgrades
// are rejected with their reason; a node bounds what one issuer may add to
// its pool and keeps serving under a flood.
#include "runtime/auth/Auth.h"
#include "runtime/auth/AuthSetup.h"
#include "runtime/node/Node.h"

#include "../runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>

using namespace mommie::rt;

namespace {

DeployConfig parse(const std::string &text) {
  DeployConfig c;
  std::vector<DeployError> errors;
  EXPECT_TRUE(parseDeploy(text, c, errors))
      << (errors.empty() ? "" : errors[0].message);
  return c;
}

const std::vector<std::string> PNames = {"R0", "R1", "C0"};
const std::string Hosts =
    "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\nC0 = 127.0.0.1:3\n";

Statement stmt(int issuer, int verifier, int64_t n, bool anyAuditor = false) {
  Value aud = anyAuditor ? allPrincipals(3) : Value::set({});
  return Statement{issuer, Value::set({Value::principal(verifier)}), aud,
                   Value::record(0, {Value::integer(n)})};
}

struct Pair {
  DeployConfig conf;
  std::map<std::string, KeyStore> keys;
  std::unique_ptr<Authenticator> a, b; // R0 -> R1
  explicit Pair(const std::string &rules) : conf(parse(Hosts + rules)) {
    keys = generateKeys(conf, PNames);
    a = std::make_unique<Authenticator>(conf, PNames, 0, keys["R0"]);
    b = std::make_unique<Authenticator>(conf, PNames, 1, keys["R1"]);
  }
};

bool open(Authenticator &au, int peer, const std::vector<uint8_t> &f,
          Reject &why) {
  Statement s;
  return au.open(peer, f.data(), f.size(), s, why);
}

} // namespace

TEST(AuthModules, TableDeclaresWhatEachModuleProvides) {
  const auto *plain = findAuthModule("PLAINTEXT"),
             *hmac = findAuthModule("HMAC_SHA256"),
             *ed = findAuthModule("ED25519"), *ttp = findAuthModule("TTP");
  ASSERT_TRUE(plain && hmac && ed && ttp);
  EXPECT_FALSE(hmac->anyAuditor);
  EXPECT_FALSE(hmac->forwardable);
  EXPECT_EQ(hmac->tagBytes, 32u);
  EXPECT_TRUE(ed->anyAuditor);
  EXPECT_TRUE(ed->forwardable);
  EXPECT_EQ(ed->tagBytes, 64u);
  EXPECT_TRUE(ttp->implemented);
  EXPECT_TRUE(ttp->anyAuditor);
  EXPECT_TRUE(ttp->forwardable);
  EXPECT_EQ(findAuthModule("ROT13"), nullptr);
}

TEST(AuthModules,
     LastMatchingRuleWinsAndNonRepudiationCarriesAuditedStatements) {
  DeployConfig c = parse(
      Hosts + "[Authentication]\n* <-> * : HMAC_SHA256\nC* -> R* : ED25519\n"
              "[Non-repudiation]\nR* -> * : ED25519\n");
  EXPECT_STREQ(authFor(c, "R0", "R1").module->name, "HMAC_SHA256");
  EXPECT_STREQ(authFor(c, "C0", "R1").module->name, "ED25519");
  EXPECT_STREQ(authFor(c, "R1", "C0").module->name, "HMAC_SHA256");
  EXPECT_STREQ(carrierFor(c, "R0", "R1", {}).module->name, "HMAC_SHA256");
  EXPECT_STREQ(carrierFor(c, "R0", "R1", PNames).module->name, "ED25519");
  EXPECT_TRUE(carrierFor(c, "R0", "R1", PNames).nonRepudiation);
  // No rule: PLAINTEXT.
  DeployConfig none = parse(Hosts);
  EXPECT_STREQ(authFor(none, "R0", "C0").module->name, "PLAINTEXT");
  EXPECT_EQ(authFor(none, "R0", "C0").rule, nullptr);
}

TEST(Keys, GenerateSerializeParseAndLoad) {
  DeployConfig c =
      parse(Hosts +
            "[Authentication]\nR* <-> R* : HMAC_SHA256\nC* -> R* : ED25519\n");
  auto keys = generateKeys(c, PNames);
  EXPECT_EQ(keys["R0"].hmac.size(), 1u);
  EXPECT_EQ(keys["R0"].hmac.at("R1"), keys["R1"].hmac.at("R0"));
  EXPECT_EQ(keys["C0"].hmac.size(), 0u);
  EXPECT_TRUE(keys["C0"].edSecret.has_value());
  EXPECT_FALSE(keys["R0"].edSecret.has_value());
  EXPECT_EQ(keys["R0"].edPublic.count("C0"), 1u);
  KeyStore back;
  std::string err;
  ASSERT_TRUE(KeyStore::parse(keys["R0"].serialize(), back, err)) << err;
  EXPECT_EQ(back.hmac, keys["R0"].hmac);
  EXPECT_EQ(back.edPublic, keys["R0"].edPublic);
  EXPECT_FALSE(KeyStore::parse("principal R0\nhmac R1 zz\n", back, err));
  EXPECT_NE(err.find("line 2"), std::string::npos);

  std::string dir =
      (std::filesystem::temp_directory_path() / "mommie-keys-XXXXXX").string();
  ASSERT_TRUE(mkdtemp(dir.data()));
  ASSERT_TRUE(writeKeyDir(dir + "/k", keys, err)) << err;
  struct stat st {};
  ASSERT_EQ(stat((dir + "/k/R0.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  KeyStore loaded;
  ASSERT_TRUE(KeyStore::load(dir + "/k", "R0", loaded, err)) << err;
  EXPECT_EQ(loaded.hmac, keys["R0"].hmac);
  chmod((dir + "/k/R0.key").c_str(), 0644);
  EXPECT_FALSE(KeyStore::load(dir + "/k", "R0", loaded, err));
  EXPECT_NE(err.find("readable by others"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A node started with another principal's key file refuses to start: R0
// given R1's keys (copied over R0.key) must not run with them. The node's
// own set-up path (makeStatementAuthenticator) passes its principal, and
// the loader compares it with the file's.
TEST(Keys, AnotherPrincipalsKeyFileIsRefused) {
  DeployConfig c =
      parse(Hosts +
            "[Authentication]\nR* <-> R* : HMAC_SHA256\nC* -> R* : ED25519\n");
  auto keys = generateKeys(c, PNames);
  std::string err;
  std::string dir =
      (std::filesystem::temp_directory_path() / "mommie-keys-XXXXXX").string();
  ASSERT_TRUE(mkdtemp(dir.data()));
  ASSERT_TRUE(writeKeyDir(dir + "/k", keys, err)) << err;
  auto r0 =
      makeStatementAuthenticator(c, "deploy.conf", PNames, 0, dir + "/k", err);
  EXPECT_TRUE(r0) << err;
  std::filesystem::copy_file(dir + "/k/R1.key", dir + "/k/R0.key",
                             std::filesystem::copy_options::overwrite_existing);
  chmod((dir + "/k/R0.key").c_str(), 0600);
  err.clear();
  EXPECT_FALSE(
      makeStatementAuthenticator(c, "deploy.conf", PNames, 0, dir + "/k", err));
  EXPECT_NE(err.find("keys of R1, not R0"), std::string::npos) << err;
  // A file that does not say whose keys it holds is refused too.
  {
    std::ofstream(dir + "/k/R0.key")
        << "hmac R1 " << std::string(64, '0') << "\n";
  }
  chmod((dir + "/k/R0.key").c_str(), 0600);
  KeyStore loaded;
  EXPECT_FALSE(KeyStore::load(dir + "/k", "R0", loaded, err));
  EXPECT_NE(err.find("no 'principal' line"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

TEST(Auth, HmacAcceptsGenuineRejectsForgedReplayedAndForeign) {
  Pair p("[Authentication]\n* <-> * : HMAC_SHA256\n");
  std::string err;
  ASSERT_TRUE(p.a->ready(err)) << err;
  ASSERT_TRUE(p.b->ready(err)) << err;
  auto f = p.a->seal(stmt(0, 1, 3), 1);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[1], uint8_t(AuthKind::HmacSha256));
  Reject why;
  Statement s;
  ASSERT_TRUE(p.b->open(0, f.data(), f.size(), s, why));
  EXPECT_EQ(s, stmt(0, 1, 3));
  EXPECT_FALSE(open(*p.b, 0, f, why)); // the same frame again
  EXPECT_EQ(why, Reject::Replay);
  auto g = p.a->seal(stmt(0, 1, 4), 1);
  auto forged = g;
  forged.back() ^= 1;
  EXPECT_FALSE(open(*p.b, 0, forged, why));
  EXPECT_EQ(why, Reject::BadMac);
  auto tampered = g;
  tampered[tampered.size() - 33] ^= 1; // last byte of the statement
  EXPECT_FALSE(open(*p.b, 0, tampered, why));
  EXPECT_TRUE(why == Reject::BadMac || why == Reject::BadFrame)
      << rejectName(why);
  EXPECT_TRUE(open(*p.b, 0, g, why))
      << rejectName(why); // the genuine one still passes
  // R0 claims C0's statement on its authenticated link.
  auto other = p.a->seal(stmt(2, 1, 5), 1);
  EXPECT_FALSE(open(*p.b, 0, other, why));
  EXPECT_EQ(why, Reject::WrongIssuer);
  // A frame for R1 replayed to C0 (other key): bad MAC.
  Authenticator c(p.conf, PNames, 2, p.keys["C0"]);
  auto h = p.a->seal(stmt(0, 2, 6), 1); // sealed for R1, delivered to C0
  EXPECT_FALSE(open(c, 0, h, why));
  EXPECT_EQ(why, Reject::BadMac);
}

TEST(Auth, Ed25519SignaturesAndDowngrades) {
  Pair p("[Authentication]\n* <-> * : ED25519\n");
  auto f = p.a->seal(stmt(0, 1, 1, true), 1);
  EXPECT_EQ(f[1], uint8_t(AuthKind::Ed25519));
  Reject why;
  EXPECT_TRUE(open(*p.b, 0, f, why)) << rejectName(why);
  auto g = p.a->seal(stmt(0, 1, 2), 1);
  auto forged = g;
  forged[forged.size() - 10] ^= 0x40;
  EXPECT_FALSE(open(*p.b, 0, forged, why));
  EXPECT_EQ(why, Reject::BadSignature);
  // A PLAINTEXT node's frame where the configuration says ED25519.
  DeployConfig plain = parse(Hosts);
  Authenticator downgrader(plain, PNames, 0, KeyStore{});
  auto d = downgrader.seal(stmt(0, 1, 3), 1);
  EXPECT_FALSE(open(*p.b, 0, d, why));
  EXPECT_EQ(why, Reject::WrongModule);
  auto legacy = Node::encodeStatementFrame(stmt(0, 1, 3));
  EXPECT_FALSE(open(*p.b, 0, legacy, why));
  EXPECT_EQ(why, Reject::WrongModule);
  // Without a key the node is not ready.
  Authenticator nokey(p.conf, PNames, 1, KeyStore{});
  std::string err;
  EXPECT_FALSE(nokey.ready(err));
  EXPECT_NE(err.find("ED25519"), std::string::npos);
}

TEST(Auth, GarbageAndTruncationNeverAuthenticate) {
  Pair p("[Authentication]\nR* <-> R* : HMAC_SHA256\nC* <-> R* : ED25519\n");
  auto f = p.a->seal(stmt(0, 1, 7), 1);
  Reject why;
  for (size_t n = 0; n < f.size(); ++n) {
    std::vector<uint8_t> t(f.begin(), f.begin() + long(n));
    EXPECT_FALSE(open(*p.b, 0, t, why)) << n;
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> g = f;
    g[rng() % g.size()] ^= uint8_t(1 + rng() % 255);
    EXPECT_FALSE(open(*p.b, 0, g, why));
    std::vector<uint8_t> r(rng() % 200);
    for (auto &b : r)
      b = uint8_t(rng());
    EXPECT_FALSE(open(*p.b, 2, r, why));
  }
  EXPECT_TRUE(open(*p.b, 0, f, why)) << rejectName(why);
}

namespace {

ProgramInfo info() { return rt_test::idleProgram(PNames); }

} // namespace

TEST(Auth, NodeBoundsAFloodingPeerAndKeepsServing) {
  Pair p("[Authentication]\n* <-> * : HMAC_SHA256\n");
  ProgramInfo pi = info();
  EventLoop loop;
  Logger log("R1", LogLevel::Off);
  Node node(loop, log, pi, 1);
  std::string err;
  ASSERT_TRUE(node.init(err)) << err;
  node.setAuth(p.b.get());
  node.setMaxPerIssuer(100);
  Authenticator c(p.conf, PNames, 2, p.keys["C0"]);
  for (int i = 0; i < 5000; ++i) {
    auto f = p.a->seal(stmt(0, 1, i), 1);
    node.receiveFrame(0, f.data(), f.size());
    if (i % 10 == 0) { // interleaved forgeries
      f.back() ^= 1;
      node.receiveFrame(0, f.data(), f.size());
    }
  }
  // Another peer is still served.
  for (int i = 0; i < 10; ++i) {
    auto f = c.seal(stmt(2, 1, i), 1);
    node.receiveFrame(2, f.data(), f.size());
  }
  const auto &st = node.stats();
  EXPECT_EQ(st.delivered, 110u);
  EXPECT_EQ(st.rejects[Reject::PeerQuota], 4900u);
  EXPECT_EQ(st.rejects[Reject::BadMac], 500u);
  EXPECT_EQ(node.pool().size(), 110u);
  EXPECT_NE(st.rejects.toJson().find("\"peer_quota\":4900"), std::string::npos);
}

TEST(Auth, BatchCarriesManyStatementsUnderOneSignature) {
  Pair p("[Authentication]\n* <-> * : ED25519\n[Dissemination]\nR0 -> R1 : "
         "BATCH(64, 1ms)\n");
  EXPECT_EQ(p.a->batchFor(1).n, 64u);
  EXPECT_EQ(p.a->batchFor(1).delayMs, 1);
  EXPECT_EQ(p.a->batchFor(2).n, 0u);
  std::vector<Statement> ss;
  for (int i = 0; i < 64; ++i)
    ss.push_back(stmt(0, 1, i));
  uint64_t signs = crypto::counters().signs,
           verifies = crypto::counters().sigVerifies;
  auto f = p.a->sealBatch(ss, 1);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0], Authenticator::FrameAuthBatch);
  std::vector<Statement> out;
  Reject why;
  ASSERT_TRUE(p.b->openAny(0, f.data(), f.size(), out, why)) << rejectName(why);
  EXPECT_EQ(out, ss);
  EXPECT_EQ(crypto::counters().signs - signs, 1u);
  EXPECT_EQ(crypto::counters().sigVerifies - verifies, 1u);
  EXPECT_FALSE(p.b->openAny(0, f.data(), f.size(), out, why)); // replay
  EXPECT_EQ(why, Reject::Replay);
  EXPECT_TRUE(out.empty());
  auto g = p.a->sealBatch(ss, 1);
  auto forged = g;
  forged[10] ^= 1; // inside the first statements
  EXPECT_FALSE(p.b->openAny(0, forged.data(), forged.size(), out, why));
  EXPECT_TRUE(out.empty());
  forged = g;
  forged.back() ^= 1;
  EXPECT_FALSE(p.b->openAny(0, forged.data(), forged.size(), out, why));
  EXPECT_EQ(why, Reject::BadSignature);
  // A batch smuggling another issuer's statement.
  auto mixed = ss;
  mixed[5] = stmt(2, 1, 5);
  auto h = p.a->sealBatch(mixed, 1);
  EXPECT_FALSE(p.b->openAny(0, h.data(), h.size(), out, why));
  EXPECT_EQ(why, Reject::WrongIssuer);
  for (size_t n = 0; n < g.size(); ++n)
    EXPECT_FALSE(p.b->openAny(0, g.data(), n, out, why)) << n;
  EXPECT_TRUE(p.b->openAny(0, g.data(), g.size(), out, why)) << rejectName(why);
}
