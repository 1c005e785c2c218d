// Value ordering, set algebra, canonicalization, serialization, printing.
#include "checker/Value.h"

#include "ir/IR.h"

#include <algorithm>

namespace mommie::checker {

int compare(const Value &a, const Value &b) {
  if (a.kind != b.kind)
    return a.kind < b.kind ? -1 : 1;
  if (a.num != b.num)
    return a.num < b.num ? -1 : 1;
  size_t n = std::min(a.elems.size(), b.elems.size());
  for (size_t i = 0; i < n; ++i)
    if (int c = compare(a.elems[i], b.elems[i]))
      return c;
  if (a.elems.size() != b.elems.size())
    return a.elems.size() < b.elems.size() ? -1 : 1;
  return 0;
}

Value Value::setOf(std::vector<Value> elems) {
  std::sort(elems.begin(), elems.end());
  elems.erase(std::unique(elems.begin(), elems.end()), elems.end());
  Value r{Kind::Set, 0, {}};
  r.elems = std::move(elems);
  return r;
}

bool Value::contains(const Value &v) const {
  return std::binary_search(elems.begin(), elems.end(), v);
}

bool Value::insert(Value v) {
  auto it = std::lower_bound(elems.begin(), elems.end(), v);
  if (it != elems.end() && *it == v)
    return false;
  elems.insert(it, std::move(v));
  return true;
}

const Value *Value::lookup(const Value &key) const {
  size_t lo = 0, hi = elems.size() / 2;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = compare(elems[2 * mid], key);
    if (c == 0)
      return &elems[2 * mid + 1];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return nullptr;
}

Value *Value::lookupMut(const Value &key) {
  return const_cast<Value *>(static_cast<const Value *>(this)->lookup(key));
}

Value setUnion(const Value &a, const Value &b) {
  Value r = Value::emptySet();
  r.elems.reserve(a.elems.size() + b.elems.size());
  std::set_union(a.elems.begin(), a.elems.end(), b.elems.begin(), b.elems.end(),
                 std::back_inserter(r.elems));
  return r;
}

Value setInter(const Value &a, const Value &b) {
  Value r = Value::emptySet();
  std::set_intersection(a.elems.begin(), a.elems.end(), b.elems.begin(),
                        b.elems.end(), std::back_inserter(r.elems));
  return r;
}

Value setDiff(const Value &a, const Value &b) {
  Value r = Value::emptySet();
  std::set_difference(a.elems.begin(), a.elems.end(), b.elems.begin(),
                      b.elems.end(), std::back_inserter(r.elems));
  return r;
}

bool setSubsetEq(const Value &a, const Value &b) {
  return std::includes(b.elems.begin(), b.elems.end(), a.elems.begin(),
                       a.elems.end());
}

void canonicalize(Value &v) {
  for (auto &e : v.elems)
    canonicalize(e);
  if (v.kind == Value::Kind::Set) {
    std::sort(v.elems.begin(), v.elems.end());
    v.elems.erase(std::unique(v.elems.begin(), v.elems.end()), v.elems.end());
  } else if (v.kind == Value::Kind::Map) {
    size_t n = v.elems.size() / 2;
    std::vector<size_t> idx(n);
    for (size_t i = 0; i < n; ++i)
      idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
      return v.elems[2 * x] < v.elems[2 * y];
    });
    std::vector<Value> out;
    out.reserve(v.elems.size());
    for (size_t i : idx) {
      out.push_back(std::move(v.elems[2 * i]));
      out.push_back(std::move(v.elems[2 * i + 1]));
    }
    v.elems = std::move(out);
  }
}

void putVarint(std::string &out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(char(v | 0x80));
    v >>= 7;
  }
  out.push_back(char(v));
}

bool getVarint(const std::string &in, size_t &pos, uint64_t &v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size())
      return false;
    uint8_t b = uint8_t(in[pos++]);
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80))
      return true;
  }
  return false;
}

static uint64_t zigzag(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
static int64_t unzigzag(uint64_t v) { return int64_t(v >> 1) ^ -int64_t(v & 1); }

// Layout: one tag byte (kind), then a payload depending on the kind.
void encodeValue(const Value &v, std::string &out) {
  out.push_back(char(v.kind));
  switch (v.kind) {
  case Value::Kind::Int:
  case Value::Kind::Principal:
    putVarint(out, zigzag(v.num));
    return;
  case Value::Kind::Bool:
    out.push_back(char(v.num));
    return;
  case Value::Kind::None:
    return;
  case Value::Kind::Some:
    encodeValue(v.elems[0], out);
    return;
  case Value::Kind::Record:
    putVarint(out, uint64_t(v.num));
    [[fallthrough]];
  default:
    putVarint(out, v.elems.size());
    for (const auto &e : v.elems)
      encodeValue(e, out);
  }
}

bool decodeValue(const std::string &in, size_t &pos, Value &out) {
  if (pos >= in.size())
    return false;
  uint8_t tag = uint8_t(in[pos++]);
  if (tag > uint8_t(Value::Kind::Map))
    return false;
  out.kind = Value::Kind(tag);
  out.num = 0;
  out.elems.clear();
  uint64_t x = 0;
  switch (out.kind) {
  case Value::Kind::Int:
  case Value::Kind::Principal:
    if (!getVarint(in, pos, x))
      return false;
    out.num = unzigzag(x);
    return true;
  case Value::Kind::Bool:
    if (pos >= in.size())
      return false;
    out.num = uint8_t(in[pos++]);
    return true;
  case Value::Kind::None:
    return true;
  case Value::Kind::Some:
    out.elems.resize(1);
    return decodeValue(in, pos, out.elems[0]);
  case Value::Kind::Record:
    if (!getVarint(in, pos, x))
      return false;
    out.num = int64_t(x);
    [[fallthrough]];
  default:
    if (!getVarint(in, pos, x) || x > in.size())
      return false;
    out.elems.resize(x);
    for (auto &e : out.elems)
      if (!decodeValue(in, pos, e))
        return false;
    return true;
  }
}

static std::string principalName(const ir::Program &p, int64_t id) {
  for (const auto &s : p.principalSets)
    if (id >= s.first && id < s.first + s.size)
      return s.name + std::to_string(id - s.first);
  return "P" + std::to_string(id);
}

std::string showValue(const ir::Program &program, const Value &v) {
  auto list = [&](const std::vector<Value> &es, size_t from = 0) {
    std::string s;
    for (size_t i = from; i < es.size(); ++i) {
      if (i > from)
        s += ", ";
      s += showValue(program, es[i]);
    }
    return s;
  };
  switch (v.kind) {
  case Value::Kind::Int:
    return std::to_string(v.num);
  case Value::Kind::Bool:
    return v.num ? "true" : "false";
  case Value::Kind::Principal:
    return principalName(program, v.num);
  case Value::Kind::None:
    return "none";
  case Value::Kind::Some:
    return "some(" + showValue(program, v.elems[0]) + ")";
  case Value::Kind::Record: {
    std::string s;
    const ir::RecordDecl *rec = v.num >= 0 && size_t(v.num) < program.records.size()
                                    ? &program.records[v.num]
                                    : nullptr;
    s = rec ? rec->name : "record";
    s += "{";
    for (size_t i = 0; i < v.elems.size(); ++i) {
      if (i)
        s += ", ";
      if (rec && i < rec->fields.size())
        s += rec->fields[i].name + ": ";
      s += showValue(program, v.elems[i]);
    }
    return s + "}";
  }
  case Value::Kind::Tuple:
    return "(" + list(v.elems) + ")";
  case Value::Kind::Seq:
    return "<<" + list(v.elems) + ">>";
  case Value::Kind::Set:
    return "{" + list(v.elems) + "}";
  case Value::Kind::Map: {
    std::string s = "[";
    for (size_t i = 0; i + 1 < v.elems.size(); i += 2) {
      if (i)
        s += ", ";
      s += showValue(program, v.elems[i]) + " |-> " +
           showValue(program, v.elems[i + 1]);
    }
    return s + "]";
  }
  }
  return "?";
}

} // namespace mommie::checker
