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

// Any bytes, written all at once: the destination is checked and a temporary
// file reserved beside it at construction; commit() writes, syncs and renames.
// "-" is stdout, refused when it is a terminal (`what` names the data).
class AtomicOutput {
 public:
  // Fails at once (before any work) if the destination folder is missing or
  // not writable, or if "-" would write binary data to a terminal.
  AtomicOutput(const std::string& path, const std::string& what);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::string& path() const { return path_; }
  bool to_stdout() const { return temp_.empty() && !direct_; }
  void commit(const char* data, size_t size);

 private:
  std::string path_;
  std::string temp_;  // empty for stdout and devices
  bool direct_ = false;  // a device or pipe: written in place
  bool committed_ = false;
};

// An HDF5 output, built in memory and written by an AtomicOutput.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  H5File& h5() { return *file_; }
  const std::string& path() const { return out_.path(); }
  void commit();

 private:
  AtomicOutput out_;
  std::unique_ptr<H5File> file_;
};

// Test hook: makes the next commit() fail just before the rename, as a full
// disk or a crash would, so tests can check that nothing partial remains.
void simulate_commit_failure_once();

}  // namespace ctd
