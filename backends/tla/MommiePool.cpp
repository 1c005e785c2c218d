// The text of MommiePool.tla, the standard module every emitted spec
// extends: options, statements, pattern matching and finite domains.
#include "backends/tla/TlaBackend.h"

namespace mommie::tla {

const std::string &mommiePoolModule() {
  static const std::string text =
      R"(------------------------------ MODULE MommiePool ------------------------------
(***************************************************************************)
(* Standard operators of the specs emitted by `mommie tla` (docs/tla.md).  *)
(* Written next to every spec; do not edit: mommie regenerates it.         *)
(***************************************************************************)
EXTENDS Integers, FiniteSets, Sequences, TLC

(* option<T>: none is the empty sequence, some(x) the one-element one.     *)
None == <<>>
Some(x) == <<x>>
IsSome(o) == o # <<>>
Get(o) == o[1]           \* an evaluation error on None, as in the checker
OptionOf(S) == {None} \cup {Some(x) : x \in S}

(* map<K, V> values are functions; Maps(K, V) is every map with keys in K. *)
Maps(K, V) == UNION {[D -> V] : D \in SUBSET K}

(* `/` and `%` (docs/semantics.md, "Integers"): floor division and its    *)
(* remainder for a positive divisor; any other divisor is an evaluation    *)
(* error, as in the checker and in nodes. (A positive literal divisor is  *)
(* emitted as \div and % directly.)                                       *)
Div(a, b) == IF b > 0 THEN a \div b
             ELSE Assert(FALSE, "division by a divisor that is not positive")
Mod(a, b) == IF b > 0 THEN a % b
             ELSE Assert(FALSE, "modulus by a divisor that is not positive")

(* The largest / smallest element of a nonempty set of integers.           *)
SetMax(S) == CHOOSE x \in S : \A y \in S : y <= x
SetMin(S) == CHOOSE x \in S : \A y \in S : x <= y

(* An authenticated statement [iss, ver, aud] msg. ver and aud are sets of *)
(* principals: NOONE is {}, ANY is every principal.                        *)
Stmt(iss, ver, aud, msg) == [iss |-> iss, ver |-> ver, aud |-> aud, msg |-> msg]

(* Pattern matching over a set S of statements a principal knows, already  *)
(* filtered by the pattern's issuer, verifier and auditor parts.           *)
Msgs(S) == {s.msg : s \in S}                  \* the records carried by S
IssuedMsgs(S) == {<<s.iss, s.msg>> : s \in S} \* with their issuers
IssuersOf(S, m) == {s.iss : s \in {t \in S : t.msg = m}}

(* Quorum patterns `[X >= k, ...] R r` and `[X == k, ...] R r`: the records *)
(* of S issued by at least (exactly) k distinct principals.                *)
QuorumMsgs(S, k) == {m \in Msgs(S) : Cardinality(IssuersOf(S, m)) >= k}
ExactQuorumMsgs(S, k) == {m \in Msgs(S) : Cardinality(IssuersOf(S, m)) = k}

(* Statement sets `[X >= k, ...] R* x`: x is IssuedMsgs(S) for S filtered  *)
(* by the field constraints too; its distinct issuers number at least      *)
(* (exactly) k.                                                            *)
SetQuorum(P, k) == Cardinality({e[1] : e \in P}) >= k
ExactSetQuorum(P, k) == Cardinality({e[1] : e \in P}) = k

(* Product(D, S): every function f with DOMAIN f = D and f[d] \in S[d].     *)
RECURSIVE Product(_, _)
Product(D, S) ==
  IF D = {} THEN {<<>>}
  ELSE LET d == CHOOSE x \in D : TRUE
       IN {[x \in DOMAIN f \cup {d} |-> IF x = d THEN v ELSE f[x]] :
             f \in Product(D \ {d}, S), v \in S[d]}

(* Round mailboxes (lock step, ReSync Fig. 8): any subset of the messages  *)
(* `sent` (a function from live senders to payloads), plus any payload of  *)
(* D from any subset of the Byzantine senders B.                           *)
Mailboxes(sent, B, D) ==
  LET byzantine == UNION {[C -> D] : C \in SUBSET B}
  IN {[s \in L \cup DOMAIN g |-> IF s \in L THEN sent[s] ELSE g[s]] :
        L \in SUBSET DOMAIN sent, g \in byzantine}
================================================================================
)";
  return text;
}

} // namespace mommie::tla
