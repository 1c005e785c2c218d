// The explorer's trace records on disk: for every distinct state, its
// fingerprint and the id of its parent's record. Each worker appends to
// its own unlinked temporary file (buffered), so record ids are
// `index * writers + worker`; the records are read back (by id, following
// parent ids) only when a counterexample has to be rebuilt.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

namespace mommie::checker {

class TraceStore {
public:
  static constexpr uint64_t NoParent = UINT64_MAX;

  explicit TraceStore(int writers);
  ~TraceStore();
  TraceStore(const TraceStore &) = delete;
  TraceStore &operator=(const TraceStore &) = delete;

  // Appends a record for writer `w`; returns its id.
  uint64_t append(int w, uint64_t parent, uint64_t fp);
  // Reads record `id` (not concurrently with append).
  bool read(uint64_t id, uint64_t &parent, uint64_t &fp);
  uint64_t records() const;

private:
  struct File {
    std::FILE *f = nullptr;
    uint64_t count = 0;
    std::vector<char> buffer;
  };
  std::vector<File> files_;
};

} // namespace mommie::checker
