#include "util/memory.hpp"

#include <malloc.h>

namespace ctd {

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1024 << 20);
}

}  // namespace ctd
