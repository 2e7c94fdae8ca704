// What ctd-info says about a file: a description (kind, datasets with their
// statistics, groups and attributes, history) as text or JSON, and the values
// of one dataset or a slice of it, as text or CSV.
#pragma once
#include <complex>
#include <string>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

// The values a spec selects: "NAME" or "NAME[a:b, i, :]" — numpy's slices
// (start:stop, either side optional; a single index drops its axis; negative
// indices count from the end).
struct Selection {
  std::string dataset;
  Shape shape;                             // after slicing
  bool complex = false;
  std::vector<double> values;              // real data
  std::vector<std::complex<double>> cvalues;  // complex data
};
Selection select_values(const H5File& f, const std::string& spec);

// One value per line (1-D), one row per line (2-D), blocks with their
// leading indices above (more dimensions). Complex numbers as 1.5+0.2i.
std::string values_text(const Selection& s);
// Comma-separated: one row per line; complex numbers as two columns re,im.
// Throws Error unless the selection is 1-D or 2-D.
std::string values_csv(const Selection& s);

// One attribute, "NAME" (the root's) or "GROUP/NAME": numbers one per line,
// texts as they are. Throws Error naming the file when it is missing.
std::string attribute_value(const H5File& f, const std::string& path);

std::string describe_text(const H5File& f);
// One JSON object: file, kind, version, datasets (path, shape, type, and
// min/mean/max/nonfinite, complex max_abs and outside_unit_circle, values of
// small datasets), groups with their attributes, root attributes, history.
std::string describe_json(const H5File& f);

}  // namespace ctd
