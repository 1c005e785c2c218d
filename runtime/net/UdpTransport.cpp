// UDP transport (see UdpTransport.h).
#include "runtime/net/UdpTransport.h"

#include "runtime/net/Log.h"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mommie::rt {

UdpTransport::UdpTransport(EventLoop &loop, int me, std::vector<Endpoint> hosts,
                           Logger &log)
    : loop_(loop), me_(me), hosts_(std::move(hosts)), addrs_(hosts_.size()),
      known_(hosts_.size(), false), log_(log), buf_(MaxDatagram + 1) {
  for (size_t p = 0; p < hosts_.size(); ++p)
    known_[p] = hosts_[p].valid() && resolveEndpoint(hosts_[p], addrs_[p]);
}

UdpTransport::~UdpTransport() {
  if (fd_ >= 0) {
    loop_.remove(fd_);
    ::close(fd_);
  }
}

bool UdpTransport::listen(std::string &error) {
  if (me_ < 0 || size_t(me_) >= hosts_.size() || !known_[size_t(me_)]) {
    error = "no IPv4 endpoint for this node in [Hosts]";
    return false;
  }
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error = std::string("cannot create a UDP socket: ") + std::strerror(errno);
    return false;
  }
  // Room for a burst of a round's messages from every peer.
  int size = 4 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  const sockaddr_in &self = addrs_[size_t(me_)];
  if (::bind(fd_, reinterpret_cast<const sockaddr *>(&self), sizeof self) !=
      0) {
    error = "cannot bind UDP " + hosts_[size_t(me_)].host + ":" +
            std::to_string(hosts_[size_t(me_)].port) + ": " +
            std::strerror(errno);
    return false;
  }
  if (!loop_.add(fd_, EPOLLIN, [this](uint32_t) { receive(); })) {
    error = "cannot watch the UDP socket";
    return false;
  }
  log_.info("listening",
            {{"address", hosts_[size_t(me_)].str()}, {"transport", "udp"}});
  return true;
}

int UdpTransport::peerOf(const sockaddr_in &from) const {
  for (size_t p = 0; p < addrs_.size(); ++p)
    if (known_[p] && int(p) != me_ && addrs_[p].sin_port == from.sin_port &&
        addrs_[p].sin_addr.s_addr == from.sin_addr.s_addr)
      return int(p);
  return -1;
}

void UdpTransport::receive() {
  // Bounded per wake-up so that timers and other sockets get their turn.
  for (int i = 0; i < 256; ++i) {
    sockaddr_in from{};
    socklen_t fromLen = sizeof from;
    ssize_t n = ::recvfrom(fd_, buf_.data(), buf_.size(), MSG_TRUNC,
                           reinterpret_cast<sockaddr *>(&from), &fromLen);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        log_.warn("udp_receive_failed", {{"error", std::strerror(errno)}});
      return;
    }
    int peer = fromLen == sizeof from && from.sin_family == AF_INET
                   ? peerOf(from)
                   : -1;
    if (peer < 0 || n == 0 || size_t(n) > MaxDatagram) {
      ++stats_.badFrames;
      if (size_t(n) > MaxDatagram)
        ++stats_.oversized;
      continue;
    }
    ++stats_.framesIn;
    stats_.bytesIn += uint64_t(n);
    if (handler_)
      handler_(peer, buf_.data(), size_t(n));
  }
}

void UdpTransport::send(int peer, const std::vector<uint8_t> &payload) {
  if (peer < 0 || size_t(peer) >= addrs_.size() || !known_[size_t(peer)] ||
      payload.empty() || payload.size() > MaxDatagram || fd_ < 0) {
    ++stats_.dropped;
    return;
  }
  const sockaddr_in &to = addrs_[size_t(peer)];
  ssize_t n = ::sendto(fd_, payload.data(), payload.size(), 0,
                       reinterpret_cast<const sockaddr *>(&to), sizeof to);
  if (n != ssize_t(payload.size())) {
    ++stats_.dropped;
    return;
  }
  ++stats_.framesOut;
  stats_.bytesOut += payload.size();
}

} // namespace mommie::rt
