// Writer / Reader of the wire format (see Wire.h).
#include "runtime/wire/Wire.h"

#include <cstring>

namespace mommie::rt {

void Writer::u32be(uint32_t v) {
  u8(uint8_t(v >> 24));
  u8(uint8_t(v >> 16));
  u8(uint8_t(v >> 8));
  u8(uint8_t(v));
}

void Writer::varint(uint64_t v) {
  while (v >= 0x80) {
    buf_.push_back(uint8_t(v) | 0x80);
    v >>= 7;
  }
  buf_.push_back(uint8_t(v));
}

void Writer::bytes(const void *data, size_t n) {
  auto *b = static_cast<const uint8_t *>(data);
  buf_.insert(buf_.end(), b, b + n);
}

uint8_t Reader::u8() {
  if (!ok_ || p_ == end_) {
    fail("truncated");
    return 0;
  }
  return *p_++;
}

uint32_t Reader::u32be() {
  if (!ok_ || remaining() < 4) {
    fail("truncated");
    return 0;
  }
  uint32_t v = (uint32_t(p_[0]) << 24) | (uint32_t(p_[1]) << 16) |
               (uint32_t(p_[2]) << 8) | uint32_t(p_[3]);
  p_ += 4;
  return v;
}

uint64_t Reader::varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b = u8();
    if (!ok_)
      return 0;
    if (shift == 63 && (b & 0x7e)) {
      fail("varint overflow");
      return 0;
    }
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      // Canonical: no redundant trailing zero groups.
      if (b == 0 && shift != 0) {
        fail("non-canonical varint");
        return 0;
      }
      return v;
    }
  }
  fail("varint too long");
  return 0;
}

size_t Reader::length(size_t max, size_t minElemSize) {
  uint64_t n = varint();
  if (!ok_)
    return 0;
  if (n > max || (minElemSize && n > remaining() / minElemSize)) {
    fail("length out of bounds");
    return 0;
  }
  return size_t(n);
}

std::string Reader::str(size_t max) {
  size_t n = length(max);
  std::string s;
  if (!ok_)
    return s;
  s.assign(reinterpret_cast<const char *>(p_), n);
  p_ += n;
  return s;
}

bool Reader::raw(void *out, size_t n) {
  if (!ok_ || remaining() < n) {
    fail("truncated");
    return false;
  }
  std::memcpy(out, p_, n);
  p_ += n;
  return true;
}

} // namespace mommie::rt
