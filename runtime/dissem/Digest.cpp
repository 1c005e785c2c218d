// DIGEST references: cut, fetch, splice (see Digest.h).
#include "runtime/dissem/Digest.h"

#include "runtime/auth/Deploy.h"
#include "runtime/pool/Statement.h"

#include <algorithm>

namespace mommie::rt {

namespace {

// The reference module of issuer `a` -> receiver `b`: true for DIGEST.
bool digestRule(const DeployConfig &conf, const std::string &a,
                const std::string &b) {
  bool on = false;
  auto has = [](const std::vector<std::string> &pats, const std::string &n) {
    for (const auto &p : pats)
      if (principalMatches(p, n))
        return true;
    return false;
  };
  for (const auto &r : conf.dissemination) {
    if (!((has(r.from, a) && has(r.to, b)) ||
          (r.bidirectional && has(r.from, b) && has(r.to, a))))
      continue;
    for (const auto &m : r.modules)
      if (m.name == "DIGEST")
        on = true;
      else if (m.name == "NEST")
        on = false;
  }
  return on;
}

crypto::Sha256 hashOf(const std::string &bytes) {
  return crypto::sha256(reinterpret_cast<const uint8_t *>(bytes.data()),
                        bytes.size());
}

} // namespace

bool DigestLink::anyDigest(const DeployConfig &conf,
                           const std::vector<std::string> &names, int me) {
  for (size_t q = 0; q < names.size(); ++q)
    if (int(q) != me && (digestRule(conf, names[size_t(me)], names[q]) ||
                         digestRule(conf, names[q], names[size_t(me)])))
      return true;
  return false;
}

DigestLink::DigestLink(const DeployConfig &conf,
                       const std::vector<std::string> &names, int me,
                       SendFn send, OpenFn open, RejectFn reject)
    : send_(std::move(send)), open_(std::move(open)),
      reject_(std::move(reject)) {
  for (size_t q = 0; q < names.size(); ++q)
    out_.push_back(int(q) != me &&
                   digestRule(conf, names[size_t(me)], names[q]));
  held_.resize(names.size());
  asked_.resize(names.size());
}

void DigestLink::store(const Key &k, std::string bytes) {
  if (known_.count(k))
    return;
  while (known_.size() >= MaxKnown && !order_.empty()) {
    Key old = order_.front();
    order_.pop_front();
    if (!mine_.count(old))
      known_.erase(old);
  }
  known_.emplace(k, std::move(bytes));
  order_.push_back(k);
}

void DigestLink::remember(const Value &msg) {
  if (msg.kind() != Kind::Record)
    return;
  std::string enc = msg.encoded();
  if (enc.size() >= MinCut) {
    Key k = hashOf(enc);
    store(k, std::move(enc));
  }
  for (const auto &f : msg.elems())
    if (f.kind() == Kind::Record) {
      std::string fe = f.encoded();
      if (fe.size() >= MinCut) {
        Key k = hashOf(fe);
        store(k, std::move(fe));
      }
    }
}

std::vector<uint8_t>
DigestLink::compress(int peer, std::vector<uint8_t> frame,
                     const std::vector<const Statement *> &ss) {
  if (peer < 0 || size_t(peer) >= out_.size() || !out_[size_t(peer)])
    return frame;
  struct Cut {
    size_t offset;
    size_t len;
    Key key;
  };
  std::vector<Cut> cuts;
  size_t cursor = 1; // past the frame type
  for (const Statement *s : ss) {
    if (s->msg.kind() != Kind::Record)
      continue;
    for (const auto &f : s->msg.elems()) {
      if (f.kind() != Kind::Record || cuts.size() >= MaxRefs)
        continue;
      std::string enc = f.encoded();
      if (enc.size() < MinCut)
        continue;
      const auto *eb = reinterpret_cast<const uint8_t *>(enc.data());
      auto at = std::search(frame.begin() + long(cursor), frame.end(), eb,
                            eb + enc.size());
      if (at == frame.end())
        continue;
      Key k = hashOf(enc);
      size_t off = size_t(at - frame.begin());
      cuts.push_back({off, enc.size(), k});
      cursor = off + enc.size();
      if (!known_.count(k) || !mine_.count(k)) {
        known_.erase(k);
        known_.emplace(k, std::move(enc));
        mine_.insert(k); // kept: the receiver may fetch it
      }
    }
  }
  if (cuts.empty())
    return frame;
  Writer w;
  w.u8(FrameDigest);
  w.varint(cuts.size());
  for (const auto &c : cuts) {
    w.varint(c.offset);
    w.bytes(c.key.data(), c.key.size());
  }
  size_t pos = 0;
  for (const auto &c : cuts) {
    w.bytes(frame.data() + pos, c.offset - pos);
    pos = c.offset + c.len;
    ++c_.cut;
    c_.cutBytes += c.len;
  }
  w.bytes(frame.data() + pos, frame.size() - pos);
  ++c_.digestFrames;
  return std::move(w.buffer());
}

bool DigestLink::splice(const uint8_t *data, size_t size,
                        std::vector<uint8_t> &out, std::vector<Key> &missing,
                        bool &malformed) const {
  malformed = false;
  Reader r(data, size);
  r.u8();
  size_t n = r.length(MaxRefs, 1 + crypto::Sha256Bytes);
  std::vector<std::pair<uint64_t, Key>> refs(n);
  for (auto &[off, k] : refs) {
    off = r.varint();
    r.raw(k.data(), k.size());
  }
  if (!r.ok() || n == 0) {
    malformed = true;
    return false;
  }
  for (const auto &ref : refs)
    if (!known_.count(ref.second))
      missing.push_back(ref.second);
  if (!missing.empty())
    return false;
  const uint8_t *rest = data + (size - r.remaining());
  size_t restSize = r.remaining(), pos = 0;
  out.clear();
  for (const auto &[off, k] : refs) {
    if (off < out.size() || off - out.size() > restSize - pos) {
      malformed = true;
      return false;
    }
    size_t take = size_t(off) - out.size();
    out.insert(out.end(), rest + pos, rest + pos + take);
    pos += take;
    const std::string &b = known_.at(k);
    out.insert(out.end(), b.begin(), b.end());
    if (out.size() > (size_t(1) << 20)) {
      malformed = true;
      return false;
    }
  }
  out.insert(out.end(), rest + pos, rest + restSize);
  return true;
}

bool DigestLink::intercept(int peer, const uint8_t *data, size_t size) {
  if (size == 0 || peer < 0 || size_t(peer) >= held_.size())
    return false;
  uint8_t type = data[0];
  if (type == FrameFetch) {
    onFetch(peer, data, size);
    return true;
  }
  if (type == FrameAnswer) {
    onAnswer(peer, data, size);
    return true;
  }
  auto &q = held_[size_t(peer)];
  if (!q.empty()) { // keep the peer's frames in order behind a held one
    if (q.size() >= MaxHeld) {
      reject_(Reject::PeerQuota, "too many frames held for references");
      return true;
    }
    q.push_back({std::vector<uint8_t>(data, data + size)});
    ++c_.held;
    return true;
  }
  if (type != FrameDigest)
    return false;
  std::vector<uint8_t> full;
  std::vector<Key> missing;
  bool malformed = false;
  if (splice(data, size, full, missing, malformed)) {
    ++c_.resolvedLocally;
    open_(peer, full.data(), full.size());
    return true;
  }
  if (malformed) {
    reject_(Reject::BadFrame, "malformed digest frame");
    return true;
  }
  q.push_back({std::vector<uint8_t>(data, data + size)});
  ++c_.held;
  Writer w;
  w.u8(FrameFetch);
  std::vector<Key> ask;
  for (const auto &k : missing)
    if (asked_[size_t(peer)].insert(k).second)
      ask.push_back(k);
  if (ask.empty())
    return true;
  w.varint(ask.size());
  for (const auto &k : ask)
    w.bytes(k.data(), k.size());
  ++c_.fetches;
  send_(peer, w.buffer());
  return true;
}

void DigestLink::onFetch(int peer, const uint8_t *data, size_t size) {
  Reader r(data, size);
  r.u8();
  size_t n = r.length(MaxRefs, crypto::Sha256Bytes);
  Writer w;
  w.u8(FrameAnswer);
  std::vector<const std::string *> found;
  for (size_t i = 0; i < n && r.ok(); ++i) {
    Key k;
    if (!r.raw(k.data(), k.size()))
      break;
    auto it = known_.find(k);
    if (it != known_.end() && mine_.count(k)) // only what this node referenced
      found.push_back(&it->second);
  }
  if (!r.ok() || !r.atEnd()) {
    reject_(Reject::BadFrame, "malformed fetch");
    return;
  }
  if (found.empty())
    return;
  w.varint(found.size());
  for (const auto *b : found)
    w.str(*b);
  c_.answered += found.size();
  send_(peer, w.buffer());
}

void DigestLink::onAnswer(int peer, const uint8_t *data, size_t size) {
  Reader r(data, size);
  r.u8();
  size_t n = r.length(MaxRefs, 1);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    std::string b = r.str(size_t(1) << 20);
    if (!r.ok())
      break;
    Key k = hashOf(b);
    if (!asked_[size_t(peer)].erase(k)) {
      reject_(Reject::BadDigest, "answer matches no outstanding digest");
      continue;
    }
    ++c_.fetched;
    store(k, std::move(b));
  }
  if (!r.ok() || !r.atEnd())
    reject_(Reject::BadFrame, "malformed answer");
  release(peer);
}

// Opens the peer's held frames, in order, while their digests resolve.
void DigestLink::release(int peer) {
  auto &q = held_[size_t(peer)];
  while (!q.empty()) {
    Held h = std::move(q.front());
    if (h.frame[0] != FrameDigest) {
      q.pop_front();
      open_(peer, h.frame.data(), h.frame.size());
      continue;
    }
    std::vector<uint8_t> full;
    std::vector<Key> missing;
    bool malformed = false;
    if (!splice(h.frame.data(), h.frame.size(), full, missing, malformed) &&
        !malformed) {
      q.front() = std::move(h);
      // Still missing: ask again only for what is not outstanding (a peer
      // that cannot answer leaves the frame held; the bound applies).
      std::vector<Key> ask;
      for (const auto &k : missing)
        if (asked_[size_t(peer)].insert(k).second)
          ask.push_back(k);
      if (!ask.empty()) {
        Writer w;
        w.u8(FrameFetch);
        w.varint(ask.size());
        for (const auto &k : ask)
          w.bytes(k.data(), k.size());
        ++c_.fetches;
        send_(peer, w.buffer());
      }
      return;
    }
    q.pop_front();
    if (malformed)
      reject_(Reject::BadFrame, "malformed digest frame");
    else
      open_(peer, full.data(), full.size());
  }
}

std::string DigestLink::statsJson() const {
  return "{\"digest_frames\":" + std::to_string(c_.digestFrames) +
         ",\"cut\":" + std::to_string(c_.cut) +
         ",\"cut_bytes\":" + std::to_string(c_.cutBytes) +
         ",\"resolved_locally\":" + std::to_string(c_.resolvedLocally) +
         ",\"fetches\":" + std::to_string(c_.fetches) +
         ",\"fetched\":" + std::to_string(c_.fetched) +
         ",\"answered\":" + std::to_string(c_.answered) +
         ",\"held\":" + std::to_string(c_.held) + "}";
}

} // namespace mommie::rt
