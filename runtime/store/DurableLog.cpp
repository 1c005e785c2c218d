#include "runtime/store/DurableLog.h"

#include "runtime/wire/Wire.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace mommie::rt {

namespace {

constexpr const char *IdentityMagic = "mommie durable state v1";
constexpr uint32_t MaxRecord = uint32_t(64)
                               << 20; // a state beyond 64 MiB is refused

// CRC-32 (ISO-HDLC, as gzip and zip), zlib's: several GB/s, where a
// byte-at-a-time table cost a fifth of a loaded KV leader's CPU.
uint32_t crc32(const char *data, size_t n) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  while (n > 0) {
    uInt chunk = uInt(std::min<size_t>(n, 1u << 30));
    crc = ::crc32(crc, reinterpret_cast<const Bytef *>(data), chunk);
    data += chunk;
    n -= chunk;
  }
  return uint32_t(crc);
}

void putU32(std::string &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(char((v >> (8 * i)) & 0xff));
}

uint32_t getU32(const char *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= uint32_t(uint8_t(p[i])) << (8 * i);
  return v;
}

std::string sysError(const std::string &what, const std::string &path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool writeAll(int fd, const std::string &data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    off += size_t(n);
  }
  return true;
}

bool syncDir(const std::string &dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string identityText(const DurableOptions &o) {
  return std::string(IdentityMagic) + "\nprotocol " + o.protocol +
         "\nprincipal " + o.principal + "\n";
}

std::string record(const std::string &payload) {
  std::string r;
  r.reserve(payload.size() + 8);
  putU32(r, uint32_t(payload.size()));
  putU32(r, crc32(payload.data(), payload.size()));
  r += payload;
  return r;
}

} // namespace

WalScan scanWal(const std::string &data, bool keepAll) {
  WalScan s;
  size_t off = 0;
  while (data.size() - off >= 8) {
    uint32_t len = getU32(data.data() + off),
             crc = getU32(data.data() + off + 4);
    // A record cut short: the tail of a write the crash interrupted. No
    // record is empty, so a run of zeros (what a machine crash may leave
    // after the synced prefix) is a torn tail too, not empty records.
    if (len == 0 || len > MaxRecord || data.size() - off - 8 < len)
      break;
    if (crc32(data.data() + off + 8, len) != crc) {
      // The last record, torn; or whole records follow a bad one: not a
      // torn write but a damaged disk or file, where cutting it off would
      // drop acknowledged state.
      if (data.size() - off - 8 != len)
        s.corruptAt = off;
      break;
    }
    s.last = data.substr(off + 8, len);
    if (keepAll)
      s.all.push_back(*s.last);
    ++s.records;
    off += 8 + size_t(len);
  }
  s.validBytes = off;
  return s;
}

std::string walRecord(const std::string &payload) { return record(payload); }

DurableLog::~DurableLog() {
  if (helper_.joinable()) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    helper_.join();
  }
  if (fd_ >= 0)
    ::close(fd_);
}

void DurableLog::startBackground(std::function<void()> wake) {
  if (helper_.joinable())
    return;
  wake_ = std::move(wake);
  helper_ = std::thread([this] { backgroundLoop(); });
}

void DurableLog::backgroundLoop() {
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    cv_.wait(lk, [&] { return stop_ || requested_ > done_; });
    if (stop_)
      return;
    uint64_t target = requested_;
    int fd = requestFd_;
    lk.unlock();
    bool ok = ::fdatasync(fd) == 0;
    int err = errno;
    lk.lock();
    inFlight_ = false;
    if (ok) {
      done_ = target;
      ++helperSyncs_;
    } else {
      helperFailed_ = true;
      helperErrno_ = err;
      done_ = requested_; // nothing more is asked of a failed log
    }
    cv_.notify_all();
    lk.unlock();
    wake_();
    lk.lock();
  }
}

void DurableLog::requestSync() {
  if (!opts_.fsync || written_ == synced_ || fd_ < 0 || !helper_.joinable())
    return;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (inFlight_ || helperFailed_ || requested_ >= written_)
      return;
    inFlight_ = true;
    requested_ = written_;
    requestFd_ = fd_;
  }
  cv_.notify_all();
}

bool DurableLog::finishSync(std::string &error) {
  std::lock_guard<std::mutex> lk(mu_);
  if (helperFailed_) {
    errno = helperErrno_;
    error = sysError("cannot sync the write-ahead log in", opts_.dir);
    return false;
  }
  stats_.syncs += helperSyncs_;
  helperSyncs_ = 0;
  synced_ = std::max(synced_, done_);
  if (synced_ == written_)
    dirty_ = false;
  return true;
}

void DurableLog::waitIdle() {
  if (!helper_.joinable())
    return;
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait(lk, [&] { return !inFlight_; });
}

bool DurableLog::open(const DurableOptions &options, std::string &error) {
  opts_ = options;
  const std::string &dir = opts_.dir;
  if (dir.empty()) {
    error = "no data directory";
    return false;
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      error = sysError("cannot read the data directory", dir);
      return false;
    }
    if (!opts_.fresh) {
      error = "the data directory " + dir +
              " does not exist; a node that has run before must restart with "
              "its data directory "
              "(its durable variables); give --fresh for a first start, or to "
              "join with no state";
      return false;
    }
    if (::mkdir(dir.c_str(), 0700) != 0) {
      error = sysError("cannot create the data directory", dir);
      return false;
    }
  } else if (!S_ISDIR(st.st_mode)) {
    error = "the data directory " + dir + " is not a directory";
    return false;
  }
  const std::string idPath = dir + "/identity", walPath = dir + "/wal";
  std::ifstream idIn(idPath, std::ios::binary);
  if (idIn) {
    std::stringstream ss;
    ss << idIn.rdbuf();
    std::string have = ss.str(), want = identityText(opts_);
    if (have != want) {
      std::string first = have.substr(0, have.find('\n'));
      error = first != IdentityMagic
                  ? "the data directory " + dir +
                        " holds no mommie durable state (" + idPath +
                        " is not ours)"
                  : "the data directory " + dir +
                        " holds the durable state of another node: " + idPath +
                        " says '" + have.substr(have.find('\n') + 1) +
                        "', this node is protocol " + opts_.protocol +
                        ", principal " + opts_.principal;
      if (error.back() == '\n')
        error.pop_back();
      return false;
    }
  } else {
    if (!opts_.fresh) {
      error = "the data directory " + dir +
              " holds no durable state; a node that has run before must "
              "restart with its data "
              "directory (its durable variables); give --fresh for a first "
              "start, or to join with "
              "no state";
      return false;
    }
    // A fresh directory: any old log is not this node's state.
    ::unlink(walPath.c_str());
    std::string tmp = idPath + ".tmp";
    int fd =
        ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !writeAll(fd, identityText(opts_)) || ::fsync(fd) != 0) {
      error = sysError("cannot write", tmp);
      if (fd >= 0)
        ::close(fd);
      return false;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), idPath.c_str()) != 0) {
      error = sysError("cannot rename over", idPath);
      return false;
    }
  }
  fd_ = ::open(walPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    error = sysError("cannot open the write-ahead log", walPath);
    return false;
  }
  // Read every record; keep the last valid one, cut off a torn tail.
  std::string data;
  {
    char buf[1 << 16];
    ssize_t n;
    while ((n = ::read(fd_, buf, sizeof buf)) != 0) {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        error = sysError("cannot read the write-ahead log", walPath);
        return false;
      }
      data.append(buf, size_t(n));
    }
  }
  WalScan scan = scanWal(data, !opts_.wholeState);
  if (scan.corruptAt) {
    error = "the write-ahead log " + walPath + " is corrupt at byte " +
            std::to_string(*scan.corruptAt) +
            " (a record fails its checksum and whole records follow it); "
            "restore the directory "
            "from a copy, or start afresh (--fresh on an emptied directory)";
    return false;
  }
  recovered_ = std::move(scan.last);
  all_ = std::move(scan.all);
  stats_.recoveredRecords = scan.records;
  size_t off = scan.validBytes;
  if (off < data.size()) {
    stats_.truncatedBytes = data.size() - off;
    if (::ftruncate(fd_, off_t(off)) != 0 || ::fsync(fd_) != 0) {
      error = sysError("cannot cut the torn tail of", walPath);
      return false;
    }
  }
  if (::lseek(fd_, off_t(off), SEEK_SET) < 0) {
    error = sysError("cannot seek in", walPath);
    return false;
  }
  size_ = off;
  if (opts_.fresh || !idIn)
    syncDir(dir);
  return true;
}

bool DurableLog::append(const std::string &payload, std::string &error) {
  if (opts_.wholeState && size_ > opts_.compactBytes)
    return rewrite({payload}, error);
  return write(payload, error) && sync(error);
}

bool DurableLog::write(const std::string &payload, std::string &error) {
  if (fd_ < 0) {
    error = "the durable log is not open";
    return false;
  }
  if (payload.empty() || payload.size() > MaxRecord) {
    error = "a durable record of " + std::to_string(payload.size()) +
            " bytes (1 to " + std::to_string(MaxRecord) + " allowed)";
    return false;
  }
  std::string r = record(payload);
  if (!writeAll(fd_, r)) {
    error = sysError("cannot write the write-ahead log in", opts_.dir);
    return false;
  }
  size_ += r.size();
  ++stats_.records;
  stats_.bytes += r.size();
  ++written_;
  if (opts_.fsync)
    dirty_ = true;
  else
    synced_ = written_;
  return true;
}

bool DurableLog::sync(std::string &error) {
  if (!dirty_)
    return true;
  waitIdle();
  if (opts_.fsync) {
    if (::fdatasync(fd_) != 0) {
      error = sysError("cannot sync the write-ahead log in", opts_.dir);
      return false;
    }
    ++stats_.syncs;
  }
  dirty_ = false;
  synced_ = written_;
  return true;
}

bool DurableLog::rewrite(const std::vector<std::string> &payloads,
                         std::string &error) {
  if (fd_ < 0) {
    error = "the durable log is not open";
    return false;
  }
  waitIdle(); // the helper is not syncing the descriptor replaced below
  const std::string walPath = opts_.dir + "/wal", tmp = walPath + ".tmp";
  std::string data;
  for (const auto &p : payloads) {
    if (p.empty() || p.size() > MaxRecord) {
      error = "a durable record of " + std::to_string(p.size()) +
              " bytes (1 to " + std::to_string(MaxRecord) + " allowed)";
      return false;
    }
    data += record(p);
  }
  int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || !writeAll(fd, data) || (opts_.fsync && ::fsync(fd) != 0)) {
    error = sysError("cannot write the snapshot", tmp);
    if (fd >= 0)
      ::close(fd);
    return false;
  }
  if (::rename(tmp.c_str(), walPath.c_str()) != 0) {
    error = sysError("cannot rename the snapshot over", walPath);
    ::close(fd);
    return false;
  }
  if (opts_.fsync && !syncDir(opts_.dir)) {
    error = sysError("cannot sync the data directory", opts_.dir);
    ::close(fd);
    return false;
  }
  ::close(fd_);
  fd_ = fd;
  size_ = data.size();
  dirty_ = false;
  written_ += payloads.size();
  synced_ = written_;
  stats_.records += payloads.size();
  ++stats_.compactions;
  stats_.bytes += data.size();
  if (opts_.fsync)
    ++stats_.syncs;
  return true;
}

bool DurableWriter::save(int64_t round, std::string &error) {
  Value st = vars_.durableState();
  if (st == last_)
    return true;
  if (!log_.append(encodeDurableRecord(round, st), error))
    return false;
  last_ = std::move(st);
  return true;
}

std::string encodeDurableRecord(int64_t round, const Value &state) {
  Writer w;
  w.svarint(round);
  state.encode(w);
  return w.toString();
}

bool decodeDurableRecord(const std::string &payload, int64_t &round,
                         Value &state) {
  Reader r(payload);
  round = r.svarint();
  return r.ok() && Value::decode(r, state) && r.ok() && r.atEnd() && round >= 0;
}

} // namespace mommie::rt
