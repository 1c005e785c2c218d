// Thin wrappers over libsodium for the authentication modules: HMAC-SHA256
// (crypto_auth_hmacsha256) and Ed25519 (crypto_sign_detached), with global
// operation counters (MACs computed / verified, signatures made / checked)
// that the node reports in its stats. C++17.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt::crypto {

constexpr size_t HmacKeyBytes = 32, HmacBytes = 32;
constexpr size_t EdPublicBytes = 32, EdSecretBytes = 64, EdSigBytes = 64;

using HmacKey = std::array<uint8_t, HmacKeyBytes>;
using EdPublic = std::array<uint8_t, EdPublicBytes>;
using EdSecret = std::array<uint8_t, EdSecretBytes>;

struct OpCounters {
  std::atomic<uint64_t> macs{0}, macVerifies{0}, signs{0}, sigVerifies{0};
};
OpCounters &counters();

// Initialises libsodium once; false if it cannot be initialised.
bool init();
void randomBytes(uint8_t *out, size_t n);
HmacKey newHmacKey();
void newEdKeyPair(EdPublic &pk, EdSecret &sk);

void hmac(const HmacKey &key, const uint8_t *data, size_t n,
          uint8_t out[HmacBytes]);
bool hmacVerify(const HmacKey &key, const uint8_t *data, size_t n,
                const uint8_t tag[HmacBytes]);
void sign(const EdSecret &sk, const uint8_t *data, size_t n,
          uint8_t out[EdSigBytes]);
bool verify(const EdPublic &pk, const uint8_t *data, size_t n,
            const uint8_t sig[EdSigBytes]);

constexpr size_t Sha256Bytes = 32;
using Sha256 = std::array<uint8_t, Sha256Bytes>;
// SHA-256 (crypto_hash_sha256): DIGEST references (Digest.h).
Sha256 sha256(const uint8_t *data, size_t n);

std::string toHex(const uint8_t *p, size_t n);
// Parses exactly `n` bytes of hex; false on any other input.
bool fromHex(const std::string &hex, uint8_t *out, size_t n);

} // namespace mommie::rt::crypto
