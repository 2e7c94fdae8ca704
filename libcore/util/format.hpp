// Numbers as text: printf formatting for log lines, and the shortest text
// that reads back as the same double (config files, provenance).
#pragma once
#include <charconv>
#include <cstdio>
#include <string>

namespace ctd {

inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

inline std::string shortest_text(double v) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace ctd
