// Replay of recorded steps in the checker's semantics (see Replay.h).
#include "checker/Replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace mommie::checker {

using K = Kind;
using nlohmann::json;

int principalByName(const Layout &layout, const std::string &name) {
  for (int p = 0; p < layout.numPrincipals(); ++p)
    if (layout.principalName(p) == name)
      return p;
  return -1;
}

//===----------------------------------------------------------------------===//
// JSON values
//===----------------------------------------------------------------------===//

namespace {

[[noreturn]] void bad(const std::string &what, const json &j) {
  std::string s = j.dump();
  if (s.size() > 80)
    s = s.substr(0, 77) + "...";
  throw std::runtime_error(what + ": " + s);
}

Value fromJson(const Layout &layout, const json &j, int depth) {
  if (depth > 64)
    bad("value nested too deeply", j);
  if (j.is_boolean())
    return Value::boolean(j.get<bool>());
  if (j.is_number_integer())
    return Value::integer(j.get<int64_t>());
  if (j.is_string()) {
    int p = principalByName(layout, j.get<std::string>());
    if (p < 0)
      bad("unknown principal", j);
    return Value::principal(p);
  }
  if (!j.is_object())
    bad("not a value", j);
  auto list = [&](const char *key) {
    const json &a = j.at(key);
    if (!a.is_array())
      bad(std::string(key) + " needs an array", j);
    Value::Elems v;
    for (const auto &e : a)
      v.push_back(fromJson(layout, e, depth + 1));
    return v;
  };
  if (j.contains("$record")) {
    const auto &prog = layout.program();
    if (!j["$record"].is_string())
      bad("bad record name", j);
    std::string name = j["$record"].get<std::string>();
    for (size_t r = 0; r < prog.records.size(); ++r) {
      if (prog.records[r].name != name)
        continue;
      const auto &fields = prog.records[r].fields;
      if (j.size() != fields.size() + 1)
        bad("record " + name + " has the wrong fields", j);
      Value::Elems v;
      for (const auto &f : fields) {
        if (!j.contains(f.name))
          bad("record " + name + " lacks field " + f.name, j);
        v.push_back(fromJson(layout, j[f.name], depth + 1));
      }
      return Value::record(int(r), std::move(v));
    }
    bad("unknown record type", j);
  }
  if (j.size() != 1)
    bad("not a value", j);
  if (j.contains("$set"))
    return Value::set(list("$set"));
  if (j.contains("$seq"))
    return Value::seq(list("$seq"));
  if (j.contains("$tuple"))
    return Value::tuple(list("$tuple"));
  if (j.contains("$some"))
    return Value::some(fromJson(layout, j["$some"], depth + 1));
  if (j.contains("$none"))
    return Value::none();
  if (j.contains("$map")) {
    const json &a = j["$map"];
    if (!a.is_array())
      bad("$map needs an array", j);
    std::vector<std::pair<Value, Value>> kv;
    for (const auto &e : a) {
      if (!e.is_array() || e.size() != 2)
        bad("map entry needs [key, value]", e);
      kv.emplace_back(fromJson(layout, e[0], depth + 1),
                      fromJson(layout, e[1], depth + 1));
    }
    std::sort(kv.begin(), kv.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    Value::Elems v;
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i && kv[i].first == kv[i - 1].first)
        bad("duplicate map key", j);
      v.push_back(std::move(kv[i].first));
      v.push_back(std::move(kv[i].second));
    }
    return Value::sortedMap(std::move(v));
  }
  bad("not a value", j);
}

} // namespace

Value valueFromJson(const Layout &layout, const json &j) {
  return fromJson(layout, j, 0);
}

json valueToJson(const Layout &layout, const Value &v) {
  return json::parse(v.toJson(&layout.names())); // the runtime's rendering
}

Value statementFromJson(const Layout &layout, const json &j) {
  if (!j.is_object() || !j.contains("iss") || !j.contains("ver") ||
      !j.contains("aud") || !j.contains("msg") || j.size() != 4)
    bad("not a statement", j);
  Value iss = valueFromJson(layout, j["iss"]);
  Value ver = valueFromJson(layout, j["ver"]);
  Value aud = valueFromJson(layout, j["aud"]);
  Value msg = valueFromJson(layout, j["msg"]);
  if (!iss.is(K::Principal) || !ver.is(K::Set) || !aud.is(K::Set) ||
      !msg.is(K::Record))
    bad("malformed statement", j);
  return makeStatement(int(iss.scalar()), std::move(ver), std::move(aud),
                       std::move(msg));
}

json statementToJson(const Layout &layout, const Value &st) {
  return json{{"iss", valueToJson(layout, st.elems()[StmtIss])},
              {"ver", valueToJson(layout, st.elems()[StmtVer])},
              {"aud", valueToJson(layout, st.elems()[StmtAud])},
              {"msg", valueToJson(layout, st.elems()[StmtMsg])}};
}

//===----------------------------------------------------------------------===//
// One transition, one delivery
//===----------------------------------------------------------------------===//

std::string
replayTransition(const Layout &layout, State &s, int role, int p, int ti,
                 const std::vector<std::pair<std::string, Value>> &binding,
                 std::vector<Published> &published) {
  const auto &prog = layout.program();
  const ir::Role &ro = prog.roles.at(size_t(role));
  const ir::Transition &t = ro.transitions.at(size_t(ti));
  if (!layout.inSet(ro.principalSet, p))
    return "not a principal of role " + ro.name;
  if (!s.live(p))
    return s.isCrashed(p) ? "principal has crashed" : "principal is Byzantine";
  if (t.timer >= 0 && !s.timers[size_t(layout.timerIndex(role, p, t.timer))])
    return "timer " + ro.timers[size_t(t.timer)].name + " is not running";

  // Slots named by the binding.
  std::vector<Value> slots(t.slots.size());
  std::vector<bool> bound(t.slots.size(), false);
  auto bind = [&](int slot) -> std::string {
    if (slot < 0)
      return {};
    for (const auto &[name, v] : binding)
      if (name == t.slots[size_t(slot)].name) {
        slots[size_t(slot)] = v;
        bound[size_t(slot)] = true;
        return {};
      }
    return "binding lacks " + t.slots[size_t(slot)].name;
  };
  using IK = ir::IssuerPattern::Kind;
  for (int slot : t.params) {
    if (auto e = bind(slot); !e.empty())
      return e;
    const auto &info = t.slots[size_t(slot)];
    if (!conformsTo(layout, slots[size_t(slot)], *info.type,
                    /*modelRanges=*/false))
      return "parameter " + info.name + " = " +
             layout.show(slots[size_t(slot)]) + " is outside its type";
  }
  for (const auto &pat : t.triggers) {
    if (auto e = bind(pat.slot); !e.empty())
      return e;
    if (pat.issuer.kind == IK::Bind)
      if (auto e = bind(pat.issuer.slot); !e.empty())
        return e;
  }
  for (const auto &[name, v] : binding) {
    bool known = false;
    for (const auto &info : t.slots)
      known |= info.name == name;
    if (!known)
      return "binding names " + name + ", which " + t.name + " does not bind";
  }

  Env env{layout, s, p, slots};
  // Quorums first: their issuer sets may be read by other checks.
  for (size_t i = 0; i < t.triggers.size(); ++i) {
    const auto &pat = t.triggers[i];
    if (pat.issuer.kind != IK::Quorum)
      continue;
    if (pat.slot < 0)
      return fmt::format("pattern {} has no record variable", i + 1);
    Value iss;
    if (pat.statementSet) {
      // The node fires with every matching statement it knows: the same
      // pool here.
      Value all = statementSet(pat, env, iss);
      if (all != slots[size_t(pat.slot)])
        return fmt::format(
            "pattern {} ({}): the statement set {} is not every matching "
            "known statement {}",
            i + 1, prog.records[size_t(pat.record)].name,
            layout.show(slots[size_t(pat.slot)]), layout.show(all));
    } else {
      iss = quorumIssuers(pat, slots[size_t(pat.slot)], env);
    }
    if (!quorumHolds(pat, iss, env))
      return fmt::format(
          "pattern {} ({}): quorum not reached, known issuers {}", i + 1,
          prog.records[size_t(pat.record)].name, layout.show(iss));
    if (pat.issuer.slot >= 0)
      slots[size_t(pat.issuer.slot)] = std::move(iss);
  }
  for (size_t i = 0; i < t.triggers.size(); ++i) {
    const auto &pat = t.triggers[i];
    if (pat.issuer.kind == IK::Quorum)
      continue;
    const auto &known =
        s.known[size_t(layout.knownIndex(pat.record, p))].elems();
    bool found = false;
    for (const auto &st : known) {
      if (pat.slot >= 0 && st.elems()[StmtMsg] != slots[size_t(pat.slot)])
        continue;
      if (pat.issuer.kind == IK::Bind && pat.issuer.slot >= 0 &&
          st.elems()[StmtIss] != slots[size_t(pat.issuer.slot)])
        continue;
      if (issuerMatches(pat.issuer, st, env) &&
          partyMatches(pat.verifier, st.elems()[StmtVer], env) &&
          partyMatches(pat.auditor, st.elems()[StmtAud], env)) {
        found = true;
        break;
      }
    }
    if (!found)
      return fmt::format("pattern {} ({}): no known statement matches", i + 1,
                         prog.records[size_t(pat.record)].name);
  }
  for (size_t i = 0; i < t.triggers.size(); ++i) {
    const auto &pat = t.triggers[i];
    if (pat.slot >= 0 && !pat.statementSet &&
        !constraintsHold(pat, slots[size_t(pat.slot)], env))
      return fmt::format("pattern {} ({}): a field constraint fails", i + 1,
                         prog.records[size_t(pat.record)].name);
  }
  if (t.guard && !evalBool(*t.guard, env))
    return "guard is false";

  int firedIdx = layout.firedIndex(role, ti, p);
  Value::Elems parts;
  if (t.refracted()) {
    for (int slot : t.refractionSlots())
      parts.push_back(slots[size_t(slot)]);
  }
  Value key = Value::tuple(std::move(parts));
  if (t.refracted() && firedIdx >= 0 &&
      s.fired[size_t(firedIdx)].setContains(key))
    return "binding already fired (refraction)";
  // Fire, in place.
  if (firedIdx >= 0)
    s.fired[size_t(firedIdx)].setInsert(key);
  if (t.timer >= 0)
    s.timers[size_t(layout.timerIndex(role, p, t.timer))] = 0;
  std::vector<Value> frame = slots;
  published.clear();
  execBlock(t.body, layout, s, role, p, frame, published);
  applyPublishes(layout, s, p, published);
  return {};
}

std::string replayDeliver(const Layout &layout, State &s, int q,
                          const Value &st) {
  int rec = int(st.elems()[StmtMsg].scalar());
  if (!s.pool[size_t(rec)].setContains(st))
    return "delivered statement was never published";
  if (!st.elems()[StmtVer].setContains(Value::principal(q)))
    return "receiver is not a verifier of the statement";
  if (!s.live(q))
    return "receiver is not live";
  if (!s.known[size_t(layout.knownIndex(rec, q))].setInsert(st))
    return "statement already known (duplicate delivery)";
  return {};
}

//===----------------------------------------------------------------------===//
// Merged replay
//===----------------------------------------------------------------------===//

void applyChangedVars(const Layout &layout, std::map<std::string, Value> &vars,
                      const json &changed) {
  if (!changed.is_object())
    throw std::runtime_error("\"changed\" is not an object");
  for (const auto &[name, v] : changed.items()) {
    if (v.is_object() && v.contains("$mapDelta")) {
      auto it = vars.find(name);
      if (it == vars.end() || !it->second.is(K::Map))
        throw std::runtime_error("map delta for " + name +
                                 ", which has no recorded map value");
      Value &m = it->second;
      for (const auto &e : v["$mapDelta"]) {
        if (!e.is_array() || e.size() != 2)
          throw std::runtime_error("bad map delta entry for " + name);
        Value k = valueFromJson(layout, e[0]);
        Value val = valueFromJson(layout, e[1]);
        m.mapPut(std::move(k), std::move(val));
      }
      if (v.contains("$removed")) {
        for (const auto &k : v["$removed"]) {
          Value kv = valueFromJson(layout, k);
          Value::Elems nm;
          for (size_t i = 0; i + 1 < m.elems().size(); i += 2)
            if (m.elems()[i] != kv) {
              nm.push_back(m.elems()[i]);
              nm.push_back(m.elems()[i + 1]);
            }
          m = Value::sortedMap(std::move(nm));
        }
      }
      continue;
    }
    vars[name] = valueFromJson(layout, v);
  }
}

namespace {

struct NodeView {
  int p = -1, role = -1;
  std::vector<const TraceRecord *> records;
  size_t next = 0;
  std::map<std::string, Value> vars; // recorded view: var name / "timer t"
};

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Applies a record's "changed" to the node's recorded view.
void applyChanged(const Layout &layout, NodeView &n, const json &changed) {
  applyChangedVars(layout, n.vars, changed);
}

// The recorded view against the model's state of the node.
std::string compareView(const Layout &layout, const State &s,
                        const NodeView &n) {
  const auto &prog = layout.program();
  const auto &ro = prog.roles[size_t(n.role)];
  for (size_t v = 0; v < ro.vars.size(); ++v) {
    if (ro.vars[v].ghost)
      continue; // a node holds no ghost state; the replay computes it
    const Value &model = s.vars[size_t(layout.varIndex(n.role, n.p, int(v)))];
    auto it = n.vars.find(ro.vars[v].name);
    if (it == n.vars.end())
      return "variable " + ro.vars[v].name + " was never recorded";
    if (it->second != model)
      return "variable " + ro.vars[v].name + ": trace has " +
             layout.show(it->second, n.role, int(v)) + ", the model has " +
             layout.show(model, n.role, int(v));
  }
  for (size_t t = 0; t < ro.timers.size(); ++t) {
    bool model = s.timers[size_t(layout.timerIndex(n.role, n.p, int(t)))] != 0;
    std::string key = "timer " + ro.timers[t].name;
    auto it = n.vars.find(key);
    if (it == n.vars.end())
      return key + " was never recorded";
    if (it->second != Value::boolean(model))
      return key + ": trace has " + layout.show(it->second) +
             ", the model has " + (model ? "running" : "stopped");
  }
  return {};
}

std::vector<Value> statements(const Layout &layout, const json &j,
                              const char *what) {
  std::vector<Value> out;
  if (j.is_null())
    return out;
  if (!j.is_array())
    throw Failure(std::string("\"") + what + "\" is not an array");
  for (const auto &e : j)
    out.push_back(statementFromJson(layout, e));
  return out;
}

// For a crashed principal `p` whose trace ended early: delivers it every
// statement of the pool addressed to it (enabled Deliver actions), then
// searches up to three of its transitions (breadth first) for a path
// whose last step publishes `st`, and replays that path on `s`.
bool inferStep(const Layout &layout, const Generator &gen, State &s, int p,
               const Value &st) {
  for (size_t rec = 0; rec < s.pool.size(); ++rec)
    for (const auto &x : s.pool[rec].elems())
      if (x.elems()[StmtVer].setContains(Value::principal(p)) &&
          !s.known[size_t(layout.knownIndex(int(rec), p))].setContains(x))
        s.known[size_t(layout.knownIndex(int(rec), p))].setInsert(x);
  struct Node {
    State state;
    std::vector<Action> path;
  };
  // Transitions read knowledge, not the pool: an empty pool keeps the
  // generator from enumerating every pending delivery.
  Node root{s, {}};
  for (auto &pl : root.state.pool)
    pl = Value::emptySet();
  std::vector<Node> frontier{std::move(root)};
  for (int depth = 0; depth < 3 && !frontier.empty(); ++depth) {
    std::vector<Node> next;
    std::vector<Action> found;
    for (const auto &n : frontier) {
      gen.successors(n.state, true, [&](State &&ns, const Action *a) {
        if (!found.empty() || a->kind != Action::Kind::Transition ||
            a->principal != p)
          return;
        bool hit = false;
        for (const auto &pb : a->published)
          hit |= pb.statement == st;
        if (hit) {
          found = n.path;
          found.push_back(*a);
        } else if (next.size() < 64) {
          Node m{std::move(ns), n.path};
          m.path.push_back(*a);
          next.push_back(std::move(m));
        }
      });
      if (!found.empty())
        break;
    }
    if (!found.empty()) {
      for (const auto &a : found) {
        std::vector<Published> pub;
        if (!replayTransition(layout, s, a.role, p, a.transition, a.bindings,
                              pub)
                 .empty())
          return false;
      }
      return true;
    }
    frontier = std::move(next);
  }
  return false;
}

ConformResult replayFrom(const Layout &layout, const Generator &gen, State s,
                         std::vector<NodeView> nodes,
                         const ConformOptions &options) {
  const auto &prog = layout.program();
  std::vector<int> crashed;
  for (const auto &c : options.crashed)
    crashed.push_back(principalByName(layout, c));
  ConformResult res;
  const TraceRecord *cur = nullptr;
  auto fail = [&](const std::string &msg) {
    res.ok = false;
    res.message = msg;
    if (cur) {
      res.file = cur->file;
      res.line = cur->line;
      res.node = cur->j.value("node", std::string());
      res.seq = cur->j.contains("seq") && cur->j["seq"].is_number_integer()
                    ? cur->j["seq"].get<int64_t>()
                    : -1;
    }
    return res;
  };
  try {
    while (true) {
      // Next record: the first node whose pending deliveries were published.
      NodeView *pick = nullptr;
      std::vector<Value> delivered;
      const TraceRecord *blocked = nullptr;
      for (auto &n : nodes) {
        if (n.next >= n.records.size())
          continue;
        const TraceRecord *r = n.records[n.next];
        cur = r;
        std::vector<Value> d =
            statements(layout, r->j.value("delivered", json()), "delivered");
        bool ready = true;
        for (const auto &st : d)
          ready &= s.pool[size_t(st.elems()[StmtMsg].scalar())].setContains(st);
        if (ready) {
          pick = &n;
          delivered = std::move(d);
          break;
        }
        if (!blocked)
          blocked = r;
      }
      if (!pick) {
        if (!blocked)
          break;
        // A crashed node's unrecorded step may explain a missing statement.
        bool inferred = false;
        for (const auto &m : nodes) {
          if (m.next >= m.records.size() || inferred)
            continue;
          for (const auto &st : statements(
                   layout, m.records[m.next]->j.value("delivered", json()),
                   "delivered")) {
            int iss = int(st.elems()[StmtIss].scalar());
            if (s.pool[size_t(st.elems()[StmtMsg].scalar())].setContains(st) ||
                std::find(crashed.begin(), crashed.end(), iss) == crashed.end())
              continue;
            bool ended = true;
            for (const auto &o : nodes)
              if (o.p == iss)
                ended = o.next >= o.records.size();
            if (!ended)
              continue;
            inferred = inferStep(layout, gen, s, iss, st);
            break;
          }
        }
        if (inferred) {
          ++res.inferred;
          continue;
        }
        // Stuck: prefer a delivery that no remaining record publishes.
        std::vector<Value> later;
        for (const auto &m : nodes)
          for (size_t k = m.next; k < m.records.size(); ++k)
            for (auto &st :
                 statements(layout, m.records[k]->j.value("published", json()),
                            "published"))
              later.push_back(std::move(st));
        std::sort(later.begin(), later.end());
        for (const auto &m : nodes) {
          if (m.next >= m.records.size())
            continue;
          cur = m.records[m.next];
          for (const auto &st : statements(
                   layout, cur->j.value("delivered", json()), "delivered"))
            if (!s.pool[size_t(st.elems()[StmtMsg].scalar())].setContains(st) &&
                !std::binary_search(later.begin(), later.end(), st))
              return fail("delivers " + statementText(layout, st) +
                          ", which no step of any trace published");
        }
        cur = blocked;
        return fail("no order of the steps delivers only published statements "
                    "(a cycle of deliveries before their publishes)");
      }
      NodeView &n = *pick;
      cur = n.records[n.next];
      const json &j = cur->j;
      for (const auto &st : delivered) {
        std::string why = replayDeliver(layout, s, n.p, st);
        if (!why.empty())
          return fail("Deliver " + statementText(layout, st) + ": " + why);
        ++res.deliveries;
      }
      const json &tr = j.contains("transition") ? j["transition"] : json();
      std::vector<Published> published;
      if (tr == "$byzantine") {
        // ByzPublish: a Byzantine principal adds statements it issues.
        if (!s.isByz(n.p))
          return fail("Byzantine publish by a principal that is not Byzantine");
        for (const auto &st :
             statements(layout, j.value("published", json()), "published")) {
          if (int(st.elems()[StmtIss].scalar()) != n.p)
            return fail(
                "Byzantine publish of a statement issued by another principal");
          s.pool[size_t(st.elems()[StmtMsg].scalar())].setInsert(st);
        }
        ++n.next;
        ++res.records;
        continue;
      }
      if (!tr.is_null()) {
        if (!tr.is_string())
          return fail("\"transition\" is not a name");
        std::string name = tr.get<std::string>();
        const auto &ro = prog.roles[size_t(n.role)];
        int ti = -1;
        for (size_t k = 0; k < ro.transitions.size(); ++k)
          if (ro.transitions[k].name == name)
            ti = int(k);
        if (ti < 0)
          return fail("role " + ro.name + " has no transition " + name);
        std::vector<std::pair<std::string, Value>> binding;
        if (j.contains("binding")) {
          if (!j["binding"].is_object())
            return fail("\"binding\" is not an object");
          for (const auto &[k, v] : j["binding"].items())
            binding.emplace_back(k, valueFromJson(layout, v));
        }
        std::string why;
        try {
          why =
              replayTransition(layout, s, n.role, n.p, ti, binding, published);
        } catch (const EvalError &e) {
          return fail(name + ": evaluation error in the model: " + e.what());
        }
        if (!why.empty())
          return fail(name + " is not enabled with this binding: " + why);
        ++res.transitions;
      }
      // Published statements, as sets.
      std::vector<Value> want;
      for (const auto &pb : published)
        want.push_back(pb.statement);
      std::vector<Value> got =
          statements(layout, j.value("published", json()), "published");
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      if (want != got) {
        for (const auto &w : want)
          if (!std::binary_search(got.begin(), got.end(), w))
            return fail("the model publishes " + statementText(layout, w) +
                        ", the trace does not");
        for (const auto &g : got)
          if (!std::binary_search(want.begin(), want.end(), g))
            return fail("the trace publishes " + statementText(layout, g) +
                        ", the model does not");
        return fail("published statements differ in multiplicity");
      }
      if (j.contains("changed"))
        applyChanged(layout, n, j["changed"]);
      std::string diff = compareView(layout, s, n);
      if (!diff.empty())
        return fail(diff);
      if (options.invariants) {
        std::string inv = gen.violatedInvariant(s);
        if (!inv.empty()) {
          res.invariant = inv;
          return fail("invariant " + inv + " is violated after this step");
        }
      }
      ++n.next;
      ++res.records;
    }
  } catch (const EvalError &e) {
    return fail(std::string("evaluation error: ") + e.what());
  } catch (const std::exception &e) {
    return fail(e.what());
  }
  res.ok = true;
  cur = nullptr;
  return res;
}

} // namespace

ConformResult
bestReplay(const std::vector<State> &inits,
           const std::function<ConformResult(const State &)> &replay,
           const std::string &noInit) {
  ConformResult best;
  best.message = noInit;
  bool have = false;
  for (const auto &init : inits) {
    ConformResult r = replay(init);
    if (r.ok)
      return r;
    if (!have || (!r.invariant.empty() && best.invariant.empty()) ||
        (r.invariant.empty() == best.invariant.empty() &&
         r.records > best.records))
      best = r;
    have = true;
  }
  return best;
}

ConformResult conformTraces(const ir::Program &program,
                            const std::vector<TraceRecord> &records,
                            const ConformOptions &options) {
  ConformResult res;
  if (program.isRoundProgram()) {
    res.message = "trace conformance supports event-driven programs only";
    return res;
  }
  Layout layout(program);
  std::vector<NodeView> nodes;
  for (const auto &r : records) {
    auto failAt = [&](const std::string &m) {
      res.file = r.file;
      res.line = r.line;
      res.message = m;
      return res;
    };
    if (!r.j.is_object() || !r.j.contains("node") || !r.j["node"].is_string())
      return failAt("record without a \"node\"");
    std::string name = r.j["node"].get<std::string>();
    res.node = name;
    int p = principalByName(layout, name);
    if (p < 0)
      return failAt("unknown node " + name);
    NodeView *n = nullptr;
    for (auto &x : nodes)
      if (x.p == p)
        n = &x;
    if (!n) {
      nodes.emplace_back();
      n = &nodes.back();
      n->p = p;
      n->role = layout.roleOf(p);
      if (n->role < 0)
        return failAt("node " + name + " has no role");
    }
    int64_t expect = int64_t(n->records.size());
    if (!r.j.contains("seq") || !r.j["seq"].is_number_integer() ||
        r.j["seq"].get<int64_t>() != expect)
      return failAt(
          fmt::format("record out of sequence (expected seq {})", expect));
    n->records.push_back(&r);
  }
  res.node.clear();
  std::sort(nodes.begin(), nodes.end(),
            [](const auto &a, const auto &b) { return a.p < b.p; });
  // A node's first record may carry its initial state ("init"): then only
  // the initial states that agree with it are tried (the product of every
  // node's `var x in S` choices easily exceeds maxInits).
  std::vector<NodeView> initViews;
  for (const auto &n : nodes) {
    const json &first = n.records.front()->j;
    if (!first.contains("init"))
      continue;
    NodeView v;
    v.p = n.p;
    v.role = n.role;
    try {
      applyChangedVars(layout, v.vars, first["init"]);
    } catch (const std::exception &e) {
      res.file = n.records.front()->file;
      res.line = n.records.front()->line;
      res.message = std::string("bad \"init\": ") + e.what();
      return res;
    }
    initViews.push_back(std::move(v));
  }
  std::vector<State> inits;
  std::string initMismatch;
  try {
    Generator gen(layout);
    gen.initialStates([&](State &&s, const Action *) {
      for (const auto &v : initViews)
        if (std::string why = compareView(layout, s, v); !why.empty()) {
          if (initMismatch.empty())
            initMismatch =
                "node " + layout.program().principalName(v.p) +
                "'s recorded initial state is not one of the model's: " + why;
          return;
        }
      if (inits.size() < options.maxInits)
        inits.push_back(std::move(s));
    });
    if (inits.empty() && !initMismatch.empty()) {
      res.message = initMismatch;
      return res;
    }
    return bestReplay(
        inits,
        [&](const State &init) {
          return replayFrom(layout, gen, init, nodes, options);
        },
        "the program has no initial state");
  } catch (const EvalError &e) {
    res.ok = false;
    res.message = std::string("cannot replay this program: ") + e.what();
  }
  return res;
}

} // namespace mommie::checker
