// Fuzzes the config-file reader and the option values it feeds: any bytes
// must either configure the options or raise ctd::UsageError.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/options.hpp"

namespace {
struct Settings {
  double lr = 0.1;
  int steps = 25;
  uint64_t seed = 0;
  std::string cell = "gru", name;
  bool flag = false;
  std::vector<double> tols;
  bool operator==(const Settings& o) const {
    return lr == o.lr && steps == o.steps && seed == o.seed && cell == o.cell && name == o.name && flag == o.flag &&
           tols == o.tols;
  }
};
void register_settings(ctd::OptionSet& o, Settings& s) {
  o.add("lr", s.lr, "").positive();
  o.add("steps", s.steps, "").min(1);
  o.add("seed", s.seed, "");
  o.add("cell", s.cell, "").one_of({"vanilla", "gru"});
  o.add("name", s.name, "");
  o.add("flag", s.flag, "");
  o.add("tol", s.tols, "").min(0, true);
}
void write_file(const std::string& path, const char* data, size_t size) {
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/ctd-fuzz-config-" + std::to_string(getpid()) + ".toml";
  write_file(path, reinterpret_cast<const char*>(data), size);
  Settings read;
  ctd::OptionSet o;
  register_settings(o, read);
  try {
    o.read_config(path, "fuzz");
    o.apply();
    // What was read prints back as a config the reader accepts, with the same values.
    const std::string again = o.config_text();
    write_file(path, again.data(), again.size());
    Settings back;
    ctd::OptionSet b;
    register_settings(b, back);
    b.read_config(path, "fuzz");
    b.apply();
    if (!(back == read)) __builtin_trap();  // a config that does not read back as it was printed
  } catch (const ctd::UsageError&) {
  }
  return 0;
}
