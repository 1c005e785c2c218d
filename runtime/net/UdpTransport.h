// UDP transport for round nodes (docs/rounds.md "Transports"): one datagram
// per frame, from and to the endpoints of the deploy file's [Hosts]. A
// datagram is attributed to the principal whose endpoint it comes from
// (the node sends from the socket bound to its own endpoint), as a TCP
// connection is to the principal its hello names: with PLAINTEXT the
// network is trusted to be honest about it, the other modules
// authenticate every frame. Datagrams from any other address, empty or
// larger than MaxDatagram are dropped and counted (`badFrames`). Nothing
// is queued or resent here: a full socket buffer drops the datagram
// (`dropped`); round programs tolerate loss, and `sync(k)` rounds resend
// (RoundEngine).
#pragma once

#include "runtime/net/Transport.h"

#include <netinet/in.h>

namespace mommie::rt {

class UdpTransport {
public:
  // Frames of round programs are small; a datagram never exceeds this.
  static constexpr size_t MaxDatagram = 65507;
  using FrameHandler = Transport::FrameHandler;

  UdpTransport(EventLoop &loop, int me, std::vector<Endpoint> hosts,
               Logger &log);
  ~UdpTransport();
  UdpTransport(const UdpTransport &) = delete;
  UdpTransport &operator=(const UdpTransport &) = delete;

  // Binds this node's endpoint.
  bool listen(std::string &error);
  void onFrame(FrameHandler h) { handler_ = std::move(h); }
  // Sends `payload` as one datagram to `peer` (dropped and counted if it
  // cannot be sent now).
  void send(int peer, const std::vector<uint8_t> &payload);
  const TransportStats &stats() const { return stats_; }

private:
  void receive();
  int peerOf(const sockaddr_in &from) const;

  EventLoop &loop_;
  int me_;
  std::vector<Endpoint> hosts_;
  std::vector<sockaddr_in> addrs_;
  std::vector<bool> known_; // addrs_[p] resolved
  Logger &log_;
  int fd_ = -1;
  FrameHandler handler_;
  TransportStats stats_;
  std::vector<uint8_t> buf_;
};

} // namespace mommie::rt
