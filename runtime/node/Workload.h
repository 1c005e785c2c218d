// A client role's workload from the node's flags (`--requests N
// --concurrency C`, docs/runtime.md "Client workloads").
//
// The role's *request transition* (by default its only transition without
// a trigger pattern, e.g. primary_backup's Client.Send) and *completion
// transition* (by default its only transition with one, e.g. Client.Accept:
// a quorum of equal replies) are found by name. WorkloadRole wraps the
// generated role and lets the request transition fire only while fewer
// than N requests were issued and fewer than C are outstanding (issued, not
// completed): a closed loop. This only withholds firings the program
// allows, so every run is still a behaviour of the program; its guards
// still apply (a request the program refuses to issue is never sent), a
// model bound (an `int model` range) does not.
//
// Latency of a request: from the firing of the request transition to the
// firing of the completion transition whose binding contains the record
// the request published (oldest outstanding request if none does).
#pragma once

#include "runtime/net/EventLoop.h"
#include "runtime/node/Node.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mommie::rt {

struct WorkloadConfig {
  int64_t requests = -1;   // -1: as many as the program issues
  int64_t concurrency = 1; // requests outstanding at once
  int64_t progressEvery =
      0; // > 0: a progress line on stdout per that many completions
  std::string requestTransition,
      completeTransition; // empty: the defaults above
  bool enabled() const {
    return requests >= 0 || concurrency != 1 || !requestTransition.empty();
  }
};

class Workload {
public:
  explicit Workload(WorkloadConfig c) : cfg_(std::move(c)) {}
  // Finds the two transitions of `role`; false (and why) if they are
  // missing or ambiguous.
  bool bind(const RoleBase &role, std::string &error);

  bool mayIssue() const {
    return (cfg_.requests < 0 || issued_ < uint64_t(cfg_.requests)) &&
           pending_.size() < size_t(cfg_.concurrency);
  }
  // All N requests completed.
  bool done() const {
    return cfg_.requests >= 0 && completed_ >= uint64_t(cfg_.requests);
  }
  // The program issues no more requests: some are left to issue, none is
  // outstanding, and neither transition fired for `quietMs`.
  bool stalled(TimePoint now, int64_t quietMs) const;
  // A step of transition `t` fired (before the node commits it).
  void fired(size_t t, const Step &step, const Names *names);
  void refused() { refusedByProgram_ = true; }

  // "C0: 1000 completed, 0 failed in 0.512 s: 1953 req/s, latency p50
  // 0.412 ms, p99 1.203 ms (concurrency 16)".
  std::string summary(const std::string &node) const;
  // {"requests":..,"concurrency":..,"issued":..,"completed":..,"failed":..,
  //  "seconds":..,"req_per_s":..,"p50_us":..,"p99_us":..}
  std::string json() const;
  uint64_t completed() const { return completed_; }
  size_t requestTransition() const { return request_; }
  size_t completeTransition() const { return complete_; }

private:
  struct Pending {
    std::string record; // JSON of the published request record(s)
    TimePoint issued;
  };
  double seconds() const;
  double percentileUs(double p) const;
  WorkloadConfig cfg_;
  size_t request_ = 0, complete_ = 0;
  uint64_t issued_ = 0, completed_ = 0, unmatched_ = 0;
  std::vector<Pending> pending_;
  std::vector<double> latencyUs_;
  TimePoint first_{}, last_{}, lastFired_{};
  bool refusedByProgram_ = false;
  // --progress-every: where the current window starts.
  size_t windowStart_ = 0;
  TimePoint windowT0_{};
  void progress(TimePoint now);
};

// The generated role with the workload's gate on its request transition.
class WorkloadRole final : public RoleBase {
public:
  WorkloadRole(Node &node, std::unique_ptr<RoleBase> inner, Workload &w)
      : RoleBase(node), inner_(std::move(inner)), w_(w) {}
  const char *roleName() const override { return inner_->roleName(); }
  size_t numTransitions() const override { return inner_->numTransitions(); }
  const char *transitionName(size_t t) const override {
    return inner_->transitionName(t);
  }
  bool refracted(size_t t) const override { return inner_->refracted(t); }
  bool fire(size_t t, Step &step) override;
  std::string stateJson() const override { return inner_->stateJson(); }
  std::string stateDeltaJson() override { return inner_->stateDeltaJson(); }
  size_t numTimers() const override { return inner_->numTimers(); }
  const char *timerName(size_t t) const override {
    return inner_->timerName(t);
  }
  int64_t timerMs(size_t t) const override { return inner_->timerMs(t); }
  bool retiresRecord(int record) const override {
    return inner_->retiresRecord(record);
  }
  bool retired(const Statement &s) const override { return inner_->retired(s); }
  void collectRefraction() override { inner_->collectRefraction(); }
  size_t firedBindings() const override { return inner_->firedBindings(); }
  bool hasDurable() const override { return inner_->hasDurable(); }
  Value durableState() const override { return inner_->durableState(); }
  bool restoreDurable(const Value &v, std::string *why) override {
    return inner_->restoreDurable(v, why);
  }

private:
  std::unique_ptr<RoleBase> inner_;
  Workload &w_;
};

// `info` with the role principal `me` plays wrapped in a WorkloadRole over
// `w` (the node keeps a reference to the ProgramInfo: keep it alive).
ProgramInfo withWorkload(const ProgramInfo &info, int me, Workload &w);

} // namespace mommie::rt
