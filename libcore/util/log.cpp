#include "util/log.hpp"

#include <unistd.h>

#include <cstdio>

#include "util/printable.hpp"

namespace ctd {

namespace {
std::string g_program = "ctd";
LogLevel g_level = LogLevel::Info;

// Messages quote names and values from files: escaped, so none can drive the terminal.
void write_line(const std::string& text) {
  std::string line = g_program + ": " + printable(text) + "\n";
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

Progress::Progress(double interval_seconds, uint64_t first_done)
    : tty_(isatty(STDERR_FILENO) == 1), interval_(interval_seconds), last_(Clock::now()), start_(last_),
      first_done_(first_done) {}

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

namespace {
std::string clock_text(double seconds) {
  const long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}
}  // namespace

void Progress::update(const std::string& line, uint64_t done, uint64_t total) {
  if (!due()) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  std::string tail = "  [" + std::to_string(total ? int(100.0 * double(done) / double(total)) : 100) + " %, " +
                     clock_text(elapsed) + " elapsed";
  const uint64_t since = done > first_done_ ? done - first_done_ : 0;
  if (since > 0 && total > done) tail += ", ETA " + clock_text(elapsed / double(since) * double(total - done));
  emit(line + tail + "]");
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
    std::fprintf(stderr, "\r\033[K%s: %s", g_program.c_str(), printable(line).c_str());
    drawn_ = true;
    std::fflush(stderr);
  } else {
    write_line(line);
  }
}

}  // namespace ctd
