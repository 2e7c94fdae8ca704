// Files that lie: declared sizes that overflow, empty time axes, NaN
// attributes. Each must be a clear Error, never a crash or garbage.
#include <doctest/doctest.h>

#include <cmath>
#include <hdf5.h>

#include "esn/esn_file.hpp"
#include "helpers.hpp"
#include "io/output.hpp"
#include "nn/run.hpp"
#include "util/error.hpp"

using namespace ctd;
using ctd::test::TempDir;

TEST_CASE("a dataset whose declared shape overflows is refused, not indexed") {
  TempDir dir;
  const std::string path = dir.file("huge.h5");
  {
    // A chunked dataset declares any shape without storing it: 2^62 x 4 x 1 floats.
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[3] = {hsize_t(1) << 62, 4, 1}, chunk[3] = {1, 4, 1};
    hid_t space = H5Screate_simple(3, dims, nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 3, chunk);
    hid_t d = H5Dcreate2(f, "inputs", H5T_NATIVE_FLOAT, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    REQUIRE(d >= 0);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(f);
  }
  H5File f = H5File::open(path);
  CHECK_THROWS_WITH_AS(f.read<float>("inputs"), doctest::Contains("too large to be real"), Error);
}

TEST_CASE("initial states from a [B,0,N] dataset are refused") {
  TempDir dir;
  {
    OutputFile out(dir.file("empty.h5"));
    out.h5().write("hiddens", Shape{3, 0, 4}, static_cast<const float*>(nullptr));
    out.commit();
  }
  CHECK_THROWS_WITH_AS(read_initial_states(dir.file("empty.h5"), 3, 4), doctest::Contains("at least one step"), Error);
}

TEST_CASE("NaN or zero settings in an input file are refused") {
  TempDir dir;
  EsnSpec spec;
  spec.N = 6;
  spec.M = 2;
  EsnParams p = init_esn(spec, 1);
  for (double bad : {std::nan(""), 0.0, -1.0}) {
    {
      OutputFile out(dir.file("esn.h5"));
      write_esn_params(out.h5(), p, Eigen::MatrixXd());
      out.h5().write_attribute("tau", bad);
      out.commit();
    }
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(read_esn_file(H5File::open(dir.file("esn.h5"))), doctest::Contains("attribute 'tau'"), Error);
  }
}
