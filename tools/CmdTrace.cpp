// `mommie trace FILE.mom TRACE.jsonl...`: node traces (the JSON lines that
// node binaries write with --trace and `mommie sim` writes, docs/runtime.md
// "Traces") printed as `mommie check` prints a counterexample: step 0 the
// recorded initial state, then one numbered step per delivery and per
// transition, with the statements published and the variables that
// changed, values in the language's syntax and constants by name. The
// program gives the roles, the record fields and the constants; nothing is
// replayed, so a trace that does not conform prints as well
// (docs/conform.md, "mommie trace").
//
// Merge: the nodes' records are taken one at a time, each node's in its
// order; the next is, among the nodes whose next record delivers only
// statements already published, the one with the least `t_us` (then the
// first node). When no node is ready (a statement no trace publishes), the
// least `t_us` goes first anyway. A node whose seq starts again at 0 (a
// second trace of a restarted node) restarts. Round programs: one step per
// global round (phase, round), every node's mailbox and changes in it.
#include "checker/Replay.h"
#include "checker/Report.h"
#include "tools/Commands.h"
#include "tools/TraceFiles.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace mommie::tool {

namespace {

using checker::Action;
using checker::Layout;
using checker::TraceRecord;
using checker::Value;
using checker::VarChange;
using json = nlohmann::json;

struct BadRecord : std::runtime_error {
  BadRecord(const TraceRecord &r, const std::string &what)
      : std::runtime_error(r.file + ":" + std::to_string(r.line) + ": " +
                           what) {}
};

// One record with its statements decoded (event-driven programs), or its
// round and mailbox (round programs).
struct Record {
  const TraceRecord *r = nullptr;
  int64_t seq = 0, time = 0;
  std::vector<Value> delivered, published;
  int64_t phase = 0, round = 0;
  Value mbox; // map<principal, payload>
};

struct NodeQueue {
  int p = -1, role = -1;
  std::vector<Record> records;
  size_t next = 0;
  std::map<std::string, Value> vars; // the recorded view: var name / "timer t"
};

class TracePrinter {
public:
  explicit TracePrinter(const Layout &layout)
      : layout_(layout), prog_(layout.program()) {}

  void add(const TraceRecord &r);
  // The steps, from the initial state on.
  std::string print();
  size_t steps() const { return step_; }
  size_t nodes() const { return nodes_.size(); }

private:
  std::vector<Value> statements(const TraceRecord &r, const char *key) const;
  void readRound(Record &rec) const;
  void printRounds();
  NodeQueue *pickNext();
  void emit(NodeQueue &n);
  void step(const Action &a, const std::vector<VarChange> &changes);
  // Applies `changed` (or an "init", over an empty view when `reset`) to
  // the node's view; the changes.
  std::vector<VarChange> apply(NodeQueue &n, const TraceRecord &r,
                               const char *key, bool reset = false);
  std::vector<std::pair<std::string, Value>>
  bindings(const TraceRecord &r, int role, int transition) const;

  const Layout &layout_;
  const ir::Program &prog_;
  std::vector<NodeQueue> nodes_;
  std::set<Value> pool_; // statements published so far
  std::string out_;
  size_t step_ = 0;
};

std::vector<Value> TracePrinter::statements(const TraceRecord &r,
                                            const char *key) const {
  std::vector<Value> out;
  const json &a = r.j.contains(key) ? r.j[key] : json();
  if (a.is_null())
    return out;
  if (!a.is_array())
    throw BadRecord(r, fmt::format("\"{}\" is not an array", key));
  for (const auto &st : a)
    out.push_back(checker::statementFromJson(layout_, st));
  return out;
}

void TracePrinter::add(const TraceRecord &r) {
  if (!r.j.is_object() || !r.j.contains("node") || !r.j["node"].is_string())
    throw BadRecord(r, "record without a \"node\" (not a node trace?)");
  std::string name = r.j["node"].get<std::string>();
  int p = checker::principalByName(layout_, name);
  if (p < 0 || layout_.roleOf(p) < 0)
    throw BadRecord(r, "unknown node " + name);
  auto n = std::find_if(nodes_.begin(), nodes_.end(),
                        [&](const NodeQueue &q) { return q.p == p; });
  if (n == nodes_.end()) {
    nodes_.emplace_back();
    n = nodes_.end() - 1;
    n->p = p;
    n->role = layout_.roleOf(p);
  }
  Record rec;
  rec.r = &r;
  if (!r.j.contains("seq") || !r.j["seq"].is_number_integer())
    throw BadRecord(r, "record without a \"seq\"");
  rec.seq = r.j["seq"].get<int64_t>();
  rec.time = r.j.contains("t_us") && r.j["t_us"].is_number_integer()
                 ? r.j["t_us"].get<int64_t>()
                 : 0;
  try {
    if (prog_.isRoundProgram()) {
      readRound(rec);
    } else {
      rec.delivered = statements(r, "delivered");
      rec.published = statements(r, "published");
    }
  } catch (const BadRecord &) {
    throw;
  } catch (const std::exception &e) {
    throw BadRecord(r, e.what());
  }
  n->records.push_back(std::move(rec));
}

// A round record: "binding" {phaseNo, roundNo, ...}, "delivered" the
// mailbox [{from, payload}] (runtime/rounds/RoundNode.cpp, traceRound).
void TracePrinter::readRound(Record &rec) const {
  const json &j = rec.r->j;
  const json &b = j.contains("binding") ? j["binding"] : json();
  if (!b.is_object() || !b.contains("phaseNo") ||
      !b["phaseNo"].is_number_integer() || !b.contains("roundNo") ||
      !b["roundNo"].is_number_integer())
    throw BadRecord(
        *rec.r,
        "a round record needs \"binding\": {\"phaseNo\": .., \"roundNo\": ..}");
  rec.phase = b["phaseNo"].get<int64_t>();
  rec.round = b["roundNo"].get<int64_t>();
  if (rec.round < 0 || size_t(rec.round) >= prog_.roles[0].phase->rounds.size())
    throw BadRecord(*rec.r,
                    fmt::format("the program has no round {}", rec.round));
  std::vector<std::pair<Value, Value>> entries;
  const json &d = j.contains("delivered") ? j["delivered"] : json::array();
  if (!d.is_array())
    throw BadRecord(*rec.r, "\"delivered\" is not an array");
  for (const auto &e : d) {
    if (!e.is_object() || !e.contains("from") || !e.contains("payload"))
      throw BadRecord(*rec.r, "a mailbox entry needs \"from\" and \"payload\"");
    entries.emplace_back(checker::valueFromJson(layout_, e["from"]),
                         checker::valueFromJson(layout_, e["payload"]));
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto &x, const auto &y) { return x.first < y.first; });
  Value::Elems kv;
  for (auto &[k, v] : entries) {
    kv.push_back(std::move(k));
    kv.push_back(std::move(v));
  }
  rec.mbox = Value::sortedMap(std::move(kv));
}

// Round programs: one step per global round (phase, round), as the
// checker's lock-step semantics has it: every node's mailbox, the changes
// of every node that recorded the round, then the round counters.
void TracePrinter::printRounds() {
  std::set<std::pair<int64_t, int64_t>> keys;
  for (const auto &n : nodes_)
    for (const auto &rec : n.records)
      keys.insert({rec.phase, rec.round});
  int64_t rounds = int64_t(prog_.roles[0].phase->rounds.size());
  int64_t phaseNo = 0, roundNo = 0;
  for (const auto &[phase, round] : keys) {
    Action a;
    a.kind = Action::Kind::RoundStep;
    a.round = int(round);
    std::vector<VarChange> changes;
    for (auto &n : nodes_)
      for (; n.next < n.records.size() && n.records[n.next].phase == phase &&
             n.records[n.next].round == round;
           ++n.next) {
        a.mailboxes.emplace_back(n.p, n.records[n.next].mbox);
        for (auto &c : apply(n, *n.records[n.next].r, "changed"))
          changes.push_back(std::move(c));
      }
    int64_t nextPhase = round + 1 < rounds ? phase : phase + 1;
    int64_t nextRound = round + 1 < rounds ? round + 1 : 0;
    if (nextPhase != phaseNo)
      changes.push_back(
          {-1, "phaseNo", std::to_string(phaseNo), std::to_string(nextPhase)});
    if (nextRound != roundNo)
      changes.push_back(
          {-1, "roundNo", std::to_string(roundNo), std::to_string(nextRound)});
    phaseNo = nextPhase;
    roundNo = nextRound;
    step(a, changes);
  }
  for (const auto &n : nodes_)
    if (n.next < n.records.size())
      throw BadRecord(*n.records[n.next].r,
                      "a round record out of order (phase and round go back)");
}

NodeQueue *TracePrinter::pickNext() {
  NodeQueue *pick = nullptr;
  bool pickReady = false;
  for (auto &n : nodes_) {
    if (n.next >= n.records.size())
      continue;
    const Record &rec = n.records[n.next];
    bool ready =
        std::all_of(rec.delivered.begin(), rec.delivered.end(),
                    [&](const Value &st) { return pool_.count(st) > 0; });
    if (!pick || (ready && !pickReady) ||
        (ready == pickReady && rec.time < pick->records[pick->next].time)) {
      pick = &n;
      pickReady = ready;
    }
  }
  return pick;
}

void TracePrinter::step(const Action &a,
                        const std::vector<VarChange> &changes) {
  out_ += checker::formatStepHeader(layout_, ++step_, a);
  out_ += checker::formatChanges(layout_, changes);
}

std::vector<VarChange> TracePrinter::apply(NodeQueue &n, const TraceRecord &r,
                                           const char *key, bool reset) {
  std::map<std::string, Value> before = n.vars;
  if (reset)
    n.vars.clear();
  if (r.j.contains(key))
    checker::applyChangedVars(layout_, n.vars, r.j[key]);
  const auto &role = prog_.roles[size_t(n.role)];
  std::vector<VarChange> out;
  for (size_t v = 0; v < role.vars.size(); ++v) {
    auto now = n.vars.find(role.vars[v].name);
    if (now == n.vars.end())
      continue;
    auto was = before.find(role.vars[v].name);
    if (was == before.end() || was->second != now->second)
      out.push_back({n.p, role.vars[v].name,
                     was == before.end()
                         ? "?"
                         : layout_.show(was->second, n.role, int(v)),
                     layout_.show(now->second, n.role, int(v))});
  }
  auto timer = [](const Value &on) {
    return on.is(checker::Kind::Bool) && on.scalar() ? "running" : "stopped";
  };
  for (const auto &t : role.timers) {
    std::string key = "timer " + t.name;
    auto now = n.vars.find(key);
    if (now == n.vars.end())
      continue;
    auto was = before.find(key);
    if (was == before.end() || was->second != now->second)
      out.push_back({n.p, key, was == before.end() ? "?" : timer(was->second),
                     timer(now->second)});
  }
  return out;
}

// The binding in the checker's order: the parameters, then per pattern its
// issuer variable and its record (Transition::refractionSlots); then the
// rest (a quorum's issuer set, a statement set) as recorded.
std::vector<std::pair<std::string, Value>>
TracePrinter::bindings(const TraceRecord &r, int role, int transition) const {
  std::vector<std::pair<std::string, Value>> out;
  const json &b = r.j.contains("binding") ? r.j["binding"] : json::object();
  if (!b.is_object())
    throw BadRecord(r, "\"binding\" is not an object");
  const auto &t = prog_.roles[size_t(role)].transitions[size_t(transition)];
  std::set<std::string> done;
  for (int slot : t.refractionSlots()) {
    const std::string &name = t.slots[size_t(slot)].name;
    if (b.contains(name) && done.insert(name).second)
      out.emplace_back(name, checker::valueFromJson(layout_, b[name]));
  }
  for (const auto &[name, v] : b.items())
    if (!done.count(name))
      out.emplace_back(name, checker::valueFromJson(layout_, v));
  return out;
}

void TracePrinter::emit(NodeQueue &n) {
  const Record &rec = n.records[n.next];
  const TraceRecord &r = *rec.r;
  if (rec.seq == 0 && n.next > 0) { // the next trace of a restarted node
    Action a;
    a.kind = Action::Kind::Recover;
    a.principal = n.p;
    step(a, apply(n, r, "init", /*reset=*/true));
  }
  ++n.next;
  Action deliver;
  deliver.kind = Action::Kind::Deliver;
  deliver.principal = n.p;
  for (const auto &st : rec.delivered) {
    deliver.statement = st;
    deliver.record = int(st.elems()[checker::StmtMsg].scalar());
    step(deliver, {});
  }
  const json &tr = r.j.contains("transition") ? r.j["transition"] : json();
  for (const auto &st : rec.published)
    pool_.insert(st);
  if (tr == "$byzantine") {
    for (const auto &st : rec.published) {
      Action a;
      a.kind = Action::Kind::ByzPublish;
      a.principal = n.p;
      a.published.push_back({int(st.elems()[checker::StmtMsg].scalar()), st});
      step(a, {});
    }
    return;
  }
  std::vector<VarChange> changes = apply(n, r, "changed");
  if (tr.is_null()) { // deliveries only
    out_ += checker::formatChanges(layout_, changes);
    return;
  }
  if (!tr.is_string())
    throw BadRecord(r, "\"transition\" is not a name");
  const auto &role = prog_.roles[size_t(n.role)];
  auto t = std::find_if(
      role.transitions.begin(), role.transitions.end(),
      [&](const ir::Transition &x) { return x.name == tr.get<std::string>(); });
  if (t == role.transitions.end())
    throw BadRecord(r, "role " + role.name + " has no transition " +
                           tr.get<std::string>());
  Action a;
  a.kind = Action::Kind::Transition;
  a.principal = n.p;
  a.role = n.role;
  a.transition = int(t - role.transitions.begin());
  a.bindings = bindings(r, a.role, a.transition);
  for (const auto &st : rec.published)
    a.published.push_back({int(st.elems()[checker::StmtMsg].scalar()), st});
  step(a, changes);
}

std::string TracePrinter::print() {
  std::sort(nodes_.begin(), nodes_.end(),
            [](const auto &a, const auto &b) { return a.p < b.p; });
  std::string init = checker::formatStepHeader(layout_, 0, Action{});
  for (auto &n : nodes_) {
    const TraceRecord &first = *n.records.front().r;
    if (!first.j.contains("init")) {
      init += "       " + layout_.principalName(n.p) + ": not recorded\n";
      continue;
    }
    apply(n, first, "init");
    const auto &role = prog_.roles[size_t(n.role)];
    std::vector<std::pair<std::string, std::string>> vars;
    for (size_t v = 0; v < role.vars.size(); ++v)
      if (auto it = n.vars.find(role.vars[v].name); it != n.vars.end())
        vars.emplace_back(it->first, layout_.show(it->second, n.role, int(v)));
    init += checker::formatInitialVars(layout_.principalName(n.p), vars);
  }
  if (prog_.isRoundProgram()) {
    printRounds();
    return init + out_;
  }
  while (NodeQueue *n = pickNext()) {
    try {
      emit(*n);
    } catch (const BadRecord &) {
      throw;
    } catch (const std::exception &e) {
      throw BadRecord(*n->records[n->next - 1].r, e.what());
    }
  }
  return init + out_;
}

struct TraceArgs {
  std::string file;
  std::vector<std::string> defines, traces;
};

int runTrace(const TraceArgs &a) {
  std::vector<TraceRecord> records;
  if (!readTraceFiles(a.traces, records, "trace"))
    return BadInput;
  auto program = loadProgramForTraces(a.file, a.defines, records, "trace");
  if (!program)
    return BadInput;
  Layout layout(*program);
  TracePrinter printer(layout);
  std::string text;
  try {
    for (const auto &r : records)
      printer.add(r);
    text = printer.print();
  } catch (const std::exception &e) {
    std::cerr << "mommie trace: error: " << e.what() << "\n";
    return BadInput;
  }
  std::cout << fmt::format(
                   "mommie trace: {} (protocol {}), {} record{} of {} node{}\n",
                   a.file, program->name, records.size(),
                   records.size() == 1 ? "" : "s", printer.nodes(),
                   printer.nodes() == 1 ? "" : "s")
            << fmt::format("Trace ({} step{}):\n", printer.steps(),
                           printer.steps() == 1 ? "" : "s")
            << text;
  return Ok;
}

} // namespace

void registerTraceCommand(CLI::App &app, int &exitCode) {
  auto args = std::make_shared<TraceArgs>();
  auto *cmd = app.add_subcommand(
      "trace",
      "print node traces (JSON lines) as the checker prints a counterexample");
  cmd->add_option("file", args->file,
                  "the .mom program the traces were recorded from")
      ->required();
  cmd->add_option("traces", args->traces,
                  "trace files (JSON lines): nodes' --trace, mommie sim's "
                  "--trace or the "
                  "<node>.jsonl files of its --trace-dir")
      ->required();
  addDefineOption(cmd, args->defines);
  cmd->footer("Example:\n  mommie trace examples/primary_backup.mom R0.jsonl "
              "R1.jsonl C0.jsonl");
  cmd->callback([args, &exitCode] { exitCode = runTrace(*args); });
}

} // namespace mommie::tool
