// The modules of a node's deploy file (see Dissemination.h).
#include "runtime/dissem/Dissemination.h"

#include "runtime/auth/Auth.h"
#include "runtime/dissem/Batch.h"
#include "runtime/dissem/Digest.h"
#include "runtime/dissem/Optimistic.h"

namespace mommie::rt {

std::vector<std::unique_ptr<DisseminationModule>>
makeDisseminationModules(DisseminationHost &host, Authenticator &auth,
                         const std::vector<std::string> &principals) {
  std::vector<std::unique_ptr<DisseminationModule>> out;
  if (Optimistic::anyRule(auth.config()))
    out.push_back(std::make_unique<Optimistic>(host, auth));
  out.push_back(std::make_unique<Batcher>(host, auth, principals.size()));
  if (DigestLink::anyDigest(auth.config(), principals, host.me()))
    out.push_back(std::make_unique<DigestLink>(
        auth.config(), principals, host.me(),
        [&host](int peer, const std::vector<uint8_t> &f) {
          host.sendFrame(peer, f);
        },
        [&host](int peer, const uint8_t *d, size_t n) {
          host.openFrame(peer, d, n);
        },
        [&host](Reject r, const char *why) { host.reject(r, why); }));
  return out;
}

} // namespace mommie::rt
