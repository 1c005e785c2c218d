// TTP(z): keys, the request (frame 9) and countersigned (frame 10) frames
// and the relay, with hostile input: a forged request MAC, a replayed
// request, a request claiming another issuer, a forged countersignature,
// a countersignature by a key other than z's, a TTP frame where deploy.conf
// gives another module. Each is rejected with its reason and counted, and
// the relay keeps serving.
#include "runtime/auth/Auth.h"
#include "runtime/auth/Ttp.h"

#include <gtest/gtest.h>

using namespace mommie::rt;

namespace {

const std::vector<std::string> PNames = {"R0", "R1", "C0"};
const std::string Conf =
    "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\nC0 = 127.0.0.1:3\n"
    "T0 = 127.0.0.1:4\n[Authentication]\n* <-> * : HMAC_SHA256\n"
    "R* -> * : TTP(T0)\n[Non-repudiation]\nC* -> * : TTP(T0)\n";
constexpr int R0 = 0, R1 = 1, C0 = 2, T0 = 3;

Statement stmt(int issuer, std::vector<int> verifiers, int64_t n,
               bool audited = false) {
  std::vector<Value> vs;
  for (int v : verifiers)
    vs.push_back(Value::principal(v));
  return Statement{issuer, Value::set(vs),
                   audited ? allPrincipals(3) : Value::set({}),
                   Value::record(0, {Value::integer(n)})};
}

struct Cluster {
  DeployConfig conf;
  std::map<std::string, KeyStore> keys;
  std::vector<std::unique_ptr<Authenticator>> a; // R0, R1, C0, T0
  Cluster() {
    std::vector<DeployError> errors;
    EXPECT_TRUE(parseDeploy(Conf, conf, errors));
    keys = generateKeys(conf, {"R0", "R1", "C0", "T0"});
    for (int p = 0; p < 4; ++p)
      a.push_back(std::make_unique<Authenticator>(
          conf, PNames, p, keys[p < 3 ? PNames[size_t(p)] : "T0"]));
  }
};

} // namespace

TEST(Ttp, PrincipalsKeysAndResolution) {
  Cluster c;
  EXPECT_EQ(ttpPrincipals(c.conf, PNames), std::vector<std::string>{"T0"});
  ASSERT_EQ(c.a[0]->names().size(), 4u);
  EXPECT_EQ(c.a[0]->names()[3], "T0");
  EXPECT_TRUE(c.a[T0]->isTtp());
  EXPECT_FALSE(c.a[R0]->isTtp());
  // z: an Ed25519 pair; every issuer over TTP(T0) an HMAC key with it.
  EXPECT_TRUE(c.keys["T0"].edSecret.has_value());
  EXPECT_TRUE(c.keys["R0"].hmac.count("T0"));
  EXPECT_TRUE(c.keys["C0"].hmac.count("T0"));
  EXPECT_EQ(c.keys["R0"].hmac["T0"], c.keys["T0"].hmac["R0"]);
  EXPECT_TRUE(c.keys["R1"].edPublic.count("T0"));
  EXPECT_FALSE(c.keys["R0"].edSecret.has_value()); // issuers do not sign
  std::string err;
  for (auto &au : c.a)
    EXPECT_TRUE(au->ready(err)) << err;
  EXPECT_EQ(c.a[R0]->ttpFor(R0, R1, Value::set({})), T0);
  EXPECT_EQ(c.a[R0]->ttpFor(C0, R1, Value::set({})), -1);   // HMAC
  EXPECT_EQ(c.a[R0]->ttpFor(C0, R1, allPrincipals(3)), T0); // [Non-repudiation]
  EXPECT_EQ(c.a[R0]->carrier(R0, C0, Value::set({})), AuthKind::Ttp);
  // A node without the key it shares with z refuses to start.
  KeyStore k = c.keys["R0"];
  k.hmac.erase("T0");
  Authenticator noKey(c.conf, PNames, R0, k);
  EXPECT_FALSE(noKey.ready(err));
  EXPECT_NE(err.find("no HMAC_SHA256 key shared with the TTP T0"),
            std::string::npos)
      << err;
  KeyStore kz = c.keys["T0"];
  kz.edSecret.reset();
  Authenticator zNoKey(c.conf, PNames, T0, kz);
  EXPECT_FALSE(zNoKey.ready(err));
}

TEST(Ttp, CountersignedOnceVerifiedByEveryVerifierAndForwardable) {
  Cluster c;
  Statement s = stmt(R0, {R0, R1, C0}, 7);
  uint64_t macs = crypto::counters().macs, signs = crypto::counters().signs;
  auto req = c.a[R0]->sealTtpRequest(s, T0);
  ASSERT_FALSE(req.empty());
  EXPECT_EQ(req[0], Authenticator::FrameTtpRequest);
  EXPECT_EQ(crypto::counters().macs, macs + 1);
  Statement got;
  std::vector<int> to;
  Reject why;
  ASSERT_TRUE(c.a[T0]->openTtpRequest(R0, req.data(), req.size(), got, to, why))
      << rejectName(why);
  EXPECT_EQ(got, s);
  EXPECT_EQ(to, (std::vector<int>{R1, C0}));
  auto cs = c.a[T0]->sealCountersigned(got);
  ASSERT_FALSE(cs.empty());
  EXPECT_EQ(crypto::counters().signs, signs + 1);
  uint64_t verifies = crypto::counters().sigVerifies;
  Statement atR1, atC0, fwd;
  ASSERT_TRUE(c.a[R1]->openCountersigned(T0, cs.data(), cs.size(), atR1, why))
      << rejectName(why);
  ASSERT_TRUE(c.a[C0]->openCountersigned(T0, cs.data(), cs.size(), atC0, why))
      << rejectName(why);
  EXPECT_EQ(atR1, s);
  EXPECT_EQ(atC0, s);
  // Non-repudiable: R1 forwards the same frame to C0, who checks z's signature.
  ASSERT_TRUE(c.a[C0]->openCountersigned(R1, cs.data(), cs.size(), fwd, why))
      << rejectName(why);
  EXPECT_EQ(crypto::counters().sigVerifies, verifies + 3);
}

TEST(Ttp, HostileRequestsAreRejectedWithTheirReason) {
  Cluster c;
  Statement s = stmt(R0, {R1}, 1);
  auto req = c.a[R0]->sealTtpRequest(s, T0);
  Statement got;
  std::vector<int> to;
  Reject why;
  auto forged = req;
  forged.back() ^= 1;
  EXPECT_FALSE(
      c.a[T0]->openTtpRequest(R0, forged.data(), forged.size(), got, to, why));
  EXPECT_EQ(why, Reject::BadMac);
  EXPECT_TRUE(to.empty());
  // The forgery did not advance the counter: the genuine frame is accepted.
  ASSERT_TRUE(
      c.a[T0]->openTtpRequest(R0, req.data(), req.size(), got, to, why));
  EXPECT_FALSE(
      c.a[T0]->openTtpRequest(R0, req.data(), req.size(), got, to, why));
  EXPECT_EQ(why, Reject::Replay);
  // R1's request presented as coming from R0 (a statement claiming another
  // issuer).
  auto other = c.a[R1]->sealTtpRequest(stmt(R1, {R0}, 2), T0);
  EXPECT_FALSE(
      c.a[T0]->openTtpRequest(R0, other.data(), other.size(), got, to, why));
  EXPECT_EQ(why, Reject::WrongIssuer);
  // C0's unaudited statements go by HMAC, not through T0.
  auto c0 = c.a[C0]->sealTtpRequest(stmt(C0, {R0}, 3), T0);
  ASSERT_FALSE(c0.empty());
  EXPECT_FALSE(c.a[T0]->openTtpRequest(C0, c0.data(), c0.size(), got, to, why));
  EXPECT_EQ(why, Reject::WrongModule);
  // Truncation and garbage.
  for (size_t n = 0; n < req.size(); ++n) {
    EXPECT_FALSE(c.a[T0]->openTtpRequest(R0, req.data(), n, got, to, why)) << n;
  }
  // Only the TTP opens requests.
  auto req2 = c.a[R0]->sealTtpRequest(stmt(R0, {R1}, 4), T0);
  EXPECT_FALSE(
      c.a[R1]->openTtpRequest(R0, req2.data(), req2.size(), got, to, why));
}

TEST(Ttp, ForgedCountersignaturesAreRejected) {
  Cluster c;
  Statement s = stmt(R0, {R1}, 5);
  auto cs = c.a[T0]->sealCountersigned(s);
  Statement got;
  Reject why;
  auto forged = cs;
  forged.back() ^= 0x40;
  EXPECT_FALSE(
      c.a[R1]->openCountersigned(T0, forged.data(), forged.size(), got, why));
  EXPECT_EQ(why, Reject::BadSignature);
  // The statement changed under z's signature (another payload).
  auto other = c.a[T0]->sealCountersigned(stmt(R0, {R1}, 6));
  ASSERT_EQ(other.size(), cs.size());
  std::vector<uint8_t> spliced(other.begin(), other.end() - crypto::EdSigBytes);
  spliced.insert(spliced.end(), cs.end() - crypto::EdSigBytes, cs.end());
  EXPECT_FALSE(
      c.a[R1]->openCountersigned(T0, spliced.data(), spliced.size(), got, why));
  EXPECT_EQ(why, Reject::BadSignature);
  // Signed by another key claiming to be z.
  KeyStore fake = c.keys["T0"];
  crypto::EdPublic pk;
  crypto::EdSecret sk;
  crypto::newEdKeyPair(pk, sk);
  fake.edSecret = sk;
  Authenticator impostor(c.conf, PNames, T0, fake);
  auto bad = impostor.sealCountersigned(s);
  EXPECT_FALSE(
      c.a[R1]->openCountersigned(R0, bad.data(), bad.size(), got, why));
  EXPECT_EQ(why, Reject::BadSignature);
  // A countersigned statement where deploy.conf says HMAC (a downgrade or
  // a misattribution): C0's unaudited statement to R1.
  auto c0 = c.a[T0]->sealCountersigned(stmt(C0, {R1}, 7));
  EXPECT_FALSE(c.a[R1]->openCountersigned(T0, c0.data(), c0.size(), got, why));
  EXPECT_EQ(why, Reject::WrongModule);
  // Truncated frames.
  for (size_t n = 0; n < cs.size(); ++n)
    EXPECT_FALSE(c.a[R1]->openCountersigned(T0, cs.data(), n, got, why)) << n;
}

TEST(Ttp, RelayCountsRejectsAndKeepsServing) {
  Cluster c;
  Logger log("T0", LogLevel::Off);
  std::vector<std::pair<int, std::vector<uint8_t>>> sent;
  TtpRelay relay(*c.a[T0], log, [&](int p, const std::vector<uint8_t> &f) {
    sent.push_back({p, f});
  });
  auto req = c.a[R0]->sealTtpRequest(stmt(R0, {R1, C0}, 9), T0);
  auto forged = req;
  forged[forged.size() - 5] ^= 1;
  const uint8_t garbage[] = {9, 4, 0xff, 0xff};
  relay.receive(R0, forged.data(), forged.size());
  relay.receive(R0, garbage, sizeof garbage);
  relay.receive(R0, req.data(), req.size());
  relay.receive(R0, req.data(), req.size()); // replay
  auto other = c.a[R1]->sealTtpRequest(stmt(R1, {C0}, 3), T0);
  relay.receive(C0, other.data(), other.size()); // another issuer's statement
  relay.receive(R1, other.data(), other.size());
  EXPECT_EQ(relay.stats().countersigned, 2u);
  EXPECT_EQ(relay.stats().relayed, 3u);
  EXPECT_EQ(relay.stats().rejected, 4u);
  EXPECT_EQ(relay.stats().rejects[Reject::BadMac], 1u);
  EXPECT_EQ(relay.stats().rejects[Reject::BadFrame], 1u);
  EXPECT_EQ(relay.stats().rejects[Reject::Replay], 1u);
  EXPECT_EQ(relay.stats().rejects[Reject::WrongIssuer], 1u);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].first, R1);
  EXPECT_EQ(sent[1].first, C0);
  EXPECT_EQ(sent[0].second,
            sent[1].second); // one signature, the same frame to both
  Statement got;
  Reject why;
  EXPECT_TRUE(c.a[C0]->openCountersigned(T0, sent[2].second.data(),
                                         sent[2].second.size(), got, why));
  EXPECT_NE(relay.statsJson().find("\"countersigned\":2"), std::string::npos);
}
