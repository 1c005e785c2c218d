// The TCP transport (see Transport.h).
#include "runtime/net/Transport.h"

#include "runtime/net/Log.h"
#include "runtime/wire/Wire.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace mommie::rt {

namespace {
constexpr uint32_t HelloMagic = 0x4d4f4d31; // "MOM1"
void setNonBlocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}
void setNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}
} // namespace

std::string transportStatsJson(const TransportStats &s) {
  return "{\"bad_frames\":" + std::to_string(s.badFrames) +
         ",\"oversized\":" + std::to_string(s.oversized) +
         ",\"dropped\":" + std::to_string(s.dropped) +
         ",\"evicted\":" + std::to_string(s.evicted) +
         ",\"refused\":" + std::to_string(s.refused) +
         ",\"reconnects\":" + std::to_string(s.reconnects) +
         ",\"bytes_in\":" + std::to_string(s.bytesIn) +
         ",\"bytes_out\":" + std::to_string(s.bytesOut) + "}";
}

struct Transport::Inbound {
  int fd = -1;
  int peer = -1;       // set by the hello
  bool proven = false; // a frame on it authenticated as `peer`'s
  std::vector<uint8_t> buf;
};

struct Transport::Outbound {
  int fd = -1;
  bool connected = false;
  bool retryScheduled = false;
  int backoffMs = 20;
  std::deque<std::vector<uint8_t>>
      queue; // whole frames (length prefix included)
  std::deque<uint64_t>
      stamps; // each frame's durable barrier (setDurableBarrier)
  size_t queuedBytes = 0;
  size_t offset = 0; // bytes of queue.front() already written
  bool armedOut =
      false; // EPOLLOUT registered (connecting, or the socket was full)
  bool dirty = false; // frames queued since the last flush
};

std::vector<uint8_t> Transport::helloPayload(int me) {
  Writer w;
  w.u32be(HelloMagic);
  w.varint(uint64_t(me));
  return std::move(w.buffer());
}

Transport::Transport(EventLoop &loop, int me, std::vector<Endpoint> hosts,
                     Logger &log)
    : loop_(loop), me_(me), hosts_(std::move(hosts)), log_(log) {
  out_.resize(hosts_.size());
}

Transport::~Transport() { closeAll(); }

void Transport::closeAll() {
  // Best effort: what is queued on a connected socket goes out first.
  for (size_t p = 0; p < out_.size(); ++p)
    if (out_[p] && out_[p]->connected && out_[p]->fd >= 0 &&
        !out_[p]->queue.empty())
      flush(int(p));
  for (auto &in : inbound_)
    if (in->fd >= 0) {
      loop_.remove(in->fd);
      close(in->fd);
      in->fd = -1;
    }
  inbound_.clear();
  for (size_t p = 0; p < out_.size(); ++p)
    if (out_[p] && out_[p]->fd >= 0) {
      loop_.remove(out_[p]->fd);
      close(out_[p]->fd);
      out_[p]->fd = -1;
    }
  if (listenFd_ >= 0) {
    loop_.remove(listenFd_);
    close(listenFd_);
    listenFd_ = -1;
  }
}

bool Transport::listen(std::string &error) {
  if (me_ < 0 || size_t(me_) >= hosts_.size() || !hosts_[size_t(me_)].valid()) {
    error = "no host address for this principal";
    return false;
  }
  sockaddr_in addr;
  if (!resolveEndpoint(hosts_[size_t(me_)], addr)) {
    error = "bad host address '" + hosts_[size_t(me_)].host + "'";
    return false;
  }
  listenFd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listenFd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      ::listen(listenFd_, 128) != 0) {
    error = std::string("cannot listen on ") + hosts_[size_t(me_)].host + ":" +
            std::to_string(hosts_[size_t(me_)].port) + ": " +
            std::strerror(errno);
    close(listenFd_);
    listenFd_ = -1;
    return false;
  }
  setNonBlocking(listenFd_);
  loop_.add(listenFd_, EPOLLIN, [this](uint32_t) { accept(); });
  log_.info("listening",
            {{"address", hosts_[size_t(me_)].str()}, {"transport", "tcp"}});
  return true;
}

std::string Transport::peerName(int peer) const {
  if (peer >= 0 && size_t(peer) < names_.size())
    return names_[size_t(peer)];
  return peer < 0 ? "(no hello)" : std::to_string(peer);
}

size_t Transport::inboundConnections() const {
  return size_t(std::count_if(
      inbound_.begin(), inbound_.end(),
      [](const std::shared_ptr<Inbound> &in) { return in->peer >= 0; }));
}

size_t Transport::outboundConnections() const {
  return size_t(std::count_if(
      out_.begin(), out_.end(),
      [](const std::unique_ptr<Outbound> &o) { return o && o->connected; }));
}

void Transport::accept() {
  for (;;) {
    int fd =
        ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
      return;
    setNoDelay(fd);
    evictOldest(-1, MaxPendingInbound - 1);
    auto in = std::make_shared<Inbound>();
    in->fd = fd;
    inbound_.push_back(in);
    std::weak_ptr<Inbound> weak = in;
    loop_.add(fd, EPOLLIN | EPOLLRDHUP, [this, weak](uint32_t) {
      if (auto in = weak.lock())
        readInbound(in);
    });
  }
}

void Transport::evictOldest(int peer, size_t keep) {
  std::vector<std::shared_ptr<Inbound>> same;
  for (const auto &in : inbound_)
    if (in->peer == peer)
      same.push_back(in);
  for (size_t i = 0; same.size() > keep + i; ++i) {
    ++stats_.evicted;
    closeInbound(same[i]);
  }
}

bool Transport::admitHello(int peer) {
  std::vector<std::shared_ptr<Inbound>> same; // oldest first
  for (const auto &in : inbound_)
    if (in->peer == peer)
      same.push_back(in);
  if (same.size() < MaxInboundPerPeer)
    return true;
  for (const auto &in : same)
    if (!in->proven) {
      ++stats_.evicted;
      closeInbound(in);
      return true;
    }
  return false;
}

void Transport::closeInbound(const std::shared_ptr<Inbound> &in) {
  if (in->fd >= 0) {
    loop_.remove(in->fd);
    close(in->fd);
    in->fd = -1;
  }
  inbound_.erase(std::remove(inbound_.begin(), inbound_.end(), in),
                 inbound_.end());
}

void Transport::readInbound(const std::shared_ptr<Inbound> &in) {
  uint8_t chunk[65536];
  for (;;) {
    ssize_t n = ::read(in->fd, chunk, sizeof chunk);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      closeInbound(in);
      return;
    }
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    stats_.bytesIn += uint64_t(n);
    in->buf.insert(in->buf.end(), chunk, chunk + n);
    // Parse every complete frame.
    size_t pos = 0;
    while (in->buf.size() - pos >= 4) {
      Reader hdr(in->buf.data() + pos, 4);
      uint32_t len = hdr.u32be();
      if (len > MaxFrame) {
        ++stats_.oversized;
        log_.warn("frame_oversized",
                  {{"peer", peerName(in->peer)}, {"len", std::to_string(len)}});
        closeInbound(in);
        return;
      }
      if (in->buf.size() - pos - 4 < len)
        break;
      const uint8_t *payload = in->buf.data() + pos + 4;
      pos += 4 + len;
      if (in->peer < 0) {
        Reader r(payload, len);
        uint32_t magic = r.u32be();
        uint64_t peer = r.varint();
        if (!r.ok() || !r.atEnd() || magic != HelloMagic ||
            peer >= hosts_.size() || int(peer) == me_) {
          ++stats_.badFrames;
          closeInbound(in);
          return;
        }
        if (!admitHello(int(peer))) {
          ++stats_.refused;
          if (stats_.refused <= 100 || stats_.refused % 10000 == 0)
            log_.warn("hello_refused", {{"peer", peerName(int(peer))}});
          closeInbound(in);
          return;
        }
        in->peer = int(peer);
        continue;
      }
      ++stats_.framesIn;
      if (handler_ && handler_(in->peer, payload, len))
        in->proven = true;
      if (in->fd < 0)
        return;
    }
    if (pos)
      in->buf.erase(in->buf.begin(), in->buf.begin() + long(pos));
  }
}

void Transport::send(int peer, const std::vector<uint8_t> &payload) {
  if (peer < 0 || size_t(peer) >= hosts_.size() || peer == me_ ||
      !hosts_[size_t(peer)].valid())
    return;
  if (payload.size() > MaxFrame) {
    ++stats_.oversized;
    return;
  }
  if (!out_[size_t(peer)])
    out_[size_t(peer)] = std::make_unique<Outbound>();
  Outbound &o = *out_[size_t(peer)];
  if (o.queuedBytes + payload.size() + 4 > MaxQueuedBytes) {
    ++stats_.dropped;
    return;
  }
  Writer w;
  w.u32be(uint32_t(payload.size()));
  w.bytes(payload.data(), payload.size());
  o.queuedBytes += w.buffer().size();
  o.queue.push_back(std::move(w.buffer()));
  o.stamps.push_back(stamp_ ? stamp_() : 0);
  ++stats_.framesOut;
  if (o.fd < 0 && !o.retryScheduled)
    connect(peer);
  else if (o.connected)
    scheduleFlush(peer);
}

// Frames sent during one turn of the event loop leave together: one
// sendmsg per peer after the turn's callbacks (a step publishing to four
// peers, or a burst of steps, costs one system call per peer).
void Transport::scheduleFlush(int peer) {
  out_[size_t(peer)]->dirty = true;
  if (flushPosted_)
    return;
  flushPosted_ = true;
  loop_.post([this] {
    flushPosted_ = false;
    for (size_t p = 0; p < out_.size(); ++p)
      if (out_[p] && out_[p]->dirty) {
        out_[p]->dirty = false;
        if (out_[p]->connected && !out_[p]->armedOut)
          flush(int(p));
      }
  });
}

void Transport::connect(int peer) {
  Outbound &o = *out_[size_t(peer)];
  sockaddr_in addr;
  if (!resolveEndpoint(hosts_[size_t(peer)], addr))
    return;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return;
  setNoDelay(fd);
  o.fd = fd;
  o.connected = false;
  ++stats_.connects;
  int rc = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS) {
    dropOutbound(peer);
    return;
  }
  o.armedOut = true;
  loop_.add(fd, EPOLLOUT | EPOLLRDHUP,
            [this, peer](uint32_t ev) { onOutboundEvent(peer, ev); });
}

void Transport::onOutboundEvent(int peer, uint32_t events) {
  Outbound &o = *out_[size_t(peer)];
  if (!o.connected) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(o.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
      dropOutbound(peer);
      return;
    }
    o.connected = true;
    o.backoffMs = 20;
    // The hello goes first; a partially written frame is resent whole.
    o.offset = 0;
    std::vector<uint8_t> payload = helloPayload(me_);
    Writer hello;
    hello.u32be(uint32_t(payload.size()));
    hello.bytes(payload.data(), payload.size());
    auto &b = hello.buffer();
    o.queuedBytes += b.size();
    o.queue.push_front(std::move(b));
    o.stamps.push_front(0); // depends on nothing
    log_.debug("connected", {{"peer", peerName(peer)},
                             {"address", hosts_[size_t(peer)].str()}});
  }
  if (events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
    dropOutbound(peer);
    return;
  }
  flush(peer);
}

void Transport::durableAdvanced() {
  for (size_t p = 0; p < out_.size(); ++p)
    if (out_[p] && out_[p]->connected && !out_[p]->armedOut &&
        !out_[p]->queue.empty())
      flush(int(p));
}

void Transport::flush(int peer) {
  Outbound &o = *out_[size_t(peer)];
  if (beforeWrite_ && !o.queue.empty() && !beforeWrite_())
    return;
  // The frames whose durable records are on disk (all of them without a
  // barrier): a prefix of the queue, since stamps only grow.
  size_t ready = o.queue.size();
  if (durable_ && !o.stamps.empty() && o.stamps.back() > durable_()) {
    uint64_t d = durable_();
    ready = size_t(std::upper_bound(o.stamps.begin(), o.stamps.end(), d) -
                   o.stamps.begin());
    needDurable_();
  }
  constexpr size_t MaxIov = 64;
  while (ready > 0) {
    iovec iov[MaxIov];
    size_t n = 0;
    for (auto it = o.queue.begin(); n < ready && n < MaxIov; ++it, ++n) {
      size_t skip = n == 0 ? o.offset : 0;
      iov[n].iov_base = it->data() + skip;
      iov[n].iov_len = it->size() - skip;
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    ssize_t w = ::sendmsg(o.fd, &msg, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN) {
        if (!o.armedOut) {
          o.armedOut = true;
          loop_.modify(o.fd, EPOLLOUT | EPOLLRDHUP);
        }
        return;
      }
      dropOutbound(peer);
      return;
    }
    stats_.bytesOut += uint64_t(w);
    size_t left = size_t(w);
    while (left > 0) {
      size_t rest = o.queue.front().size() - o.offset;
      if (left < rest) {
        o.offset += left;
        break;
      }
      left -= rest;
      o.queuedBytes -= o.queue.front().size();
      o.queue.pop_front();
      o.stamps.pop_front();
      o.offset = 0;
      --ready;
    }
  }
  if (o.armedOut) {
    o.armedOut = false;
    loop_.modify(o.fd, EPOLLRDHUP);
  }
}

void Transport::dropOutbound(int peer) {
  Outbound &o = *out_[size_t(peer)];
  o.armedOut = false;
  if (o.fd >= 0) {
    loop_.remove(o.fd);
    close(o.fd);
    o.fd = -1;
  }
  // A frame cut in the middle is resent from its start on the next connection.
  o.offset = 0;
  // The hello of the dead connection, if still queued, is dropped.
  if (o.connected && !o.queue.empty()) {
    Reader r(o.queue.front());
    r.u32be();
    if (r.u32be() == HelloMagic && o.queue.front().size() < 16) {
      o.queuedBytes -= o.queue.front().size();
      o.queue.pop_front();
      o.stamps.pop_front();
    }
  }
  o.connected = false;
  o.retryScheduled = true;
  ++stats_.reconnects;
  int delay = o.backoffMs;
  o.backoffMs = std::min(o.backoffMs * 2, 1000);
  loop_.after(Millis(delay), [this, peer] {
    Outbound &o = *out_[size_t(peer)];
    o.retryScheduled = false;
    if (o.fd < 0 && !o.queue.empty())
      connect(peer);
  });
}

} // namespace mommie::rt
