// TCP transport: length-prefixed frames (u32 big-endian length, then the
// payload; at most MaxFrame bytes) over one outbound connection per peer
// (this node dials the peer to send to it) and the inbound connections the
// peers dial. The first frame on a connection is a hello naming the dialling
// principal; with the PLAINTEXT module the channel is trusted to be
// authenticated, so frames on it are attributed to that principal. A hello
// proves nothing: an inbound connection is *proven* once the frame handler
// reports that a frame on it authenticated (the MAC or signature of the
// named principal checked). A hello never evicts a proven connection, so a
// dialler without the keys cannot cut a principal off (docs/deploy.md).
// Outbound connections reconnect with exponential backoff; frames queued
// while disconnected are kept up to a byte budget (then dropped, counted).
// Frames queued during one turn of the event loop are written together
// after it (one sendmsg per peer).
#pragma once

#include "runtime/net/Endpoint.h"
#include "runtime/net/EventLoop.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mommie::rt {

class Logger;

struct TransportStats {
  uint64_t framesIn = 0, framesOut = 0, bytesIn = 0, bytesOut = 0;
  uint64_t badFrames = 0, oversized = 0, dropped = 0, connects = 0,
           reconnects = 0;
  uint64_t evicted =
      0; // inbound connections closed to respect the bounds below
  uint64_t refused =
      0; // hellos refused: their principal's connections are all proven
};

// {"bad_frames":N,"oversized":N,"dropped":N,"evicted":N,"refused":N,
//  "reconnects":N,"bytes_in":N,"bytes_out":N}
std::string transportStatsJson(const TransportStats &s);

class Transport {
public:
  static constexpr size_t MaxFrame = 1u << 20;
  static constexpr size_t MaxQueuedBytes = 64u << 20;
  // Memory bounds on inbound connections (each buffers at most one frame):
  // at most MaxInboundPerPeer per principal named by a hello and
  // MaxPendingInbound still without a hello. Beyond the first, the oldest
  // connection of that principal that is not proven is closed (evicted); if
  // all are proven, the new connection is refused. Beyond the second, the
  // oldest connection without a hello is evicted.
  static constexpr size_t MaxInboundPerPeer = 4;
  static constexpr size_t MaxPendingInbound = 64;
  // The hello a dialler sends first, naming itself (the frame's payload).
  static std::vector<uint8_t> helloPayload(int me);
  // Handles one frame from `peer`; returns whether it authenticated as
  // that peer's (which proves the connection it came on).
  using FrameHandler =
      std::function<bool(int peer, const uint8_t *data, size_t size)>;

  Transport(EventLoop &loop, int me, std::vector<Endpoint> hosts, Logger &log);
  ~Transport();

  // Binds and listens on this node's endpoint.
  bool listen(std::string &error);
  void onFrame(FrameHandler h) { handler_ = std::move(h); }
  // Queues `payload` as one frame to `peer` (connecting if needed).
  void send(int peer, const std::vector<uint8_t> &payload);
  void closeAll();
  // Called before queued frames are written to a socket; false holds them.
  // Group commit (docs/runtime.md, "Durable state"): the durable records
  // the frames depend on are synced here, once for every frame queued
  // since the last write.
  void setBeforeWrite(std::function<bool()> f) { beforeWrite_ = std::move(f); }
  // The same, without holding up the event loop: every frame is stamped
  // with stamp() when sent (the durable records written so far) and is
  // written only once durable() has reached its stamp; when a frame is
  // held, need() is called (start a sync), and the owner calls
  // durableAdvanced() when durable() has grown. Frames leave in order.
  void setDurableBarrier(std::function<uint64_t()> stamp,
                         std::function<uint64_t()> durable,
                         std::function<void()> need) {
    stamp_ = std::move(stamp);
    durable_ = std::move(durable);
    needDurable_ = std::move(need);
  }
  void durableAdvanced();
  const TransportStats &stats() const { return stats_; }
  // The principals' names, indexed like the hosts, for logs ("R1", not 1).
  void setPeerNames(std::vector<std::string> names) {
    names_ = std::move(names);
  }
  std::string peerName(int peer) const;
  // Open connections: inbound ones whose hello named a peer, outbound ones
  // established.
  size_t inboundConnections() const;
  size_t outboundConnections() const;

private:
  struct Inbound;
  struct Outbound;
  void accept();
  void readInbound(const std::shared_ptr<Inbound> &in);
  void closeInbound(const std::shared_ptr<Inbound> &in);
  void evictOldest(int peer,
                   size_t keep); // peer -1: connections without a hello
  // Makes room for a new connection of `peer`: false if every one it has
  // is proven and there are MaxInboundPerPeer of them.
  bool admitHello(int peer);
  void connect(int peer);
  void onOutboundEvent(int peer, uint32_t events);
  void flush(int peer);
  void scheduleFlush(int peer);
  void dropOutbound(int peer);

  EventLoop &loop_;
  int me_;
  std::vector<Endpoint> hosts_;
  std::vector<std::string> names_;
  Logger &log_;
  int listenFd_ = -1;
  FrameHandler handler_;
  std::vector<std::shared_ptr<Inbound>> inbound_;
  std::vector<std::unique_ptr<Outbound>> out_;
  bool flushPosted_ = false;
  std::function<bool()> beforeWrite_;
  std::function<uint64_t()> stamp_, durable_;
  std::function<void()> needDurable_;
  TransportStats stats_;
};

} // namespace mommie::rt
