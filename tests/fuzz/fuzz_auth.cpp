// libFuzzer target: frame decoding + authentication. For each deployment
// (PLAINTEXT, HMAC_SHA256, ED25519, mixed) the input, taken as a frame from
// each peer, must never crash, hang or authenticate unless it is a genuine
// frame; and whatever decodes as a statement of R0, sealed by R0 for R1,
// must open at R1 to the same statement exactly once (a second open is a
// replay), also as a batch frame. Round (opaque, type 4) and forwardable
// (type 5) frames: a made-up one never authenticates under a keyed module,
// a sealed one opens to the same bytes / statement. DIGEST frames (6, 7, 8,
// runtime/dissem/Digest.h) fed to a receiver never crash; a frame it opens
// (spliced) is only ever one the fuzzer could have sent unreferenced, and a
// DIGEST-compressed sealed frame splices back to exactly the sealed frame.
// TTP(z) (types 9, 10): a made-up request never passes z's MAC check, a
// made-up countersigned frame never verifies; R0's statement sealed for T0
// is countersigned and opens at every verifier it is relayed to, and a
// replayed request is rejected. Keys are generated once per process.
#include "runtime/auth/Auth.h"
#include "runtime/dissem/Digest.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace mommie::rt;

namespace {

const std::vector<std::string> PNames = {"R0", "R1", "C0"};

struct Deployment {
  DeployConfig conf;
  std::map<std::string, KeyStore> keys;
  explicit Deployment(const std::string &rules) {
    std::vector<DeployError> errors;
    if (!parseDeploy(
            "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\nC0 = 127.0.0.1:3\n" +
                rules,
            conf, errors))
      std::abort();
    std::vector<std::string> names = PNames; // then the TTP principals
    for (const auto &z : ttpPrincipals(conf, PNames))
      names.push_back(z);
    keys = generateKeys(conf, names);
  }
};

std::vector<std::unique_ptr<Deployment>> &deployments() {
  static std::vector<std::unique_ptr<Deployment>> d = [] {
    std::vector<std::unique_ptr<Deployment>> v;
    for (const char *rules :
         {"", "[Authentication]\n* <-> * : HMAC_SHA256\n",
          "[Authentication]\n* <-> * : ED25519\n",
          "[Authentication]\nR* <-> R* : HMAC_SHA256\nC* <-> R* : ED25519\n"
          "[Non-repudiation]\nR* -> * : ED25519\n[Dissemination]\nR0 -> R1 : "
          "BATCH(8)\n",
          "[Authentication]\n* <-> * : ED25519\n[Dissemination]\n* -> * : "
          "DIGEST\n",
          "[Authentication]\n* <-> * : HMAC_SHA256\nR* -> * : TTP(T0)\n"
          "[Non-repudiation]\nC* -> * : TTP(T0)\n"})
      v.push_back(std::make_unique<Deployment>(rules));
    return v;
  }();
  return d;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (auto &d : deployments()) {
    Authenticator r1(d->conf, PNames, 1, d->keys["R1"]);
    for (int peer = -1; peer <= 3; ++peer) {
      std::vector<Statement> ss;
      Reject why;
      // Single and batch frames. Only PLAINTEXT can accept a frame the
      // fuzzer made up (it has no MAC to forge); a keyed module accepting
      // one is a forgery.
      if (r1.openAny(peer, data, size, ss, why)) {
        for (const auto &s : ss)
          if (r1.carrier(s.issuer, 1, s.auditors) != AuthKind::Plaintext)
            std::abort();
      } else if (!ss.empty()) {
        std::abort(); // nothing of a rejected frame is delivered
      }
    }
    // Opaque round frames (type 4) and forwardable frames (type 5).
    for (int peer = -1; peer <= 3; ++peer) {
      const uint8_t *inner = nullptr;
      size_t innerSize = 0;
      Reject why;
      if (r1.openFrame(peer, data, size, inner, innerSize, why)) {
        if (r1.pairModule(peer, 1) != AuthKind::Plaintext)
          std::abort(); // a made-up frame authenticated by a keyed module
        if (inner < data || inner + innerSize > data + size)
          std::abort();
      }
      Statement fs;
      bool relay = false;
      if (r1.openForwardable(peer, data, size, fs, relay, why))
        std::abort(); // only ED25519 carries forwardable frames: a forgery
    }
    // TTP frames: nothing made up authenticates, at z or at a verifier.
    {
      bool hasTtp = !ttpPrincipals(d->conf, PNames).empty();
      std::unique_ptr<Authenticator> t0;
      if (hasTtp)
        t0 = std::make_unique<Authenticator>(d->conf, PNames, 3, d->keys["T0"]);
      for (int peer = -1; peer <= 4; ++peer) {
        Statement ts;
        std::vector<int> to;
        Reject why;
        if (r1.openCountersigned(peer, data, size, ts, why))
          std::abort(); // a forged countersignature
        if (t0 && t0->openTtpRequest(peer, data, size, ts, to, why))
          std::abort(); // a forged request MAC
        if (r1.openTtpRequest(peer, data, size, ts, to, why))
          std::abort(); // only z opens requests
      }
    }
    // DIGEST frames at a receiver: held, fetched, answered, never crash.
    {
      size_t opened = 0;
      DigestLink link(
          d->conf, PNames, 1,
          [](int, const std::vector<uint8_t> &f) {
            if (f.empty())
              std::abort();
          },
          [&](int, const uint8_t *, size_t n) {
            if (n > (size_t(1) << 20) + size)
              std::abort();
            ++opened;
          },
          [](Reject, const char *) {});
      for (int peer = 0; peer < 3; ++peer)
        if (peer != 1) {
          link.intercept(peer, data, size);
          link.intercept(peer, data, size);
        }
      (void)opened;
    }
    // Round trip of an opaque frame and of whatever decodes as R0's statement.
    {
      Authenticator r0(d->conf, PNames, 0, d->keys["R0"]);
      Authenticator fresh(d->conf, PNames, 1, d->keys["R1"]);
      std::vector<uint8_t> innerFrame(data, data + size);
      auto f = r0.sealFrame(innerFrame, 1);
      const uint8_t *inner = nullptr;
      size_t innerSize = 0;
      Reject why;
      // Round frames are never empty and never start with the opaque type
      // (under PLAINTEXT they travel unwrapped).
      bool roundLike = size > 0 && data[0] != Authenticator::FrameAuthOpaque;
      if (roundLike && !f.empty() &&
          (!fresh.openFrame(0, f.data(), f.size(), inner, innerSize, why) ||
           std::vector<uint8_t>(inner, inner + innerSize) != innerFrame))
        std::abort();
    }
    Reader rd(data, size);
    Statement s;
    if (Statement::decode(rd, s) && s.issuer == 0) {
      bool known = true;
      for (const auto &a : s.auditors.elems())
        known = known && a.asPrincipal() < 3;
      if (!known)
        continue;
      Authenticator r0(d->conf, PNames, 0, d->keys["R0"]);
      Authenticator fresh(d->conf, PNames, 1, d->keys["R1"]);
      // TTP(z): R0's request to z, countersigned once, opens at every
      // verifier it is relayed to; the same request again is a replay.
      int z = -1;
      bool principals = true;
      for (const auto &v : s.verifiers.elems()) {
        principals = principals && v.asPrincipal() >= 0 && v.asPrincipal() < 3;
        if (principals && v.asPrincipal() != 0 && z < 0)
          z = r0.ttpFor(0, v.asPrincipal(), s.auditors);
      }
      for (const auto &a : s.auditors.elems())
        principals = principals && a.asPrincipal() >= 0;
      if (z >= 0 && principals) {
        Authenticator t0(d->conf, PNames, z, d->keys["T0"]);
        auto req = r0.sealTtpRequest(s, z);
        Statement at;
        std::vector<int> to;
        Reject why;
        if (req.empty() ||
            !t0.openTtpRequest(0, req.data(), req.size(), at, to, why) ||
            !(at == s) || to.empty())
          std::abort();
        auto cs = t0.sealCountersigned(at);
        for (int v : to) {
          Authenticator rv(d->conf, PNames, v, d->keys[PNames[size_t(v)]]);
          Statement back;
          if (!rv.openCountersigned(z, cs.data(), cs.size(), back, why) ||
              !(back == s))
            std::abort();
        }
        if (t0.openTtpRequest(0, req.data(), req.size(), at, to, why) ||
            why != Reject::Replay)
          std::abort();
      }
      auto f = r0.seal(s, 1);
      if (f.empty())
        continue; // R0 has no key for this carrier (or it goes through a TTP)
      Statement back;
      Reject why;
      if (!fresh.open(0, f.data(), f.size(), back, why) || !(back == s))
        std::abort();
      if (fresh.open(0, f.data(), f.size(), back, why) || why != Reject::Replay)
        std::abort();
      // DIGEST: compressed and spliced back to exactly the sealed frame.
      {
        std::vector<std::vector<uint8_t>> got;
        DigestLink a(
            d->conf, PNames, 0, [](int, const std::vector<uint8_t> &) {},
            [](int, const uint8_t *, size_t) {}, [](Reject, const char *) {});
        DigestLink b(
            d->conf, PNames, 1, [](int, const std::vector<uint8_t> &) {},
            [&](int, const uint8_t *p, size_t n) {
              got.emplace_back(p, p + n);
            },
            [](Reject, const char *) { std::abort(); });
        b.remember(s.msg);
        auto c = a.compress(1, f, {&s});
        if (c != f) {
          if (!b.intercept(0, c.data(), c.size()) || got.size() != 1 ||
              got[0] != f)
            std::abort();
        }
      }
      // As a batch of three copies.
      auto bf = r0.sealBatch({s, s, s}, 1);
      std::vector<Statement> bs;
      if (bf.empty() || !fresh.openAny(0, bf.data(), bf.size(), bs, why) ||
          bs.size() != 3 || !(bs[2] == s))
        std::abort();
    }
  }
  return 0;
}
