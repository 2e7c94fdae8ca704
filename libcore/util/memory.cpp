#include "util/memory.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1024 << 20);
}

double usable_memory_bytes() {
  double bytes = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  for (const char* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(path);
    double limit = 0;
    if (in >> limit && limit > 0) bytes = std::min(bytes, limit);  // "max" fails to parse: no limit
  }
  return bytes;
}

void require_memory(double bytes, const std::string& what) {
  const double usable = usable_memory_bytes();
  if (bytes > usable)
    throw Error(what + " needs " + fmt("%.3g", bytes / 1e9) + " GB of memory but " + fmt("%.3g", usable / 1e9) +
                " GB are available");
}

}  // namespace ctd
