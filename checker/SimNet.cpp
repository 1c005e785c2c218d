// The simulated network of `mommie sim` (see SimNet.h).
#include "checker/SimNet.h"

#include "runtime/wire/FaultSpec.h"

#include "checker/Replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>

namespace mommie::checker {

using nlohmann::json;

//===----------------------------------------------------------------------===//
// --faults
//===----------------------------------------------------------------------===//

// The one fault-spec parser (runtime/wire/FaultSpec.h), its nodes the
// deployment's principals; the model works in milliseconds and reads a
// crash time without a unit as a step number.
bool parseFaults(const std::string &text, SimConfig &c, std::string &error) {
  rt::SimFaults f;
  if (!rt::parseSimFaults(text, c.nodes, f, error))
    return false;
  c.loss = f.loss;
  c.dup = f.dup;
  c.reorder = f.reorder;
  if (f.delayGiven) {
    c.delayMinMs = f.delayMinUs / 1000;
    c.delayMaxMs = f.delayMaxUs / 1000;
  }
  for (const auto &cr : f.crashes) {
    SimConfig::CrashAt at;
    at.node = c.nodes[size_t(cr.node)];
    (cr.unitless ? at.atStep : at.atMs) = cr.atUs / 1000;
    c.crashes.push_back(at);
  }
  for (int p : f.byzantine) {
    c.byzantine.push_back(c.nodes[size_t(p)]);
    c.byzantineGiven = true;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The simulation
//===----------------------------------------------------------------------===//

namespace {

struct Pending {
  int64_t readyAt = 0;
  uint64_t order = 0; // per channel, FIFO rank
  bool lost = false;
};

class Sim {
public:
  Sim(const ir::Program &prog, const SimConfig &c, std::ostream *trace)
      : prog_(prog), c_(c), layout_(prog), gen_(layout_), rng_(c.seed),
        trace_(trace) {
    nodes_.resize(size_t(layout_.numPrincipals()));
  }

  SimResult run();

private:
  uint64_t rand(uint64_t n) { return n ? rng_() % n : 0; }
  double unit() { return double(rng_() >> 11) * (1.0 / 9007199254740992.0); }

  void noticePublished(const Value &st);
  bool eligible(const Action &a, int64_t &readyAt) const;
  void record(int p, const Action *a, const State &before, const State &after);
  void flush(int p, const State &s);
  json varsJson(int p, const State &s, const State *before);

  struct NodeTrace {
    int64_t seq = 0;
    std::vector<Value> delivered;
  };

  const ir::Program &prog_;
  const SimConfig &c_;
  Layout layout_;
  Generator gen_;
  std::mt19937_64 rng_;
  std::ostream *trace_;
  int64_t now_ = 0;
  std::map<std::pair<Value, int>, Pending> pending_; // (statement, receiver)
  std::map<std::pair<int, int>, uint64_t> channelSent_;
  std::map<std::pair<int, int>, int64_t> channelReady_;
  std::map<std::pair<int, int>, int64_t>
      timerStart_; // (timer slot index) -> ms
  std::vector<NodeTrace> nodes_;
  SimResult res_;
};

void Sim::noticePublished(const Value &st) {
  int iss = int(st.elems()[StmtIss].scalar());
  for (const auto &q : st.elems()[StmtVer].elems()) {
    int qi = int(q.scalar());
    if (qi == iss)
      continue;
    auto key = std::make_pair(st, qi);
    if (pending_.count(key))
      continue; // the same statement again: deduplicated
    Pending pd;
    pd.lost = c_.loss > 0 && unit() < c_.loss;
    int64_t delay = c_.delayMinMs +
                    int64_t(rand(uint64_t(c_.delayMaxMs - c_.delayMinMs + 1)));
    pd.readyAt = now_ + delay;
    auto ch = std::make_pair(iss, qi);
    if (!c_.reorder) // FIFO channels: never overtake an earlier statement
      pd.readyAt = std::max(pd.readyAt, channelReady_[ch]);
    channelReady_[ch] = pd.readyAt;
    pd.order = channelSent_[ch]++;
    res_.lost += pd.lost;
    pending_[key] = pd;
  }
}

// Whether the simulated network / clock allows `a` now; otherwise the time
// at which it would (INT64_MAX: never).
bool Sim::eligible(const Action &a, int64_t &readyAt) const {
  readyAt = INT64_MAX;
  switch (a.kind) {
  case Action::Kind::Crash:
  case Action::Kind::Recover:
    return false; // only scheduled crashes; a crashed node stays down
  case Action::Kind::Deliver: {
    auto it = pending_.find({a.statement, a.principal});
    if (it == pending_.end()) // published outside a step we saw: deliver freely
      return true;
    const Pending &pd = it->second;
    if (pd.lost)
      return false;
    if (pd.readyAt > now_) {
      readyAt = pd.readyAt;
      return false;
    }
    return true;
  }
  case Action::Kind::Transition: {
    const auto &t =
        prog_.roles[size_t(a.role)].transitions[size_t(a.transition)];
    if (t.timer < 0)
      return true;
    int idx = layout_.timerIndex(a.role, a.principal, t.timer);
    auto it = timerStart_.find({idx, 0});
    int64_t start = it == timerStart_.end() ? 0 : it->second;
    int64_t due =
        start + prog_.roles[size_t(a.role)].timers[size_t(t.timer)].durationMs;
    if (due > now_) {
      readyAt = due;
      return false;
    }
    return true;
  }
  default:
    return true;
  }
}

json Sim::varsJson(int p, const State &s, const State *before) {
  json ch = json::object();
  int role = layout_.roleOf(p);
  if (role < 0)
    return ch;
  const auto &ro = prog_.roles[size_t(role)];
  for (size_t v = 0; v < ro.vars.size(); ++v) {
    size_t i = size_t(layout_.varIndex(role, p, int(v)));
    if (!before || before->vars[i] != s.vars[i])
      ch[ro.vars[v].name] = valueToJson(layout_, s.vars[i]);
  }
  for (size_t t = 0; t < ro.timers.size(); ++t) {
    size_t i = size_t(layout_.timerIndex(role, p, int(t)));
    if (!before || before->timers[i] != s.timers[i])
      ch["timer " + ro.timers[t].name] = s.timers[i] != 0;
  }
  return ch;
}

void Sim::record(int p, const Action *a, const State &before,
                 const State &after) {
  if (!trace_)
    return;
  NodeTrace &n = nodes_[size_t(p)];
  json j;
  j["node"] = layout_.principalName(p);
  j["seq"] = n.seq;
  if (n.seq == 0) { // the parameters travel with the trace (docs/conform.md)
    j["protocol"] = prog_.name;
    json params = json::object();
    for (const auto &prm : prog_.params)
      params[prm.name] = prm.value;
    j["params"] = params;
  }
  j["t_us"] = now_ * 1000;
  json binding = json::object(), published = json::array(),
       delivered = json::array(), timers = json::array();
  bool byz = a && a->kind == Action::Kind::ByzPublish;
  if (!a) {
    j["transition"] = nullptr;
  } else if (byz) {
    j["transition"] = "$byzantine";
  } else {
    j["transition"] =
        prog_.roles[size_t(a->role)].transitions[size_t(a->transition)].name;
    for (const auto &[k, v] : a->bindings)
      binding[k] = valueToJson(layout_, v);
  }
  if (a)
    for (const auto &pb : a->published)
      published.push_back(statementToJson(layout_, pb.statement));
  for (const auto &st : n.delivered)
    delivered.push_back(statementToJson(layout_, st));
  n.delivered.clear();
  int role = layout_.roleOf(p);
  if (role >= 0 && !byz) {
    const auto &ro = prog_.roles[size_t(role)];
    for (size_t t = 0; t < ro.timers.size(); ++t) {
      size_t i = size_t(layout_.timerIndex(role, p, int(t)));
      if (before.timers[i] != after.timers[i])
        timers.push_back(json::array(
            {ro.timers[t].name, after.timers[i] ? "start" : "stop"}));
    }
  }
  j["binding"] = binding;
  j["delivered"] = delivered;
  j["published"] = published;
  j["timers"] = timers;
  j["changed"] =
      byz ? json::object() : varsJson(p, after, n.seq == 0 ? nullptr : &before);
  if (n.seq == 0 &&
      !byz) // the node's initial state, as node binaries record it
    j["init"] = varsJson(p, before, nullptr);
  ++n.seq;
  *trace_ << j.dump() << "\n";
}

void Sim::flush(int p, const State &s) {
  if (trace_ && !nodes_[size_t(p)].delivered.empty())
    record(p, nullptr, s, s);
}

SimResult Sim::run() {
  res_.seed = c_.seed;
  if (prog_.isRoundProgram() && trace_) {
    res_.badInput = true;
    res_.error =
        "--trace: round programs have no per-node traces (lock-step rounds)";
    return res_;
  }
  // The deployment must name exactly the program's principals.
  std::vector<bool> deployed(size_t(layout_.numPrincipals()), false);
  for (const auto &n : c_.nodes) {
    int p = principalByName(layout_, n);
    if (p < 0) {
      res_.badInput = true;
      res_.error = "deploy file names " + n +
                   ", which is not a principal of the program";
      return res_;
    }
    deployed[size_t(p)] = true;
  }
  for (int p = 0; p < layout_.numPrincipals(); ++p)
    if (!deployed[size_t(p)]) {
      res_.badInput = true;
      res_.error = "deploy file has no host for " + layout_.principalName(p);
      return res_;
    }
  std::vector<int> crashP;
  for (const auto &cr : c_.crashes) {
    int p = principalByName(layout_, cr.node);
    bool declared = false;
    for (const auto &f : prog_.faults)
      declared |= f.crashes() && p >= 0 && layout_.inSet(f.principalSet, p);
    if (!declared) {
      res_.badInput = true;
      res_.error = "crash of " + cr.node +
                   ": the program declares no crash fault for it";
      return res_;
    }
    crashP.push_back(p);
  }
  std::vector<bool> crashDone(crashP.size(), false);

  std::vector<State> inits;
  std::vector<Action> initActs;
  try {
    gen_.initialStates([&](State &&s, const Action *) {
      if (inits.size() < 4096)
        inits.push_back(std::move(s));
    });
  } catch (const EvalError &e) {
    res_.badInput = true;
    res_.error = std::string("cannot simulate this program: ") + e.what();
    return res_;
  }
  if (inits.empty()) {
    res_.badInput = true;
    res_.error = "the program has no initial state";
    return res_;
  }
  if (c_.byzantineGiven) {
    std::vector<uint8_t> want(size_t(layout_.numPrincipals()), 0);
    for (const auto &b : c_.byzantine) {
      int p = principalByName(layout_, b);
      if (p < 0) {
        res_.badInput = true;
        res_.error = "byz=" + b + ": not a principal of the program";
        return res_;
      }
      want[size_t(p)] = 1;
    }
    std::vector<State> keep;
    for (auto &i : inits) {
      bool same = true;
      for (int p = 0; p < layout_.numPrincipals(); ++p)
        same &= i.isByz(p) == (want[size_t(p)] != 0);
      if (same)
        keep.push_back(std::move(i));
    }
    if (keep.empty()) {
      res_.badInput = true;
      res_.error =
          "no initial state has exactly the Byzantine principals given by byz=";
      return res_;
    }
    inits = std::move(keep);
  }
  State s = inits[rand(inits.size())];
  for (int p = 0; p < layout_.numPrincipals(); ++p)
    if (s.isByz(p))
      res_.byzantineSet.push_back(layout_.principalName(p));
  struct Succ {
    Action a;
    State next;
  };
  std::vector<Succ> succ;
  auto finish = [&](bool ok, std::string verdict) {
    res_.ok = ok;
    res_.verdict = std::move(verdict);
    res_.timeMs = now_;
    for (int p = 0; p < layout_.numPrincipals(); ++p) {
      flush(p, s);
      if (s.isCrashed(p))
        res_.crashed.push_back(layout_.principalName(p));
      int role = layout_.roleOf(p);
      if (role < 0 || s.isByz(p))
        continue;
      const auto &ro = prog_.roles[size_t(role)];
      for (size_t v = 0; v < ro.vars.size(); ++v) {
        std::string val = layout_.show(
            s.vars[size_t(layout_.varIndex(role, p, int(v)))], role, int(v));
        if (val.size() > 200)
          val = val.substr(0, 197) + "...";
        res_.finalVars.push_back(layout_.principalName(p) + "." +
                                 ro.vars[v].name + " = " + val);
      }
    }
    return res_;
  };
  try {
    std::string inv = gen_.violatedInvariant(s);
    if (!inv.empty())
      return finish(false,
                    "invariant " + inv + " violated in the initial state");
    if (!gen_.withinConstraints(s))
      return finish(true, "initial state outside the model's constraints");
    for (res_.steps = 0; res_.steps < c_.maxSteps;) {
      // Scheduled crashes.
      for (size_t k = 0; k < crashP.size(); ++k) {
        const auto &cr = c_.crashes[k];
        bool due =
            cr.atStep >= 0 ? int64_t(res_.steps) >= cr.atStep : now_ >= cr.atMs;
        if (crashDone[k] || !due)
          continue;
        crashDone[k] = true;
        int p = crashP[k];
        if (!s.live(p) || s.crashed.empty())
          continue;
        flush(p, s);
        s.crashed[size_t(p)] =
            1; // the checker's Crash action (bound checked below)
        int64_t n = 0;
        for (const auto &f : prog_.faults)
          if (f.crashes() && layout_.inSet(f.principalSet, p)) {
            const auto &set = prog_.principalSets[size_t(f.principalSet)];
            n = 0;
            for (int i = 0; i < set.size; ++i)
              n += s.crashed[size_t(set.first + i)];
            if (n > f.max) {
              s.crashed[size_t(p)] =
                  0; // beyond the declared bound: not allowed
              res_.error += "crash of " + cr.node + " skipped: bound reached; ";
            }
          }
      }
      succ.clear();
      gen_.successors(s, true, [&](State &&n, const Action *a) {
        succ.push_back({*a, std::move(n)});
      });
      // A step outside the model's constraints (a failed `constraint`, a
      // value beyond an `int model` range) is checked against the
      // invariants, as the checker does, and not taken: the run goes on with
      // the other steps, and ends when every enabled step leaves the model.
      if (gen_.hasConstraints()) {
        size_t before = succ.size();
        for (size_t i = 0; i < succ.size();) {
          if (gen_.withinConstraints(succ[i].next)) {
            ++i;
            continue;
          }
          inv = gen_.violatedInvariant(succ[i].next);
          if (!inv.empty()) {
            s = std::move(succ[i].next);
            return finish(false,
                          "invariant " + inv +
                              " violated (outside the model's constraints)");
          }
          succ.erase(succ.begin() + long(i));
        }
        if (succ.empty() && before > 0) // the model ends here
          return finish(true, gen_.terminated(s)
                                  ? "terminated"
                                  : "outside the model's constraints");
      }
      // Network and clock filter; groups by (kind, principal).
      std::map<std::pair<int, int>, std::vector<size_t>> groups;
      int64_t wake = INT64_MAX;
      for (size_t i = 0; i < succ.size(); ++i) {
        int64_t at;
        if (eligible(succ[i].a, at)) {
          groups[{int(succ[i].a.kind), succ[i].a.principal}].push_back(i);
        } else {
          wake = std::min(wake, at);
        }
      }
      // FIFO channels: only the oldest undelivered statement per channel.
      if (!c_.reorder) {
        std::map<std::pair<int, int>, uint64_t> oldest;
        for (const auto &[k, pd] : pending_) {
          if (pd.lost)
            continue;
          int rec = int(k.first.elems()[StmtMsg].scalar());
          if (s.known[size_t(layout_.knownIndex(rec, k.second))].setContains(
                  k.first) ||
              !s.live(k.second))
            continue;
          auto ch =
              std::make_pair(int(k.first.elems()[StmtIss].scalar()), k.second);
          auto it = oldest.find(ch);
          if (it == oldest.end() || pd.order < it->second)
            oldest[ch] = pd.order;
        }
        for (auto &[key, idx] : groups) {
          if (key.first != int(Action::Kind::Deliver))
            continue;
          std::vector<size_t> keep;
          for (size_t i : idx) {
            const Action &a = succ[i].a;
            auto it = pending_.find({a.statement, a.principal});
            auto ch = std::make_pair(int(a.statement.elems()[StmtIss].scalar()),
                                     a.principal);
            if (it == pending_.end() || oldest[ch] == it->second.order)
              keep.push_back(i);
          }
          idx = std::move(keep);
        }
        for (auto it = groups.begin(); it != groups.end();)
          it = it->second.empty() ? groups.erase(it) : std::next(it);
      }
      if (groups.empty()) {
        if (wake != INT64_MAX) { // idle until a delivery or a timer is due
          now_ = std::max(now_ + 1, wake);
          continue;
        }
        if (gen_.terminated(s))
          return finish(true, "terminated");
        bool faults = res_.lost > 0 || !res_.crashed.empty() || !crashP.empty();
        return finish(faults,
                      faults ? "stuck (after injected faults)" : "deadlock");
      }
      auto g = groups.begin();
      std::advance(g, long(rand(groups.size())));
      Succ &pick = succ[g->second[rand(g->second.size())]];
      const Action &a = pick.a;
      ++res_.steps;
      now_ += 1; // every step costs 1 ms of simulated time
      switch (a.kind) {
      case Action::Kind::Deliver:
        ++res_.deliveries;
        if (c_.dup > 0 && unit() < c_.dup)
          ++res_.duplicates; // a second copy: deduplicated by the pool
        if (trace_)
          nodes_[size_t(a.principal)].delivered.push_back(a.statement);
        break;
      case Action::Kind::Transition: {
        ++res_.transitions;
        const auto &ro = prog_.roles[size_t(a.role)];
        for (size_t t = 0; t < ro.timers.size(); ++t) {
          int idx = layout_.timerIndex(a.role, a.principal, int(t));
          bool restarted = ro.transitions[size_t(a.transition)].timer == int(t);
          if (pick.next.timers[size_t(idx)] &&
              (!s.timers[size_t(idx)] || restarted))
            timerStart_[{idx, 0}] = now_;
        }
        record(a.principal, &a, s, pick.next);
        break;
      }
      case Action::Kind::ByzPublish:
        ++res_.byzantine;
        record(a.principal, &a, s, pick.next);
        break;
      default: // round steps
        ++res_.transitions;
        break;
      }
      for (const auto &pb : a.published)
        noticePublished(pb.statement);
      s = std::move(pick.next);
      inv = gen_.violatedInvariant(s);
      if (!inv.empty())
        return finish(false, "invariant " + inv + " violated");
      // `terminate when` means the model *may* stop here (the checker and
      // TLC read it so): the run goes on while something is enabled, and is
      // "terminated" when nothing is and the predicate holds (above).
    }
    return finish(true, "step limit");
  } catch (const EvalError &e) {
    res_.error = std::string("evaluation error: ") + e.what();
    return finish(false, "evaluation error");
  }
}

} // namespace

SimResult simulateNetwork(const ir::Program &program, const SimConfig &config,
                          std::ostream *trace) {
  try {
    Sim sim(program, config, trace);
    return sim.run();
  } catch (const EvalError &e) {
    SimResult r;
    r.badInput = true;
    r.error = std::string("cannot simulate this program: ") + e.what();
    return r;
  }
}

json simResultJson(const SimResult &r) {
  return json{{"ok", r.ok},
              {"verdict", r.verdict},
              {"error", r.error},
              {"seed", r.seed},
              {"steps", r.steps},
              {"transitions", r.transitions},
              {"deliveries", r.deliveries},
              {"lost", r.lost},
              {"duplicates", r.duplicates},
              {"byzantine_publishes", r.byzantine},
              {"sim_time_ms", r.timeMs},
              {"crashed", r.crashed},
              {"byzantine", r.byzantineSet},
              {"final", r.finalVars}};
}

std::string simResultText(const SimResult &r) {
  std::string out =
      fmt::format("mommie sim: seed {}: {} after {} steps ({} transitions, {} "
                  "deliveries), {} ms simulated\n"
                  "  network: {} deliveries lost, {} duplicates dropped by the "
                  "pool, {} Byzantine publishes\n",
                  r.seed, r.verdict, r.steps, r.transitions, r.deliveries,
                  r.timeMs, r.lost, r.duplicates, r.byzantine);
  if (!r.crashed.empty()) {
    out += "  crashed:";
    for (const auto &c : r.crashed)
      out += " " + c;
    out += "\n";
  }
  if (!r.byzantineSet.empty()) {
    out += "  Byzantine:";
    for (const auto &c : r.byzantineSet)
      out += " " + c;
    out += "\n";
  }
  if (!r.error.empty())
    out += "  note: " + r.error + "\n";
  out += r.ok ? "  invariants hold in every state\n" : "  FAILED\n";
  for (const auto &v : r.finalVars)
    out += "  " + v + "\n";
  return out;
}

} // namespace mommie::checker
