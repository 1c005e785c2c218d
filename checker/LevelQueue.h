// The queue of one BFS level: (trace id, state bytes) records packed in a
// byte buffer; whenever the buffer reaches its budget it is appended to an
// unlinked temporary file, and the records are read back in order through
// a buffer of the same size, so a level costs at most two budgets of
// memory however long it is.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace mommie::checker {

class LevelQueue {
public:
  explicit LevelQueue(size_t memoryBudget = size_t(16) << 20)
      : budget_(memoryBudget < 4096 ? 4096 : memoryBudget) {}
  ~LevelQueue();
  LevelQueue(const LevelQueue &) = delete;
  LevelQueue &operator=(const LevelQueue &) = delete;

  void push(uint64_t id, const void *data, size_t len);
  void push(uint64_t id, const std::string &bytes) {
    push(id, bytes.data(), bytes.size());
  }
  // Reading: after the last push. Returns false at the end.
  bool pop(uint64_t &id, std::string &bytes);
  uint64_t size() const { return count_ - popped_; }
  uint64_t memoryBytes() const { return mem_.capacity() + rbuf_.capacity(); }
  bool spilled() const { return file_ != nullptr; }
  void clear();

private:
  bool fill(size_t need);
  std::string mem_;
  size_t memPos_ = 0;
  std::FILE *file_ = nullptr;
  std::string rbuf_; // read buffer of the spilled records
  size_t rpos_ = 0;
  uint64_t fileRecords_ = 0, fileRead_ = 0;
  bool reading_ = false;
  uint64_t count_ = 0, popped_ = 0;
  size_t budget_;
};

} // namespace mommie::checker
