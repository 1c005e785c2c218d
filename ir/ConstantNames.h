// Which integer role variables and record fields hold named constants
// only, so that traces and diagnostics show `decision: WORKING ->
// COMMITTED` rather than `0 -> 1` (docs/checker.md, "Constants by name").
//
// The analysis, over *places* (a role variable or a record field of an
// integer type): a copy (`x <- y`, `R(.., y, ..)` into field f, an `if`
// whose branch is `y`) or a comparison (`x == y`) joins two places into one
// class. A class is named when
//  - every value written to it is a named constant (`const C = 1;`) or an
//    `if` whose branches are: the initial value (`= C`, `in {C, D}`), each
//    assignment, each record construction;
//  - every read of it is such a copy, or an operand of `==`, `!=` (a field
//    constraint `{{ f == C; }}` too) or `in`/`notin` a set literal, whose
//    other side is made of named constants and places;
//  - the constants written to or compared with it have distinct values.
// Anything else (arithmetic, `<`, a plain number, a function argument, a
// `let`, a variable without an initial value) leaves the class unnamed,
// and its values print as numbers. A value of a named class that is none
// of its constants (a Byzantine principal's field, say) prints as a number
// too.
#pragma once

#include "ir/IR.h"

#include <map>
#include <string>
#include <utility>

namespace mommie::ir {

class ConstantNames {
public:
  ConstantNames() = default; // names nothing
  explicit ConstantNames(const Program &program);

  // The constant that variable `var` of `role` holding `value` shows as,
  // or null.
  const std::string *ofVar(int role, int var, int64_t value) const;
  // The constant that field `field` of record `record` holding `value`
  // shows as, or null.
  const std::string *ofField(int record, int field, int64_t value) const;

private:
  using Names = std::map<int64_t, std::string>;
  static const std::string *
  lookup(const std::map<std::pair<int, int>, Names> &places, int a, int b,
         int64_t value);
  std::map<std::pair<int, int>, Names> vars_, fields_;
};

} // namespace mommie::ir
