#include "io/file_image.hpp"

#include <hdf5_hl.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "util/error.hpp"

namespace ctd {

// The core driver without a backing store: the file never touches the disk
// itself, so a full disk is one clean error from the writer instead of a
// failed close that libhdf5 retries — and crashes on — at exit.
std::unique_ptr<H5File> memory_file(const std::string& name) {
  hdf5_init();
  Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fapl_core(fapl.get(), 1 << 20, 0);
  // HDF5 knows open files by name: each in-memory file needs its own, however many are open at once.
  static std::atomic<uint64_t> made{0};
  const std::string id = "ctd-output-" + std::to_string(getpid()) + "-" + std::to_string(made++);
  hid_t f = H5Fcreate(id.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (f < 0) throw Error(name + ": cannot create an in-memory HDF5 file: " + hdf5_error_message());
  return std::make_unique<H5File>(Hid(f, H5Fclose), name);
}

std::vector<char> file_image(H5File& file) {
  if (H5Fflush(file.id(), H5F_SCOPE_GLOBAL) < 0)
    throw Error(file.name() + ": cannot finish the HDF5 file: " + hdf5_error_message());
  const ssize_t size = H5Fget_file_image(file.id(), nullptr, 0);
  if (size < 0) throw Error(file.name() + ": cannot build the HDF5 file: " + hdf5_error_message());
  std::vector<char> image(static_cast<size_t>(size));
  if (H5Fget_file_image(file.id(), image.data(), image.size()) < 0)
    throw Error(file.name() + ": cannot build the HDF5 file: " + hdf5_error_message());
  return image;
}

H5File open_file_image(const std::vector<char>& image, const std::string& name, const std::string& file_name) {
  hdf5_init();
  static const char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  if (image.empty()) throw Error(name + ": no data (expected an HDF5 file)");
  if (image.size() < 8 || std::memcmp(image.data(), signature, 8) != 0) throw Error(name + ": not an HDF5 file");
  hid_t f = H5LTopen_file_image(const_cast<char*>(image.data()), image.size(), 0);
  if (f < 0) throw Error(name + ": cannot open the HDF5 image: " + hdf5_error_message());
  return H5File(Hid(f, H5Fclose), file_name.empty() ? name : file_name);
}

}  // namespace ctd
