// Outputs are never half-written (docs/conventions.md): an OutputFile writes into a
// temporary file beside its destination and renames it into place on commit().
// Destroyed without commit (an error, an exception), it leaves nothing behind
// and an existing file of the same name untouched. "-" builds the file in
// memory and streams it to stdout as an HDF5 file image on commit().
#pragma once
#include <memory>
#include <string>

#include "io/hdf5.hpp"

namespace ctd {

class OutputFile {
 public:
  // Fails at once (before any work) if the destination folder is missing or
  // not writable, or if "-" would write binary data to a terminal.
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  H5File& h5() { return *file_; }
  const std::string& path() const { return path_; }
  void commit();

 private:
  std::string path_;
  std::string temp_;  // empty for stdout
  std::unique_ptr<H5File> file_;
  bool committed_ = false;
};

// Test hook: makes the next commit() fail just before the rename, as a full
// disk or a crash would, so tests can check that nothing partial remains.
void simulate_commit_failure_once();

}  // namespace ctd
