// "FILE:DATASET" arguments (--h0s, --targets, --inputs, -i of the analysis
// tools): a dataset of any file. A spec that names an existing file is the
// file alone (so paths with ':' still work).
#pragma once
#include <string>

namespace ctd {

struct DatasetRef {
  std::string file;
  std::string dataset;  // empty: the caller's default
};

// With `dataset_required`, a spec without ":DATASET" is a usage error naming `option`.
DatasetRef parse_dataset_ref(const std::string& spec, bool dataset_required = false, const char* option = "");

}  // namespace ctd
