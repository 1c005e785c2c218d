// The TCP transport and the node's delivery checks on loopback: frames
// arrive attributed to the dialling principal; garbage, oversized and
// forged frames are rejected and counted while the node keeps serving.
#include "runtime/net/Transport.h"
#include "runtime/node/Node.h"

#include "../e2e/E2eUtil.h"

#include "RuntimeTestUtil.h"

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
  ASSERT_EQ(::send(fd, w.buffer().data(), w.buffer().size(), MSG_NOSIGNAL),
            ssize_t(w.buffer().size()));
}

std::vector<uint8_t> hello(int me) { return Transport::helloPayload(me); }

// A minimal role: no transitions.
using rt_test::Idle;

ProgramInfo info() {
  ProgramInfo p;
  p.name = "T";
  p.principals = {"A", "B", "C"};
  p.schema.numPrincipals = 3;
  p.schema.records.push_back({"Msg", {"n"}, {TypeDesc::range(0, 9)}});
  p.schema.finish(p.principals);
  p.roles.push_back({"Idle", 0, 3, [](Node &n) {
                       return std::unique_ptr<RoleBase>(new Idle(n));
                     }});
  return p;
}

Statement msg(int issuer, int verifier, int64_t n) {
  return Statement{issuer, Value::set({Value::principal(verifier)}),
                   Value::set({}), Value::record(0, {Value::integer(n)})};
}

} // namespace

TEST(Transport, DeliversAndRejectsHostileInput) {
  ProgramInfo pi = info();
  uint16_t port = freePort();
  std::vector<Endpoint> hosts = {
      {"127.0.0.1", port}, {"127.0.0.1", 1}, {"127.0.0.1", 1}};
  EventLoop loop;
  Logger log("A", LogLevel::Off);
  Node node(loop, log, pi, 0);
  std::string err;
  ASSERT_TRUE(node.init(err)) << err;
  Transport t(loop, 0, hosts, log);
  ASSERT_TRUE(t.listen(err)) << err;
  t.onFrame([&](int peer, const uint8_t *d, size_t n) {
    node.receiveFrame(peer, d, n);
    return true;
  });

  int b = dial(port);
  ASSERT_GE(b, 0);
  sendFrame(b, hello(1));
  sendFrame(b, Node::encodeStatementFrame(msg(1, 0, 3))); // good
  sendFrame(b, Node::encodeStatementFrame(msg(1, 0, 3))); // duplicate
  sendFrame(b,
            Node::encodeStatementFrame(msg(2, 0, 4))); // claims another issuer
  sendFrame(b, Node::encodeStatementFrame(msg(1, 2, 5)));  // not for us
  sendFrame(b, Node::encodeStatementFrame(msg(1, 0, 42))); // outside 0..9
  sendFrame(b, {1, 2, 3, 4, 5});                           // garbage
  sendFrame(b, Node::encodeStatementFrame(msg(1, 0, 6)));  // good again
  loop.runUntil(EventLoop::now() + Millis(300));
  EXPECT_EQ(node.stats().delivered, 2u);
  EXPECT_EQ(node.stats().duplicates, 1u);
  EXPECT_EQ(node.stats().rejected, 4u);
  EXPECT_EQ(node.pool().size(), 2u);

  // An oversized frame closes that connection only.
  int c = dial(port);
  ASSERT_GE(c, 0);
  sendFrame(c, hello(2));
  Writer big;
  big.u32be(uint32_t(Transport::MaxFrame + 1));
  ASSERT_GT(::send(c, big.buffer().data(), 4, MSG_NOSIGNAL), 0);
  loop.runUntil(EventLoop::now() + Millis(200));
  EXPECT_EQ(t.stats().oversized, 1u);
  char byte;
  EXPECT_EQ(::recv(c, &byte, 1, 0), 0); // closed by the node
  // A bad hello is refused too; the node keeps serving the good peer.
  int d = dial(port);
  sendFrame(d, {9, 9, 9});
  sendFrame(b, Node::encodeStatementFrame(msg(1, 0, 7)));
  loop.runUntil(EventLoop::now() + Millis(200));
  EXPECT_EQ(node.stats().delivered, 3u);
  EXPECT_GE(t.stats().badFrames, 1u);
  close(b);
  close(c);
  close(d);
}

TEST(Transport, ReconnectsAndFlushesQueuedFrames) {
  ProgramInfo pi = info();
  uint16_t pa = freePort(), pb = freePort();
  std::vector<Endpoint> hosts = {
      {"127.0.0.1", pa}, {"127.0.0.1", pb}, {"127.0.0.1", 1}};
  EventLoop loop;
  Logger log("A", LogLevel::Off);
  Transport a(loop, 0, hosts, log);
  std::string err;
  ASSERT_TRUE(a.listen(err)) << err;
  // B is not listening yet: the frame is queued, A retries with backoff.
  a.send(1, {1, 2, 3});
  loop.runUntil(EventLoop::now() + Millis(100));
  EXPECT_GE(a.stats().reconnects, 1u);
  Transport b(loop, 1, hosts, log);
  std::vector<std::pair<int, std::vector<uint8_t>>> got;
  b.onFrame([&](int peer, const uint8_t *d, size_t n) {
    got.push_back({peer, std::vector<uint8_t>(d, d + n)});
    return true;
  });
  ASSERT_TRUE(b.listen(err)) << err;
  a.send(1, {4, 5});
  loop.runUntil(EventLoop::now() + Millis(1500));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, 0);
  EXPECT_EQ(got[0].second, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(got[1].second, (std::vector<uint8_t>{4, 5}));
}

// Durable barriers (group commit off the loop): a frame sent after a record
// was written waits until that record is durable, asking for a sync; frames
// keep their order; durableAdvanced() releases what became durable.
TEST(Transport, FramesWaitForTheirDurableBarrier) {
  uint16_t pa = freePort(), pb = freePort();
  std::vector<Endpoint> hosts = {
      {"127.0.0.1", pa}, {"127.0.0.1", pb}, {"127.0.0.1", 1}};
  EventLoop loop;
  Logger log("A", LogLevel::Off);
  Transport a(loop, 0, hosts, log), b(loop, 1, hosts, log);
  std::string err;
  ASSERT_TRUE(a.listen(err)) << err;
  ASSERT_TRUE(b.listen(err)) << err;
  std::vector<std::vector<uint8_t>> got;
  b.onFrame([&](int, const uint8_t *d, size_t n) {
    got.emplace_back(d, d + n);
    return true;
  });
  uint64_t written = 0, durable = 0;
  int needs = 0;
  a.setDurableBarrier([&] { return written; }, [&] { return durable; },
                      [&] { ++needs; });
  a.send(1, {1}); // depends on nothing written
  written = 2;
  a.send(1, {2}); // needs records 1 and 2
  written = 3;
  a.send(1, {3}); // and 3
  loop.runUntil(EventLoop::now() + Millis(300));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (std::vector<uint8_t>{1}));
  EXPECT_GE(needs, 1);
  durable = 2;
  a.durableAdvanced();
  loop.runUntil(EventLoop::now() + Millis(200));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], (std::vector<uint8_t>{2}));
  durable = 3;
  a.durableAdvanced();
  loop.runUntil(EventLoop::now() + Millis(200));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2], (std::vector<uint8_t>{3}));
}
