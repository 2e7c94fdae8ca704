#include "io/output.hpp"

#include <atomic>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "io/file_image.hpp"
#include "util/cleanup.hpp"
#include "util/error.hpp"
#include "util/ranks.hpp"

namespace ctd {

namespace {
bool g_fail_next_commit = false;

std::string dirname_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string basename_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void write_all(int fd, const char* data, size_t n, const std::string& what) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw Error(what + ": cannot write: " + std::strerror(errno));
    data += w;
    n -= size_t(w);
  }
}
// "<host>-<pid>": temporary files carry their writer, so that one left by a
// killed run (SIGKILL, a crash) can be recognised and removed later.
std::string host_name() {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  for (char* c = host; *c; ++c)
    if (*c == '-' || *c == '/') *c = '_';  // '-' separates the parts of the name
  return host;
}

std::string writer_tag() { return host_name() + "-" + std::to_string(getpid()); }

// Removes .NAME.tmp-<this host>-<pid>-XXXXXX files of processes that no
// longer exist. Files of other hosts (a shared filesystem) are left alone.
void remove_stale_temp_files(const std::string& dir, const std::string& name) {
  const std::string prefix = "." + name + ".tmp-" + host_name() + "-";
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    const std::string entry = e->d_name;
    if (entry.compare(0, prefix.size(), prefix) != 0) continue;
    const long pid = std::strtol(entry.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && kill(pid_t(pid), 0) != 0 && errno == ESRCH) ::unlink((dir + "/" + entry).c_str());
  }
  closedir(d);
}
}  // namespace

void simulate_commit_failure_once() { g_fail_next_commit = true; }

AtomicOutput::AtomicOutput(const std::string& path, const std::string& what) : path_(path) {
  if (path.empty()) throw UsageError("no output file given (use -o FILE, or -o - for stdout)");
  if (path == "-") {
    if (isatty(STDOUT_FILENO))
      throw UsageError("refusing to write " + what + " to a terminal: redirect stdout or use -o FILE");
    return;
  }
  std::string dir = dirname_of(path);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0)
    throw Error(path + ": cannot write: folder '" + dir + "' does not exist");
  if (!S_ISDIR(st.st_mode)) throw Error(path + ": cannot write: '" + dir + "' is not a folder");
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw Error(path + ": cannot write: it is a folder");
  // A device or a pipe (-o /dev/null, a FIFO) is written in place: renaming a
  // file over it would replace it (as root, /dev/null itself).
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    direct_ = true;
    return;
  }
  remove_stale_temp_files(dir, basename_of(path));
  std::string tmpl = dir + "/." + basename_of(path) + ".tmp-" + writer_tag() + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = mkstemp(buf.data());
  if (fd < 0) throw Error(path + ": cannot write in folder '" + dir + "': " + std::strerror(errno));
  temp_ = buf.data();
  register_temp_file(temp_);
  // mkstemp makes the file private; give it the permissions a new file gets.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  ::close(fd);
}

AtomicOutput::~AtomicOutput() {
  if (committed_ || temp_.empty()) return;
  ::unlink(temp_.c_str());
  unregister_temp_file(temp_);
}

void AtomicOutput::commit(const char* data, size_t size) {
  if (!is_rank0()) return;  // a data-parallel run writes once: rank 0 (the temporary file goes with this object)
  if (g_fail_next_commit) {
    g_fail_next_commit = false;
    throw Error((to_stdout() ? std::string("stdout") : path_) + ": simulated failure before " +
                (temp_.empty() ? "writing" : "rename"));
  }
  if (to_stdout()) {
    write_all(STDOUT_FILENO, data, size, "stdout");
    committed_ = true;
    return;
  }
  // A device or pipe is written where it is; a file goes to the temporary file, synced, then renamed.
  const std::string& target = direct_ ? path_ : temp_;
  int fd = ::open(target.c_str(), direct_ ? O_WRONLY : O_WRONLY | O_TRUNC);
  if (fd < 0) throw Error(path_ + ": cannot write: " + std::strerror(errno));
  try {
    write_all(fd, data, size, path_);
  } catch (...) {
    ::close(fd);
    throw;
  }
  const int rc = direct_ ? 0 : ::fsync(fd), err = errno;
  if (::close(fd) != 0 || rc != 0) throw Error(path_ + ": cannot finish writing: " + std::strerror(rc ? err : errno));
  if (direct_) {
    committed_ = true;
    return;
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0)
    throw Error(path_ + ": cannot move the finished file into place: " + std::strerror(errno));
  unregister_temp_file(temp_);
  committed_ = true;
}

namespace {
// HDF5's error handling must be set up before anything can fail.
const std::string& with_hdf5(const std::string& path) {
  hdf5_init();
  return path;
}
}  // namespace

OutputFile::OutputFile(const std::string& path) : out_(with_hdf5(path), "binary HDF5") {
  file_ = memory_file(path == "-" ? "<stdout>" : path);
}

OutputFile::~OutputFile() { file_.reset(); }

void OutputFile::commit() {
  const std::vector<char> image = file_image(*file_);
  file_.reset();
  out_.commit(image.data(), image.size());
}

}  // namespace ctd
