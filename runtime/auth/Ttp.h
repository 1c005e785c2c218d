// The trusted third party of TTP(z) (docs/deploy.md "TTP(z)"): a node role
// run by the program's binary (`BIN --id T0 --deploy deploy.conf --keys
// KEYDIR`) for a principal z that deploy.conf names in TTP(z) and [Hosts]
// but the program does not. z receives the issuers' requests (frame 9, a
// MAC of the issuer's key shared with z), checks MAC, sender = issuer and
// freshness, countersigns each statement once (Ed25519 over z, issuer and
// statement) and relays the countersigned frame (10) to the verifiers the
// configuration gives TTP(z). z keeps no statements: its memory is one
// sequence number per issuer. C++17.
#pragma once

#include "runtime/auth/Auth.h"
#include "runtime/auth/Deploy.h"
#include "runtime/net/Log.h"

#include <functional>
#include <string>
#include <vector>

namespace mommie::rt {

class TtpRelay {
public:
  using Send = std::function<void(int peer, const std::vector<uint8_t> &frame)>;
  struct Stats {
    uint64_t countersigned = 0; // statements signed (once each)
    uint64_t relayed = 0;       // countersigned frames sent to verifiers
    uint64_t rejected = 0;
    RejectCounts rejects;
  };

  TtpRelay(Authenticator &auth, Logger &log, Send send);
  // A frame from `peer`: a request is countersigned and relayed; anything
  // else is rejected and counted.
  void receive(int peer, const uint8_t *data, size_t size);
  const Stats &stats() const { return stats_; }
  // {"countersigned":N,"relayed":N,"rejected":N,"rejects":{...}}
  std::string statsJson() const;

private:
  void reject(Reject r);
  Authenticator &auth_;
  Logger &log_;
  Send send_;
  Stats stats_;
};

struct TtpNodeOptions {
  std::string id, deployPath, keysDir, statsPath;
  LogLevel level = LogLevel::Info;
  int64_t runForMs = -1, quiescentMs = -1;
};

// The TTP node's main loop; prints its outcome line (counters) on stdout.
// Exit 0, or 2 on bad input (keys, address).
int ttpNodeMain(const char *argv0, const TtpNodeOptions &o,
                const DeployConfig &conf,
                const std::vector<std::string> &programPrincipals,
                const std::vector<Endpoint> &hosts);

} // namespace mommie::rt
