// Numbers in log lines: printf formatting into a std::string.
#pragma once
#include <cstdio>
#include <string>

namespace ctd {

inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace ctd
