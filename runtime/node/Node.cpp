// The node driver (see Node.h).
#include "runtime/node/Node.h"

#include "runtime/auth/Auth.h"
#include "runtime/dissem/Digest.h"
#include "runtime/dissem/Optimistic.h"
#include "runtime/wire/Choice.h"

#include <algorithm>

namespace mommie::rt {

namespace {
constexpr size_t StepBudget = 2048; // steps before yielding to I/O
constexpr size_t MinSweep =
    64; // statements of a type before its first collection pass
} // namespace

Node::Node(EventLoop &loop, Logger &log, const ProgramInfo &info, int me)
    : loop_(loop), log_(log), info_(info), me_(me),
      pool_(info.schema.records.size()), lastActivity_(loop.clock()) {
  for (const auto &[rec, field] : info.fieldIndexes)
    pool_.addFieldIndex(rec, field);
  perIssuer_.assign(info.principals.size(), 0);
  sweepAt_.assign(info.schema.records.size(), MinSweep);
  stepsSinceSweep_.assign(info.schema.records.size(), 0);
}

void Node::reject(Reject r, const char *why) {
  ++stats_.rejected;
  stats_.rejects.add(r);
  if (log_.enabled(LogLevel::Warn) &&
      (stats_.rejected <= 100 || stats_.rejected % 10000 == 0))
    log_.warn("rejected", {{"why", why}, {"reason", rejectName(r)}});
}

Node::~Node() = default;

void Node::setAuth(Authenticator *a) {
  auth_ = a;
  modules_.clear();
  optimistic_ = nullptr;
  digest_ = nullptr;
  if (!a)
    return;
  modules_ = makeDisseminationModules(*this, *a, info_.principals);
  for (const auto &m : modules_) {
    if (auto *o = dynamic_cast<const Optimistic *>(m.get()))
      optimistic_ = o;
    if (auto *d = dynamic_cast<const DigestLink *>(m.get()))
      digest_ = d;
  }
}

void Node::sendSealed(int peer, std::vector<uint8_t> frame,
                      const std::vector<const Statement *> &ss) {
  if (!send_)
    return;
  for (const auto &m : modules_)
    m->outgoing(peer, frame, ss);
  send_(peer, frame);
}

void Node::remember(const Statement &s) {
  for (const auto &m : modules_)
    m->remember(s);
}

void Node::sendTo(int peer, const Statement &s) {
  for (const auto &m : modules_)
    if (m->sendTo(peer, s))
      return;
  auto frame = auth_->seal(s, peer);
  if (frame.empty())
    ++stats_.unsent;
  else
    sendSealed(peer, std::move(frame), {&s});
}

bool Node::init(std::string &error) {
  for (const auto &r : info_.roles)
    if (me_ >= r.first && me_ < r.first + r.size) {
      role_ = r.make(*this);
      break;
    }
  if (!role_) {
    error = "principal " + name() + " plays no role";
    return false;
  }
  deadlines_.assign(role_->numTimers(), std::nullopt);
  timerIds_.assign(role_->numTimers(), 0);
  idle_.assign(role_->numTransitions(), false);
  return true;
}

bool Node::timerExpired(size_t t) const {
  return t < deadlines_.size() && deadlines_[t] &&
         loop_.clock() >= *deadlines_[t];
}

bool Node::anyTimerPending() const {
  for (const auto &d : deadlines_)
    if (d)
      return true;
  return false;
}

std::vector<uint8_t> Node::encodeStatementFrame(const Statement &s) {
  Writer w;
  w.u8(FrameStatement);
  s.encode(w);
  return std::move(w.buffer());
}

size_t Node::initialChoice(size_t n, size_t var) const {
  return rt::initialChoice(n, me_, var,
                           seeded_ ? std::optional(choiceSeed_) : std::nullopt);
}

size_t Node::parameterStart(size_t n) {
  if (n == 0 || !seeded_)
    return 0;
  choiceState_ += 0x9E3779B97F4A7C15ull;
  return size_t(splitmix(choiceState_) % n);
}

void Node::receiveFrame(int peer, const uint8_t *data, size_t size) {
  if (failed_)
    return;
  for (const auto &m : modules_)
    if (m->receive(peer, data, size))
      return; // DIGEST: spliced and opened, held for a fetch, or a fetch /
              // answer
  openFrame(peer, data, size);
}

void Node::openFrame(int peer, const uint8_t *data, size_t size) {
  if (failed_)
    return;
  Statement s;
  for (const auto &m : modules_)
    if (m->open(peer, data, size))
      return; // OPTIMISTIC: a forwardable frame, signed by the issuer, relayed
  if (auth_ && size > 0 && data[0] == Authenticator::FrameTtpCountersigned) {
    Reject why;
    if (!auth_->openCountersigned(peer, data, size, s, why)) {
      reject(why, "countersigned frame not authenticated");
      return;
    }
    int issuer = s.issuer;
    deliver(
        issuer,
        std::move(s)); // countersigned by z: evidence of the issuer's statement
    return;
  }
  if (auth_) {
    Reject why;
    std::vector<Statement> ss;
    if (!auth_->openAny(peer, data, size, ss, why)) {
      reject(why, "frame not authenticated");
      return;
    }
    ++stats_.authenticated;
    for (auto &st : ss)
      deliver(peer, std::move(st));
    return;
  }
  Reader r(data, size);
  uint8_t type = r.u8();
  if (type != FrameStatement || !Statement::decode(r, s) || !r.atEnd()) {
    ++stats_.rejected;
    stats_.rejects.add(Reject::BadFrame);
    log_.warn("bad_frame",
              {{"peer", peer >= 0 && size_t(peer) < info_.principals.size()
                            ? info_.principals[size_t(peer)]
                            : std::to_string(peer)},
               {"why", r.ok() ? "unexpected frame" : r.error()}});
    return;
  }
  ++stats_.authenticated; // PLAINTEXT: the channel is trusted
  deliver(peer, std::move(s));
}

bool Node::deliver(int peer, Statement s) {
  const Schema &sc = info_.schema;
  std::string why;
  Reject reason = Reject::BadRecord;
  bool ok = s.issuer == peer && s.verifiers.setContains(Value::principal(me_));
  if (!ok) {
    why =
        s.issuer != peer ? "issuer is not the sending peer" : "not a verifier";
    reason = s.issuer != peer ? Reject::WrongIssuer : Reject::NotVerifier;
  }
  for (const auto *set : {&s.verifiers, &s.auditors})
    for (const auto &p : set->elems())
      if (ok && (p.asPrincipal() >= sc.numPrincipals)) {
        ok = false;
        why = "unknown principal";
        reason = Reject::UnknownPrincipal;
      }
  if (ok) {
    int rec = s.msg.recordIndex();
    if (rec < 0 || size_t(rec) >= sc.records.size()) {
      ok = false;
      why = "unknown record type";
    } else {
      ok = conforms(s.msg, *TypeDesc::recordOf(rec), sc, &why);
    }
  }
  if (ok && size_t(s.issuer) < perIssuer_.size() &&
      perIssuer_[size_t(s.issuer)] >= maxPerIssuer_) {
    ok = false;
    why = "issuer over its statement quota";
    reason = Reject::PeerQuota;
  }
  if (!ok) {
    ++stats_.rejected;
    stats_.rejects.add(reason);
    if (log_.enabled(LogLevel::Warn) &&
        (stats_.rejected <= 100 || stats_.rejected % 10000 == 0))
      log_.warn("rejected", {{"why", why}, {"reason", rejectName(reason)}});
    return false;
  }
  std::string json = trace_ ? s.toJson(&sc.names) : std::string();
  remember(s);
  bool retired = false;
  try {
    retired = role_ && role_->retired(s);
  } catch (const EvalError &e) {
    failStop(std::string("evaluation error in a retire clause: ") + e.what());
    return false;
  }
  if (retired) { // late or repeated: the model's delivery of a hidden statement
    ++stats_.retiredRefused;
    return false;
  }
  if (!pool_.insert(std::move(s)).second) {
    ++stats_.duplicates;
    return false;
  }
  ++stats_.delivered;
  deliveredSinceStep_ = true;
  if (size_t(peer) < perIssuer_.size())
    ++perIssuer_[size_t(peer)];
  if (trace_)
    pendingDelivered_.push_back(std::move(json));
  std::fill(idle_.begin(), idle_.end(), false);
  lastActivity_ = loop_.clock();
  kick();
  return true;
}

void Node::setTrace(TraceWriter *t) {
  trace_ = t;
  if (trace_ && role_)
    trace_->addHeader("\"init\":" + role_->stateJson());
}

void Node::kick() {
  if (kicked_ || failed_)
    return;
  kicked_ = true;
  loop_.post([this] {
    kicked_ = false;
    runSteps();
  });
}

void Node::runSteps() {
  if (failed_ || !role_)
    return;
  size_t n = role_->numTransitions();
  size_t budget = StepBudget;
  bool progress = true;
  while (progress && budget > 0 && !failed_ && !loop_.stopped()) {
    progress = false;
    for (size_t k = 0; k < n; ++k) {
      size_t t = (rr_ + k) % n;
      if (idle_[t])
        continue;
      Step step;
      step.out.me = me_;
      step.out.numPrincipals = info_.schema.numPrincipals;
      bool fired = false;
      try {
        fired = role_->fire(t, step);
      } catch (const EvalError &e) {
        failStop(std::string("evaluation error in ") +
                 role_->transitionName(t) + ": " + e.what());
        return;
      }
      if (!fired) {
        // Enabledness depends only on the state, the pool, the timers and
        // the refraction sets: it cannot change until a step changes one.
        idle_[t] = true;
        continue;
      }
      commit(t, step);
      if (failed_)
        return;
      progress = true;
      --budget;
      rr_ = t + 1;
      break;
    }
  }
  for (const auto &m : modules_)
    m->flush(); // BATCH without delay: what this round of steps produced
  if (budget == 0)
    kick(); // more work: continue after polling I/O
}

void Node::setDurable(DurableLog *log) {
  durable_ =
      log && role_ ? std::make_unique<DurableWriter>(*log, *role_) : nullptr;
}

void Node::commit(size_t t, Step &step) {
  ++stats_.steps;
  if (stepHook_)
    stepHook_();
  lastActivity_ = loop_.clock();
  // The durable variables reach the disk before the step's statements,
  // which may depend on them, leave.
  std::string err;
  if (durable_ && step.changed && !durable_->save(0, err)) {
    failStop("cannot keep the durable variables: " + err);
    return;
  }
  const Names *names = &info_.schema.names;
  std::vector<std::string> published;
  bool fresh = false;
  if (step.changed && deliveredSinceStep_)
    ++stateChanges_; // OPTIMISTIC: the publisher's progress
  deliveredSinceStep_ = false;
  for (size_t i = 0; i < step.out.published.size(); ++i) {
    const Statement &s = step.out.published[i];
    if (trace_)
      published.push_back(s.toJson(names));
    // A statement the new state retires is sent, not kept.
    bool retired = false;
    try {
      retired = role_->retired(s);
    } catch (const EvalError &e) {
      failStop(std::string("evaluation error in a retire clause: ") + e.what());
      return;
    }
    if (retired ? pool_.contains(s) : !pool_.insert(Statement(s)).second)
      continue;
    remember(s);
    fresh = true;
    ++stats_.published;
    if (send_ && auth_) {
      std::function<bool()> progress;
      for (auto &[index, test] : step.out.progress)
        if (index == i)
          progress = test;
      bool taken = false;
      for (const auto &m : modules_)
        taken = taken || m->publish(s, progress, stateChanges_);
      if (taken)
        continue; // OPTIMISTIC stages, escalating to unicast
      // TTP(z): one request to each z that carries the statement to some
      // verifier; z countersigns it once and relays it to them.
      std::vector<int> ttps;
      for (const auto &v : s.verifiers.elems()) {
        if (v.asPrincipal() == me_)
          continue;
        int z = auth_->ttpFor(me_, v.asPrincipal(), s.auditors);
        if (z < 0)
          sendTo(v.asPrincipal(), s);
        else if (std::find(ttps.begin(), ttps.end(), z) == ttps.end())
          ttps.push_back(z);
      }
      for (int z : ttps) {
        auto frame = auth_->sealTtpRequest(s, z);
        if (frame.empty())
          ++stats_.unsent;
        else
          send_(z, frame);
      }
    } else if (send_) {
      auto frame = encodeStatementFrame(s);
      for (const auto &v : s.verifiers.elems())
        if (v.asPrincipal() != me_)
          send_(v.asPrincipal(), frame);
    }
  }
  std::string timersJson;
  for (const auto &[timer, start] : step.out.timerOps) {
    size_t ti = size_t(timer);
    if (ti >= deadlines_.size())
      continue;
    if (timerIds_[ti])
      loop_.cancel(timerIds_[ti]);
    timerIds_[ti] = 0;
    if (start) {
      TimePoint when = loop_.clock() + Millis(role_->timerMs(ti));
      deadlines_[ti] = when;
      timerIds_[ti] = loop_.at(when, [this, ti] {
        timerIds_[ti] = 0;
        std::fill(idle_.begin(), idle_.end(), false);
        kick();
      });
    } else {
      deadlines_[ti].reset();
    }
    if (trace_) {
      timersJson += timersJson.empty() ? "[" : ",";
      timersJson += "[";
      appendJsonString(timersJson, role_->timerName(ti));
      timersJson += start ? ",\"start\"]" : ",\"stop\"]";
    }
  }
  if (!timersJson.empty())
    timersJson += "]";
  if (step.changed || fresh || !step.out.timerOps.empty()) {
    std::fill(idle_.begin(), idle_.end(), false);
  } else if (!role_->refracted(t)) {
    // A step that changed nothing would repeat forever: rest until
    // something else happens.
    idle_[t] = true;
  }
  collect();
  if (log_.enabled(LogLevel::Debug))
    log_.debug("fired", {{"transition", role_->transitionName(t)},
                         {"binding", step.binding}});
  if (trace_) {
    std::string tname = role_->transitionName(t);
    trace_->step(name(), &tname, step.binding, pendingDelivered_, published,
                 timersJson.empty() ? "[]" : timersJson,
                 role_->stateDeltaJson());
    pendingDelivered_.clear();
  }
}

void Node::collect() {
  if (failed_)
    return;
  std::vector<StmtId> gone;
  try {
    for (size_t rec = 0; rec < sweepAt_.size(); ++rec) {
      if (!role_->retiresRecord(int(rec)))
        continue;
      // A pass once the type grew by half, or once as many steps ran (a
      // step may retire what is there: a replica catching up on a backlog).
      ++stepsSinceSweep_[rec];
      size_t n = pool_.sizeOf(int(rec));
      if (n < sweepAt_[rec] &&
          stepsSinceSweep_[rec] < std::max(n / 2, MinSweep))
        continue;
      stepsSinceSweep_[rec] = 0;
      gone.clear();
      for (StmtId id : pool_.ofType(int(rec)))
        if (id != kDeadStmt && role_->retired(pool_.at(id)))
          gone.push_back(id);
      for (StmtId id : gone) {
        int issuer = pool_.at(id).issuer;
        if (issuer != me_ && size_t(issuer) < perIssuer_.size() &&
            perIssuer_[size_t(issuer)] > 0)
          --perIssuer_[size_t(issuer)];
        pool_.remove(id);
      }
      size_t left = pool_.sizeOf(int(rec));
      sweepAt_[rec] = std::max(left + left / 2, left + MinSweep);
    }
    role_->collectRefraction();
  } catch (const EvalError &e) {
    failStop(std::string("evaluation error in a retire clause: ") + e.what());
  }
}

void Node::flushTrace() {
  if (!trace_)
    return;
  if (!pendingDelivered_.empty()) {
    trace_->step(name(), nullptr, "{}", pendingDelivered_, {}, "[]",
                 role_ ? role_->stateDeltaJson() : "{}");
    pendingDelivered_.clear();
  }
  trace_->flush();
}

void Node::failStop(const std::string &why) {
  if (failed_)
    return;
  failed_ = true;
  log_.error("fail_stop", {{"why", why}});
  flushTrace();
}

} // namespace mommie::rt
