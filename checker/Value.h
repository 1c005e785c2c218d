// Values of the checker: the one value type of mommie, rt::Value
// (runtime/wire/Value.h), with its operators (runtime/wire/Ops.h), total
// order and canonical encoding, shared with generated nodes.
//
// A value shares its element vector with its copies, so copying a state or
// a variable costs reference counts; the checker's in-place updates (an
// assignment along a path, a set insertion, firing in place and undoing)
// go through rt::Value's copy on write and clone only what is shared.
// Options are Kind::Option with no element (none) or one (some); sets are
// sorted and unique, maps interleaved key, value sorted by key.
#pragma once

#include "runtime/wire/Value.h"

#include <string>

namespace mommie::ir {
struct Program;
class ConstantNames;
} // namespace mommie::ir

namespace mommie::checker {

using Value = rt::Value;
using rt::Kind;

// Human-readable rendering in the language's syntax (records by name).
std::string showValue(const ir::Program &program, const Value &v);
// The same, with the integers of record fields and (when `role` and `var`
// are given) of that role variable shown as the named constants they hold
// (ir/ConstantNames.h): `Decision{tx: 0, outcome: COMMITTED}`.
std::string showValue(const ir::Program &program, const Value &v,
                      const ir::ConstantNames &names, int role = -1,
                      int var = -1);

} // namespace mommie::checker
