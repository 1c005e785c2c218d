// The fault specification (see FaultSpec.h).
#include "runtime/wire/FaultSpec.h"

#include <cerrno>
#include <cstdlib>

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
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos ||
      s.size() > 12)
    return false;
  us = std::strtoll(s.c_str(), nullptr, 10) * scale;
  return true;
}

int principalOf(const std::vector<std::string> &principals,
                const std::string &n) {
  for (size_t p = 0; p < principals.size(); ++p)
    if (principals[p] == n)
      return int(p);
  return -1;
}

} // namespace

bool parseSimFaults(const std::string &text,
                    const std::vector<std::string> &principals, SimFaults &out,
                    std::string &error) {
  size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    size_t comma = text.find(',', pos);
    std::string item = text.substr(
        pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (item.empty())
      continue;
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq),
                val = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "loss" || key == "dup") {
      if (!parseProbability(val, key == "loss" ? out.loss : out.dup)) {
        error = "bad probability in '" + item + "' (0..1)";
        return false;
      }
    } else if (key == "reorder" && eq == std::string::npos) {
      out.reorder = true;
    } else if (key == "delay") {
      size_t dash = val.find('-');
      std::string a = val.substr(0, dash),
                  b = dash == std::string::npos ? val : val.substr(dash + 1);
      if (dash != std::string::npos &&
          a.find_first_not_of("0123456789") == std::string::npos) {
        // "1-20ms": the unit of B applies to A.
        size_t digits = b.find_first_not_of("0123456789");
        a += digits == std::string::npos ? "" : b.substr(digits);
      }
      if (!parseDuration(a, out.delayMinUs) ||
          !parseDuration(b, out.delayMaxUs) ||
          out.delayMinUs > out.delayMaxUs) {
        error = "bad delay in '" + item + "' (A-Bms, A <= B)";
        return false;
      }
      out.delayGiven = true;
    } else if (key == "crash") {
      size_t at = val.find('@');
      SimFaults::Crash c;
      c.node = principalOf(principals, val.substr(0, at));
      std::string when = at == std::string::npos ? "" : val.substr(at + 1);
      c.unitless = !when.empty() &&
                   when.find_first_not_of("0123456789") == std::string::npos;
      if (c.node < 0 || at == std::string::npos ||
          !parseDuration(when, c.atUs)) {
        error = "bad crash in '" + item +
                "' (NODE@TIME, e.g. R0@2s, of a known principal)";
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

} // namespace mommie::rt
