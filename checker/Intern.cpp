// Interner: inline scalar ids, a sharded hash table of value trees, and the
// memo of set additions.
#include "checker/Intern.h"

#include <stdexcept>

namespace mommie::checker {

using K = Kind;

const std::vector<uint32_t> Interner::noElems_;

static inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r =
      __uint128_t(a ^ 0x9E3779B97F4A7C15ull) * (b ^ 0xD6E8FEB86659FD93ull);
  return uint64_t(r) ^ uint64_t(r >> 64);
}

uint64_t hashValue(const Value &v) {
  const auto &es = v.elems();
  uint64_t h = mix(uint64_t(v.kind()) << 56 ^ es.size(), uint64_t(v.scalar()));
  for (const auto &e : es)
    h = mix(h, hashValue(e));
  return h;
}

// Scalars with a small payload live in the id: bit 31 set, kind in bits
// 28-30, payload (two's complement for integers) in bits 0-27. `none` is
// the option with payload 0.
static constexpr int64_t InlineMin = -(int64_t(1) << 27),
                         InlineMax = (int64_t(1) << 27) - 1;
static_assert(uint32_t(K::Option) < 8, "a scalar's kind fits in three bits");

static bool inlineId(const Value &v, uint32_t &id) {
  switch (v.kind()) {
  case K::Int:
  case K::Bool:
  case K::Principal:
    break;
  case K::Option:
    if (v.isNone())
      break;
    return false;
  default:
    return false;
  }
  if (v.scalar() < InlineMin || v.scalar() > InlineMax)
    return false;
  id = Interner::InlineBit | uint32_t(v.kind()) << 28 |
       (uint32_t(v.scalar()) & 0x0FFFFFFFu);
  return true;
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
  if (v.is(K::Set)) {
    elems.reserve(v.size());
    for (const auto &e : v.elems())
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
  int64_t payload = int64_t(id & 0x0FFFFFFFu);
  if (payload & (int64_t(1) << 27))
    payload -= int64_t(1) << 28;
  switch (K((id >> 28) & 7)) {
  case K::Bool:
    tmp = Value::boolean(payload != 0);
    break;
  case K::Principal:
    tmp = Value::principal(payload);
    break;
  case K::Option:
    tmp = Value::none();
    break;
  default:
    tmp = Value::integer(payload);
    break;
  }
  return tmp;
}

void Interner::assign(uint32_t id, Value &out) const {
  if (id & InlineBit) {
    value(id, out);
    return;
  }
  out = entry(id).value; // shares its elements
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
  if (!s.is(K::Set))
    throw std::runtime_error("interner: add to a non-set");
  s.setInsert(value(elem, tmp)); // copies on write: the entry keeps its set
  uint32_t id = intern(s);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.result.emplace(key, id);
  return id;
}

} // namespace mommie::checker
