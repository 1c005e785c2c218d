// Statements and the outbox (see Statement.h).
#include "runtime/pool/Statement.h"

#include <algorithm>

namespace mommie::rt {

void Statement::encode(Writer &w) const {
  w.varint(uint64_t(issuer));
  verifiers.encode(w);
  auditors.encode(w);
  msg.encode(w);
}

std::string Statement::key() const {
  Writer w;
  encode(w);
  return w.toString();
}

namespace {
bool isPrincipalSet(const Value &v) {
  if (!v.is(Kind::Set))
    return false;
  for (const auto &e : v.elems())
    if (!e.is(Kind::Principal))
      return false;
  return true;
}
} // namespace

bool Statement::decode(Reader &r, Statement &out) {
  uint64_t iss = r.varint();
  if (!r.ok() || iss > 0x7fffffff) {
    r.fail("bad issuer");
    return false;
  }
  out.issuer = int(iss);
  if (!Value::decode(r, out.verifiers) || !Value::decode(r, out.auditors) ||
      !Value::decode(r, out.msg))
    return false;
  if (!isPrincipalSet(out.verifiers) || !isPrincipalSet(out.auditors) ||
      !out.msg.is(Kind::Record)) {
    r.fail("malformed statement");
    return false;
  }
  return true;
}

std::string Statement::toJson(const Names *names) const {
  std::string s = "{\"iss\":";
  Value::principal(issuer).appendJson(s, names);
  s += ",\"ver\":";
  verifiers.appendJson(s, names);
  s += ",\"aud\":";
  auditors.appendJson(s, names);
  s += ",\"msg\":";
  msg.appendJson(s, names);
  s += '}';
  return s;
}

bool sameEffects(const Outbox &a, const Outbox &b) {
  auto keys = [](const Outbox &o) {
    std::vector<std::string> ks;
    for (const auto &s : o.published)
      ks.push_back(s.key());
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    return ks;
  };
  return keys(a) == keys(b) && a.timerOps == b.timerOps;
}

std::string describeEffects(const Outbox &o, const Names *names) {
  std::string s = "[";
  for (size_t i = 0; i < o.published.size(); ++i) {
    s += i ? "," : "";
    s += o.published[i].toJson(names);
  }
  s += "]";
  for (const auto &[t, start] : o.timerOps)
    s += std::string(start ? " start#" : " stop#") + std::to_string(t);
  return s;
}

Value asPrincipalSet(const Value &v) {
  if (v.is(Kind::Principal))
    return Value::set({v});
  if (isPrincipalSet(v))
    return v;
  throw EvalError("expected a principal or a set of principals");
}

Value allPrincipals(int numPrincipals) {
  Value::Elems ps;
  for (int i = 0; i < numPrincipals; ++i)
    ps.push_back(Value::principal(i));
  return Value::set(std::move(ps));
}

void Outbox::publish(const Value &verifier, const Value &auditor, Value msg) {
  published.push_back(Statement{me, asPrincipalSet(verifier),
                                asPrincipalSet(auditor), std::move(msg)});
}
void Outbox::publishNoAuditor(const Value &verifier, Value msg) {
  published.push_back(
      Statement{me, asPrincipalSet(verifier), Value::set({}), std::move(msg)});
}
void Outbox::publishAnyAuditor(const Value &verifier, Value msg) {
  published.push_back(Statement{me, asPrincipalSet(verifier),
                                allPrincipals(numPrincipals), std::move(msg)});
}

} // namespace mommie::rt
