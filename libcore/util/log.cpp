#include "util/log.hpp"

#include <unistd.h>

#include <cstdio>

namespace ctd {

namespace {
std::string g_program = "ctd";
LogLevel g_level = LogLevel::Info;

void write_line(const std::string& text) {
  std::string line = g_program + ": " + text + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}
}  // namespace

void set_program_name(const std::string& name) { g_program = name; }
const std::string& program_name() { return g_program; }
void set_log_level(LogLevel level) { g_level = level; }
LogLevel log_level() { return g_level; }

void log_info(const std::string& m) {
  if (g_level >= LogLevel::Info) write_line(m);
}
void log_verbose(const std::string& m) {
  if (g_level >= LogLevel::Verbose) write_line(m);
}
void log_warning(const std::string& m) {
  if (g_level >= LogLevel::Info) write_line("warning: " + m);
}
void log_error(const std::string& m) { write_line(m); }

Progress::Progress(double interval_seconds)
    : tty_(isatty(STDERR_FILENO) == 1), interval_(interval_seconds), last_(Clock::now()) {}

Progress::~Progress() {
  if (drawn_) std::fputc('\n', stderr);
}

bool Progress::due() const {
  if (g_level < LogLevel::Info) return false;
  double wait = tty_ ? 0.1 : interval_;
  return std::chrono::duration<double>(Clock::now() - last_).count() >= wait;
}

void Progress::update(const std::string& line) {
  if (due()) emit(line);
}

void Progress::finish(const std::string& line) {
  if (g_level < LogLevel::Info) return;
  emit(line);
  if (drawn_) {
    std::fputc('\n', stderr);
    drawn_ = false;
  }
}

void Progress::emit(const std::string& line) {
  last_ = Clock::now();
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s: %s", g_program.c_str(), line.c_str());
    drawn_ = true;
    std::fflush(stderr);
  } else {
    write_line(line);
  }
}

}  // namespace ctd
