// Shared helpers of the unit tests: scratch folders and fixtures.
#pragma once
#include <filesystem>
#include <string>

namespace ctd::test {

// A fresh folder under the system temp dir, removed with its contents at scope end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Number of entries in the folder (to check that no temp file remains).
  size_t entries() const;

 private:
  std::filesystem::path path_;
};

inline std::string fixture(const std::string& name) { return std::string(CTD_FIXTURES) + "/" + name; }

}  // namespace ctd::test
