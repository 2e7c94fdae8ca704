// Fuzzes every reader of ctd's file kinds with well-formed HDF5 files of
// arbitrary content: the bytes choose datasets (names the readers look for,
// ranks, sizes, types, values including NaN and Inf) and attributes (numbers,
// strings, arrays). A reader must accept the file or throw ctd::Error /
// ctd::UsageError — never crash, read out of bounds or overflow.
// Some datasets point outside the file (an external link, raw data in an
// external file, a virtual dataset of another file) at values no reader may
// show, and names and text attributes hold arbitrary bytes: nothing printed
// may hold a raw control byte or invalid UTF-8, and a config made from the
// file has exactly one line per recorded option.
// (HDF5's own metadata is not mutated: libhdf5 1.10 itself crashes on some
// corrupted metadata, which is out of ctd's reach; see the README's limits.)
#include <fuzzer/FuzzedDataProvider.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "compare/comparison.hpp"
#include "esn/esn_file.hpp"
#include "io/describe.hpp"
#include "io/provenance.hpp"
#include "lfads/data.hpp"
#include "lfads/generator.hpp"
#include "lfads/model_file.hpp"
#include "nn/rnn_model.hpp"
#include "plot/figure.hpp"
#include "plot/gnuplot.hpp"
#include "tasks/task_file.hpp"
#include "util/error.hpp"
#include "util/printable.hpp"

namespace {

const char* kDatasets[] = {"inputs", "targets", "target_mask", "h0s", "tokens", "h0", "wI", "wR", "wO", "bR", "bO",
                           "wRUHX", "wCHX", "bRU", "bC", "train_data", "valid_data", "train_truth", "valid_truth",
                           "train_inputs", "valid_inputs", "train_lowd", "valid_lowd", "train_inds",
                           "conversion_factor", "a0", "wF", "P", "gen/wRUHX", "factors/w", "logrates/w",
                           "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "readout.weight",
                           "readout.bias", "hiddens", "outputs", "fps", "q", "stability", "readout", "z", "z_first_pass",
                           "predicted_readout", "true_readout", "valid/rates", "valid/factors", "tol_1e-04/fps",
                           // posteriors, autonomous ones too (zero-width inputs), in both layouts
                           "valid/inferred_inputs", "valid/gen_states", "valid_output_params", "valid_factors",
                           "valid_co_means", "valid_gen_inputs", "valid_inds", "right_eigvecs", "eigvals"};
const char* kAttributes[] = {"cell", "bfg", "task_kind", "task", "dt", "tau", "dt_over_tau", "g", "sparsity", "D",
                             "enc_dim", "con_dim", "ii_dim", "gen_dim", "factors_dim", "keep_rate", "varmin",
                             "ctd_program", "ctd_options", "history", "seed", "lr", "nonlinearity", "alpha",
                             "ctd_kind", "curve_step", "curve_loss", "curve_lms", "curve_lr", "pass_nmse",
                             "readout_correlation", "passes", "ii_dim", "data_file"};
// Kinds with figures (and one without), so that ctd-plot's figure builders run.
const char* kKinds[] = {"rnn-params", "task", "states", "fixed-points", "linearization", "lfads-data",
                        "lfads-model", "lfads-posterior", "esn", "rnn-checkpoint"};

double value(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return std::numeric_limits<double>::infinity();
    case 2: return -1;
    case 3: return 0;
    case 4: return in.ConsumeIntegralInRange(0, 300);
    default: return in.ConsumeFloatingPointInRange(-4.0, 4.0);
  }
}

// What crafted files point at: values no reader may ever show (kSecret).
constexpr double kSecret = 31337;
// In the temp folder, named by process: a run leaves nothing in the work tree.
const std::string kSecretH5 = "/tmp/ctd-fuzz-secret-" + std::to_string(getpid()) + ".h5";
const std::string kSecretRaw = "/tmp/ctd-fuzz-secret-" + std::to_string(getpid()) + ".bin";

void write_secrets() {
  std::vector<double> v(4096, kSecret);
  if (FILE* f = std::fopen(kSecretRaw.c_str(), "wb")) {
    std::fwrite(v.data(), sizeof(double), v.size(), f);
    std::fclose(f);
  }
  hid_t f = H5Fcreate(kSecretH5.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t n = 64;
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t d = H5Dcreate2(f, "x", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Dclose(d);
  H5Sclose(space);
  H5Fclose(f);
  std::atexit([] {
    std::remove(kSecretH5.c_str());
    std::remove(kSecretRaw.c_str());
  });
}

// Every text this input wrote into the file: the secret's digits there are the file's own, not a leak.
std::string g_written;

// Whether text shows the secret's value although the file's own texts do not hold its digits.
bool shows_secret(const std::string& text) {
  return text.find("31337") != std::string::npos && g_written.find("31337") == std::string::npos;
}

// Arbitrary bytes from the input, remembered as written.
std::string written(std::string text) {
  g_written += text;
  g_written += '\n';
  return text;
}

// A name the readers look for, sometimes with arbitrary bytes after it
// (escapes, quotes, backquotes, bytes that are not UTF-8).
std::string pick_name(FuzzedDataProvider& in) {
  std::string name = kDatasets[in.ConsumeIntegralInRange<size_t>(0, std::size(kDatasets) - 1)];
  if (in.ConsumeIntegralInRange(0, 5) == 0) {
    std::string tail = written(in.ConsumeRandomLengthString(12));
    for (char& c : tail)
      if (c == '\0' || c == '/' || c == '.') c = '`';
    name += tail;
  }
  return name;
}

void write_dataset(hid_t file, FuzzedDataProvider& in) {
  const std::string name = pick_name(in);
  const int where = in.ConsumeIntegralInRange(0, 11);  // 0: an external link, 1: external storage, 2: virtual
  if (where == 0) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    H5Lcreate_external(kSecretH5.c_str(), "/x", file, name.c_str(), lcpl, H5P_DEFAULT);
    H5Pclose(lcpl);
    return;
  }
  const int rank = in.ConsumeIntegralInRange(0, 3);
  hsize_t dims[3] = {1, 1, 1};
  size_t n = 1;
  for (int r = 0; r < rank; ++r) n *= (dims[r] = in.ConsumeIntegralInRange<hsize_t>(0, 6));
  std::vector<double> v(n);
  for (double& x : v) x = value(in);
  hid_t space = rank ? H5Screate_simple(rank, dims, nullptr) : H5Screate(H5S_SCALAR);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  const hid_t types[] = {H5T_NATIVE_FLOAT, H5T_NATIVE_DOUBLE, H5T_NATIVE_INT32, H5T_NATIVE_UINT8};
  hid_t stored = types[in.ConsumeIntegralInRange(0, 3)];
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (where == 1) H5Pset_external(dcpl, kSecretRaw.c_str(), 0, H5F_UNLIMITED);
  if (where == 2) {
    const hsize_t count = n ? n : 1;
    hid_t source = H5Screate_simple(1, &count, nullptr);
    if (n && rank) H5Pset_virtual(dcpl, space, kSecretH5.c_str(), "/x", source);
    H5Sclose(source);
  }
  hid_t d = H5Dcreate2(file, name.c_str(), stored, space, lcpl, dcpl, H5P_DEFAULT);
  if (d >= 0) {
    if (n && where > 2) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Dclose(d);
  }
  H5Pclose(dcpl);
  H5Pclose(lcpl);
  H5Sclose(space);
}

void write_attribute(ctd::H5File& f, FuzzedDataProvider& in) {
  const std::string name = kAttributes[in.ConsumeIntegralInRange<size_t>(0, std::size(kAttributes) - 1)];
  if (f.has_attribute(name)) return;
  if (name == "ctd_kind") {
    f.write_attribute(name, std::string(kKinds[in.ConsumeIntegralInRange<size_t>(0, std::size(kKinds) - 1)]));
    return;
  }
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: f.write_attribute(name, value(in)); break;
    case 1: f.write_attribute(name, written(in.ConsumeRandomLengthString(16))); break;  // any bytes: escapes, line breaks
    case 2: {
      std::vector<double> v(in.ConsumeIntegralInRange(1, 4));
      for (double& x : v) x = value(in);
      f.write_attribute(name, v);
      break;
    }
    default: f.write_attribute(name, std::vector<std::string>{written(in.ConsumeRandomLengthString(8)), "lr"});
  }
}

// What a file can make ctd print: never a raw control byte (but line breaks
// between lines), never invalid UTF-8, never the values of another file.
void check_shown(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = ctd::utf8_length(text, i);
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0 || (n == 1 && ((c < 0x20 && c != '\n') || c == 0x7F)) || (n == 2 && c == 0xC2 && uint8_t(text[i + 1]) < 0xA0))
      __builtin_trap();
    i += n;
  }
  if (shows_secret(text)) __builtin_trap();
}

// A config from a file: one line per recorded option, after the comment line.
void check_config(const ctd::H5File& f, const std::string& text) {
  check_shown(text);
  const size_t lines = size_t(std::count(text.begin(), text.end(), '\n'));
  if (lines != 1 + f.read_attribute_strings("ctd_options").size()) __builtin_trap();
}

template <class F>
void expect_clean(F&& read) {
  try {
    read();
  } catch (const ctd::Error&) {
  } catch (const ctd::UsageError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bool quiet = (H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr), write_secrets(), true);
  (void)quiet;
  FuzzedDataProvider in(data, size);
  g_written.clear();
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_core(fapl, 1 << 16, 0);
  hid_t id = H5Fcreate("fuzz.h5", H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  if (id < 0) return 0;
  ctd::H5File f(ctd::Hid(id, H5Fclose), "fuzz.h5");
  const int datasets = in.ConsumeIntegralInRange(0, 12), attributes = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < datasets; ++i) write_dataset(f.id(), in);
  for (int i = 0; i < attributes && in.remaining_bytes(); ++i) expect_clean([&] { write_attribute(f, in); });
  expect_clean([&] { ctd::read_task_file(f, true); });
  expect_clean([&] { ctd::read_task_file(f, false); });
  expect_clean([&] { ctd::read_rnn_params(f); });
  expect_clean([&] { ctd::read_rnn_params(f, {"relu"}); });
  expect_clean([&] { check_shown(ctd::describe_text(f)); });
  expect_clean([&] { check_shown(ctd::describe_json(f)); });
  expect_clean([&] { check_shown(ctd::values_csv(ctd::select_values(f, "fps[0:2,-1]"))); });
  expect_clean([&] { check_shown(ctd::values_text(ctd::select_values(f, "inputs"))); });
  expect_clean([&] {
    for (const ctd::FigureKind& fig : ctd::figures_of(ctd::file_kind(f)))
      expect_clean([&] {
        const std::string script = ctd::gnuplot_script(fig.make(f, ctd::PlotRequest{}), ctd::Canvas{}, "fuzz.png");
        if (shows_secret(script)) __builtin_trap();
      });
  });
  expect_clean([&] { ctd::read_lfads_data(f); });
  expect_clean([&] { ctd::read_lfads_data(f, {0.25, 2, false}); });  // split off validation trials, hold out 2 units
  expect_clean([&] { ctd::read_esn_file(f); });
  expect_clean([&] { ctd::read_lfads_model(f); });
  expect_clean([&] { ctd::read_network(f, {}); });  // an RNN's parameters or an LFADS model's generator
  expect_clean([&] {
    ctd::System s = ctd::read_system(f, "hiddens");
    expect_clean([&] { ctd::compare_systems(s, s, ctd::ComparisonSettings{}, 1); });
    ctd::read_system_fps(s, f, "");
  });
  expect_clean([&] { check_config(f, ctd::config_from_file(f)); });
  return 0;
}
