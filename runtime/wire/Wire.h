// The binary wire format: a Writer appending to a byte buffer and a Reader
// that decodes with strict bounds checks. Reader never reads past its end;
// every failure (truncation, oversized length, bad varint) sets a sticky
// error flag and makes further reads return zero values, so decoders can be
// written straight-line and check ok() once. C++17 (generated code includes
// it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mommie::rt {

class Writer {
public:
  void u8(uint8_t v) { buf_.push_back(v); }
  void u32be(uint32_t v);
  void varint(uint64_t v);
  void svarint(int64_t v) { varint((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
  void bytes(const void *data, size_t n);
  void str(const std::string &s) {
    varint(s.size());
    bytes(s.data(), s.size());
  }
  std::vector<uint8_t> &buffer() { return buf_; }
  const std::vector<uint8_t> &buffer() const { return buf_; }
  std::string toString() const { return std::string(buf_.begin(), buf_.end()); }

private:
  std::vector<uint8_t> buf_;
};

class Reader {
public:
  Reader(const uint8_t *data, size_t size) : p_(data), end_(data + size) {}
  explicit Reader(const std::vector<uint8_t> &v) : Reader(v.data(), v.size()) {}
  explicit Reader(const std::string &s)
      : Reader(reinterpret_cast<const uint8_t *>(s.data()), s.size()) {}

  uint8_t u8();
  uint32_t u32be();
  uint64_t varint();
  int64_t svarint() {
    uint64_t z = varint();
    return int64_t(z >> 1) ^ -int64_t(z & 1);
  }
  // A length that must not exceed `max` nor the bytes left divided by
  // `minElemSize` (each element needs at least that many bytes).
  size_t length(size_t max, size_t minElemSize = 1);
  std::string str(size_t max);
  bool raw(void *out, size_t n);

  bool ok() const { return ok_; }
  bool atEnd() const { return p_ == end_; }
  size_t remaining() const { return size_t(end_ - p_); }
  void fail(const char *why) {
    if (ok_)
      error_ = why;
    ok_ = false;
  }
  const char *error() const { return error_; }

private:
  const uint8_t *p_;
  const uint8_t *end_;
  bool ok_ = true;
  const char *error_ = "";
};

} // namespace mommie::rt
