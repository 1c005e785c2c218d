// The KV store's load generator: `BIN --kv-load ...` (any round node
// binary; see KvNode.cpp for the client protocol).
//
//   BIN --kv-load --servers 127.0.0.1:7000,127.0.0.1:7001 [flags]
//   BIN --kv-load --sync --servers ... [--max-seconds S] [--json]
// (main "kv-load" of the flag table: KvFlags.cpp, `BIN --kv-load --help`)
//
// One connection, to the first server that accepts it, and one session
// the cluster assigns (a register with a random nonce); at most C requests
// outstanding (puts, or --get-percent P% gets; keys "k<seq mod K>",
// values of B bytes) until N completed or S seconds passed (--rate R: at
// most R issued per second). A request completes with its reply (applied
// by that replica). If the connection fails, the next server is tried and
// every outstanding request is sent again in the same session (the
// cluster applies each once and answers a retry with its first reply). Prints
// one line: completed, failed, seconds, req/s, MB/s (value bytes, 10^6),
// p50/p99 latency; with --json one JSON object. An error reply "busy" resends
// the put 20 ms later; any other error (a value too large for --batch-bytes)
// fails it, and the reason is printed.
// --sync waits (at most S seconds) until every server that answers reports
// the same applied slots and log digest twice in a row (exit 0, else 1):
// replicas other than the client's may apply the last slots a bit later.
// Exit 0 if all N completed, 1 otherwise, 2 on bad flags.
#include "apps/kv/KvClient.h"
#include "apps/kv/KvReplica.h"

#include "runtime/node/Flags.h"
#include "runtime/node/NodeCommon.h"
#include "runtime/wire/Wire.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace mommie::rt {

namespace {

using SteadyClock = std::chrono::steady_clock;

int loadUsage(const char *argv0, const std::string &why) {
  return flagError(argv0, "kv-load", why);
}

// --sync: waits until every server that answers reports the same applied
// slots and log digest twice in a row, 100 ms apart.
int syncMain(const std::vector<std::pair<std::string, int>> &servers,
             int64_t maxSeconds, bool json) {
  auto deadline = SteadyClock::now() + std::chrono::seconds(maxSeconds);
  std::string last;
  for (;;) {
    std::string seen;
    bool same = true;
    int answered = 0;
    uint64_t applied0 = 0;
    std::string digest0;
    for (const auto &ep : servers) {
      uint64_t applied = 0;
      std::string digest;
      if (!KvClient::status(ep, applied, digest))
        continue;
      if (answered++ == 0) {
        applied0 = applied;
        digest0 = digest;
      }
      same = same && applied == applied0 && digest == digest0;
      seen += ep.first + ":" + std::to_string(ep.second) + " " +
              std::to_string(applied) + " " + digest + "\n";
    }
    if (answered > 0 && same && seen == last) {
      if (json)
        std::printf("{\"synced\":true,\"servers\":%d,\"applied\":%llu,\"log_"
                    "digest\":\"%s\"}\n",
                    answered, (unsigned long long)applied0, digest0.c_str());
      else
        std::printf("kv-sync: %d servers at %llu applied slots, log %s\n",
                    answered, (unsigned long long)applied0, digest0.c_str());
      return 0;
    }
    last = seen;
    if (SteadyClock::now() >= deadline) {
      std::printf(json ? "{\"synced\":false}\n"
                       : "kv-sync: the servers did not agree in time:\n%s",
                  seen.c_str());
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

} // namespace

int kvLoadMain(int argc, char **argv) {
  std::vector<std::pair<std::string, int>> servers;
  int64_t requests = 1000, concurrency = 64, valueSize = 1024, keySpace = 1000,
          getPercent = 0, maxSeconds = 60, rate = 0;
  bool json = false, sync = false;
  FlagValues v;
  if (int rc = readFlags("kv-load", argc, argv, 2, {"kv-load"}, v); rc >= 0)
    return rc;
  std::string err;
  if (v.has("--servers") &&
      !KvClient::parseServers(v.str("--servers"), servers, err))
    return loadUsage(argv[0], err);
  json = v.has("--json");
  sync = v.has("--sync");
  if (!v.count("--requests", requests, err) ||
      !v.count("--concurrency", concurrency, err, 1) ||
      !v.count("--value-size", valueSize, err, 0, 512 << 10) ||
      !v.count("--key-space", keySpace, err, 1) ||
      !v.count("--get-percent", getPercent, err, 0, 100) ||
      !v.count("--max-seconds", maxSeconds, err) ||
      !v.count("--rate", rate, err))
    return loadUsage(argv[0], err);
  if (servers.empty())
    return loadUsage(argv[0], "--servers is required");
  if (sync)
    return syncMain(servers, maxSeconds, json);

  auto t0 = SteadyClock::now();
  auto deadline = t0 + std::chrono::seconds(maxSeconds);
  std::map<uint64_t, SteadyClock::time_point> outstanding; // seq -> first send
  std::vector<double> latMs;
  latMs.reserve(size_t(requests));
  uint64_t nextSeq = 0, completed = 0, resent = 0, failovers = 0, busy = 0,
           refused = 0, reads = 0, notFound = 0;
  std::string lastError;
  std::deque<std::pair<SteadyClock::time_point, uint64_t>>
      retry; // busy: resend at
  // The session the cluster assigns (0: none yet); asked for with a nonce.
  uint64_t session = 0;
  const uint64_t nonce =
      uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      (uint64_t(::getpid()) << 32);
  std::mt19937_64 pick(nonce);
  std::map<uint64_t, bool> isGet; // seq -> a get (else a put)
  std::string value(size_t(valueSize), 'v');
  for (int64_t i = 0; i < valueSize; ++i)
    value[size_t(i)] = char('a' + (i * 7 + int64_t(nonce % 26)) % 26);
  size_t server = 0;
  int fd = -1;
  std::string out, in;

  auto send = [&](const KvRequest &q) {
    std::vector<uint8_t> body = encodeClientRequest(q);
    Writer f;
    f.u32be(uint32_t(body.size()));
    f.bytes(body.data(), body.size());
    out.append(f.buffer().begin(), f.buffer().end());
  };
  auto frame = [&](uint64_t seq) {
    KvRequest q;
    q.op = isGet[seq] ? KvOp::Get : KvOp::Put;
    q.session = session;
    q.seq = seq;
    q.ackBelow =
        outstanding.empty()
            ? nextSeq
            : outstanding.begin()->first; // every seq below was answered
    q.key = "k" + std::to_string(seq % uint64_t(keySpace));
    if (!isGet[seq])
      q.value = value;
    send(q);
  };
  auto registerSession = [&]() {
    KvRequest q;
    q.op = KvOp::Register;
    q.seq = nonce;
    send(q);
  };
  auto connectSome = [&]() {
    // Tries every server once, from the current one, then backs off.
    for (size_t k = 0; k < servers.size() && fd < 0; ++k) {
      fd = KvClient::dial(servers[server], 0);
      if (fd < 0)
        server = (server + 1) % servers.size();
    }
    if (fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;
    }
    out.clear();
    in.clear();
    if (session == 0) {
      registerSession();
      return;
    }
    for (const auto &[seq, t] : outstanding) { // the new server gets them all
      frame(seq);
      ++resent;
    }
  };
  auto fail = [&]() {
    ::close(fd);
    fd = -1;
    server = (server + 1) % servers.size();
    ++failovers;
  };

  while (int64_t(completed + refused) < requests &&
         SteadyClock::now() < deadline) {
    if (fd < 0) {
      connectSome();
      continue;
    }
    if (session != 0) {
      while (!retry.empty() && retry.front().first <= SteadyClock::now()) {
        if (outstanding.count(retry.front().second))
          frame(retry.front().second);
        retry.pop_front();
      }
      double allowed =
          rate > 0
              ? std::chrono::duration<double>(SteadyClock::now() - t0).count() *
                        double(rate) +
                    1
              : double(requests);
      while (int64_t(outstanding.size()) < concurrency &&
             int64_t(nextSeq) < requests && double(nextSeq) < allowed) {
        isGet[nextSeq] = int64_t(pick() % 100) < getPercent;
        outstanding[nextSeq] = SteadyClock::now();
        frame(nextSeq++);
      }
    }
    pollfd p{fd, short(POLLIN | (out.empty() ? 0 : POLLOUT)), 0};
    int rc = ::poll(&p, 1, rate > 0 ? 2 : 100);
    if (rc < 0 && errno != EINTR)
      break;
    if (rc <= 0)
      continue;
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
      fail();
      continue;
    }
    if ((p.revents & POLLOUT) && !out.empty()) {
      ssize_t n =
          ::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0)
        out.erase(0, size_t(n));
      else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        fail();
        continue;
      }
    }
    if (p.revents & POLLIN) {
      char buf[65536];
      ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        fail();
        continue;
      }
      if (n > 0)
        in.append(buf, size_t(n));
      size_t at = 0;
      while (in.size() - at >= 4) {
        Reader h(reinterpret_cast<const uint8_t *>(in.data() + at), 4);
        uint32_t len = h.u32be();
        if (in.size() - at - 4 < len)
          break;
        Reader r(reinterpret_cast<const uint8_t *>(in.data() + at + 4), len);
        at += 4 + len;
        uint8_t type = r.u8();
        if (type == 11) { // registered
          uint64_t n = r.varint(), s = r.varint();
          if (r.ok() && n == nonce && session == 0) {
            session = s;
            for (const auto &[seq, t] : outstanding)
              frame(seq);
          }
          continue;
        }
        uint64_t ses = r.varint(), seq = r.varint();
        if (type == 5) { // error: too large is final, busy is retried
          uint8_t code = r.u8();
          std::string why = r.str(4096);
          if (!r.ok() || ses != session || !outstanding.count(seq))
            continue;
          if (code == 2) {
            ++busy;
            retry.emplace_back(
                SteadyClock::now() + std::chrono::milliseconds(20), seq);
          } else {
            ++refused;
            lastError = why;
            outstanding.erase(seq);
          }
          continue;
        }
        uint8_t result = r.u8();
        r.varint();             // slot
        r.str(size_t(1) << 20); // a get's value
        if (!r.ok() || type != 13 || ses != session)
          continue;
        auto it = outstanding.find(seq);
        if (it == outstanding.end()) // a reply to a resent request
          continue;
        if (result > uint8_t(KvResult::NotFound)) { // unknown session, stale:
                                                    // not ours to retry
          ++refused;
          lastError = "result " + std::to_string(result);
          outstanding.erase(it);
          continue;
        }
        if (isGet[seq]) {
          ++reads;
          notFound += result == uint8_t(KvResult::NotFound);
        }
        isGet.erase(seq);
        latMs.push_back(std::chrono::duration<double, std::milli>(
                            SteadyClock::now() - it->second)
                            .count());
        outstanding.erase(it);
        ++completed;
      }
      in.erase(0, at);
    }
  }
  if (fd >= 0)
    ::close(fd);
  double secs = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  std::sort(latMs.begin(), latMs.end());
  auto pct = [&](double q) {
    return latMs.empty()
               ? 0.0
               : latMs[std::min(latMs.size() - 1, size_t(q * latMs.size()))];
  };
  uint64_t failed = uint64_t(requests) - completed;
  double reqs = secs > 0 ? completed / secs : 0,
         mbs = secs > 0
                   ? double(completed - reads) * double(valueSize) / secs / 1e6
                   : 0; // put values
  char line[512];
  if (json)
    std::snprintf(line, sizeof line,
                  "{\"completed\":%llu,\"failed\":%llu,\"seconds\":%.3f,\"req_"
                  "per_s\":%.1f,\"mb_per_s\":%.2f,"
                  "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"concurrency\":%lld,"
                  "\"value_size\":%lld,\"resent\":%llu,"
                  "\"failovers\":%llu,\"busy\":%llu,\"refused\":%llu,"
                  "\"session\":%llu,\"reads\":%llu,"
                  "\"not_found\":%llu}\n",
                  (unsigned long long)completed, (unsigned long long)failed,
                  secs, reqs, mbs, pct(0.5), pct(0.99), (long long)concurrency,
                  (long long)valueSize, (unsigned long long)resent,
                  (unsigned long long)failovers, (unsigned long long)busy,
                  (unsigned long long)refused, (unsigned long long)session,
                  (unsigned long long)reads, (unsigned long long)notFound);
  else
    std::snprintf(line, sizeof line,
                  "kv-load: %llu completed, %llu failed in %.3f s: %.1f req/s, "
                  "%.2f MB/s, latency p50 %.3f ms, "
                  "p99 %.3f ms (concurrency %lld, %lld-byte values, %llu "
                  "resent, %llu failovers)\n",
                  (unsigned long long)completed, (unsigned long long)failed,
                  secs, reqs, mbs, pct(0.5), pct(0.99), (long long)concurrency,
                  (long long)valueSize, (unsigned long long)resent,
                  (unsigned long long)failovers);
  std::fputs(line, stdout);
  if (refused > 0) // the replicas' reason, once
    std::fprintf(stderr, "kv-load: %llu requests refused: %s\n",
                 (unsigned long long)refused, lastError.c_str());
  std::fflush(stdout);
  return failed == 0 ? 0 : 1;
}

} // namespace mommie::rt
