// The deploy.conf parser (see Deploy.h): a line-oriented scanner with
// located errors.
#include "runtime/auth/Deploy.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace mommie::rt {

namespace {

enum class Section {
  None,
  Hosts,
  Authentication,
  NonRepudiation,
  Dissemination
};

struct LineScanner {
  const std::string &s;
  size_t i = 0;
  int line;
  std::vector<DeployError> &errors;
  bool failed = false;

  void skipWs() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
      ++i;
  }
  bool atEnd() {
    skipWs();
    return i >= s.size();
  }
  int col() const { return int(i) + 1; }
  void error(const std::string &msg) {
    skipWs();
    errorAt(col(), msg);
  }
  void errorAt(int c, const std::string &msg) {
    if (!failed)
      errors.push_back(DeployError{line, c, msg});
    failed = true;
  }
  bool eat(const std::string &tok) {
    skipWs();
    if (s.compare(i, tok.size(), tok) == 0) {
      i += tok.size();
      return true;
    }
    return false;
  }
  std::string word() { // [A-Za-z0-9_.*]+
    skipWs();
    size_t b = i;
    while (i < s.size() && (std::isalnum((unsigned char)s[i]) || s[i] == '_' ||
                            s[i] == '*' || s[i] == '.'))
      ++i;
    return s.substr(b, i - b);
  }
};

bool validPattern(const std::string &p) {
  if (p.empty())
    return false;
  size_t star = p.find('*');
  if (star != std::string::npos && star != p.size() - 1)
    return false;
  if (!std::isalpha((unsigned char)p[0]) && p != "*")
    return false;
  for (char c : p)
    if (!std::isalnum((unsigned char)c) && c != '_' && c != '*')
      return false;
  return true;
}

bool parsePatterns(LineScanner &sc, std::vector<std::string> &out) {
  do {
    std::string w = sc.word();
    if (!validPattern(w)) {
      sc.error(w.empty() ? "expected a principal pattern"
                         : "bad principal pattern '" + w + "'");
      return false;
    }
    out.push_back(w);
  } while (sc.eat(","));
  return true;
}

bool parseDuration(const std::string &w, int64_t &ms) {
  size_t n = 0;
  while (n < w.size() && std::isdigit((unsigned char)w[n]))
    ++n;
  if (n == 0 || n > 9)
    return false;
  int64_t v = std::stoll(w.substr(0, n));
  std::string unit = w.substr(n);
  if (unit == "ms")
    ms = v;
  else if (unit == "s")
    ms = v * 1000;
  else
    return false;
  return true;
}

// Which module names (and argument counts) each section accepts.
bool checkModule(Section sec, LineScanner &sc, const ModuleSpec &m) {
  auto want = [&](size_t lo, size_t hi) {
    if (m.args.size() < lo || m.args.size() > hi) {
      sc.errorAt(m.col, "module " + m.name + " takes " +
                            (lo == hi ? std::to_string(lo)
                                      : std::to_string(lo) + " to " +
                                            std::to_string(hi)) +
                            " argument(s)");
      return false;
    }
    return true;
  };
  if (sec == Section::Authentication || sec == Section::NonRepudiation) {
    if (m.name == "PLAINTEXT" || m.name == "HMAC_SHA256" ||
        m.name == "ED25519" || m.name == "RSA")
      return want(0, 0);
    if (m.name == "TTP")
      return want(1, 1);
    sc.errorAt(m.col, "unknown authentication module '" + m.name + "'");
    return false;
  }
  if (m.name == "OPTIMISTIC") {
    if (!want(1, 1))
      return false;
    if (m.args[0] != "PRIMARY" && m.args[0] != "QUORUM") {
      sc.errorAt(m.col, "OPTIMISTIC takes PRIMARY or QUORUM");
      return false;
    }
    return true;
  }
  if (m.name == "BATCH") {
    if (!want(1, 2))
      return false;
    int64_t ms;
    if (m.args[0].empty() ||
        m.args[0].find_first_not_of("0123456789") != std::string::npos ||
        m.args[0].size() > 6 || std::stoll(m.args[0]) < 1 ||
        (m.args.size() == 2 && !parseDuration(m.args[1], ms))) {
      sc.errorAt(m.col,
                 "BATCH takes a positive count and an optional duration");
      return false;
    }
    return true;
  }
  if (m.name == "HIERARCHY")
    return want(1, 1);
  if (m.name == "DIGEST" || m.name == "NEST" || m.name == "CONTEXT" ||
      m.name == "UNICAST")
    return want(0, 0);
  sc.errorAt(m.col, "unknown dissemination module '" + m.name + "'");
  return false;
}

bool parseModules(Section sec, LineScanner &sc, std::vector<ModuleSpec> &out) {
  while (!sc.atEnd()) {
    ModuleSpec m;
    m.line = sc.line;
    m.col = sc.col();
    m.name = sc.word();
    if (m.name.empty()) {
      sc.error("expected a module name");
      return false;
    }
    if (sc.eat("(")) {
      if (!sc.eat(")")) {
        do {
          std::string a = sc.word();
          if (a.empty()) {
            sc.error("expected a module argument");
            return false;
          }
          m.args.push_back(a);
        } while (sc.eat(","));
        if (!sc.eat(")")) {
          sc.error("expected ')'");
          return false;
        }
      }
    }
    sc.skipWs();
    if (sc.i < sc.s.size() && std::isdigit((unsigned char)sc.s[sc.i])) {
      std::string d = sc.word();
      if (sec != Section::Dissemination || !parseDuration(d, m.escalationMs)) {
        sc.error("bad escalation timeout '" + d + "'");
        return false;
      }
    }
    if (!checkModule(sec, sc, m))
      return false;
    out.push_back(std::move(m));
    if (!sc.eat(";")) {
      if (!sc.atEnd()) {
        sc.error("expected ';' or end of line");
        return false;
      }
    }
  }
  return true;
}

// Whether two endpoints are the same socket address ("localhost" is
// 127.0.0.1, host names compare case-insensitively).
bool sameAddress(const Endpoint &a, const Endpoint &b) {
  auto norm = [](std::string h) {
    for (auto &c : h)
      c = char(std::tolower((unsigned char)c));
    return h == "localhost" ? std::string("127.0.0.1") : h;
  };
  return a.port == b.port && norm(a.host) == norm(b.host);
}

bool parseHost(LineScanner &sc, DeployConfig &out) {
  HostEntry h;
  h.line = sc.line;
  sc.skipWs();
  int nameCol = sc.col();
  h.principal = sc.word();
  if (h.principal.empty() || !std::isalpha((unsigned char)h.principal[0]) ||
      h.principal.find('*') != std::string::npos) {
    sc.error("expected a principal name");
    return false;
  }
  if (!sc.eat("=")) {
    sc.error("expected '='");
    return false;
  }
  sc.skipWs();
  int addrCol = sc.col();
  size_t b = sc.i;
  while (sc.i < sc.s.size() && sc.s[sc.i] != ':' &&
         !std::isspace((unsigned char)sc.s[sc.i]))
    ++sc.i;
  h.endpoint.host = sc.s.substr(b, sc.i - b);
  if (h.endpoint.host.empty()) {
    sc.error("expected a host address");
    return false;
  }
  if (!sc.eat(":")) {
    sc.error("expected ':PORT'");
    return false;
  }
  sc.skipWs();
  int portCol = sc.col();
  std::string port = sc.word();
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos ||
      std::stol(port) < 1 || std::stol(port) > 65535) {
    sc.errorAt(portCol, "bad port '" + port + "'");
    return false;
  }
  h.endpoint.port = uint16_t(std::stol(port));
  if (!sc.atEnd()) {
    sc.error("unexpected text after the address");
    return false;
  }
  for (const auto &o : out.hosts) {
    if (o.principal == h.principal) {
      sc.errorAt(nameCol, "duplicate host for " + h.principal +
                              " (first on line " + std::to_string(o.line) +
                              ")");
      return false;
    }
    // Each node listens on its address: two principals cannot share one.
    // (The entry is kept, so that no "no host for R1" follows the error.)
    if (sameAddress(o.endpoint, h.endpoint)) {
      sc.errorAt(addrCol, "address " + h.endpoint.host + ":" +
                              std::to_string(h.endpoint.port) + " of " +
                              h.principal + " is already " + o.principal +
                              "'s (line " + std::to_string(o.line) + ")");
      out.hosts.push_back(std::move(h));
      return false;
    }
  }
  out.hosts.push_back(std::move(h));
  return true;
}

std::string stripComment(const std::string &line) {
  size_t hash = line.find('#');
  size_t slashes = line.find("//");
  size_t cut = std::min(hash, slashes);
  std::string s = cut == std::string::npos ? line : line.substr(0, cut);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.pop_back();
  return s;
}

} // namespace

bool principalMatches(const std::string &pat, const std::string &name) {
  if (pat == "*")
    return true;
  if (!pat.empty() && pat.back() == '*')
    return name.compare(0, pat.size() - 1, pat, 0, pat.size() - 1) == 0;
  return pat == name;
}

const HostEntry *DeployConfig::host(const std::string &principal) const {
  for (const auto &h : hosts)
    if (h.principal == principal)
      return &h;
  return nullptr;
}

bool parseDeploy(const std::string &text, DeployConfig &out,
                 std::vector<DeployError> &errors) {
  size_t before = errors.size();
  Section sec = Section::None;
  std::vector<DeployRule> *rules = nullptr;
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  while (std::getline(in, raw)) {
    ++lineNo;
    std::string line = stripComment(raw);
    LineScanner sc{line, 0, lineNo, errors};
    if (sc.atEnd())
      continue;
    if (line[sc.i] == '[') {
      size_t close = line.find(']', sc.i);
      std::string name = close == std::string::npos
                             ? ""
                             : line.substr(sc.i + 1, close - sc.i - 1);
      if (close == std::string::npos) {
        sc.error("expected ']'");
        continue;
      }
      if (name == "Hosts")
        sec = Section::Hosts, rules = nullptr;
      else if (name == "Authentication")
        sec = Section::Authentication, rules = &out.authentication;
      else if (name == "Non-repudiation")
        sec = Section::NonRepudiation, rules = &out.nonRepudiation;
      else if (name == "Dissemination")
        sec = Section::Dissemination, rules = &out.dissemination;
      else {
        ++sc.i;
        sc.error("unknown section '" + name + "'");
        sec = Section::None, rules = nullptr;
        continue;
      }
      sc.i = close + 1;
      if (!sc.atEnd())
        sc.error("unexpected text after the section header");
      continue;
    }
    if (sec == Section::None) {
      sc.error("expected a section header such as [Hosts]");
      continue;
    }
    if (sec == Section::Hosts) {
      parseHost(sc, out);
      continue;
    }
    if (line[sc.i] == ':') { // continuation of the previous rule
      ++sc.i;
      if (rules->empty()) {
        sc.error("continuation line without a rule");
        continue;
      }
      parseModules(sec, sc, rules->back().modules);
      continue;
    }
    DeployRule r;
    r.line = lineNo;
    if (!parsePatterns(sc, r.from))
      continue;
    if (sc.eat("<->"))
      r.bidirectional = true;
    else if (!sc.eat("->")) {
      sc.error("expected '->' or '<->'");
      continue;
    }
    if (!parsePatterns(sc, r.to))
      continue;
    if (sc.eat(":")) {
      if (!parseModules(sec, sc, r.modules))
        continue;
    } else if (!sc.atEnd()) {
      sc.error("expected ':' and a module");
      continue;
    }
    rules->push_back(std::move(r));
  }
  for (auto *rs :
       {&out.authentication, &out.nonRepudiation, &out.dissemination})
    for (const auto &r : *rs)
      if (r.modules.empty())
        errors.push_back(DeployError{r.line, 1, "rule has no module"});
  return errors.size() == before;
}

bool loadDeployFile(const std::string &path, DeployConfig &out,
                    std::vector<DeployError> &errors) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    errors.push_back(
        DeployError{0, 0, "cannot read deploy file '" + path + "'"});
    return false;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return parseDeploy(ss.str(), out, errors);
}

} // namespace mommie::rt
