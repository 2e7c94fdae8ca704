#include "io/dataset_ref.hpp"

#include <sys/stat.h>

#include "util/error.hpp"

namespace ctd {

DatasetRef parse_dataset_ref(const std::string& spec, bool dataset_required, const char* option) {
  DatasetRef r{spec, ""};
  struct stat st;
  auto colon = spec.rfind(':');
  if (::stat(spec.c_str(), &st) != 0 && colon != std::string::npos) {
    r.file = spec.substr(0, colon);
    r.dataset = spec.substr(colon + 1);
  }
  if (dataset_required && r.dataset.empty())
    throw UsageError(std::string(option) + " must be FILE:DATASET, not '" + spec + "'");
  return r;
}

}  // namespace ctd
