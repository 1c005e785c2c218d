// The [Dissemination] modules (DESIGN.md "Deployment configuration") behind
// one interface. A statement a node publishes goes through the modules'
// stages in order, each of which may take it over:
//
//   publish   the statement, to all its verifiers      OPTIMISTIC
//   (Optimistic.h) sendTo    the statement, to one verifier            BATCH
//   (Batch.h) outgoing  a sealed frame, to one peer               DIGEST
//   (Digest.h)
//
// and a frame received goes through `receive` (DIGEST splices digests back)
// and, once reassembled, `open` (OPTIMISTIC relays forwardable frames)
// before the node authenticates and delivers it. A module that does not
// take a statement or frame leaves it to the next stage, which ends in
// unicast to every verifier: the pool semantics exactly, so dissemination
// changes neither safety nor what a trace may contain. C++17.
#pragma once

#include "runtime/net/EventLoop.h"
#include "runtime/pool/Statement.h"
#include "runtime/wire/Stats.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mommie::rt {

class Authenticator;

// What a module needs of the node it serves (implemented by Node).
class DisseminationHost {
public:
  virtual int me() const = 0;
  virtual EventLoop &loop() = 0;
  virtual bool failed() const = 0;
  // A frame straight to the transport.
  virtual void sendFrame(int peer, const std::vector<uint8_t> &frame) = 0;
  // A sealed frame carrying `ss` through the `outgoing` stage to the transport.
  virtual void sendSealed(int peer, std::vector<uint8_t> frame,
                          const std::vector<const Statement *> &ss) = 0;
  // A received frame past the `receive` stage: `open`, then authentication.
  virtual void openFrame(int peer, const uint8_t *data, size_t size) = 0;
  // Delivers an authenticated statement of `issuer`; true if new.
  virtual bool deliver(int issuer, Statement s) = 0;
  virtual void reject(Reject r, const char *why) = 0;
  // Steps that changed the role state after a delivery: OPTIMISTIC's
  // default progress.
  virtual uint64_t progressMark() const = 0;
  // Counters of the node's stats: a frame not sent for want of a key, a
  // batch frame sent.
  virtual void countUnsent() = 0;
  virtual void countBatch() = 0;

protected:
  ~DisseminationHost() = default;
};

class DisseminationModule {
public:
  virtual ~DisseminationModule() = default;
  virtual const char *name() const = 0; // the deploy.conf module: "BATCH"
  // `s`, just published by this node; true if the module sends it (to
  // every verifier, eventually). `progress`: the PUBLISH's PROGRESS test or
  // empty; `mark`: the host's progressMark() at publication.
  virtual bool publish(const Statement &s,
                       const std::function<bool()> &progress, uint64_t mark) {
    return false;
  }
  // `s` to verifier `peer`; true if the module sends it.
  virtual bool sendTo(int peer, const Statement &s) { return false; }
  // The end of a run of steps: what waits for it leaves now.
  virtual void flush() {}
  // A sealed frame carrying `ss` on its way to `peer`; may rewrite it.
  virtual void outgoing(int peer, std::vector<uint8_t> &frame,
                        const std::vector<const Statement *> &ss) {}
  // A frame from `peer` as the transport gives it; true if handled here.
  virtual bool receive(int peer, const uint8_t *data, size_t size) {
    return false;
  }
  // A frame as its issuer sealed it; true if handled here.
  virtual bool open(int peer, const uint8_t *data, size_t size) {
    return false;
  }
  // A statement that entered the pool (delivered or published).
  virtual void remember(const Statement &s) {}
  // The module's counters as a JSON object.
  virtual std::string statsJson() const = 0;
};

// The modules the deploy file of `auth` gives node `host`, in stage order:
// OPTIMISTIC if some rule names it, BATCH, DIGEST if some rule makes it the
// reference module of a pair involving this node. `principals`: the
// program's.
std::vector<std::unique_ptr<DisseminationModule>>
makeDisseminationModules(DisseminationHost &host, Authenticator &auth,
                         const std::vector<std::string> &principals);

} // namespace mommie::rt
