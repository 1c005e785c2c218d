// Key files (see Keys.h).
#include "runtime/auth/Keys.h"

#include "runtime/auth/AuthModules.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace mommie::rt {

std::string KeyStore::serialize() const {
  std::string s = "# mommie keys of " + principal +
                  " (keep private)\nprincipal " + principal + "\n";
  for (const auto &[peer, k] : hmac)
    s += "hmac " + peer + " " + crypto::toHex(k.data(), k.size()) + "\n";
  if (edSecret)
    s += "ed25519-secret " + crypto::toHex(edSecret->data(), edSecret->size()) +
         "\n";
  for (const auto &[p, k] : edPublic)
    s += "ed25519-public " + p + " " + crypto::toHex(k.data(), k.size()) + "\n";
  return s;
}

bool KeyStore::parse(const std::string &text, KeyStore &out,
                     std::string &error) {
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream ls(line);
    std::string kw, a, b, extra;
    ls >> kw >> a >> b >> extra;
    auto bad = [&](const std::string &why) {
      error = "line " + std::to_string(n) + ": " + why;
      return false;
    };
    if (!extra.empty())
      return bad("trailing text");
    if (kw == "principal" && !a.empty() && b.empty()) {
      out.principal = a;
    } else if (kw == "hmac" && !b.empty()) {
      crypto::HmacKey k;
      if (!crypto::fromHex(b, k.data(), k.size()))
        return bad("bad hmac key for " + a);
      out.hmac[a] = k;
    } else if (kw == "ed25519-secret" && !a.empty() && b.empty()) {
      crypto::EdSecret k;
      if (!crypto::fromHex(a, k.data(), k.size()))
        return bad("bad ed25519 secret key");
      out.edSecret = k;
    } else if (kw == "ed25519-public" && !b.empty()) {
      crypto::EdPublic k;
      if (!crypto::fromHex(b, k.data(), k.size()))
        return bad("bad ed25519 public key for " + a);
      out.edPublic[a] = k;
    } else {
      return bad("unknown entry '" + kw + "'");
    }
  }
  if (out.principal.empty()) {
    error = "no 'principal' line";
    return false;
  }
  return true;
}

bool KeyStore::load(const std::string &dir, const std::string &principalName,
                    KeyStore &out, std::string &error) {
  // A copy: callers may pass out.principal itself, which parse() overwrites.
  const std::string principal = principalName;
  std::string path = dir + "/" + principal + ".key";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    close(fd);
    error = path + " is readable by others (want mode 0600)";
    return false;
  }
  std::string text;
  char buf[4096];
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0 && text.size() < (1u << 20))
    text.append(buf, size_t(r));
  close(fd);
  out.principal.clear(); // the file must say whose keys it holds
  if (!parse(text, out, error)) {
    error = path + ": " + error;
    return false;
  }
  if (out.principal.empty()) {
    error = path + ": no 'principal' line";
    return false;
  }
  if (out.principal != principal) {
    error = path + ": keys of " + out.principal + ", not " + principal;
    return false;
  }
  return true;
}

std::map<std::string, KeyStore>
generateKeys(const DeployConfig &conf,
             const std::vector<std::string> &principals) {
  crypto::init();
  std::map<std::string, KeyStore> out;
  for (const auto &p : principals)
    out[p].principal = p;
  auto uses = [&](const std::vector<DeployRule> &rules, AuthKind k,
                  const std::string &a, const std::string &b) {
    for (const auto &r : rules)
      for (const auto &m : r.modules) {
        const AuthModuleInfo *info = findAuthModule(m.name);
        if (!info || info->kind != k)
          continue;
        auto has = [](const std::vector<std::string> &pats,
                      const std::string &n) {
          for (const auto &pat : pats)
            if (principalMatches(pat, n))
              return true;
          return false;
        };
        if ((has(r.from, a) && has(r.to, b)) ||
            (r.bidirectional && has(r.from, b) && has(r.to, a)))
          return true;
      }
    return false;
  };
  std::map<std::string, crypto::EdPublic> pub;
  for (size_t i = 0; i < principals.size(); ++i) {
    const auto &a = principals[i];
    bool signs = false;
    for (size_t j = 0; j < principals.size(); ++j) {
      const auto &b = principals[j];
      signs = signs || uses(conf.authentication, AuthKind::Ed25519, a, b) ||
              uses(conf.nonRepudiation, AuthKind::Ed25519, a, b);
      if (j > i && (uses(conf.authentication, AuthKind::HmacSha256, a, b) ||
                    uses(conf.authentication, AuthKind::HmacSha256, b, a) ||
                    uses(conf.nonRepudiation, AuthKind::HmacSha256, a, b) ||
                    uses(conf.nonRepudiation, AuthKind::HmacSha256, b, a))) {
        crypto::HmacKey k = crypto::newHmacKey();
        out[a].hmac[b] = k;
        out[b].hmac[a] = k;
      }
    }
    if (signs) {
      crypto::EdPublic pk;
      crypto::EdSecret sk;
      crypto::newEdKeyPair(pk, sk);
      out[a].edSecret = sk;
      pub[a] = pk;
    }
  }
  // TTP(z): an HMAC key between z and every principal issuing over the
  // rule, and z's Ed25519 key pair (its countersignatures).
  for (const auto *rules : {&conf.authentication, &conf.nonRepudiation})
    for (const auto &r : *rules)
      for (const auto &m : r.modules) {
        if (m.name != "TTP" || m.args.size() != 1 || !out.count(m.args[0]))
          continue;
        const std::string &z = m.args[0];
        if (!pub.count(z)) {
          crypto::EdPublic pk;
          crypto::EdSecret sk;
          crypto::newEdKeyPair(pk, sk);
          out[z].edSecret = sk;
          pub[z] = pk;
        }
        for (const auto &a : principals) {
          bool issues = false;
          for (const auto &pat : r.from)
            issues = issues || principalMatches(pat, a);
          for (const auto &pat : r.to)
            issues = issues || (r.bidirectional && principalMatches(pat, a));
          if (a == z || !issues || out[a].hmac.count(z))
            continue;
          crypto::HmacKey k = crypto::newHmacKey();
          out[a].hmac[z] = k;
          out[z].hmac[a] = k;
        }
      }
  for (auto &[p, ks] : out)
    ks.edPublic = pub;
  return out;
}

bool writeKeyDir(const std::string &dir,
                 const std::map<std::string, KeyStore> &stores,
                 std::string &error) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    error = "cannot create " + dir + ": " + std::strerror(errno);
    return false;
  }
  for (const auto &[p, ks] : stores) {
    std::string path = dir + "/" + p + ".key";
    unlink(path.c_str());
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      error = "cannot write " + path + ": " + std::strerror(errno);
      return false;
    }
    fchmod(fd, 0600);
    std::string text = ks.serialize();
    bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size());
    ok = close(fd) == 0 && ok;
    if (!ok) {
      error = "cannot write " + path;
      return false;
    }
  }
  return true;
}

} // namespace mommie::rt
