// ctd-info: what is inside an HDF5 file, as text — for pipelines and for a
// quick look (`gen-integrator -o - | ctd-info -`).
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/tool.hpp"
#include "io/hdf5.hpp"
#include "io/provenance.hpp"

namespace {
std::string summary(const ctd::H5File& f, const std::string& ds) {
  std::string type = f.dataset_type_name(ds);
  std::ostringstream out;
  out << std::left << std::setw(28) << ds << std::setw(16) << ctd::shape_string(f.dataset_shape(ds))
      << std::setw(11) << type;
  if (type.rfind("float", 0) == 0 || type.rfind("int", 0) == 0 || type.rfind("uint", 0) == 0) {
    auto a = f.read<double>(ds);
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    size_t bad = 0;
    for (double v : a.data) {
      if (!std::isfinite(v)) {
        ++bad;
        continue;
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sum += v;
    }
    size_t n = a.size() - bad;
    if (n > 0)
      out << std::setprecision(5) << "min " << lo << "  mean " << sum / double(n) << "  max " << hi;
    if (bad) out << "  (" << bad << " NaN/Inf)";
  }
  return out.str();
}

std::string attribute_text(const ctd::H5File& f, const std::string& name) {
  std::ostringstream out;
  if (f.attribute_is_string(name)) {
    auto v = f.read_attribute_strings(name);
    for (size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
  } else {
    auto v = f.read_attribute_doubles(name);
    out << std::setprecision(8);
    size_t shown = std::min<size_t>(v.size(), 6);
    for (size_t i = 0; i < shown; ++i) out << (i ? ", " : "") << v[i];
    if (v.size() > shown) out << ", ... (" << v.size() << " values)";
  }
  return out.str();
}
}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("ctd-info",
                 "Describe an HDF5 file: its kind, datasets (shape, type, min/mean/max), attributes and history.",
                 "gen-integrator -o - | ctd-info -");
  bool history_only = false, as_config = false;
  tool.add_input("HDF5 file to describe").needed();
  tool.options().add("history-only", history_only, "Print only the history attribute").unrecorded();
  tool.options().add("as-config", as_config,
                     "Print the options the file was made with as a config file: PROGRAM --config FILE reruns it")
      .unrecorded();
  return tool.run(argc, argv, [&] {
    ctd::H5File f = ctd::H5File::open(tool.input);
    if (as_config) {
      std::cout << ctd::config_from_file(f);
      return;
    }
    if (history_only) {
      if (f.has_attribute("history")) std::cout << f.read_attribute_string("history") << "\n";
      return;
    }
    std::cout << f.name() << "\n";
    if (f.has_attribute("ctd_kind"))
      std::cout << "kind: " << f.read_attribute_string("ctd_kind") << "  (ctd "
                << (f.has_attribute("ctd_version") ? f.read_attribute_string("ctd_version") : "?") << ")\n";
    std::cout << "datasets:\n";
    for (const auto& ds : f.list_datasets()) std::cout << "  " << summary(f, ds) << "\n";
    std::cout << "attributes:\n";
    for (const auto& a : f.list_attributes()) {
      if (a == "history" || a == "ctd_kind" || a == "ctd_version") continue;
      std::cout << "  " << a << " = " << attribute_text(f, a) << "\n";
    }
    if (f.has_attribute("history")) {
      std::cout << "history:\n";
      std::istringstream h(f.read_attribute_string("history"));
      for (std::string line; std::getline(h, line);) std::cout << "  " << line << "\n";
    }
  });
}
