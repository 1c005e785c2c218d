// The explorer's compact state: a fixed-width array of 32-bit words, one
// interned value id (checker/Intern.h) per variable slot, refraction set,
// pool and knowledge set, then the timer / crashed / Byzantine bits and
// the round counters. Equal states have equal words, so the fingerprint is
// a hash of the words, and a successor that changes a few slots is the
// parent's words with those slots replaced.
#pragma once

#include "checker/Intern.h"
#include "checker/State.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace mommie::checker {

uint64_t hashWords(const uint32_t *w, size_t n);

class Compact {
public:
  Compact(const Layout &layout, Interner &interner);

  size_t words() const { return words_; }
  size_t varWord(size_t varIndex) const { return varIndex; }
  size_t firedWord(size_t firedIndex) const { return firedBase_ + firedIndex; }
  size_t poolWord(int record) const { return poolBase_ + size_t(record); }
  size_t knownWord(int record, int p) const {
    return knownBase_ + size_t(layout_.knownIndex(record, p));
  }
  // The word and mask of timer bit `timerIndex`.
  size_t timerWord(size_t timerIndex) const {
    return bitsBase_ + timerIndex / 32;
  }
  uint32_t timerMask(size_t timerIndex) const {
    return 1u << (timerIndex % 32);
  }
  // Timer bit `timerIndex` of `w` set to `on`.
  void setTimer(uint32_t *w, size_t timerIndex, bool on) const {
    setBit(w, timerIndex, on);
  }

  // Interns every slot of `s`.
  void encode(const State &s, uint32_t *out);
  // Decodes `in` into `s`. When `prev` is not null, `s` holds the decoding
  // of `prev` and only the slots whose ids differ are rewritten.
  void decode(const uint32_t *in, State &s, const uint32_t *prev) const;

  Interner &interner() { return interner_; }

  // The words the program's invariants can read (role variables named in
  // them, pools of KNOWN patterns, crashed / Byzantine bits, round
  // counters), sorted; false if that cannot be bounded (then every word).
  bool invariantWords(std::vector<size_t> &out) const;
  // The (word, mask) pairs transition `ti` of `role` at principal `p` can
  // read or whose unwritten part it keeps: its successors are a function
  // of them. False if that cannot be bounded.
  bool transitionKey(int role, int ti, int p,
                     std::vector<std::pair<size_t, uint32_t>> &out) const;
  bool crashed(const uint32_t *w, int p) const {
    return crash_ && getBit(w, numTimers_ + size_t(p));
  }
  void setCrashed(uint32_t *w, int p) const {
    setBit(w, numTimers_ + size_t(p), true);
  }
  bool live(const uint32_t *w, int p) const {
    size_t bit = numTimers_ + size_t(p);
    if (crash_ && getBit(w, bit))
      return false;
    if (crash_)
      bit += numPrincipals_;
    return !(byz_ && getBit(w, bit));
  }

private:
  void setBit(uint32_t *w, size_t bit, bool on) const {
    uint32_t m = 1u << (bit % 32);
    if (on)
      w[bitsBase_ + bit / 32] |= m;
    else
      w[bitsBase_ + bit / 32] &= ~m;
  }
  bool getBit(const uint32_t *w, size_t bit) const {
    return (w[bitsBase_ + bit / 32] >> (bit % 32)) & 1;
  }

  const Layout &layout_;
  Interner &interner_;
  size_t numVars_, numFired_, numKnown_, numTimers_, numPrincipals_;
  size_t firedBase_, poolBase_, knownBase_, bitsBase_, roundBase_, words_;
  bool crash_, byz_;
};

} // namespace mommie::checker
