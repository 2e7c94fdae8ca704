// Fuzzes the config-file reader and the option values it feeds: any bytes
// must either configure the options or raise ctd::UsageError.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/ctd-fuzz-config-" + std::to_string(getpid()) + ".toml";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  double lr = 0.1;
  int steps = 25;
  uint64_t seed = 0;
  std::string cell = "gru", free_text;
  bool flag = false;
  std::vector<double> tols;
  ctd::OptionSet o;
  o.add("lr", lr, "").positive();
  o.add("steps", steps, "").min(1);
  o.add("seed", seed, "");
  o.add("cell", cell, "").one_of({"vanilla", "gru"});
  o.add("name", free_text, "");
  o.add("flag", flag, "");
  o.add("tol", tols, "").min(0, true);
  try {
    o.read_config(path, "fuzz");
    o.apply();
    // What was read prints back as a config the reader accepts.
    const std::string again = o.config_text();
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
      std::fwrite(again.data(), 1, again.size(), f);
      std::fclose(f);
    }
    ctd::OptionSet back;
    double lr2;
    int steps2;
    uint64_t seed2;
    std::string cell2, text2;
    bool flag2;
    std::vector<double> tols2;
    back.add("lr", lr2, "");
    back.add("steps", steps2, "");
    back.add("seed", seed2, "");
    back.add("cell", cell2, "");
    back.add("name", text2, "");
    back.add("flag", flag2, "");
    back.add("tol", tols2, "");
    back.read_config(path, "fuzz");
    back.apply();
    if (lr2 != lr || steps2 != steps || seed2 != seed || cell2 != cell || text2 != free_text || flag2 != flag ||
        tols2 != tols)
      __builtin_trap();  // a config that does not read back as it was printed
  } catch (const ctd::UsageError&) {
  }
  return 0;
}
