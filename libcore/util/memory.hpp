// Keeps freed memory in the process instead of returning it to the kernel.
// Eigen's matrix products allocate their packing buffers on every call; above
// glibc's mmap threshold each one would be fresh pages, and on this machine a
// freshly touched page costs ~12 µs — enough to double a batch.
#pragma once
#include <string>

namespace ctd {

void keep_freed_memory();

// Bytes of memory this process may use: physical memory, or less under a
// cgroup limit (memory.max / memory.limit_in_bytes).
double usable_memory_bytes();

// Refuses (Error, exit 1) a request of `bytes` beyond usable memory, saying
// what needed it and how much: a run must fail in its first second, not be
// killed by the kernel after minutes.
void require_memory(double bytes, const std::string& what);

}  // namespace ctd
