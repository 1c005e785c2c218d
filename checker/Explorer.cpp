// The breadth-first explorer (see Explorer.h for the algorithm).
#include "checker/Explorer.h"

#include "checker/Compact.h"
#include "checker/FingerprintSet.h"
#include "checker/LevelQueue.h"
#include "checker/Liveness.h"
#include "checker/Retire.h"
#include "checker/Symmetry.h"
#include "checker/TraceStore.h"
#include "ir/Resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

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

void setEvalError(CheckResult &r, const EvalError &e) {
  r.verdict = e.limit ? CheckResult::Verdict::ResourceLimit
                      : CheckResult::Verdict::EvalError;
  if (e.limit)
    r.name = fmt::format("{} at {}:{}:{}", e.what(), e.loc.file, e.loc.line,
                         e.loc.col);
  else
    r.message = e.what();
  r.loc = e.loc;
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

static uint64_t peakRssBytes() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stoull(line.substr(6)) * 1024;
  return residentBytes();
}

bool replayTrace(const Generator &gen, const FingerprintOf &fpOf,
                 const std::vector<uint64_t> &fps,
                 std::vector<TraceStep> &out) {
  out.clear();
  if (fps.empty())
    return false;
  bool found = false;
  gen.initialStates([&](State &&s, const Action *a) {
    if (found)
      return;
    if (fpOf(s) == fps[0]) {
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
      if (fpOf(s) == fps[k]) {
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

constexpr uint64_t NoParent = TraceStore::NoParent;

// Where the search stopped on a finding.
struct Finding {
  CheckResult::Verdict verdict = CheckResult::Verdict::Ok;
  std::string name, message;
  ir::SourceLoc loc;
  uint64_t stateId = NoParent; // the last state with a trace record
  bool extra = false;          // plus one state without a record
  uint64_t extraFp = 0;
};

// The finding of an evaluation error after state `stateId` (plus one
// state `extraFp` when `extra`): an error of the program, or an
// implementation limit met while evaluating, named with its place.
Finding evalFinding(const EvalError &e, uint64_t stateId, bool extra,
                    uint64_t extraFp) {
  CheckResult r;
  setEvalError(r, e);
  return {r.verdict, r.name, r.message, r.loc, stateId, extra, extraFp};
}

using Level = std::vector<std::unique_ptr<LevelQueue>>;

// The words one transition at one principal depends on (Compact::
// transitionKey) and a salt naming the (role, principal, plan).
struct TransKey {
  bool ok = false;
  uint64_t salt = 0;
  std::vector<std::pair<size_t, uint32_t>> words;
};

// Successors of transitions by the key of the words they depend on, as
// operation lists (see Search::worker). Sharded; stops growing at its
// memory budget (a miss only costs running the transition).
class TransCache {
public:
  explicit TransCache(size_t budget) : budget_(budget) {}
  bool lookup(uint64_t key, std::vector<uint32_t> &ops) {
    Shard &sh = shards_[key % Shards];
    std::lock_guard<std::mutex> lock(sh.mutex);
    auto it = sh.map.find(key);
    if (it == sh.map.end())
      return false;
    ops = it->second;
    return true;
  }
  void store(uint64_t key, const std::vector<uint32_t> &ops) {
    size_t cost = 64 + ops.capacity() * sizeof(uint32_t);
    if (bytes_.load(std::memory_order_relaxed) + cost > budget_)
      return;
    Shard &sh = shards_[key % Shards];
    std::lock_guard<std::mutex> lock(sh.mutex);
    if (sh.map.emplace(key, ops).second)
      bytes_.fetch_add(cost, std::memory_order_relaxed);
  }

private:
  static constexpr size_t Shards = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<uint64_t, std::vector<uint32_t>> map;
  };
  Shard shards_[Shards];
  size_t budget_;
  std::atomic<size_t> bytes_{0};
};

class Search {
public:
  Search(const ir::Program &program, const CheckOptions &options)
      : layout_(program), gen_(layout_), sym_(layout_, options.symmetry),
        options_(options), compact_(layout_, interner_),
        trace_(options.workers), retire_(gen_) {
    queueBudget_ =
        options.maxMemoryMB
            ? std::max<size_t>(size_t(options.maxMemoryMB) << 14, 1 << 16)
            : size_t(8) << 20;
    const auto &prog = layout_.program();
    transKeys_.resize(prog.roles.size());
    for (size_t r = 0; r < prog.roles.size(); ++r) {
      const auto &set = prog.principalSets[prog.roles[r].principalSet];
      transKeys_[r].resize(size_t(layout_.numPrincipals()));
      for (int i = 0; i < set.size; ++i) {
        int p = set.first + i;
        auto &keys = transKeys_[r][size_t(p)];
        keys.resize(prog.roles[r].transitions.size());
        for (size_t ti = 0; ti < keys.size(); ++ti) {
          keys[ti].ok =
              compact_.transitionKey(int(r), int(ti), p, keys[ti].words);
          keys[ti].salt =
              mum(mum(mum(r + 1, 0x9E3779B97F4A7C15ull) ^ uint64_t(p + 1),
                      0xD6E8FEB86659FD93ull) ^
                      uint64_t(ti + 1),
                  0xA0761D6478BD642Full);
        }
      }
    }
    // The knowledge words a retire clause reads: a state whose words are
    // all empty retires nothing and skips the check.
    if (options.retireCheck && retire_.active())
      for (size_t r = 0; r < prog.roles.size(); ++r) {
        const auto &set = prog.principalSets[prog.roles[r].principalSet];
        for (int rec = 0; rec < layout_.numRecords(); ++rec)
          if (retire_.retires(int(r), rec))
            for (int i = 0; i < set.size; ++i)
              retireWords_.push_back(compact_.knownWord(rec, set.first + i));
      }
    invCache_ = !layout_.program().invariants.empty() &&
                compact_.invariantWords(invWords_) &&
                invWords_.size() < compact_.words();
    if (invCache_) {
      size_t n = size_t(1) << 19;
      invOk_.reset(new std::atomic<uint64_t>[n]);
      for (size_t i = 0; i < n; ++i)
        invOk_[i].store(0, std::memory_order_relaxed);
      invMask_ = n - 1;
    }
  }

  CheckResult run();

private:
  void expandLevel();
  void worker(int w);
  void expandShare(int w); // worker() without its catch
  void record(Finding f);
  void progressLoop();
  bool checkLimits(bool memory = true);
  // Counts a new distinct state (just inserted into the table) against
  // --max-states: false, and the search stops, for each one past the limit,
  // which is then neither checked, queued nor counted. A search therefore
  // stops with exactly --max-states distinct states.
  bool admit();
  void buildTrace(CheckResult &res);
  uint64_t fingerprintOf(const State &s);
  uint64_t invariantKey(const uint32_t *words) const {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i : invWords_)
      h = mum(h ^ words[i], 0xff51afd7ed558ccdull);
    h = mum(h, 0xc4ceb9fe1a85ec53ull);
    return h ? h : 1;
  }

  Layout layout_;
  Generator gen_;
  Symmetry sym_;
  CheckOptions options_;
  Interner interner_;
  Compact compact_;
  TraceStore trace_;
  size_t queueBudget_;
  RetireCheck retire_;
  std::vector<size_t> retireWords_; // knowledge words retire clauses read
  std::vector<std::vector<std::vector<TransKey>>> transKeys_; // [role][p][plan]
  TransCache transCache_{size_t(64) << 20};
  // Invariant verdict cache: keys of invariant-visible words that passed
  // (direct-mapped, lossy: a miss only costs an evaluation).
  std::vector<size_t> invWords_;
  bool invCache_ = false;
  std::unique_ptr<std::atomic<uint64_t>[]> invOk_;
  size_t invMask_ = 0;

  FingerprintSet table_;
  Level *cur_ = nullptr;
  size_t curIndex_ = 0;
  std::mutex curMutex_;
  Level outs_; // per worker: the next level's records
  std::shared_mutex growMutex_;
  std::atomic<uint64_t> generated_{0}, succCount_{0}, expanded_{0};
  std::atomic<bool> stop_{false};
  // New distinct states counted against --max-states (admit).
  std::atomic<uint64_t> admitted_{0};
  std::mutex findingMutex_;
  Finding finding_;
  bool haveFinding_ = false;
  std::mutex limitMutex_; // guards limitHit_ (the first limit met wins)
  std::string limitHit_;
  uint64_t depth_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::atomic<uint64_t> queueSize_{0};
  std::mutex progressMutex_;
  std::condition_variable progressCv_;
  bool done_ = false;
};

// Fingerprint of a state as the search computes it: of the canonical bytes
// under symmetry, else of the compact words.
uint64_t Search::fingerprintOf(const State &s) {
  if (sym_.active()) {
    Symmetry::Scratch w;
    sym_.canonical(s, w);
    return fingerprint(w.bytes);
  }
  std::vector<uint32_t> w(compact_.words());
  compact_.encode(s, w.data());
  return hashWords(w.data(), w.size());
}

bool Search::admit() {
  if (!options_.maxStates || admitted_.fetch_add(1) < options_.maxStates)
    return true;
  std::lock_guard<std::mutex> lock(findingMutex_);
  {
    std::lock_guard<std::mutex> lock(limitMutex_);
    if (limitHit_.empty())
      limitHit_ = fmt::format("--max-states {}", options_.maxStates);
  }
  stop_ = true;
  return false;
}

void Search::record(Finding f) {
  std::lock_guard<std::mutex> lock(findingMutex_);
  if (!haveFinding_) {
    finding_ = std::move(f);
    haveFinding_ = true;
  }
  stop_ = true;
}

bool Search::checkLimits(bool memory) {
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  std::string hit;
  if (options_.timeLimit > 0 && secs > options_.timeLimit)
    hit = fmt::format("--time-limit {}", options_.timeLimit);
  else if (options_.maxMemoryMB && memory &&
           residentBytes() > options_.maxMemoryMB * uint64_t(1024 * 1024))
    hit = fmt::format("--max-memory {}", options_.maxMemoryMB);
  if (hit.empty())
    return false;
  std::lock_guard<std::mutex> lock(limitMutex_); // workers and the watchdog
  if (limitHit_.empty())
    limitHit_ = std::move(hit);
  return true;
}

// Effects of one successor of a cached transition, as operations on the
// parent's words: Set (word = a), Mask (word = word & ~a | b), Add (word =
// the set `word` with element id a).
enum : uint32_t { OpSet = 0, OpMask = 1, OpAdd = 2 };

void Search::worker(int w) {
  try {
    expandShare(w);
  } catch (const EvalInterrupted &) { // the watchdog stopped the search
    stop_ = true;
  }
}

void Search::expandShare(int w) {
  LevelQueue &out = *outs_[size_t(w)];
  const size_t W = compact_.words();
  const size_t rowBytes = W * sizeof(uint32_t);
  const bool constrained = gen_.hasConstraints();
  const auto &prog = layout_.program();
  std::string bytes;
  Symmetry::Scratch canon;
  std::vector<uint64_t> batchIds;
  std::vector<uint32_t> batch, prev(W), succ(W), enc(W), invPrev(W), ops;
  bool havePrev = false, haveInvPrev = false;
  State s, invState;
  uint64_t batches = 0;
  const bool fast = !sym_.active() && !prog.isRoundProgram();
  std::unordered_map<uint32_t, std::vector<int>> verifiersOf; // statement id
  while (!stop_.load(std::memory_order_relaxed)) {
    if (++batches % 16 == 0) {
      std::lock_guard<std::mutex> lock(findingMutex_);
      if (!stop_ && checkLimits(batches % 256 == 0)) {
        stop_ = true;
        return;
      }
    }
    // Grow the table if a batch could overfill it.
    double avg = expanded_ ? double(succCount_) / double(expanded_) : 64.0;
    size_t room = table_.capacity() / 4 * 3;
    while (table_.size() + 4096 + size_t(avg * 64) * size_t(options_.workers) >=
           room) {
      std::unique_lock<std::shared_mutex> lock(growMutex_);
      if (table_.size() + 4096 + size_t(avg * 64) * size_t(options_.workers) >=
          table_.capacity() / 4 * 3)
        table_.grow();
      room = table_.capacity() / 4 * 3;
    }
    size_t want = size_t(double(room - table_.size()) / (avg + 1.0) /
                         double(options_.workers) / 2.0);
    want = std::max<size_t>(1, std::min<size_t>(want, 256));
    batchIds.clear();
    batch.clear();
    {
      std::lock_guard<std::mutex> lock(curMutex_);
      uint64_t id;
      while (batchIds.size() < want && curIndex_ < cur_->size()) {
        if (!(*cur_)[curIndex_]->pop(id, bytes)) {
          ++curIndex_;
          continue;
        }
        if (bytes.size() != rowBytes)
          continue;
        batchIds.push_back(id);
        size_t at = batch.size();
        batch.resize(at + W);
        std::memcpy(batch.data() + at, bytes.data(), rowBytes);
      }
      if (queueSize_ >= batchIds.size())
        queueSize_ -= batchIds.size();
    }
    if (batchIds.empty())
      return;
    std::shared_lock<std::shared_mutex> lock(growMutex_);
    for (size_t b = 0; b < batchIds.size(); ++b) {
      if (stop_.load(std::memory_order_relaxed))
        return;
      uint64_t id = batchIds[b];
      const uint32_t *parent = batch.data() + b * W;
      // The parent as a State, decoded only when something needs it.
      bool decoded = false;
      auto parentState = [&]() -> State & {
        if (!decoded) {
          compact_.decode(parent, s, havePrev ? prev.data() : nullptr);
          std::memcpy(prev.data(), parent, rowBytes);
          havePrev = decoded = true;
        }
        return s;
      };
      // A successor's State from its words (incrementally, for invariants).
      auto stateOf = [&](const uint32_t *words) -> const State & {
        compact_.decode(words, invState,
                        haveInvPrev ? invPrev.data() : nullptr);
        std::memcpy(invPrev.data(), words, rowBytes);
        haveInvPrev = true;
        return invState;
      };
      uint64_t nsucc = 0;
      // A new distinct state: record it and queue it.
      auto enqueue = [&](uint64_t fp, const uint32_t *words) {
        uint64_t tid = trace_.append(w, id, fp);
        out.push(tid, words, rowBytes);
      };
      // Checks the invariants on a new state, unless a state with the same
      // invariant-visible words passed them already.
      uint64_t invKey = 0;
      auto invariantsCached = [&](const uint32_t *words) {
        if (!invCache_)
          return false;
        invKey = invariantKey(words);
        return invOk_[invKey & invMask_].load(std::memory_order_relaxed) ==
               invKey;
      };
      auto invariantsHold = [&](uint64_t fp, const State &next) {
        std::string inv;
        try {
          inv = gen_.violatedInvariant(next);
        } catch (const EvalError &e) {
          record(evalFinding(e, id, true, fp));
          return false;
        }
        if (!inv.empty()) {
          record({CheckResult::Verdict::InvariantViolated,
                  inv,
                  "",
                  {},
                  id,
                  true,
                  fp});
          return false;
        }
        if (invCache_)
          invOk_[invKey & invMask_].store(invKey, std::memory_order_relaxed);
        return true;
      };
      // A new state outside the model's constraints (TLC's CONSTRAINT): its
      // invariants are checked, but it is neither counted nor expanded. A
      // state already in the table passed the constraints when it was added.
      auto outsideConstraints = [&](uint64_t fp, const uint32_t *words,
                                    auto &&stateFn) {
        if (table_.contains(fp))
          return false;
        const State &st = stateFn();
        try {
          if (gen_.withinConstraints(st))
            return false;
        } catch (const EvalError &e) {
          record(evalFinding(e, id, true, fp));
          return true;
        }
        if (!invariantsCached(words))
          invariantsHold(fp, st);
        return true;
      };
      // A successor given by its words.
      auto admitWords = [&](const uint32_t *words) {
        uint64_t fp = hashWords(words, W);
        if (constrained &&
            outsideConstraints(
                fp, words, [&]() -> const State & { return stateOf(words); }))
          return;
        if (!table_.insert(fp) || !admit())
          return;
        if (invariantsCached(words) || invariantsHold(fp, stateOf(words)))
          enqueue(fp, words);
      };
      // Built successors (crash, Byzantine, rounds, and all under symmetry).
      Emit onState = [&](State &&next, const Action *) {
        ++nsucc;
        uint64_t fp;
        // One table lookup per successor without constraints, as before them;
        // with them, a new state is inserted only once it is known inside.
        if (sym_.active()) {
          const State &rep = sym_.canonical(next, canon);
          fp = fingerprint(canon.bytes);
          if (constrained ? table_.contains(fp) : !table_.insert(fp))
            return; // seen: no need to encode it
          compact_.encode(rep, enc.data());
        } else {
          compact_.encode(next, enc.data());
          fp = hashWords(enc.data(), W);
          if (!constrained && !table_.insert(fp))
            return;
        }
        if (constrained &&
            (outsideConstraints(fp, enc.data(),
                                [&]() -> const State & { return next; }) ||
             !table_.insert(fp)))
          return;
        if (!admit())
          return;
        if (invariantsCached(enc.data()) || invariantsHold(fp, next))
          enqueue(fp, enc.data());
      };
      // Applies one successor's operations (ops[from, to)) to the parent.
      auto applyOps = [&](size_t from, size_t to) {
        std::memcpy(succ.data(), parent, rowBytes);
        for (size_t k = from; k + 4 <= to; k += 4) {
          uint32_t op = ops[k], word = ops[k + 1], a = ops[k + 2],
                   bb = ops[k + 3];
          if (op == OpSet)
            succ[word] = a;
          else if (op == OpMask)
            succ[word] = (succ[word] & ~a) | bb;
          else
            succ[word] = interner_.add(succ[word], a);
        }
      };
      // A transition ran on the parent in place: its effect as operations.
      FireEmit onFire = [&](State &m, const FireEffect &e) {
        size_t start = ops.size();
        ops.push_back(0); // operation count, patched below
        for (size_t vi : *e.changedVars)
          ops.insert(ops.end(), {OpSet, uint32_t(compact_.varWord(vi)),
                                 interner_.intern(m.vars[vi]), 0});
        size_t nt = prog.roles[size_t(e.role)].timers.size();
        for (size_t k = 0; k < nt; ++k) {
          size_t ti = size_t(layout_.timerIndex(e.role, e.principal, int(k)));
          uint32_t word = uint32_t(compact_.timerWord(ti)),
                   mask = compact_.timerMask(ti);
          ops.insert(ops.end(), {OpMask, word, mask, m.timers[ti] ? mask : 0u});
        }
        if (e.firedIndex >= 0) {
          size_t fw = compact_.firedWord(size_t(e.firedIndex));
          ops.insert(ops.end(),
                     {OpSet, uint32_t(fw),
                      interner_.add(parent[fw], interner_.intern(*e.binding)),
                      0});
        }
        for (const auto &pub : *e.published) {
          uint32_t sid = interner_.intern(pub.statement);
          ops.insert(ops.end(),
                     {OpAdd, uint32_t(compact_.poolWord(pub.record)), sid, 0});
          ops.insert(ops.end(),
                     {OpAdd,
                      uint32_t(compact_.knownWord(pub.record, e.principal)),
                      sid, 0});
        }
        ops[start] = uint32_t((ops.size() - start - 1) / 4);
      };
      // Runs the successors recorded in ops (count-prefixed groups).
      auto runOps = [&]() {
        size_t k = 0;
        while (k < ops.size()) {
          size_t n = ops[k];
          ++nsucc;
          applyOps(k + 1, k + 1 + 4 * n);
          admitWords(succ.data());
          if (stop_.load(std::memory_order_relaxed))
            return;
          k += 1 + 4 * n;
        }
      };
      // Transition (role, principal, plan): from the cache of successors
      // keyed by the words it depends on, else by running it.
      auto transition = [&](int r, int p, int ti) {
        const TransKey &tk = transKeys_[size_t(r)][size_t(p)][size_t(ti)];
        uint64_t key = 0;
        ops.clear();
        if (tk.ok) {
          key = tk.salt;
          for (const auto &[word, mask] : tk.words)
            key = mum(key ^ (parent[word] & mask), 0xff51afd7ed558ccdull);
          key = mum(key, 0xc4ceb9fe1a85ec53ull) | 1;
          if (transCache_.lookup(key, ops)) {
            runOps();
            return;
          }
        }
        try {
          gen_.transitionInPlace(parentState(), r, p, ti, onFire);
        } catch (const EvalError &) {
          runOps(); // the successors before the error come first, as before
          throw;
        }
        if (tk.ok)
          transCache_.store(key, ops);
        runOps();
      };
      // Deliver: one knowledge set of the parent grows by one statement.
      auto deliverAll = [&] {
        for (int rec = 0; rec < layout_.numRecords(); ++rec) {
          const auto &sids = interner_.elemIds(parent[compact_.poolWord(rec)]);
          for (uint32_t sid : sids) {
            auto it = verifiersOf.find(sid);
            if (it == verifiersOf.end()) {
              Value tmp;
              std::vector<int> ver;
              for (const auto &q :
                   interner_.value(sid, tmp).elems()[StmtVer].elems())
                ver.push_back(int(q.scalar()));
              it = verifiersOf.emplace(sid, std::move(ver)).first;
            }
            for (int q : it->second) {
              if (q < 0 || q >= layout_.numPrincipals() ||
                  !compact_.live(parent, q))
                continue;
              size_t kw = compact_.knownWord(rec, q);
              const auto &kids = interner_.elemIds(parent[kw]);
              if (std::find(kids.begin(), kids.end(), sid) != kids.end())
                continue;
              ++nsucc;
              std::memcpy(succ.data(), parent, rowBytes);
              succ[kw] = interner_.add(succ[kw], sid);
              admitWords(succ.data());
            }
          }
        }
      };
      // Crash steps on the words, in the order of Generator::crashSuccessors.
      auto crashAll = [&] {
        for (const auto &f : prog.faults) {
          if (!f.crashes())
            continue;
          const auto &set = prog.principalSets[f.principalSet];
          int64_t n = 0;
          for (int i = 0; i < set.size; ++i)
            n += compact_.crashed(parent, set.first + i);
          if (n >= f.max)
            continue;
          for (int i = 0; i < set.size; ++i) {
            int p = set.first + i;
            if (!compact_.live(parent, p))
              continue;
            ++nsucc;
            std::memcpy(succ.data(), parent, rowBytes);
            compact_.setCrashed(succ.data(), p);
            admitWords(succ.data());
          }
        }
      };
      try {
        if (fast) {
          // The order of Generator::successors: transitions per role,
          // principal and plan, Deliver, Crash, Recover, Byzantine publish.
          for (size_t r = 0; r < prog.roles.size(); ++r) {
            const auto &set = prog.principalSets[prog.roles[r].principalSet];
            for (int i = 0; i < set.size; ++i) {
              int p = set.first + i;
              if (!compact_.live(parent, p))
                continue;
              for (size_t ti = 0; ti < prog.roles[r].transitions.size(); ++ti)
                transition(int(r), p, int(ti));
            }
          }
          deliverAll();
          if (layout_.hasCrash())
            crashAll();
          if (layout_.hasRecover()) {
            bool anyCrashed = false;
            for (int p = 0; p < layout_.numPrincipals() && !anyCrashed; ++p)
              anyCrashed = compact_.crashed(parent, p);
            if (anyCrashed) // on the built state, as Byzantine steps
              gen_.recoveries(parentState(), onState);
          }
          if (layout_.hasByz())
            gen_.byzantineSuccessors(parentState(), onState);
        } else {
          gen_.successors(parentState(), false, onState);
        }
        if (nsucc == 0 && options_.deadlock && !gen_.terminated(parentState()))
          record({CheckResult::Verdict::Deadlock, "", "", {}, id, false, 0});
        // Collecting what the state retires commutes with every step.
        bool mayRetire = false;
        for (size_t word : retireWords_)
          mayRetire = mayRetire || !interner_.elemIds(parent[word]).empty();
        if (mayRetire)
          if (auto f = retire_.check(parentState()))
            record({CheckResult::Verdict::InvariantViolated, f->name,
                    f->message, f->loc, id, false, 0});
      } catch (const EvalError &e) {
        record(evalFinding(e, id, false, 0));
        havePrev = false;
      }
      generated_ += nsucc;
      succCount_ += nsucc;
      ++expanded_;
    }
  }
}

void Search::expandLevel() {
  outs_.clear();
  for (int w = 0; w < options_.workers; ++w)
    outs_.push_back(std::make_unique<LevelQueue>(queueBudget_));
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

// Progress lines every 2 s (--progress), and the watchdog of --time-limit
// and --max-memory: past one, the search stops and an evaluation under way
// is interrupted (evalInterrupt), however long it would take.
void Search::progressLoop() {
  std::unique_lock<std::mutex> lock(progressMutex_);
  uint64_t lastGen = 0;
  auto last = std::chrono::steady_clock::now();
  while (!progressCv_.wait_for(lock, std::chrono::milliseconds(100),
                               [this] { return done_; })) {
    if ((options_.timeLimit > 0 || options_.maxMemoryMB) && !stop_ &&
        checkLimits()) {
      stop_ = true;
      evalInterrupt = true;
    }
    auto now = std::chrono::steady_clock::now();
    if (!options_.progress || now - last < std::chrono::seconds(2))
      continue;
    double dt = std::chrono::duration<double>(now - last).count();
    uint64_t gen = generated_;
    std::cerr << fmt::format(
        "progress: {} generated, {} distinct, {} queued, depth "
        "{}, {:.0f} states/s, {} MB\n",
        gen, table_.size(), queueSize_.load(), depth_,
        double(gen - lastGen) / (dt > 0 ? dt : 1), residentBytes() >> 20);
    lastGen = gen;
    last = now;
  }
}

static uint64_t levelSize(const Level &level) {
  uint64_t n = 0;
  for (const auto &q : level)
    n += q->size();
  return n;
}

CheckResult Search::run() {
  start_ = std::chrono::steady_clock::now();
  CheckResult res;
  res.symmetry = sym_.description();
  evalInterrupt = false;
  std::thread progress;
  if (options_.progress || options_.timeLimit > 0 || options_.maxMemoryMB)
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
    evalInterrupt = false;
  };

  Level level;
  level.push_back(std::make_unique<LevelQueue>(queueBudget_));
  const size_t W = compact_.words();
  std::vector<uint32_t> words(W);
  Symmetry::Scratch canon;
  // Thrown out of the enumeration of initial states once a limit stops the
  // search: there may be far more initial states than the limits allow.
  struct Stopped {};
  try {
    gen_.initialStates([&](State &&s, const Action *) {
      if (haveFinding_ || stop_)
        throw Stopped{};
      // A clock read per state (one may take long to canonicalise), the
      // resident size every 1024.
      if (checkLimits(++generated_ % 1024 == 0)) {
        stop_ = true;
        throw Stopped{};
      }
      uint64_t fp;
      if (sym_.active()) {
        const State &rep = sym_.canonical(s, canon);
        fp = fingerprint(canon.bytes);
        compact_.encode(rep, words.data());
      } else {
        compact_.encode(s, words.data());
        fp = hashWords(words.data(), W);
      }
      // An initial state outside the constraints is checked, not counted.
      bool outside = false;
      try {
        outside = !table_.contains(fp) && !gen_.withinConstraints(s);
      } catch (const EvalError &e) {
        record(evalFinding(e, NoParent, false, 0));
        return;
      }
      if (!outside && (!table_.insert(fp) || !admit()))
        return;
      uint64_t id = trace_.append(0, NoParent, fp);
      if (!outside)
        level[0]->push(id, words.data(), W * sizeof(uint32_t));
      try {
        std::string inv = gen_.violatedInvariant(s);
        if (!inv.empty())
          record({CheckResult::Verdict::InvariantViolated,
                  inv,
                  "",
                  {},
                  id,
                  false,
                  0});
      } catch (const EvalError &e) {
        record(evalFinding(e, id, false, 0));
      }
    });
  } catch (const EvalError &e) {
    record(evalFinding(e, NoParent, false, 0));
  } catch (const Stopped &) {
  } catch (const EvalInterrupted &) { // the watchdog stopped the search
  }
  depth_ = table_.size() == 0 ? 0 : 1;
  while (!stop_ && levelSize(level) > 0) {
    if (checkLimits()) {
      stop_ = true;
      break;
    }
    cur_ = &level;
    curIndex_ = 0;
    queueSize_ = levelSize(level);
    expandLevel();
    if (stop_)
      break;
    if (levelSize(outs_) > 0)
      ++depth_;
    level = std::move(outs_);
    outs_.clear();
  }
  finish(); // no interruption from here: the trace below evaluates
  res.queueLeft = levelSize(level) + levelSize(outs_);
  res.generated = generated_;
  // A state refused by admit() may sit in the table, uncounted.
  res.distinct = options_.maxStates
                     ? std::min<uint64_t>(table_.size(), options_.maxStates)
                     : table_.size();
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
  res.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  res.peakRssBytes = peakRssBytes();
  return res;
}

void Search::buildTrace(CheckResult &res) {
  std::vector<uint64_t> chain;
  if (finding_.extra)
    chain.push_back(finding_.extraFp);
  for (uint64_t id = finding_.stateId; id != NoParent;) {
    uint64_t parent = NoParent, fp = 0;
    if (!trace_.read(id, parent, fp))
      return;
    chain.push_back(fp);
    id = parent;
  }
  std::reverse(chain.begin(), chain.end());
  if (chain.empty())
    return;
  try {
    replayTrace(
        gen_, [this](const State &s) { return fingerprintOf(s); }, chain,
        res.trace);
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
    auto t0 = std::chrono::steady_clock::now();
    CheckResult live = checkProperties(program, opts);
    // The summary counts both searches: their time and the peak memory.
    double liveSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    res.seconds += liveSeconds;
    res.propertiesHeld = live.propertiesHeld;
    res.livenessStates = live.livenessStates;
    res.livenessSeconds = liveSeconds;
    res.peakRssBytes = std::max(res.peakRssBytes, peakRssBytes());
    if (live.verdict != CheckResult::Verdict::Ok) {
      live.generated = res.generated;
      live.distinct = res.distinct;
      live.depth = res.depth;
      live.symmetry = res.symmetry;
      live.seconds = res.seconds;
      live.peakRssBytes = res.peakRssBytes;
      live.livenessSeconds = liveSeconds;
      return live;
    }
  }
  return res;
}

} // namespace mommie::checker
