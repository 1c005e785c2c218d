// Round-program trace conformance (see RoundConform.h).
#include "tools/RoundConform.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace mommie::tool {

using checker::ConformResult;
using checker::Env;
using checker::Layout;
using checker::State;
using checker::TraceRecord;
using checker::Value;
using json = nlohmann::json;
using K = checker::Kind;

namespace {

struct RoundNodeView {
  int p = -1;
  std::vector<const TraceRecord *> records;
  std::map<std::string, Value> vars;
};

struct Mismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What `p` sends in `round` in state `s`: destination -> payload (the first
// applicable send clause wins, as in the checker and the generated code).
std::map<int, Value> sendsOf(const Layout &layout, const State &s,
                             const ir::Round &round, int p) {
  std::map<int, Value> out;
  std::vector<Value> slots(round.slots.size());
  Env env{layout, s, p, slots};
  for (const auto &send : round.sends) {
    if (send.cond && !checker::evalBool(*send.cond, env))
      continue;
    Value dest = checker::eval(*send.dest, env);
    std::optional<Value> payload;
    auto add = [&](const Value &q) {
      if (!q.is(K::Principal) || out.count(int(q.scalar())))
        return;
      if (!payload)
        payload = checker::eval(*send.payload, env);
      out.emplace(int(q.scalar()), *payload);
    };
    if (dest.is(K::Set))
      for (const auto &q : dest.elems())
        add(q);
    else
      add(dest);
  }
  return out;
}

std::string showMap(const Layout &layout, const std::map<int, Value> &m,
                    const char *arrow) {
  std::string out = "{";
  for (const auto &[q, v] : m) {
    if (out.size() > 1)
      out += ", ";
    out += layout.principalName(q) + arrow + layout.show(v);
  }
  return out + "}";
}

// Entries [{key: principal, payload}] of a record.
std::map<int, Value> entries(const Layout &layout, const json &j,
                             const char *what, const char *key) {
  std::map<int, Value> out;
  if (!j.contains(what) || !j[what].is_array())
    throw Mismatch(std::string("\"") + what + "\" is not an array");
  for (const auto &e : j[what]) {
    if (!e.is_object() || !e.contains(key) || !e[key].is_string() ||
        !e.contains("payload"))
      throw Mismatch(std::string("bad entry in \"") + what + "\"");
    int q = checker::principalByName(layout, e[key].get<std::string>());
    if (q < 0)
      throw Mismatch("unknown principal " + e[key].get<std::string>());
    if (!out.emplace(q, checker::valueFromJson(layout, e["payload"])).second)
      throw Mismatch(std::string("two entries for ") + layout.principalName(q) +
                     " in \"" + what + "\"");
  }
  return out;
}

ConformResult replayRounds(const Layout &layout, const checker::Generator &gen,
                           State s, std::vector<RoundNodeView> nodes,
                           const RoundConformOptions &o) {
  const auto &prog = layout.program();
  const auto &role = prog.roles[0];
  const auto &phase = *role.phase;
  const auto &set = prog.principalSets[size_t(role.principalSet)];
  size_t len = phase.rounds.size();
  ConformResult res;
  const RoundNodeView *cur = nullptr;
  const TraceRecord *rec = nullptr;
  auto fail = [&](const std::string &m) {
    res.ok = false;
    res.message = m;
    if (cur)
      res.node = layout.principalName(cur->p);
    if (rec) {
      res.file = rec->file;
      res.line = rec->line;
      res.seq = rec->j.value("seq", int64_t(-1));
    }
    return res;
  };
  try {
    for (int64_t k = 0;; ++k) {
      bool any = false;
      for (const auto &n : nodes)
        any = any || size_t(k) < n.records.size();
      if (!any || len == 0)
        break;
      s.phaseNo = k / int64_t(len);
      s.roundNo = k % int64_t(len);
      const ir::Round &round = phase.rounds[size_t(s.roundNo)];
      // What every correct node whose state at round k is known sends.
      std::map<int, std::map<int, Value>> sent;
      for (const auto &n : nodes)
        if (size_t(k) <= n.records.size())
          sent[n.p] = sendsOf(layout, s, round, n.p);
      // A process without a record of round k has crashed by its end (before
      // or during it): the communication predicates read that
      // (docs/semantics.md), and so do the invariants from then on.
      State atEnd = s;
      if (!atEnd.crashed.empty())
        for (const auto &n : nodes)
          if (size_t(k) >= n.records.size())
            atEnd.crashed[size_t(n.p)] = 1;
      State next = atEnd;
      for (auto &n : nodes) {
        if (size_t(k) >= n.records.size())
          continue; // crashed: its state stays
        cur = &n;
        rec = n.records[size_t(k)];
        const json &j = rec->j;
        const json &b = j.contains("binding") ? j["binding"] : json();
        if (!b.is_object() || b.value("round", int64_t(-1)) != k ||
            b.value("phaseNo", int64_t(-1)) != s.phaseNo ||
            b.value("roundNo", int64_t(-1)) != s.roundNo)
          return fail(fmt::format("record is not round {} (phase {}, round {})",
                                  k, s.phaseNo, s.roundNo));
        if (!j.contains("transition") || j["transition"] != round.name)
          return fail("round " + round.name + " recorded as " +
                      j.value("transition", json()).dump());
        auto published = entries(layout, j, "published", "to");
        if (published != sent[n.p])
          return fail("sent " + showMap(layout, published, " <- ") +
                      ", the model sends " +
                      showMap(layout, sent[n.p], " <- "));
        auto mbox = entries(layout, j, "delivered", "from");
        Value::Elems
            mvEntries; // by sender, in increasing order (`mbox` is ordered)
        for (const auto &[q, v] : mbox) {
          if (q < set.first || q >= set.first + set.size)
            return fail("mailbox holds a message from " +
                        layout.principalName(q) +
                        ", which runs no round program");
          if (s.isByz(q)) {
            if (!checker::conformsTo(layout, v, *round.payload))
              return fail("mailbox holds " + layout.show(v) +
                          " from Byzantine " + layout.principalName(q) +
                          ", not of the payload type");
          } else {
            auto it = sent.find(q);
            const Value *want = nullptr;
            if (it != sent.end() && it->second.count(n.p))
              want = &it->second.at(n.p);
            if (!want)
              return fail("mailbox holds " + layout.show(v) + " from " +
                          layout.principalName(q) +
                          ", which sends nothing to " +
                          layout.principalName(n.p) + " in this round");
            if (*want != v)
              return fail("mailbox holds " + layout.show(v) + " from " +
                          layout.principalName(q) + ", which sends " +
                          layout.show(*want));
          }
          mvEntries.push_back(Value::principal(q));
          mvEntries.push_back(v);
          ++res.deliveries;
        }
        Value mv = Value::sortedMap(std::move(mvEntries));
        for (const auto &cp : prog.commPredicates) {
          if (cp.round != int(s.roundNo))
            continue;
          std::vector<Value> slots(cp.slots.size() + 1);
          if (cp.mboxSlot >= 0)
            slots[size_t(cp.mboxSlot)] = mv;
          Env env{layout, atEnd, n.p, slots};
          if (!checker::evalBool(*cp.expr, env))
            return fail("communication predicate " + cp.name +
                        " is false on the mailbox");
        }
        std::vector<Value> slots(round.slots.size());
        if (round.mboxSlot >= 0)
          slots[size_t(round.mboxSlot)] = mv;
        for (const auto &pc : round.progress)
          if (pc.kind == ir::ProgressKind::WaitMessages)
            for (const auto &g : round.progress)
              if (g.kind == ir::ProgressKind::GoAhead && g.expr) {
                Env env{layout, s, n.p, slots};
                if (!checker::evalBool(*g.expr, env))
                  return fail("waitMessages: goAhead is false on the mailbox");
              }
        State scratch = s;
        std::vector<checker::Published> pubs;
        checker::execBlock(round.update, layout, scratch, 0, n.p, slots, pubs);
        checker::applyChangedVars(
            layout, n.vars, j.contains("changed") ? j["changed"] : json());
        for (size_t v = 0; v < role.vars.size(); ++v) {
          size_t at = size_t(layout.varIndex(0, n.p, int(v)));
          auto it = n.vars.find(role.vars[v].name);
          if (it == n.vars.end())
            return fail("variable " + role.vars[v].name +
                        " was never recorded");
          if (it->second != scratch.vars[at])
            return fail("variable " + role.vars[v].name + ": trace has " +
                        layout.show(it->second, 0, int(v)) +
                        ", the model has " +
                        layout.show(scratch.vars[at], 0, int(v)));
          next.vars[at] = std::move(scratch.vars[at]);
        }
        ++res.records;
        ++res.transitions;
      }
      cur = nullptr;
      rec = nullptr;
      next.phaseNo = (k + 1) / int64_t(len);
      next.roundNo = (k + 1) % int64_t(len);
      s = std::move(next);
      if (o.invariants) {
        std::string bad = gen.violatedInvariant(s);
        if (!bad.empty()) {
          res.invariant = bad;
          return fail(
              fmt::format("invariant {} violated after round {}", bad, k));
        }
      }
    }
  } catch (const checker::EvalError &e) {
    return fail(std::string("evaluation error: ") + e.what());
  } catch (const std::exception &e) {
    return fail(e.what());
  }
  res.ok = true;
  return res;
}

} // namespace

ConformResult conformRoundTraces(const ir::Program &program,
                                 const std::vector<TraceRecord> &records,
                                 const RoundConformOptions &options) {
  ConformResult res;
  if (!program.isRoundProgram() || program.roles.empty() ||
      !program.roles[0].phase) {
    res.message = "not a round program";
    return res;
  }
  Layout layout(program);
  std::vector<bool> byz(size_t(layout.numPrincipals()), false);
  for (const auto &b : options.byzantine) {
    int p = checker::principalByName(layout, b);
    if (p < 0) {
      res.message = "unknown Byzantine principal " + b;
      return res;
    }
    byz[size_t(p)] = true;
  }
  std::vector<RoundNodeView> nodes;
  const auto &set =
      program.principalSets[size_t(program.roles[0].principalSet)];
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
    int p = checker::principalByName(layout, name);
    if (p < set.first || p >= set.first + set.size)
      return failAt("unknown node " + name +
                    " (or one that runs no round program)");
    if (byz[size_t(p)])
      continue; // conformance applies to the correct nodes
    auto it = std::find_if(nodes.begin(), nodes.end(),
                           [&](const auto &n) { return n.p == p; });
    if (it == nodes.end()) {
      nodes.emplace_back();
      nodes.back().p = p;
      it = nodes.end() - 1;
    }
    int64_t expect = int64_t(it->records.size());
    if (!r.j.contains("seq") || !r.j["seq"].is_number_integer() ||
        r.j["seq"].get<int64_t>() != expect)
      return failAt(
          fmt::format("record out of sequence (expected seq {})", expect));
    it->records.push_back(&r);
  }
  // A correct principal without records (crashed before its first round
  // ended, or not deployed) may still have sent in round 0.
  for (int p = set.first; p < set.first + set.size; ++p)
    if (!byz[size_t(p)] &&
        std::none_of(nodes.begin(), nodes.end(),
                     [&](const auto &n) { return n.p == p; })) {
      nodes.emplace_back();
      nodes.back().p = p;
    }
  std::sort(nodes.begin(), nodes.end(),
            [](const auto &a, const auto &b) { return a.p < b.p; });
  try {
    checker::Generator gen(layout);
    std::vector<State> inits;
    gen.initialStates([&](State &&s, const checker::Action *) {
      if (inits.size() >= options.maxInits)
        return;
      for (int p = 0; p < layout.numPrincipals(); ++p)
        if (s.isByz(p) != byz[size_t(p)] || s.isCrashed(p))
          return;
      inits.push_back(std::move(s));
    });
    return checker::bestReplay(
        inits,
        [&](const State &init) {
          return replayRounds(layout, gen, init, nodes, options);
        },
        options.byzantine.empty() ? "the program has no initial state"
                                  : "the program has no initial state with "
                                    "exactly these Byzantine principals");
  } catch (const checker::EvalError &e) {
    res.ok = false;
    res.message = std::string("cannot replay this program: ") + e.what();
  }
  return res;
}

} // namespace mommie::tool
