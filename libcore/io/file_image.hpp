// HDF5 files that live in memory: outputs built before they are written
// (io/output.hpp), stdin's file image, and states passed between processes
// (a population member travelling through MPI or a pipe) as plain bytes.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

// A new, empty in-memory file; `name` is what messages call it.
std::unique_ptr<H5File> memory_file(const std::string& name);

// The file's bytes, as they would be on disk (flushed first).
std::vector<char> file_image(H5File& file);

// Opens bytes as a read-only file (HDF5 keeps its own copy), called
// `file_name` (default: `name`). Not an HDF5 file, or a damaged one: an
// Error that starts with `name`.
H5File open_file_image(const std::vector<char>& image, const std::string& name, const std::string& file_name = "");

}  // namespace ctd
