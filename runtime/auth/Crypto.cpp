// libsodium wrappers (see Crypto.h); HMAC-SHA256 on OpenSSL's SHA-256,
// which uses the CPU's SHA extensions where libsodium's is portable C.
#include "runtime/auth/Crypto.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>

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

// SHA-256 contexts that have absorbed a key's inner and outer pads (RFC
// 2104), cached per thread by key: a node uses a handful of keys, so each
// MAC costs the message's compressions plus two, not four more for the
// pads. Keys are random: two of their bytes spread them over the slots; a
// collision only recomputes.
struct PadState {
  bool used = false;
  HmacKey key{};
  EVP_MD_CTX *inner = nullptr, *outer = nullptr;
};

EVP_MD_CTX *newCtx() {
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  if (!c)
    std::abort(); // out of memory
  return c;
}

struct PadCache {
  std::array<PadState, 64> slots;
  EVP_MD_CTX *work = newCtx();
  ~PadCache() {
    for (auto &s : slots) {
      EVP_MD_CTX_free(s.inner);
      EVP_MD_CTX_free(s.outer);
    }
    EVP_MD_CTX_free(work);
  }
};

void absorbPad(EVP_MD_CTX *ctx, const HmacKey &key, uint8_t pad) {
  uint8_t block[64];
  for (size_t i = 0; i < sizeof block; ++i)
    block[i] = uint8_t((i < key.size() ? key[i] : 0) ^ pad);
  if (EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, block, sizeof block) != 1)
    std::abort(); // SHA-256 is built into every libcrypto
  sodium_memzero(block, sizeof block);
}

void hmacInto(const HmacKey &key, const uint8_t *data, size_t n,
              uint8_t out[HmacBytes]) {
  thread_local PadCache cache;
  PadState &s =
      cache.slots[(size_t(key[0]) | size_t(key[1]) << 8) % cache.slots.size()];
  if (!s.used || s.key != key) {
    if (!s.inner) {
      s.inner = newCtx();
      s.outer = newCtx();
    }
    absorbPad(s.inner, key, 0x36);
    absorbPad(s.outer, key, 0x5c);
    s.key = key;
    s.used = true;
  }
  uint8_t innerHash[HmacBytes];
  unsigned len = 0;
  EVP_MD_CTX *w = cache.work;
  if (EVP_MD_CTX_copy_ex(w, s.inner) != 1 ||
      EVP_DigestUpdate(w, data, n) != 1 ||
      EVP_DigestFinal_ex(w, innerHash, &len) != 1 ||
      EVP_MD_CTX_copy_ex(w, s.outer) != 1 ||
      EVP_DigestUpdate(w, innerHash, sizeof innerHash) != 1 ||
      EVP_DigestFinal_ex(w, out, &len) != 1)
    std::abort();
}

} // namespace

void hmac(const HmacKey &key, const uint8_t *data, size_t n,
          uint8_t out[HmacBytes]) {
  ++counters().macs;
  hmacInto(key, data, n, out);
}

bool hmacVerify(const HmacKey &key, const uint8_t *data, size_t n,
                const uint8_t tag[HmacBytes]) {
  ++counters().macVerifies;
  uint8_t expect[HmacBytes];
  hmacInto(key, data, n, expect);
  return sodium_memcmp(expect, tag, HmacBytes) == 0;
}

void sign(const EdSecret &sk, const uint8_t *data, size_t n,
          uint8_t out[EdSigBytes]) {
  ++counters().signs;
  crypto_sign_detached(out, nullptr, data, n, sk.data());
}

bool verify(const EdPublic &pk, const uint8_t *data, size_t n,
            const uint8_t sig[EdSigBytes]) {
  ++counters().sigVerifies;
  return crypto_sign_verify_detached(sig, data, n, pk.data()) == 0;
}

// OpenSSL's, which uses the CPU's SHA extensions where it has them (about
// 4x libsodium's portable code; batches of client values are hashed).
Sha256 sha256(const uint8_t *data, size_t n) {
  Sha256 out;
  unsigned len = 0;
  if (EVP_Digest(data, n, out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size())
    std::abort(); // SHA-256 is built into every libcrypto
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
