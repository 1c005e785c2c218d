// Client workloads from flags (see Workload.h).
#include "runtime/node/Workload.h"

#include <algorithm>
#include <cstdio>

namespace mommie::rt {

namespace {

bool findTransition(const RoleBase &role, const std::string &name,
                    bool wantPattern, size_t &out, std::string &error,
                    const char *what) {
  size_t found = 0, count = 0;
  for (size_t t = 0; t < role.numTransitions(); ++t) {
    bool match = name.empty() ? role.refracted(t) == wantPattern
                              : name == role.transitionName(t);
    if (match) {
      found = t;
      ++count;
    }
  }
  if (count == 1) {
    out = found;
    return true;
  }
  if (!name.empty())
    error = std::string("role ") + role.roleName() + " has no transition '" +
            name + "'";
  else
    error = std::string("role ") + role.roleName() + " has " +
            std::to_string(count) + " transitions " +
            (wantPattern ? "with" : "without") +
            " a trigger pattern: name its " + what + " transition with --" +
            what + "-transition";
  return false;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

} // namespace

bool Workload::bind(const RoleBase &role, std::string &error) {
  if (!findTransition(role, cfg_.requestTransition, false, request_, error,
                      "request") ||
      !findTransition(role, cfg_.completeTransition, true, complete_, error,
                      "complete"))
    return false;
  if (request_ == complete_) {
    error = "the request and completion transitions must differ";
    return false;
  }
  return true;
}

bool Workload::stalled(TimePoint now, int64_t quietMs) const {
  bool left = cfg_.requests < 0 || issued_ < uint64_t(cfg_.requests);
  return left && pending_.empty() && refusedByProgram_ &&
         now - lastFired_ >= Millis(quietMs);
}

void Workload::fired(size_t t, const Step &step, const Names *names) {
  TimePoint now = EventLoop::now();
  if (t == request_) {
    Pending p;
    for (const auto &s : step.out.published)
      p.record += s.msg.toJson(names);
    p.issued = now;
    if (issued_ == 0)
      first_ = now;
    ++issued_;
    pending_.push_back(std::move(p));
    lastFired_ = now;
    refusedByProgram_ = false;
  } else if (t == complete_ && !pending_.empty()) {
    // The outstanding request whose record the completion's binding names
    // (records print self-delimited, so a substring match is exact).
    size_t k = 0;
    for (; k < pending_.size(); ++k)
      if (!pending_[k].record.empty() &&
          step.binding.find(pending_[k].record) != std::string::npos)
        break;
    if (k == pending_.size()) {
      k = 0; // none named: the oldest
      ++unmatched_;
    }
    latencyUs_.push_back(
        std::chrono::duration<double, std::micro>(now - pending_[k].issued)
            .count());
    pending_.erase(pending_.begin() + long(k));
    ++completed_;
    last_ = now;
    lastFired_ = now;
    if (cfg_.progressEvery > 0 &&
        completed_ % uint64_t(cfg_.progressEvery) == 0)
      progress(now);
  }
}

namespace {

// The p-quantile (0..1) of `v` (nearest rank), 0 when empty.
double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

} // namespace

// One line per --progress-every completions, for long runs (bench/runtime/
// soak.sh): the totals so far, and the rate and latencies of this window.
void Workload::progress(TimePoint now) {
  TimePoint t0 = windowStart_ == 0 ? first_ : windowT0_;
  std::vector<double> window(latencyUs_.begin() + long(windowStart_),
                             latencyUs_.end());
  double ws = std::chrono::duration<double>(now - t0).count();
  std::printf(
      "{\"progress\":{\"completed\":%llu,\"seconds\":%.3f,\"req_per_s\":%.1f,"
      "\"p50_us\":%.1f,\"p99_us\":%.1f}}\n",
      static_cast<unsigned long long>(completed_),
      std::chrono::duration<double>(now - first_).count(),
      ws > 0 ? double(window.size()) / ws : 0.0, percentile(window, 0.5),
      percentile(window, 0.99));
  std::fflush(stdout);
  windowStart_ = latencyUs_.size();
  windowT0_ = now;
}

double Workload::seconds() const {
  return completed_ ? std::chrono::duration<double>(last_ - first_).count()
                    : 0.0;
}

double Workload::percentileUs(double p) const {
  return percentile(latencyUs_, p);
}

std::string Workload::summary(const std::string &node) const {
  uint64_t wanted = cfg_.requests >= 0 ? uint64_t(cfg_.requests) : issued_;
  double s = seconds();
  std::string out =
      node + ": " + std::to_string(completed_) + " completed, " +
      std::to_string(wanted - std::min(wanted, completed_)) + " failed in " +
      fixed(s, 3) + " s: " + fixed(s > 0 ? double(completed_) / s : 0, 0) +
      " req/s, latency p50 " + fixed(percentileUs(0.5) / 1000, 3) +
      " ms, p99 " + fixed(percentileUs(0.99) / 1000, 3) + " ms (concurrency " +
      std::to_string(cfg_.concurrency) + ")";
  if (unmatched_)
    out += ", " + std::to_string(unmatched_) +
           " completions matched no request record";
  return out + "\n";
}

std::string Workload::json() const {
  uint64_t wanted = cfg_.requests >= 0 ? uint64_t(cfg_.requests) : issued_;
  double s = seconds();
  return "{\"requests\":" + std::to_string(cfg_.requests) +
         ",\"concurrency\":" + std::to_string(cfg_.concurrency) +
         ",\"issued\":" + std::to_string(issued_) +
         ",\"completed\":" + std::to_string(completed_) + ",\"failed\":" +
         std::to_string(wanted - std::min(wanted, completed_)) +
         ",\"unmatched\":" + std::to_string(unmatched_) +
         ",\"seconds\":" + fixed(s, 6) +
         ",\"req_per_s\":" + fixed(s > 0 ? double(completed_) / s : 0, 1) +
         ",\"p50_us\":" + fixed(percentileUs(0.5), 1) +
         ",\"p99_us\":" + fixed(percentileUs(0.99), 1) + "}";
}

ProgramInfo withWorkload(const ProgramInfo &info, int me, Workload &w) {
  ProgramInfo out = info;
  for (auto &r : out.roles)
    if (me >= r.first && me < r.first + r.size) {
      auto make = r.make;
      Workload *raw = &w;
      r.make = [make, raw](Node &n) -> std::unique_ptr<RoleBase> {
        return std::make_unique<WorkloadRole>(n, make(n), *raw);
      };
    }
  return out;
}

bool WorkloadRole::fire(size_t t, Step &step) {
  bool isRequest = t == w_.requestTransition();
  if (isRequest && !w_.mayIssue())
    return false; // withheld: the node retries it after the next change
  bool fired = inner_->fire(t, step);
  if (fired)
    w_.fired(t, step, &node_.schema().names);
  else if (isRequest)
    w_.refused();
  return fired;
}

} // namespace mommie::rt
