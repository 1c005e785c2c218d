// The choices a node makes where the model is nondeterministic, and that
// `mommie sim --seeds` samples: the element a `var x in S` initialisation
// takes (event-driven nodes, runtime/node/Node.h; round processes, the
// generated RoundProgram). Header-only; one definition for both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace mommie::rt {

// splitmix64's output function.
inline uint64_t splitmix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Of `n` choices, the one role variable `var` of principal `me` takes:
// me % n without a seed (a deployment is deterministic), else drawn from
// (seed, me, var). Any element is a behaviour of the model.
inline size_t initialChoice(size_t n, int me, size_t var,
                            std::optional<uint64_t> seed) {
  if (n == 0)
    return 0;
  if (!seed)
    return size_t(me) % n;
  return size_t(splitmix(*seed ^ (uint64_t(me + 1) * 0x9E3779B97F4A7C15ull) ^
                         (uint64_t(var + 1) * 0xD6E8FEB86659FD93ull)) %
                n);
}

} // namespace mommie::rt
