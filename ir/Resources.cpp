#include "ir/Resources.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace mommie {

namespace {
uint64_t statmResident(const char *path) {
  FILE *f = std::fopen(path, "r");
  if (!f)
    return 0;
  unsigned long long size = 0, rss = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &rss);
  std::fclose(f);
  return n == 2 ? rss * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}
} // namespace

uint64_t residentBytes() { return statmResident("/proc/self/statm"); }

uint64_t residentBytesOf(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/statm";
  return statmResident(path.c_str());
}

uint64_t physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? uint64_t(pages) * uint64_t(page) : 0;
}

} // namespace mommie
