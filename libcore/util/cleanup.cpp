#include "util/cleanup.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace ctd {

namespace {
// Fixed storage: a signal handler may not allocate.
constexpr int kSlots = 16;
constexpr int kPathMax = 4096;
char g_paths[kSlots][kPathMax];
volatile sig_atomic_t g_used[kSlots];
volatile sig_atomic_t g_child = 0;

extern "C" void on_fatal_signal(int sig) {
  if (const pid_t child = g_child; child > 0) {  // first the child, which may still write a temporary file
    ::kill(child, SIGKILL);
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i]) ::unlink(g_paths[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}
}  // namespace

void install_cleanup_handlers() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, on_fatal_signal);
  // A closed pipe downstream is reported as a write error, not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
}

void register_temp_file(const std::string& path) {
  if (path.size() >= size_t(kPathMax)) return;
  for (int i = 0; i < kSlots; ++i) {
    if (!g_used[i]) {
      std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
      g_used[i] = 1;
      return;
    }
  }
}

void unregister_temp_file(const std::string& path) {
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i] && path == g_paths[i]) g_used[i] = 0;
}

void register_child(pid_t pid) { g_child = pid; }

}  // namespace ctd
