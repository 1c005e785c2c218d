// State layout and canonical serialization.
//
// Byte layout: vars (values), timers (bits), fired sets (values), pools
// (values), known (per record and principal: a bitmap over the sorted pool
// of that record), crashed and byz (bits), phaseNo and roundNo (varints).
// Values and varints are in the wire encoding of runtime/wire (Value.h,
// Wire.h), the one canonical encoding of values.
#include "checker/State.h"

#include "runtime/wire/Ops.h"

namespace mommie::checker {

Layout::Layout(const ir::Program &program)
    : program_(&program), constantNames_(program) {
  int var = 0, timer = 0, fired = 0;
  for (size_t r = 0; r < program.roles.size(); ++r) {
    const auto &role = program.roles[r];
    const auto &set = program.principalSets[role.principalSet];
    varBase_.push_back(var);
    timerBase_.push_back(timer);
    for (int i = 0; i < set.size; ++i)
      for (size_t v = 0; v < role.vars.size(); ++v)
        varSlots_.push_back({int(r), set.first + i, int(v)});
    var += set.size * int(role.vars.size());
    timer += set.size * int(role.timers.size());
    firedBase_.emplace_back();
    for (const auto &t : role.transitions) {
      if (t.refracted()) {
        firedBase_.back().push_back(fired);
        fired += set.size;
      } else {
        firedBase_.back().push_back(-1);
      }
    }
  }
  for (const auto &ps : program.principalSets)
    setValues_.push_back(rt::ops::principalRange(ps.first, ps.size));
  for (int p = 0; p < program.numPrincipals; ++p)
    names_.principals.push_back(principalName(p));
  for (const auto &rec : program.records) {
    names_.records.push_back(rec.name);
    names_.fields.emplace_back();
    for (const auto &f : rec.fields)
      names_.fields.back().push_back(f.name);
  }
  numVars_ = size_t(var);
  numTimers_ = size_t(timer);
  numFired_ = size_t(fired);
  for (size_t i = 0; i < varSlots_.size(); ++i) {
    const VarSlot &v = varSlots_[i];
    if (program.hasModelRange(
            *program.roles[size_t(v.role)].vars[size_t(v.var)].type))
      modelVars_.push_back(varIndex(v.role, v.principal, v.var));
  }
  for (size_t r = 0; r < program.records.size(); ++r) {
    ir::Type rec;
    rec.kind = ir::TypeKind::Record;
    rec.record = int(r);
    if (program.hasModelRange(rec))
      modelRecords_.push_back(int(r));
  }
  for (const auto &f : program.faults) {
    if (f.crashes())
      hasCrash_ = true;
    else
      hasByz_ = true;
    hasRecover_ = hasRecover_ || f.kind == ir::FaultDecl::Kind::Recover;
  }
}

std::string Layout::principalName(int p) const {
  for (const auto &s : program_->principalSets)
    if (p >= s.first && p < s.first + s.size)
      return s.name + std::to_string(p - s.first);
  return "P" + std::to_string(p);
}

State Layout::emptyState() const {
  State s;
  s.vars.resize(numVars_);
  s.timers.assign(numTimers_, 0);
  s.fired.assign(numFired_, Value::emptySet());
  s.pool.assign(size_t(numRecords()), Value::emptySet());
  s.known.assign(size_t(numRecords()) * size_t(numPrincipals()),
                 Value::emptySet());
  if (hasCrash_)
    s.crashed.assign(size_t(numPrincipals()), 0);
  if (hasByz_)
    s.byz.assign(size_t(numPrincipals()), 0);
  return s;
}

static void putBits(rt::Writer &out, const std::vector<uint8_t> &bits) {
  uint8_t acc = 0;
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i])
      acc |= uint8_t(1u << (i % 8));
    if (i % 8 == 7) {
      out.u8(acc);
      acc = 0;
    }
  }
  if (bits.size() % 8)
    out.u8(acc);
}

static bool getBits(rt::Reader &in, std::vector<uint8_t> &bits) {
  size_t bytes = (bits.size() + 7) / 8;
  if (in.remaining() < bytes)
    return false;
  uint8_t b = 0;
  for (size_t i = 0; i < bits.size(); ++i) {
    if (i % 8 == 0)
      b = in.u8();
    bits[i] = (b >> (i % 8)) & 1;
  }
  return in.ok();
}

void Layout::encode(const State &s, std::string &bytes) const {
  thread_local rt::Writer out; // keeps its buffer between calls
  out.buffer().clear();
  for (const auto &v : s.vars)
    v.encode(out);
  putBits(out, s.timers);
  for (const auto &f : s.fired)
    f.encode(out);
  for (const auto &p : s.pool)
    p.encode(out);
  int np = numPrincipals();
  std::vector<uint8_t> bits;
  for (int r = 0; r < numRecords(); ++r) {
    const auto &pool = s.pool[r].elems();
    if (pool.empty())
      continue;
    for (int p = 0; p < np; ++p) {
      const auto &known = s.known[knownIndex(r, p)].elems();
      bits.assign(pool.size(), 0);
      size_t j = 0;
      for (const auto &st : known) {
        while (j < pool.size() && pool[j] < st)
          ++j;
        if (j < pool.size())
          bits[j] = 1;
      }
      putBits(out, bits);
    }
  }
  putBits(out, s.crashed);
  putBits(out, s.byz);
  out.varint(uint64_t(s.phaseNo));
  out.varint(uint64_t(s.roundNo));
  bytes.assign(out.buffer().begin(), out.buffer().end());
}

static size_t varintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

size_t Layout::knownBit(const State &s, size_t encodedSize, int record, int p,
                        size_t index) const {
  size_t np = size_t(numPrincipals());
  size_t knownBytes = 0, before = 0;
  for (int r = 0; r < numRecords(); ++r) {
    size_t rowBytes = (s.pool[size_t(r)].elems().size() + 7) / 8;
    if (r < record)
      before += np * rowBytes;
    else if (r == record)
      before += size_t(p) * rowBytes;
    knownBytes += np * rowBytes;
  }
  size_t tail = knownBytes + (s.crashed.size() + 7) / 8 +
                (s.byz.size() + 7) / 8 + varintSize(uint64_t(s.phaseNo)) +
                varintSize(uint64_t(s.roundNo));
  return (encodedSize - tail + before) * 8 + index;
}

bool Layout::decode(const std::string &bytes, State &s) const {
  s = emptyState();
  rt::Reader in(bytes);
  for (auto &v : s.vars)
    if (!Value::decode(in, v))
      return false;
  if (!getBits(in, s.timers))
    return false;
  for (auto &f : s.fired)
    if (!Value::decode(in, f))
      return false;
  for (auto &p : s.pool)
    if (!Value::decode(in, p))
      return false;
  int np = numPrincipals();
  std::vector<uint8_t> bits;
  for (int r = 0; r < numRecords(); ++r) {
    const auto &pool = s.pool[r].elems();
    if (pool.empty())
      continue;
    for (int p = 0; p < np; ++p) {
      bits.assign(pool.size(), 0);
      if (!getBits(in, bits))
        return false;
      Value::Elems known;
      for (size_t j = 0; j < pool.size(); ++j)
        if (bits[j])
          known.push_back(pool[j]);
      s.known[knownIndex(r, p)] = Value::sortedSet(std::move(known));
    }
  }
  if (!getBits(in, s.crashed) || !getBits(in, s.byz))
    return false;
  s.phaseNo = int64_t(in.varint());
  s.roundNo = int64_t(in.varint());
  return in.ok() && in.atEnd();
}

Value makeStatement(int issuer, Value ver, Value aud, Value msg) {
  return Value::tuple({Value::principal(issuer), std::move(ver), std::move(aud),
                       std::move(msg)});
}

} // namespace mommie::checker
