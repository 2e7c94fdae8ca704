// Whether a team of our threads would each find a free CPU right now, seen
// from the kernel's run queues: the machine's runnable tasks
// (/proc/loadavg), less this process's own running threads, against the
// CPUs the process may use. A team that meets every few microseconds
// (run-esn) loses badly when one of its threads shares a core with another
// process (it waits milliseconds at every barrier); one look before trying
// the team, and a few during a pass, keep it from trying at all on a full node.
#pragma once
#include <string>
#include <vector>

namespace ctd {

// The pieces, on their own for tests.
// The running count of /proc/loadavg's "1.00 0.50 0.20 3/412 9876" (3), or -1.
int loadavg_runnable(const std::string& loadavg);
// Whether a /proc/PID/task/TID/stat line's state (after the last ')') is R.
bool stat_line_running(const std::string& stat);
// Room iff the other runnable tasks and `threads` of ours fit on `cpus` CPUs
// (always for one thread).
// `runnable` counts the machine's runnable tasks, `own_running` those of them
// that are ours (the caller among them).
bool team_fits(int threads, int runnable, int own_running, int cpus);

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

 private:
  int own_running();
  void rescan_tasks();

  int loadavg_fd_ = -1, self_stat_fd_ = -1;
  int cpus_ = 1;
  std::vector<int> task_fds_;  // /proc/self/task/TID/stat of each thread, kept open
};

}  // namespace ctd
