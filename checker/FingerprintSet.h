// A lock-free set of 64-bit fingerprints: open addressing, linear probing,
// one atomic word per slot (0 marks an empty slot, so fingerprint 0 is
// stored as 1). Growth is not concurrent: the explorer stops its workers
// (a shared/exclusive lock) before calling grow().
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace mommie::checker {

class FingerprintSet {
public:
  explicit FingerprintSet(size_t capacityLog2 = 20) { reset(capacityLog2); }

  // True if `fp` was not present (and is now).
  bool insert(uint64_t fp) {
    if (fp == 0)
      fp = 1;
    size_t i = size_t(fp * 0x9E3779B97F4A7C15ull >> shift_);
    while (true) {
      uint64_t cur = slots_[i].load(std::memory_order_relaxed);
      if (cur == fp)
        return false;
      if (cur == 0) {
        if (slots_[i].compare_exchange_strong(cur, fp, std::memory_order_relaxed)) {
          count_.fetch_add(1, std::memory_order_relaxed);
          return true;
        }
        if (cur == fp)
          return false;
        continue; // another fingerprint took the slot: look at it again
      }
      i = (i + 1) & mask_;
    }
  }

  bool contains(uint64_t fp) const {
    if (fp == 0)
      fp = 1;
    size_t i = size_t(fp * 0x9E3779B97F4A7C15ull >> shift_);
    while (true) {
      uint64_t cur = slots_[i].load(std::memory_order_relaxed);
      if (cur == fp)
        return true;
      if (cur == 0)
        return false;
      i = (i + 1) & mask_;
    }
  }

  size_t size() const { return count_.load(std::memory_order_relaxed); }
  size_t capacity() const { return mask_ + 1; }
  size_t bytes() const { return capacity() * sizeof(uint64_t); }
  double load() const { return double(size()) / double(capacity()); }

  // Doubles the capacity (not thread-safe).
  void grow() {
    size_t oldCap = capacity();
    auto old = std::move(slots_);
    reset(log2_ + 1);
    for (size_t i = 0; i < oldCap; ++i)
      if (uint64_t fp = old[i].load(std::memory_order_relaxed))
        insert(fp);
  }

private:
  void reset(size_t capacityLog2) {
    log2_ = capacityLog2;
    size_t cap = size_t(1) << capacityLog2;
    slots_.reset(new std::atomic<uint64_t>[cap]);
    for (size_t i = 0; i < cap; ++i)
      slots_[i].store(0, std::memory_order_relaxed);
    mask_ = cap - 1;
    shift_ = 64 - unsigned(capacityLog2);
    count_.store(0);
  }

  std::unique_ptr<std::atomic<uint64_t>[]> slots_;
  size_t mask_ = 0, log2_ = 0;
  unsigned shift_ = 0;
  std::atomic<size_t> count_{0};
};

} // namespace mommie::checker
