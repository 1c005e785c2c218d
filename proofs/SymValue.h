// Symbolic values of IR types for the bounded encoding. A value is a tree of
// terms shaped by its type:
//   bool / int / range / principal -> one term (a principal is its global id)
//   record / tuple                 -> one value per component
//   option<T>                      -> isSome term + the payload value
//   set<T>                         -> a guarded list: item i is a member iff
//                                     guard i holds (items may repeat)
//   map<K, V>                      -> a guarded list of (present, key, value);
//                                     lookup takes the first present entry
//   seq<T>                         -> its length term + seqBound element
//                                     values (positions 0..seqBound-1, those
//                                     at and past the length unused)
// A state variable of a finite type has a canonical shape (every element of
// the finite domain once, in domain order), so that `if` branches merge
// term-wise.
#pragma once

#include "ir/ConstantNames.h"
#include "ir/IR.h"
#include "proofs/Term.h"

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mommie::proofs {

// Raised when a construct is outside what the bounded encoding supports;
// the prover reports the obligation as `unknown` with this message.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SVal {
  enum class Kind { Scalar, Tuple, Option, Set, Map, Seq } kind = Kind::Scalar;
  Term t = nullptr;         // Scalar; Option: isSome; Seq: length
  std::vector<SVal> elems;  // Tuple components; Option: {payload}
  std::vector<Term> guards; // Set: membership; Map: key present
  std::vector<SVal> items;  // Set: elements; Map: keys; Seq: positions
  std::vector<SVal> vals;   // Map: values

  static SVal scalar(Term t) {
    SVal v;
    v.t = t;
    return v;
  }
};

// Which ranges a typing constraint states: the declared ones (`lo..hi`,
// principal sets), the model ranges (`int model lo..hi`: a value outside
// puts the state outside the model, docs/prove.md), or both.
enum class Ranges { Declared, Model, All };

// Value operations; `store` owns the terms.
class ValueOps {
public:
  ValueOps(TermStore &store, const ir::Program &program)
      : s(store), prog(program) {}

  TermStore &s;
  const ir::Program &prog;
  // The longest sequence the encoding holds (`prove --seq-bound`): a step
  // that makes one longer is outside the proof (docs/prove.md).
  size_t seqBound = 4;

  Term eq(const SVal &a, const SVal &b);
  SVal ite(Term c, const SVal &a, const SVal &b);
  Term member(const SVal &set, const SVal &x);
  Term subset(const SVal &a, const SVal &b);
  Term card(const SVal &set);
  SVal lookup(const SVal &map, const SVal &key, const ir::Type &valType);
  Term inDom(const SVal &map, const SVal &key);
  SVal dom(const SVal &map);
  SVal setUnion(const SVal &a, const SVal &b);
  SVal setInter(const SVal &a, const SVal &b);
  SVal setDiff(const SVal &a, const SVal &b);
  bool identical(const SVal &a, const SVal &b) const;

  // Every value of a finite type, or throws Unsupported (also when the
  // domain is larger than `limit`).
  std::vector<SVal> domain(const ir::Type &type, size_t limit = 4096);
  // Some value of the type (for none payloads and empty lookups).
  SVal defaultValue(const ir::Type &type);
  // A value of `type` made of fresh variables named after `name`; the
  // typing constraints (ranges, principal sets) go to `constraints`.
  SVal fresh(const ir::Type &type, const std::string &name,
             std::vector<Term> &constraints);
  // Rewrites `v` into the canonical shape of `type` (when finite).
  SVal canon(const ir::Type &type, const SVal &v);
  // Whether canon(type, v) drops a set element or map key of `v` because
  // it is outside an `int model` range (then `v` is outside the model,
  // which its canonical shape no longer shows).
  Term dropsModel(const ir::Type &type, const SVal &v);
  // The typing constraint of `v` (ranges, principal sets), for TypeOK;
  // `which` selects the declared ranges, the model ranges or both.
  Term typeOk(const ir::Type &type, const SVal &v, Ranges which = Ranges::All);

  // Sequences (`elem` the element type). A literal of more than seqBound
  // elements throws Unsupported; append past the bound sets `beyond` to
  // the condition under which it happens (the step is then outside the
  // proof); head, s[i] outside the sequence are unspecified, as every
  // evaluation error.
  SVal seqOf(const ir::Type &elem, const std::vector<SVal> &elems);
  SVal append(const ir::Type &elem, const SVal &seq, const SVal &x,
              Term &beyond);
  SVal head(const SVal &seq);
  SVal tail(const ir::Type &elem, const SVal &seq);
  SVal at(const ir::Type &elem, const SVal &seq, Term index);

private:
  bool finite(const ir::Type &type);
  std::vector<std::pair<int64_t, int64_t>> intervalOf(const ir::Type &type);
};

// Concrete values read back from a model, for counterexamples. With
// `names`, record fields and (given `role` and `var`) the role variable
// `v` is the value of show the named constants they hold by name
// (ir/ConstantNames.h).
std::string showValue(const ir::Program &prog, const ir::Type &type,
                      const SVal &v,
                      const std::function<int64_t(Term)> &evalTerm,
                      const ir::ConstantNames *names = nullptr, int role = -1,
                      int var = -1);

} // namespace mommie::proofs
