// Deciding a parameterized query by Venn regions (docs/prove.md, "The Venn
// reduction"). The parameterized encoding states a query in cvc5's theory
// of finite sets with cardinality; every set in it is a Boolean combination
// of a few *base* sets (the cells of the role variables, Byz, Crashed, the
// mailboxes and forged-value cells of the ground principals, the post
// cells). This reduces the query to linear integer arithmetic, one
// non-negative count per region of the base sets, so that Z3 and cvc5 both
// decide it without a set solver (the reduction of BAPA to Presburger
// arithmetic).
//
// Regions: the *core* sets (partition cells, Byz, Crashed) are combined
// exhaustively; every other base set belongs to a *group* (base sets that
// occur together in one set term, e.g. a mailbox and its forged-value
// cells), and a group's regions refine each core region on their own, with
// counts that sum to the core region's count. Named elements (constants,
// skolems, witnesses) get a location (which cells, which group bits) and
// regions hold at least as many elements as the distinct named elements
// located in them.
//
// The translation over-approximates: every model of the set query maps to a
// model of the arithmetic one. A set term it cannot translate exactly (a
// cardinality over two groups, a singleton inside a cardinality) becomes a
// fresh variable, constrained only by what the set atom implies. So `unsat`
// proves the obligation; `sat` proves nothing (the caller falls back to the
// set solver).
#pragma once

#include "proofs/ParamEval.h"
#include "proofs/Solver.h"

#include <string>
#include <vector>

namespace mommie::proofs::param {

struct VennResult {
  SatResult result = SatResult::Unknown;
  std::string reason; // why not unsat
  size_t regions = 0; // count variables of the arithmetic query
};

// Decides the conjunction of `formulas` (terms of `c`), where `core` lists
// the non-partition base sets to combine exhaustively (Byz, Crashed).
VennResult decideByVenn(const Ctx &c, const std::vector<Term> &core,
                        const std::vector<Term> &formulas, SolverKind solver,
                        unsigned timeoutMs);

} // namespace mommie::proofs::param
