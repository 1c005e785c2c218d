// Interner: inline scalar ids, a sharded hash table of value trees, and the
// memo of set additions.
#include "checker/Intern.h"

#include <stdexcept>

namespace mommie::checker {

using K = Value::Kind;

const std::vector<uint32_t> Interner::noElems_;

static inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = __uint128_t(a ^ 0x9E3779B97F4A7C15ull) * (b ^ 0xD6E8FEB86659FD93ull);
  return uint64_t(r) ^ uint64_t(r >> 64);
}

uint64_t hashValue(const Value &v) {
  uint64_t h = mix(uint64_t(v.kind) << 56 ^ v.elems.size(), uint64_t(v.num));
  for (const auto &e : v.elems)
    h = mix(h, hashValue(e));
  return h;
}

// Scalars with a small payload live in the id: bit 31 set, kind in bits
// 28-30, payload (two's complement for integers) in bits 0-27.
static constexpr int64_t InlineMin = -(int64_t(1) << 27), InlineMax = (int64_t(1) << 27) - 1;

static bool inlineId(const Value &v, uint32_t &id) {
  switch (v.kind) {
  case K::Int:
  case K::Bool:
  case K::Principal:
  case K::None:
    if (v.num < InlineMin || v.num > InlineMax)
      return false;
    id = Interner::InlineBit | uint32_t(v.kind) << 28 | (uint32_t(v.num) & 0x0FFFFFFFu);
    return true;
  default:
    return false;
  }
}

Interner::Interner()
    : chunks_(new std::atomic<Entry *>[MaxChunks]), shards_(new Shard[Shards]),
      memo_(new MemoShard[Shards]) {
  for (size_t i = 0; i < MaxChunks; ++i)
    chunks_[i].store(nullptr, std::memory_order_relaxed);
}

Interner::~Interner() {
  for (size_t i = 0; i < MaxChunks; ++i)
    delete[] chunks_[i].load(std::memory_order_relaxed);
}

Interner::Entry &Interner::newEntry(uint32_t &id) {
  id = next_.fetch_add(1, std::memory_order_relaxed);
  size_t c = id >> ChunkBits;
  if (c >= MaxChunks || id >= InlineBit)
    throw std::runtime_error("too many distinct values");
  Entry *chunk = chunks_[c].load(std::memory_order_acquire);
  if (!chunk) {
    std::lock_guard<std::mutex> lock(chunkMutex_);
    chunk = chunks_[c].load(std::memory_order_acquire);
    if (!chunk) {
      chunk = new Entry[ChunkSize];
      chunks_[c].store(chunk, std::memory_order_release);
    }
  }
  return chunk[id & (ChunkSize - 1)];
}

uint32_t Interner::intern(const Value &v) {
  uint32_t id;
  if (inlineId(v, id))
    return id;
  uint64_t h = hashValue(v);
  Shard &shard = shards_[h % Shards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto range = shard.ids.equal_range(h);
    for (auto it = range.first; it != range.second; ++it)
      if (entry(it->second).value == v)
        return it->second;
  }
  // Element ids first (outside the shard lock: elements may hash to it).
  std::vector<uint32_t> elems;
  if (v.kind == K::Set) {
    elems.reserve(v.elems.size());
    for (const auto &e : v.elems)
      elems.push_back(intern(e));
  }
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto range = shard.ids.equal_range(h);
  for (auto it = range.first; it != range.second; ++it)
    if (entry(it->second).value == v)
      return it->second; // another worker was faster
  Entry &e = newEntry(id);
  e.value = v;
  e.elems = std::move(elems);
  shard.ids.emplace(h, id);
  return id;
}

const Value &Interner::value(uint32_t id, Value &tmp) const {
  if (!(id & InlineBit))
    return entry(id).value;
  tmp.kind = K((id >> 28) & 7);
  int64_t payload = int64_t(id & 0x0FFFFFFFu);
  if (payload & (int64_t(1) << 27))
    payload -= int64_t(1) << 28;
  tmp.num = payload;
  tmp.elems.clear();
  return tmp;
}

void Interner::assign(uint32_t id, Value &out) const {
  if (id & InlineBit) {
    value(id, out);
    return;
  }
  const Value &v = entry(id).value;
  out.kind = v.kind;
  out.num = v.num;
  out.elems = v.elems;
}

const std::vector<uint32_t> &Interner::elemIds(uint32_t id) const {
  if (id & InlineBit)
    return noElems_;
  return entry(id).elems;
}

uint32_t Interner::add(uint32_t setId, uint32_t elem) {
  uint64_t key = uint64_t(setId) << 32 | elem;
  MemoShard &shard = memo_[mix(key, 0x51) % Shards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.result.find(key);
    if (it != shard.result.end())
      return it->second;
  }
  Value tmp, s;
  assign(setId, s);
  if (s.kind != K::Set)
    throw std::runtime_error("interner: add to a non-set");
  s.insert(value(elem, tmp));
  uint32_t id = intern(s);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.result.emplace(key, id);
  return id;
}

} // namespace mommie::checker
