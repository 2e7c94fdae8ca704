// Questions about files that several parts of ctd ask.
#pragma once
#include <string>

namespace ctd {

// Whether two names denote one file: the same device and inode when both
// exist, the same absolute name (folder resolved through its links) when
// neither does yet. "-" is never a file.
bool same_file(const std::string& a, const std::string& b);

// Whether `path` exists. Only "no such file" counts as absent: any other
// failure to look (a permission error, a loop of links) throws Error naming
// the path, so that a caller never takes an unreadable file for a missing one.
bool file_exists(const std::string& path);

}  // namespace ctd
