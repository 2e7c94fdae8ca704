// Fuzzes FILE:DATASET references and list values ("1e-4,1e-5"): any text must
// parse or raise ctd::UsageError.
#include <string>

#include "io/dataset_ref.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ctd::DatasetRef r = ctd::parse_dataset_ref(text, size % 2 == 0, "--inputs");
    if (r.file.size() + r.dataset.size() > text.size()) __builtin_trap();
  } catch (const ctd::UsageError&) {
  }
  std::vector<double> tols;
  ctd::OptionSet o;
  ctd::OptionSpec& s = o.add("tol", tols, "").min(0, true);
  s.raw = {text};
  s.set = true;
  try {
    o.apply();
    for (double t : tols)
      if (!(t > 0)) __builtin_trap();  // a value past the limits
  } catch (const ctd::UsageError&) {
  }
  return 0;
}
