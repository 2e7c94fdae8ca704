// Whether a team of our threads would each find a free CPU right now, seen
// from the kernel's run queues: the machine's runnable tasks
// (/proc/loadavg), less this process's own running threads, against the
// CPUs the process may use. A team that meets often — run-esn at every time
// step, train-rnn at every batch of a few milliseconds — loses badly when one
// of its threads shares a core with another process (it waits a scheduler
// slice at every meeting). A few cheap looks let such loops run their parts
// in fewer threads on a full node, with the same arithmetic.
#pragma once
#include <atomic>
#include <string>
#include <vector>

namespace ctd {

// The pieces, on their own for tests.
// The running count of /proc/loadavg's "1.00 0.50 0.20 3/412 9876" (3), or -1.
int loadavg_runnable(const std::string& loadavg);
// Whether a /proc/PID/task/TID/stat line's state (after the last ')') is R.
bool stat_line_running(const std::string& stat);
// How many of `threads` find a CPU free of other runnable tasks (at least 1):
// `runnable` counts the machine's runnable tasks, `own_running` those of them
// that are ours (the caller among them).
int free_cpus(int threads, int runnable, int own_running, int cpus);

class CpuRoom {
 public:
  CpuRoom();
  ~CpuRoom();
  CpuRoom(const CpuRoom&) = delete;
  CpuRoom& operator=(const CpuRoom&) = delete;

  // False when the run queues do not tell: no /proc, or the process may use
  // only some of the machine's CPUs (a cpuset or a CPU quota), whose load
  // /proc/loadavg does not show apart.
  bool visible() const { return loadavg_fd_ >= 0; }
  // One look (a few µs): whether `threads` running threads of ours would
  // find a CPU each. True when not visible().
  bool room_for(int threads);
  // One look: how many of `threads` running threads of ours would find a
  // CPU each (1 … threads). `threads` when not visible().
  int free_for(int threads);

 private:
  int own_running();
  void rescan_tasks();

  int loadavg_fd_ = -1, self_stat_fd_ = -1;
  int cpus_ = 1;
  std::vector<int> task_fds_;  // /proc/self/task/TID/stat of each thread, kept open
};

// The threads a parallel loop over `threads` equal parts should start: all
// of them, unless the run queues show other processes holding the CPUs — then
// as many as find a free CPU (the parts spread over them). A thread that
// shares its core with a busy process runs in the scheduler's slices of a few
// milliseconds: a loop whose parts are shorter than that waits for it at every
// end, while one whose parts are much longer merely shares the CPUs fairly
// (and more threads get more of them), so parts that took `part_cpu_ms` > 10 ms
// of CPU time keep the whole team. Only for loops whose parts do not depend on
// which thread runs them, so the result is the same whatever the team. Looks
// at most every 2 ms and shrinks the team only when three looks in a row
// agree: an idle virtual machine shows another runnable task in about one
// look of five (its own daemons), a busy node in every look.
int team_size(int threads, double part_cpu_ms);

// The same for one loop that runs again and again, timing its parts:
//   #pragma omp parallel for num_threads(team.start(parts)) schedule(static, 1)
//   for (int k = 0; k < parts; ++k) {
//     const LoopTeam::Part timed(team);
//     ...
//   }
class LoopTeam {
 public:
  int start(int parts) { return team_size(parts, part_cpu_ms_.load(std::memory_order_relaxed)); }

  // Measures the CPU time of one part (not its wall time, which a busy node stretches).
  class Part {
   public:
    explicit Part(LoopTeam& team);
    ~Part();
    Part(const Part&) = delete;
    Part& operator=(const Part&) = delete;

   private:
    LoopTeam& team_;
    double t0_;
  };

 private:
  std::atomic<double> part_cpu_ms_{0};
};

}  // namespace ctd
