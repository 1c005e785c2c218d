// Dynamic values: construction, canonical order, hashing, wire encoding and
// JSON rendering (see Value.h).
#include "runtime/wire/Value.h"

#include <algorithm>
#include <atomic>

namespace mommie::rt {

const Value::Elems Value::emptyElems_;

namespace {
const char *kindName(Kind k) {
  switch (k) {
  case Kind::Bool:
    return "bool";
  case Kind::Int:
    return "int";
  case Kind::Principal:
    return "principal";
  case Kind::Option:
    return "option";
  case Kind::Record:
    return "record";
  case Kind::Tuple:
    return "tuple";
  case Kind::Seq:
    return "seq";
  case Kind::Set:
    return "set";
  case Kind::Map:
    return "map";
  }
  return "?";
}
[[noreturn]] void kindError(Kind want, Kind got) {
  throw EvalError(std::string("expected a ") + kindName(want) + ", got a " +
                  kindName(got));
}
constexpr int MaxDepth = 32;
constexpr size_t MaxElems = 1u << 20;
} // namespace

Value::Value(Kind k, int64_t i, Elems elems) : kind_(k), i_(i) {
  if (!elems.empty())
    elems_ = std::make_shared<Elems>(std::move(elems));
}

Value Value::some(Value v) {
  return Value(Kind::Option, 1, Elems{std::move(v)});
}
Value Value::record(int index, Elems fields) {
  return Value(Kind::Record, index, std::move(fields));
}
Value Value::tuple(Elems elems) {
  return Value(Kind::Tuple, 0, std::move(elems));
}
Value Value::seq(Elems elems) { return Value(Kind::Seq, 0, std::move(elems)); }

Value Value::set(Elems elems) {
  std::sort(elems.begin(), elems.end());
  elems.erase(std::unique(elems.begin(), elems.end()), elems.end());
  return Value(Kind::Set, 0, std::move(elems));
}

Value Value::map(std::vector<std::pair<Value, Value>> entries) {
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; });
  Elems flat;
  flat.reserve(entries.size() * 2);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && entries[i].first == entries[i + 1].first)
      continue; // the later entry wins
    flat.push_back(std::move(entries[i].first));
    flat.push_back(std::move(entries[i].second));
  }
  return Value(Kind::Map, 0, std::move(flat));
}

bool Value::asBool() const {
  if (kind_ != Kind::Bool)
    kindError(Kind::Bool, kind_);
  return i_ != 0;
}
int64_t Value::asInt() const {
  if (kind_ != Kind::Int)
    kindError(Kind::Int, kind_);
  return i_;
}
int Value::asPrincipal() const {
  if (kind_ != Kind::Principal)
    kindError(Kind::Principal, kind_);
  return int(i_);
}
int Value::recordIndex() const {
  if (kind_ != Kind::Record)
    kindError(Kind::Record, kind_);
  return int(i_);
}

const Value &Value::field(size_t i) const {
  const auto &e = elems();
  if (i >= e.size())
    throw EvalError("field or component index out of range");
  return e[i];
}

const Value *Value::mapFind(const Value &key) const {
  size_t i = mapIndex(key);
  return i < size() ? &elems()[2 * i + 1] : nullptr;
}

size_t Value::mapIndex(const Value &key) const {
  if (kind_ != Kind::Map)
    kindError(Kind::Map, kind_);
  const auto &e = elems();
  size_t lo = 0, hi = e.size() / 2;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = e[2 * mid].compare(key);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return e.size() / 2;
}

Value::Elems &Value::mutableElems() {
  if (!elems_) {
    elems_ = std::make_shared<Elems>();
  } else if (elems_.use_count() != 1) {
    elems_ = std::make_shared<Elems>(*elems_);
  } else {
    // The last other owner may have dropped its reference in another
    // thread: its release decrement and this fence order its reads before
    // our writes.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  return *elems_;
}

bool Value::setInsert(Value v) {
  if (kind_ != Kind::Set)
    kindError(Kind::Set, kind_);
  const auto &e = elems();
  auto it = std::lower_bound(e.begin(), e.end(), v);
  if (it != e.end() && *it == v)
    return false;
  size_t at = size_t(it - e.begin());
  auto &m = mutableElems();
  m.insert(m.begin() + long(at), std::move(v));
  return true;
}

bool Value::setErase(const Value &v) {
  if (kind_ != Kind::Set)
    kindError(Kind::Set, kind_);
  const auto &e = elems();
  auto it = std::lower_bound(e.begin(), e.end(), v);
  if (it == e.end() || *it != v)
    return false;
  size_t at = size_t(it - e.begin());
  auto &m = mutableElems();
  m.erase(m.begin() + long(at));
  return true;
}

Value *Value::mapFindMut(const Value &key) {
  size_t i = mapIndex(key);
  if (i >= size())
    return nullptr;
  return &mutableElems()[2 * i + 1];
}

void Value::mapPut(Value key, Value value) {
  size_t i = mapIndex(key);
  if (i < size()) {
    mutableElems()[2 * i + 1] = std::move(value);
    return;
  }
  const auto &e = elems();
  size_t at = 0, hi = e.size() / 2;
  while (at < hi) { // the first key greater than `key`
    size_t mid = (at + hi) / 2;
    if (e[2 * mid] < key)
      at = mid + 1;
    else
      hi = mid;
  }
  auto &m = mutableElems();
  m.insert(m.begin() + long(2 * at), {std::move(key), std::move(value)});
}

bool Value::setContains(const Value &v) const {
  if (kind_ != Kind::Set)
    kindError(Kind::Set, kind_);
  const auto &e = elems();
  return std::binary_search(e.begin(), e.end(), v);
}

int Value::compare(const Value &o) const {
  if (kind_ != o.kind_)
    return kind_ < o.kind_ ? -1 : 1;
  if (i_ != o.i_)
    return i_ < o.i_ ? -1 : 1;
  if (elems_ == o.elems_)
    return 0;
  const auto &a = elems(), &b = o.elems();
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (int c = a[i].compare(b[i]))
      return c;
  if (a.size() != b.size())
    return a.size() < b.size() ? -1 : 1;
  return 0;
}

size_t Value::hash() const {
  uint64_t h = 1469598103934665603ull ^ uint64_t(kind_);
  h = (h ^ uint64_t(i_)) * 1099511628211ull;
  for (const auto &e : elems())
    h = (h ^ e.hash()) * 1099511628211ull;
  return size_t(h ^ (h >> 29));
}

void Value::encode(Writer &w) const {
  w.u8(uint8_t(kind_));
  switch (kind_) {
  case Kind::Bool:
    w.u8(uint8_t(i_));
    return;
  case Kind::Int:
    w.svarint(i_);
    return;
  case Kind::Principal:
    w.varint(uint64_t(i_));
    return;
  case Kind::Record:
    w.varint(uint64_t(i_));
    break;
  default:
    break;
  }
  w.varint(size());
  for (const auto &e : elems())
    e.encode(w);
}

std::string Value::encoded() const {
  Writer w;
  encode(w);
  return w.toString();
}

bool Value::decode(Reader &r, Value &out, int depth) {
  if (depth > MaxDepth) {
    r.fail("value nested too deeply");
    return false;
  }
  uint8_t tag = r.u8();
  if (!r.ok())
    return false;
  Kind k = Kind(tag);
  int64_t i = 0;
  switch (k) {
  case Kind::Bool: {
    uint8_t b = r.u8();
    if (b > 1)
      r.fail("bad bool");
    out = Value(Kind::Bool, b);
    return r.ok();
  }
  case Kind::Int:
    out = Value(Kind::Int, r.svarint());
    return r.ok();
  case Kind::Principal: {
    uint64_t p = r.varint();
    if (p > 0x7fffffff)
      r.fail("bad principal");
    out = Value(Kind::Principal, int64_t(p));
    return r.ok();
  }
  case Kind::Record: {
    uint64_t idx = r.varint();
    if (idx > 0x7fffffff)
      r.fail("bad record index");
    i = int64_t(idx);
    break;
  }
  case Kind::Option:
  case Kind::Tuple:
  case Kind::Seq:
  case Kind::Set:
  case Kind::Map:
    break;
  default:
    r.fail("bad value tag");
    return false;
  }
  size_t n = r.length(MaxElems, k == Kind::Map ? 4 : 2);
  if (!r.ok())
    return false;
  if (k == Kind::Option) {
    if (n > 1) {
      r.fail("bad option");
      return false;
    }
    i = int64_t(n);
  }
  size_t count = k == Kind::Map ? 2 * n : n;
  Elems elems;
  elems.reserve(count);
  for (size_t j = 0; j < count; ++j) {
    Value e;
    if (!decode(r, e, depth + 1))
      return false;
    elems.push_back(std::move(e));
  }
  // Canonical order: sets strictly increasing, map keys strictly increasing.
  if (k == Kind::Set) {
    for (size_t j = 1; j < elems.size(); ++j)
      if (!(elems[j - 1] < elems[j])) {
        r.fail("non-canonical set");
        return false;
      }
  } else if (k == Kind::Map) {
    for (size_t j = 2; j < elems.size(); j += 2)
      if (!(elems[j - 2] < elems[j])) {
        r.fail("non-canonical map");
        return false;
      }
  }
  out = Value(k, i, std::move(elems));
  return true;
}

void appendJsonString(std::string &out, const std::string &s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20) {
        static const char *hex = "0123456789abcdef";
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += char(c);
      }
    }
  }
  out += '"';
}

void Value::appendJson(std::string &out, const Names *names) const {
  auto list = [&](const char *tag, const Elems &es) {
    out += "{\"";
    out += tag;
    out += "\":[";
    for (size_t j = 0; j < es.size(); ++j) {
      if (j)
        out += ',';
      es[j].appendJson(out, names);
    }
    out += "]}";
  };
  switch (kind_) {
  case Kind::Bool:
    out += i_ ? "true" : "false";
    return;
  case Kind::Int:
    out += std::to_string(i_);
    return;
  case Kind::Principal:
    if (names && i_ >= 0 && size_t(i_) < names->principals.size())
      appendJsonString(out, names->principals[size_t(i_)]);
    else
      appendJsonString(out, "#" + std::to_string(i_));
    return;
  case Kind::Option:
    if (i_ == 0) {
      out += "{\"$none\":true}";
    } else {
      out += "{\"$some\":";
      elems()[0].appendJson(out, names);
      out += '}';
    }
    return;
  case Kind::Record: {
    bool named = names && size_t(i_) < names->records.size();
    out += "{\"$record\":";
    appendJsonString(out, named ? names->records[size_t(i_)]
                                : "#" + std::to_string(i_));
    const auto &es = elems();
    for (size_t j = 0; j < es.size(); ++j) {
      out += ',';
      bool fieldNamed = named && j < names->fields[size_t(i_)].size();
      appendJsonString(out, fieldNamed ? names->fields[size_t(i_)][j]
                                       : "#" + std::to_string(j));
      out += ':';
      es[j].appendJson(out, names);
    }
    out += '}';
    return;
  }
  case Kind::Tuple:
    list("$tuple", elems());
    return;
  case Kind::Seq:
    list("$seq", elems());
    return;
  case Kind::Set:
    list("$set", elems());
    return;
  case Kind::Map: {
    out += "{\"$map\":[";
    const auto &es = elems();
    for (size_t j = 0; j < es.size(); j += 2) {
      if (j)
        out += ',';
      out += '[';
      es[j].appendJson(out, names);
      out += ',';
      es[j + 1].appendJson(out, names);
      out += ']';
    }
    out += "]}";
    return;
  }
  }
}

void appendJsonDelta(std::string &out, const Value &before, const Value &after,
                     const Names *names) {
  if (!before.is(Kind::Map) || !after.is(Kind::Map)) {
    after.appendJson(out, names);
    return;
  }
  std::string changed, removed;
  size_t i = 0, j = 0;
  while (i < before.size() || j < after.size()) {
    int c = i == before.size()  ? 1
            : j == after.size() ? -1
                                : before.mapKey(i).compare(after.mapKey(j));
    if (c < 0) {
      removed += removed.empty() ? "" : ",";
      before.mapKey(i++).appendJson(removed, names);
      continue;
    }
    if (c > 0 || before.mapValue(i) != after.mapValue(j)) {
      changed += changed.empty() ? "[" : ",[";
      after.mapKey(j).appendJson(changed, names);
      changed += ',';
      after.mapValue(j).appendJson(changed, names);
      changed += ']';
    }
    if (c == 0)
      ++i;
    ++j;
  }
  out += "{\"$mapDelta\":[" + changed + "],\"$removed\":[" + removed + "]}";
}

std::string Value::toJson(const Names *names) const {
  std::string s;
  appendJson(s, names);
  return s;
}

} // namespace mommie::rt
