#include "helpers.hpp"

#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace ctd::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ctd-test-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  path_ = mkdtemp(buf.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

size_t TempDir::entries() const {
  size_t n = 0;
  for (auto it = std::filesystem::directory_iterator(path_); it != std::filesystem::directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace ctd::test
