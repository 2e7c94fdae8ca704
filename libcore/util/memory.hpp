// Keeps freed memory in the process instead of returning it to the kernel.
// Eigen's matrix products allocate their packing buffers on every call; above
// glibc's mmap threshold each one would be fresh pages, and on this machine a
// freshly touched page costs ~12 µs — enough to double a batch.
#pragma once

namespace ctd {

void keep_freed_memory();

}  // namespace ctd
