// The instantiate pass: a checked program, instantiated at some parameter
// values, turned into the instance at other values.
//
// A program holds, besides its evaluated numbers, their symbolic forms over
// its parameters and named constants (ir/IR.h). The pass evaluates the
// parameters (the given values, else each default over the earlier
// parameters), the named constants, the principal-set sizes and hence every
// principal's global id; then it rewrites every evaluated position that has
// a symbolic form (literals, range types, principal literals, phase and
// fault bounds) and renumbers every principal literal. It checks what the
// front end checks of parameters: every `assume` holds (an error names the
// assume and its location), a set has at least one member, a range type is
// not empty, a named principal exists. The result is what the front end
// produces for the same values (tests/ir/instantiate_test.cpp holds it to
// that on every example).
#pragma once

#include "ir/Diagnostics.h"
#include "ir/IR.h"

#include <map>
#include <optional>
#include <string>

namespace mommie::ir {

// `values` may name any subset of the parameters; an unknown name is an
// error that lists the parameters. Errors go to `diags` (located at the
// declaration concerned); nullopt when there was any.
std::optional<Program> instantiate(const Program &program,
                                   const std::map<std::string, int64_t> &values,
                                   DiagnosticEngine &diags);

// "'X' is not a parameter of protocol 'P'; did you mean 'Y'? (its
// parameters: A, B)": the error for a value given to an unknown parameter
// (-D, instantiate), `known` being the program's parameters.
std::string unknownParameterMessage(const std::string &name,
                                    const std::string &protocol,
                                    const std::vector<std::string> &known);

// The value of a symbolic expression (Param, ConstRef, literals, arithmetic,
// comparisons, logic, `S[i]`) at `program`'s own parameter values: an
// integer, a boolean (0/1) or a principal's global id. nullopt when it is
// not a constant or its evaluation fails (division by zero, overflow, an
// index out of range).
std::optional<int64_t> evalSymbolic(const Program &program, const ExprPtr &e);

} // namespace mommie::ir
