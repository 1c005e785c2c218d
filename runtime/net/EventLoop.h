// A single-threaded epoll event loop with one-shot timers on the monotonic
// clock (std::chrono::steady_clock). File descriptors register a callback
// receiving the epoll event mask; timers are kept in a min-heap and the
// loop sleeps in epoll_wait until the earliest deadline.
//
// Virtual time (EventLoop::Virtual, `mommie sim`): no epoll; clock() starts
// at a fixed epoch and jumps to the earliest timer when nothing is posted,
// so a run is a deterministic function of the callbacks (timers fire in
// (deadline, creation) order). run() returns once nothing is posted and no
// timer is left (quiescence).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_map>
#include <vector>

namespace mommie::rt {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

class EventLoop {
public:
  using FdCallback = std::function<void(uint32_t events)>;
  using TimerId = uint64_t;

  struct Virtual {};
  EventLoop();
  explicit EventLoop(Virtual);
  ~EventLoop();
  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;

  bool ok() const { return virtual_ || epfd_ >= 0; }
  bool isVirtual() const { return virtual_; }
  bool add(int fd, uint32_t events, FdCallback cb);
  bool modify(int fd, uint32_t events);
  void remove(int fd);

  TimerId after(Millis delay, std::function<void()> cb);
  TimerId at(TimePoint when, std::function<void()> cb);
  void cancel(TimerId id);
  // Runs `cb` on the next loop iteration (before sleeping).
  void post(std::function<void()> cb);

  // Runs until stop() or `deadline` (if given).
  void run();
  void runUntil(TimePoint deadline);
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  static TimePoint now() { return Clock::now(); }
  // This loop's clock: now(), or the virtual time of a Virtual loop.
  TimePoint clock() const { return virtual_ ? vnow_ : Clock::now(); }
  // Virtual loops: whether anything is posted or a timer is pending.
  bool idle();

private:
  void runOnce(TimePoint limit);
  void runVirtual(TimePoint limit);
  struct Timer {
    TimePoint when;
    TimerId id;
    bool operator>(const Timer &o) const {
      return when > o.when || (when == o.when && id > o.id);
    }
  };
  int epfd_ = -1;
  bool virtual_ = false;
  TimePoint vnow_;
  bool stopped_ = false;
  TimerId nextTimer_ = 1;
  std::unordered_map<int, std::shared_ptr<FdCallback>> fds_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> heap_;
  std::unordered_map<TimerId, std::function<void()>> timers_;
  std::vector<std::function<void()>> posted_;
};

} // namespace mommie::rt
