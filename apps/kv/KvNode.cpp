// The KV-store replica binary: `BIN --kv ...` of a round program's node
// (roundNodeMain hands over on a first argument --kv). Replica frames go
// over the TCP transport of the deploy file (through its authentication
// module, as round frames do); clients use a port of their own:
//
//   BIN --kv --id P0 --deploy deploy.conf --client-port PORT [flags]
//       (main "kv" of the flag table: KvFlags.cpp, `BIN --kv --help`)
//
// Client protocol (frames: u32 big-endian length, body):
//   request := u8 1, varint client, varint seq, str key, str value  (a put)
//   reply   := u8 2, varint client, varint seq, varint slot
//   status  := u8 3   ->   u8 4, varint applied slots, str log digest (hex)
// A reply is sent once the request's batch is applied (in slot order) by
// this replica, to the connection that sent it. On SIGTERM/SIGINT or at
// --run-for the replica prints one JSON line: applied slots and requests,
// the digests of its log and state, and the engine counters.
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
#include <fcntl.h>
#include <iostream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mommie::rt {

namespace {

constexpr size_t MaxClientFrame = 1u << 20;
constexpr size_t MaxClientOut = 64u << 20;

int usage(const char *argv0, const std::string &why) { return flagError(argv0, "kv", why); }

// The clients' side: a listening socket and one buffer pair per connection.
class ClientServer {
public:
  ClientServer(EventLoop &loop, KvReplica *&kv) : loop_(loop), kv_(kv) {}
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
    if (lfd_ < 0 || ::bind(lfd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(lfd_, 128) != 0) {
      err = "cannot listen on client port " + std::to_string(port) + ": " + std::strerror(errno);
      return false;
    }
    loop_.add(lfd_, EPOLLIN, [this](uint32_t) { accept(); });
    return true;
  }
  // A status request: the applied slots and the log digest.
  void status(int fd) {
    Writer w;
    w.u8(4);
    w.varint(kv_ ? kv_->applied() : 0);
    w.str(kv_ ? kv_->logDigest() : "");
    queue(fd, w);
  }
  // A request applied: reply if it came through this replica.
  void applied(uint64_t client, uint64_t seq, uint64_t slot) {
    auto it = waiting_.find({client, seq});
    if (it == waiting_.end())
      return;
    int fd = it->second;
    waiting_.erase(it);
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    Writer w;
    w.u8(2);
    w.varint(client);
    w.varint(seq);
    w.varint(slot);
    ++replies;
    queue(fd, w);
  }
  void queue(int fd, const Writer &w) {
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    Writer f;
    f.u32be(uint32_t(w.buffer().size()));
    f.bytes(w.buffer().data(), w.buffer().size());
    c->second.out.append(f.buffer().begin(), f.buffer().end());
    if (c->second.out.size() > MaxClientOut)
      return close(fd);
    write(fd);
  }
  uint64_t requests = 0, replies = 0, badRequests = 0;

private:
  struct Conn {
    std::string in, out;
  };
  void accept() {
    for (;;) {
      int fd = ::accept4(lfd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0)
        return;
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      conns_[fd] = Conn{};
      loop_.add(fd, EPOLLIN, [this, fd](uint32_t ev) { event(fd, ev); });
    }
  }
  void close(int fd) {
    loop_.remove(fd);
    ::close(fd);
    conns_.erase(fd);
  }
  void event(int fd, uint32_t ev) {
    auto c = conns_.find(fd);
    if (c == conns_.end())
      return;
    if (ev & EPOLLOUT)
      write(fd);
    if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
      return;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        c->second.in.append(buf, size_t(n));
        if (size_t(n) < sizeof buf)
          break;
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        break;
      return close(fd);
    }
    std::string &in = c->second.in;
    size_t at = 0;
    while (in.size() - at >= 4) {
      Reader hdr(reinterpret_cast<const uint8_t *>(in.data() + at), 4);
      uint32_t len = hdr.u32be();
      if (len > MaxClientFrame) {
        ++badRequests;
        return close(fd);
      }
      if (in.size() - at - 4 < len)
        break;
      Reader r(reinterpret_cast<const uint8_t *>(in.data() + at + 4), len);
      KvRequest q;
      uint8_t op = r.u8();
      if (op == 3 && len == 1) { // status
        at += 4 + len;
        status(fd);
        if (conns_.find(fd) == conns_.end())
          return;
        continue;
      }
      q.client = r.varint();
      q.seq = r.varint();
      q.key = r.str(MaxClientFrame);
      q.value = r.str(MaxClientFrame);
      at += 4 + len;
      if (op != 1 || !r.ok() || !r.atEnd()) {
        ++badRequests;
        continue;
      }
      ++requests;
      waiting_[{q.client, q.seq}] = fd;
      if (kv_)
        kv_->submit(std::move(q));
      if (conns_.find(fd) == conns_.end()) // closed while applying
        return;
    }
    in.erase(0, at);
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
    loop_.modify(fd, out.empty() ? EPOLLIN : (EPOLLIN | EPOLLOUT));
  }

  EventLoop &loop_;
  KvReplica *&kv_;
  int lfd_ = -1;
  std::map<int, Conn> conns_;
  std::map<std::pair<uint64_t, uint64_t>, int> waiting_;
};

} // namespace

int kvNodeMain(int argc, char **argv, const RoundProgramInfo &info) {
  std::string id, deploy, logLevel = "warn", keysDir, traceDir;
  int64_t clientPort = -1, slotPhases = 40, window = 20, batchBytes = 32 * 1024, maxPending = 64, maxFuture = 4096,
          traceSlots = 0, traceEvery = 0, runForMs = -1;
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
  if (!v.count("--client-port", clientPort, err, 1, 65535) || !v.count("--window", window, err, 1, 100000) ||
      !v.count("--batch-bytes", batchBytes, err, 1, 512 << 10) || !v.count("--max-pending", maxPending, err) ||
      !v.count("--max-future", maxFuture, err) || !v.count("--trace-slots", traceSlots, err) ||
      !v.count("--trace-every", traceEvery, err) || !v.count("--run-for", runForMs, err) ||
      !v.count("--slot-phases", slotPhases, err, 1))
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
  if (int rc = openRoundNode(argv[0], info, id, deploy, keysDir, me, hosts, auth))
    return rc;
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
  ClientServer clients(loop, kvp);
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
  uint64_t unsent = 0;
  KvReplica kv(
      info, loop, cfg,
      [&](int peer, const std::vector<uint8_t> &frame) {
        auto sealed = auth->sealFrame(frame, peer);
        if (sealed.empty())
          ++unsent;
        else
          transport.send(peer, sealed);
      },
      [&](uint64_t client, uint64_t seq, uint64_t slot) { clients.applied(client, seq, slot); }, log);
  kvp = &kv;
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
    if (stopRequested() || kv.failed() || (runForMs >= 0 && EventLoop::now() - start >= Millis(runForMs))) {
      loop.stop();
      return;
    }
    loop.after(Millis(10), tick);
  };
  loop.after(Millis(10), tick);
  loop.run();

  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(EventLoop::now() - start);
  const KvStats &st = kv.stats();
  const auto &ts = transport.stats();
  std::string out = "{\"node\":";
  appendJsonString(out, id);
  out += ",\"mode\":\"kv\",\"failed\":" + std::string(kv.failed() ? "true" : "false");
  out += ",\"elapsed_us\":" + std::to_string(elapsed.count());
  auto field = [&](const char *name, uint64_t v) { out += std::string(",\"") + name + "\":" + std::to_string(v); };
  field("applied_slots", kv.applied());
  field("started_slots", kv.started());
  field("requests_applied", st.requestsApplied);
  field("bytes_applied", st.bytesApplied);
  field("empty_batches", st.emptyBatches);
  field("duplicates_skipped", st.duplicatesSkipped);
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
  field("future_buffered", st.futureBuffered);
  field("future_dropped", st.futureDropped);
  field("max_future", st.maxFuture);
  field("bad_frames", st.badFrames + rejects.total());
  field("client_requests", clients.requests);
  field("client_replies", clients.replies);
  field("keys", kv.keys());
  field("unsent", unsent);
  field("frames_out", ts.framesOut);
  field("bytes_out", ts.bytesOut);
  out += ",\"log_digest\":\"" + kv.logDigest() + "\",\"state_digest\":\"" + kv.stateDigest() + "\"";
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
