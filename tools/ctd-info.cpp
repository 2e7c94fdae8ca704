// ctd-info: what is inside HDF5 files, as text or JSON, and the values of a
// dataset as text or CSV — for pipelines (jq, awk, sort, spreadsheets) and for
// a quick look (`gen-integrator -o - | ctd-info -`).
#include <iostream>

#include "cli/tool.hpp"
#include "io/describe.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"
#include "util/printable.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("ctd-info",
                 "Describe HDF5 files: kind, datasets (shape, type, min/mean/max; |z| for complex data; the values of "
                 "small ones), group and root attributes, history. Or print one dataset's values.",
                 "ctd-info fps.h5 --show 'fps[0:5]'");
  std::vector<std::string> files;
  std::string show, csv, attribute;
  bool json = false, history_only = false, as_config = false;
  ctd::OptionSpec& in = tool.options().add("input", files, "HDF5 files to describe ('-' = stdin)").unrecorded().needed();
  in.short_name = "-i";
  in.positional = true;
  in.group = "Files";
  auto& o = tool.options();
  o.add("json", json, "The whole description as JSON (one object; an array of them for several files)").unrecorded();
  o.add("show", show, "Print the values of DATASET, or of a slice: 'fps[0:5]', 'eigvals[0,:3]'").unrecorded();
  o.add("csv", csv, "Print a 1-D or 2-D DATASET (or slice) as CSV; complex numbers as re,im columns").unrecorded();
  o.add("attribute", attribute, "Print one attribute's value: NAME (the root's) or GROUP/NAME, e.g. tol_1e-05/n_kept")
      .unrecorded();
  o.add("history-only", history_only, "Print only the history attribute").unrecorded();
  o.add("as-config", as_config,
        "Print the options the file was made with as a config file: PROGRAM --config FILE reruns it").unrecorded();
  return tool.run(argc, argv, [&] {
    const int modes = int(!show.empty()) + int(!csv.empty()) + int(!attribute.empty()) + int(history_only) + int(as_config);
    if (modes + int(json) > 1) throw ctd::UsageError("give one of --show, --csv, --attribute, --json, --history-only, --as-config");
    if (files.size() > 1 && modes > 0)
      throw ctd::UsageError("--show, --csv, --attribute, --history-only and --as-config take one file, not " +
                            std::to_string(files.size()));
    if (json && files.size() > 1) std::cout << "[";
    for (size_t i = 0; i < files.size(); ++i) {
      ctd::H5File f = ctd::H5File::open(files[i]);
      if (!show.empty()) std::cout << ctd::values_text(ctd::select_values(f, show));
      else if (!csv.empty()) std::cout << ctd::values_csv(ctd::select_values(f, csv));
      else if (!attribute.empty()) std::cout << ctd::attribute_value(f, attribute);
      else if (as_config) std::cout << ctd::config_from_file(f);
      else if (history_only) std::cout << (f.has_attribute("history") ? ctd::printable_lines(f.read_attribute_string("history")) + "\n" : "");
      else if (json) std::cout << (i ? "," : "") << ctd::describe_json(f);
      else std::cout << (i ? "\n" : "") << ctd::describe_text(f);
    }
    if (json && files.size() > 1) std::cout << "]\n";
  });
}
