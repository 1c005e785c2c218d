// One running principal: its role instance (generated code), its local
// pool, its timers and its link to the network. The node takes only steps
// the model allows (docs/semantics.md):
//   - Deliver: a statement received from peer q is accepted only if q is its
//     issuer (PLAINTEXT: the channel authenticates q), this principal is
//     among its verifiers and its record conforms to the declared types;
//     it then enters the local pool (known set), unless the role retires it
//     (a stutter: the model's delivery of a statement it hides).
//   - Transition: the role's generated matcher finds an enabled binding not
//     yet fired (refraction) and runs the body atomically on the pre-state;
//     published statements enter the local pool and are sent to every
//     verifier (unicast to all). An `AFTER timeout(t)` transition is enabled
//     only once t's deadline has passed on the monotonic clock.
//   - Collect: statements the role's retire clauses retire leave the pool
//     (collect(); `mommie check` verified that this never changes what the
//     node can do).
// An evaluation error or a failed body-program assertion stops the node
// (fail-stop: the node behaves as crashed from then on).
#pragma once

#include "runtime/dissem/Dissemination.h"
#include "runtime/net/EventLoop.h"
#include "runtime/net/Log.h"
#include "runtime/net/Trace.h"
#include "runtime/pool/Pool.h"
#include "runtime/store/DurableLog.h"
#include "runtime/wire/BuildInfo.h"
#include "runtime/wire/Stats.h"
#include "runtime/wire/Types.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mommie::rt {

class Node;
class Authenticator;
class Optimistic;
class DigestLink;

// What one firing produced.
struct Step {
  std::string binding; // JSON object of the binding (params, pattern variables)
  Outbox out;
  bool changed = false; // the role state changed
};

// Base of the generated role classes.
class RoleBase : public DurableVars {
public:
  explicit RoleBase(Node &node) : node_(node) {}
  virtual ~RoleBase() = default;
  virtual const char *roleName() const = 0;
  virtual size_t numTransitions() const = 0;
  virtual const char *transitionName(size_t t) const = 0;
  virtual bool refracted(size_t t) const = 0;
  // Fires the first enabled, not yet fired binding of transition `t`;
  // false if none. Throws EvalError on an evaluation error.
  virtual bool fire(size_t t, Step &step) = 0;
  virtual std::string stateJson() const = 0;
  // The variables (and timers) whose values changed since the previous
  // call, as a JSON object (all of them on the first call): trace records.
  virtual std::string stateDeltaJson() = 0;
  virtual size_t numTimers() const = 0;
  virtual const char *timerName(size_t t) const = 0;
  virtual int64_t timerMs(size_t t) const = 0;
  // Retire clauses (docs/runtime.md, "Collecting statements"): whether the
  // role retires statements of `record`, and whether `s` is retired in the
  // current state (matchers never see a retired statement, the node
  // refuses one delivered and removes them from its pool). Throws
  // EvalError.
  virtual bool retiresRecord(int record) const {
    (void)record;
    return false;
  }
  virtual bool retired(const Statement &s) const {
    (void)s;
    return false;
  }
  // Drops the refraction entries no statement can ever match again
  // (amortized: a pass once a set grew by half). Throws EvalError.
  virtual void collectRefraction() {}
  // Bindings held in the refraction sets.
  virtual size_t firedBindings() const { return 0; }

protected:
  Node &node_;
};

struct RoleInfo {
  std::string name;
  int first = 0, size = 0; // the principal set playing it
  std::function<std::unique_ptr<RoleBase>(Node &)> make;
};

// Everything the generated code tells the runtime about the program.
struct ProgramInfo {
  std::string name;
  Schema schema;
  std::vector<std::string> principals;
  std::vector<RoleInfo> roles;
  // Record types some pattern matches, with the (record, field) pairs that
  // get an equality index.
  std::vector<std::pair<int, int>> fieldIndexes;
  ParamValues params; // the parameters it was built with (BuildInfo.h)
};

struct NodeStats {
  uint64_t steps = 0, delivered = 0, duplicates = 0, rejected = 0,
           published = 0;
  RejectCounts rejects; // `rejected` by reason
  uint64_t unsent = 0;  // frames not sent for want of a key
  uint64_t batches = 0; // batch frames sent (BATCH)
  // Frames that authenticated as the sending peer's own (its MAC or
  // signature; any well-formed frame under PLAINTEXT): these prove the
  // connection they came on (Transport.h).
  uint64_t authenticated = 0;
  // Retire clauses: deliveries refused because the statement is retired.
  uint64_t retiredRefused = 0;
};

class Node final : public DisseminationHost {
public:
  using SendFn =
      std::function<void(int peer, const std::vector<uint8_t> &payload)>;
  enum FrameType : uint8_t { FrameStatement = 1 };

  Node(EventLoop &loop, Logger &log, const ProgramInfo &info, int me);
  ~Node();

  bool init(std::string &error); // creates the role instance
  void setSend(SendFn f) { send_ = std::move(f); }
  // Records the node's initial state in the trace's first record: call
  // after init().
  void setTrace(TraceWriter *t);
  // Called after every committed step (the simulator's step limit).
  void setStepHook(std::function<void()> f) { stepHook_ = std::move(f); }
  // Frames are sealed / opened by `a` (Auth.h); without one, PLAINTEXT
  // frames of type 1 only. Its deploy file's [Dissemination] rules give
  // the node its modules (dissem/Dissemination.h).
  void setAuth(Authenticator *a);
  const std::vector<std::unique_ptr<DisseminationModule>> &
  dissemination() const {
    return modules_;
  }
  // OPTIMISTIC (Optimistic.h); null when the deploy file has no such rule.
  const Optimistic *optimistic() const { return optimistic_; }
  // DIGEST references (Digest.h); null when no rule involves this node.
  const DigestLink *digests() const { return digest_; }
  // Sends an already sealed frame.
  void sendFrame(int peer, const std::vector<uint8_t> &frame) override {
    if (send_)
      send_(peer, frame);
  }
  // At most `n` statements of one issuer are in the pool at once (flood
  // bound); the rest are rejected (peer_quota). Only retire clauses take
  // statements out of the pool (collect()).
  void setMaxPerIssuer(size_t n) { maxPerIssuer_ = n; }
  // The role's durable variables are appended to `log` after every step
  // that changed them, before the step's statements are sent (a write
  // error is a fail-stop). Call after init() and the restore.
  void setDurable(DurableLog *log);

  int me() const override { return me_; }
  // The element a `var x in S` initialisation takes, of `n` choices, for
  // role variable `var` (rt::initialChoice): element me % n, unless a
  // choice seed was set (`BIN --sim --seed S`, hence `mommie sim --seeds`),
  // which draws it from the seed, so that seeds sample the program's
  // initial choices. Set the seed before init().
  size_t initialChoice(size_t n, size_t var) const;
  // Where a transition's loop over a parameter's `n` values starts: 0
  // unless a choice seed was set, when each call draws the next start from
  // the seed's sequence, so that seeds sample the values a transition fires
  // with (the loop still tries every value; the first enabled one from the
  // start fires, and any enabled one is a behaviour of the model).
  size_t parameterStart(size_t n);
  void setChoiceSeed(uint64_t seed) {
    choiceSeed_ = seed;
    choiceState_ = seed ^ (uint64_t(me_ + 1) * 0xA0761D6478BD642Full);
    seeded_ = true;
  }
  const std::string &name() const { return info_.principals[size_t(me_)]; }
  const ProgramInfo &info() const { return info_; }
  const Schema &schema() const { return info_.schema; }
  Pool &pool() { return pool_; }
  const Pool &pool() const { return pool_; }
  RoleBase *role() { return role_.get(); }
  Logger &log() { return log_; }
  EventLoop &loop() override { return loop_; }
  const NodeStats &stats() const { return stats_; }

  // Whether timer `t` is running and its deadline has passed.
  bool timerExpired(size_t t) const;
  bool anyTimerPending() const;

  // A frame from `peer` (already attributed by the transport).
  void receiveFrame(int peer, const uint8_t *data, size_t size);
  // Delivers a statement (validation as described above); true if new.
  bool deliver(int peer, Statement s) override;
  // Schedules the step loop.
  void kick();
  // Runs enabled transitions until none is enabled or the budget is spent.
  void runSteps();
  void failStop(const std::string &why);
  bool failed() const override { return failed_; }
  TimePoint lastActivity() const { return lastActivity_; }
  // Writes pending deliveries to the trace.
  void flushTrace();

  static std::vector<uint8_t> encodeStatementFrame(const Statement &s);

private:
  // DisseminationHost
  void sendSealed(int peer, std::vector<uint8_t> frame,
                  const std::vector<const Statement *> &ss) override;
  // Opens an authenticated (or plain) frame after the modules' `receive`.
  void openFrame(int peer, const uint8_t *data, size_t size) override;
  void reject(Reject r, const char *why) override;
  uint64_t progressMark() const override { return stateChanges_; }
  void countUnsent() override { ++stats_.unsent; }
  void countBatch() override { ++stats_.batches; }

  void commit(size_t t, Step &step);
  // Removes retired statements of the record types the role retires, a
  // type at a time once its count grew by half since its last pass or
  // half its count of steps ran since (at least 64), and the refraction
  // entries that can no longer matter.
  void collect();
  // One statement of this node to one verifier: a module's (BATCH) or a
  // sealed frame.
  void sendTo(int peer, const Statement &s);
  void remember(const Statement &s);
  EventLoop &loop_;
  Logger &log_;
  const ProgramInfo &info_;
  int me_;
  uint64_t choiceSeed_ = 0;
  uint64_t choiceState_ = 0; // parameterStart's splitmix64 sequence
  bool seeded_ = false;
  Pool pool_;
  std::unique_ptr<RoleBase> role_;
  SendFn send_;
  TraceWriter *trace_ = nullptr;
  Authenticator *auth_ = nullptr;
  std::vector<std::unique_ptr<DisseminationModule>> modules_;
  const Optimistic *optimistic_ = nullptr;
  const DigestLink *digest_ = nullptr;
  // OPTIMISTIC's default progress: steps that changed the role state
  // after a statement was delivered (not the publisher's own next publish).
  uint64_t stateChanges_ = 0;
  bool deliveredSinceStep_ = false;
  size_t maxPerIssuer_ = size_t(1) << 22;
  std::unique_ptr<DurableWriter> durable_;
  std::vector<size_t> perIssuer_;
  std::vector<size_t> sweepAt_; // per record type: pool count of its next pass
  std::vector<size_t>
      stepsSinceSweep_; // per record type: steps since its last pass
  std::vector<std::optional<TimePoint>> deadlines_;
  std::vector<EventLoop::TimerId> timerIds_;
  std::vector<bool> idle_;
  std::vector<std::string> pendingDelivered_;
  size_t rr_ = 0;
  bool kicked_ = false;
  bool failed_ = false;
  TimePoint lastActivity_;
  std::function<void()> stepHook_;
  NodeStats stats_;
};

// The generated `main`: parses the node flags, loads the deploy file, opens
// the transport and runs the node. Returns the process exit code.
int nodeMain(int argc, char **argv, const ProgramInfo &info);
// `mommie sim`: every principal in this process over a simulated network
// and virtual time (runtime/node/SimMain.cpp); nodeMain calls it when the first
// argument is --sim.
int simMain(int argc, char **argv, const ProgramInfo &info);

} // namespace mommie::rt
