#include "util/signals.hpp"

#include <csignal>
#include <initializer_list>

namespace ctd {

namespace {
volatile sig_atomic_t g_pending = 0;
extern "C" void remember_signal(int sig) { g_pending = sig; }
}  // namespace

void install_checkpoint_signals() {
  struct sigaction sa {};
  sa.sa_handler = remember_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGTERM, SIGINT, SIGUSR1}) sigaction(sig, &sa, nullptr);
}

int take_pending_signal() {
  int sig = g_pending;
  g_pending = 0;
  return sig;
}

}  // namespace ctd
