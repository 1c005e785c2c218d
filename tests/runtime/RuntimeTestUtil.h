// Helpers shared by the runtime and authentication tests: a role with no
// transitions (a node that only receives) and a raw loopback client socket
// for speaking the frame format by hand.
#pragma once

#include "runtime/node/Node.h"

#include <arpa/inet.h>
#include <cstdint>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace rt_test {

class Idle final : public mommie::rt::RoleBase {
public:
  using RoleBase::RoleBase;
  const char *roleName() const override { return "Idle"; }
  size_t numTransitions() const override { return 0; }
  const char *transitionName(size_t) const override { return "?"; }
  bool refracted(size_t) const override { return false; }
  bool fire(size_t, mommie::rt::Step &) override { return false; }
  std::string stateJson() const override { return "{}"; }
  std::string stateDeltaJson() override { return "{}"; }
  size_t numTimers() const override { return 0; }
  const char *timerName(size_t) const override { return "?"; }
  int64_t timerMs(size_t) const override { return 0; }
};

// A program whose principals `names` all play Idle, with one record type
// Msg { n: 0..2^20 }: for tests of what a node receives.
inline mommie::rt::ProgramInfo
idleProgram(const std::vector<std::string> &names) {
  using namespace mommie::rt;
  ProgramInfo p;
  p.name = "T";
  p.principals = names;
  p.schema.numPrincipals = int(names.size());
  p.schema.records.push_back({"Msg", {"n"}, {TypeDesc::range(0, 1 << 20)}});
  p.schema.finish(p.principals);
  p.roles.push_back({"Idle", 0, int(names.size()), [](Node &n) {
                       return std::unique_ptr<RoleBase>(new Idle(n));
                     }});
  return p;
}

// A TCP connection to 127.0.0.1:port, or -1.
inline int dial(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

} // namespace rt_test
