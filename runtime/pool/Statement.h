// An authenticated statement [issuer, verifiers, auditors] msg, its
// canonical encoding (the pool's dedup key and the wire payload) and the
// outbox a transition body fills.
#pragma once

#include "runtime/wire/Value.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

struct Statement {
  int issuer = 0;
  Value verifiers; // set of principals
  Value auditors;  // set of principals ({} = NOONE, all principals = ANY)
  Value msg;       // a record

  void encode(Writer &w) const;
  std::string key() const; // canonical encoding
  static bool decode(Reader &r, Statement &out);
  bool operator==(const Statement &o) const {
    return issuer == o.issuer && verifiers == o.verifiers &&
           auditors == o.auditors && msg == o.msg;
  }
  bool operator<(const Statement &o) const { return key() < o.key(); }
  std::string toJson(const Names *names) const;
};

// What one firing produces besides the state change.
struct Outbox {
  std::vector<Statement> published;
  // Timer operations in program order: (timer, true) = start, false = stop.
  std::vector<std::pair<int, bool>> timerOps;
  // PROGRESS patterns: (index in `published`, the pattern's KNOWN test at
  // the publisher), for the dissemination layer only.
  std::vector<std::pair<size_t, std::function<bool()>>> progress;
  void setProgress(std::function<bool()> f) {
    if (!published.empty())
      progress.emplace_back(published.size() - 1, std::move(f));
  }
  int me = 0;
  int numPrincipals = 0;
  // `verifier` / `auditor`: a principal or a set of principals.
  void publish(const Value &verifier, const Value &auditor, Value msg);
  void publishNoAuditor(const Value &verifier, Value msg);
  void publishAnyAuditor(const Value &verifier, Value msg);
  void startTimer(int t) { timerOps.emplace_back(t, true); }
  void stopTimer(int t) { timerOps.emplace_back(t, false); }
  void clear() {
    published.clear();
    timerOps.clear();
    progress.clear();
  }
};

// Whether two outboxes have the same published statements (as sets) and
// the same timer operations: the body-program assertion.
bool sameEffects(const Outbox &a, const Outbox &b);
std::string describeEffects(const Outbox &o, const Names *names);

// Principal or set of principals -> set of principals.
Value asPrincipalSet(const Value &v);
Value allPrincipals(int numPrincipals);

} // namespace mommie::rt
