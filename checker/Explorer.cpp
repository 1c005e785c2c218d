// The breadth-first explorer (see Explorer.h for the algorithm).
#include "checker/Explorer.h"

#include "checker/FingerprintSet.h"
#include "checker/LevelQueue.h"
#include "checker/Liveness.h"
#include "checker/Symmetry.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace mommie::checker {

const char *verdictName(CheckResult::Verdict v) {
  switch (v) {
  case CheckResult::Verdict::Ok:
    return "ok";
  case CheckResult::Verdict::InvariantViolated:
    return "invariant violated";
  case CheckResult::Verdict::Deadlock:
    return "deadlock";
  case CheckResult::Verdict::EvalError:
    return "evaluation error";
  case CheckResult::Verdict::PropertyViolated:
    return "property violated";
  case CheckResult::Verdict::ResourceLimit:
    return "resource limit";
  }
  return "?";
}

static inline uint64_t mum(uint64_t a, uint64_t b) {
  __uint128_t r = __uint128_t(a) * b;
  return uint64_t(r) ^ uint64_t(r >> 64);
}

uint64_t fingerprint(const std::string &bytes) {
  const char *p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = 0x243F6A8885A308D3ull ^ mum(n, 0xa0761d6478bd642full);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = mum(h ^ w ^ 0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull);
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = mum(h ^ w ^ 0x589965cc75374cc3ull, 0x1d8e4e27c47d124full);
  return mum(h, 0xeb44accab455d165ull) ^ (h >> 29);
}

uint64_t currentRssBytes() {
  std::ifstream f("/proc/self/statm");
  uint64_t size = 0, rss = 0;
  f >> size >> rss;
  return rss * 4096;
}

static uint64_t peakRssBytes() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stoull(line.substr(6)) * 1024;
  return currentRssBytes();
}

bool replayTrace(const Generator &gen, const Symmetry &sym,
                 const std::vector<uint64_t> &fps, std::vector<TraceStep> &out) {
  out.clear();
  if (fps.empty())
    return false;
  std::string bytes, scratch;
  bool found = false;
  gen.initialStates([&](State &&s, const Action *a) {
    if (found)
      return;
    sym.canonicalBytes(s, bytes, scratch);
    if (fingerprint(bytes) == fps[0]) {
      out.push_back({*a, std::move(s)});
      found = true;
    }
  });
  if (!found)
    return false;
  for (size_t k = 1; k < fps.size(); ++k) {
    found = false;
    State cur = out.back().state;
    gen.successors(cur, true, [&](State &&s, const Action *a) {
      if (found)
        return;
      sym.canonicalBytes(s, bytes, scratch);
      if (fingerprint(bytes) == fps[k]) {
        out.push_back({*a, std::move(s)});
        found = true;
      }
    });
    if (!found)
      return false;
  }
  return true;
}

namespace {

constexpr uint32_t NoParent = UINT32_MAX;

// Where the search stopped on a finding.
struct Finding {
  CheckResult::Verdict verdict = CheckResult::Verdict::Ok;
  std::string name, message;
  ir::SourceLoc loc;
  uint32_t stateId = NoParent; // the last state with an id
  bool extra = false;          // plus one state without an id
  uint64_t extraFp = 0;
};

class Search {
public:
  Search(const ir::Program &program, const CheckOptions &options)
      : layout_(program), gen_(layout_), sym_(layout_, options.symmetry),
        options_(options) {}

  CheckResult run();

private:
  void expandLevel();
  void worker(int w);
  void record(Finding f);
  void progressLoop();
  bool checkLimits(bool memory = true);
  void buildTrace(CheckResult &res);

  Layout layout_;
  Generator gen_;
  Symmetry sym_;
  CheckOptions options_;

  FingerprintSet table_;
  std::vector<uint64_t> fps_;
  std::vector<uint32_t> parents_;
  LevelQueue *cur_ = nullptr;
  std::mutex curMutex_;
  std::vector<std::string> outs_; // per worker: next-level records
  std::shared_mutex growMutex_;
  std::atomic<uint64_t> generated_{0}, succCount_{0}, expanded_{0};
  std::atomic<bool> stop_{false};
  std::mutex findingMutex_;
  Finding finding_;
  bool haveFinding_ = false;
  std::string limitHit_;
  uint64_t depth_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::atomic<uint64_t> queueSize_{0};
  std::mutex progressMutex_;
  std::condition_variable progressCv_;
  bool done_ = false;
};

void Search::record(Finding f) {
  std::lock_guard<std::mutex> lock(findingMutex_);
  if (!haveFinding_) {
    finding_ = std::move(f);
    haveFinding_ = true;
  }
  stop_ = true;
}

bool Search::checkLimits(bool memory) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
                    .count();
  if (options_.maxStates && table_.size() > options_.maxStates) {
    limitHit_ = fmt::format("--max-states {}", options_.maxStates);
    return true;
  }
  if (options_.timeLimit > 0 && secs > options_.timeLimit) {
    limitHit_ = fmt::format("--time-limit {}", options_.timeLimit);
    return true;
  }
  if (options_.maxMemoryMB && memory &&
      currentRssBytes() > options_.maxMemoryMB * uint64_t(1024 * 1024)) {
    limitHit_ = fmt::format("--max-memory {}", options_.maxMemoryMB);
    return true;
  }
  return false;
}

void Search::worker(int w) {
  std::string &out = outs_[size_t(w)];
  std::string bytes, canon, scratch;
  std::vector<std::pair<uint64_t, std::string>> batch;
  State s;
  uint64_t batches = 0;
  while (!stop_.load(std::memory_order_relaxed)) {
    if (++batches % 16 == 0 || options_.maxStates) {
      std::lock_guard<std::mutex> lock(findingMutex_);
      if (!stop_ && checkLimits(batches % 256 == 0)) {
        stop_ = true;
        return;
      }
    }
    // Grow the table if a batch could overfill it.
    double avg = expanded_ ? double(succCount_) / double(expanded_) : 64.0;
    size_t room = table_.capacity() * 6 / 10;
    while (table_.size() + 4096 + size_t(avg * 64) * size_t(options_.workers) >= room) {
      std::unique_lock<std::shared_mutex> lock(growMutex_);
      if (table_.size() + 4096 + size_t(avg * 64) * size_t(options_.workers) >=
          table_.capacity() * 6 / 10)
        table_.grow();
      room = table_.capacity() * 6 / 10;
    }
    size_t want = size_t(double(room - table_.size()) / (avg + 1.0) /
                         double(options_.workers) / 2.0);
    want = std::max<size_t>(1, std::min<size_t>(want, 256));
    batch.clear();
    {
      std::lock_guard<std::mutex> lock(curMutex_);
      uint64_t id;
      while (batch.size() < want && cur_->pop(id, bytes))
        batch.emplace_back(id, bytes);
      queueSize_ = cur_->size();
    }
    if (batch.empty())
      return;
    std::shared_lock<std::shared_mutex> lock(growMutex_);
    for (auto &[id, sb] : batch) {
      if (stop_.load(std::memory_order_relaxed))
        return;
      layout_.decode(sb, s);
      uint64_t nsucc = 0;
      // A new distinct state: check the invariants and queue its bytes.
      auto admit = [&](uint64_t fp, const std::string &bytes, const State &next) {
        std::string inv;
        try {
          inv = gen_.violatedInvariant(next);
        } catch (const EvalError &e) {
          record({CheckResult::Verdict::EvalError, "", e.what(), e.loc, uint32_t(id),
                  true, fp});
          return;
        }
        if (!inv.empty()) {
          record({CheckResult::Verdict::InvariantViolated, inv, "", {}, uint32_t(id),
                  true, fp});
          return;
        }
        putVarint(out, id);
        out.append(reinterpret_cast<const char *>(&fp), 8);
        putVarint(out, bytes.size());
        out += bytes;
      };
      // Without symmetry the canonical bytes of a Deliver successor are the
      // parent's with one knowledge bit set: no state copy unless it is new.
      DeliverEmit onDeliver = [&](int rec, int q, size_t j) {
        ++nsucc;
        size_t bit = layout_.knownBit(s, sb.size(), rec, q, j);
        canon = sb;
        canon[bit / 8] = char(uint8_t(canon[bit / 8]) | uint8_t(1u << (bit % 8)));
        uint64_t fp = fingerprint(canon);
        if (!table_.insert(fp))
          return;
        State next = s;
        next.known[size_t(layout_.knownIndex(rec, q))].insert(
            s.pool[size_t(rec)].elems[j]);
        admit(fp, canon, next);
      };
      try {
        gen_.successors(
            s, false,
            [&](State &&next, const Action *) {
              ++nsucc;
              sym_.canonicalBytes(next, canon, scratch);
              uint64_t fp = fingerprint(canon);
              if (!table_.insert(fp))
                return;
              admit(fp, canon, next);
            },
            sym_.active() ? nullptr : &onDeliver);
        if (nsucc == 0 && options_.deadlock && !gen_.terminated(s))
          record({CheckResult::Verdict::Deadlock, "", "", {}, uint32_t(id), false, 0});
      } catch (const EvalError &e) {
        record({CheckResult::Verdict::EvalError, "", e.what(), e.loc, uint32_t(id),
                false, 0});
      }
      generated_ += nsucc;
      succCount_ += nsucc;
      ++expanded_;
    }
  }
}

void Search::expandLevel() {
  outs_.assign(size_t(options_.workers), std::string());
  if (options_.workers <= 1) {
    worker(0);
  } else {
    std::vector<std::thread> threads;
    for (int w = 0; w < options_.workers; ++w)
      threads.emplace_back([this, w] { worker(w); });
    for (auto &t : threads)
      t.join();
  }
}

void Search::progressLoop() {
  std::unique_lock<std::mutex> lock(progressMutex_);
  uint64_t lastGen = 0;
  auto last = std::chrono::steady_clock::now();
  while (!progressCv_.wait_for(lock, std::chrono::seconds(2), [this] { return done_; })) {
    auto now = std::chrono::steady_clock::now();
    double dt = std::chrono::duration<double>(now - last).count();
    uint64_t gen = generated_;
    std::cerr << fmt::format("progress: {} generated, {} distinct, {} queued, depth "
                             "{}, {:.0f} states/s, {} MB\n",
                             gen, table_.size(), queueSize_.load(), depth_,
                             double(gen - lastGen) / (dt > 0 ? dt : 1),
                             currentRssBytes() >> 20);
    lastGen = gen;
    last = now;
  }
}

CheckResult Search::run() {
  start_ = std::chrono::steady_clock::now();
  CheckResult res;
  res.symmetry = sym_.description();
  std::thread progress;
  if (options_.progress)
    progress = std::thread([this] { progressLoop(); });
  auto finish = [&] {
    if (progress.joinable()) {
      {
        std::lock_guard<std::mutex> lock(progressMutex_);
        done_ = true;
      }
      progressCv_.notify_all();
      progress.join();
    }
  };

  size_t budget = options_.maxMemoryMB ? size_t(options_.maxMemoryMB) << 18
                                       : size_t(1) << 30;
  auto level = std::make_unique<LevelQueue>(budget);
  std::string canon, scratch;
  try {
    gen_.initialStates([&](State &&s, const Action *) {
      if (haveFinding_)
        return;
      ++generated_;
      sym_.canonicalBytes(s, canon, scratch);
      uint64_t fp = fingerprint(canon);
      if (!table_.insert(fp))
        return;
      uint32_t id = uint32_t(fps_.size());
      fps_.push_back(fp);
      parents_.push_back(NoParent);
      level->push(id, canon);
      try {
        std::string inv = gen_.violatedInvariant(s);
        if (!inv.empty())
          record({CheckResult::Verdict::InvariantViolated, inv, "", {}, id, false, 0});
      } catch (const EvalError &e) {
        record({CheckResult::Verdict::EvalError, "", e.what(), e.loc, id, false, 0});
      }
    });
  } catch (const EvalError &e) {
    record({CheckResult::Verdict::EvalError, "", e.what(), e.loc, NoParent, false, 0});
  }
  depth_ = fps_.empty() ? 0 : 1;
  while (!stop_ && level->size() > 0) {
    if (checkLimits()) {
      stop_ = true;
      break;
    }
    cur_ = level.get();
    queueSize_ = level->size();
    expandLevel();
    if (stop_)
      break;
    auto next = std::make_unique<LevelQueue>(budget);
    for (auto &out : outs_) {
      size_t pos = 0;
      std::string bytes;
      while (pos < out.size()) {
        uint64_t parent = 0, len = 0, fp = 0;
        getVarint(out, pos, parent);
        std::memcpy(&fp, out.data() + pos, 8);
        pos += 8;
        getVarint(out, pos, len);
        bytes.assign(out, pos, len);
        pos += len;
        uint32_t id = uint32_t(fps_.size());
        fps_.push_back(fp);
        parents_.push_back(uint32_t(parent));
        next->push(id, bytes);
      }
      std::string().swap(out);
    }
    if (next->size() > 0)
      ++depth_;
    level = std::move(next);
    if (fps_.size() >= NoParent - 1) {
      limitHit_ = "state ids exhausted (4G states)";
      stop_ = true;
    }
  }
  res.queueLeft = level->size();
  res.generated = generated_;
  res.distinct = table_.size();
  res.depth = depth_;
  if (haveFinding_) {
    res.verdict = finding_.verdict;
    res.name = finding_.name;
    res.message = finding_.message;
    res.loc = finding_.loc;
    buildTrace(res);
  } else if (!limitHit_.empty()) {
    res.verdict = CheckResult::Verdict::ResourceLimit;
    res.name = limitHit_;
  }
  finish();
  res.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  res.peakRssBytes = peakRssBytes();
  return res;
}

void Search::buildTrace(CheckResult &res) {
  std::vector<uint64_t> chain;
  if (finding_.extra)
    chain.push_back(finding_.extraFp);
  for (uint32_t id = finding_.stateId; id != NoParent; id = parents_[id])
    chain.push_back(fps_[id]);
  std::reverse(chain.begin(), chain.end());
  if (chain.empty())
    return;
  try {
    replayTrace(gen_, sym_, chain, res.trace);
  } catch (const EvalError &) {
    // The trace ends where the error was raised; keep what was rebuilt.
  }
}

} // namespace

CheckResult explore(const ir::Program &program, const CheckOptions &options) {
  CheckOptions opts = options;
  if (opts.workers < 1)
    opts.workers = 1;
  CheckResult res;
  {
    Search search(program, opts);
    res = search.run();
  }
  if (res.verdict == CheckResult::Verdict::Ok && opts.liveness &&
      !program.properties.empty()) {
    CheckResult live = checkProperties(program, opts);
    if (live.verdict != CheckResult::Verdict::Ok) {
      live.generated = res.generated;
      live.distinct = res.distinct;
      live.depth = res.depth;
      live.symmetry = res.symmetry;
      return live;
    }
  }
  return res;
}

} // namespace mommie::checker
