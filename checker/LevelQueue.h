// The queue of one BFS level: (state id, canonical bytes) records packed in
// a byte buffer; when the buffer outgrows its budget the records move to
// an unlinked temporary file and are read back in order.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace mommie::checker {

class LevelQueue {
public:
  explicit LevelQueue(size_t memoryBudget = size_t(1) << 30)
      : budget_(memoryBudget) {}
  ~LevelQueue();
  LevelQueue(const LevelQueue &) = delete;
  LevelQueue &operator=(const LevelQueue &) = delete;

  void push(uint64_t id, const std::string &bytes);
  // Reading: after the last push. Returns false at the end.
  bool pop(uint64_t &id, std::string &bytes);
  uint64_t size() const { return count_ - popped_; }
  uint64_t memoryBytes() const { return mem_.capacity(); }
  bool spilled() const { return file_ != nullptr; }
  void clear();

private:
  bool readFile(uint64_t &id, std::string &bytes);
  std::string mem_;
  size_t memPos_ = 0;
  std::FILE *file_ = nullptr;
  uint64_t fileRecords_ = 0, fileRead_ = 0;
  bool reading_ = false;
  uint64_t count_ = 0, popped_ = 0;
  size_t budget_;
};

} // namespace mommie::checker
