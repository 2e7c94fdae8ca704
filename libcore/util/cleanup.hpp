// Temporary files and child processes that must not outlive the process,
// even when it is killed by SIGINT, SIGTERM or SIGHUP: the handlers stop the
// child (it could still be writing a temporary file), unlink the files, then
// let the signal take its default course (so the exit status still says
// "killed by signal").
#pragma once
#include <sys/types.h>

#include <string>

namespace ctd {

void install_cleanup_handlers();
void register_temp_file(const std::string& path);
void unregister_temp_file(const std::string& path);
// The one child a program runs at a time (ctd-plot's gnuplot); 0 when none.
void register_child(pid_t pid);

}  // namespace ctd
