// The process's own resources, for the limits of `mommie check`
// (--max-memory) and `mommie prove` (--max-memory): resident memory and the
// machine's physical memory. Linux (/proc, sysconf).
#pragma once

#include <cstdint>

namespace mommie {

// Resident set size of this process, in bytes (/proc/self/statm).
uint64_t residentBytes();
// Resident set size of process `pid` (a child), in bytes (0 if gone).
uint64_t residentBytesOf(int pid);

// Physical memory of the machine, in bytes (0 if unknown).
uint64_t physicalMemoryBytes();

} // namespace mommie
