// Fair-lasso search for temporal properties (see Liveness.h).
#include "checker/Liveness.h"

#include "checker/Symmetry.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <unordered_map>

namespace mommie::checker {

namespace {

struct Edge {
  uint32_t to;
  uint32_t inst; // action instance id
};

struct Graph {
  // Concrete state encodings; a deque, so that the index's string_views
  // into them stay valid as states are added.
  std::deque<std::string> bytes;
  std::vector<std::vector<Edge>> out;
  std::vector<uint32_t> inits;
  std::vector<bool> fairInst; // per instance: has a fairness condition
};

// One id per action instance that fairness speaks of: a transition at a
// principal, a record's delivery, a round; crashes, recoveries and
// Byzantine publishes share one id per kind.
uint64_t instanceKey(const Action &a) {
  auto pack = [](uint64_t kind, uint64_t x, uint64_t y, uint64_t z) {
    return kind << 60 | (x & 0xFFFFF) << 40 | (y & 0xFFFFF) << 20 |
           (z & 0xFFFFF);
  };
  switch (a.kind) {
  case Action::Kind::Transition:
    return pack(1, uint64_t(a.role), uint64_t(a.transition),
                uint64_t(a.principal));
  case Action::Kind::Deliver:
    return pack(2, uint64_t(a.record), 0, 0);
  case Action::Kind::RoundStep:
    return pack(3, uint64_t(a.round), 0, 0);
  case Action::Kind::Crash:
    return pack(4, 0, 0, 0);
  case Action::Kind::Recover:
    return pack(5, 0, 0, 0);
  case Action::Kind::ByzPublish:
    return pack(6, 0, 0, 0);
  case Action::Kind::Init:
    return pack(7, 0, 0, 0);
  }
  return pack(15, 0, 0, 0);
}

// Whether fairness may require an instance to be taken: not for faults.
bool fairKind(const Action &a) {
  return a.kind != Action::Kind::Crash && a.kind != Action::Kind::ByzPublish;
}

class Checker {
public:
  Checker(const ir::Program &program, const CheckOptions &options)
      : program_(program), layout_(program), gen_(layout_), options_(options) {}

  CheckResult run();

private:
  bool build(CheckResult &res);
  bool pred(const ir::Property &prop, const ir::Expr &e, uint32_t s);
  bool checkFormula(const ir::Property &prop, const ir::Temporal &f,
                    CheckResult &res);
  bool fairLasso(const std::vector<bool> &allowed,
                 const std::vector<bool> &start,
                 const std::vector<bool> *accept, std::vector<uint32_t> &path,
                 int &loopStart);
  bool fairScc(std::vector<uint32_t> comp, const std::vector<bool> &allowed,
               const std::vector<bool> *accept, std::vector<uint32_t> &cycle);
  // A shortest path from one of `from` to a `goal` state through `inside`
  // states (the start need not be inside); empty if there is none.
  std::vector<uint32_t> pathWithin(const std::vector<uint32_t> &from,
                                   const std::function<bool(uint32_t)> &goal,
                                   const std::function<bool(uint32_t)> &inside);
  void toTrace(const std::vector<uint32_t> &path, int loopStart,
               CheckResult &res);
  bool stutter_ = false; // the last fairLasso's loop is a stutter
  State stateOf(uint32_t i) {
    State s;
    layout_.decode(graph_.bytes[i], s);
    return s;
  }

  const ir::Program &program_;
  Layout layout_;
  Generator gen_;
  CheckOptions options_;
  Graph graph_;
  std::unordered_map<uint64_t, uint32_t> instIds_;
  std::vector<bool>
      inComp_; // fairScc's membership scratch, all false between calls
};

bool Checker::build(CheckResult &res) {
  std::unordered_map<std::string_view, uint32_t> index;
  std::deque<uint32_t> queue;
  // States outside the model's constraints are not part of the graph (as in
  // the safety search, they are never expanded); edges into them are dropped.
  auto within = [&](const State &s) { return gen_.withinConstraints(s); };
  auto intern = [&](State &&s) {
    std::string b;
    layout_.encode(s, b);
    auto it = index.find(b);
    if (it == index.end()) {
      graph_.bytes.push_back(std::move(b));
      it = index.emplace(graph_.bytes.back(), uint32_t(graph_.bytes.size() - 1))
               .first;
      graph_.out.emplace_back();
      queue.push_back(it->second);
    }
    return it->second;
  };
  gen_.initialStates([&](State &&s, const Action *) {
    if (within(s))
      graph_.inits.push_back(intern(std::move(s)));
  });
  uint64_t limit = options_.maxStates ? options_.maxStates : 2'000'000;
  while (!queue.empty()) {
    uint32_t i = queue.front();
    queue.pop_front();
    State s = stateOf(i);
    std::vector<Edge> edges;
    gen_.successors(s, true, [&](State &&next, const Action *a) {
      if (!within(next))
        return;
      auto [it, isNew] =
          instIds_.emplace(instanceKey(*a), uint32_t(instIds_.size()));
      if (isNew)
        graph_.fairInst.push_back(program_.fairness != ir::Fairness::None &&
                                  fairKind(*a));
      edges.push_back({intern(std::move(next)), it->second});
    });
    graph_.out[i] = std::move(edges);
    if (graph_.bytes.size() > limit) {
      res.verdict = CheckResult::Verdict::ResourceLimit;
      res.name = "liveness graph larger than --max-states";
      return false;
    }
  }
  return true;
}

bool Checker::pred(const ir::Property &prop, const ir::Expr &e, uint32_t s) {
  State st = stateOf(s);
  std::vector<Value> slots(prop.slots.size() + 8);
  Env env{layout_, st, -1, slots};
  return evalBool(e, env);
}

std::vector<uint32_t>
Checker::pathWithin(const std::vector<uint32_t> &from,
                    const std::function<bool(uint32_t)> &goal,
                    const std::function<bool(uint32_t)> &inside) {
  std::vector<int64_t> parent(graph_.bytes.size(), -2);
  std::deque<uint32_t> q;
  for (uint32_t f : from)
    if (parent[f] == -2) {
      parent[f] = -1;
      q.push_back(f);
    }
  while (!q.empty()) {
    uint32_t u = q.front();
    q.pop_front();
    if (goal(u)) {
      std::vector<uint32_t> path;
      for (int64_t v = u; v != -1; v = parent[size_t(v)])
        path.push_back(uint32_t(v));
      std::reverse(path.begin(), path.end());
      return path;
    }
    for (const auto &e : graph_.out[u])
      if (parent[e.to] == -2 && inside(e.to)) {
        parent[e.to] = u;
        q.push_back(e.to);
      }
  }
  return {};
}

// Tarjan's SCCs of the subgraph induced by `in` (iterative).
std::vector<std::vector<uint32_t>> sccs(const Graph &g,
                                        const std::vector<bool> &in) {
  size_t n = g.bytes.size();
  std::vector<int64_t> idx(n, -1), low(n, 0);
  std::vector<bool> onStack(n, false);
  std::vector<uint32_t> stack;
  std::vector<std::vector<uint32_t>> out;
  int64_t counter = 0;
  for (uint32_t root = 0; root < n; ++root) {
    if (!in[root] || idx[root] >= 0)
      continue;
    std::vector<std::pair<uint32_t, size_t>> call{{root, 0}};
    idx[root] = low[root] = counter++;
    stack.push_back(root);
    onStack[root] = true;
    while (!call.empty()) {
      auto &[v, ei] = call.back();
      if (ei < g.out[v].size()) {
        uint32_t w = g.out[v][ei++].to;
        if (!in[w])
          continue;
        if (idx[w] < 0) {
          idx[w] = low[w] = counter++;
          stack.push_back(w);
          onStack[w] = true;
          call.push_back({w, 0});
        } else if (onStack[w]) {
          low[v] = std::min(low[v], idx[w]);
        }
        continue;
      }
      if (low[v] == idx[v]) {
        std::vector<uint32_t> comp;
        uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          onStack[w] = false;
          comp.push_back(w);
        } while (w != v);
        out.push_back(std::move(comp));
      }
      uint32_t done = v;
      call.pop_back();
      if (!call.empty())
        low[call.back().first] = std::min(low[call.back().first], low[done]);
    }
  }
  return out;
}

// Finds a fair cycle inside `comp` (restricted to `allowed`); fills `cycle`
// with a closed walk starting and ending at its first state.
bool Checker::fairScc(std::vector<uint32_t> comp,
                      const std::vector<bool> &allowed,
                      const std::vector<bool> *accept,
                      std::vector<uint32_t> &cycle) {
  size_t n = graph_.bytes.size();
  // A single state is a cycle only with an edge to itself. (Most components
  // of an acyclic graph are such states: no per-component O(n) work.)
  if (comp.size() == 1) {
    bool selfLoop = false;
    for (const auto &e : graph_.out[comp[0]])
      selfLoop = selfLoop || e.to == comp[0];
    if (!selfLoop)
      return false;
  }
  // Membership of `comp`, in a scratch vector that is all false on entry
  // and again on return (strong fairness clears it before it recurses).
  if (inComp_.size() < n)
    inComp_.resize(n, false);
  std::vector<bool> &inC = inComp_;
  for (uint32_t s : comp)
    inC[s] = true;
  struct Clear {
    std::vector<bool> &in;
    const std::vector<uint32_t> &comp;
    ~Clear() {
      for (uint32_t s : comp)
        in[s] = false;
    }
  } clear{inC, comp};
  bool hasEdge = false;
  size_t ni = graph_.fairInst.size();
  std::vector<bool> taken(ni, false), enabledSomewhere(ni, false);
  std::vector<int> enabledCount(ni, 0);
  for (uint32_t s : comp) {
    std::vector<bool> en(ni, false);
    for (const auto &e : graph_.out[s]) {
      en[e.inst] = true;
      if (inC[e.to]) {
        hasEdge = true;
        taken[e.inst] = true;
      }
    }
    for (size_t a = 0; a < ni; ++a)
      if (en[a]) {
        enabledSomewhere[a] = true;
        ++enabledCount[a];
      }
  }
  if (!hasEdge)
    return false;
  bool strong = program_.fairness == ir::Fairness::Strong;
  for (size_t a = 0; a < ni; ++a) {
    if (!graph_.fairInst[a] || taken[a])
      continue;
    if (!strong && enabledCount[a] == int(comp.size()))
      return false; // WF: continuously enabled, never taken
    if (strong && enabledSomewhere[a]) {
      // SF: drop the states where `a` is enabled and look again inside.
      std::vector<bool> sub(n, false);
      for (uint32_t s : comp) {
        bool en = false;
        for (const auto &e : graph_.out[s])
          en = en || e.inst == a;
        sub[s] = !en;
      }
      for (uint32_t s : comp)
        inC[s] = false;
      for (auto &c : sccs(graph_, sub))
        if (fairScc(c, allowed, accept, cycle))
          return true;
      return false;
    }
  }
  uint32_t entry = comp[0];
  if (accept) {
    auto it = std::find_if(comp.begin(), comp.end(),
                           [&](uint32_t s) { return (*accept)[s]; });
    if (it == comp.end())
      return false;
    entry = *it;
  }
  // Closed walk from `entry` taking one edge of every action taken in C.
  auto inside = [&](uint32_t s) { return inC[s]; };
  cycle = {entry};
  uint32_t cur = entry;
  std::vector<bool> covered(ni, false);
  for (size_t a = 0; a < ni; ++a) {
    if (!taken[a] || covered[a] || !graph_.fairInst[a])
      continue;
    // Go to a state with an internal `a` edge, take it.
    auto path = pathWithin(
        {cur},
        [&](uint32_t s) {
          for (const auto &e : graph_.out[s])
            if (e.inst == a && inC[e.to])
              return true;
          return false;
        },
        inside);
    for (size_t k = 1; k < path.size(); ++k)
      cycle.push_back(path[k]);
    cur = cycle.back();
    for (const auto &e : graph_.out[cur])
      if (e.inst == a && inC[e.to]) {
        cycle.push_back(e.to);
        cur = e.to;
        break;
      }
    covered[a] = true;
  }
  if (cycle.size() == 1) {
    for (const auto &e : graph_.out[entry])
      if (inC[e.to]) {
        cycle.push_back(e.to);
        cur = e.to;
        break;
      }
  }
  if (cur != entry) {
    auto back = pathWithin(
        {cur}, [&](uint32_t s) { return s == entry; }, inside);
    for (size_t k = 1; k < back.size(); ++k)
      cycle.push_back(back[k]);
  }
  return true;
}

bool Checker::fairLasso(const std::vector<bool> &allowed,
                        const std::vector<bool> &start,
                        const std::vector<bool> *accept,
                        std::vector<uint32_t> &path, int &loopStart) {
  size_t n = graph_.bytes.size();
  stutter_ = false;
  // Region reachable from the start states through allowed states.
  std::vector<bool> reach(n, false);
  std::deque<uint32_t> q;
  for (uint32_t s = 0; s < n; ++s)
    if (start[s] && allowed[s]) {
      reach[s] = true;
      q.push_back(s);
    }
  while (!q.empty()) {
    uint32_t u = q.front();
    q.pop_front();
    for (const auto &e : graph_.out[u])
      if (allowed[e.to] && !reach[e.to]) {
        reach[e.to] = true;
        q.push_back(e.to);
      }
  }
  std::vector<uint32_t> cycle;
  int64_t target = -1;
  // Stuttering forever is fair where no fair action is enabled.
  for (uint32_t s = 0; s < n && target < 0; ++s) {
    if (!reach[s] || (accept && !(*accept)[s]))
      continue;
    bool fairEnabled = false;
    for (const auto &e : graph_.out[s])
      fairEnabled = fairEnabled || graph_.fairInst[e.inst];
    if (!fairEnabled) {
      target = s;
      cycle = {s};
      stutter_ = true;
    }
  }
  if (target < 0)
    for (auto &comp : sccs(graph_, reach))
      if (fairScc(comp, allowed, accept, cycle)) {
        target = cycle[0];
        break;
      }
  if (target < 0)
    return false;
  // Prefix: init -> some start state -> (allowed) -> target, each part a
  // shortest path from all its possible sources at once.
  std::vector<uint32_t> starts;
  for (uint32_t s = 0; s < n; ++s)
    if (start[s] && reach[s])
      starts.push_back(s);
  auto tail = pathWithin(
      starts, [&](uint32_t x) { return x == uint32_t(target); },
      [&](uint32_t x) { return bool(allowed[x]); });
  if (tail.empty())
    return false;
  auto head = pathWithin(
      graph_.inits, [&](uint32_t x) { return x == tail[0]; },
      [](uint32_t) { return true; });
  if (head.empty())
    return false;
  std::vector<uint32_t> best = head;
  best.insert(best.end(), tail.begin() + 1, tail.end());
  path = best;
  loopStart = int(path.size()) - 1;
  for (size_t k = 1; k + 1 < cycle.size(); ++k)
    path.push_back(cycle[k]);
  return true;
}

void Checker::toTrace(const std::vector<uint32_t> &path, int loopStart,
                      CheckResult &res) {
  res.trace.clear();
  std::string b;
  for (size_t k = 0; k < path.size(); ++k) {
    State target = stateOf(path[k]);
    if (k == 0) {
      Action init;
      res.trace.push_back({init, target});
      continue;
    }
    State prev = res.trace.back().state;
    bool found = false;
    gen_.successors(prev, true, [&](State &&next, const Action *a) {
      if (found)
        return;
      layout_.encode(next, b);
      if (b == graph_.bytes[path[k]]) {
        res.trace.push_back({*a, std::move(next)});
        found = true;
      }
    });
    if (!found)
      break;
  }
  res.loopStart = loopStart;
  res.stutters = stutter_;
}

bool Checker::checkFormula(const ir::Property &prop, const ir::Temporal &f,
                           CheckResult &res) {
  using TK = ir::Temporal::Kind;
  size_t n = graph_.bytes.size();
  auto eval = [&](const ir::Temporal &t) {
    std::vector<bool> v(n);
    for (uint32_t s = 0; s < n; ++s)
      v[s] = pred(prop, *t.state, s);
    return v;
  };
  auto negate = [](std::vector<bool> v) {
    v.flip();
    return v;
  };
  std::vector<bool> all(n, true), initSet(n, false);
  for (uint32_t i : graph_.inits)
    initSet[i] = true;
  std::vector<uint32_t> path;
  int loop = -1;
  auto isState = [](const ir::TemporalPtr &t) {
    return t && t->kind == TK::State;
  };
  bool violated = false;
  if (f.kind == TK::And) {
    for (const auto &a : f.args)
      if (!checkFormula(prop, *a, res))
        return false;
    return true;
  }
  if (f.kind == TK::Always && isState(f.args[0])) {
    auto p = eval(*f.args[0]);
    for (uint32_t s = 0; s < n; ++s)
      if (!p[s]) {
        path = pathWithin(
            graph_.inits, [&](uint32_t x) { return x == s; },
            [](uint32_t) { return true; });
        violated = true;
        break;
      }
  } else if (f.kind == TK::Eventually && isState(f.args[0])) {
    auto notP = negate(eval(*f.args[0]));
    std::vector<bool> start(n);
    for (uint32_t s = 0; s < n; ++s)
      start[s] = initSet[s] && notP[s];
    violated = fairLasso(notP, start, nullptr, path, loop);
  } else if (f.kind == TK::LeadsTo && isState(f.args[0]) &&
             isState(f.args[1])) {
    auto p = eval(*f.args[0]);
    auto notQ = negate(eval(*f.args[1]));
    std::vector<bool> start(n);
    for (uint32_t s = 0; s < n; ++s)
      start[s] = p[s] && notQ[s];
    violated = fairLasso(notQ, start, nullptr, path, loop);
  } else if (f.kind == TK::Always && f.args[0]->kind == TK::Eventually &&
             isState(f.args[0]->args[0])) {
    auto notP = negate(eval(*f.args[0]->args[0]));
    violated = fairLasso(notP, notP, nullptr, path, loop);
  } else if (f.kind == TK::Eventually && f.args[0]->kind == TK::Always &&
             isState(f.args[0]->args[0])) {
    auto notP = negate(eval(*f.args[0]->args[0]));
    violated = fairLasso(all, all, &notP, path, loop);
  } else {
    // Not silently passed over: a property the checker cannot check is an
    // error at its declaration.
    res.verdict = CheckResult::Verdict::EvalError;
    res.name = prop.name;
    res.loc = prop.loc;
    res.message = fmt::format(
        "temporal property {} has a form the checker does not support "
        "(conjunctions of []P, <>P, P ~> Q, []<>P and <>[]P over state "
        "predicates)",
        prop.name);
    return false;
  }
  if (!violated)
    return true;
  res.verdict = CheckResult::Verdict::PropertyViolated;
  res.name = prop.name;
  toTrace(path, loop, res);
  return false;
}

CheckResult Checker::run() {
  CheckResult res;
  if (!build(res))
    return res;
  res.livenessStates = graph_.out.size();
  for (const auto &prop : program_.properties) {
    if (prop.formula && !checkFormula(prop, *prop.formula, res))
      return res;
    res.propertiesHeld.push_back(prop.name);
  }
  return res;
}

} // namespace

CheckResult checkProperties(const ir::Program &program,
                            const CheckOptions &options) {
  Checker c(program, options);
  try {
    return c.run();
  } catch (const EvalError &e) {
    CheckResult r;
    setEvalError(r, e);
    return r;
  }
}

} // namespace mommie::checker
