// Text, JSON and SVG renderings of a check result.
#include "checker/Report.h"

#include "checker/Retire.h"

#include <fmt/format.h>

#include <map>

namespace mommie::checker {

std::vector<ShownVar> showVars(const Layout &layout, const State &state) {
  const auto &prog = layout.program();
  std::vector<ShownVar> out;
  for (const auto &vs : layout.varSlots())
    out.push_back(
        {vs.principal, prog.roles[vs.role].vars[vs.var].name,
         layout.show(
             state.vars[size_t(layout.varIndex(vs.role, vs.principal, vs.var))],
             vs.role, vs.var)});
  return out;
}

std::vector<VarChange> diffStates(const Layout &layout, const State &before,
                                  const State &after) {
  const auto &prog = layout.program();
  std::vector<VarChange> out;
  for (const auto &vs : layout.varSlots()) {
    size_t i = size_t(layout.varIndex(vs.role, vs.principal, vs.var));
    if (before.vars[i] != after.vars[i])
      out.push_back({vs.principal, prog.roles[vs.role].vars[vs.var].name,
                     layout.show(before.vars[i], vs.role, vs.var),
                     layout.show(after.vars[i], vs.role, vs.var)});
  }
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &role = prog.roles[r];
    const auto &set = prog.principalSets[role.principalSet];
    for (int k = 0; k < set.size; ++k)
      for (size_t t = 0; t < role.timers.size(); ++t) {
        size_t i = size_t(layout.timerIndex(int(r), set.first + k, int(t)));
        if (before.timers[i] != after.timers[i])
          out.push_back({set.first + k, "timer " + role.timers[t].name,
                         before.timers[i] ? "running" : "stopped",
                         after.timers[i] ? "running" : "stopped"});
      }
  }
  for (size_t p = 0; p < after.crashed.size(); ++p)
    if (before.crashed[p] != after.crashed[p])
      out.push_back({int(p), "crashed", before.crashed[p] ? "true" : "false",
                     after.crashed[p] ? "true" : "false"});
  if (before.phaseNo != after.phaseNo)
    out.push_back({-1, "phaseNo", std::to_string(before.phaseNo),
                   std::to_string(after.phaseNo)});
  if (before.roundNo != after.roundNo)
    out.push_back({-1, "roundNo", std::to_string(before.roundNo),
                   std::to_string(after.roundNo)});
  return out;
}

static std::string ownerName(const Layout &layout, int p) {
  return p < 0 ? std::string("global") : layout.principalName(p);
}

static std::string headline(const CheckResult &r) {
  using V = CheckResult::Verdict;
  switch (r.verdict) {
  case V::Ok:
    return "No error has been found.";
  case V::InvariantViolated:
    if (r.name.rfind("Retire(", 0) == 0)
      return fmt::format(
          "Error: retire clause {} is unsound: collecting what it retires "
          "changes behaviour.",
          r.name);
    return fmt::format("Error: invariant {} is violated.", r.name);
  case V::Deadlock:
    return "Error: deadlock reached.";
  case V::EvalError:
    return fmt::format("Error: evaluation error at {}: {}", locString(r.loc),
                       r.message);
  case V::PropertyViolated:
    return fmt::format("Error: temporal property {} is violated.", r.name);
  case V::ResourceLimit:
    return fmt::format(
        "Search stopped: resource limit {} reached (the state space "
        "was not fully explored).",
        r.name);
  }
  return "";
}

std::string formatStepHeader(const Layout &layout, size_t index,
                             const Action &action) {
  return fmt::format("{:3}. {}\n", index, action.describe(layout));
}

std::string formatInitialVars(
    const std::string &principal,
    const std::vector<std::pair<std::string, std::string>> &vars) {
  std::string line = "       " + principal + ":";
  for (size_t i = 0; i < vars.size(); ++i)
    line +=
        fmt::format("{} {} = {}", i ? "," : "", vars[i].first, vars[i].second);
  return line + "\n";
}

std::string formatChanges(const Layout &layout,
                          const std::vector<VarChange> &changes) {
  std::string s;
  for (const auto &c : changes)
    s += fmt::format("       {}.{}: {} -> {}\n", ownerName(layout, c.principal),
                     c.name, c.before, c.after);
  return s;
}

std::string formatText(const ir::Program &program, const CheckResult &r) {
  Layout layout(program);
  std::string s;
  s += fmt::format("symmetry: {}\n", r.symmetry);
  s += headline(r) + "\n";
  if (!r.propertiesHeld.empty()) {
    std::string names;
    for (const auto &n : r.propertiesHeld) {
      if (!names.empty())
        names += ", ";
      names += n;
    }
    bool fair = program.fairness != ir::Fairness::None;
    s += fmt::format("Temporal propert{} {} hold{} under {} fairness "
                     "(liveness graph: {} states, {:.2f} s).\n",
                     r.propertiesHeld.size() == 1 ? "y" : "ies", names,
                     r.propertiesHeld.size() == 1 ? "s" : "",
                     fair ? ir::fairnessName(program.fairness) : "no",
                     r.livenessStates, r.livenessSeconds);
  }
  if (!r.trace.empty()) {
    s += fmt::format("{} ({} step{}):\n",
                     r.verdict == CheckResult::Verdict::ResourceLimit
                         ? "Trace to the limit"
                         : "Counterexample",
                     r.trace.size() - 1, r.trace.size() == 2 ? "" : "s");
    for (size_t i = 0; i < r.trace.size(); ++i) {
      const auto &step = r.trace[i];
      if (r.loopStart >= 0 && size_t(r.loopStart) == i && !r.stutters)
        s += "  -- the loop starts here --\n";
      s += formatStepHeader(layout, i, step.action);
      if (i == 0) {
        const State &st = step.state;
        auto shown = showVars(layout, st);
        std::vector<std::pair<std::string, std::string>> vars;
        for (size_t k = 0; k < shown.size(); ++k) {
          vars.emplace_back(shown[k].name, shown[k].value);
          if (k + 1 == shown.size() ||
              shown[k + 1].principal != shown[k].principal) {
            s += formatInitialVars(layout.principalName(shown[k].principal),
                                   vars);
            vars.clear();
          }
        }
        if (!st.byz.empty()) {
          std::string b;
          for (size_t p = 0; p < st.byz.size(); ++p)
            if (st.byz[p])
              b += (b.empty() ? "" : ", ") + layout.principalName(int(p));
          s += "       Byzantine: {" + b + "}\n";
        }
        continue;
      }
      s += formatChanges(layout,
                         diffStates(layout, r.trace[i - 1].state, step.state));
    }
    if (r.stutters)
      s += fmt::format(
          "  -- stuttering: state {} repeats for ever ({}) --\n", r.loopStart,
          program.fairness == ir::Fairness::None
              ? "no fairness is declared, so a run may stop anywhere; "
                "`fairness weak;` rules this out"
              : "no step that fairness requires to be taken is enabled "
                "here: the run has ended");
    else if (r.loopStart >= 0)
      s += fmt::format("  -- back to state {} --\n", r.loopStart);
  }
  double rate = r.seconds > 0 ? double(r.generated) / r.seconds : 0;
  s += fmt::format(
      "{} states generated, {} distinct states found, {} states left "
      "on queue.\n",
      r.generated, r.distinct, r.queueLeft);
  s += fmt::format("distinct states: {}\n", r.distinct);
  s += fmt::format("depth: {}\n", r.depth);
  s += fmt::format("time: {:.2f} s ({:.0f} states/s), peak memory {:.1f} MB",
                   r.seconds, rate, double(r.peakRssBytes) / (1 << 20));
  if (r.distinct)
    s += fmt::format(" ({:.0f} bytes/state)",
                     double(r.peakRssBytes) / double(r.distinct));
  s += "\n";
  return s;
}

const char *verdictCode(CheckResult::Verdict v) {
  static const char *codes[] = {"ok",    "invariant", "deadlock",
                                "error", "property",  "limit"};
  static_assert(std::size(codes) ==
                size_t(CheckResult::Verdict::ResourceLimit) + 1);
  return codes[int(v)];
}

std::optional<ir::SourceLoc> violationLoc(const ir::Program &program,
                                          const CheckResult &r) {
  using V = CheckResult::Verdict;
  if (r.verdict == V::EvalError)
    return r.loc;
  if (r.verdict == V::PropertyViolated)
    for (const auto &prop : program.properties)
      if (prop.name == r.name)
        return prop.loc;
  if (r.verdict != V::InvariantViolated)
    return std::nullopt;
  for (const auto &inv : program.invariants)
    if (inv.name == r.name)
      return inv.loc;
  for (const auto &role : program.roles) // "Retire(Role:line)"
    for (const auto &rt : role.retires)
      if (r.name == retireClauseName(role, rt))
        return rt.loc;
  return std::nullopt;
}

static nlohmann::json actionJson(const Layout &layout, const Action &a) {
  const auto &prog = layout.program();
  nlohmann::json j;
  static const char *kinds[] = {"init",  "transition", "deliver",
                                "crash", "recover",    "byzantine-publish",
                                "round"};
  static_assert(std::size(kinds) == size_t(Action::Kind::RoundStep) + 1);
  j["kind"] = kinds[int(a.kind)];
  j["text"] = a.describe(layout);
  if (a.principal >= 0)
    j["principal"] = layout.principalName(a.principal);
  if (a.kind == Action::Kind::Transition) {
    j["role"] = prog.roles[a.role].name;
    j["transition"] = prog.roles[a.role].transitions[a.transition].name;
    nlohmann::json b = nlohmann::json::object();
    for (const auto &[name, v] : a.bindings)
      b[name] = layout.show(v);
    j["bindings"] = b;
  }
  if (!a.published.empty()) {
    j["published"] = nlohmann::json::array();
    for (const auto &p : a.published)
      j["published"].push_back(statementText(layout, p.statement));
  }
  if (a.kind == Action::Kind::Deliver)
    j["delivered"] = statementText(layout, a.statement);
  if (a.kind == Action::Kind::RoundStep) {
    j["round"] = prog.roles[0].phase->rounds[size_t(a.round)].name;
    nlohmann::json m = nlohmann::json::object();
    for (const auto &[q, mbox] : a.mailboxes)
      m[layout.principalName(q)] = layout.show(mbox);
    j["mailboxes"] = m;
    if (!a.crashing.empty()) {
      nlohmann::json c = nlohmann::json::array();
      for (int p : a.crashing)
        c.push_back(layout.principalName(p));
      j["crashing"] = c;
    }
  }
  return j;
}

nlohmann::json formatJson(const ir::Program &program, const CheckResult &r) {
  Layout layout(program);
  nlohmann::json j;
  j["protocol"] = program.name;
  j["verdict"] = verdictCode(r.verdict);
  if (!r.name.empty())
    j["name"] = r.name;
  if (!r.message.empty())
    j["message"] = r.message;
  if (auto loc = violationLoc(program, r))
    j["location"] = locString(*loc);
  j["generated"] = r.generated;
  j["distinct"] = r.distinct;
  j["depth"] = r.depth;
  j["queueLeft"] = r.queueLeft;
  j["seconds"] = r.seconds;
  j["statesPerSecond"] = r.seconds > 0 ? double(r.generated) / r.seconds : 0.0;
  j["peakMemoryBytes"] = r.peakRssBytes;
  j["symmetry"] = r.symmetry;
  nlohmann::json trace = nlohmann::json::array();
  for (size_t i = 0; i < r.trace.size(); ++i) {
    nlohmann::json step = actionJson(layout, r.trace[i].action);
    step["step"] = i;
    nlohmann::json changes = nlohmann::json::array();
    if (i > 0)
      for (const auto &c :
           diffStates(layout, r.trace[i - 1].state, r.trace[i].state))
        changes.push_back({{"principal", ownerName(layout, c.principal)},
                           {"var", c.name},
                           {"from", c.before},
                           {"to", c.after}});
    else
      for (const auto &v : showVars(layout, r.trace[0].state))
        changes.push_back({{"principal", layout.principalName(v.principal)},
                           {"var", v.name},
                           {"to", v.value}});
    step["changes"] = changes;
    trace.push_back(step);
  }
  j["trace"] = trace;
  j["steps"] = r.trace.empty() ? 0 : r.trace.size() - 1;
  j["loopStart"] = r.loopStart;
  j["stutters"] = r.stutters;
  j["propertiesHeld"] = r.propertiesHeld;
  j["livenessStates"] = r.livenessStates;
  j["livenessSeconds"] = r.livenessSeconds;
  return j;
}

static std::string xmlEscape(const std::string &s) {
  std::string o;
  for (char c : s) {
    switch (c) {
    case '<':
      o += "&lt;";
      break;
    case '>':
      o += "&gt;";
      break;
    case '&':
      o += "&amp;";
      break;
    case '"':
      o += "&quot;";
      break;
    default:
      o += c;
    }
  }
  return o;
}

// Message sequence chart: one vertical lifeline per principal, headed by
// its initial state; one row per step, a delivery an arrow from the
// issuer's publishing step to the receiver's delivery step (round steps: one
// arrow per mailbox entry); to the right of the lifelines each step's
// description and the variables it changed. The canvas is sized to its
// text (monospace, kCharW pixels per character).
std::string formatSvg(const ir::Program &program, const CheckResult &r) {
  Layout layout(program);
  const int np = std::max(layout.numPrincipals(), 1);
  const int rows = int(r.trace.size());
  constexpr int kCharW = 7, kLineH = 14, kLeft = 20, kMaxCell = 44;
  auto textWidth = [&](const std::string &t) {
    size_t chars = 0; // UTF-8 code points
    for (unsigned char c : t)
      chars += (c & 0xC0) != 0x80;
    return int(chars) * kCharW;
  };
  auto clip = [&](std::string t, size_t maxChars) {
    return t.size() > maxChars ? t.substr(0, maxChars - 3) + "..." : t;
  };

  // The initial state, per principal: "var = value" lines.
  auto initial = std::vector<std::vector<std::string>>(size_t(np));
  size_t initLines = 0;
  int colW = 150;
  if (!r.trace.empty())
    for (const auto &v : showVars(layout, r.trace[0].state)) {
      std::string line = clip(v.name + " = " + v.value, kMaxCell);
      colW = std::max(colW, textWidth(line) + 2 * kCharW);
      auto &column = initial[size_t(v.principal)];
      column.push_back(std::move(line));
      initLines = std::max(initLines, column.size());
    }
  for (int p = 0; p < layout.numPrincipals(); ++p)
    colW = std::max(colW, textWidth(layout.principalName(p)) + 2 * kCharW);

  // Each step's text: its description, then the changed variables.
  auto stepText = std::vector<std::vector<std::string>>(size_t(rows));
  int textCol = 0;
  for (int i = 0; i < rows; ++i) {
    std::string d = r.trace[size_t(i)].action.describe(layout);
    auto nl = d.find('\n');
    auto &lines = stepText[size_t(i)];
    lines.push_back(fmt::format("{}. {}", i,
                                nl == std::string::npos ? d : d.substr(0, nl)));
    if (i > 0)
      for (const auto &c : diffStates(layout, r.trace[size_t(i) - 1].state,
                                      r.trace[size_t(i)].state))
        lines.push_back(clip(fmt::format("   {}.{}: {} -> {}",
                                         ownerName(layout, c.principal), c.name,
                                         c.before, c.after),
                             120));
    for (const auto &l : lines)
      textCol = std::max(textCol, textWidth(l));
  }
  std::string title =
      fmt::format("{} — {}{}", program.name, verdictName(r.verdict),
                  r.name.empty() ? "" : " " + r.name);
  if (r.stutters)
    title += fmt::format(" (stuttering at state {})", r.loopStart);
  else if (r.loopStart >= 0)
    title += fmt::format(" (loops back to state {})", r.loopStart);

  const int headerY = 48; // principal names
  const int top = headerY + 14 + kLineH * int(initLines) + 16; // first row
  std::vector<int> rowTop(size_t(rows) + 1, top);
  for (int i = 0; i < rows; ++i)
    rowTop[size_t(i) + 1] =
        rowTop[size_t(i)] +
        std::max(46, 12 + kLineH * int(stepText[size_t(i)].size()));
  auto x = [&](int p) { return kLeft + colW * p + colW / 2; };
  auto y = [&](int step) { return rowTop[size_t(step)] + 20; };
  const int textX = kLeft + colW * np + 10;
  const int width =
      std::max(textX + textCol, kLeft + textWidth(title) + 10) + kLeft;
  const int height = rowTop[size_t(rows)] + 10;

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"monospace\" font-size=\"11\">\n"
      "<defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"8\" "
      "refX=\"9\" "
      "refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" "
      "fill=\"#1f4e9c\"/>"
      "</marker></defs>\n<rect width=\"100%\" height=\"100%\" "
      "fill=\"white\"/>\n",
      width, height);
  s += fmt::format("<text x=\"{}\" y=\"20\" font-weight=\"bold\">{}</text>\n",
                   kLeft, xmlEscape(title));
  for (int p = 0; p < layout.numPrincipals(); ++p) {
    s += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" "
        "font-weight=\"bold\">{}</text>\n",
        x(p), headerY, xmlEscape(layout.principalName(p)));
    for (size_t k = 0; k < initial[size_t(p)].size(); ++k)
      s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                       "fill=\"#555\">{}</text>\n",
                       x(p), headerY + 14 + kLineH * int(k),
                       xmlEscape(initial[size_t(p)][k]));
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#999\" "
        "stroke-dasharray=\"4,3\"/>\n",
        x(p), top - 6, height - 10);
  }
  std::map<Value, std::pair<int, int>>
      publishedAt; // statement -> (issuer, step)
  for (int i = 0; i < rows; ++i) {
    const Action &a = r.trace[size_t(i)].action;
    int yy = y(i);
    switch (a.kind) {
    case Action::Kind::Init:
      break;
    case Action::Kind::Transition:
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" "
                       "fill=\"#2b7a3d\"/>\n",
                       x(a.principal) - 6, yy - 6);
      s += fmt::format(
          "<text x=\"{}\" y=\"{}\">{}</text>\n", x(a.principal) + 10, yy - 8,
          xmlEscape(clip(program.roles[a.role].transitions[a.transition].name,
                         size_t(colW / kCharW) - 3)));
      break;
    case Action::Kind::Crash:
      s += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#b00\" font-size=\"18\" "
                       "text-anchor=\"middle\">✕</text>\n",
                       x(a.principal), yy + 6);
      break;
    case Action::Kind::Recover:
      s += fmt::format(
          "<text x=\"{}\" y=\"{}\" fill=\"#2b7a3d\" font-size=\"18\" "
          "text-anchor=\"middle\">↻</text>\n",
          x(a.principal), yy + 6);
      break;
    case Action::Kind::ByzPublish:
      s += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#b00\"/>\n",
                       x(a.principal), yy);
      break;
    case Action::Kind::Deliver: {
      auto it = publishedAt.find(a.statement);
      int from = int(a.statement.elems()[StmtIss].scalar());
      int fromStep = it != publishedAt.end() ? it->second.second : i;
      s += fmt::format(
          "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#1f4e9c\" "
          "marker-end=\"url(#arrow)\"/>\n",
          x(from), y(fromStep), x(a.principal), yy);
      const Value &msg = a.statement.elems()[StmtMsg];
      std::string name =
          msg.scalar() >= 0 && size_t(msg.scalar()) < program.records.size()
              ? program.records[size_t(msg.scalar())].name
              : "msg";
      s += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1f4e9c\" "
                       "text-anchor=\"middle\">{}</text>\n",
                       (x(from) + x(a.principal)) / 2,
                       (y(fromStep) + yy) / 2 - 4, xmlEscape(name));
      break;
    }
    case Action::Kind::RoundStep:
      for (const auto &[q, mbox] : a.mailboxes)
        for (size_t k = 0; k + 1 < mbox.elems().size(); k += 2) {
          int from = int(mbox.elems()[k].scalar());
          s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
                           "stroke=\"#1f4e9c\" marker-end=\"url(#arrow)\"/>\n",
                           x(from), yy - 14, x(q), yy + 14);
        }
      break;
    }
    for (const auto &p : a.published)
      publishedAt.emplace(p.statement, std::make_pair(a.principal, i));
    const auto &lines = stepText[size_t(i)];
    for (size_t k = 0; k < lines.size(); ++k)
      s += fmt::format(
          "<text x=\"{}\" y=\"{}\" fill=\"{}\" xml:space=\"preserve\"{}>{}"
          "</text>\n",
          textX, yy + 4 + kLineH * int(k), k ? "#2b7a3d" : "#444",
          k ? std::string() : fmt::format(" data-step=\"{}\"", i),
          xmlEscape(lines[k]));
  }
  s += "</svg>\n";
  return s;
}

std::string formatHtml(const ir::Program &program, const CheckResult &r) {
  Layout layout(program);
  // Per step: its description and every variable as "P0.x = v", with the
  // names of those the step changed.
  nlohmann::json steps = nlohmann::json::array();
  for (size_t i = 0; i < r.trace.size(); ++i) {
    const State &st = r.trace[i].state;
    nlohmann::json vars = nlohmann::json::array();
    nlohmann::json changed = nlohmann::json::array();
    for (const auto &v : showVars(layout, st))
      vars.push_back(
          {layout.principalName(v.principal) + "." + v.name, v.value});
    if (i > 0)
      for (const auto &c : diffStates(layout, r.trace[i - 1].state, st))
        changed.push_back(ownerName(layout, c.principal) + "." + c.name);
    std::string d = r.trace[i].action.describe(layout);
    steps.push_back({{"text", d}, {"vars", vars}, {"changed", changed}});
  }
  // "</" cannot end the script element early once escaped.
  std::string data = steps.dump();
  for (size_t at = 0; (at = data.find("</", at)) != std::string::npos;)
    data.replace(at, 2, "<\\/");
  std::string title = xmlEscape(program.name + " — " + verdictName(r.verdict) +
                                (r.name.empty() ? "" : " " + r.name));
  int last = r.trace.empty() ? 0 : int(r.trace.size()) - 1;
  std::string page = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>)" +
                     title + R"(</title>
<style>
body { font-family: monospace; margin: 1em; }
#chart { overflow: auto; border: 1px solid #ccc; max-height: 60vh; }
#state { white-space: pre; background: #f6f6f6; padding: .5em; }
.changed { color: #2b7a3d; font-weight: bold; }
</style></head><body>
<h3>)" + title +
                     R"(</h3>
<div><input id="step" type="range" min="0" max=")" +
                     std::to_string(last) + R"(" value="0" style="width: 60%">
<span id="label"></span></div>
<p id="text"></p>
<div id="state"></div>
<div id="chart">
)" + formatSvg(program, r) +
                     R"(</div>
<script>
const steps = )" + data +
                     R"(;
const slider = document.getElementById('step');
const svg = document.querySelector('#chart svg');
const mark = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
mark.setAttribute('x', 0);
mark.setAttribute('width', svg.getAttribute('width'));
mark.setAttribute('fill', '#ffe08a');
mark.setAttribute('opacity', '0.5');
svg.insertBefore(mark, svg.children[2]);
function esc(t) {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function show(i) {
  const s = steps[i];
  if (!s) return;
  document.getElementById('label').textContent = 'step ' + i + ' of ' + (steps.length - 1);
  document.getElementById('text').textContent = s.text;
  document.getElementById('state').innerHTML = s.vars.map(([n, v]) =>
    s.changed.includes(n) ? '<span class="changed">' + esc(n + ' = ' + v) + '</span>'
                          : esc(n + ' = ' + v)).join('\n');
  const row = svg.querySelector('[data-step="' + i + '"]');
  if (row) {
    const y = parseFloat(row.getAttribute('y'));
    mark.setAttribute('y', y - 24);
    mark.setAttribute('height', 36);
    row.scrollIntoView({block: 'nearest'});
  }
}
slider.addEventListener('input', () => show(+slider.value));
document.addEventListener('keydown', e => {
  if (e.key === 'ArrowRight') slider.value = Math.min(+slider.value + 1, steps.length - 1);
  else if (e.key === 'ArrowLeft') slider.value = Math.max(+slider.value - 1, 0);
  else return;
  show(+slider.value);
});
show(0);
</script>
</body></html>
)";
  return page;
}

} // namespace mommie::checker
