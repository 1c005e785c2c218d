// Endpoint resolution (see Endpoint.h).
#include "runtime/net/Endpoint.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace mommie::rt {

bool resolveEndpoint(const Endpoint &e, sockaddr_in &addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(e.port);
  std::string host = e.host == "localhost" ? "127.0.0.1" : e.host;
  return inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1;
}

} // namespace mommie::rt
