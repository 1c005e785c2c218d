// Rendering of values in the language's syntax (see Value.h).
#include "checker/Value.h"

#include "ir/ConstantNames.h"
#include "ir/IR.h"

namespace mommie::checker {

static std::string principalName(const ir::Program &p, int64_t id) {
  for (const auto &s : p.principalSets)
    if (id >= s.first && id < s.first + s.size)
      return s.name + std::to_string(id - s.first);
  return "P" + std::to_string(id);
}

namespace {

// `names` null: integers as numbers. `constant`: the name of `v`, if any.
std::string show(const ir::Program &program, const Value &v,
                 const ir::ConstantNames *names,
                 const std::string *constant = nullptr) {
  auto list = [&](const Value::Elems &es, size_t from = 0) {
    std::string s;
    for (size_t i = from; i < es.size(); ++i) {
      if (i > from)
        s += ", ";
      s += show(program, es[i], names);
    }
    return s;
  };
  const auto &es = v.elems();
  switch (v.kind()) {
  case Kind::Int:
    return constant ? *constant : std::to_string(v.scalar());
  case Kind::Bool:
    return v.scalar() ? "true" : "false";
  case Kind::Principal:
    return principalName(program, v.scalar());
  case Kind::Option:
    return v.isNone() ? "none" : "some(" + show(program, es[0], names) + ")";
  case Kind::Record: {
    std::string s;
    int64_t r = v.scalar();
    const ir::RecordDecl *rec = r >= 0 && size_t(r) < program.records.size()
                                    ? &program.records[size_t(r)]
                                    : nullptr;
    s = rec ? rec->name : "record";
    s += "{";
    for (size_t i = 0; i < es.size(); ++i) {
      if (i)
        s += ", ";
      if (rec && i < rec->fields.size())
        s += rec->fields[i].name + ": ";
      const std::string *c =
          names && rec && es[i].is(Kind::Int)
              ? names->ofField(int(r), int(i), es[i].scalar())
              : nullptr;
      s += show(program, es[i], names, c);
    }
    return s + "}";
  }
  case Kind::Tuple:
    return "(" + list(es) + ")";
  case Kind::Seq:
    return "<<" + list(es) + ">>";
  case Kind::Set:
    return "{" + list(es) + "}";
  case Kind::Map: {
    std::string s = "[";
    for (size_t i = 0; i + 1 < es.size(); i += 2) {
      if (i)
        s += ", ";
      s += show(program, es[i], names) + " |-> " +
           show(program, es[i + 1], names);
    }
    return s + "]";
  }
  }
  return "?";
}

} // namespace

std::string showValue(const ir::Program &program, const Value &v) {
  return show(program, v, nullptr);
}

std::string showValue(const ir::Program &program, const Value &v,
                      const ir::ConstantNames &names, int role, int var) {
  const std::string *c = role >= 0 && v.is(Kind::Int)
                             ? names.ofVar(role, var, v.scalar())
                             : nullptr;
  return show(program, v, &names, c);
}

} // namespace mommie::checker
