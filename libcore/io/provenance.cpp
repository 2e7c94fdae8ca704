#include "io/provenance.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>

#ifndef CTD_VERSION
#define CTD_VERSION "0.0.0"
#endif

namespace ctd {

const char* ctd_version() { return CTD_VERSION; }

std::string iso_time_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string read_history(const H5File& in) {
  if (!in.has_attribute("history")) return "";
  return in.read_attribute_string("history");
}

namespace {
bool parse_int(const std::string& s, int64_t& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long x = std::strtoll(s.c_str(), &end, 10);
  if (*end || errno) return false;
  v = x;
  return true;
}

bool parse_double(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  double x = std::strtod(s.c_str(), &end);
  if (*end) return false;
  v = x;
  return true;
}
}  // namespace

void write_provenance(H5File& out, const std::string& kind, const RunInfo& run,
                      const std::string& earlier_history) {
  for (const auto& opt : run.options) {
    std::string attr = opt.name;
    for (char& c : attr)
      if (c == '-') c = '_';
    int64_t i;
    double d;
    if (opt.kind == 'b')
      out.write_attribute(attr, int64_t(opt.value == "true" || opt.value == "1"));
    else if (opt.kind == 'i' && parse_int(opt.value, i))
      out.write_attribute(attr, i);
    else if (opt.kind == 'f' && parse_double(opt.value, d))
      out.write_attribute(attr, d);
    else
      out.write_attribute(attr, opt.value);
  }
  out.write_attribute("ctd_kind", kind);
  out.write_attribute("ctd_version", std::string(ctd_version()));
  std::string history = earlier_history;
  if (run.record_history) {
    std::string line = iso_time_now() + " " + run.command_line;
    history = history.empty() ? line : line + "\n" + history;
  }
  if (!history.empty()) out.write_attribute("history", history);
}

}  // namespace ctd
