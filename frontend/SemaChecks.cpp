// Sema: whole-program checks run after every declaration was checked —
// no recursion among functions, bounded field types for records that a
// Byzantine principal could issue into a matching pattern, transitions that
// can never fire, role variables that are never read.
#include "frontend/Sema.h"
#include "frontend/Types.h"

#include <fmt/format.h>

namespace mommie::frontend {

void Sema::checkRecursion() {
  size_t n = funs_.size();
  for (size_t f = 0; f < n; ++f) {
    // Does f reach itself?
    std::vector<bool> seen(n, false);
    std::vector<int> todo(calls_[f].begin(), calls_[f].end());
    bool cyclic = false;
    while (!todo.empty() && !cyclic) {
      int g = todo.back();
      todo.pop_back();
      if (g == (int)f) {
        cyclic = true;
        break;
      }
      if (g < 0 || g >= (int)n || seen[g])
        continue;
      seen[g] = true;
      todo.insert(todo.end(), calls_[g].begin(), calls_[g].end());
    }
    if (cyclic)
      error(funs_[f]->loc,
            fmt::format("function '{}' is recursive (functions may not call "
                        "themselves, directly or indirectly)",
                        funs_[f]->name));
  }
}

// The principal sets declared Byzantine with a positive bound.
static std::vector<int> byzantineSets(const ir::Program &p) {
  std::vector<int> out;
  for (const auto &f : p.faults)
    if (f.kind == ir::FaultDecl::Kind::Byzantine && f.max > 0)
      out.push_back(f.principalSet);
  return out;
}

// Whether a statement issued by a Byzantine principal could match the
// issuer part of a pattern; the set concerned is stored in `set`.
static bool byzantineMayMatch(const std::vector<int> &byz,
                              ir::IssuerPattern::Kind kind, int patternSet,
                              const ir::TypeRef &exactType, int &set) {
  if (byz.empty())
    return false;
  auto isByz = [&](int s) {
    for (int b : byz)
      if (b == s)
        return true;
    return false;
  };
  switch (kind) {
  case ir::IssuerPattern::Kind::Any:
    set = byz[0];
    return true;
  case ir::IssuerPattern::Kind::Bind:
  case ir::IssuerPattern::Kind::Quorum:
    set = patternSet;
    return isByz(patternSet);
  case ir::IssuerPattern::Kind::Exact:
    if (!exactType) // ME
      return false;
    if (exactType->principalSet < 0) {
      set = byz[0];
      return true;
    }
    set = exactType->principalSet;
    return isByz(exactType->principalSet);
  }
  return false;
}

void Sema::checkByzantineRecords() {
  auto byz = byzantineSets(out_);
  std::set<int> reported;
  for (const auto &u : patternUses_) {
    int set = -1;
    if (reported.count(u.record) ||
        !byzantineMayMatch(byz, u.issuer, u.set, u.exactType, set))
      continue;
    std::string field;
    if (recordBounded(u.record, out_.records, field))
      continue;
    reported.insert(u.record);
    const auto &rec = out_.records[u.record];
    ir::SourceLoc floc = rec.loc;
    ir::TypeRef ftype;
    for (const auto &f : rec.fields)
      if (f.name == field) {
        floc = f.loc;
        ftype = f.type;
      }
    std::string setName = set >= 0 && set < (int)out_.principalSets.size()
                              ? out_.principalSets[set].name
                              : "?";
    error(floc,
          fmt::format(
              "field '{}' of record '{}' has unbounded type {}, but Byzantine "
              "principals of '{}' may issue '{}'",
              field, rec.name, typeStr(ftype), setName, rec.name));
    note(u.loc,
         fmt::format(
             "a '{}' issued by a Byzantine principal can match this pattern",
             rec.name));
  }
}

void Sema::checkFireable() {
  auto byz = byzantineSets(out_);
  std::set<std::pair<int, int>> warned;
  for (const auto &u : patternUses_) {
    if (u.transition < 0 || u.role < 0 || warned.count({u.role, u.transition}))
      continue;
    int set = -1;
    if (published_.count(u.record) ||
        byzantineMayMatch(byz, u.issuer, u.set, u.exactType, set))
      continue;
    warned.insert({u.role, u.transition});
    const auto &t = roles_[u.role]->transitions[u.transition];
    warning(t.loc,
            fmt::format(
                "transition '{}' can never fire: no role publishes '{}' and no "
                "Byzantine principal can issue it",
                t.name, out_.records[u.record].name));
  }
  for (const auto &t : timeoutUses_) {
    if (warned.count({t.role, -2 - t.timer}))
      continue;
    if (!roleInfo_[t.role].timerStarted[t.timer])
      warning(t.loc,
              fmt::format(
                  "transition '{}' can never fire: timer '{}' is never started",
                  t.transition, out_.roles[t.role].timers[t.timer].name));
  }
}

void Sema::checkUnusedVars() {
  for (size_t r = 0; r < out_.roles.size() && r < roleInfo_.size(); ++r) {
    const auto &role = out_.roles[r];
    for (const auto &[name, index] : roleInfo_[r].vars)
      if (!roleInfo_[r].varRead[index])
        warning(role.vars[index].loc,
                fmt::format("variable '{}' of role '{}' is never read", name,
                            role.name));
  }
}

} // namespace mommie::frontend
