#include "plot/gnuplot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/cleanup.hpp"
#include "util/error.hpp"

extern char** environ;

namespace ctd {

std::string format_of(const std::string& path, const std::string& fallback) {
  const auto dot = path.find_last_of('.'), slash = path.find_last_of('/');
  if (path == "-" || dot == std::string::npos || (slash != std::string::npos && dot < slash)) return fallback;
  const std::string ext = path.substr(dot + 1);
  if (ext == "png" || ext == "svg" || ext == "pdf") return ext;
  throw UsageError(path + ": the figure's format follows the name: .png, .svg or .pdf (or --format with -o -)");
}

std::string gnuplot_script(const Figure& figure, const Canvas& c, const std::string& output_name) {
  std::ostringstream s;
  s << "# ctd-plot figure: rerun with 'gnuplot FILE'; the data are the datablocks below.\n";
  const std::string font = "font 'DejaVu Sans,11'";
  if (c.format == "png")
    s << "set terminal pngcairo size " << c.width << "," << c.height << " enhanced " << font << " background rgb 'white'\n";
  else if (c.format == "svg")
    s << "set terminal svg size " << c.width << "," << c.height << " enhanced " << font << " background rgb 'white'\n";
  else
    s << "set terminal pdfcairo size " << c.width / 100.0 << "in," << c.height / 100.0 << "in enhanced font 'DejaVu Sans,9'\n";
  s << "set output " << quoted(output_name) << "\n";
  s << "set encoding utf8\nset grid lc rgb '#dddddd'\nset border lc rgb '#444444'\nset key noautotitle\n";
  for (const DataBlock& b : figure.data) s << b.text();
  s << figure.commands;
  s << "unset output\n";
  // Every string came through quoted(), which writes no backquote: one here
  // would be a shell command for gnuplot, so a slip in a figure (a bug, not
  // bad input: the fuzzer counts it a crash) stops here.
  if (s.str().find('`') != std::string::npos) throw std::logic_error("a backquote in the gnuplot script");
  return s.str();
}

namespace {
std::string make_temp(const std::string& suffix) {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/ctd-plot-XXXXXX" + suffix;
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = mkstemps(buf.data(), int(suffix.size()));
  if (fd < 0) throw Error("cannot create a temporary file in " + std::string(dir && *dir ? dir : "/tmp") + ": " + std::strerror(errno));
  ::close(fd);
  register_temp_file(buf.data());
  return buf.data();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every temporary file of one rendering, removed however it ends.
struct Temps {
  std::vector<std::string> paths;
  const std::string& add(const std::string& suffix) { return paths.emplace_back(make_temp(suffix)); }
  ~Temps() {
    for (const auto& p : paths) {
      ::unlink(p.c_str());
      unregister_temp_file(p);
    }
  }
};
}  // namespace

std::vector<char> render(const Figure& figure, const Canvas& canvas) {
  Temps temps;
  const std::string image = temps.add("." + canvas.format), script_file = temps.add(".gp"), errors = temps.add(".err");
  {
    std::ofstream s(script_file);
    s << gnuplot_script(figure, canvas, image);
    if (!s) throw Error(script_file + ": cannot write the gnuplot script");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, errors.c_str(), O_WRONLY | O_TRUNC, 0600);
  std::vector<char*> argv = {const_cast<char*>("gnuplot"), const_cast<char*>(script_file.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc == 0) register_child(pid);
  if (rc != 0)
    throw Error(std::string("cannot run gnuplot (") + std::strerror(rc) +
                "): install it with scripts/install-deps (Debian package gnuplot-nox)");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  register_child(0);
  const std::string err = read_text(errors);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // gnuplot's message: the last non-empty line that is not the echoed command.
    std::string last, line;
    std::istringstream lines(err);
    while (std::getline(lines, line))
      if (line.find_first_not_of(" ^") != std::string::npos) last = line;
    throw Error("gnuplot failed to draw the figure" + (last.empty() ? std::string() : ": " + last));
  }
  const std::string bytes = read_text(image);
  if (bytes.empty()) throw Error("gnuplot drew nothing" + (err.empty() ? std::string() : ": " + err));
  return std::vector<char>(bytes.begin(), bytes.end());
}

}  // namespace ctd
