// A file someone sends is data: what it says reaches a terminal escaped, it is
// read only from itself, and no run writes over what it reads.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include "helpers.hpp"
#include "io/array.hpp"
#include "io/output.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/printable.hpp"

using namespace ctd;

TEST_CASE("printable: valid UTF-8 passes, controls and stray bytes become visible escapes") {
  CHECK(printable("plain é ∑ 🙂") == "plain é ∑ 🙂");
  CHECK(printable("a\x1b[2Jb\x07\r\n\t") == "a\\e[2Jb\\x07\\r\\n\\t");
  CHECK(printable("\xc2\x9b" "31m") == "\\u009B31m");  // C1 CSI, written as UTF-8
  CHECK(printable("\x9b\xff\xc3(") == "\\x9B\\xFF\\xC3(");
  CHECK(printable("\xed\xa0\x80") == "\\xED\\xA0\\x80");  // a surrogate is no character
  CHECK(printable("\xe0\x80\xaf") == "\\xE0\\x80\\xAF");  // nor an overlong form
  CHECK(printable_lines("line 1\nline\t2\x1b") == "line 1\nline\t2\\e");
  CHECK(utf8_length("\xf0\x9f\x99\x82", 0) == 4);
  CHECK(utf8_length("\xf0\x9f\x99", 0) == 0);  // cut off
}

TEST_CASE("json_string: valid JSON whatever the bytes") {
  CHECK(json_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
  CHECK(json_string("\x1b\x7f") == "\"\\u001b\\u007f\"");
  CHECK(json_string("x\xff") == "\"x\\\\xFF\"");
  CHECK(json_string("é") == "\"é\"");
}

TEST_CASE("same_file: by device and inode when both exist, by absolute name when neither does") {
  test::TempDir dir;
  const std::string a = dir.file("a.h5"), hard = dir.file("hard.h5"), soft = dir.file("soft.h5");
  { OutputFile out(a); out.h5().write_attribute("x", 1.0); out.commit(); }
  REQUIRE(::link(a.c_str(), hard.c_str()) == 0);
  REQUIRE(::symlink(a.c_str(), soft.c_str()) == 0);
  CHECK(same_file(a, hard));
  CHECK(same_file(soft, a));
  CHECK(same_file(dir.file("new.h5"), dir.file("./new.h5")));
  CHECK_FALSE(same_file(dir.file("new.h5"), a));
  CHECK_FALSE(same_file("-", "-"));
  CHECK(file_exists(a));
  CHECK_FALSE(file_exists(dir.file("missing.h5")));
  const std::string loop = dir.file("loop");
  REQUIRE(::symlink(loop.c_str(), loop.c_str()) == 0);
  CHECK_THROWS_WITH_AS(file_exists(loop), (loop + ": cannot look at it: Too many levels of symbolic links").c_str(), Error);
}

TEST_CASE("datasets that live outside their file are refused, unless allowed") {
  test::TempDir dir;
  const std::string secret = dir.file("secret.h5"), sent = dir.file("sent.h5");
  {
    OutputFile out(secret);
    out.h5().write("x", Array<float>({2}, 7.0f));
    out.commit();
  }
  {
    OutputFile out(sent);
    out.h5().write("own", Array<float>({2}, 1.0f));
    out.commit();
  }
  hid_t f = H5Fopen(sent.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  H5Lcreate_external(secret.c_str(), "/x", f, "linked", H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(f);
  H5File in = H5File::open(sent);
  CHECK(in.read<float>("own").data == std::vector<float>{1, 1});
  CHECK_THROWS_WITH_AS(in.read<float>("linked"),
                       (sent + ": 'linked' is an external link to " + secret +
                        ":/x, refused (a file is read only from itself; --allow-external follows such references)")
                           .c_str(),
                       Error);
  CHECK_THROWS_AS(in.list_datasets(), Error);  // a description cannot hide it
  allow_external_data(true);
  CHECK(in.read<float>("linked").data == std::vector<float>{7, 7});
  allow_external_data(false);
}

TEST_CASE("a config made from a file refuses keys and values that would add lines") {
  test::TempDir dir;
  auto config_of = [&](const std::vector<std::string>& keys, const std::string& key, const std::string& value) {
    const std::string path = dir.file("p.h5");
    {
      OutputFile out(path);
      out.h5().write_attribute("ctd_program", std::string("train-rnn"));
      out.h5().write_attribute("ctd_options", keys);
      out.h5().write_attribute(key, value);
      out.commit();
    }
    return config_from_file(H5File::open(path));
  };
  CHECK(config_of({"cell"}, "cell", "gru") == "# train-rnn configuration recorded in " + dir.file("p.h5") + "\ncell = \"gru\"\n");
  CHECK_THROWS_AS(config_of({"cell\ncheckpoint"}, "cell\ncheckpoint", "x.h5"), Error);
  CHECK_THROWS_AS(config_of({"cell"}, "cell", "gru\"\ncheckpoint = \"x.h5"), Error);
  CHECK_THROWS_AS(config_of({"checkpoint"}, "checkpoint", "x.h5"), Error);
  CHECK_THROWS_AS(config_of({"output"}, "output", "x.h5"), Error);
}

TEST_CASE("zero-width arrays join and split along their last axis") {
  Array<float> a({2, 3, 0}), b({2, 3, 2}, 1.0f);
  const Array<float> ab = last_axis_concat(a, b);
  CHECK(ab.shape == Shape{2, 3, 2});
  CHECK(ab.data == b.data);
  CHECK(last_axis_concat(b, a).shape == Shape{2, 3, 2});
  CHECK(last_axis_concat(a, a).shape == Shape{2, 3, 0});
  CHECK(last_axis_concat(a, Array<float>()).shape == Shape{2, 3, 0});
  CHECK(last_axis_slice(b, 1, 1).shape == Shape{2, 3, 0});
}
