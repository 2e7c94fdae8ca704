// "FILE:DATASET" arguments (--h0s, --targets, --inputs, -i of the analysis
// tools): a dataset of any file, and the readers that resolve them. A spec
// that names an existing file is the file alone (so paths with ':' still work).
#pragma once
#include <Eigen/Core>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "io/matrix_io.hpp"

namespace ctd {

struct DatasetRef {
  std::string file;
  std::string dataset;  // empty: the caller's default
};

// With `dataset_required`, a spec without ":DATASET" is a usage error naming `option`.
DatasetRef parse_dataset_ref(const std::string& spec, bool dataset_required = false, const char* option = "");

// Opens the file of `spec` and resolves its dataset: the one named, else the
// first of `defaults` that the file holds (an error listing them if none).
struct OpenedRef {
  H5File file;
  std::string dataset;
  std::string where() const { return file.where(dataset); }
};
OpenedRef open_dataset_ref(const std::string& spec, const std::vector<std::string>& defaults);

// Where a file keeps a network's states when no DATASET is named: a states
// file's `hiddens`, else a fit-lfads posterior's generator states (its train
// split, else its valid split; native or lfads-torch layout).
const std::vector<std::string>& state_datasets();

// States as rows [K,N]: a [K,N] dataset as it is, a [B,T,N] one flattened in
// trial order — or, with time >= 0, step `time` of each trial. N must match;
// values must be finite. Without DATASET: the first of `defaults` present.
RowMatD read_state_rows(const std::string& spec, int N, std::string* history = nullptr, int time = -1,
                        const std::vector<std::string>& defaults = state_datasets());

// A [T,K] time series (a [T] dataset counts as K = 1 unless `matrix_only`),
// finite and not empty; `option` names the FILE:DATASET option in messages.
RowMatD read_series(const std::string& spec, const char* option, bool matrix_only = false);

// "0.5,1"-style vectors given as a list option: empty means zeros of length
// U; otherwise exactly U values are required.
Eigen::VectorXd vector_or_zeros(const std::vector<double>& values, int U, const char* option);

}  // namespace ctd
