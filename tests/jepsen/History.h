// Histories of the KV store's operations, as the Jepsen-style harness
// (tests/jepsen/jepsen.cpp) records them, and a linearizability checker
// for them (Wing & Gong's search with Lowe's memoisation of (linearized
// set, state) pairs, run per key: a key-value store is linearizable iff
// each key, a register, is).
//
// History file: one JSON object per operation, in completion order:
//   {"process":3,"op":"put","key":"k1","value":"p3-17","invoke_ns":...,
//    "return_ns":...,"result":"ok"}
// op: "get" (with "read": the value, or null when not found), "put",
// "del", "cas" (with "expected"); result: "ok", "not_found" (get, del),
// "cas_fail" (with "read": the value the store held), or "info": the
// client does not know whether the operation took effect (a timeout or a
// lost connection); then "return_ns" is null and the operation may take
// effect at any time after its invocation, or never.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mommie::jepsen {

struct Op {
  enum class Kind { Get, Put, Del, Cas } kind = Kind::Get;
  enum class Result { Ok, NotFound, CasFail, Info } result = Result::Ok;
  int process = 0;
  std::string key;
  std::string value;    // put, cas: the value written
  std::string expected; // cas
  std::optional<std::string>
      read; // get: what it read (nullopt: not found); cas_fail: the value held
  int64_t invokeNs = 0;
  int64_t returnNs = -1; // -1: info (never returned)
};

// One JSON line (without the newline) and back; false on a malformed line.
std::string toJson(const Op &op);
bool fromJson(const std::string &line, Op &op, std::string &error);

struct Verdict {
  bool linearizable = true;
  size_t keys = 0, ops = 0, infos = 0;
  std::string key;         // the first key that is not linearizable
  std::string explanation; // its operations, in invocation order
  bool exhausted = false;  // the search hit its state budget (then "unknown")
};

// Checks every key's operations; `maxStates` bounds the search per key
// (memoised configurations), after which the verdict is `exhausted`.
Verdict checkLinearizable(const std::vector<Op> &history,
                          size_t maxStates = 5000000);

} // namespace mommie::jepsen
