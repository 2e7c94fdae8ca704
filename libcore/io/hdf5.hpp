// A small RAII layer over the HDF5 C API: typed N-d datasets and attributes,
// file images for stdin, and errors that name the file and the dataset.
// HDF5's own error-stack printing is switched off; its errors become one line.
#pragma once
#include <hdf5.h>

#include <complex>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/array.hpp"

namespace ctd {

// Silences HDF5's automatic error printing (idempotent; called by every open).
void hdf5_init();

// Whether datasets may reach outside their file: external links, raw data in
// external files, virtual datasets mapped from other files. Refused by default
// (a file someone sent must not read the reader's other files); every program's
// --allow-external turns it on.
void allow_external_data(bool allow);

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  Hid(hid_t id, Closer close) : id_(id), close_(close) {}
  Hid(Hid&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), close_(o.close_) {}
  Hid& operator=(Hid&& o) noexcept;
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  ~Hid() { reset(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now and reports whether closing succeeded.
  bool reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

// The memory type that stores T (complex: the {r,i} float64 compound).
template <class T>
Hid h5_type();

class H5File {
 public:
  // Opens an existing file read-only; "-" reads an HDF5 file image from stdin.
  static H5File open(const std::string& path);
  // Wraps an open file identifier; `name` is what messages call it.
  H5File(Hid file, std::string name) : file_(std::move(file)), name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  hid_t id() const { return file_.get(); }
  bool close() { return file_.reset(); }

  // ---- datasets -------------------------------------------------------
  bool has_dataset(const std::string& path) const;
  Shape dataset_shape(const std::string& path) const;
  // Reads a dataset, converting its values to T.
  template <class T>
  Array<T> read(const std::string& path) const;
  // Reads a dataset whose rank must match `dims`, e.g. "[B,T,U]"; the message
  // on mismatch quotes both shapes.
  template <class T>
  Array<T> read(const std::string& path, const std::string& dims) const;
  // As read(path, dims), and fails on NaN or Inf.
  Array<float> read_finite(const std::string& path, const std::string& dims) const;

  template <class T>
  void write(const std::string& path, const Shape& shape, const T* data);
  template <class T>
  void write(const std::string& path, const Array<T>& a) {
    write(path, a.shape, a.ptr());
  }
  void create_group(const std::string& path);
  // Every dataset in the file, as full paths without the leading '/'.
  std::vector<std::string> list_datasets() const;
  // Every group but the root, likewise.
  std::vector<std::string> list_groups() const;
  // "float32", "int64", "complex128", "string", ...
  std::string dataset_type_name(const std::string& path) const;

  // ---- attributes (on the root group unless `object` is given) ---------
  bool has_attribute(const std::string& name, const std::string& object = "/") const;
  std::vector<std::string> list_attributes(const std::string& object = "/") const;
  bool attribute_is_string(const std::string& name, const std::string& object = "/") const;
  void write_attribute(const std::string& name, double v, const std::string& object = "/");
  void write_attribute(const std::string& name, int64_t v, const std::string& object = "/");
  void write_attribute(const std::string& name, const std::string& v, const std::string& object = "/");
  void write_attribute(const std::string& name, const char* v, const std::string& object = "/") {
    write_attribute(name, std::string(v), object);
  }
  void write_attribute(const std::string& name, const std::vector<double>& v, const std::string& object = "/");
  void write_attribute(const std::string& name, const std::vector<std::string>& v,
                       const std::string& object = "/");
  double read_attribute_double(const std::string& name, const std::string& object = "/") const;
  // A number that must lie in [lo, hi] (NaN never does): an Error naming the
  // file, the attribute and the range otherwise.
  double read_attribute_in(const std::string& name, double lo, double hi, const std::string& object = "/") const;
  std::string read_attribute_string(const std::string& name, const std::string& object = "/") const;
  std::vector<double> read_attribute_doubles(const std::string& name, const std::string& object = "/") const;
  std::vector<std::string> read_attribute_strings(const std::string& name,
                                                  const std::string& object = "/") const;

  // "<file>: dataset 'x' ..." — the start of every message about this file.
  std::string where(const std::string& dataset) const;

 private:
  Hid file_;
  std::string name_;
  Hid open_object(const std::string& object) const;
  Hid open_attribute(const std::string& name, const std::string& object) const;
  void remove_attribute_if_present(hid_t obj, const std::string& name);
};

// The most specific message on HDF5's current error stack ("" if none).
std::string hdf5_error_message();

// Fails when any value is NaN or Inf, naming where the first one is.
void require_finite(const Array<float>& a, const std::string& where);
void require_finite(const Array<double>& a, const std::string& where);

}  // namespace ctd
