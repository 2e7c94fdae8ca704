// Numbers as text: printf formatting for log lines, and the shortest text
// that reads back as the same double (config files, provenance).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>

namespace ctd {

inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

inline std::string shortest_text(double v) {
  char buf[40];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace ctd
