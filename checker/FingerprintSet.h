// A lock-free set of 64-bit fingerprints: open addressing, linear probing,
// one atomic word per slot (0 marks an empty slot, so fingerprint 0 is
// stored as 1). A fingerprint's home slot is given by the top bits of its
// hash, so slot order follows hash order: growing to twice the capacity
// moves the slots front to back into the new table and returns the old
// table's pages to the system as it goes, so the resident size during
// growth stays near the new table's size (not old + new). Growth is not
// concurrent: the explorer stops its workers (a shared/exclusive lock)
// before calling grow().
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <sys/mman.h>

namespace mommie::checker {

class FingerprintSet {
public:
  explicit FingerprintSet(size_t capacityLog2 = 16) {
    slots_ = allocate(capacityLog2);
  }
  ~FingerprintSet() { release(slots_, capacity()); }
  FingerprintSet(const FingerprintSet &) = delete;
  FingerprintSet &operator=(const FingerprintSet &) = delete;

  // True if `fp` was not present (and is now).
  bool insert(uint64_t fp) {
    if (fp == 0)
      fp = 1;
    size_t i = home(fp);
    while (true) {
      uint64_t cur = slots_[i].load(std::memory_order_relaxed);
      if (cur == fp)
        return false;
      if (cur == 0) {
        if (slots_[i].compare_exchange_strong(cur, fp,
                                              std::memory_order_relaxed)) {
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
    size_t i = home(fp);
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
    std::atomic<uint64_t> *old = slots_;
    size_t n = size();
    slots_ = allocate(log2_ + 1);
    constexpr size_t Chunk = size_t(1) << 15; // 256 KiB of slots
    for (size_t base = 0; base < oldCap; base += Chunk) {
      size_t end = base + Chunk < oldCap ? base + Chunk : oldCap;
      for (size_t i = base; i < end; ++i)
        if (uint64_t fp = old[i].load(std::memory_order_relaxed))
          place(fp);
      ::madvise(static_cast<void *>(old + base),
                (end - base) * sizeof(uint64_t), MADV_DONTNEED);
    }
    release(old, oldCap);
    count_.store(n, std::memory_order_relaxed);
  }

private:
  size_t home(uint64_t fp) const {
    return size_t(fp * 0x9E3779B97F4A7C15ull >> shift_);
  }
  // Insertion of a fingerprint known to be absent (growth).
  void place(uint64_t fp) {
    size_t i = home(fp);
    while (slots_[i].load(std::memory_order_relaxed) != 0)
      i = (i + 1) & mask_;
    slots_[i].store(fp, std::memory_order_relaxed);
  }
  std::atomic<uint64_t> *allocate(size_t capacityLog2) {
    log2_ = capacityLog2;
    size_t cap = size_t(1) << capacityLog2;
    // Anonymous pages are zero (empty slots) and resident only once written.
    void *p = ::mmap(nullptr, cap * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      throw std::bad_alloc();
    mask_ = cap - 1;
    shift_ = 64 - unsigned(capacityLog2);
    return static_cast<std::atomic<uint64_t> *>(p);
  }
  static void release(std::atomic<uint64_t> *p, size_t cap) {
    if (p)
      ::munmap(static_cast<void *>(p), cap * sizeof(uint64_t));
  }

  std::atomic<uint64_t> *slots_ = nullptr;
  size_t mask_ = 0, log2_ = 0;
  unsigned shift_ = 0;
  std::atomic<size_t> count_{0};
};

} // namespace mommie::checker
