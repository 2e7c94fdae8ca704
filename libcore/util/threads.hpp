// One knob for all parallelism (--threads): OpenMP loops and BLAS together.
#pragma once

namespace ctd {

// Thread count when --threads is not given: OMP_NUM_THREADS, else
// SLURM_CPUS_PER_TASK, else every core of the machine.
int default_thread_count();

// Sets the number of worker threads (0 = default_thread_count()). BLAS itself
// runs single-threaded: our products are small, and parallelism pays across
// trials of a batch, not inside one product.
void set_thread_count(int n);
int thread_count();

}  // namespace ctd
