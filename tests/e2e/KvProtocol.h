// The KV store's client protocol (apps/kv/KvNode.cpp, docs/rounds.md) for
// tests that talk to replicas over raw sockets: frame bodies and varints.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace kvproto {

inline void appendVarint(std::string &s, uint64_t v) {
  while (v >= 0x80) {
    s += char(uint8_t(v) | 0x80);
    v >>= 7;
  }
  s += char(v);
}

inline uint64_t readVarint(const std::string &b, size_t &at) {
  uint64_t v = 0;
  for (int shift = 0; at < b.size() && shift < 64; shift += 7) {
    uint8_t c = uint8_t(b[at++]);
    v |= uint64_t(c & 0x7f) << shift;
    if (!(c & 0x80))
      break;
  }
  return v;
}

// A length-prefixed string (clamped to what the body holds).
inline std::string readStr(const std::string &b, size_t &at) {
  uint64_t n = std::min<uint64_t>(readVarint(b, at), b.size() - std::min(at, b.size()));
  std::string s = b.substr(std::min(at, b.size()), size_t(n));
  at += size_t(n);
  return s;
}

// u32 big-endian length, then the body.
inline std::string frameOf(const std::string &body) {
  uint32_t n = htonl(uint32_t(body.size()));
  return std::string(reinterpret_cast<const char *>(&n), 4) + body;
}

// u8 10, nonce.
inline std::string registerBody(uint64_t nonce) {
  std::string b(1, char(10));
  appendVarint(b, nonce);
  return b;
}

// u8 12, session, seq, ack, op (1 put, 2 get, 3 del, 4 cas), key, value,
// expected.
inline std::string opBody(uint8_t op, uint64_t session, uint64_t seq, uint64_t ack, const std::string &key,
                          const std::string &value, const std::string &expected = "") {
  std::string b(1, char(12));
  appendVarint(b, session);
  appendVarint(b, seq);
  appendVarint(b, ack);
  b += char(op);
  for (const std::string *s : {&key, &value, &expected}) {
    appendVarint(b, s->size());
    b += *s;
  }
  return b;
}

} // namespace kvproto
