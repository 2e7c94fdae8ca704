// Log lines and progress on stderr (stdout carries data only).
// Every line starts with the program's name, so lines from a pipeline of
// several ctd programs stay attributable.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace ctd {

enum class LogLevel { Quiet = 0, Info = 1, Verbose = 2, Debug = 3 };

void set_program_name(const std::string& name);
const std::string& program_name();
void set_log_level(LogLevel level);
LogLevel log_level();

void log_info(const std::string& message);     // shown unless -q
void log_verbose(const std::string& message);  // shown with -v
void log_warning(const std::string& message);  // shown unless -q, prefixed "warning:"
void log_error(const std::string& message);    // always shown

// Progress of long work. On a terminal the line is redrawn in place (at most
// ten times a second); otherwise a plain line is written every `interval`
// seconds, so batch logs stay readable. Silent under -q.
class Progress {
 public:
  // `first_done`: where a counted run starts (a resumed run's step), for the ETA.
  explicit Progress(double interval_seconds = 5.0, uint64_t first_done = 0);
  ~Progress();
  // True when a line would be shown now: lets callers skip formatting work.
  bool due() const;
  void update(const std::string& line);
  // The same, followed by how far the run is: "[43 %, 0:12 elapsed, ETA 0:16]".
  void update(const std::string& line, uint64_t done, uint64_t total);
  // Writes the final line unconditionally (and ends a redrawn line).
  void finish(const std::string& line);

 private:
  using Clock = std::chrono::steady_clock;
  bool tty_;
  double interval_;
  Clock::time_point last_;
  bool drawn_ = false;
  Clock::time_point start_;
  uint64_t first_done_;
  void emit(const std::string& line);
};

}  // namespace ctd
