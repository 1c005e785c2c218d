// ITF traces of `mommie check` (see ItfTrace.h). Values as the TLA+ spec
// has them: integers {"#bigint": "5"}, booleans as JSON booleans,
// principals <<"S", i>> as {"#tup": ["S", {"#bigint": "i"}]}, sets
// {"#set": [...]}, maps (TLA+ functions) {"#map": [[k, v], ...]}, tuples
// {"#tup": [...]}, sequences and options (sequences of at most one
// element) as arrays, records and statements as objects.
#include "tools/ItfTrace.h"

#include "backends/tla/TlaBackend.h"
#include "checker/Report.h"
#include "checker/State.h"

namespace mommie::tool {

namespace {

using checker::Kind;
using checker::Layout;
using checker::State;
using checker::Value;
using json = nlohmann::json;

class ItfWriter {
public:
  ItfWriter(const Layout &layout)
      : layout_(layout), prog_(layout.program()),
        names_(tla::stateNames(prog_)) {}

  const tla::StateNames &names() const { return names_; }
  json state(const State &s) const;

private:
  json value(const Value &v) const;
  json statement(const Value &st) const;
  json principal(int p) const;
  json setOf(const std::vector<Value> &elems, bool statements) const;
  // A function over the members of principal set `set` (every principal
  // if -1): member -> at(member).
  template <class At> json perPrincipal(int set, At at) const;

  const Layout &layout_;
  const ir::Program &prog_;
  tla::StateNames names_;
};

json bigint(int64_t i) { return {{"#bigint", std::to_string(i)}}; }

json ItfWriter::principal(int p) const {
  int set = prog_.setOf(p);
  if (set < 0)
    return bigint(p);
  return {{"#tup",
           json::array({names_.principalSets[size_t(set)],
                        bigint(p - prog_.principalSets[size_t(set)].first)})}};
}

json ItfWriter::value(const Value &v) const {
  const auto &es = v.elems();
  auto list = [&]() {
    json a = json::array();
    for (const auto &e : es)
      a.push_back(value(e));
    return a;
  };
  switch (v.kind()) {
  case Kind::Bool:
    return v.scalar() != 0;
  case Kind::Int:
    return bigint(v.scalar());
  case Kind::Principal:
    return principal(int(v.scalar()));
  case Kind::Option:
    return list(); // a sequence of at most one element
  case Kind::Seq:
    return list();
  case Kind::Tuple:
    return {{"#tup", list()}};
  case Kind::Set:
    return {{"#set", list()}};
  case Kind::Record: {
    json o = json::object();
    const auto &fields = names_.fields.at(size_t(v.scalar()));
    for (size_t i = 0; i < es.size() && i < fields.size(); ++i)
      o[fields[i]] = value(es[i]);
    return o;
  }
  case Kind::Map: {
    json pairs = json::array();
    for (size_t i = 0; i + 1 < es.size(); i += 2)
      pairs.push_back(json::array({value(es[i]), value(es[i + 1])}));
    return {{"#map", pairs}};
  }
  }
  return nullptr;
}

json ItfWriter::statement(const Value &st) const {
  const auto &es = st.elems();
  return {{"iss", value(es[checker::StmtIss])},
          {"ver", value(es[checker::StmtVer])},
          {"aud", value(es[checker::StmtAud])},
          {"msg", value(es[checker::StmtMsg])}};
}

json ItfWriter::setOf(const std::vector<Value> &elems, bool statements) const {
  json a = json::array();
  for (const auto &e : elems)
    a.push_back(statements ? statement(e) : value(e));
  return {{"#set", a}};
}

template <class At> json ItfWriter::perPrincipal(int set, At at) const {
  int first = set < 0 ? 0 : prog_.principalSets[size_t(set)].first;
  int size =
      set < 0 ? prog_.numPrincipals : prog_.principalSets[size_t(set)].size;
  json pairs = json::array();
  for (int p = first; p < first + size; ++p)
    pairs.push_back(json::array({principal(p), at(p)}));
  return {{"#map", pairs}};
}

json ItfWriter::state(const State &s) const {
  json o = json::object();
  for (size_t r = 0; r < prog_.roles.size(); ++r) {
    const auto &role = prog_.roles[r];
    for (size_t v = 0; v < role.vars.size(); ++v)
      o[names_.vars[r][v]] = perPrincipal(role.principalSet, [&](int p) {
        return value(s.vars[size_t(layout_.varIndex(int(r), p, int(v)))]);
      });
    for (size_t t = 0; t < role.timers.size(); ++t)
      o[names_.timers[r][t]] = perPrincipal(role.principalSet, [&](int p) {
        return json(s.timers[size_t(layout_.timerIndex(int(r), p, int(t)))] !=
                    0);
      });
    for (size_t t = 0; t < role.transitions.size(); ++t)
      if (!names_.fired[r][t].empty())
        o[names_.fired[r][t]] = perPrincipal(role.principalSet, [&](int p) {
          return value(s.fired[size_t(layout_.firedIndex(int(r), int(t), p))]);
        });
  }
  for (const auto &[rec, name] : names_.pools)
    o[name] = setOf(s.pool[size_t(rec)].elems(), true);
  for (const auto &[rec, name] : names_.known) {
    int record = rec;
    o[name] = perPrincipal(-1, [&](int p) {
      return setOf(s.known[size_t(layout_.knownIndex(record, p))].elems(),
                   true);
    });
  }
  if (prog_.isRoundProgram()) {
    o["phaseNo"] = bigint(s.phaseNo);
    o["roundNo"] = bigint(s.roundNo);
  }
  auto members = [&](const std::vector<uint8_t> &bits) {
    std::vector<Value> ps;
    for (size_t p = 0; p < bits.size(); ++p)
      if (bits[p])
        ps.push_back(Value::principal(int64_t(p)));
    return setOf(ps, false);
  };
  if (names_.crashed)
    o["crashed"] = members(s.crashed);
  if (names_.byz)
    o["byz"] = members(s.byz);
  return o;
}

} // namespace

json itfTrace(const ir::Program &program, const checker::CheckResult &r,
              const std::string &source) {
  Layout layout(program);
  ItfWriter w(layout);
  json meta = {
      {"format", "ITF"},
      {"format-description",
       "https://apalache-mc.org/docs/adr/015adr-trace.html"},
      {"source", source},
      {"description",
       "mommie check: " + std::string(checker::verdictName(r.verdict))},
      {"protocol", program.name},
      {"verdict", checker::verdictCode(r.verdict)}};
  json params = json::object();
  for (const auto &p : program.params)
    params[p.name] = p.value;
  meta["parameters"] = params;
  if (r.verdict != checker::CheckResult::Verdict::Ok) {
    json violation = {{"name", r.name}};
    if (!r.message.empty())
      violation["message"] = r.message;
    if (auto loc = checker::violationLoc(program, r))
      violation["location"] = checker::locString(*loc);
    meta["violation"] = violation;
  }
  json states = json::array();
  for (size_t i = 0; i < r.trace.size(); ++i) {
    json st = w.state(r.trace[i].state);
    std::string action = r.trace[i].action.describe(layout);
    st["#meta"] = {{"index", i},
                   {"action", action.substr(0, action.find('\n'))}};
    states.push_back(std::move(st));
  }
  json out = {{"#meta", meta}, {"vars", w.names().all}, {"states", states}};
  if (r.loopStart >= 0)
    out["loop"] = r.loopStart;
  return out;
}

} // namespace mommie::tool
