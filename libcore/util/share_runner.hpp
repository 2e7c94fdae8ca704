// Runs the phases of a computation split into shares, phase n of every share
// after phase n − 1 of all of them: by a team of threads, one share each,
// meeting at a spinning barrier after every phase; or — while the machine's
// run queues show no free CPU for each thread, or after the team proved
// slower than one thread would be — by one thread carrying every share in
// turn. A phase must read only what the other shares wrote in earlier phases,
// so both ways do the same arithmetic and give the same result. Made for
// run-esn's FORCE pass, whose threads meet at every time step (microseconds
// apart), where a thread that shares its core with another process would hold
// up every meeting.
#pragma once
#include <functional>

#include "util/cpu_room.hpp"

namespace ctd {

class ShareRunner {
 public:
  explicit ShareRunner(int shares) : shares_(shares) {}

  // Calls prepare(id) once for every share, from the thread that will run it
  // (so what it allocates lies in that thread's memory arena), then
  // phase(id, n) for n = 0 … last_phase. Throws Error when OpenMP starts
  // fewer threads than there are shares.
  void run(int last_phase, const std::function<void(int)>& prepare, const std::function<void(int, int)>& phase);

  // Test hooks: the next `runs` runs in one thread; in the next team run,
  // hand over to one thread after phase n. Either gives the team's result.
  void carry_alone(int runs) { sequential_runs_ = runs; }
  void carry_after_phase(int n) { carry_after_phase_ = n; }
  // How many phases of the last run the team ran; one thread ran the rest.
  int phases_in_team() const { return phases_in_team_; }

 private:
  int shares_;
  CpuRoom room_;                // the run queues: whether the team would find its CPUs free
  int fits_ = 0, fulls_ = 0;    // looks at them during the last run: free / full
  int sequential_runs_ = 0;     // runs still to carry in one thread (the team was held up)
  int sequential_streak_ = 0;   // held-up runs in a row
  int carry_after_phase_ = -1;  // test hook
  int phases_in_team_ = 0;
};

}  // namespace ctd
