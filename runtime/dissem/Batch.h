// BATCH(n, d) dissemination (DESIGN.md "Deployment configuration"): the
// statements this node sends to one receiver are queued and leave together
// in one batch frame (Auth.h, sealBatch) once n are queued, 512 KiB are
// queued, d ms passed (d > 0), or, without a delay, at the end of the run
// of steps that produced them. A batch holds the statements of one
// authentication module (a statement of another module flushes it first).
// C++17.
#pragma once

#include "runtime/dissem/Dissemination.h"

namespace mommie::rt {

class Batcher final : public DisseminationModule {
public:
  Batcher(DisseminationHost &host, Authenticator &auth, size_t numPrincipals);
  const char *name() const override { return "BATCH"; }
  bool sendTo(int peer, const Statement &s) override;
  void flush() override { flushBatches(false); }
  std::string statsJson() const override;

private:
  void flushBatch(int peer);
  void flushBatches(bool delayedToo);
  DisseminationHost &host_;
  Authenticator &auth_;
  std::vector<std::vector<Statement>> batch_;
  std::vector<size_t> batchBytes_;
  bool batchTimer_ = false;
  uint64_t frames_ = 0;
};

} // namespace mommie::rt
