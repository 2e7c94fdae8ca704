// Text that came from a file or a user, made safe to show. Researchers open
// files others send them: a dataset name, an attribute or a history line must
// not move the cursor, retitle the terminal, forge a log line or break JSON.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace ctd {

// The length (1-4) of the valid UTF-8 sequence starting at s[i], or 0 when
// the byte there does not start one (a stray continuation byte, an overlong
// form, a surrogate, a code point above U+10FFFF, a cut-off sequence).
size_t utf8_length(std::string_view s, size_t i);

// Valid UTF-8 that is not a control character passes; every control
// character (C0, DEL, C1) becomes a visible escape (\n, \t, \r, \e, \x01,
// \u0085) and every byte outside a valid UTF-8 sequence becomes \xNN.
std::string printable(std::string_view s);

// As printable(), but keeps line breaks and tabs (multi-line values).
std::string printable_lines(std::string_view s);

// A JSON string literal (with its quotes): always valid JSON, whatever the
// bytes; invalid UTF-8 bytes appear as the text \xNN.
std::string json_string(std::string_view s);

}  // namespace ctd
