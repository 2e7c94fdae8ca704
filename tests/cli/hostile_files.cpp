// Test helper: files a careless or hostile collaborator could send, crafted
// with HDF5's C API (Debian has no h5py in CI), for tests/cli/test-shared-files.sh.
//   hostile-files OUTDIR
// In OUTDIR:
//   secret.h5, secret.bin          what the crafted files point at ([2,5,1] floats: 7)
//   task-external-link.h5          a task whose 'inputs' is an external link to secret.h5
//   task-soft-to-external.h5       'inputs' a soft link to an external link
//   task-external-storage.h5       'inputs' kept in secret.bin (a relative name)
//   task-external-absolute.h5      the same, by its absolute name
//   task-virtual.h5                'inputs' a virtual dataset mapped from secret.h5
//   task-virtual-self.h5           'inputs' a virtual dataset mapped from the file itself (allowed)
//   fps-code.h5                    fixed points whose tolerance group's name is gnuplot code
//   names-escapes.h5               names, attributes and history with terminal escapes and bad UTF-8
//   config-key-newline.h5          ctd_options with a key that holds a line break
//   config-value-newline.h5        an option value that holds a line break and a second `key = value`
//   config-checkpoint.h5           ctd_options naming checkpoint (never recorded by ctd)
//   task-inf.h5                    a task whose inputs hold Inf at [0,0,0]
//   task-zero-mask.h5              a task whose target_mask is 0 everywhere
//   task-kind-number.h5            task_kind a number;  task-kind-unknown.h5: a kind with no recipe
//   curve-empty.h5                 an rnn-params file whose training curve has no points
//   fps-bad-eigvals.h5             fixed points [3,2] with eigenvalues [3,5]
//   fps-small-eigvecs.h5           unstable points with right_eigvecs too small for them
//   bool-attribute.h5              a boolean attribute as h5py writes it (an enum of int8)
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

const hsize_t kDims[3] = {2, 5, 1};
const std::vector<float> kSecret(10, 7.0f), kOnes(10, 1.0f);

hid_t space3() { return H5Screate_simple(3, kDims, nullptr); }

// A [2,5,1] float dataset: written with `v`, or (with a creation list) only
// declared, its values wherever the list says.
void dataset(hid_t file, const std::string& name, const std::vector<float>& v, hid_t dcpl = H5P_DEFAULT) {
  hid_t s = space3();
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t d = H5Dcreate2(file, name.c_str(), H5T_NATIVE_FLOAT, s, lcpl, dcpl, H5P_DEFAULT);
  if (dcpl == H5P_DEFAULT) H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Dclose(d);
  H5Pclose(lcpl);
  H5Sclose(s);
}

void text_attribute(hid_t obj, const std::string& name, const std::string& value) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT);
  const char* p = value.c_str();
  H5Awrite(a, t, &p);
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}

void texts_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  const hsize_t n = values.size();
  hid_t s = H5Screate_simple(1, &n, nullptr);
  hid_t a = H5Acreate2(obj, name.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  H5Awrite(a, t, p.data());
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}

void number_attribute(hid_t obj, const std::string& name, double v) {
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_DOUBLE, &v);
  H5Aclose(a);
  H5Sclose(s);
}

// A task file with targets and a mask; `inputs` is made by the caller.
template <class F>
void task(const std::string& path, F make_inputs) {
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  make_inputs(f);
  dataset(f, "targets", kOnes);
  dataset(f, "target_mask", kOnes);
  text_attribute(f, "ctd_kind", "task");
  H5Fclose(f);
}

// The raw data of a dataset kept in another file.
hid_t external_storage(const std::string& file) {
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_external(dcpl, file.c_str(), 0, hsize_t(kSecret.size() * sizeof(float)));
  return dcpl;
}

hid_t virtual_from(const std::string& file, const std::string& dataset) {
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  hid_t s = space3();
  H5Pset_virtual(dcpl, s, file.c_str(), dataset.c_str(), s);
  H5Sclose(s);
  return dcpl;
}

void config_file(const std::string& path, const std::vector<std::string>& keys, const std::string& key,
                 const std::string& value) {
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  text_attribute(f, "ctd_kind", "rnn-params");
  text_attribute(f, "ctd_program", "train-rnn");
  texts_attribute(f, "ctd_options", keys);
  number_attribute(f, "lr", 0.01);
  text_attribute(f, key, value);
  H5Fclose(f);
}

// Three fixed points in 2-D, all unstable, with eigenvalues of shape `ev`
// and (when given) right eigenvectors of shape `vecs`.
void fixed_points(const std::string& path, const std::vector<hsize_t>& ev, const std::vector<hsize_t>& vecs) {
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  text_attribute(f, "ctd_kind", "fixed-points");
  auto write = [&](const char* name, const std::vector<hsize_t>& dims, hid_t type, const void* data) {
    hid_t s = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    hid_t d = H5Dcreate2(f, name, type, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(d);
    H5Sclose(s);
  };
  const std::vector<double> points = {0, 0, 1, 0.5, -1, 0.25}, stability(3, 2.0), zeros(64, 0.5);
  write("fps", {3, 2}, H5T_NATIVE_DOUBLE, points.data());
  write("stability", {3}, H5T_NATIVE_DOUBLE, stability.data());
  hid_t complex = H5Tcreate(H5T_COMPOUND, 16);  // ctd's complex numbers: {r, i} float64
  H5Tinsert(complex, "r", 0, H5T_NATIVE_DOUBLE);
  H5Tinsert(complex, "i", 8, H5T_NATIVE_DOUBLE);
  write("eigvals", ev, complex, zeros.data());
  if (!vecs.empty()) write("right_eigvecs", vecs, complex, zeros.data());
  H5Tclose(complex);
  H5Fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: hostile-files OUTDIR\n");
    return 2;
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string dir = argv[1];
  char cwd[4096];
  const std::string absolute = std::string(realpath(dir.c_str(), cwd) ? cwd : dir.c_str());

  hid_t f = H5Fcreate((dir + "/secret.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  dataset(f, "x", kSecret);
  H5Fclose(f);
  if (FILE* raw = std::fopen((dir + "/secret.bin").c_str(), "wb")) {
    std::fwrite(kSecret.data(), sizeof(float), kSecret.size(), raw);
    std::fclose(raw);
  }

  task(dir + "/task-external-link.h5",
       [](hid_t f) { H5Lcreate_external("secret.h5", "/x", f, "inputs", H5P_DEFAULT, H5P_DEFAULT); });
  task(dir + "/task-soft-to-external.h5", [](hid_t f) {
    H5Lcreate_external("secret.h5", "/x", f, "elsewhere", H5P_DEFAULT, H5P_DEFAULT);
    H5Lcreate_soft("/elsewhere", f, "inputs", H5P_DEFAULT, H5P_DEFAULT);
  });
  task(dir + "/task-external-storage.h5", [](hid_t f) { dataset(f, "inputs", {}, external_storage("secret.bin")); });
  task(dir + "/task-external-absolute.h5",
       [&](hid_t f) { dataset(f, "inputs", {}, external_storage(absolute + "/secret.bin")); });
  task(dir + "/task-virtual.h5", [](hid_t f) { dataset(f, "inputs", {}, virtual_from("secret.h5", "/x")); });
  task(dir + "/task-virtual-self.h5", [](hid_t f) {
    dataset(f, "source", kOnes);
    dataset(f, "inputs", {}, virtual_from(".", "/source"));
  });

  // Fixed points whose group name would run commands in a gnuplot string.
  const std::string code = "tol_\"`touch marker-backquote`\" . system(\"touch marker-system\") . \"@x$y\\\n\x1b[2J\xff";
  f = H5Fcreate((dir + "/fps-code.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  text_attribute(f, "ctd_kind", "fixed-points");
  {
    const hsize_t dims[2] = {3, 2};
    hid_t s = H5Screate_simple(2, dims, nullptr);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const double points[6] = {0, 0, 1, 0.5, -1, 0.25};
    hid_t d = H5Dcreate2(f, (code + "/fps").c_str(), H5T_NATIVE_DOUBLE, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, points);
    H5Dclose(d);
    H5Pclose(lcpl);
    H5Sclose(s);
  }
  H5Fclose(f);

  // Names and values that would drive a terminal.
  f = H5Fcreate((dir + "/names-escapes.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  text_attribute(f, "ctd_kind", "task\x1b]0;retitled\x07");
  dataset(f, "inputs\x1b[2J", kOnes);
  dataset(f, "group\xff\xfe/values", kOnes);
  text_attribute(f, "note\x1b[31m", "red\x1b[0m\r\nforged line \xc3\x28");
  text_attribute(f, "history", "2026-01-01T00:00:00Z gen-integrator\x1b[2J\n2025-12-31T00:00:00Z \x9b" "31m");
  H5Fclose(f);

  task(dir + "/task-inf.h5", [](hid_t f) {
    std::vector<float> v = kOnes;
    v[0] = INFINITY;
    dataset(f, "inputs", v);
  });
  hid_t t = H5Fcreate((dir + "/task-zero-mask.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  dataset(t, "inputs", kOnes);
  dataset(t, "targets", kOnes);
  dataset(t, "target_mask", std::vector<float>(10, 0.0f));
  H5Fclose(t);
  task(dir + "/task-kind-number.h5", [](hid_t f) {
    dataset(f, "inputs", kOnes);
    number_attribute(f, "task_kind", 3);
  });
  task(dir + "/task-kind-unknown.h5", [](hid_t f) {
    dataset(f, "inputs", kOnes);
    text_attribute(f, "task_kind", "mystery");
  });

  f = H5Fcreate((dir + "/curve-empty.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  text_attribute(f, "ctd_kind", "rnn-params");
  for (const char* name : {"curve_step", "curve_loss", "curve_lms", "curve_lr"}) {
    const hsize_t zero = 0;
    hid_t s = H5Screate_simple(1, &zero, nullptr);
    H5Aclose(H5Acreate2(f, name, H5T_NATIVE_DOUBLE, s, H5P_DEFAULT, H5P_DEFAULT));
    H5Sclose(s);
  }
  H5Fclose(f);

  fixed_points(dir + "/fps-bad-eigvals.h5", {3, 5}, {});
  fixed_points(dir + "/fps-small-eigvecs.h5", {3, 2}, {3, 2, 1});

  f = H5Fcreate((dir + "/bool-attribute.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  {
    hid_t e = H5Tenum_create(H5T_NATIVE_INT8);
    int8_t no = 0, yes = 1;
    H5Tenum_insert(e, "FALSE", &no);
    H5Tenum_insert(e, "TRUE", &yes);
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(f, "flag", e, s, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, e, &yes);
    H5Aclose(a);
    H5Sclose(s);
    H5Tclose(e);
  }
  H5Fclose(f);

  config_file(dir + "/config-key-newline.h5", {"lr", "cell\ncheckpoint"}, "cell\ncheckpoint", "victim.h5");
  config_file(dir + "/config-value-newline.h5", {"lr", "cell"}, "cell", "gru\"\ncheckpoint = \"victim.h5");
  config_file(dir + "/config-checkpoint.h5", {"lr", "checkpoint"}, "checkpoint", "victim.h5");
  return 0;
}
