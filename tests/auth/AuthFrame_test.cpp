// Opaque authenticated frames (round messages): sealed by the pair's
// [Authentication] module, opened only with the right key, in order, and
// never downgraded to an unwrapped frame where the pair is keyed.
#include "runtime/auth/Auth.h"
#include "runtime/rounds/RoundNode.h"

#include <gtest/gtest.h>

using namespace mommie::rt;

namespace {

const std::vector<std::string> Names = {"R0", "R1", "R2"};
const std::string Hosts =
    "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\nR2 = 127.0.0.1:3\n";

struct Trio {
  DeployConfig conf;
  std::map<std::string, KeyStore> keys;
  std::vector<std::unique_ptr<Authenticator>> a;
  explicit Trio(const std::string &rules) {
    std::vector<DeployError> errors;
    EXPECT_TRUE(parseDeploy(Hosts + rules, conf, errors));
    keys = generateKeys(conf, Names);
    for (int i = 0; i < 3; ++i)
      a.push_back(std::make_unique<Authenticator>(conf, Names, i,
                                                  keys[Names[size_t(i)]]));
  }
  // Opens `f` at `to` as coming from `from`; the inner frame or nothing.
  bool open(int to, int from, const std::vector<uint8_t> &f,
            std::vector<uint8_t> &inner, Reject &why) {
    const uint8_t *p = nullptr;
    size_t n = 0;
    if (!a[size_t(to)]->openFrame(from, f.data(), f.size(), p, n, why))
      return false;
    inner.assign(p, p + n);
    return true;
  }
};

std::vector<uint8_t> roundMsg(uint32_t round, int64_t v) {
  return encodeRoundFrame(round, Value::integer(v));
}

} // namespace

TEST(AuthFrame, PlaintextFramesTravelUnchanged) {
  Trio t("[Authentication]\n* <-> * : PLAINTEXT\n");
  auto m = roundMsg(1, 7);
  auto f = t.a[0]->sealFrame(m, 1);
  EXPECT_EQ(f, m);
  std::vector<uint8_t> inner;
  Reject why;
  ASSERT_TRUE(t.open(1, 0, f, inner, why));
  EXPECT_EQ(inner, m);
}

TEST(AuthFrame, HmacFramesVerifyAndRejectForgeriesReplaysAndDowngrades) {
  Trio t("[Authentication]\n* <-> * : HMAC_SHA256\n");
  auto m = roundMsg(2, 1);
  uint64_t macs = crypto::counters().macs;
  auto f = t.a[0]->sealFrame(m, 1);
  EXPECT_EQ(crypto::counters().macs, macs + 1);
  ASSERT_EQ(f.size(), m.size() + 32 + 2 + 8)
      << "type, module, seq varint, inner, MAC";
  std::vector<uint8_t> inner;
  Reject why;
  // Another receiver cannot open it (the MAC is pairwise, the receiver is
  // signed).
  EXPECT_FALSE(t.open(2, 0, f, inner, why));
  EXPECT_EQ(why, Reject::BadMac);
  ASSERT_TRUE(t.open(1, 0, f, inner, why));
  EXPECT_EQ(inner, m);
  // Replay.
  EXPECT_FALSE(t.open(1, 0, f, inner, why));
  EXPECT_EQ(why, Reject::Replay);
  // Attributed to another sender (R2 claims R0's frame).
  auto g = t.a[0]->sealFrame(m, 1);
  EXPECT_FALSE(t.open(1, 2, g, inner, why));
  EXPECT_EQ(why, Reject::BadMac);
  // One flipped bit anywhere: rejected (and nothing delivered).
  for (size_t i = 1; i < g.size(); ++i) {
    auto h = g;
    h[i] ^= 0x10;
    Reject w2;
    EXPECT_FALSE(t.open(1, 0, h, inner, w2)) << "byte " << i;
  }
  // The genuine one still opens (a forgery does not advance the counter).
  ASSERT_TRUE(t.open(1, 0, g, inner, why));
  // Downgrade: an unwrapped round frame on a keyed pair.
  EXPECT_FALSE(t.open(1, 0, roundMsg(3, 0), inner, why));
  EXPECT_EQ(why, Reject::WrongModule);
  // Truncated.
  auto k = t.a[0]->sealFrame(m, 1);
  k.resize(k.size() - 1);
  EXPECT_FALSE(t.open(1, 0, k, inner, why));
  EXPECT_FALSE(t.open(
      1, 0, std::vector<uint8_t>{Authenticator::FrameAuthOpaque}, inner, why));
  EXPECT_EQ(why, Reject::BadFrame);
}

TEST(AuthFrame, Ed25519FramesAreSignedByTheSenderAndTheModuleIsPerPair) {
  // R0's frames are signed, the others' MACed (last rule wins).
  Trio t("[Authentication]\n* <-> * : HMAC_SHA256\nR0 -> * : ED25519\n");
  auto m = roundMsg(0, 1);
  uint64_t signs = crypto::counters().signs,
           verifies = crypto::counters().sigVerifies;
  auto f = t.a[0]->sealFrame(m, 2);
  EXPECT_EQ(crypto::counters().signs, signs + 1);
  EXPECT_EQ(f[1], uint8_t(AuthKind::Ed25519));
  std::vector<uint8_t> inner;
  Reject why;
  ASSERT_TRUE(t.open(2, 0, f, inner, why));
  EXPECT_EQ(crypto::counters().sigVerifies, verifies + 1);
  EXPECT_EQ(inner, m);
  auto back = t.a[2]->sealFrame(m, 0);
  EXPECT_EQ(back[1], uint8_t(AuthKind::HmacSha256));
  ASSERT_TRUE(t.open(0, 2, back, inner, why));
  // An HMAC frame where the pair says ED25519: wrong module.
  auto hm = t.a[1]->sealFrame(m, 2);
  EXPECT_FALSE(t.open(2, 0, hm, inner, why));
  EXPECT_EQ(why, Reject::WrongModule);
  // A forged signature.
  auto bad = t.a[0]->sealFrame(m, 2);
  bad[bad.size() - 5] ^= 1;
  EXPECT_FALSE(t.open(2, 0, bad, inner, why));
  EXPECT_EQ(why, Reject::BadSignature);
}
