// A node's durable state on disk (docs/runtime.md, "Durable state"): the
// values of its `durable var`s, which the model keeps across a restart
// (a `recover` fault, docs/semantics.md), in a directory of its own:
//
//   DIR/identity   what the state belongs to: "mommie durable state v1",
//                  then "protocol NAME", "principal NAME" lines; a node
//                  refuses a directory written by another principal or
//                  protocol.
//   DIR/wal        the write-ahead log: records, each
//                    u32 LE length, u32 LE CRC-32 of the payload, payload
//                  where a payload (never empty) is the whole durable state
//                  after a step (the caller's encoding). The last record
//                  that is whole and whose checksum holds is the state; a
//                  torn or corrupt tail (a crash during a write, or zeros a
//                  machine crash left after the synced prefix) is cut off on
//                  open.
//
// append() returns once the record is on disk (fdatasync), unless fsync is
// off (benchmarks: then a machine crash, unlike a process crash, may lose
// the last records). Since a record is a whole state, a snapshot is the
// last record alone: when the log outgrows `compactBytes`, it is rewritten
// as that one record (to DIR/wal.tmp, synced, renamed over DIR/wal, and the
// directory synced).
//
// A directory without an identity holds no state. Opening one needs
// `fresh` (the node's first start, or an operator's decision that it joins
// with no state); otherwise open() refuses it, so that a node that ran
// before and lost its directory (or was started with the wrong one) does
// not restart with its durable variables at their initial values, which
// the model does not allow. C++17.
#pragma once

#include "runtime/wire/Value.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mommie::rt {

// What generated code implements for a role with `durable var`s (both the
// statement node's RoleBase and the round engine's RoundProgram): whether
// the role has any; their values as one tuple, in declaration order; and
// setting them from such a tuple (false with `why` unless it is one of
// values of their types).
class DurableVars {
public:
  virtual ~DurableVars() = default;
  virtual bool hasDurable() const { return false; }
  virtual Value durableState() const { return Value::tuple({}); }
  virtual bool restoreDurable(const Value &v, std::string *why) {
    if (why)
      *why = "the role has no durable variables";
    return false;
  }
};

struct DurableOptions {
  std::string dir;
  std::string protocol, principal; // the identity
  bool fsync = true;
  bool fresh = false;
  // Whole-state records (a node's durable variables): the last one is the
  // state, and the log is compacted to it past `compactBytes`. Otherwise
  // (an application's log of deltas, apps/kv) every record counts: open()
  // keeps them all (recoveredAll) and the owner compacts with rewrite().
  bool wholeState = true;
  size_t compactBytes = size_t(4) << 20;
};

struct DurableStats {
  uint64_t records = 0, bytes = 0, syncs = 0, compactions = 0;
  uint64_t recoveredRecords = 0, truncatedBytes = 0; // on open
};

class DurableLog {
public:
  DurableLog() = default;
  ~DurableLog();
  DurableLog(const DurableLog &) = delete;
  DurableLog &operator=(const DurableLog &) = delete;

  // Opens (or, with `fresh` and no identity, creates) the directory. False
  // with `error` (a sentence naming the directory) otherwise.
  bool open(const DurableOptions &options, std::string &error);
  bool isOpen() const { return fd_ >= 0; }
  // The payload of the last valid record found by open(), if any.
  const std::optional<std::string> &recovered() const { return recovered_; }
  // Every valid record found by open(), in order (not wholeState only).
  const std::vector<std::string> &recoveredAll() const { return all_; }
  // Appends `payload` as one record; durable on return (fsync on). False
  // with `error` on an I/O error: the caller must not let anything that
  // depends on the state leave the node.
  bool append(const std::string &payload, std::string &error);
  // Group commit: write() appends a record without syncing; sync() makes
  // every record written so far durable (one fdatasync, none if nothing
  // was written since the last). What depends on a written record must not
  // leave the node before sync() returns true.
  bool write(const std::string &payload, std::string &error);
  bool sync(std::string &error);
  bool dirty() const { return dirty_; }
  // Group commit off the owner's thread (the KV replica: its event loop
  // goes on reading and computing while the disk syncs). written() counts
  // the records written since open (it never decreases; a rewrite's count
  // too) and synced() those known to be durable (all of them with fsync
  // off). After startBackground(wake), requestSync() asks a helper thread
  // to make every record written so far durable (one fdatasync; nothing
  // when one is in flight: ask again once it completes); the helper calls
  // wake() from its own thread when it is done, and the owner then calls
  // finishSync() on its thread, which advances synced() or returns false
  // with `error` (then nothing that depends on the records may leave).
  // sync() and rewrite() wait for a sync in flight first.
  uint64_t written() const { return written_; }
  uint64_t synced() const { return synced_; }
  void startBackground(std::function<void()> wake);
  void requestSync();
  bool finishSync(std::string &error);
  // Replaces the whole log by `payloads` (a snapshot and what follows it):
  // written to wal.tmp, synced, renamed over wal, the directory synced.
  bool rewrite(const std::vector<std::string> &payloads, std::string &error);
  uint64_t size() const { return size_; }
  const DurableStats &stats() const { return stats_; }
  const DurableOptions &options() const { return opts_; }

private:
  DurableOptions opts_;
  int fd_ = -1;
  uint64_t size_ = 0;
  bool dirty_ = false;
  std::optional<std::string> recovered_;
  std::vector<std::string> all_;
  DurableStats stats_;
  uint64_t written_ = 0, synced_ = 0;
  // The background sync: the helper's request (target, fd) and result,
  // under mu_.
  void backgroundLoop();
  void waitIdle();
  std::thread helper_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> wake_;
  bool stop_ = false, inFlight_ = false, helperFailed_ = false;
  int requestFd_ = -1, helperErrno_ = 0;
  uint64_t requested_ = 0, done_ = 0, helperSyncs_ = 0;
};

// The records of a write-ahead log's bytes: the last valid payload, how
// many, and the length of the valid prefix (what follows is a torn tail,
// cut off on open); `corruptAt` when a record fails its checksum and whole
// records follow it (open() refuses the directory then).
struct WalScan {
  std::optional<std::string> last;
  std::vector<std::string> all; // every valid payload (keepAll only)
  uint64_t records = 0;
  size_t validBytes = 0;
  std::optional<size_t> corruptAt;
};
WalScan scanWal(const std::string &data, bool keepAll = false);
// One record's bytes (length, checksum, payload).
std::string walRecord(const std::string &payload);

// A node's durable variables as its log holds them: save() appends a
// record only when they changed since the last one (the state at
// construction counts as written).
class DurableWriter {
public:
  DurableWriter(DurableLog &log, const DurableVars &vars)
      : log_(log), vars_(vars), last_(vars.durableState()) {}
  // Appends the state (a round program resumes at `round`) if it changed;
  // durable on return. False with `error` when it cannot be written.
  bool save(int64_t round, std::string &error);

private:
  DurableLog &log_;
  const DurableVars &vars_;
  Value last_;
};

// The payload a node writes: the round to resume at (round programs; 0 for
// statement programs) and its durable variables (RoundProgram /
// RoleBase::durableState), wire-encoded. Decoding is strict.
std::string encodeDurableRecord(int64_t round, const Value &state);
bool decodeDurableRecord(const std::string &payload, int64_t &round,
                         Value &state);

} // namespace mommie::rt
