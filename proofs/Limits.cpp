// The budget of an obligation (see Limits.h).
#include "proofs/Limits.h"
#include "ir/Resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <malloc.h>

namespace mommie::proofs {

namespace {
thread_local Budget *currentBudget = nullptr;
// Polls between two looks at the clock, and time between two looks at the
// resident size (reading /proc costs microseconds).
constexpr unsigned PollsPerClock = 256;
constexpr auto MemoryEvery = std::chrono::milliseconds(10);

char *sharedStage = nullptr; // set in an isolated child
size_t sharedStageSize = 0;
void (*limitHandler)(const std::string &) = nullptr;

void publishStage(const char *name) {
  if (sharedStage && name)
    std::snprintf(sharedStage, sharedStageSize, "%s", name);
}

[[noreturn]] void raise(std::string reason) {
  if (limitHandler)
    limitHandler(reason);
  throw LimitReached{std::move(reason)};
}
} // namespace

void becomeIsolatedChild(char *stageBuffer, size_t size,
                         void (*onLimit)(const std::string &reason)) {
  sharedStage = stageBuffer;
  sharedStageSize = size;
  limitHandler = onLimit;
  if (currentBudget)
    publishStage(currentBudget->stage());
}

uint64_t defaultMaxMemoryMb() {
  return std::max<uint64_t>(physicalMemoryBytes() / 2 >> 20, 256);
}

Budget::Budget(const Limits &limits)
    : parent_(currentBudget), start_(Clock::now()),
      timeoutMs_(limits.timeoutMs), maxMemoryMb_(limits.maxMemoryMb) {
  if (timeoutMs_) {
    hasDeadline_ = true;
    deadline_ = start_ + std::chrono::milliseconds(timeoutMs_);
  }
  if (parent_) {
    if (parent_->hasDeadline_ &&
        (!hasDeadline_ || parent_->deadline_ < deadline_)) {
      hasDeadline_ = true;
      deadline_ = parent_->deadline_;
      start_ = parent_->start_;
      timeoutMs_ = parent_->timeoutMs_;
    }
    if (parent_->maxMemoryMb_ &&
        (!maxMemoryMb_ || parent_->maxMemoryMb_ < maxMemoryMb_))
      maxMemoryMb_ = parent_->maxMemoryMb_;
    stage_ = parent_->stage_;
  }
  lastMemoryCheck_ = start_;
  currentBudget = this;
  publishStage(stage_);
}

Budget::~Budget() {
  currentBudget = parent_;
  // What the obligation built is freed by now: give it back to the system,
  // or the next obligation could start above the memory limit.
  if (maxMemoryMb_ && !parent_)
    malloc_trim(0);
}

Budget *Budget::current() { return currentBudget; }

Budget::Stage::Stage(const char *name)
    : budget_(currentBudget), previous_(budget_ ? budget_->stage_ : nullptr) {
  if (budget_)
    budget_->stage_ = name;
  publishStage(name);
}

Budget::Stage::~Stage() {
  if (budget_)
    budget_->stage_ = previous_;
  publishStage(previous_);
}

void Budget::check() {
  auto now = Clock::now();
  if (hasDeadline_ && now >= deadline_)
    raise(
        fmt::format("timeout after {:g} s in {}", timeoutMs_ / 1000.0, stage_));
  lastMemoryCheck_ = now;
  if (maxMemoryMb_ && residentBytes() > maxMemoryMb_ << 20)
    memoryReached();
}

void Budget::memoryReached() {
  raise(fmt::format("memory limit {} MB reached in {}", maxMemoryMb_, stage_));
}

void Budget::poll() {
  if (++polls_ % PollsPerClock)
    return;
  auto now = Clock::now();
  if ((hasDeadline_ && now >= deadline_) ||
      (maxMemoryMb_ && now - lastMemoryCheck_ >= MemoryEvery))
    check();
}

unsigned Budget::solverTimeoutMs() const {
  if (!hasDeadline_)
    return 0;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline_ - Clock::now())
                  .count();
  return static_cast<unsigned>(std::max<long long>(left, 1));
}

void pollLimits() {
  if (currentBudget)
    currentBudget->poll();
}

void checkLimits() {
  if (currentBudget)
    currentBudget->check();
}

unsigned solverTimeoutMs(unsigned requestedMs) {
  unsigned left = currentBudget ? currentBudget->solverTimeoutMs() : 0;
  if (!left)
    return requestedMs;
  return requestedMs ? std::min(requestedMs, left) : left;
}

uint64_t solverMemoryMb() {
  if (!currentBudget || !currentBudget->maxMemoryMb())
    return 0;
  uint64_t used = residentBytes() >> 20, limit = currentBudget->maxMemoryMb();
  return used < limit ? limit - used : 1;
}

} // namespace mommie::proofs
