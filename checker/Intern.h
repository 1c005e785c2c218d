// Hash-consing of checker values for the explorer's compact states.
//
// Every value a state slot holds gets a 32-bit id, equal values equal ids,
// so a state becomes a fixed-width array of ids (checker/Compact.h).
// Scalars (small integers, booleans, principals, none) are encoded in the
// id itself (top bit set) and never reach the table; other values are
// stored once in a table shared by the workers. A set also keeps the ids
// of its elements, and adding one element to a set is memoized on the
// (set id, element id) pair, so publishing or delivering a statement costs
// a hash lookup instead of hashing a value tree.
//
// Thread safety: intern / add take a shard lock; value / elemIds read
// entries that were complete before their id was handed out.
#pragma once

#include "checker/Value.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace mommie::checker {

uint64_t hashValue(const Value &v);

class Interner {
public:
  static constexpr uint32_t InlineBit = 0x80000000u;

  Interner();
  ~Interner();
  Interner(const Interner &) = delete;
  Interner &operator=(const Interner &) = delete;

  uint32_t intern(const Value &v);
  // The value of `id`; scalars are built in `tmp`.
  const Value &value(uint32_t id, Value &tmp) const;
  // out = value(id), reusing out's storage.
  void assign(uint32_t id, Value &out) const;
  // Element ids of a set, in the set's (sorted) order; empty for non-sets.
  const std::vector<uint32_t> &elemIds(uint32_t id) const;
  // The id of set(id) with `elem` added.
  uint32_t add(uint32_t setId, uint32_t elem);

  size_t size() const { return next_.load(std::memory_order_relaxed); }

private:
  struct Entry {
    Value value;
    std::vector<uint32_t> elems;
  };
  static constexpr unsigned ChunkBits = 12;
  static constexpr size_t ChunkSize = size_t(1) << ChunkBits;
  static constexpr size_t MaxChunks = size_t(1) << 18;
  static constexpr size_t Shards = 64;

  const Entry &entry(uint32_t id) const {
    return chunks_[id >> ChunkBits].load(
        std::memory_order_acquire)[id & (ChunkSize - 1)];
  }
  Entry &newEntry(uint32_t &id);

  struct Shard {
    std::mutex mutex;
    std::unordered_multimap<uint64_t, uint32_t> ids; // value hash -> id
  };
  struct MemoShard {
    std::mutex mutex;
    std::unordered_map<uint64_t, uint32_t> result; // (set << 32 | elem) -> set'
  };
  std::unique_ptr<std::atomic<Entry *>[]> chunks_;
  std::atomic<uint32_t> next_{0};
  std::mutex chunkMutex_;
  std::unique_ptr<Shard[]> shards_;
  std::unique_ptr<MemoShard[]> memo_;
  static const std::vector<uint32_t> noElems_;
};

} // namespace mommie::checker
