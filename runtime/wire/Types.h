// Run-time type descriptors: the generated code describes every record and
// role variable type once, and the runtime checks values against them
// (statements decoded from the network before they enter the pool, role
// variables after each step: a value outside a declared range is an
// evaluation error, as in the checker).
#pragma once

#include "runtime/wire/Value.h"

#include <memory>
#include <string>
#include <vector>

namespace mommie::rt {

struct TypeDesc;
using TypeP = std::shared_ptr<const TypeDesc>;

struct TypeDesc {
  enum class K {
    Bool,
    Int,
    Range,
    Principal,
    Record,
    Set,
    Map,
    Option,
    Seq,
    Tuple
  } k = K::Bool;
  int64_t lo = 0, hi = 0;    // Range
  int first = 0, count = -1; // Principal: members [first, first+count); -1 any
  int record = -1;           // Record
  std::vector<TypeP> args;

  static TypeP boolean();
  static TypeP integer();
  static TypeP range(int64_t lo, int64_t hi);
  static TypeP principal(int first = 0, int count = -1);
  static TypeP recordOf(int index);
  static TypeP setOf(TypeP elem);
  static TypeP mapOf(TypeP key, TypeP value);
  static TypeP optionOf(TypeP elem);
  static TypeP seqOf(TypeP elem);
  static TypeP tupleOf(std::vector<TypeP> elems);
};

struct RecordSchema {
  std::string name;
  std::vector<std::string> fieldNames;
  std::vector<TypeP> fieldTypes;
};

struct Schema {
  int numPrincipals = 0;
  std::vector<RecordSchema> records;
  Names names; // filled from the above by finish()
  void finish(const std::vector<std::string> &principalNames);
};

// Whether `v` is a value of type `t`; on failure `why` says where.
bool conforms(const Value &v, const TypeDesc &t, const Schema &schema,
              std::string *why = nullptr);

} // namespace mommie::rt
