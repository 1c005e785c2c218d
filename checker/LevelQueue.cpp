// LevelQueue: in-memory records with spill to an anonymous temporary file.
#include "checker/LevelQueue.h"

#include "checker/Value.h"

namespace mommie::checker {

LevelQueue::~LevelQueue() { clear(); }

void LevelQueue::clear() {
  if (file_)
    std::fclose(file_);
  file_ = nullptr;
  fileRecords_ = fileRead_ = 0;
  std::string().swap(mem_);
  memPos_ = 0;
  reading_ = false;
  count_ = popped_ = 0;
}

void LevelQueue::push(uint64_t id, const std::string &bytes) {
  putVarint(mem_, id);
  putVarint(mem_, bytes.size());
  mem_ += bytes;
  ++count_;
  if (mem_.size() < budget_)
    return;
  if (!file_)
    file_ = std::tmpfile();
  if (!file_)
    return; // no temporary file: keep the records in memory
  std::fwrite(mem_.data(), 1, mem_.size(), file_);
  fileRecords_ = count_;
  mem_.clear();
}

static bool readVarint(std::FILE *f, uint64_t &v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    int c = std::fgetc(f);
    if (c == EOF)
      return false;
    v |= uint64_t(c & 0x7f) << shift;
    if (!(c & 0x80))
      return true;
  }
  return false;
}

bool LevelQueue::readFile(uint64_t &id, std::string &bytes) {
  uint64_t len = 0;
  if (!readVarint(file_, id) || !readVarint(file_, len))
    return false;
  bytes.resize(len);
  return std::fread(bytes.data(), 1, len, file_) == len;
}

bool LevelQueue::pop(uint64_t &id, std::string &bytes) {
  if (!reading_) {
    reading_ = true;
    if (file_)
      std::rewind(file_);
  }
  if (file_ && fileRead_ < fileRecords_) {
    if (!readFile(id, bytes))
      return false;
    ++fileRead_;
    ++popped_;
    return true;
  }
  if (memPos_ >= mem_.size())
    return false;
  uint64_t len = 0;
  if (!getVarint(mem_, memPos_, id) || !getVarint(mem_, memPos_, len))
    return false;
  bytes.assign(mem_, memPos_, len);
  memPos_ += len;
  ++popped_;
  return true;
}

} // namespace mommie::checker
