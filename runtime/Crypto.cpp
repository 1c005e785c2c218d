// libsodium wrappers (see Crypto.h).
#include "runtime/Crypto.h"

#include <sodium.h>

namespace mommie::rt::crypto {

OpCounters &counters() {
  static OpCounters c;
  return c;
}

bool init() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

void randomBytes(uint8_t *out, size_t n) {
  init();
  randombytes_buf(out, n);
}

HmacKey newHmacKey() {
  HmacKey k;
  randomBytes(k.data(), k.size());
  return k;
}

void newEdKeyPair(EdPublic &pk, EdSecret &sk) {
  init();
  crypto_sign_keypair(pk.data(), sk.data());
}

namespace {

// The HMAC state after absorbing a key's inner and outer pads, cached per
// thread by key (a node uses a handful of keys; keys are random, so two of
// their bytes spread them over the slots; a collision only recomputes).
// Saves two of the five or so SHA-256 compressions of a short MAC.
const crypto_auth_hmacsha256_state &keyedState(const HmacKey &key) {
  struct Slot {
    bool used = false;
    HmacKey key{};
    crypto_auth_hmacsha256_state st{};
  };
  thread_local std::array<Slot, 64> cache;
  Slot &s = cache[(size_t(key[0]) | size_t(key[1]) << 8) % cache.size()];
  if (!s.used || s.key != key) {
    s.used = true;
    s.key = key;
    crypto_auth_hmacsha256_init(&s.st, key.data(), key.size());
  }
  return s.st;
}

void hmacInto(const HmacKey &key, const uint8_t *data, size_t n, uint8_t out[HmacBytes]) {
  crypto_auth_hmacsha256_state st = keyedState(key);
  crypto_auth_hmacsha256_update(&st, data, n);
  crypto_auth_hmacsha256_final(&st, out);
}

} // namespace

void hmac(const HmacKey &key, const uint8_t *data, size_t n, uint8_t out[HmacBytes]) {
  ++counters().macs;
  hmacInto(key, data, n, out);
}

bool hmacVerify(const HmacKey &key, const uint8_t *data, size_t n, const uint8_t tag[HmacBytes]) {
  ++counters().macVerifies;
  uint8_t expect[HmacBytes];
  hmacInto(key, data, n, expect);
  return sodium_memcmp(expect, tag, HmacBytes) == 0;
}

void sign(const EdSecret &sk, const uint8_t *data, size_t n, uint8_t out[EdSigBytes]) {
  ++counters().signs;
  crypto_sign_detached(out, nullptr, data, n, sk.data());
}

bool verify(const EdPublic &pk, const uint8_t *data, size_t n, const uint8_t sig[EdSigBytes]) {
  ++counters().sigVerifies;
  return crypto_sign_verify_detached(sig, data, n, pk.data()) == 0;
}

Sha256 sha256(const uint8_t *data, size_t n) {
  Sha256 out;
  crypto_hash_sha256(out.data(), data, n);
  return out;
}

std::string toHex(const uint8_t *p, size_t n) {
  static const char *digits = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

bool fromHex(const std::string &hex, uint8_t *out, size_t n) {
  if (hex.size() != 2 * n)
    return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < n; ++i) {
    int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out[i] = uint8_t(hi << 4 | lo);
  }
  return true;
}

} // namespace mommie::rt::crypto
