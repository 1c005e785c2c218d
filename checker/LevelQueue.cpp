// LevelQueue: in-memory records with spill to an anonymous temporary file.
#include "checker/LevelQueue.h"

#include "checker/Value.h"

#include <algorithm>
#include <stdexcept>

namespace mommie::checker {

LevelQueue::~LevelQueue() { clear(); }

void LevelQueue::clear() {
  if (file_)
    std::fclose(file_);
  file_ = nullptr;
  fileRecords_ = fileRead_ = 0;
  std::string().swap(mem_);
  std::string().swap(rbuf_);
  memPos_ = rpos_ = 0;
  reading_ = false;
  count_ = popped_ = 0;
}

static size_t varint(char *out, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    out[n++] = char(v | 0x80);
    v >>= 7;
  }
  out[n++] = char(v);
  return n;
}

void LevelQueue::push(uint64_t id, const void *data, size_t len) {
  if (mem_.capacity() < budget_ + 64)
    mem_.reserve(budget_ + 64); // untouched pages cost nothing
  char head[20];
  size_t n = varint(head, id);
  n += varint(head + n, len);
  mem_.append(head, n);
  mem_.append(static_cast<const char *>(data), len);
  ++count_;
  if (mem_.size() < budget_)
    return;
  if (!file_)
    file_ = std::tmpfile();
  if (!file_)
    return; // no temporary file: keep the records in memory
  if (std::fwrite(mem_.data(), 1, mem_.size(), file_) != mem_.size())
    throw std::runtime_error("cannot write the state queue's temporary file");
  fileRecords_ = count_;
  mem_.clear();
}

// Makes at least `need` unread bytes available in the read buffer, if the
// file has them.
bool LevelQueue::fill(size_t need) {
  if (rbuf_.size() - rpos_ >= need)
    return true;
  rbuf_.erase(0, rpos_);
  rpos_ = 0;
  size_t old = rbuf_.size();
  size_t want = std::max(need, budget_);
  rbuf_.resize(old + want);
  size_t got = std::fread(rbuf_.data() + old, 1, want, file_);
  rbuf_.resize(old + got);
  return rbuf_.size() >= need;
}

// Reads the varint at `pos` of `buf` (the wire format's, runtime/wire/Wire.h).
static bool getVarint(const std::string &buf, size_t &pos, uint64_t &v) {
  if (pos > buf.size())
    return false;
  rt::Reader r(reinterpret_cast<const uint8_t *>(buf.data()) + pos,
               buf.size() - pos);
  v = r.varint();
  pos = buf.size() - r.remaining();
  return r.ok();
}

bool LevelQueue::pop(uint64_t &id, std::string &bytes) {
  if (!reading_) {
    reading_ = true;
    if (file_) {
      std::fflush(file_);
      std::rewind(file_);
    }
  }
  if (file_ && fileRead_ < fileRecords_) {
    uint64_t len = 0;
    fill(20);
    if (!getVarint(rbuf_, rpos_, id) || !getVarint(rbuf_, rpos_, len))
      return false;
    if (!fill(len))
      return false;
    bytes.assign(rbuf_, rpos_, len);
    rpos_ += len;
    ++fileRead_;
    ++popped_;
    if (fileRead_ == fileRecords_)
      std::string().swap(rbuf_);
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
