// The epoll event loop (see EventLoop.h).
#include "runtime/net/EventLoop.h"

#include <cerrno>
#include <memory>
#include <sys/epoll.h>
#include <unistd.h>

namespace mommie::rt {

EventLoop::EventLoop() { epfd_ = epoll_create1(EPOLL_CLOEXEC); }

EventLoop::EventLoop(Virtual)
    : virtual_(true), vnow_(TimePoint() + std::chrono::hours(1)) {}

EventLoop::~EventLoop() {
  if (epfd_ >= 0)
    close(epfd_);
}

bool EventLoop::add(int fd, uint32_t events, FdCallback cb) {
  if (virtual_)
    return false;
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0)
    return false;
  fds_[fd] = std::make_shared<FdCallback>(std::move(cb));
  return true;
}

bool EventLoop::modify(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  return epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void EventLoop::remove(int fd) {
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
  fds_.erase(fd);
}

EventLoop::TimerId EventLoop::after(Millis delay, std::function<void()> cb) {
  return at(clock() + delay, std::move(cb));
}

EventLoop::TimerId EventLoop::at(TimePoint when, std::function<void()> cb) {
  TimerId id = nextTimer_++;
  timers_[id] = std::move(cb);
  heap_.push(Timer{when, id});
  return id;
}

void EventLoop::cancel(TimerId id) { timers_.erase(id); }

void EventLoop::post(std::function<void()> cb) {
  posted_.push_back(std::move(cb));
}

void EventLoop::run() {
  if (virtual_)
    return runVirtual(TimePoint::max());
  while (!stopped_)
    runOnce(TimePoint::max());
}

void EventLoop::runUntil(TimePoint deadline) {
  if (virtual_)
    return runVirtual(deadline);
  while (!stopped_ && now() < deadline)
    runOnce(deadline);
}

bool EventLoop::idle() {
  while (!heap_.empty() && !timers_.count(heap_.top().id))
    heap_.pop();
  return posted_.empty() && heap_.empty();
}

void EventLoop::runVirtual(TimePoint limit) {
  while (!stopped_) {
    while (!posted_.empty() && !stopped_) {
      auto batch = std::move(posted_);
      posted_.clear();
      for (auto &cb : batch)
        cb();
    }
    if (stopped_ || idle() || heap_.top().when > limit)
      return;
    Timer top = heap_.top();
    heap_.pop();
    auto it = timers_.find(top.id);
    auto cb = std::move(it->second);
    timers_.erase(it);
    if (top.when > vnow_)
      vnow_ = top.when;
    cb();
  }
}

void EventLoop::runOnce(TimePoint limit) {
  while (!posted_.empty() && !stopped_) {
    auto batch = std::move(posted_);
    posted_.clear();
    for (auto &cb : batch)
      cb();
  }
  if (stopped_)
    return;
  // Drop cancelled timers at the top of the heap.
  while (!heap_.empty() && !timers_.count(heap_.top().id))
    heap_.pop();
  TimePoint wake = limit;
  if (!heap_.empty() && heap_.top().when < wake)
    wake = heap_.top().when;
  int timeoutMs = -1;
  if (wake != TimePoint::max()) {
    auto d = std::chrono::duration_cast<Millis>(wake - now()).count();
    timeoutMs = d <= 0 ? 0 : int(std::min<int64_t>(d + 1, 1000 * 60));
  }
  epoll_event events[64];
  int n = epoll_wait(epfd_, events, 64, timeoutMs);
  if (n < 0 && errno != EINTR)
    n = 0;
  for (int i = 0; i < n && !stopped_; ++i) {
    auto it = fds_.find(events[i].data.fd);
    if (it == fds_.end())
      continue;
    auto cb = it->second; // keep alive if the callback removes itself
    (*cb)(events[i].events);
  }
  TimePoint t = now();
  while (!stopped_ && !heap_.empty() && heap_.top().when <= t) {
    Timer top = heap_.top();
    heap_.pop();
    auto it = timers_.find(top.id);
    if (it == timers_.end())
      continue;
    auto cb = std::move(it->second);
    timers_.erase(it);
    cb();
  }
}

} // namespace mommie::rt
