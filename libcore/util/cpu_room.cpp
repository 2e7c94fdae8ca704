#include "util/cpu_room.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
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

bool team_fits(int threads, int runnable, int own_running, int cpus) {
  const int others = std::max(0, runnable - own_running);
  return threads <= 1 || others + threads <= cpus;  // one thread has nothing to wait for
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

bool CpuRoom::room_for(int threads) {
  if (!visible()) return true;
  const int runnable = loadavg_runnable(read_at_start(loadavg_fd_));
  if (runnable < 0) return true;
  return team_fits(threads, runnable, own_running(), cpus_);
}

}  // namespace ctd
