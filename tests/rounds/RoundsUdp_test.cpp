// Round programs over the UDP transport (`--transport udp`, runtime/
// UdpTransport.h) on loopback: the same checks as RoundsE2E_test.cpp
// (termination where the program guarantees it, agreement, every trace
// conforms to the lock-step model), with seeded loss, a kill -9, and a
// flood of datagrams from an address that is no principal's endpoint.
#include "RoundsE2EUtil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace rounds_e2e;

namespace {

const std::vector<std::string> Udp = {"--transport", "udp"};

// As in RoundsE2E_test.cpp: enough phases that a phase missed on a loaded
// machine does not prevent a decision.
constexpr int LivePhases = 8;

} // namespace

TEST(RoundsUdp, LastVoting3) {
  Cluster c = build("last_voting.mom", 3, LivePhases, "udp-lv3");
  ASSERT_FALSE(c.bin.empty());
  EXPECT_EQ(runAndCheck(c, "", 0, 10000, 0, 1, true, Udp), 3);
}

TEST(RoundsUdp, LastVoting7) {
  Cluster c = build("last_voting.mom", 7, LivePhases, "udp-lv7");
  ASSERT_FALSE(c.bin.empty());
  EXPECT_EQ(runAndCheck(c, "", 0, 10000, 0, 1, true, Udp), 7);
}

TEST(RoundsUdp, LastVoting5CoordinatorCrash) {
  // As RoundsE2E.LastVoting5CoordinatorCrash: P0 is killed in its first
  // phase; P1 coordinates phase 1 with the 4 survivors.
  Cluster c = build("last_voting.mom", 5, 6, "udp-lv5c");
  ASSERT_FALSE(c.bin.empty());
  EXPECT_EQ(runAndCheck(c, "P0", 320, 15000, 0, 1, true, Udp), 4);
}

// Seeded loss at the sender (30%): safety whatever is lost; deciding is not
// required of any single run.
TEST(RoundsUdp, AgreementUnderSeededLoss) {
  for (const char *example : {"one_third_rule.mom", "last_voting.mom"}) {
    Cluster c = build(example, 5, 6, "udp-loss");
    ASSERT_FALSE(c.bin.empty());
    for (int seed = 1; seed <= 2; ++seed)
      runAndCheck(c, "", 0, 10000, 30, seed, /*needDecision=*/false, Udp);
  }
}

// 2000 datagrams (garbage, empty and round-frame-shaped) from a socket that
// is no principal's endpoint: all dropped before authentication and
// counted; the nodes still decide and their traces conform.
TEST(RoundsUdp, DatagramsFromStrangersAreDroppedAndCounted) {
  Cluster c = build("last_voting.mom", 3, LivePhases, "udp-strangers");
  ASSERT_FALSE(c.bin.empty());
  std::string conf = e2e::readFile(c.dir + "/deploy.conf");
  auto at = conf.find("P1 = 127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << conf;
  int port = std::stoi(conf.substr(at + std::string("P1 = 127.0.0.1:").size()));
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(uint16_t(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  std::thread flood([&] {
    // Starts while the nodes start (they bind within their 300 ms start
    // delay); datagrams sent before P1 binds are lost, which is fine.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const uint8_t frame[] = {2, 1, 0}; // round frame type, round 1, payload 0
    const uint8_t junk[] = {0xff, 0x00, 0x13, 0x37};
    int sent = 0;
    for (int i = 0; i < 2000; ++i) {
      const uint8_t *d = i % 2 ? frame : junk;
      size_t n = i % 2 ? sizeof frame : sizeof junk;
      sent += sendto(fd, d, n, 0, reinterpret_cast<sockaddr *>(&to),
                     sizeof to) == ssize_t(n);
      if (i % 100 == 99)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(sent, 2000);
  });
  EXPECT_EQ(runAndCheck(c, "", 0, 10000, 0, 1, true, Udp), 3);
  flood.join();
  close(fd);
  json o = json::parse(e2e::readFile(c.dir + "/P1.out"), nullptr, false);
  ASSERT_FALSE(o.is_discarded());
  EXPECT_GT(o["bad_frames_in"].get<int>(), 1000)
      << o.dump(); // most arrive after P1 binds
  EXPECT_LE(o["bad_frames_in"].get<int>(), 2000) << o.dump();
  EXPECT_EQ(o["rejected"], 0)
      << "a stranger's datagram reached the authenticator: " << o.dump();
}

// pbft_normal_case.mom (4 replicas, F = 1): its Prepare and Commit rounds
// wait with sync(F+1) until 3 replicas reached them. With 30% of the
// datagrams dropped at the sender, only the resends of a waiting sync round
// (every 10 ms over UDP) let the replicas pass those rounds: each replica
// runs to the end, the waiting ones resent, whoever decides decides the
// primary's value, and the traces conform.
TEST(RoundsUdp, PbftSyncRoundsResendOverLossyLinks) {
  Cluster c = buildNamed("pbft_normal_case.mom", {"R0", "R1", "R2", "R3"},
                         {"F=1"}, "udp-pbft");
  ASSERT_FALSE(c.bin.empty());
  uint64_t resends = 0;
  std::vector<std::string> flags = Udp;
  flags.insert(
      flags.end(),
      {"--phases", "1"}); // the protocol is one phase (`phase bound 1`)
  for (int seed = 1; seed <= 2; ++seed) {
    runAndCheck(c, "", 0, 15000, 30, seed, /*needDecision=*/false, flags);
    for (const auto &n : c.names) {
      json o =
          json::parse(e2e::readFile(c.dir + "/" + n + ".out"), nullptr, false);
      ASSERT_FALSE(o.is_discarded()) << n;
      resends += o["resends"].get<uint64_t>();
      const json &d = o["state"]["decided"];
      EXPECT_TRUE(d == json({{"$some", 0}}) || d == json({{"$none", true}}))
          << n << " " << o.dump();
    }
  }
  EXPECT_GT(resends, 0u) << "no sync round ever waited under 30% loss";
}

// Seeded delay (0-30 ms per message, so messages also reorder) and 10%
// loss, over UDP and over TCP: safety whatever the schedule; the nodes
// finish their phases and their traces conform. With delays beyond the
// 50 ms round timeouts' margin no decision is required.
TEST(RoundsUdp, AgreementUnderSeededDelayAndLoss) {
  Cluster c = build("last_voting.mom", 5, LivePhases, "udp-delay");
  ASSERT_FALSE(c.bin.empty());
  for (const char *transport : {"udp", "tcp"})
    runAndCheck(c, "", 0, 15000, 10, 3, /*needDecision=*/false,
                {"--transport", transport, "--delay", "0-30"});
}

TEST(RoundsUdp, BadTransportFlagsExitTwo) {
  Cluster c = build("last_voting.mom", 3, 2, "udp-flags");
  ASSERT_FALSE(c.bin.empty());
  for (const std::vector<std::string> &bad :
       {std::vector<std::string>{"--transport", "sctp"},
        {"--delay", "30-10"},
        {"--delay", "x"},
        {"--delay", "0-99999"},
        {"--resend-ms", "-1"}}) {
    std::vector<std::string> argv = {c.bin, "--id", "P0", "--deploy",
                                     c.dir + "/deploy.conf"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    EXPECT_EQ(e2e::run(argv, c.dir, 10000), 2) << bad[0] << " " << bad[1];
    EXPECT_NE(e2e::readFile(c.dir + "/run.err").find("error:"),
              std::string::npos);
  }
}
