// runtime/auth/Crypto: HMAC-SHA256 against RFC 4231 test case 2 and against
// libsodium's one-shot HMAC for keys that share a slot of the per-thread
// key-state cache (so a cached state is never used for another key), and
// verification that rejects a flipped bit.
#include "runtime/auth/Crypto.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <string>
#include <vector>

namespace crypto = mommie::rt::crypto;

namespace {

std::string hex(const uint8_t *p) {
  return crypto::toHex(p, crypto::HmacBytes);
}

} // namespace

TEST(Crypto, HmacMatchesRfc4231ShortKeyPaddedToThirtyTwoBytes) {
  ASSERT_TRUE(crypto::init());
  // RFC 4231 test case 2 uses the 4-byte key "Jefe"; HMAC pads a short key
  // with zeros to the block size, so "Jefe" followed by 28 zero bytes is
  // the same key.
  crypto::HmacKey key{};
  std::string jefe = "Jefe", msg = "what do ya want for nothing?";
  std::copy(jefe.begin(), jefe.end(), key.begin());
  uint8_t tag[crypto::HmacBytes];
  crypto::hmac(key, reinterpret_cast<const uint8_t *>(msg.data()), msg.size(),
               tag);
  EXPECT_EQ(hex(tag),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_TRUE(crypto::hmacVerify(
      key, reinterpret_cast<const uint8_t *>(msg.data()), msg.size(), tag));
  tag[7] ^= 1;
  EXPECT_FALSE(crypto::hmacVerify(
      key, reinterpret_cast<const uint8_t *>(msg.data()), msg.size(), tag));
}

TEST(Crypto, KeysSharingACacheSlotEachGetTheirOwnMac) {
  ASSERT_TRUE(crypto::init());
  // Same first two bytes (the same cache slot), different keys, used in
  // alternation.
  std::vector<crypto::HmacKey> keys;
  for (int i = 0; i < 4; ++i) {
    crypto::HmacKey k = crypto::newHmacKey();
    k[0] = 0x11;
    k[1] = 0x22;
    keys.push_back(k);
  }
  const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  for (int round = 0; round < 3; ++round)
    for (const auto &k : keys) {
      uint8_t ours[crypto::HmacBytes], ref[crypto_auth_hmacsha256_BYTES];
      crypto::hmac(k, data, sizeof data, ours);
      crypto_auth_hmacsha256(ref, data, sizeof data, k.data());
      EXPECT_EQ(hex(ours), hex(ref));
      EXPECT_TRUE(crypto::hmacVerify(k, data, sizeof data, ref));
    }
}
