// OPTIMISTIC dissemination (DESIGN.md "Deployment configuration", the
// MOMMIE paper section 4): a [Dissemination] rule such as
//
//   C* -> R* : OPTIMISTIC(PRIMARY) 20ms; OPTIMISTIC(QUORUM) 40ms
//
// makes a statement this node publishes to several verifiers go out in
// stages, each tried for its escalation timeout (default 50 ms):
//   OPTIMISTIC(PRIMARY)  one forwardable frame to the primary (the
//                        lowest-numbered verifier), which relays it
//                        unchanged to the other verifiers;
//   OPTIMISTIC(QUORUM)   the statement to n - floor((n-1)/3) of the n
//                        verifiers (the primary first);
// and, once every stage has timed out without progress, unicast to every
// verifier not yet sent to — the fallback that implements the pool
// semantics exactly. Progress stops the escalation: the PUBLISH's PROGRESS
// pattern holds at the publisher, or, without one, a later step of the
// publisher's role changed its state after a statement was delivered to it
// ("the publisher's state machine makes progress"; its own further
// publishes do not count). Whatever the stage, a statement is delivered only
// with its issuer's signature (Auth.h, forwardable frames), so dissemination
// changes neither safety nor what a trace may contain.
//
// The rule used is the last [Dissemination] rule covering this node and
// every verifier; a statement whose carrier is not one forwardable module
// for all verifiers, or with a single other verifier, is sent as before.
// C++17.
#pragma once

#include "runtime/dissem/Dissemination.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mommie::rt {

struct DeployConfig;

struct OptimisticStats {
  uint64_t optimistic = 0; // statements sent through OPTIMISTIC stages
  uint64_t relayed = 0;    // frames this node relayed for another issuer
  uint64_t escalations =
      0;                  // stages entered after a timeout (fallback included)
  uint64_t fallbacks = 0; // statements that reached unicast-to-all
  uint64_t stopped = 0;   // escalations avoided by progress
  std::string toJson() const;
};

class Optimistic final : public DisseminationModule {
public:
  enum class Stage : uint8_t { Primary, Quorum };
  struct Step {
    Stage stage;
    int64_t escalationMs;
  };

  // Whether the deploy file has an OPTIMISTIC rule (then every node gets
  // the module: publishers escalate, verifiers relay).
  static bool anyRule(const DeployConfig &conf);
  Optimistic(DisseminationHost &host, Authenticator &auth);
  ~Optimistic() override;
  const char *name() const override { return "OPTIMISTIC"; }

  // Sends `s` (just published by this node) through the OPTIMISTIC stages
  // if a rule covers it; false if the caller must send it as usual.
  // `progress`: the PROGRESS pattern's test, or empty.
  bool publish(const Statement &s, const std::function<bool()> &progress,
               uint64_t mark) override;
  // A forwardable frame (type 5) from `peer`: delivered and relayed.
  bool open(int peer, const uint8_t *data, size_t size) override;
  const OptimisticStats &stats() const { return stats_; }
  std::string statsJson() const override { return stats_.toJson(); }
  // The stages of the rule covering this node -> every principal of
  // `verifiers` (empty if none): for tests.
  std::vector<Step> stagesFor(const std::vector<int> &verifiers) const;

private:
  struct Pending;
  void relay(int peer, const uint8_t *data, size_t size);
  void escalate(const std::shared_ptr<Pending> &p);
  bool progressed(const Pending &p) const;
  DisseminationHost &host_;
  Authenticator &auth_;
  OptimisticStats stats_;
};

} // namespace mommie::rt
