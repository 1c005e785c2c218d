// The simulated network (see SimTransport.h).
#include "runtime/net/SimTransport.h"

#include <cerrno>
#include <cstdlib>
#include <memory>

namespace mommie::rt {

namespace {

bool parseProbability(const std::string &s, double &out) {
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || errno || !end || *end || !(v >= 0 && v <= 1))
    return false;
  out = v;
  return true;
}

// "20ms", "2s", "150us", "7" (ms) -> µs.
bool parseDuration(std::string s, int64_t &us) {
  int64_t scale = 1000;
  auto ends = [&](const char *suf) {
    size_t n = std::char_traits<char>::length(suf);
    return s.size() > n && s.compare(s.size() - n, n, suf) == 0;
  };
  if (ends("us")) {
    scale = 1;
    s.resize(s.size() - 2);
  } else if (ends("ms")) {
    s.resize(s.size() - 2);
  } else if (ends("s")) {
    scale = 1000000;
    s.resize(s.size() - 1);
  }
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 12)
    return false;
  us = std::strtoll(s.c_str(), nullptr, 10) * scale;
  return true;
}

int principalOf(const std::vector<std::string> &principals, const std::string &n) {
  for (size_t p = 0; p < principals.size(); ++p)
    if (principals[p] == n)
      return int(p);
  return -1;
}

} // namespace

bool parseSimFaults(const std::string &text, const std::vector<std::string> &principals,
                    SimFaults &out, std::string &error) {
  size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq), val = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "loss" || key == "dup") {
      if (!parseProbability(val, key == "loss" ? out.loss : out.dup)) {
        error = "bad probability in '" + item + "' (0..1)";
        return false;
      }
    } else if (key == "reorder" && eq == std::string::npos) {
      out.reorder = true;
    } else if (key == "delay") {
      size_t dash = val.find('-');
      std::string a = val.substr(0, dash), b = dash == std::string::npos ? val : val.substr(dash + 1);
      if (dash != std::string::npos && a.find_first_not_of("0123456789") == std::string::npos) {
        // "1-20ms": the unit of B applies to A.
        size_t digits = b.find_first_not_of("0123456789");
        a += digits == std::string::npos ? "" : b.substr(digits);
      }
      if (!parseDuration(a, out.delayMinUs) || !parseDuration(b, out.delayMaxUs) ||
          out.delayMinUs > out.delayMaxUs) {
        error = "bad delay in '" + item + "' (A-Bms, A <= B)";
        return false;
      }
    } else if (key == "crash") {
      size_t at = val.find('@');
      SimFaults::Crash c;
      c.node = principalOf(principals, val.substr(0, at));
      if (c.node < 0 || at == std::string::npos || !parseDuration(val.substr(at + 1), c.atUs)) {
        error = "bad crash in '" + item + "' (NODE@TIME, e.g. R0@2s, of a known principal)";
        return false;
      }
      out.crashes.push_back(c);
    } else if (key == "byz") {
      int p = principalOf(principals, val);
      if (p < 0) {
        error = "bad byz in '" + item + "' (a known principal)";
        return false;
      }
      out.byzantine.push_back(p);
    } else {
      error = "unknown fault '" + item + "'";
      return false;
    }
  }
  return true;
}

SimNetwork::SimNetwork(EventLoop &loop, size_t numPrincipals, SimFaults faults, uint64_t seed)
    : loop_(loop), faults_(std::move(faults)), rng_(seed * 0x9E3779B97F4A7C15ull + 1),
      start_(loop.clock()), receivers_(numPrincipals), crashed_(numPrincipals, false),
      lastAt_(numPrincipals * numPrincipals, start_), n_(numPrincipals) {}

int64_t SimNetwork::nowUs() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(loop_.clock() - start_).count();
}

void SimNetwork::send(int from, int to, const std::vector<uint8_t> &frame) {
  if (size_t(to) >= n_ || size_t(from) >= n_ || crashed_[size_t(from)])
    return;
  ++stats_.sent;
  if (faults_.loss > 0 && uniform() < faults_.loss) {
    ++stats_.lost;
    return;
  }
  auto shared = std::make_shared<const std::vector<uint8_t>>(frame);
  schedule(from, to, shared);
  if (faults_.dup > 0 && uniform() < faults_.dup) {
    ++stats_.duplicated;
    schedule(from, to, shared);
  }
}

void SimNetwork::schedule(int from, int to, std::shared_ptr<const std::vector<uint8_t>> frame) {
  int64_t span = faults_.delayMaxUs - faults_.delayMinUs;
  int64_t d = faults_.delayMinUs + (span > 0 ? int64_t(next() % uint64_t(span + 1)) : 0);
  TimePoint when = loop_.clock() + std::chrono::microseconds(d);
  TimePoint &last = lastAt_[size_t(from) * n_ + size_t(to)];
  if (!faults_.reorder && when < last)
    when = last; // FIFO channel: never before an earlier frame
  last = std::max(last, when);
  loop_.at(when, [this, from, to, frame] {
    if (crashed_[size_t(to)]) {
      ++stats_.toCrashed;
      return;
    }
    ++stats_.delivered;
    if (receivers_[size_t(to)])
      receivers_[size_t(to)](from, frame->data(), frame->size());
  });
}

std::vector<Value> payloadVariants(const Value &v, int numPrincipals) {
  std::vector<Value> out;
  switch (v.kind()) {
  case Kind::Bool:
    out.push_back(Value::boolean(!v.asBool()));
    break;
  case Kind::Int:
    out.push_back(Value::integer(v.asInt() + 1));
    out.push_back(Value::integer(v.asInt() - 1));
    break;
  case Kind::Principal:
    if (numPrincipals > 1)
      out.push_back(Value::principal((v.asPrincipal() + 1) % numPrincipals));
    break;
  case Kind::Option:
    if (v.size() == 1) {
      out.push_back(Value::none());
      for (auto &x : payloadVariants(v.elems()[0], numPrincipals))
        out.push_back(Value::some(std::move(x)));
    }
    break;
  case Kind::Record:
  case Kind::Tuple:
    for (size_t i = 0; i < v.size(); ++i)
      for (auto &x : payloadVariants(v.elems()[i], numPrincipals)) {
        Value::Elems e = v.elems();
        e[i] = std::move(x);
        out.push_back(v.is(Kind::Record) ? Value::record(v.recordIndex(), std::move(e))
                                         : Value::tuple(std::move(e)));
      }
    break;
  case Kind::Seq:
  case Kind::Set:
    if (v.size() > 0) {
      Value::Elems e(v.elems().begin(), v.elems().end() - 1);
      out.push_back(v.is(Kind::Seq) ? Value::seq(std::move(e)) : Value::set(std::move(e)));
    }
    break;
  case Kind::Map:
    if (v.size() > 0) {
      std::vector<std::pair<Value, Value>> m;
      for (size_t i = 0; i + 1 < v.size(); ++i)
        m.emplace_back(v.mapKey(i), v.mapValue(i));
      out.push_back(Value::map(std::move(m)));
    }
    break;
  }
  return out;
}

} // namespace mommie::rt
