// The local pool and its indexes (see Pool.h).
#include "runtime/pool/Pool.h"

namespace mommie::rt {

namespace {
const std::vector<StmtId> &noIds() {
  static const std::vector<StmtId> none;
  return none;
}
} // namespace

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

std::pair<StmtId, bool> Pool::insert(Statement s) {
  std::string key = s.key();
  if (keys_.count(key))
    return {0, false};
  int rec = s.msg.is(Kind::Record) ? s.msg.recordIndex() : -1;
  if (rec < 0 || size_t(rec) >= types_.size())
    return {0, false};
  StmtId id = StmtId(stmts_.size());
  keys_.insert(std::move(key));
  TypeIndex &t = types_[size_t(rec)];
  t.all.push_back(id);
  auto &sameValue = t.byValue[s.msg];
  if (sameValue.empty())
    t.values.push_back(s.msg);
  sameValue.push_back(id);
  for (auto &[field, index] : t.fields)
    if (size_t(field) < s.msg.size())
      index[s.msg.elems()[size_t(field)]].push_back(id);
  stmts_.push_back(std::move(s));
  return {id, true};
}

const std::vector<StmtId> &Pool::ofType(int record) const {
  const TypeIndex *t = type(record);
  return t ? t->all : noIds();
}

const std::vector<StmtId> &Pool::byField(int record, int field, const Value &v) const {
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

const std::vector<StmtId> &Pool::withValue(int record, const Value &msg) const {
  const TypeIndex *t = type(record);
  if (!t)
    return noIds();
  auto it = t->byValue.find(msg);
  return it == t->byValue.end() ? noIds() : it->second;
}

} // namespace mommie::rt
