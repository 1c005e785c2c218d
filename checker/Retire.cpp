// Retire clauses in the checker (checker/Retire.h): retired statements,
// hide(s) and the commutation check.
#include "checker/Retire.h"

#include <fmt/format.h>

#include <algorithm>

namespace mommie::checker {

RetireCheck::RetireCheck(const Generator &gen)
    : gen_(gen), layout_(gen.layout()) {
  const auto &prog = layout_.program();
  retiredRecords_.assign(prog.roles.size(),
                         std::vector<bool>(prog.records.size(), false));
  for (size_t r = 0; r < prog.roles.size(); ++r)
    for (const auto &rt : prog.roles[r].retires)
      if (rt.pattern.record >= 0) {
        retiredRecords_[r][size_t(rt.pattern.record)] = true;
        active_ = true;
      }
}

std::string retireClauseName(const ir::Role &role, const ir::Retire &clause) {
  return fmt::format("Retire({}:{})", role.name, clause.loc.line);
}

std::string RetireCheck::clauseName(int role, int clause) const {
  const auto &r = layout_.program().roles[size_t(role)];
  return retireClauseName(r, r.retires[size_t(clause)]);
}

// The pattern matches `statement` with ME = p (binding its slots) and the
// condition holds in `s`.
bool RetireCheck::retiredBy(const ir::Retire &rt, int p, const Value &statement,
                            const State &s) const {
  std::vector<Value> slots(rt.slots.size());
  Env env{layout_, s, p, slots};
  const ir::Pattern &pat = rt.pattern;
  if (pat.slot >= 0)
    slots[size_t(pat.slot)] = statement.elems()[StmtMsg];
  if (pat.issuer.kind == ir::IssuerPattern::Kind::Bind && pat.issuer.slot >= 0)
    slots[size_t(pat.issuer.slot)] = statement.elems()[StmtIss];
  if (!issuerMatches(pat.issuer, statement, env) ||
      !partyMatches(pat.verifier, statement.elems()[StmtVer], env) ||
      !partyMatches(pat.auditor, statement.elems()[StmtAud], env) ||
      !constraintsHold(pat, statement.elems()[StmtMsg], env))
    return false;
  return !rt.cond || evalBool(*rt.cond, env);
}

std::vector<RetiredStatement> RetireCheck::retired(const State &s) const {
  std::vector<RetiredStatement> out;
  if (!active_)
    return out;
  const auto &prog = layout_.program();
  for (size_t r = 0; r < prog.roles.size(); ++r) {
    const auto &role = prog.roles[r];
    if (role.retires.empty())
      continue;
    const auto &set = prog.principalSets[size_t(role.principalSet)];
    for (int i = 0; i < set.size; ++i) {
      int p = set.first + i;
      for (int rec = 0; rec < layout_.numRecords(); ++rec) {
        if (!retiredRecords_[r][size_t(rec)])
          continue;
        for (const auto &st :
             s.known[size_t(layout_.knownIndex(rec, p))].elems())
          for (size_t c = 0; c < role.retires.size(); ++c)
            if (role.retires[c].pattern.record == rec &&
                retiredBy(role.retires[c], p, st, s)) {
              out.push_back({p, rec, int(r), int(c), st});
              break;
            }
      }
    }
  }
  return out;
}

State RetireCheck::hide(const State &s) const {
  State h = s;
  hideIn(h, nullptr);
  return h;
}

void RetireCheck::hideIn(State &s, const RetiredStatement *only) const {
  auto drop = [&](const RetiredStatement &x) {
    s.known[size_t(layout_.knownIndex(x.record, x.principal))].setErase(
        x.statement);
  };
  if (!only) {
    for (const auto &x : retired(s))
      drop(x);
    return;
  }
  const auto &known =
      s.known[size_t(layout_.knownIndex(only->record, only->principal))];
  const auto &rt =
      layout_.program().roles[size_t(only->role)].retires[size_t(only->clause)];
  if (known.setContains(only->statement) &&
      retiredBy(rt, only->principal, only->statement, s))
    drop(*only);
}

std::vector<std::string> RetireCheck::images(const State &s,
                                             const RetiredStatement *only,
                                             const std::string &self) const {
  std::vector<std::string> out;
  std::string bytes;
  gen_.successors(s, false, [&](State &&next, const Action *) {
    hideIn(next, only);
    layout_.encode(next, bytes);
    if (bytes != self)
      out.push_back(bytes);
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string RetireCheck::differs(const State &s,
                                 const RetiredStatement *only) const {
  State h = s;
  hideIn(h, only);
  std::string self;
  layout_.encode(h, self);
  std::vector<std::string> model = images(s, only, self), collected;
  try {
    collected = images(h, only, self);
  } catch (const EvalError &e) {
    return fmt::format(
        "once it is collected, computing the next steps fails at {}: {}",
        locString(e.loc), e.what());
  }
  if (model == collected)
    return "";
  return explain(s, h, only, model, collected);
}

namespace {
struct Step {
  std::string what, image;
  State state; // hidden
};
} // namespace

// What differs between two states' knowledge, as "X is known to P in the
// model but not at the node".
static std::string knowledgeDiff(const Layout &layout, const State &model,
                                 const State &node) {
  for (int rec = 0; rec < layout.numRecords(); ++rec)
    for (int p = 0; p < layout.numPrincipals(); ++p) {
      const auto &a = model.known[size_t(layout.knownIndex(rec, p))];
      const auto &b = node.known[size_t(layout.knownIndex(rec, p))];
      for (const auto &x : a.elems())
        if (!b.setContains(x))
          return fmt::format(
              "afterwards {} knows {} in the model but not at the node (the "
              "statement is no longer retired: a retire condition must stay "
              "true "
              "once it holds)",
              layout.principalName(p), statementText(layout, x));
      for (const auto &x : b.elems())
        if (!a.setContains(x))
          return fmt::format(
              "afterwards {} knows {} at the node but not in the model",
              layout.principalName(p), statementText(layout, x));
    }
  return "afterwards the states differ";
}

std::string
RetireCheck::explain(const State &s, const State &h,
                     const RetiredStatement *only,
                     const std::vector<std::string> &model,
                     const std::vector<std::string> &collected) const {
  auto steps = [&](const State &from) {
    std::vector<Step> out;
    gen_.successors(from, true, [&](State &&next, const Action *a) {
      Step st;
      st.what = a ? a->describe(layout_) : "a step";
      hideIn(next, only);
      st.state = std::move(next);
      layout_.encode(st.state, st.image);
      out.push_back(std::move(st));
    });
    return out;
  };
  std::vector<Step> inModel = steps(s), atNode = steps(h);
  auto has = [](const std::vector<std::string> &v, const std::string &x) {
    return std::binary_search(v.begin(), v.end(), x);
  };
  for (const auto &m : inModel) {
    if (has(collected, m.image) || !has(model, m.image))
      continue;
    for (const auto &n : atNode)
      if (n.what == m.what)
        return fmt::format("the step `{}` leads to different states: {}",
                           m.what, knowledgeDiff(layout_, m.state, n.state));
    return fmt::format(
        "the model can take the step `{}`, which the node cannot take once it "
        "has collected the statement",
        m.what);
  }
  for (const auto &n : atNode)
    if (has(collected, n.image) && !has(model, n.image))
      return fmt::format(
          "once the statement is collected, the node can take the step `{}`, "
          "which the model cannot take",
          n.what);
  return "the steps differ";
}

std::optional<RetireFailure> RetireCheck::check(const State &s) const {
  auto all = retired(s);
  if (all.empty())
    return std::nullopt;
  std::string why = differs(s, nullptr);
  if (why.empty())
    return std::nullopt;
  const RetiredStatement *blame = &all.front();
  bool together = true;
  for (const auto &x : all) {
    std::string one = differs(s, &x);
    if (!one.empty()) {
      blame = &x;
      why = one;
      together = false;
      break;
    }
  }
  const auto &rt = layout_.program()
                       .roles[size_t(blame->role)]
                       .retires[size_t(blame->clause)];
  RetireFailure f;
  f.name = clauseName(blame->role, blame->clause);
  f.loc = rt.loc;
  f.message = fmt::format(
      "Collecting {} at {} (retired by the clause at {}) changes behaviour{}: "
      "{}.\n",
      statementText(layout_, blame->statement),
      layout_.principalName(blame->principal), locString(rt.loc),
      together ? " together with the other retired statements" : "", why);
  return f;
}

} // namespace mommie::checker
