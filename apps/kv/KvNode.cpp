// The KV-store replica binary: `BIN --kv ...` of a round program's node
// (roundNodeMain hands over on a first argument --kv). Replica frames go
// over the TCP transport of the deploy file (through its authentication
// module, as round frames do); clients use a port of their own:
//
//   BIN --kv --id P0 --deploy deploy.conf --client-port PORT [flags]
//       (main "kv" of the flag table: KvFlags.cpp, `BIN --kv --help`)
//
// Client protocol (frames: u32 big-endian length, body; docs/rounds.md):
//   register := u8 10, varint nonce  ->  u8 11, varint nonce, varint session
//   request  := u8 12, varint session, varint seq, varint ack, u8 op,
//               str key, str value, str expected
//               (op: 1 put, 2 get, 3 del, 4 cas; | 0x80: cas expects the
//               key absent; ack: every seq below it was answered)
//   reply    := u8 13, varint session, varint seq, u8 result, varint slot,
//               str value   (result: 0 ok, 1 not found, 2 cas mismatch (the
//               current value), 3 unknown session, 4 stale)
//   status   := u8 3   ->   u8 4, varint applied slots, str log digest (hex)
//   error    := u8 5, varint session, varint seq, u8 code, str message
// Every update goes through the log; a get is answered by the replica it
// reaches through a read index (KvReplica.h), so every operation is
// linearizable. Sessions are assigned by the log (KvReplica.h, KvOp): a
// retried update, to any replica, is applied once and answered with its
// original reply. A reply is sent once the request is applied (in slot
// order) or read by this replica, to the connection that sent it. On
// SIGTERM/SIGINT or at
// --run-for the replica prints one JSON line: applied slots and requests,
// the digests of its log and state, and the engine counters.
//
// Limits of the client port (ClientLimits; each refusal is an error frame,
// never silence, and is counted in the outcome line):
//   - a request whose key and value exceed --batch-bytes (what one slot's
//     batch carries, at most 512 KiB, so a batch always fits a replica
//     frame) is refused with code 1 (too large); a frame announcing more
//     than that is answered as soon as its ids arrive and its body is
//     skipped, never buffered, so the connection stays usable;
//   - requests accepted and not yet applied hold at most --max-client-bytes
//     over all connections: beyond, code 2 (busy; retry later);
//   - a connection with --max-outstanding requests unanswered, or whose
//     replies it does not read pile up past 4 MiB, is not read until that
//     drains (TCP back-pressure);
//   - at most --max-clients connections: one more is told code 4 and
//     closed; when accept() runs out of descriptors the port stops
//     accepting for 100 ms instead of spinning;
//   - a frame begun and not completed within --client-timeout ms closes
//     the connection (code 3).
#include "apps/kv/KvReplica.h"

#include "runtime/auth/AuthSetup.h"
#include "runtime/net/Log.h"
#include "runtime/net/Transport.h"
#include "runtime/node/Flags.h"
#include "runtime/node/NodeCommon.h"
#include "runtime/wire/Wire.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <iostream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mommie::rt {

namespace {

int usage(const char *argv0, const std::string &why) {
  return flagError(argv0, "kv", why);
}

enum ClientError : uint8_t {
  TooLarge = 1,
  Busy = 2,
  BadRequest = 3,
  TooManyConnections = 4
};

struct ClientLimits {
  size_t maxRequestBytes = 32 * 1024; // key + value + 16: --batch-bytes
  size_t maxPendingBytes = 64u
                           << 20; // accepted, not yet applied, all connections
  size_t maxOutstanding = 1024;   // per connection
  size_t maxOutBytes = 4u << 20;  // unread replies before reading stops
  size_t maxClients = 1000;
  int64_t frameTimeoutMs = 10000;
};

struct ClientCounts {
  uint64_t requests = 0, replies = 0, badRequests = 0, tooLarge = 0, busy = 0,
           refusedConnections = 0, acceptPauses = 0, timeouts = 0,
           throttled = 0;
  size_t maxPendingBytes = 0; // high-water mark of the requests held
};

// The clients' side: a listening socket and one buffer pair per connection.
class ClientServer {
public:
  ClientServer(EventLoop &loop, KvReplica *&kv, ClientLimits limits)
      : loop_(loop), kv_(kv), lim_(limits) {}
  ~ClientServer() {
    for (auto &[fd, c] : conns_)
      ::close(fd);
    if (lfd_ >= 0)
      ::close(lfd_);
  }
  bool listen(uint16_t port, std::string &err) {
    lfd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd_ < 0 ||
        ::bind(lfd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(lfd_, 128) != 0) {
      err = "cannot listen on client port " + std::to_string(port) + ": " +
            std::strerror(errno);
      return false;
    }
    loop_.add(lfd_, EPOLLIN, [this](uint32_t) { accept(); });
    return true;
  }
  // A request applied: reply if it came through this replica.
  void applied(const KvRequest &q, const KvReply &rep) {
    auto it = waiting_.find({q.session, q.seq});
    if (it == waiting_.end())
      return;
    Waiter wt = it->second;
    waiting_.erase(it);
    pendingBytes_ -= wt.bytes;
    auto c = conns_.find(wt.fd);
    if (c == conns_.end())
      return;
    bool full = c->second.outstanding-- >= lim_.maxOutstanding;
    Writer w;
    if (q.op == KvOp::Register) {
      w.u8(11);
      w.varint(q.seq);
      w.varint(rep.session);
    } else {
      w.u8(13);
      w.varint(q.session);
      w.varint(q.seq);
      w.u8(uint8_t(rep.result));
      w.varint(rep.slot);
      w.str(rep.value);
    }
    ++counts.replies;
    queue(wt.fd, w, true);
    // Room again: the requests already read and held back go on.
    if (full && !c->second.parsing && !c->second.in.empty() && !parse(wt.fd))
      return;
    write(wt.fd);
  }
  // Closes the connections whose current frame has been arriving for too
  // long (call every few ms).
  void tick() {
    TimePoint now = EventLoop::now();
    std::vector<int> slow;
    for (const auto &[fd, c] : conns_)
      if ((!c.in.empty() || c.skip > 0) &&
          c.outstanding < lim_.maxOutstanding &&
          now - c.frameStart > Millis(lim_.frameTimeoutMs))
        slow.push_back(fd); // (a connection at its limit waits for us)
    for (int fd : slow) {
      ++counts.timeouts;
      refuse(fd, 0, 0, BadRequest,
             "a frame was not completed within " +
                 std::to_string(lim_.frameTimeoutMs) + " ms",
             true);
      flushAndClose(fd);
    }
  }
  ClientCounts counts;

private:
  struct Conn {
    std::string in, out;
    size_t outstanding = 0; // requests without a reply yet
    size_t skip = 0;        // bytes of a refused frame still to discard
    TimePoint frameStart;   // when the frame being received began
    bool reading = true;
    bool parsing =
        false; // in parse(): a reply applied meanwhile must not re-enter it
  };
  struct Waiter {
    int fd;
    size_t bytes;
  };
  static std::vector<uint8_t> framed(const Writer &w) {
    Writer f;
    f.u32be(uint32_t(w.buffer().size()));
    f.bytes(w.buffer().data(), w.buffer().size());
    return f.buffer();
  }
  static Writer errorFrame(uint64_t client, uint64_t seq, ClientError code,
                           const std::string &why) {
    Writer w;
    w.u8(5);
    w.varint(client);
    w.varint(seq);
    w.u8(code);
    w.str(why);
    return w;
  }
  // Appends a frame to the connection's output; sends it unless `later`
  // (parse(): event() sends once the input is handled).
  void queue(int fd, const Writer &w, bool later = false) {
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    auto f = framed(w);
    c->second.out.append(f.begin(), f.end());
    if (!later)
      write(fd);
  }
  void refuse(int fd, uint64_t client, uint64_t seq, ClientError code,
              const std::string &why, bool later = true) {
    queue(fd, errorFrame(client, seq, code, why), later);
  }
  void accept() {
    for (;;) {
      int fd = ::accept4(lfd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
            errno == ENOMEM) {
          // Out of descriptors: the connection stays queued and the socket
          // readable; stop polling it for a while instead of spinning.
          ++counts.acceptPauses;
          loop_.modify(lfd_, 0);
          loop_.after(Millis(100), [this] { loop_.modify(lfd_, EPOLLIN); });
        }
        return;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (conns_.size() >= lim_.maxClients) {
        ++counts.refusedConnections;
        auto f = framed(errorFrame(0, 0, TooManyConnections,
                                   "too many client connections (at most " +
                                       std::to_string(lim_.maxClients) + ")"));
        (void)!::send(fd, f.data(), f.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        ::close(fd);
        continue;
      }
      conns_[fd] = Conn{};
      loop_.add(fd, EPOLLIN, [this, fd](uint32_t ev) { event(fd, ev); });
    }
  }
  void close(int fd) {
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (it->second.fd == fd) {
        pendingBytes_ -= it->second.bytes;
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
    loop_.remove(fd);
    ::close(fd);
    conns_.erase(fd);
  }
  // Sends what is queued (an error frame) without waiting, then closes.
  void flushAndClose(int fd) {
    auto c = conns_.find(fd);
    if (c != conns_.end() && !c->second.out.empty())
      (void)!::send(fd, c->second.out.data(), c->second.out.size(),
                    MSG_NOSIGNAL | MSG_DONTWAIT);
    close(fd);
  }
  // Reads from a connection only while it is within its limits.
  void updateInterest(int fd) {
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    Conn &cn = c->second;
    bool read = cn.outstanding < lim_.maxOutstanding &&
                cn.out.size() < lim_.maxOutBytes;
    if (cn.reading && !read)
      ++counts.throttled;
    cn.reading = read;
    loop_.modify(fd, (read ? uint32_t(EPOLLIN) : 0u) |
                         (cn.out.empty() ? 0u : uint32_t(EPOLLOUT)));
  }
  void event(int fd, uint32_t ev) {
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    if (ev & EPOLLOUT)
      write(fd);
    if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) ||
        conns_.find(fd) == conns_.end())
      return;
    Conn &cn = c->second;
    char buf[65536];
    for (int reads = 0; reads < 16 && cn.outstanding < lim_.maxOutstanding;
         ++reads) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        break;
      if (n <= 0)
        return close(fd);
      const char *d = buf;
      size_t len = size_t(n);
      if (cn.skip > 0) { // the rest of a refused frame: discarded
        size_t k = std::min(cn.skip, len);
        cn.skip -= k;
        d += k;
        len -= k;
        if (cn.skip == 0)
          cn.frameStart = EventLoop::now();
      }
      if (cn.in.empty() && len > 0)
        cn.frameStart = EventLoop::now();
      cn.in.append(d, len);
      if (!parse(fd))
        return;
      if (size_t(n) < sizeof buf)
        break;
    }
    write(fd); // the replies and errors parse() queued; updates the interest
  }
  // Handles the complete frames of the connection's input; false if the
  // connection was closed.
  bool parse(int fd) {
    Conn &cn = conns_.at(fd);
    cn.parsing = true;
    bool open = parseFrames(fd, cn);
    if (open)
      cn.parsing = false;
    return open;
  }
  bool parseFrames(int fd, Conn &cn) {
    std::string &in = cn.in;
    size_t at = 0;
    // A frame may carry the ids, the 16 bytes of framing counted per
    // request in a batch and the key and value.
    const size_t maxFrame = lim_.maxRequestBytes + 64;
    while (cn.skip == 0 && in.size() - at >= 4 &&
           cn.outstanding < lim_.maxOutstanding) {
      Reader hdr(reinterpret_cast<const uint8_t *>(in.data() + at), 4);
      uint32_t len = hdr.u32be();
      if (len > maxFrame) {
        // Too large: answered once its ids are in, its body never buffered.
        if (in.size() - at - 4 < std::min<size_t>(len, 21))
          break;
        Reader r(reinterpret_cast<const uint8_t *>(in.data() + at + 4),
                 std::min<size_t>(len, in.size() - at - 4));
        uint64_t client = 0, seq = 0;
        if (r.u8() == 10)
          seq = r.varint(); // a register: its nonce
        else
          client = r.varint(), seq = r.varint();
        ++counts.tooLarge;
        refuse(fd, client, seq, TooLarge,
               "request of " + std::to_string(len) + " bytes; at most " +
                   std::to_string(lim_.maxRequestBytes) +
                   " of key and value (--batch-bytes)");
        size_t have = std::min<size_t>(len, in.size() - at - 4);
        cn.skip = len - have;
        at += 4 + have;
        continue;
      }
      if (in.size() - at - 4 < len)
        break;
      Reader r(reinterpret_cast<const uint8_t *>(in.data() + at + 4), len);
      at += 4 + len;
      uint8_t op = r.u8();
      if (op == 3 && len == 1) { // status
        status(fd);
        continue;
      }
      KvRequest q;
      if (!decodeClientRequest(op, r, lim_.maxRequestBytes, q)) {
        ++counts.badRequests;
        refuse(fd, q.session, q.seq, BadRequest,
               "not a request: register (u8 10, nonce) or operation (u8 12, "
               "session, seq, ack, op, key, value, "
               "expected)");
        continue;
      }
      size_t bytes = q.bytes() + 16;
      if (bytes > lim_.maxRequestBytes) {
        ++counts.tooLarge;
        refuse(fd, q.session, q.seq, TooLarge,
               "key and values of " + std::to_string(bytes - 16) +
                   " bytes; at most " +
                   std::to_string(lim_.maxRequestBytes - 16) +
                   " (--batch-bytes)");
        continue;
      }
      if (pendingBytes_ + bytes > lim_.maxPendingBytes) {
        ++counts.busy;
        refuse(
            fd, q.session, q.seq, Busy,
            "the replica holds too many requests not yet applied; retry later");
        continue;
      }
      ++counts.requests;
      auto [it, fresh] =
          waiting_.try_emplace({q.session, q.seq}, Waiter{fd, bytes});
      if (fresh) {
        pendingBytes_ += bytes;
        counts.maxPendingBytes =
            std::max(counts.maxPendingBytes, pendingBytes_);
        ++cn.outstanding;
      }
      if (kv_)
        kv_->submit(std::move(q));
      if (conns_.find(fd) == conns_.end()) // closed while applying
        return false;
    }
    in.erase(0, at);
    if (!in.empty() && at > 0)
      cn.frameStart = EventLoop::now();
    if (cn.outstanding >= lim_.maxOutstanding)
      cn.frameStart = EventLoop::now(); // held back by us, not slow
    return true;
  }
  // A status request: the applied slots and the log digest.
  void status(int fd) {
    Writer w;
    w.u8(4);
    w.varint(kv_ ? kv_->applied() : 0);
    w.str(kv_ ? kv_->logDigest() : "");
    queue(fd, w, true);
  }
  void write(int fd) {
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    std::string &out = c->second.out;
    while (!out.empty()) {
      ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        out.erase(0, size_t(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        break;
      return close(fd);
    }
    updateInterest(fd);
  }

  EventLoop &loop_;
  KvReplica *&kv_;
  ClientLimits lim_;
  int lfd_ = -1;
  size_t pendingBytes_ = 0;
  std::map<int, Conn> conns_;
  std::map<std::pair<uint64_t, uint64_t>, Waiter> waiting_;
};

} // namespace

int kvNodeMain(int argc, char **argv, const RoundProgramInfo &info) {
  std::string id, deploy, logLevel = "warn", keysDir, traceDir;
  int64_t clientPort = -1, slotPhases = 40, window = 20, batchBytes = 32 * 1024,
          maxPending = 64, maxFuture = 4096, traceSlots = 0, traceEvery = 0,
          runForMs = -1, maxClientMb = 64, maxOutstanding = 1024,
          maxClients = 1000, clientTimeoutMs = 10000, dropPercent = 0, seed = 1,
          snapshotMb = 64;
  FlagValues v;
  BuildFacts build{info.name, info.params, info.principals};
  if (int rc = readFlags("kv", argc, argv, 2, {"kv"}, v, &build); rc >= 0)
    return rc;
  std::string err;
  id = v.str("--id");
  deploy = v.str("--deploy");
  keysDir = v.str("--keys");
  logLevel = v.str("--log-level", logLevel);
  traceDir = v.str("--trace-dir");
  if (!v.count("--client-port", clientPort, err, 1, 65535) ||
      !v.count("--window", window, err, 1, 100000) ||
      !v.count("--batch-bytes", batchBytes, err, 1, 512 << 10) ||
      !v.count("--max-pending", maxPending, err) ||
      !v.count("--max-future", maxFuture, err) ||
      !v.count("--trace-slots", traceSlots, err) ||
      !v.count("--trace-every", traceEvery, err) ||
      !v.count("--run-for", runForMs, err) ||
      !v.count("--slot-phases", slotPhases, err, 1) ||
      !v.count("--max-client-mb", maxClientMb, err, 1, 1 << 20) ||
      !v.count("--max-outstanding", maxOutstanding, err, 1) ||
      !v.count("--max-clients", maxClients, err, 1) ||
      !v.count("--client-timeout", clientTimeoutMs, err, 1) ||
      !v.count("--drop-percent", dropPercent, err, 0, 100) ||
      !v.count("--seed", seed, err) ||
      !v.count("--snapshot-mb", snapshotMb, err, 1, 1 << 20))
    return usage(argv[0], err);
  if (id.empty() || deploy.empty() || clientPort < 0)
    return usage(argv[0], "--id, --deploy and --client-port are required");
  LogLevel level;
  if (!parseLogLevel(logLevel, level))
    return usage(argv[0], "bad --log-level '" + logLevel + "'");
  if (info.size > 64)
    return usage(argv[0], "the KV store runs at most 64 replicas");
  int me = -1;
  std::vector<Endpoint> hosts;
  std::unique_ptr<Authenticator> auth;
  if (int rc =
          openRoundNode(argv[0], info, id, deploy, keysDir, me, hosts, auth))
    return rc;
  // Durability (--data-dir): refused before the replica listens.
  DurableOptions durableOpts;
  // The durable log's helper thread wakes the loop through this eventfd
  // (declared first: closed after the log has joined its helper).
  struct WakeFd {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ~WakeFd() {
      if (fd >= 0)
        ::close(fd);
    }
  } syncWake;
  DurableLog durable;
  if (!readDurableFlags(v, durableOpts, err))
    return usage(argv[0], err);
  if (!durableOpts.dir.empty()) {
    durableOpts.protocol = info.name + " (kv)";
    durableOpts.principal = id;
    durableOpts.wholeState = false;
    if (!durable.open(durableOpts, err)) {
      std::cerr << argv[0] << ": error: " << err << "\n";
      return 2;
    }
  }
  Logger log(id, level);
  EventLoop loop;
  if (!loop.ok()) {
    std::cerr << argv[0] << ": error: cannot create the event loop\n";
    return 2;
  }
  Transport transport(loop, me, hosts, log);
  transport.setPeerNames(info.principals);
  if (!transport.listen(err)) {
    std::cerr << argv[0] << ": error: " << err << "\n";
    return 2;
  }
  KvReplica *kvp = nullptr;
  ClientLimits limits;
  limits.maxRequestBytes = size_t(batchBytes);
  limits.maxPendingBytes = size_t(maxClientMb) << 20;
  limits.maxOutstanding = size_t(maxOutstanding);
  limits.maxClients = size_t(maxClients);
  limits.frameTimeoutMs = clientTimeoutMs;
  ClientServer clients(loop, kvp, limits);
  if (!clients.listen(uint16_t(clientPort), err)) {
    std::cerr << argv[0] << ": error: " << err << "\n";
    return 2;
  }
  KvConfig cfg;
  cfg.node = id;
  cfg.me = me;
  for (int p = info.first; p < info.first + info.size; ++p)
    cfg.peers.push_back(p);
  cfg.byzantine = info.byzantine;
  cfg.window = size_t(window);
  cfg.slotPhases = slotPhases;
  cfg.batchBytes = size_t(batchBytes);
  cfg.maxPendingPerPeer = size_t(maxPending);
  cfg.maxFuture = size_t(maxFuture);
  cfg.traceDir = traceDir;
  cfg.traceSlots = uint64_t(traceSlots);
  cfg.traceEvery = uint64_t(traceEvery);
  cfg.snapshotBytes = uint64_t(snapshotMb) << 20;
  uint64_t unsent = 0, dropped = 0;
  std::mt19937_64 lossRng(uint64_t(seed) * 1000003u + uint64_t(me));
  struct HeldReply {
    uint64_t stamp;
    KvRequest q;
    KvReply rep;
  };
  std::deque<HeldReply> heldReplies; // in order of their stamps
  KvReplica kv(
      info, loop, cfg,
      [&](int peer, const std::vector<uint8_t> &frame) {
        // Seeded loss (--drop-percent, testing): a replica frame dropped as
        // the network would drop it; the slots' timeouts, fetches and asks
        // recover.
        if (dropPercent > 0 && int64_t(lossRng() % 100) < dropPercent) {
          ++dropped;
          return;
        }
        auto sealed = auth->sealFrame(frame, peer);
        if (sealed.empty())
          ++unsent;
        else
          transport.send(peer, sealed);
      },
      [&](const KvRequest &q, const KvReply &rep) {
        // A reply leaves once the records written before it are durable,
        // as a peer frame does (below): the slot's decision may rest on
        // this replica's own vote (a coordinator counts its own ack).
        if (durable.isOpen() && durable.synced() < durable.written()) {
          heldReplies.push_back({durable.written(), q, rep});
          durable.requestSync();
        } else {
          clients.applied(q, rep);
        }
      },
      log);
  kvp = &kv;
  if (durable.isOpen()) {
    kv.setDurable(&durable);
    if (!kv.recover(err)) {
      std::cerr << argv[0] << ": error: the data directory " << durableOpts.dir
                << ": " << err << "\n";
      return 2;
    }
    // Group commit off the loop: a frame leaves once the records written
    // before it are on disk (Transport::setDurableBarrier); the loop goes
    // on while the log's helper thread syncs; client replies wait the
    // same way (docs/rounds.md, "Durability").
    if (syncWake.fd < 0) {
      std::cerr << argv[0] << ": error: eventfd: " << std::strerror(errno)
                << "\n";
      return 2;
    }
    int wakeFd = syncWake.fd;
    durable.startBackground([wakeFd] {
      uint64_t one = 1;
      [[maybe_unused]] ssize_t n = ::write(wakeFd, &one, sizeof one);
    });
    // wakeFd by value: it is local to this block, the callback outlives it.
    loop.add(wakeFd, EPOLLIN, [&, wakeFd](uint32_t) {
      uint64_t count = 0;
      [[maybe_unused]] ssize_t n = ::read(wakeFd, &count, sizeof count);
      std::string why;
      if (!durable.finishSync(why)) {
        log.error("fail_stop", {{"why", "the durable log: " + why}});
        loop.stop();
        return;
      }
      transport.durableAdvanced();
      while (!heldReplies.empty() &&
             heldReplies.front().stamp <= durable.synced()) {
        HeldReply h = std::move(heldReplies.front());
        heldReplies.pop_front();
        clients.applied(h.q, h.rep);
      }
      if (!heldReplies.empty())
        durable.requestSync();
    });
    transport.setDurableBarrier([&] { return durable.written(); },
                                [&] { return durable.synced(); },
                                [&] { durable.requestSync(); });
    log.info("recovered",
             {{"dir", durableOpts.dir},
              {"applied", std::to_string(kv.applied())},
              {"snapshots", std::to_string(kv.stats().snapshotsReplayed)},
              {"records", std::to_string(durable.stats().recoveredRecords)},
              {"fsync", durableOpts.fsync ? "on" : "off"}});
  } else {
    log.warn(
        "not_durable",
        {{"why",
          "no --data-dir: a restarted replica starts empty, which is safe only "
          "while a majority keeps running"}});
  }
  RejectCounts rejects;
  transport.onFrame([&](int peer, const uint8_t *d, size_t n) {
    Reject why;
    if (!auth->openFrame(peer, d, n, d, n, why)) {
      rejects.add(why);
      return false;
    }
    if (!kv.onFrame(peer, d, n))
      rejects.add(Reject::BadFrame);
    return true; // authenticated as the peer's
  });

  installStopSignals();
  std::signal(SIGPIPE, SIG_IGN);
  TimePoint start = EventLoop::now();
  log.info("started", {{"program", info.name}, {"mode", "kv"}});
  std::function<void()> tick = [&] {
    kv.tick();
    clients.tick();
    if (stopRequested() || kv.failed() ||
        (runForMs >= 0 && EventLoop::now() - start >= Millis(runForMs))) {
      loop.stop();
      return;
    }
    loop.after(Millis(10), tick);
  };
  loop.after(Millis(10), tick);
  loop.run();

  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      EventLoop::now() - start);
  const KvStats &st = kv.stats();
  const auto &ts = transport.stats();
  std::string out = "{\"node\":";
  appendJsonString(out, id);
  out += ",\"mode\":\"kv\",\"failed\":" +
         std::string(kv.failed() ? "true" : "false");
  out += ",\"elapsed_us\":" + std::to_string(elapsed.count());
  auto field = [&](const char *name, uint64_t v) {
    out += std::string(",\"") + name + "\":" + std::to_string(v);
  };
  field("applied_slots", kv.applied());
  field("started_slots", kv.started());
  field("requests_applied", st.requestsApplied);
  field("bytes_applied", st.bytesApplied);
  field("empty_batches", st.emptyBatches);
  field("duplicates_skipped", st.duplicatesSkipped);
  field("reads_served", st.readsServed);
  field("read_rounds", st.readRounds);
  field("read_retries", st.readRetries);
  field("decided_here", st.decidedHere);
  field("learned", st.learned);
  field("fetches", st.fetches);
  field("requeued", st.requeued);
  field("forwarded", st.forwarded);
  field("forwarded_in", st.forwardedIn);
  field("forward_timeouts", st.forwardTimeouts);
  field("pending_requests", kv.pendingRequests());
  field("rounds", st.rounds);
  field("timeouts", st.timeouts);
  field("jumps", st.jumps);
  field("recovered_slots", st.recoveredSlots);
  field("snapshots", st.snapshots);
  field("snapshot_offers", st.offers);
  field("snapshots_sent", st.snapshotsSent);
  field("snapshots_installed", st.snapshotsInstalled);
  field("future_buffered", st.futureBuffered);
  field("future_dropped", st.futureDropped);
  field("max_future", st.maxFuture);
  field("bad_frames", st.badFrames + rejects.total());
  const ClientCounts &cc = clients.counts;
  field("client_requests", cc.requests);
  field("client_replies", cc.replies);
  field("client_bad_requests", cc.badRequests);
  field("client_too_large", cc.tooLarge);
  field("client_busy", cc.busy);
  field("client_throttled", cc.throttled);
  field("client_timeouts", cc.timeouts);
  field("client_refused_connections", cc.refusedConnections);
  field("client_accept_pauses", cc.acceptPauses);
  field("client_max_pending_bytes", cc.maxPendingBytes);
  field("keys", kv.keys());
  field("sessions", kv.sessions());
  field("unsent", unsent);
  field("dropped", dropped);
  field("frames_out", ts.framesOut);
  field("bytes_out", ts.bytesOut);
  out += ",\"log_digest\":\"" + kv.logDigest() + "\",\"state_digest\":\"" +
         kv.stateDigest() + "\"";
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  field("cpu_us", uint64_t(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
                      uint64_t(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec));
  field("max_rss_kb", uint64_t(ru.ru_maxrss));
  if (kv.failed()) {
    out += ",\"why\":";
    appendJsonString(out, kv.failure());
  }
  out += "}\n";
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  transport.closeAll();
  return kv.failed() ? 1 : 0;
}

} // namespace mommie::rt
