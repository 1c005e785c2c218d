// A bounded closed-loop put client for etcd's v3 JSON gateway, for the
// benchmarks (bench/runtime, bench/rounds). Debian's etcd 3.4 ships no
// `benchmark` tool, so this plays its `put` role:
//
//   etcd_put --endpoints 127.0.0.1:2379,127.0.0.1:2479 [--connections C]
//            [--requests N] [--value-size B] [--key-space K] [--max-seconds S]
//            [--json]
//
// C connections (one thread each, plain blocking sockets, HTTP/1.1
// keep-alive, spread round-robin over the endpoints) each keep one
// `POST /v3/kv/put` outstanding ({"key": base64, "value": base64}, keys
// "k<n mod K>" and a value of B bytes) until N puts were issued in all or
// S seconds passed. A put counts as completed on a 200 response whose body
// carries a `header` (etcd committed it through raft), failed otherwise.
// Prints one line: completed, failed, seconds, puts/s, p50/p99 latency;
// `--json` prints the same as a JSON object. Exit 0 if nothing failed.
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<std::pair<std::string, int>> endpoints;
  int connections = 1;
  long requests = 1000;
  int valueSize = 32;
  long keySpace = 100000;
  double maxSeconds = 60;
  bool json = false;
};

std::string base64(const std::string &in) {
  static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

int dial(const std::string &host, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1 ||
      connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{5, 0}; // a stuck server fails the put instead of hanging
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

bool sendAll(int fd, const std::string &s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    off += size_t(n);
  }
  return true;
}

// Reads one HTTP/1.1 response (Content-Length or chunked body). `buf`
// keeps bytes past the response. Returns the status, -1 on error.
int readResponse(int fd, std::string &buf, std::string &body) {
  auto fill = [&] {
    char tmp[8192];
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0)
      return false;
    buf.append(tmp, size_t(n));
    return true;
  };
  size_t hdrEnd;
  while ((hdrEnd = buf.find("\r\n\r\n")) == std::string::npos)
    if (buf.size() > (1 << 20) || !fill())
      return -1;
  std::string head = buf.substr(0, hdrEnd);
  buf.erase(0, hdrEnd + 4);
  int status = -1;
  if (head.compare(0, 9, "HTTP/1.1 ") == 0 || head.compare(0, 9, "HTTP/1.0 ") == 0)
    status = std::atoi(head.c_str() + 9);
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  body.clear();
  size_t cl = lower.find("content-length:");
  if (cl != std::string::npos) {
    size_t len = size_t(std::strtoul(lower.c_str() + cl + 15, nullptr, 10));
    while (buf.size() < len)
      if (!fill())
        return -1;
    body = buf.substr(0, len);
    buf.erase(0, len);
    return status;
  }
  if (lower.find("transfer-encoding: chunked") != std::string::npos) {
    for (;;) {
      size_t eol;
      while ((eol = buf.find("\r\n")) == std::string::npos)
        if (!fill())
          return -1;
      size_t len = size_t(std::strtoul(buf.c_str(), nullptr, 16));
      buf.erase(0, eol + 2);
      while (buf.size() < len + 2)
        if (!fill())
          return -1;
      body.append(buf, 0, len);
      buf.erase(0, len + 2);
      if (len == 0)
        return status;
    }
  }
  return -1; // no framing: not something etcd sends
}

struct Worker {
  std::vector<double> latUs;
  long failed = 0;
};

void usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s --endpoints HOST:PORT[,HOST:PORT...] [--connections C] [--requests N] "
               "[--value-size B] [--key-space K] [--max-seconds S] [--json]\n",
               argv0);
}

bool parse(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
    const char *v = nullptr;
    if (a == "--json") {
      o.json = true;
      continue;
    }
    if (!(v = next()))
      return false;
    if (a == "--endpoints") {
      std::string s = v;
      size_t p = 0;
      while (p <= s.size()) {
        size_t q = s.find(',', p);
        std::string ep = s.substr(p, q == std::string::npos ? std::string::npos : q - p);
        if (ep.rfind("http://", 0) == 0)
          ep = ep.substr(7);
        size_t colon = ep.rfind(':');
        if (colon == std::string::npos)
          return false;
        o.endpoints.push_back({ep.substr(0, colon), std::atoi(ep.c_str() + colon + 1)});
        if (q == std::string::npos)
          break;
        p = q + 1;
      }
    } else if (a == "--connections") {
      o.connections = std::atoi(v);
    } else if (a == "--requests") {
      o.requests = std::atol(v);
    } else if (a == "--value-size") {
      o.valueSize = std::atoi(v);
    } else if (a == "--key-space") {
      o.keySpace = std::atol(v);
    } else if (a == "--max-seconds") {
      o.maxSeconds = std::atof(v);
    } else {
      return false;
    }
  }
  return !o.endpoints.empty() && o.connections >= 1 && o.connections <= 4096 && o.requests >= 1 &&
         o.valueSize >= 0 && o.valueSize <= (1 << 20) && o.keySpace >= 1 && o.maxSeconds > 0;
}

double percentile(std::vector<double> &v, double p) {
  if (v.empty())
    return 0;
  size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    usage(argv[0]);
    return 2;
  }
  const std::string value = base64(std::string(size_t(o.valueSize), 'v'));
  std::atomic<long> issued{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.maxSeconds));
  std::vector<Worker> workers(size_t(o.connections));
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c)
    threads.emplace_back([&, c] {
      Worker &w = workers[size_t(c)];
      const auto &ep = o.endpoints[size_t(c) % o.endpoints.size()];
      const std::string host = ep.first + ":" + std::to_string(ep.second);
      int fd = dial(ep.first, ep.second);
      std::string buf, body, req;
      for (;;) {
        long n = issued.fetch_add(1);
        if (n >= o.requests || Clock::now() >= deadline)
          break;
        if (fd < 0 && (fd = dial(ep.first, ep.second)) < 0) {
          ++w.failed;
          continue;
        }
        std::string json = "{\"key\":\"" + base64("k" + std::to_string(n % o.keySpace)) + "\",\"value\":\"" +
                           value + "\"}";
        req = "POST /v3/kv/put HTTP/1.1\r\nHost: " + host +
              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
              "\r\n\r\n" + json;
        auto t0 = Clock::now();
        int status = sendAll(fd, req) ? readResponse(fd, buf, body) : -1;
        auto t1 = Clock::now();
        if (status == 200 && body.find("\"header\"") != std::string::npos) {
          w.latUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        } else {
          ++w.failed;
          if (status < 0) { // broken connection: dial again
            close(fd);
            fd = -1;
            buf.clear();
          }
        }
      }
      if (fd >= 0)
        close(fd);
    });
  for (auto &t : threads)
    t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> lat;
  long failed = 0;
  for (auto &w : workers) {
    lat.insert(lat.end(), w.latUs.begin(), w.latUs.end());
    failed += w.failed;
  }
  long completed = long(lat.size());
  double p50 = percentile(lat, 0.50), p99 = percentile(lat, 0.99);
  double rate = secs > 0 ? double(completed) / secs : 0;
  if (o.json)
    std::printf("{\"completed\":%ld,\"failed\":%ld,\"seconds\":%.3f,\"req_per_s\":%.1f,\"p50_us\":%.1f,"
                "\"p99_us\":%.1f,\"connections\":%d}\n",
                completed, failed, secs, rate, p50, p99, o.connections);
  else
    std::printf("etcd put: %ld completed, %ld failed in %.3f s: %.0f req/s, latency p50 %.3f ms, p99 %.3f ms "
                "(%d connections)\n",
                completed, failed, secs, rate, p50 / 1000, p99 / 1000, o.connections);
  return failed == 0 ? 0 : 1;
}
