// TraceStore: 16-byte (parent id, fingerprint) records in temporary files.
#include "checker/TraceStore.h"

#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace mommie::checker {

TraceStore::TraceStore(int writers)
    : files_(size_t(writers < 1 ? 1 : writers)) {
  for (auto &f : files_) {
    f.f = std::tmpfile();
    if (!f.f)
      throw std::runtime_error(
          "cannot create a temporary file for trace records");
    f.buffer.resize(size_t(1) << 18);
    std::setvbuf(f.f, f.buffer.data(), _IOFBF, f.buffer.size());
  }
}

TraceStore::~TraceStore() {
  for (auto &f : files_)
    if (f.f)
      std::fclose(f.f);
}

uint64_t TraceStore::append(int w, uint64_t parent, uint64_t fp) {
  File &f = files_[size_t(w)];
  uint64_t rec[2] = {parent, fp};
  if (std::fwrite(rec, sizeof rec, 1, f.f) != 1)
    throw std::runtime_error("cannot write trace records (disk full?)");
  return f.count++ * files_.size() + uint64_t(w);
}

bool TraceStore::read(uint64_t id, uint64_t &parent, uint64_t &fp) {
  File &f = files_[id % files_.size()];
  uint64_t index = id / files_.size();
  if (index >= f.count)
    return false;
  std::fflush(f.f);
  uint64_t rec[2];
  if (::pread(fileno(f.f), rec, sizeof rec, off_t(index * sizeof rec)) !=
      ssize_t(sizeof rec))
    return false;
  parent = rec[0];
  fp = rec[1];
  return true;
}

uint64_t TraceStore::records() const {
  uint64_t n = 0;
  for (const auto &f : files_)
    n += f.count;
  return n;
}

} // namespace mommie::checker
