// BATCH queues per receiver (see Batch.h).
#include "runtime/dissem/Batch.h"

#include "runtime/auth/Auth.h"

namespace mommie::rt {

Batcher::Batcher(DisseminationHost &host, Authenticator &auth,
                 size_t numPrincipals)
    : host_(host), auth_(auth), batch_(numPrincipals),
      batchBytes_(numPrincipals, 0) {}

bool Batcher::sendTo(int peer, const Statement &s) {
  if (auth_.batchFor(peer).n <= 1)
    return false;
  int me = host_.me();
  auto &q = batch_[size_t(peer)];
  if (!q.empty() && auth_.carrier(me, peer, q.front().auditors) !=
                        auth_.carrier(me, peer, s.auditors))
    flushBatch(peer); // one module per batch frame
  q.push_back(s);
  batchBytes_[size_t(peer)] += s.key().size();
  auto policy = auth_.batchFor(peer);
  if (q.size() >= policy.n || batchBytes_[size_t(peer)] > (512u << 10)) {
    flushBatch(peer);
  } else if (policy.delayMs > 0 && !batchTimer_) {
    batchTimer_ = true;
    host_.loop().after(Millis(policy.delayMs), [this] {
      batchTimer_ = false;
      flushBatches(true);
    });
  }
  return true;
}

void Batcher::flushBatch(int peer) {
  auto &q = batch_[size_t(peer)];
  if (q.empty())
    return;
  auto frame =
      q.size() == 1 ? auth_.seal(q.front(), peer) : auth_.sealBatch(q, peer);
  if (frame.empty()) {
    host_.countUnsent();
  } else {
    host_.countBatch();
    ++frames_;
    std::vector<const Statement *> ss;
    for (const auto &s : q)
      ss.push_back(&s);
    host_.sendSealed(peer, std::move(frame), ss);
  }
  q.clear();
  batchBytes_[size_t(peer)] = 0;
}

void Batcher::flushBatches(bool delayedToo) {
  for (size_t p = 0; p < batch_.size(); ++p)
    if (!batch_[p].empty() &&
        (delayedToo || auth_.batchFor(int(p)).delayMs == 0))
      flushBatch(int(p));
}

std::string Batcher::statsJson() const {
  return "{\"frames\":" + std::to_string(frames_) + "}";
}

} // namespace mommie::rt
