// See KvClient.h.
#include "apps/kv/KvClient.h"

#include "apps/kv/KvReplica.h"
#include "runtime/wire/Wire.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace mommie::rt {

int KvClient::dial(const Endpoint &ep, int timeoutMs) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(ep.second));
  if (timeoutMs > 0) {
    timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (inet_pton(AF_INET, ep.first.c_str(), &a.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool KvClient::parseServers(const std::string &list, std::vector<Endpoint> &out,
                            std::string &error) {
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    std::string ep = list.substr(
        at, comma == std::string::npos ? std::string::npos : comma - at);
    size_t colon = ep.rfind(':');
    int64_t port = 0;
    bool digits =
        colon != std::string::npos && colon + 1 < ep.size() &&
        ep.size() - colon <= 6 &&
        ep.find_first_not_of("0123456789", colon + 1) == std::string::npos;
    if (digits)
      port = std::stoll(ep.substr(colon + 1));
    in_addr addr{};
    if (!digits || port <= 0 || port > 65535 ||
        inet_pton(AF_INET, ep.substr(0, colon).c_str(), &addr) != 1) {
      error = "bad server '" + ep + "' (HOST:PORT, HOST an IPv4 address)";
      return false;
    }
    out.emplace_back(ep.substr(0, colon), int(port));
    if (comma == std::string::npos)
      break;
    at = comma + 1;
  }
  return true;
}

namespace {

bool sendFrame(int fd, const std::vector<uint8_t> &body) {
  Writer f;
  f.u32be(uint32_t(body.size()));
  f.bytes(body.data(), body.size());
  size_t at = 0;
  while (at < f.buffer().size()) {
    ssize_t n = ::send(fd, f.buffer().data() + at, f.buffer().size() - at,
                       MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    at += size_t(n);
  }
  return true;
}

bool readN(int fd, std::string &out, size_t n) {
  out.resize(n);
  size_t at = 0;
  while (at < n) {
    ssize_t k = ::recv(fd, &out[at], n - at, 0);
    if (k <= 0)
      return false;
    at += size_t(k);
  }
  return true;
}

// One frame's body (bounded by the socket's timeout); false on a timeout,
// a closed connection or an oversized frame.
bool receiveFrame(int fd, std::string &body) {
  std::string hdr;
  if (!readN(fd, hdr, 4))
    return false;
  Reader h(reinterpret_cast<const uint8_t *>(hdr.data()), 4);
  uint32_t len = h.u32be();
  return len > 0 && len <= (2u << 20) && readN(fd, body, len);
}

} // namespace

KvClient::KvClient(std::vector<Endpoint> servers, int timeoutMs, uint64_t nonce)
    : servers_(std::move(servers)), timeoutMs_(timeoutMs), nonce_(nonce) {
  if (nonce_ == 0) {
    std::random_device rd;
    nonce_ =
        (uint64_t(rd()) << 32) ^ rd() ^
        uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  if (!servers_.empty())
    server_ = size_t(nonce_ % servers_.size());
}

KvClient::~KvClient() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool KvClient::connect() {
  if (fd_ < 0 && !servers_.empty())
    fd_ = dial(servers_[server_], timeoutMs_);
  return fd_ >= 0;
}

void KvClient::rotate() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  if (!servers_.empty())
    server_ = (server_ + 1) % servers_.size();
}

bool KvClient::open(std::string &error, std::chrono::milliseconds patience) {
  if (servers_.empty()) {
    error = "no server";
    return false;
  }
  auto until = std::chrono::steady_clock::now() + patience;
  KvRequest reg;
  reg.op = KvOp::Register;
  reg.seq = nonce_;
  const std::vector<uint8_t> body = encodeClientRequest(reg);
  do {
    std::string r;
    if (connect() && sendFrame(fd_, body)) {
      while (receiveFrame(fd_, r)) {
        Reader rd(r);
        if (rd.u8() != 11 || rd.varint() != nonce_)
          continue;
        session_ = rd.varint();
        if (rd.ok() && session_ != 0)
          return true;
        break;
      }
    }
    error = "no replica registered a session (last tried " +
            servers_[server_].first + ":" +
            std::to_string(servers_[server_].second) + ")";
    rotate();
    if (server_ == 0) // every replica tried once: wait before the next round
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

KvClient::Result KvClient::put(const std::string &key,
                               const std::string &value) {
  return request(KvOp::Put, key, value, "", false);
}
KvClient::Result KvClient::get(const std::string &key) {
  return request(KvOp::Get, key, "", "", false);
}
KvClient::Result KvClient::del(const std::string &key) {
  return request(KvOp::Del, key, "", "", false);
}
KvClient::Result KvClient::cas(const std::string &key,
                               const std::string &expected,
                               const std::string &value, bool expectAbsent) {
  return request(KvOp::Cas, key, value, expected, expectAbsent);
}

KvClient::Result KvClient::request(KvOp op, const std::string &key,
                                   const std::string &value,
                                   const std::string &expected,
                                   bool expectAbsent) {
  KvRequest q;
  q.op = op;
  q.session = session_;
  q.seq = seq_++;
  q.ackBelow = q.seq; // every earlier request was answered, or given up
  q.key = key;
  q.value = value;
  q.expected = expected;
  q.expectAbsent = expectAbsent;
  last_ = encodeClientRequest(q);
  return send(last_, q.seq);
}

KvClient::Result KvClient::retry() {
  if (last_.empty() || seq_ == 0) {
    Result r;
    r.status = Status::Refused;
    r.error = "nothing to retry";
    return r;
  }
  return send(last_, seq_ - 1);
}

KvClient::Result KvClient::send(const std::vector<uint8_t> &body,
                                uint64_t seq) {
  Result res;
  if (!connect()) {
    res.error = "cannot connect to " + servers_[server_].first + ":" +
                std::to_string(servers_[server_].second);
    rotate();
    return res; // Indeterminate: nothing was sent, but the caller cannot tell a
                // retry apart
  }
  std::string r;
  if (sendFrame(fd_, body)) {
    while (receiveFrame(fd_, r)) {
      Reader rd(r);
      uint8_t type = rd.u8();
      uint64_t session = rd.varint(), s = rd.varint();
      if (!rd.ok() || session != session_ || s != seq)
        continue; // a late reply to a request given up
      if (type == 5) {
        rd.u8(); // the code
        res.status = Status::Refused;
        res.error = rd.str(1u << 16);
        return res;
      }
      if (type != 13)
        break;
      uint8_t result = rd.u8();
      res.slot = rd.varint();
      res.value = rd.str(2u << 20);
      if (!rd.ok())
        break;
      switch (KvResult(result)) {
      case KvResult::Ok:
        res.status = Status::Ok;
        break;
      case KvResult::NotFound:
        res.status = Status::NotFound;
        break;
      case KvResult::CasMismatch:
        res.status = Status::CasMismatch;
        res.absent = res.value.empty(); // (the protocol sends "" for absent)
        break;
      case KvResult::UnknownSession:
        res.status = Status::Refused;
        res.error =
            "unknown session (forgotten by the cluster: open a new one)";
        break;
      case KvResult::Stale:
        res.status = Status::Refused;
        res.error = "stale request (below the session's acknowledged numbers)";
        break;
      default:
        res.status = Status::Refused;
        res.error = "unknown result " + std::to_string(result);
      }
      return res;
    }
  }
  res.status = Status::Indeterminate;
  res.error = "no answer from " + servers_[server_].first + ":" +
              std::to_string(servers_[server_].second);
  rotate();
  return res;
}

bool KvClient::status(const Endpoint &server, uint64_t &applied,
                      std::string &digest, int timeoutMs) {
  int fd = dial(server, timeoutMs);
  if (fd < 0)
    return false;
  std::string r;
  bool ok = sendFrame(fd, {3}) && receiveFrame(fd, r);
  ::close(fd);
  if (!ok)
    return false;
  Reader rd(r);
  ok = rd.u8() == 4;
  applied = rd.varint();
  digest = rd.str(128);
  return ok && rd.ok() && rd.atEnd();
}

} // namespace mommie::rt
