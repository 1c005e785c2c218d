// A principal's network address as deploy.conf's [Hosts] gives it
// (`R0 = 127.0.0.1:7100`), and its resolution to an IPv4 socket address.
// C++17.
#pragma once

#include <cstdint>
#include <string>

struct sockaddr_in;

namespace mommie::rt {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  bool valid() const { return port != 0; }
  // "host:port"
  std::string str() const { return host + ":" + std::to_string(port); }
};

// The IPv4 address of an endpoint ("localhost" or dotted quad); false if
// it has none.
bool resolveEndpoint(const Endpoint &e, sockaddr_in &addr);

} // namespace mommie::rt
