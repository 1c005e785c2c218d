// OPTIMISTIC dissemination with escalation (see Optimistic.h).
#include "runtime/dissem/Optimistic.h"

#include "runtime/auth/Auth.h"

#include <algorithm>

namespace mommie::rt {

namespace {
constexpr int64_t DefaultEscalationMs = 50;

bool covers(const DeployRule &r, const std::string &a, const std::string &b) {
  auto has = [](const std::vector<std::string> &pats, const std::string &n) {
    return std::any_of(pats.begin(), pats.end(), [&](const std::string &p) {
      return principalMatches(p, n);
    });
  };
  return (has(r.from, a) && has(r.to, b)) ||
         (r.bidirectional && has(r.from, b) && has(r.to, a));
}
} // namespace

std::string OptimisticStats::toJson() const {
  return "{\"optimistic\":" + std::to_string(optimistic) +
         ",\"relayed\":" + std::to_string(relayed) +
         ",\"escalations\":" + std::to_string(escalations) +
         ",\"fallbacks\":" + std::to_string(fallbacks) +
         ",\"stopped\":" + std::to_string(stopped) + "}";
}

struct Optimistic::Pending {
  Statement s;
  std::vector<int> verifiers; // ascending, without this node
  std::vector<bool> sent;
  std::vector<Step> stages;
  size_t stage = 0;
  std::function<bool()> progress;
  uint64_t mark = 0;
  std::vector<uint8_t> frame; // forwardable, no relay flag (signed once)
};

Optimistic::Optimistic(DisseminationHost &host, Authenticator &auth)
    : host_(host), auth_(auth) {}
Optimistic::~Optimistic() = default;

bool Optimistic::anyRule(const DeployConfig &conf) {
  // Every node of such a deployment: publishers escalate, verifiers relay.
  for (const auto &r : conf.dissemination)
    for (const auto &m : r.modules)
      if (m.name == "OPTIMISTIC")
        return true;
  return false;
}

std::vector<Optimistic::Step>
Optimistic::stagesFor(const std::vector<int> &verifiers) const {
  const auto &names = auth_.names();
  const std::string &me = names[size_t(host_.me())];
  const auto &rules = auth_.config().dissemination;
  for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
    bool all = !verifiers.empty();
    for (int v : verifiers)
      all = all && covers(*it, me, names[size_t(v)]);
    if (!all)
      continue;
    std::vector<Step> out;
    for (const auto &m : it->modules)
      if (m.name == "OPTIMISTIC" && !m.args.empty())
        out.push_back(
            Step{m.args[0] == "PRIMARY" ? Stage::Primary : Stage::Quorum,
                 m.escalationMs >= 0 ? m.escalationMs : DefaultEscalationMs});
    if (!out.empty())
      return out; // the last rule covering every verifier with OPTIMISTIC
                  // stages
  }
  return {};
}

bool Optimistic::publish(const Statement &s,
                         const std::function<bool()> &progress, uint64_t mark) {
  auto p = std::make_shared<Pending>();
  for (const auto &v : s.verifiers.elems())
    if (v.asPrincipal() != host_.me())
      p->verifiers.push_back(v.asPrincipal());
  std::sort(p->verifiers.begin(), p->verifiers.end());
  if (p->verifiers.size() < 2)
    return false;
  p->stages = stagesFor(p->verifiers);
  if (p->stages.empty())
    return false;
  AuthKind k;
  if (!auth_.forwardableCarrier(s, k))
    return false; // the build check refuses such configurations; be safe anyway
  p->frame = auth_.sealForwardable(s, false);
  if (p->frame.empty())
    return false;
  p->s = s;
  p->sent.assign(p->verifiers.size(), false);
  p->progress = progress;
  p->mark = mark;
  ++stats_.optimistic;
  escalate(p);
  return true;
}

bool Optimistic::progressed(const Pending &p) const {
  if (!p.progress)
    return host_.progressMark() > p.mark;
  try {
    return p.progress();
  } catch (const EvalError &) {
    return false; // no progress known: keep escalating (liveness first)
  }
}

// Sends the current stage (or the fallback) and arms its escalation timer.
void Optimistic::escalate(const std::shared_ptr<Pending> &p) {
  if (host_.failed())
    return;
  if (p->stage >= p->stages.size()) { // every optimizer tried: unicast to all
    ++stats_.fallbacks;
    for (size_t i = 0; i < p->verifiers.size(); ++i)
      if (!p->sent[i]) {
        p->sent[i] = true;
        host_.sendFrame(p->verifiers[i], p->frame);
      }
    return;
  }
  const Step &st = p->stages[p->stage];
  if (st.stage == Stage::Primary) {
    if (!p->sent[0]) {
      auto relay = p->frame;
      relay[2] = Authenticator::RelayFlag;
      p->sent[0] = true;
      host_.sendFrame(p->verifiers[0], relay);
    }
  } else {
    size_t n = p->verifiers.size(), q = n - (n - 1) / 3;
    for (size_t i = 0; i < q; ++i)
      if (!p->sent[i]) {
        p->sent[i] = true;
        host_.sendFrame(p->verifiers[i], p->frame);
      }
  }
  host_.loop().after(Millis(st.escalationMs), [this, p] {
    if (progressed(*p)) {
      ++stats_.stopped;
      return;
    }
    ++stats_.escalations;
    ++p->stage;
    escalate(p);
  });
}

bool Optimistic::open(int peer, const uint8_t *data, size_t size) {
  if (size == 0 || data[0] != Authenticator::FrameAuthForward)
    return false;
  relay(peer, data, size);
  return true;
}

void Optimistic::relay(int peer, const uint8_t *data, size_t size) {
  Statement s;
  bool relay = false;
  Reject why;
  if (!auth_.openForwardable(peer, data, size, s, relay, why)) {
    host_.reject(why, "forwardable frame not authenticated");
    return;
  }
  int issuer = s.issuer;
  Value verifiers = s.verifiers;
  if (!host_.deliver(issuer, std::move(s)) || !relay)
    return; // a duplicate is not relayed again (no loops, no amplification)
  std::vector<uint8_t> frame(data, data + size);
  frame[2] = 0; // relayed once
  for (const auto &v : verifiers.elems()) {
    int q = v.asPrincipal();
    if (q == host_.me() || q == issuer || q == peer)
      continue;
    ++stats_.relayed;
    host_.sendFrame(q, frame);
  }
}

} // namespace mommie::rt
