// Replaying recorded node steps in the checker's semantics (docs/conform.md):
// the runtime's JSON value encoding (docs/runtime.md) to and from checker
// Values, one transition fired with a given binding after checking that the
// model enables it, one Deliver, and `conformTraces`, which merges per-node
// traces in a happens-before-consistent order and replays them from Init.
#pragma once

#include "checker/Successors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mommie::checker {

// Principal id of a name such as "R1", or -1.
int principalByName(const Layout &layout, const std::string &name);

// The trace encoding of values: principals as names, {"$record":..},
// {"$set":[..]}, {"$map":[[k,v]..]}, {"$seq":..}, {"$tuple":..},
// {"$some":v}, {"$none":true}. fromJson throws std::runtime_error.
Value valueFromJson(const Layout &layout, const nlohmann::json &j);
nlohmann::json valueToJson(const Layout &layout, const Value &v);
// {"iss":..,"ver":{"$set":..},"aud":{"$set":..},"msg":{"$record":..}}
Value statementFromJson(const Layout &layout, const nlohmann::json &j);
nlohmann::json statementToJson(const Layout &layout, const Value &stmt);

// Fires transition `transition` of `role` at `p` in place with the binding
// given by slot name, if the model enables exactly that binding (live
// principal, timer running, every pattern matched by a known statement or
// quorum, constraints, guard, refraction). Returns "" and fills `published`
// on success; otherwise the reason, with `s` unchanged. Throws EvalError
// from the body.
std::string
replayTransition(const Layout &layout, State &s, int role, int p,
                 int transition,
                 const std::vector<std::pair<std::string, Value>> &binding,
                 std::vector<Published> &published);
// Deliver `stmt` to `q` in place; "" or why the model does not allow it.
std::string replayDeliver(const Layout &layout, State &s, int q,
                          const Value &stmt);

// Applies a trace record's "changed" object (values, map deltas) to a
// node's recorded variables (name / "timer t" -> value). Throws
// std::runtime_error on malformed input.
void applyChangedVars(const Layout &layout, std::map<std::string, Value> &vars,
                      const nlohmann::json &changed);

struct ConformOptions {
  bool invariants = false; // check every invariant after every step
  size_t maxInits = 64;    // initial states tried
  // Principals that crashed (kill -9): their trace may lack its last steps.
  // A delivery of a statement such a principal issued after its trace ends
  // is explained by searching for one enabled model transition of it that
  // publishes the statement (counted in `inferred`).
  std::vector<std::string> crashed;
};

struct ConformResult {
  bool ok = false;
  uint64_t records = 0, transitions = 0, deliveries = 0, inferred = 0;
  // On failure: where and what.
  std::string node, file, message;
  std::string invariant; // set if the failure is this invariant's violation
  int64_t seq = -1;
  size_t line = 0;
};

// One parsed trace line.
struct TraceRecord {
  std::string file;
  size_t line = 0;
  nlohmann::json j;
};

// Runs `replay` from each of `inits` and returns the first run that
// conforms; otherwise the most telling failure: an invariant violation
// over a mismatch, then the run that conformed furthest. `noInit` is the
// message when `inits` is empty.
ConformResult
bestReplay(const std::vector<State> &inits,
           const std::function<ConformResult(const State &)> &replay,
           const std::string &noInit);

// Replays the records (any order across nodes; each node's records in
// file order) from the first Init state under which they all conform (or
// reports the failure that got furthest). Throws nothing.
ConformResult conformTraces(const ir::Program &program,
                            const std::vector<TraceRecord> &records,
                            const ConformOptions &options);

} // namespace mommie::checker
