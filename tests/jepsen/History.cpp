// See History.h. The search is Lowe's formulation of Wing & Gong's
// algorithm ("Testing for linearizability", 2017): the operations' call
// and return events in time order in a doubly linked list; walking it, a
// call is linearized (applied to the register) when the register allows
// its result and the (linearized set, register value) pair is new, which
// removes its call and return from the list and restarts the walk; a
// return whose operation is not linearized yet backtracks. An operation
// without a return ("info") has only its call: it may be linearized at any
// point after it, or never, so the walk succeeds once no return is left.
#include "History.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace mommie::jepsen {

namespace {

using Kind = Op::Kind;
using Result = Op::Result;

const char *kindName(Kind k) {
  switch (k) {
  case Kind::Get:
    return "get";
  case Kind::Put:
    return "put";
  case Kind::Del:
    return "del";
  case Kind::Cas:
    return "cas";
  }
  return "?";
}

const char *resultName(Result r) {
  switch (r) {
  case Result::Ok:
    return "ok";
  case Result::NotFound:
    return "not_found";
  case Result::CasFail:
    return "cas_fail";
  case Result::Info:
    return "info";
  }
  return "?";
}

using State = std::optional<std::string>; // the key's value; nullopt: absent

// Applies `op` to the register: false if its recorded result is not what
// the register gives.
bool step(const Op &op, State &s) {
  bool info = op.result == Result::Info;
  switch (op.kind) {
  case Kind::Get:
    return info || (op.result == Result::Ok ? s.has_value() && op.read == s
                                            : !s.has_value());
  case Kind::Put:
    s = op.value;
    return true;
  case Kind::Del:
    if (info) {
      s.reset();
      return true;
    }
    if ((op.result == Result::Ok) != s.has_value())
      return false;
    s.reset();
    return true;
  case Kind::Cas: {
    bool match = s.has_value() && *s == op.expected;
    if (info) {
      if (match)
        s = op.value;
      return true;
    }
    if (op.result == Result::Ok) {
      if (!match)
        return false;
      s = op.value;
      return true;
    }
    return !match && op.read == s; // cas_fail reports the value held
  }
  }
  return false;
}

std::string describe(const Op &op) {
  std::string s =
      "p" + std::to_string(op.process) + " " + kindName(op.kind) + " " + op.key;
  if (op.kind == Kind::Put || op.kind == Kind::Cas)
    s += (op.kind == Kind::Cas ? " " + op.expected + " -> " : " ") + op.value;
  s += std::string(": ") + resultName(op.result);
  if (op.kind == Kind::Get || op.result == Result::CasFail)
    s += op.read ? " '" + *op.read + "'" : " (absent)";
  s += " [" + std::to_string(op.invokeNs) + ", " +
       (op.returnNs < 0 ? std::string("...") : std::to_string(op.returnNs)) +
       "]";
  return s;
}

struct Entry {
  size_t op = 0;
  bool call = true;
  int64_t time = 0;
  size_t match = 0; // a call: its return entry, or npos
  size_t prev = 0, next = 0;
};

constexpr size_t npos = size_t(-1);

// Wing & Gong / Lowe on one key's operations.
bool linearizableKey(const std::vector<const Op *> &ops, size_t maxStates,
                     bool &exhausted) {
  // Entries 1..m; 0 is the list's head sentinel.
  std::vector<Entry> es(1);
  for (size_t i = 0; i < ops.size(); ++i) {
    es.push_back({i, true, ops[i]->invokeNs, npos, 0, 0});
    if (ops[i]->returnNs >= 0)
      es.push_back({i, false, ops[i]->returnNs, npos, 0, 0});
  }
  // Time order; at equal times calls first (the operations overlap).
  std::vector<size_t> order(es.size() - 1);
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i + 1;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (es[a].time != es[b].time)
      return es[a].time < es[b].time;
    return es[a].call && !es[b].call;
  });
  std::vector<size_t> callOf(ops.size(), npos);
  size_t prev = 0;
  for (size_t e : order) {
    es[prev].next = e;
    es[e].prev = prev;
    prev = e;
    if (es[e].call)
      callOf[es[e].op] = e;
  }
  es[prev].next = npos;
  for (size_t e : order)
    if (!es[e].call)
      es[callOf[es[e].op]].match = e;

  auto unlink = [&](size_t e) {
    es[es[e].prev].next = es[e].next;
    if (es[e].next != npos)
      es[es[e].next].prev = es[e].prev;
  };
  auto relink = [&](size_t e) {
    es[es[e].prev].next = e;
    if (es[e].next != npos)
      es[es[e].next].prev = e;
  };
  std::vector<uint64_t> bits((ops.size() + 63) / 64, 0);
  auto key = [&](const State &s) {
    std::string k(reinterpret_cast<const char *>(bits.data()), bits.size() * 8);
    k += s ? "\1" + *s : std::string("\0", 1);
    return k;
  };
  std::unordered_set<std::string> cache;
  struct Frame {
    size_t entry;
    State before;
  };
  std::vector<Frame> stack;
  State state;
  size_t e = es[0].next;
  for (;;) {
    if (e == npos)
      return true; // no return left: every completed operation is linearized
    if (es[e].call) {
      State next = state;
      size_t op = es[e].op;
      if (step(*ops[op], next)) {
        bits[op / 64] |= uint64_t(1) << (op % 64);
        if (cache.insert(key(next)).second) {
          if (cache.size() > maxStates) {
            exhausted = true;
            return true; // unknown: reported as such by the caller
          }
          stack.push_back({e, state});
          state = std::move(next);
          unlink(e);
          if (es[e].match != npos)
            unlink(es[e].match);
          e = es[0].next;
          continue;
        }
        bits[op / 64] &= ~(uint64_t(1) << (op % 64));
      }
      e = es[e].next;
      continue;
    }
    // A return before its operation was linearized: undo the last choice.
    if (stack.empty())
      return false;
    Frame f = std::move(stack.back());
    stack.pop_back();
    size_t op = es[f.entry].op;
    bits[op / 64] &= ~(uint64_t(1) << (op % 64));
    state = std::move(f.before);
    if (es[f.entry].match != npos)
      relink(es[f.entry].match);
    relink(f.entry);
    e = es[f.entry].next;
  }
}

} // namespace

std::string toJson(const Op &op) {
  nlohmann::json j = {{"process", op.process},
                      {"op", kindName(op.kind)},
                      {"key", op.key},
                      {"invoke_ns", op.invokeNs},
                      {"result", resultName(op.result)}};
  if (op.kind == Kind::Put || op.kind == Kind::Cas)
    j["value"] = op.value;
  if (op.kind == Kind::Cas)
    j["expected"] = op.expected;
  if (op.kind == Kind::Get || op.result == Result::CasFail)
    j["read"] = op.read ? nlohmann::json(*op.read) : nlohmann::json(nullptr);
  j["return_ns"] =
      op.returnNs < 0 ? nlohmann::json(nullptr) : nlohmann::json(op.returnNs);
  return j.dump();
}

bool fromJson(const std::string &line, Op &op, std::string &error) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) {
    error = "not a JSON object";
    return false;
  }
  try {
    op = Op{};
    op.process = j.at("process").get<int>();
    std::string kind = j.at("op").get<std::string>(),
                result = j.at("result").get<std::string>();
    if (kind == "get")
      op.kind = Kind::Get;
    else if (kind == "put")
      op.kind = Kind::Put;
    else if (kind == "del")
      op.kind = Kind::Del;
    else if (kind == "cas")
      op.kind = Kind::Cas;
    else
      throw std::runtime_error("unknown op '" + kind + "'");
    if (result == "ok")
      op.result = Result::Ok;
    else if (result == "not_found")
      op.result = Result::NotFound;
    else if (result == "cas_fail")
      op.result = Result::CasFail;
    else if (result == "info")
      op.result = Result::Info;
    else
      throw std::runtime_error("unknown result '" + result + "'");
    op.key = j.at("key").get<std::string>();
    op.value = j.value("value", std::string());
    op.expected = j.value("expected", std::string());
    if (j.contains("read") && !j["read"].is_null())
      op.read = j["read"].get<std::string>();
    op.invokeNs = j.at("invoke_ns").get<int64_t>();
    op.returnNs =
        j.at("return_ns").is_null() ? -1 : j["return_ns"].get<int64_t>();
    if ((op.returnNs < 0) != (op.result == Result::Info))
      throw std::runtime_error("return_ns is null exactly for result 'info'");
    if (op.returnNs >= 0 && op.returnNs < op.invokeNs)
      throw std::runtime_error("returns before it is invoked");
  } catch (const std::exception &e) {
    error = e.what();
    return false;
  }
  return true;
}

Verdict checkLinearizable(const std::vector<Op> &history, size_t maxStates) {
  Verdict v;
  std::vector<std::string> keys;
  for (const auto &op : history) {
    keys.push_back(op.key);
    ++v.ops;
    v.infos += op.result == Result::Info;
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  v.keys = keys.size();
  for (const auto &k : keys) {
    std::vector<const Op *> ops;
    for (const auto &op : history)
      if (op.key == k &&
          !(op.kind == Kind::Get &&
            op.result == Result::Info)) // an unanswered get constrains nothing
        ops.push_back(&op);
    bool exhausted = false;
    if (linearizableKey(ops, maxStates, exhausted) && !exhausted)
      continue;
    v.key = k;
    std::sort(ops.begin(), ops.end(), [](const Op *a, const Op *b) {
      return a->invokeNs < b->invokeNs;
    });
    for (const Op *op : ops)
      v.explanation += "  " + describe(*op) + "\n";
    if (exhausted) {
      v.exhausted = true;
      continue; // unknown, not a violation; a real violation elsewhere still
                // counts
    }
    v.linearizable = false;
    return v;
  }
  return v;
}

} // namespace mommie::jepsen
