#include "io/hdf5.hpp"

#include <hdf5_hl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <iostream>
#include <iterator>
#include <type_traits>
#include <utility>

#include "io/file_image.hpp"
#include "util/error.hpp"
#include "util/memory.hpp"

namespace ctd {

void hdf5_init() {
  static bool done = false;
  if (done) return;
  H5open();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  done = true;
}

Hid& Hid::operator=(Hid&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = std::exchange(o.id_, H5I_INVALID_HID);
    close_ = o.close_;
  }
  return *this;
}

bool Hid::reset() {
  bool ok = true;
  if (id_ >= 0 && close_) ok = close_(id_) >= 0;
  id_ = H5I_INVALID_HID;
  return ok;
}

namespace {
herr_t no_close(hid_t) { return 0; }

herr_t keep_innermost(unsigned, const H5E_error2_t* e, void* out) {
  if (e->desc && *e->desc) *static_cast<std::string*>(out) = e->desc;
  return 0;
}

// Reads all of stdin (an HDF5 file image).
std::vector<char> read_stdin() {
  std::vector<char> buf;
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("stdin: cannot read: " + std::string(std::strerror(errno)));
    if (n == 0) break;
    buf.insert(buf.end(), chunk, chunk + n);
  }
  return buf;
}


// A file is data: what it holds must be inside it. External links, raw data in
// external files and virtual datasets mapped from other files would let a file
// someone sent read any file of the reader's (and show it, or train on it), so
// they are refused unless the user allows them (--allow-external).
bool g_allow_external = false;
std::string g_refused_link;  // the file an external link named, when its traversal was refused

herr_t refuse_external_link(const char*, const char*, const char* child_file, const char* child_object, unsigned*,
                            hid_t, void*) {
  g_refused_link = std::string(child_file) + ":" + child_object;
  return -1;
}

// Access property lists whose external-link traversal is refused: a link
// access list for links and objects, a dataset access list for datasets.
hid_t refusing_list(hid_t list_class) {
  hid_t p = H5Pcreate(list_class);
  H5Pset_elink_cb(p, refuse_external_link, nullptr);
  return p;
}

hid_t link_access() {
  static const hid_t lapl = refusing_list(H5P_LINK_ACCESS);
  return g_allow_external ? H5P_DEFAULT : lapl;
}

hid_t dataset_access() {
  static const hid_t dapl = refusing_list(H5P_DATASET_ACCESS);
  return g_allow_external ? H5P_DEFAULT : dapl;
}

const char* const kAllowHint = " (a file is read only from itself; --allow-external follows such references)";

// Throws when the last failed traversal was an external link.
void check_refused_link(const std::string& file, const std::string& path) {
  if (g_refused_link.empty()) return;
  const std::string target = std::exchange(g_refused_link, "");
  throw Error(file + ": '" + path + "' is an external link to " + target + ", refused" + kAllowHint);
}
}  // namespace

void allow_external_data(bool allow) { g_allow_external = allow; }

std::string hdf5_error_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, &msg);
  H5Eclear2(H5E_DEFAULT);
  // I/O errors come as a multi-line report; the system's own message is the useful part.
  const std::string key = "error message = '";
  if (auto at = msg.find(key); at != std::string::npos) {
    const size_t end = msg.find('\'', at + key.size());
    msg = msg.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
  }
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  return msg;
}

template <>
Hid h5_type<float>() { return Hid(H5T_NATIVE_FLOAT, no_close); }
template <>
Hid h5_type<double>() { return Hid(H5T_NATIVE_DOUBLE, no_close); }
template <>
Hid h5_type<int32_t>() { return Hid(H5T_NATIVE_INT32, no_close); }
template <>
Hid h5_type<int64_t>() { return Hid(H5T_NATIVE_INT64, no_close); }
template <>
Hid h5_type<uint8_t>() { return Hid(H5T_NATIVE_UINT8, no_close); }
template <>
Hid h5_type<std::complex<double>>() {
  // h5py reads a compound of two float64 fields named r and i as complex128.
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(std::complex<double>));
  H5Tinsert(t, "r", 0, H5T_NATIVE_DOUBLE);
  H5Tinsert(t, "i", sizeof(double), H5T_NATIVE_DOUBLE);
  return Hid(t, H5Tclose);
}

H5File H5File::open(const std::string& path) {
  hdf5_init();
  if (path == "-") {
    if (isatty(STDIN_FILENO)) throw UsageError("stdin is a terminal: pipe an HDF5 file into '-'");
    return open_file_image(read_stdin(), "stdin", "<stdin>");
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not an HDF5 file");
  if (::access(path.c_str(), R_OK) != 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw Error(path + ": not an HDF5 file");
  }
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw Error(path + ": cannot open: " + hdf5_error_message());
  return H5File(Hid(f, H5Fclose), path);
}

std::string H5File::where(const std::string& dataset) const {
  return name_ + ": dataset '" + dataset + "'";
}

bool H5File::has_dataset(const std::string& path) const {
  // Check every link along the path: H5Lexists fails on a missing parent.
  size_t pos = 0;
  while (true) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (!prefix.empty() && H5Lexists(id(), prefix.c_str(), link_access()) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      check_refused_link(name_, prefix);
      return false;
    }
    if (pos == std::string::npos) break;
  }
  H5O_info_t info;
  if (H5Oget_info_by_name(id(), path.c_str(), &info, link_access()) < 0) {
    H5Eclear2(H5E_DEFAULT);
    check_refused_link(name_, path);
    return false;
  }
  return info.type == H5O_TYPE_DATASET;
}

namespace {
// Raw data in external files (H5Pset_external) and virtual datasets mapped
// from another file are refused; a virtual dataset mapped from its own file (".") is data like any other.
void refuse_outside_storage(const H5File& f, const std::string& path, hid_t dataset) {
  Hid dcpl(H5Dget_create_plist(dataset), H5Pclose);
  if (!dcpl.valid()) throw Error(f.where(path) + ": cannot read its storage layout: " + hdf5_error_message());
  if (H5Pget_external_count(dcpl.get()) > 0) {
    char name[512] = "";
    off_t offset = 0;
    hsize_t size = 0;
    H5Pget_external(dcpl.get(), 0, sizeof name, name, &offset, &size);
    throw Error(f.where(path) + " keeps its values in the external file '" + std::string(name) + "', refused" +
                kAllowHint);
  }
  if (H5Pget_layout(dcpl.get()) != H5D_VIRTUAL) return;
  size_t count = 0;
  H5Pget_virtual_count(dcpl.get(), &count);
  for (size_t i = 0; i < count; ++i) {
    const ssize_t n = H5Pget_virtual_filename(dcpl.get(), i, nullptr, 0);
    std::string source(n > 0 ? size_t(n) : 0, '\0');
    if (n > 0) H5Pget_virtual_filename(dcpl.get(), i, source.data(), size_t(n) + 1);
    if (n < 0 || source != ".")
      throw Error(f.where(path) + " is a virtual dataset mapped from the file '" + source + "', refused" + kAllowHint);
  }
}

Hid open_dataset(const H5File& f, const std::string& path) {
  if (!f.has_dataset(path)) throw Error(f.name() + ": no dataset '" + path + "'");
  hid_t d = H5Dopen2(f.id(), path.c_str(), dataset_access());
  if (d < 0) throw Error(f.where(path) + ": cannot open: " + hdf5_error_message());
  Hid dataset(d, H5Dclose);
  if (!g_allow_external) refuse_outside_storage(f, path, dataset.get());
  return dataset;
}

Shape space_shape(hid_t space) {
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return Shape(dims.begin(), dims.end());
}

std::vector<hsize_t> to_hsize(const Shape& s) { return std::vector<hsize_t>(s.begin(), s.end()); }

size_t count_dims(const std::string& dims) {
  if (dims == "[]") return 0;
  return size_t(std::count(dims.begin(), dims.end(), ',')) + 1;
}
}  // namespace

Shape H5File::dataset_shape(const std::string& path) const {
  Hid d = open_dataset(*this, path);
  Hid space(H5Dget_space(d.get()), H5Sclose);
  return space_shape(space.get());
}

namespace {
// An enum's values as the integers they stand for (h5py writes booleans as an
// enum of int8, FALSE = 0 and TRUE = 1): HDF5 converts enums to no number type,
// so they are read in their own type (by `read`, into a buffer) and widened here.
template <class Read>
std::vector<double> enum_values(hid_t type, size_t n, const std::string& what, Read read) {
  Hid base(H5Tget_super(type), H5Tclose);
  const size_t size = H5Tget_size(base.get());
  const bool is_signed = H5Tget_sign(base.get()) == H5T_SGN_2;
  if (H5Tget_class(base.get()) != H5T_INTEGER || (size != 1 && size != 2 && size != 4 && size != 8))
    throw Error(what + " is an enum of an unusual type");
  std::vector<unsigned char> raw(n * size);
  Hid mem(H5Tget_native_type(type, H5T_DIR_ASCEND), H5Tclose);
  if (n && read(mem.get(), raw.data()) < 0) throw Error(what + ": cannot read: " + hdf5_error_message());
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char* p = raw.data() + i * size;
    auto as = [p](auto x) {
      std::memcpy(&x, p, sizeof x);
      return double(x);
    };
    v[i] = size == 1 ? (is_signed ? as(int8_t()) : as(uint8_t()))
           : size == 2 ? (is_signed ? as(int16_t()) : as(uint16_t()))
           : size == 4 ? (is_signed ? as(int32_t()) : as(uint32_t()))
                       : (is_signed ? as(int64_t()) : as(uint64_t()));
  }
  return v;
}
}  // namespace

template <class T>
Array<T> H5File::read(const std::string& path) const {
  Hid d = open_dataset(*this, path);
  Hid space(H5Dget_space(d.get()), H5Sclose);
  Hid stored(H5Dget_type(d.get()), H5Tclose);
  H5T_class_t cls = H5Tget_class(stored.get());
  bool want_complex = std::is_same<T, std::complex<double>>::value;
  bool numeric = cls == H5T_INTEGER || cls == H5T_FLOAT;
  if (cls == H5T_ENUM && !want_complex) numeric = true;  // booleans from h5py: read as 0 and 1
  if (want_complex ? cls != H5T_COMPOUND : !numeric)
    throw Error(where(path) + " holds " + (cls == H5T_STRING ? "strings" : "a non-numeric type") +
                " but " + (want_complex ? "complex" : "numbers") + " are required");
  const Shape shape = space_shape(space.get());
  // A declared shape is not to be trusted: its size may overflow or exceed memory.
  double elements = 1;
  for (size_t d : shape) elements *= double(d);
  if (elements * sizeof(T) > 1e18)
    throw Error(where(path) + " declares shape " + shape_string(shape) + ", too large to be real");
  require_memory(elements * sizeof(T), where(path) + " (shape " + shape_string(shape) + ")");
  Array<T> out(shape);
  if constexpr (!std::is_same<T, std::complex<double>>::value)
    if (cls == H5T_ENUM) {
      const std::vector<double> v = enum_values(stored.get(), out.size(), where(path), [&](hid_t mem, void* buf) {
        return H5Dread(d.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
      });
      for (size_t i = 0; i < v.size(); ++i) out.data[i] = T(v[i]);
      return out;
    }
  Hid mem = h5_type<T>();
  if (out.size() > 0 && H5Dread(d.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.ptr()) < 0)
    throw Error(where(path) + ": cannot read: " + hdf5_error_message());
  return out;
}

template <class T>
Array<T> H5File::read(const std::string& path, const std::string& dims) const {
  Array<T> a = read<T>(path);
  if (a.rank() != count_dims(dims))
    throw Error(where(path) + " has shape " + shape_string(a.shape) + " but " + dims + " (" +
                std::to_string(count_dims(dims)) + " dims) is required");
  return a;
}

Array<float> H5File::read_finite(const std::string& path, const std::string& dims) const {
  Array<float> a = read<float>(path, dims);
  require_finite(a, where(path));
  return a;
}

template <class T>
void H5File::write(const std::string& path, const Shape& shape, const T* data) {
  auto dims = to_hsize(shape);
  Hid space(H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose);
  Hid type = h5_type<T>();
  Hid lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  if (H5Lexists(id(), path.c_str(), H5P_DEFAULT) > 0) H5Ldelete(id(), path.c_str(), H5P_DEFAULT);
  H5Eclear2(H5E_DEFAULT);
  Hid d(H5Dcreate2(id(), path.c_str(), type.get(), space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose);
  if (!d.valid()) throw Error(where(path) + ": cannot create: " + hdf5_error_message());
  if (shape_size(shape) > 0 && H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw Error(where(path) + ": cannot write: " + hdf5_error_message());
}

void H5File::create_group(const std::string& path) {
  if (H5Lexists(id(), path.c_str(), H5P_DEFAULT) > 0) return;
  H5Eclear2(H5E_DEFAULT);
  Hid lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  Hid g(H5Gcreate2(id(), path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!g.valid()) throw Error(name_ + ": cannot create group '" + path + "': " + hdf5_error_message());
}

namespace {
herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

herr_t collect_group(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_GROUP && std::string(name) != ".") static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

std::string type_name(hid_t t) {
  size_t bits = 8 * H5Tget_size(t);
  switch (H5Tget_class(t)) {
    case H5T_FLOAT:
      return "float" + std::to_string(bits);
    case H5T_INTEGER:
      return (H5Tget_sign(t) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return H5Tget_nmembers(t) == 2 ? "complex" + std::to_string(bits) : "compound";
    default:
      return "other";
  }
}
}  // namespace

namespace {
// The first link that leaves the file (external or user-defined): its name and, for an external link, where to.
herr_t find_outside_link(hid_t group, const char* name, const H5L_info_t* info, void* out) {
  if (info->type < H5L_TYPE_EXTERNAL) return 0;
  std::string target = "another file";
  std::vector<char> value(info->u.val_size + 1, '\0');
  const char *file = nullptr, *object = nullptr;
  unsigned flags = 0;
  if (info->type == H5L_TYPE_EXTERNAL && H5Lget_val(group, name, value.data(), value.size(), H5P_DEFAULT) >= 0 &&
      H5Lunpack_elink_val(value.data(), value.size(), &flags, &file, &object) >= 0)
    target = std::string(file) + ":" + object;
  *static_cast<std::pair<std::string, std::string>*>(out) = {name, target};
  return 1;
}
}  // namespace

// Listing a file lists what it holds: a link that leaves it is refused here,
// so that describing a file cannot hide one (the readers refuse to follow them).
std::vector<std::string> H5File::list_datasets() const {
  if (!g_allow_external) {
    std::pair<std::string, std::string> link;
    if (H5Lvisit(id(), H5_INDEX_NAME, H5_ITER_INC, find_outside_link, &link) > 0)
      throw Error(name_ + ": '" + link.first + "' is an external link to " + link.second + ", refused" + kAllowHint);
    H5Eclear2(H5E_DEFAULT);
  }
  std::vector<std::string> out;
  H5Ovisit(id(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &out);
  return out;
}

std::vector<std::string> H5File::list_groups() const {
  std::vector<std::string> out;
  H5Ovisit(id(), H5_INDEX_NAME, H5_ITER_INC, collect_group, &out);
  return out;
}

std::string H5File::dataset_type_name(const std::string& path) const {
  Hid d = open_dataset(*this, path);
  Hid t(H5Dget_type(d.get()), H5Tclose);
  return type_name(t.get());
}

template Array<float> H5File::read<float>(const std::string&) const;
template Array<double> H5File::read<double>(const std::string&) const;
template Array<int32_t> H5File::read<int32_t>(const std::string&) const;
template Array<int64_t> H5File::read<int64_t>(const std::string&) const;
template Array<uint8_t> H5File::read<uint8_t>(const std::string&) const;
template Array<std::complex<double>> H5File::read<std::complex<double>>(const std::string&) const;
template Array<float> H5File::read<float>(const std::string&, const std::string&) const;
template Array<double> H5File::read<double>(const std::string&, const std::string&) const;
template Array<int32_t> H5File::read<int32_t>(const std::string&, const std::string&) const;
template Array<int64_t> H5File::read<int64_t>(const std::string&, const std::string&) const;
template Array<std::complex<double>> H5File::read<std::complex<double>>(const std::string&,
                                                                        const std::string&) const;
template void H5File::write<float>(const std::string&, const Shape&, const float*);
template void H5File::write<double>(const std::string&, const Shape&, const double*);
template void H5File::write<int32_t>(const std::string&, const Shape&, const int32_t*);
template void H5File::write<int64_t>(const std::string&, const Shape&, const int64_t*);
template void H5File::write<uint8_t>(const std::string&, const Shape&, const uint8_t*);
template void H5File::write<std::complex<double>>(const std::string&, const Shape&,
                                                  const std::complex<double>*);

// ---- attributes -----------------------------------------------------------

Hid H5File::open_object(const std::string& object) const {
  hid_t o = H5Oopen(id(), object.c_str(), link_access());
  if (o < 0) check_refused_link(name_, object);
  if (o < 0) throw Error(name_ + ": no object '" + object + "' for attributes: " + hdf5_error_message());
  return Hid(o, H5Oclose);
}

bool H5File::has_attribute(const std::string& name, const std::string& object) const {
  Hid o = open_object(object);
  htri_t r = H5Aexists(o.get(), name.c_str());
  H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

std::vector<std::string> H5File::list_attributes(const std::string& object) const {
  Hid o = open_object(object);
  std::vector<std::string> out;
  hsize_t idx = 0;
  H5Aiterate2(o.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attribute, &out);
  return out;
}

bool H5File::attribute_is_string(const std::string& name, const std::string& object) const {
  Hid a = open_attribute(name, object);
  Hid type(H5Aget_type(a.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_STRING;
}

Hid H5File::open_attribute(const std::string& name, const std::string& object) const {
  Hid o = open_object(object);
  if (H5Aexists(o.get(), name.c_str()) <= 0) throw Error(name_ + ": no attribute '" + name + "'");
  hid_t a = H5Aopen(o.get(), name.c_str(), H5P_DEFAULT);
  if (a < 0) throw Error(name_ + ": cannot open attribute '" + name + "': " + hdf5_error_message());
  return Hid(a, H5Aclose);
}

void H5File::remove_attribute_if_present(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  H5Eclear2(H5E_DEFAULT);
}

namespace {
Hid vlen_utf8_string() {
  Hid t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

void write_attr_raw(hid_t obj, const std::string& file, const std::string& name, hid_t type,
                    const std::vector<hsize_t>& dims, const void* data) {
  Hid space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
            H5Sclose);
  Hid a(H5Acreate2(obj, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!a.valid() || H5Awrite(a.get(), type, data) < 0)
    throw Error(file + ": cannot write attribute '" + name + "': " + hdf5_error_message());
}
}  // namespace

void H5File::write_attribute(const std::string& name, double v, const std::string& object) {
  Hid o = open_object(object);
  remove_attribute_if_present(o.get(), name);
  write_attr_raw(o.get(), name_, name, H5T_NATIVE_DOUBLE, {}, &v);
}

void H5File::write_attribute(const std::string& name, int64_t v, const std::string& object) {
  Hid o = open_object(object);
  remove_attribute_if_present(o.get(), name);
  write_attr_raw(o.get(), name_, name, H5T_NATIVE_INT64, {}, &v);
}

void H5File::write_attribute(const std::string& name, const std::string& v, const std::string& object) {
  Hid o = open_object(object);
  remove_attribute_if_present(o.get(), name);
  Hid t = vlen_utf8_string();
  const char* p = v.c_str();
  write_attr_raw(o.get(), name_, name, t.get(), {}, &p);
}

void H5File::write_attribute(const std::string& name, const std::vector<double>& v, const std::string& object) {
  Hid o = open_object(object);
  remove_attribute_if_present(o.get(), name);
  write_attr_raw(o.get(), name_, name, H5T_NATIVE_DOUBLE, {hsize_t(v.size())}, v.data());
}

void H5File::write_attribute(const std::string& name, const std::vector<std::string>& v,
                             const std::string& object) {
  Hid o = open_object(object);
  remove_attribute_if_present(o.get(), name);
  Hid t = vlen_utf8_string();
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  write_attr_raw(o.get(), name_, name, t.get(), {hsize_t(v.size())}, ptrs.data());
}

std::vector<double> H5File::read_attribute_doubles(const std::string& name, const std::string& object) const {
  Hid a = open_attribute(name, object);
  Hid type(H5Aget_type(a.get()), H5Tclose);
  H5T_class_t cls = H5Tget_class(type.get());
  Hid space(H5Aget_space(a.get()), H5Sclose);
  std::vector<double> v(size_t(H5Sget_simple_extent_npoints(space.get())));
  if (cls == H5T_ENUM)
    return enum_values(type.get(), v.size(), name_ + ": attribute '" + name + "'",
                       [&](hid_t mem, void* buf) { return H5Aread(a.get(), mem, buf); });
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw Error(name_ + ": attribute '" + name + "' is not numeric");
  if (!v.empty() && H5Aread(a.get(), H5T_NATIVE_DOUBLE, v.data()) < 0)
    throw Error(name_ + ": cannot read attribute '" + name + "': " + hdf5_error_message());
  return v;
}

double H5File::read_attribute_in(const std::string& name, double lo, double hi, const std::string& object) const {
  const double v = read_attribute_double(name, object);
  if (!(v >= lo && v <= hi))
    throw Error(name_ + ": attribute '" + name + "' is " + std::to_string(v) + " but a number in [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "] is required");
  return v;
}

double H5File::read_attribute_double(const std::string& name, const std::string& object) const {
  auto v = read_attribute_doubles(name, object);
  if (v.size() != 1) throw Error(name_ + ": attribute '" + name + "' is not a single number");
  return v[0];
}

std::vector<std::string> H5File::read_attribute_strings(const std::string& name,
                                                        const std::string& object) const {
  Hid a = open_attribute(name, object);
  Hid type(H5Aget_type(a.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) throw Error(name_ + ": attribute '" + name + "' is not a string");
  Hid space(H5Aget_space(a.get()), H5Sclose);
  size_t n = size_t(H5Sget_simple_extent_npoints(space.get()));
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.get()) > 0) {
    // Read in the file's own character set (ASCII or UTF-8): HDF5 converts between neither.
    Hid mem = vlen_utf8_string();
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    std::vector<char*> ptrs(n, nullptr);
    if (H5Aread(a.get(), mem.get(), ptrs.data()) < 0)
      throw Error(name_ + ": cannot read attribute '" + name + "': " + hdf5_error_message());
    for (char* p : ptrs) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
  } else {
    size_t len = H5Tget_size(type.get());
    std::vector<char> buf(n * len);
    Hid mem(H5Tcopy(type.get()), H5Tclose);
    if (H5Aread(a.get(), mem.get(), buf.data()) < 0)
      throw Error(name_ + ": cannot read attribute '" + name + "': " + hdf5_error_message());
    for (size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * len;
      out.emplace_back(s, strnlen(s, len));
    }
  }
  return out;
}

std::string H5File::read_attribute_string(const std::string& name, const std::string& object) const {
  auto v = read_attribute_strings(name, object);
  if (v.size() != 1) throw Error(name_ + ": attribute '" + name + "' is not a single string");
  return v[0];
}

// ---- checks ----------------------------------------------------------------

namespace {
template <class T>
void check_finite(const Array<T>& a, const std::string& where) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(a[i])) {
      // Convert the flat index into a multi-index, which is what users look up.
      std::vector<size_t> idx(a.rank());
      size_t r = i;
      for (size_t k = a.rank(); k-- > 0;) {
        idx[k] = r % a.shape[k];
        r /= a.shape[k];
      }
      throw Error(where + " contains " + (std::isnan(a[i]) ? "NaN" : "Inf") + " at " + shape_string(idx));
    }
  }
}
}  // namespace

void require_finite(const Array<float>& a, const std::string& where) { check_finite(a, where); }
void require_finite(const Array<double>& a, const std::string& where) { check_finite(a, where); }

}  // namespace ctd
