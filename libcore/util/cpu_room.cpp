#include "util/cpu_room.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <mutex>
#include <sstream>

#include "util/threads.hpp"

namespace ctd {

namespace {
// The whole of a small /proc file, read again from its start (proc files
// regenerate on a read at offset 0, so an open descriptor serves every look).
std::string read_at_start(int fd) {
  char buf[1024];
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

// Field `number` of a /proc stat line, numbered as in proc(5): 1 the id, 2
// the command name in parentheses (which may itself hold spaces and
// parentheses), 3 the state, ... 20 the thread count.
std::string stat_field(const std::string& stat, int number) {
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || number < 3) return std::string();
  std::istringstream in(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= number; ++i)
    if (!(in >> field)) return std::string();
  return field;
}
}  // namespace

int loadavg_runnable(const std::string& loadavg) {
  std::istringstream in(loadavg);
  std::string a, b, c, tasks;
  if (!(in >> a >> b >> c >> tasks)) return -1;
  const size_t slash = tasks.find('/');
  if (slash == std::string::npos || slash == 0) return -1;
  char* end = nullptr;
  const long n = std::strtol(tasks.c_str(), &end, 10);
  return end == tasks.c_str() + slash && n >= 0 ? int(n) : -1;
}

bool stat_line_running(const std::string& stat) {
  return stat_field(stat, 3) == "R";
}

int free_cpus(int threads, int runnable, int own_running, int cpus) {
  const int others = std::max(0, runnable - own_running);
  return std::clamp(cpus - others, 1, std::max(1, threads));  // one thread always runs
}

CpuRoom::CpuRoom() {
  cpus_ = int(sysconf(_SC_NPROCESSORS_ONLN));
  // The machine's run queue speaks for our CPUs only when they are all of them.
  if (cpus_ < 1 || usable_cores() != cpus_) return;
  loadavg_fd_ = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
  self_stat_fd_ = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (self_stat_fd_ < 0 || loadavg_runnable(read_at_start(loadavg_fd_)) < 0) {
    if (loadavg_fd_ >= 0) close(loadavg_fd_);
    loadavg_fd_ = -1;
  }
}

CpuRoom::~CpuRoom() {
  if (loadavg_fd_ >= 0) close(loadavg_fd_);
  if (self_stat_fd_ >= 0) close(self_stat_fd_);
  for (int fd : task_fds_) close(fd);
}

void CpuRoom::rescan_tasks() {
  for (int fd : task_fds_) close(fd);
  task_fds_.clear();
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    const std::string path = std::string("/proc/self/task/") + e->d_name + "/stat";
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) task_fds_.push_back(fd);
  }
  closedir(dir);
}

int CpuRoom::own_running() {
  // Threads come and go (OpenMP's pool, MPI's helpers): look again when
  // their number changed or one of them is gone.
  const size_t threads = size_t(std::atoi(stat_field(read_at_start(self_stat_fd_), 20).c_str()));
  if (threads != task_fds_.size()) rescan_tasks();
  int running = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    running = 0;
    bool gone = false;
    for (int fd : task_fds_) {
      const std::string stat = read_at_start(fd);
      gone |= stat.empty();  // a thread that ended
      running += stat_line_running(stat);
    }
    if (!gone) break;
    rescan_tasks();
  }
  return std::max(1, running);  // the caller runs
}

int CpuRoom::free_for(int threads) {
  if (!visible()) return threads;
  // Our threads counted on both sides of the machine's count: one that woke
  // or slept between the reads is still ours, not another process.
  const int before = own_running();
  const int runnable = loadavg_runnable(read_at_start(loadavg_fd_));
  if (runnable < 0) return threads;
  return free_cpus(threads, runnable, std::max(before, own_running()), cpus_);
}

bool CpuRoom::room_for(int threads) { return free_for(threads) == std::max(1, threads); }

int team_size(int threads, double part_cpu_ms) {
  if (threads <= 1) return 1;
  using Clock = std::chrono::steady_clock;
  static CpuRoom room;
  static Clock::time_point next_look{};
  static int looks[3] = {INT_MAX, INT_MAX, INT_MAX};  // the last three; none yet: the whole team
  static std::mutex mutex;                            // in case two loops start at once
  if (!room.visible() || part_cpu_ms > 10) return threads;
  std::lock_guard<std::mutex> lock(mutex);
  const auto now = Clock::now();
  if (now >= next_look) {
    next_look = now + std::chrono::milliseconds(2);
    looks[2] = looks[1], looks[1] = looks[0], looks[0] = room.free_for(threads);
  }
  return std::clamp(std::max({looks[0], looks[1], looks[2]}), 1, threads);
}

namespace {
double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}
}  // namespace

LoopTeam::Part::Part(LoopTeam& team) : team_(team), t0_(thread_cpu_ms()) {}

LoopTeam::Part::~Part() { team_.part_cpu_ms_.store(thread_cpu_ms() - t0_, std::memory_order_relaxed); }

}  // namespace ctd
