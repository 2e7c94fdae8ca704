#include "util/printable.hpp"

#include <cstdint>
#include <cstdio>

namespace ctd {

size_t utf8_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return uint8_t(s[k]); };
  const uint8_t c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (byte(i + k) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

namespace {
// The code point of a valid sequence of length n at s[i].
uint32_t code_point(std::string_view s, size_t i, size_t n) {
  static const uint8_t lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t cp = uint8_t(s[i]) & lead_mask[n];
  for (size_t k = 1; k < n; ++k) cp = cp << 6 | (uint8_t(s[i + k]) & 0x3F);
  return cp;
}

bool is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

std::string hex_escape(const char* format, unsigned v) {
  char buf[12];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string escaped(std::string_view s, bool keep_lines) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_length(s, i);
    if (n == 0) {
      out += hex_escape("\\x%02X", uint8_t(s[i++]));
      continue;
    }
    const uint32_t cp = code_point(s, i, n);
    if (!is_control(cp) || (keep_lines && (cp == '\n' || cp == '\t'))) {
      out.append(s.substr(i, n));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == 0x1B) {
      out += "\\e";
    } else {
      out += hex_escape(cp < 0x80 ? "\\x%02X" : "\\u%04X", cp);
    }
    i += n;
  }
  return out;
}
}  // namespace

std::string printable(std::string_view s) { return escaped(s, false); }
std::string printable_lines(std::string_view s) { return escaped(s, true); }

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_length(s, i);
    if (n == 0) {
      out += hex_escape("\\\\x%02X", uint8_t(s[i++]));  // the text \xNN: JSON has no byte escapes
      continue;
    }
    const uint32_t cp = code_point(s, i, n);
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += char(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (is_control(cp)) {
      out += hex_escape("\\u%04x", cp);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out + "\"";
}

}  // namespace ctd
