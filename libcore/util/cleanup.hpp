// Temporary files that must not outlive the process, even when it is killed
// by SIGINT, SIGTERM or SIGHUP: the handlers unlink them, then let the signal
// take its default course (so the exit status still says "killed by signal").
#pragma once
#include <string>

namespace ctd {

void install_cleanup_handlers();
void register_temp_file(const std::string& path);
void unregister_temp_file(const std::string& path);

}  // namespace ctd
