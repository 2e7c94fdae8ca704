#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <complex>
#include <fstream>
#include <limits>

#include <hdf5.h>

#include "helpers.hpp"
#include "io/hdf5.hpp"
#include "io/output.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"

using namespace ctd;
using ctd::test::TempDir;

namespace {
template <class T>
Array<T> ramp(Shape s) {
  Array<T> a(s);
  for (size_t i = 0; i < a.size(); ++i) a[i] = T(double(i) * 0.5 - 3.0);
  return a;
}

void write_everything(H5File& f) {
  f.write("f32", ramp<float>({2, 3, 4}));
  f.write("f64", ramp<double>({5}));
  f.write("i32", ramp<int32_t>({3, 2}));
  Array<std::complex<double>> c({2, 2});
  for (size_t i = 0; i < 4; ++i) c[i] = {double(i), -2.0 * double(i)};
  f.write("grp/sub/cplx", c);
  f.write_attribute("a_double", 0.025);
  f.write_attribute("a_int", int64_t(-7));
  f.write_attribute("a_string", std::string("hello ✓"));
  f.write_attribute("a_doubles", std::vector<double>{1.0, 2.5, -3.0});
  f.write_attribute("a_strings", std::vector<std::string>{"a", "and", "awesome1"});
  f.write_attribute("on_group", 3.0, "grp");
}

void check_everything(const H5File& f) {
  auto a = f.read<float>("f32", "[B,T,U]");
  CHECK(a.shape == Shape{2, 3, 4});
  CHECK(a.data == ramp<float>({2, 3, 4}).data);
  CHECK(f.read<double>("f64").data == ramp<double>({5}).data);
  CHECK(f.read<int32_t>("i32").data == ramp<int32_t>({3, 2}).data);
  auto c = f.read<std::complex<double>>("grp/sub/cplx");
  REQUIRE(c.shape == Shape{2, 2});
  CHECK(c[3] == std::complex<double>(3.0, -6.0));
  CHECK(f.read_attribute_double("a_double") == 0.025);
  CHECK(f.read_attribute_double("a_int") == -7.0);
  CHECK(f.read_attribute_string("a_string") == "hello ✓");
  CHECK(f.read_attribute_doubles("a_doubles") == std::vector<double>{1.0, 2.5, -3.0});
  CHECK(f.read_attribute_strings("a_strings") == std::vector<std::string>{"a", "and", "awesome1"});
  CHECK(f.read_attribute_double("on_group", "grp") == 3.0);
  // Reading converts types: float32 data read as double, int as float.
  CHECK(f.read<double>("f32")[5] == doctest::Approx(-0.5));
  CHECK(f.read<float>("i32")[0] == -3.0f);
}

// Runs `fn` with the process's stdout (or stdin) redirected to `path`.
template <class Fn>
void with_fd_redirected(int target_fd, const std::string& path, int flags, Fn fn) {
  int saved = dup(target_fd);
  int fd = open(path.c_str(), flags, 0644);
  REQUIRE(fd >= 0);
  dup2(fd, target_fd);
  close(fd);
  fn();
  dup2(saved, target_fd);
  close(saved);
}
}  // namespace

TEST_CASE("every type round-trips through a file") {
  TempDir dir;
  std::string path = dir.file("all.h5");
  {
    OutputFile out(path);
    write_everything(out.h5());
    out.commit();
  }
  check_everything(H5File::open(path));
  CHECK(dir.entries() == 1);
}

TEST_CASE("a boolean dataset as h5py writes it (an enum of int8) reads as 0 and 1") {
  TempDir dir;
  const std::string path = dir.file("bool.h5");
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t e = H5Tenum_create(H5T_NATIVE_INT8);
  int8_t no = 0, yes = 1;
  H5Tenum_insert(e, "FALSE", &no);
  H5Tenum_insert(e, "TRUE", &yes);
  const hsize_t dims[2] = {3, 2};
  hid_t space = H5Screate_simple(2, dims, nullptr);
  hid_t d = H5Dcreate2(f, "mask", e, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const int8_t values[6] = {1, 0, 0, 1, 1, 1};
  H5Dwrite(d, e, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
  H5Dclose(d);
  H5Sclose(space);
  H5Tclose(e);
  H5Fclose(f);
  const H5File in = H5File::open(path);
  const Array<double> m = in.read<double>("mask", "[B,M]");
  CHECK(m.shape == Shape{3, 2});
  CHECK(m.data == std::vector<double>{1, 0, 0, 1, 1, 1});
  CHECK(in.read<int64_t>("mask").data == std::vector<int64_t>{1, 0, 0, 1, 1, 1});
}

TEST_CASE("every type round-trips through stdout and stdin as a file image") {
  TempDir dir;
  std::string image = dir.file("image.h5");
  with_fd_redirected(STDOUT_FILENO, image, O_WRONLY | O_CREAT | O_TRUNC, [] {
    OutputFile out("-");
    write_everything(out.h5());
    out.commit();
  });
  // The image is an ordinary HDF5 file...
  check_everything(H5File::open(image));
  // ...and reads back through stdin.
  with_fd_redirected(STDIN_FILENO, image, O_RDONLY, [] { check_everything(H5File::open("-")); });
}

TEST_CASE("a failed commit leaves an existing file untouched and no temp file behind") {
  TempDir dir;
  std::string path = dir.file("out.h5");
  { std::ofstream(path) << "precious"; }
  {
    OutputFile out(path);
    write_everything(out.h5());
    CHECK(dir.entries() == 2);  // the temp file sits beside the destination
    simulate_commit_failure_once();
    CHECK_THROWS_AS(out.commit(), Error);
  }
  CHECK(dir.entries() == 1);
  std::ifstream in(path);
  std::string content;
  in >> content;
  CHECK(content == "precious");
}

TEST_CASE("an abandoned output (exception during the work) leaves nothing") {
  TempDir dir;
  try {
    OutputFile out(dir.file("new.h5"));
    out.h5().write("x", ramp<float>({3}));
    throw Error("work failed");
  } catch (const Error&) {
  }
  CHECK(dir.entries() == 0);
}

TEST_CASE("bad files and datasets give one clear message naming them") {
  TempDir dir;
  std::string text = dir.file("text.h5");
  { std::ofstream(text) << "not hdf5 at all"; }
  std::string good = dir.file("good.h5");
  {
    OutputFile out(good);
    out.h5().write("inputs", ramp<float>({4, 5}));
    Array<float> bad({2, 2}, 1.0f);
    bad[3] = std::numeric_limits<float>::quiet_NaN();
    out.h5().write("nan", bad);
    out.commit();
  }
  auto message = [](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message([&] { H5File::open(dir.file("missing.h5")); }) ==
        dir.file("missing.h5") + ": cannot open: No such file or directory");
  CHECK(message([&] { H5File::open(text); }) == text + ": not an HDF5 file");
  H5File f = H5File::open(good);
  CHECK(message([&] { f.read<float>("targets"); }) == good + ": no dataset 'targets'");
  CHECK(message([&] { f.read<float>("inputs", "[B,T,U]"); }) ==
        good + ": dataset 'inputs' has shape [4,5] but [B,T,U] (3 dims) is required");
  CHECK(message([&] { f.read_finite("nan", "[B,N]"); }) == good + ": dataset 'nan' contains NaN at [1,1]");
  CHECK(message([&] { OutputFile o(dir.file("no/such/dir/out.h5")); }).find("does not exist") !=
        std::string::npos);
}

TEST_CASE("provenance: kind, version, typed options, history newest first") {
  TempDir dir;
  OptionSet options;
  uint64_t trials = 5;
  double bias = 0.01, duration = 1, lr_decay = 0.99;
  std::string task = "decision", unset, out_path = "x.h5";
  bool flag = true;
  std::vector<double> tols = {1e-4, 1e-5}, none;
  options.add("trials", trials, "");
  options.add("bias", bias, "");
  options.add("task", task, "");
  options.add("flag", flag, "");
  options.add("duration", duration, "");
  options.add("lr-decay", lr_decay, "");
  options.add("tol", tols, "");
  options.add("empty-text", unset, "");
  options.add("empty-list", none, "");
  options.add("output", out_path, "").unrecorded();
  RunInfo run;
  run.program = "tool";
  run.command_line = "tool --trials 5 -o x.h5";
  run.options = &options;
  {
    OutputFile out(dir.file("p.h5"));
    write_provenance(out.h5(), "task", run, "2020-01-01T00:00:00Z earlier --command");
    out.commit();
  }
  H5File f = H5File::open(dir.file("p.h5"));
  CHECK(f.read_attribute_string("ctd_kind") == "task");
  CHECK(f.read_attribute_string("ctd_version") == ctd_version());
  CHECK(f.read_attribute_double("trials") == 5.0);
  CHECK(f.read_attribute_double("bias") == 0.01);
  CHECK(f.read_attribute_string("task") == "decision");
  CHECK(f.read_attribute_double("flag") == 1.0);
  CHECK(f.read_attribute_double("lr_decay") == 0.99);
  CHECK(f.read_attribute_doubles("tol") == std::vector<double>{1e-4, 1e-5});
  // Options without a value and unrecorded ones leave no attribute.
  CHECK_FALSE(f.has_attribute("empty_text"));
  CHECK_FALSE(f.has_attribute("empty_list"));
  CHECK_FALSE(f.has_attribute("output"));
  CHECK(f.read_attribute_string("ctd_program") == "tool");
  CHECK(f.read_attribute_strings("ctd_options") ==
        std::vector<std::string>{"trials", "bias", "task", "flag", "duration", "lr_decay", "tol"});
  // The file's options read back as a config for the same program.
  CHECK(config_from_file(f) == "# tool configuration recorded in " + dir.file("p.h5") +
                                   "\ntrials = 5\nbias = 0.01\ntask = \"decision\"\nflag = 1\nduration = 1\n"
                                   "lr_decay = 0.99\ntol = [1e-04, 1e-05]\n");
  // A floating option keeps its type even when its value looks like an integer.
  H5File raw = H5File::open(dir.file("p.h5"));
  hid_t a = H5Aopen(raw.id(), "duration", H5P_DEFAULT);
  hid_t t = H5Aget_type(a);
  CHECK(H5Tget_class(t) == H5T_FLOAT);
  H5Tclose(t);
  H5Aclose(a);
  std::string h = read_history(f);
  CHECK(h.find("tool --trials 5 -o x.h5\n2020-01-01T00:00:00Z earlier --command") != std::string::npos);
  CHECK(h.size() > 20);
  CHECK(h[4] == '-');
}
