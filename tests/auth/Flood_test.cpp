// Hostile peers on loopback against a node with HMAC_SHA256 links: many
// connections without a hello and many claiming the same principal are
// evicted (bounded memory), forged / replayed / garbage frames are counted
// by reason, a peer over its statement quota is cut off, and genuine frames
// from other peers are still delivered.
#include "runtime/auth/Auth.h"
#include "runtime/net/Transport.h"
#include "runtime/node/Node.h"

#include "../e2e/E2eUtil.h"

#include "../runtime/RuntimeTestUtil.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace mommie::rt;

namespace {

uint16_t freePort() { return uint16_t(e2e::freePorts(1)[0]); }

using rt_test::dial;

void sendFrame(int fd, const std::vector<uint8_t> &payload) {
  Writer w;
  w.u32be(uint32_t(payload.size()));
  w.bytes(payload.data(), payload.size());
  ::send(fd, w.buffer().data(), w.buffer().size(), MSG_NOSIGNAL);
}

std::vector<uint8_t> hello(int me) { return Transport::helloPayload(me); }

Statement stmt(int issuer, int verifier, int64_t n) {
  return Statement{issuer, Value::set({Value::principal(verifier)}),
                   Value::set({}), Value::record(0, {Value::integer(n)})};
}

void pump(EventLoop &loop, int ms) {
  loop.runUntil(EventLoop::now() + Millis(ms));
}

} // namespace

TEST(Flood, HostilePeersAreBoundedAndCountedWhileTheNodeServes) {
  const std::vector<std::string> names = {"A", "B", "C"};
  ProgramInfo pi = rt_test::idleProgram(names);

  uint16_t port = freePort();
  DeployConfig conf;
  std::vector<DeployError> errors;
  ASSERT_TRUE(
      parseDeploy("[Hosts]\nA = 127.0.0.1:" + std::to_string(port) +
                      "\nB = 127.0.0.1:1\nC = 127.0.0.1:2\n[Authentication]\n"
                      "* <-> * : HMAC_SHA256\n",
                  conf, errors));
  auto keys = generateKeys(conf, names);
  Authenticator authA(conf, names, 0, keys["A"]),
      authB(conf, names, 1, keys["B"]), authC(conf, names, 2, keys["C"]);
  EventLoop loop;
  Logger log("A", LogLevel::Off);
  Node node(loop, log, pi, 0);
  std::string err;
  ASSERT_TRUE(node.init(err)) << err;
  node.setAuth(&authA);
  node.setMaxPerIssuer(50);
  Transport t(loop, 0,
              {{"127.0.0.1", port}, {"127.0.0.1", 1}, {"127.0.0.1", 2}}, log);
  ASSERT_TRUE(t.listen(err)) << err;
  t.onFrame([&](int peer, const uint8_t *d, size_t n) {
    node.receiveFrame(peer, d, n);
    return true;
  });

  // 100 connections that never say hello, 10 that all claim to be C.
  std::vector<int> fds;
  for (int i = 0; i < 100; ++i)
    fds.push_back(dial(port));
  pump(loop, 100);
  for (int i = 0; i < 10; ++i) {
    int fd = dial(port);
    sendFrame(fd, hello(2));
    fds.push_back(fd);
  }
  pump(loop, 100);
  EXPECT_GE(t.stats().evicted, 100u - Transport::MaxPendingInbound + 10 -
                                   Transport::MaxInboundPerPeer);

  // B floods: 2000 genuine statements (quota 50), forged and replayed
  // frames, and garbage.
  int b = dial(port);
  sendFrame(b, hello(1));
  std::vector<uint8_t> first;
  for (int i = 0; i < 2000; ++i) {
    auto f = authB.seal(stmt(1, 0, i), 0);
    if (i == 0)
      first = f;
    sendFrame(b, f);
    if (i % 20 == 0) {
      auto forged = f;
      forged.back() ^= 0x80;
      sendFrame(b, forged);
      sendFrame(b, first); // replay
      sendFrame(b, {2, 1, 0xff, 0xff});
    }
    if (i % 100 == 99)
      pump(loop, 5); // one thread: keep the socket buffers draining
  }
  // C, honest, on a fresh connection.
  int c = dial(port);
  sendFrame(c, hello(2));
  for (int i = 0; i < 5; ++i)
    sendFrame(c, authC.seal(stmt(2, 0, i), 0));
  for (int i = 0; i < 20 && node.stats().delivered < 55; ++i)
    pump(loop, 50);
  const auto &st = node.stats();
  EXPECT_EQ(st.delivered, 55u);
  EXPECT_EQ(st.rejects[Reject::PeerQuota], 1950u);
  EXPECT_EQ(st.rejects[Reject::BadMac], 100u);
  EXPECT_EQ(st.rejects[Reject::Replay], 100u);
  EXPECT_EQ(st.rejects[Reject::BadFrame], 100u);
  close(b);
  close(c);
  for (int fd : fds)
    if (fd >= 0)
      close(fd);
  t.closeAll();
}

// The spoofed-hello attack (issue 15): a dialler without keys sends hellos
// naming B to A, again and again, while B sends authenticated statements
// over its own connection. B's connection is proven by its first MAC, so
// no hello evicts it: every statement B sends arrives, B never has to
// reconnect, and the spoofed connections are evicted or refused (counted).
TEST(Flood, SpoofedHellosNeverEvictAProvenConnection) {
  const std::vector<std::string> names = {"A", "B"};
  ProgramInfo pi = rt_test::idleProgram(names);

  auto ports = e2e::freePorts(2);
  std::string hosts = "[Hosts]\nA = 127.0.0.1:" + std::to_string(ports[0]) +
                      "\nB = 127.0.0.1:" + std::to_string(ports[1]) + "\n";
  DeployConfig conf;
  std::vector<DeployError> errors;
  ASSERT_TRUE(parseDeploy(hosts + "[Authentication]\n* <-> * : HMAC_SHA256\n",
                          conf, errors));
  auto keys = generateKeys(conf, names);
  Authenticator authA(conf, names, 0, keys["A"]),
      authB(conf, names, 1, keys["B"]);
  std::vector<Endpoint> endpoints = {{"127.0.0.1", uint16_t(ports[0])},
                                     {"127.0.0.1", uint16_t(ports[1])}};
  EventLoop loop;
  Logger log("A", LogLevel::Off);
  Node node(loop, log, pi, 0);
  std::string err;
  ASSERT_TRUE(node.init(err)) << err;
  node.setAuth(&authA);
  Transport ta(loop, 0, endpoints, log), tb(loop, 1, endpoints, log);
  ASSERT_TRUE(ta.listen(err)) << err;
  ta.onFrame([&](int peer, const uint8_t *d, size_t n) {
    uint64_t before = node.stats().authenticated;
    node.receiveFrame(peer, d, n);
    return node.stats().authenticated > before;
  });

  const int rounds = 50, perRound = 20;
  std::vector<int> spoofed;
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < perRound; ++i)
      tb.send(0, authB.seal(stmt(1, 0, r * perRound + i), 0));
    pump(loop, 5);
    for (int k = 0; k < 3; ++k) { // spoofed hellos naming B
      int fd = dial(ports[0]);
      sendFrame(fd, hello(1));
      spoofed.push_back(fd);
    }
    pump(loop, 5);
  }
  for (int i = 0;
       i < 40 && node.stats().delivered < uint64_t(rounds * perRound); ++i)
    pump(loop, 50);
  EXPECT_EQ(node.stats().delivered, uint64_t(rounds * perRound));
  EXPECT_EQ(tb.stats().reconnects, 0u); // B's connection was never cut
  EXPECT_GE(ta.stats().evicted + ta.stats().refused, uint64_t(rounds * 3 - 3));
  for (int fd : spoofed)
    close(fd);
  ta.closeAll();
  tb.closeAll();
}
