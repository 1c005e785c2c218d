// The round engine (see RoundEngine.h): ReSync's Listing 1, event-driven.
#include "runtime/rounds/RoundEngine.h"

#include <algorithm>
#include <optional>

namespace mommie::rt {

RoundEngine::RoundEngine(RoundProgram &program, RoundEnv &env,
                         RoundConfig config)
    : prog_(program), env_(env), cfg_(std::move(config)),
      len_(std::max<size_t>(1, program.numRounds())) {
  int maxId = cfg_.me;
  for (int p : cfg_.peers)
    maxId = std::max(maxId, p);
  slotOfPrincipal_.assign(size_t(maxId) + 1, -1);
  for (size_t i = 0; i < cfg_.peers.size(); ++i)
    if (cfg_.peers[i] >= 0)
      slotOfPrincipal_[size_t(cfg_.peers[i])] = int(i);
  meSlot_ = slotOf(cfg_.me);
  size_t n = cfg_.peers.size();
  has_.assign(n, false);
  mbox_.assign(n, Value());
  // Nobody has been seen at the first round yet (sync counts from here).
  maxRound_.assign(n, cfg_.firstRound - 1);
  if (meSlot_ >= 0)
    maxRound_[size_t(meSlot_)] = cfg_.firstRound;
  pending_.assign(n, {});
  answeredUs_.assign(n, -1);
  cur_ = next_ = cfg_.firstRound;
}

int RoundEngine::slotOf(int peer) const {
  return peer >= 0 && size_t(peer) < slotOfPrincipal_.size()
             ? slotOfPrincipal_[size_t(peer)]
             : -1;
}

size_t RoundEngine::pendingOf(int peer) const {
  int s = slotOf(peer);
  return s < 0 ? 0 : pending_[size_t(s)].size();
}

int64_t RoundEngine::catchUpTo() const {
  // The (F+1)-th highest round seen: sorted ascending, index N - F - 1.
  std::vector<int64_t> v(maxRound_);
  if (v.empty())
    return cur_;
  size_t f = size_t(std::max(0, cfg_.byzantine));
  if (f >= v.size())
    return cur_;
  size_t k = v.size() - f - 1;
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

void RoundEngine::start() {
  if (started_)
    return;
  started_ = true;
  int64_t phases = cfg_.phases > 0 ? cfg_.phases : prog_.numPhases();
  limit_ = phases <= 0 || phases >= Never / int64_t(len_)
               ? Never
               : phases * int64_t(len_);
  startRound();
  advance();
}

Value RoundEngine::mailbox() const {
  std::vector<std::pair<Value, Value>> m;
  m.reserve(mboxCount_);
  for (size_t i = 0; i < has_.size(); ++i)
    if (has_[i])
      m.emplace_back(Value::principal(cfg_.peers[i]), mbox_[i]);
  return Value::map(std::move(m));
}

void RoundEngine::startRound() {
  if (cur_ >= limit_) {
    done_ = true;
    deadlineUs_ = resendAtUs_ = armedUs_ = Never;
    env_.setTimer(-1);
    return;
  }
  size_t r = size_t(cur_ % int64_t(len_));
  int64_t ph = cur_ / int64_t(len_);
  // SEND (self-messages bypass the network).
  sent_.clear();
  prog_.send(r, ph, sent_);
  std::optional<Value> self;
  for (const auto &[dest, payload] : sent_) {
    if (dest == cfg_.me)
      self = payload;
    else
      env_.send(dest, uint32_t(cur_), payload);
  }
  progress_ = prog_.progress(r, ph);
  if (progress_.sync > 0)
    sendMarkers();
  // RECEIVE INIT
  resendAtUs_ = Never;
  strict_ = false;
  timedOut_ = false;
  std::fill(has_.begin(), has_.end(), false);
  mboxCount_ = 0;
  roundStartUs_ = env_.nowUs();
  checkProgress();
  if (self && meSlot_ >= 0)
    processReceive(meSlot_, std::move(*self));
  // Deliver the messages buffered for this round; drop older ones.
  for (size_t s = 0; s < pending_.size(); ++s) {
    auto &q = pending_[s];
    for (size_t i = 0; i < q.size();) {
      if (q[i].round <= cur_) {
        Pending p = std::move(q[i]);
        q[i] = std::move(q.back());
        q.pop_back();
        --pendingTotal_;
        if (p.round == cur_)
          processReceive(int(s), std::move(p.payload));
      } else {
        ++i;
      }
    }
  }
}

void RoundEngine::finishRound() {
  size_t r = size_t(cur_ % int64_t(len_));
  int64_t ph = cur_ / int64_t(len_);
  Value mb = mailbox();
  prog_.update(r, ph, mb);
  ++stats_.rounds;
  RoundRecord rec;
  rec.round = cur_;
  rec.phaseNo = ph;
  rec.roundNo = r;
  for (size_t i = 0; i < has_.size(); ++i)
    if (has_[i])
      rec.mbox.emplace_back(cfg_.peers[i], mbox_[i]);
  rec.sent = std::move(sent_);
  sent_.clear();
  rec.timedOut = timedOut_;
  env_.roundDone(rec);
  if (next_ > cur_ + 1)
    ++stats_.jumps;
  ++cur_;
  if (meSlot_ >= 0)
    maxRound_[size_t(meSlot_)] = std::max(maxRound_[size_t(meSlot_)], cur_);
  next_ = std::max(next_, cur_);
}

void RoundEngine::advance() {
  if (advancing_) // re-entered from the environment: the outer call continues
    return;
  advancing_ = true;
  struct Reset {
    bool &b;
    ~Reset() { b = false; }
  } reset{advancing_};
  while (!done_ && canLeave()) {
    finishRound();
    startRound();
  }
}

void RoundEngine::checkProgress() {
  const RoundProgress &p = progress_;
  int64_t deadline = Never;
  if (p.timeoutMs >= 0) {
    deadline = roundStartUs_ + p.timeoutMs * 1000;
    strict_ = !p.catchUp;
  } else {
    // Without a timeout only goAhead / catch-up can end the round.
    strict_ = !p.catchUp;
  }
  if (p.waitMessages) {
    deadline = Never;
    strict_ = true;
  }
  if (timedOut_)
    strict_ = false;
  if (p.hasGoAhead) {
    size_t r = size_t(cur_ % int64_t(len_));
    if (prog_.goAhead(r, cur_ / int64_t(len_), mailbox())) {
      strict_ = false;
      next_ = std::max(next_, cur_ + 1);
    }
  }
  if (p.sync > 0) {
    int64_t seen = 0;
    for (int64_t m : maxRound_)
      if (m - cur_ >= 0)
        ++seen;
    if (seen >= p.sync + cfg_.byzantine) {
      strict_ = false;
      resendAtUs_ = Never;
    } else {
      deadline = Never;
      strict_ = true;
      if (cfg_.resendUs > 0 && resendAtUs_ == Never)
        resendAtUs_ = env_.nowUs() + cfg_.resendUs;
    }
  }
  deadlineUs_ = deadline;
  armTimer();
}

void RoundEngine::armTimer() {
  int64_t t = std::min(deadlineUs_, resendAtUs_);
  if (t == armedUs_)
    return;
  armedUs_ = t;
  env_.setTimer(t == Never ? -1 : t);
}

size_t RoundEngine::sendMarkers() {
  size_t n = 0;
  for (int p : cfg_.peers) {
    bool got = p == cfg_.me;
    for (const auto &s : sent_)
      got = got || s.first == p;
    if (!got) {
      env_.sendMarker(p, uint32_t(cur_));
      ++n;
    }
  }
  return n;
}

void RoundEngine::resend() {
  for (const auto &[dest, payload] : sent_)
    if (dest != cfg_.me) {
      env_.send(dest, uint32_t(cur_), payload);
      ++stats_.resends;
    }
  stats_.resends += sendMarkers();
}

void RoundEngine::answerLate(int slot) {
  if (cfg_.resendUs <= 0 || slot < 0 || slot == meSlot_)
    return;
  int64_t now = env_.nowUs();
  int64_t &last = answeredUs_[size_t(slot)];
  if (last >= 0 && now - last < cfg_.resendUs)
    return;
  last = lastLateReplyUs_ = now;
  env_.sendMarker(cfg_.peers[size_t(slot)], uint32_t(cur_));
  ++stats_.resends;
}

void RoundEngine::processReceive(int slot, Value payload) {
  if (has_[size_t(slot)]) {
    ++stats_.duplicates;
    return;
  }
  has_[size_t(slot)] = true;
  mbox_[size_t(slot)] = std::move(payload);
  ++mboxCount_;
  ++stats_.delivered;
  checkProgress();
}

void RoundEngine::buffer(int slot, int64_t round, Value payload) {
  auto &q = pending_[size_t(slot)];
  for (const auto &p : q)
    if (p.round == round) {
      ++stats_.duplicates;
      return;
    }
  if (cfg_.maxPendingPerPeer == 0) {
    ++stats_.evicted;
    return;
  }
  if (q.size() >= cfg_.maxPendingPerPeer) {
    size_t lo = 0;
    for (size_t i = 1; i < q.size(); ++i)
      if (q[i].round < q[lo].round)
        lo = i;
    ++stats_.evicted;
    if (q[lo].round > round) // the new message is the lowest: it goes
      return;
    q[lo] = Pending{round, std::move(payload)};
    return;
  }
  q.push_back(Pending{round, std::move(payload)});
  ++pendingTotal_;
  ++stats_.buffered;
  stats_.maxPending = std::max(stats_.maxPending, pendingTotal_);
}

void RoundEngine::onMessage(int peer, uint32_t wr, Value payload) {
  int slot = slotOf(peer);
  if (done_ || !started_) {
    if (!started_ && slot >= 0 && slot != meSlot_) {
      // Before start: buffer as a future message of the first round(s).
      int64_t round = unwrap(wr);
      if (round >= cur_ &&
          prog_.payloadOk(size_t(round % int64_t(len_)), payload, nullptr)) {
        maxRound_[size_t(slot)] = std::max(maxRound_[size_t(slot)], round);
        buffer(slot, round, std::move(payload));
        next_ = std::max(next_, catchUpTo());
      }
    }
    if (done_ && slot != meSlot_ && unwrap(wr) < cur_)
      answerLate(slot);
    return;
  }
  if (slot < 0 || slot == meSlot_) {
    ++stats_.rejected;
    return;
  }
  int64_t round = unwrap(wr);
  if (round < cur_) {
    ++stats_.late;
    answerLate(slot);
    return;
  }
  if (!prog_.payloadOk(size_t(round % int64_t(len_)), payload, nullptr)) {
    ++stats_.rejected;
    return;
  }
  maxRound_[size_t(slot)] = std::max(maxRound_[size_t(slot)], round);
  if (round == cur_) {
    processReceive(slot, std::move(payload));
  } else {
    buffer(slot, round, std::move(payload));
    // Catch-up needs the round's progress to allow it (strict otherwise).
    next_ = std::max(next_, catchUpTo());
    if (progress_.sync > 0) // a later round counts for sync
      checkProgress();
  }
  advance();
}

void RoundEngine::onMarker(int peer, uint32_t wr) {
  int slot = slotOf(peer);
  if (done_ || slot < 0 || slot == meSlot_) {
    if (!done_)
      ++stats_.rejected;
    else if (slot >= 0 && slot != meSlot_ && unwrap(wr) < cur_)
      answerLate(slot);
    return;
  }
  int64_t round = unwrap(wr);
  if (started_ && round < cur_)
    answerLate(slot);
  if (round <= maxRound_[size_t(slot)])
    return;
  maxRound_[size_t(slot)] = round;
  if (!started_)
    return;
  if (round > cur_)
    next_ = std::max(next_, catchUpTo());
  if (progress_.sync > 0)
    checkProgress();
  advance();
}

void RoundEngine::onTimer() {
  armedUs_ = Never; // the environment's timer is spent
  if (done_ || !started_)
    return;
  int64_t now = env_.nowUs();
  if (resendAtUs_ != Never && now >= resendAtUs_) {
    resend();
    resendAtUs_ = now + cfg_.resendUs;
  }
  if (deadlineUs_ == Never || now < deadlineUs_) {
    armTimer();
    return;
  }
  ++stats_.timeouts;
  timedOut_ = true;
  strict_ = false;
  next_ = std::max(next_, cur_ + 1);
  deadlineUs_ = Never;
  advance();
}

} // namespace mommie::rt
