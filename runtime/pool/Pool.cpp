// The local pool and its indexes (see Pool.h).
#include "runtime/pool/Pool.h"

#include <algorithm>

namespace mommie::rt {

namespace {
const std::vector<StmtId> &noIds() {
  static const std::vector<StmtId> none;
  return none;
}

// Erases one occurrence of `id` from `ids` (order kept).
void eraseId(std::vector<StmtId> &ids, StmtId id) {
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it != ids.end())
    ids.erase(it);
}
} // namespace

void Consumed::remap(const std::vector<bool> &kept) {
  std::vector<bool> bits;
  size_t n = std::min(bits_.size(), kept.size());
  for (size_t k = 0; k < n; ++k)
    if (kept[k])
      bits.push_back(bits_[k]);
  bits_ = std::move(bits);
  cursor_ = 0;
  advance();
}

const Pool::TypeIndex *Pool::type(int record) const {
  if (record < 0 || size_t(record) >= types_.size())
    return nullptr;
  return &types_[size_t(record)];
}

void Pool::addFieldIndex(int record, int field) {
  if (record < 0 || size_t(record) >= types_.size())
    return;
  types_[size_t(record)].fields[field];
}

void Pool::attach(Consumed &c, int record, Index index) {
  if (record < 0 || size_t(record) >= types_.size())
    return;
  auto &t = types_[size_t(record)];
  (index == Index::OfType ? t.consumedAll : t.consumedValues).push_back(&c);
}

std::pair<StmtId, bool> Pool::insert(Statement s) {
  std::string key = s.key();
  if (keys_.count(key))
    return {0, false};
  int rec = s.msg.is(Kind::Record) ? s.msg.recordIndex() : -1;
  if (rec < 0 || size_t(rec) >= types_.size())
    return {0, false};
  StmtId id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = StmtId(stmts_.size());
    stmts_.emplace_back();
    posInAll_.push_back(0);
  }
  keys_.insert(std::move(key));
  TypeIndex &t = types_[size_t(rec)];
  posInAll_[id] = t.all.size();
  t.all.push_back(id);
  auto [sv, fresh] = t.byValue.try_emplace(s.msg);
  if (fresh) {
    sv->second.pos = t.values.size();
    t.values.push_back(s.msg);
    t.valueDead.push_back(false);
  }
  sv->second.ids.push_back(id);
  for (auto &[field, index] : t.fields)
    if (size_t(field) < s.msg.size())
      index[s.msg.elems()[size_t(field)]].push_back(id);
  stmts_[id] = std::move(s);
  ++t.live;
  ++live_;
  return {id, true};
}

void Pool::remove(StmtId id) {
  if (id >= stmts_.size())
    return;
  Statement &s = stmts_[id];
  int rec = s.msg.is(Kind::Record) ? s.msg.recordIndex() : -1;
  if (rec < 0 || size_t(rec) >= types_.size())
    return;
  TypeIndex &t = types_[size_t(rec)];
  size_t pos = posInAll_[id];
  if (pos >= t.all.size() || t.all[pos] != id)
    return; // not in the pool
  keys_.erase(s.key());
  t.all[pos] = kDeadStmt;
  ++t.deadAll;
  auto sv = t.byValue.find(s.msg);
  if (sv != t.byValue.end()) {
    eraseId(sv->second.ids, id);
    if (sv->second.ids.empty()) {
      t.valueDead[sv->second.pos] = true;
      t.values[sv->second.pos] = Value();
      ++t.deadValues;
      t.byValue.erase(sv);
    }
  }
  for (auto &[field, index] : t.fields) {
    if (size_t(field) >= s.msg.size())
      continue;
    auto f = index.find(s.msg.elems()[size_t(field)]);
    if (f == index.end())
      continue;
    eraseId(f->second, id);
    if (f->second.empty())
      index.erase(f);
  }
  s = Statement();
  free_.push_back(id);
  --t.live;
  --live_;
  ++removed_;
  if (t.deadAll > t.all.size() / 2)
    compactAll(t);
  if (t.deadValues > t.values.size() / 2)
    compactValues(t);
}

void Pool::compactAll(TypeIndex &t) {
  std::vector<bool> kept(t.all.size());
  std::vector<StmtId> all;
  all.reserve(t.live);
  for (size_t k = 0; k < t.all.size(); ++k) {
    StmtId id = t.all[k];
    kept[k] = id != kDeadStmt;
    if (!kept[k])
      continue;
    posInAll_[id] = all.size();
    all.push_back(id);
  }
  t.all = std::move(all);
  t.deadAll = 0;
  for (Consumed *c : t.consumedAll)
    c->remap(kept);
}

void Pool::compactValues(TypeIndex &t) {
  std::vector<bool> kept(t.values.size());
  std::vector<Value> values;
  for (size_t k = 0; k < t.values.size(); ++k) {
    kept[k] = !t.valueDead[k];
    if (!kept[k])
      continue;
    t.byValue[t.values[k]].pos = values.size();
    values.push_back(std::move(t.values[k]));
  }
  t.values = std::move(values);
  t.valueDead.assign(t.values.size(), false);
  t.deadValues = 0;
  for (Consumed *c : t.consumedValues)
    c->remap(kept);
}

size_t Pool::sizeOf(int record) const {
  const TypeIndex *t = type(record);
  return t ? t->live : 0;
}

const std::vector<StmtId> &Pool::ofType(int record) const {
  const TypeIndex *t = type(record);
  return t ? t->all : noIds();
}

const std::vector<StmtId> &Pool::byField(int record, int field,
                                         const Value &v) const {
  const TypeIndex *t = type(record);
  if (!t)
    return noIds();
  auto f = t->fields.find(field);
  if (f == t->fields.end())
    throw EvalError("pool: no index on this field");
  auto it = f->second.find(v);
  return it == f->second.end() ? noIds() : it->second;
}

const std::vector<Value> &Pool::valuesOf(int record) const {
  static const std::vector<Value> none;
  const TypeIndex *t = type(record);
  return t ? t->values : none;
}

bool Pool::valueLive(int record, size_t k) const {
  const TypeIndex *t = type(record);
  return t && k < t->valueDead.size() && !t->valueDead[k];
}

const std::vector<StmtId> &Pool::withValue(int record, const Value &msg) const {
  const TypeIndex *t = type(record);
  if (!t)
    return noIds();
  auto it = t->byValue.find(msg);
  return it == t->byValue.end() ? noIds() : it->second.ids;
}

} // namespace mommie::rt
