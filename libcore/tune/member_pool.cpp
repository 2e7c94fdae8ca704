#include "tune/member_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

#include "util/error.hpp"
#include "util/ranks.hpp"
#include "util/signals.hpp"

namespace ctd {

namespace {
template <class T>
void put(std::vector<char>& out, const T& v) {
  const char* p = reinterpret_cast<const char*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}
void put_bytes(std::vector<char>& out, const std::vector<char>& b) {
  put(out, uint64_t(b.size()));
  out.insert(out.end(), b.begin(), b.end());
}

struct Reader {
  const std::vector<char>& in;
  const std::string& where;
  size_t at = 0;
  template <class T>
  T get() {
    if (in.size() - at < sizeof(T)) throw Error(where + ": a member's result is cut short");
    T v;
    std::memcpy(&v, in.data() + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
  std::vector<char> bytes() {
    const uint64_t n = get<uint64_t>();
    if (in.size() - at < n) throw Error(where + ": a member's result is cut short");
    std::vector<char> b(in.begin() + std::ptrdiff_t(at), in.begin() + std::ptrdiff_t(at + n));
    at += n;
    return b;
  }
};

MemberResult not_started(int member) {
  MemberResult r;
  r.member = member;
  r.stopped = true;
  r.failure = "not started";
  return r;
}

MemberResult guarded(const MemberTrainer& train, const MemberJob& job) {
  MemberResult r;
  try {
    r = train(job);
  } catch (const Stopped& e) {
    r.stopped = true;
    r.failure = e.what();
  } catch (const std::exception& e) {
    r.failed = true;
    r.failure = e.what();
  }
  r.member = job.member;
  return r;
}

// One forked process per member, at most `parallel` at a time, each sending
// its result through a pipe. A signal to this process is passed on to them.
std::vector<MemberResult> run_forked(const std::vector<MemberJob>& jobs, const MemberTrainer& train, int parallel) {
  struct Child {
    size_t job;
    int fd;
    std::vector<char> bytes;
  };
  std::map<pid_t, Child> running;
  std::vector<MemberResult> results(jobs.size());
  size_t next = 0;
  bool stopping = false;
  while ((!stopping && next < jobs.size()) || !running.empty()) {
    while (!stopping && next < jobs.size() && int(running.size()) < parallel) {
      int fds[2];
      if (pipe(fds) != 0) throw Error(std::string("cannot start a member: ") + std::strerror(errno));
      const pid_t pid = fork();
      if (pid < 0) throw Error(std::string("cannot start a member: ") + std::strerror(errno));
      if (pid == 0) {  // the member: train, send the result, leave without running the parent's exit handlers
        ::close(fds[0]);
        const std::vector<char> out = pack_results({guarded(train, jobs[next])});
        size_t done = 0;
        while (done < out.size()) {
          const ssize_t w = ::write(fds[1], out.data() + done, out.size() - done);
          if (w < 0 && errno == EINTR) continue;
          if (w <= 0) _exit(3);
          done += size_t(w);
        }
        _exit(0);
      }
      ::close(fds[1]);
      fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);  // read what is there, never wait on one member
      running[pid] = Child{next++, fds[0], {}};
    }
    std::vector<pollfd> fds;
    for (auto& [pid, c] : running) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR)
      throw Error(std::string("waiting for the members: ") + std::strerror(errno));
    const int sig = take_pending_signal();
    if (sig == SIGTERM || sig == SIGINT) {
      stopping = true;
      for (auto& [pid, c] : running) kill(pid, sig);
    }
    for (auto it = running.begin(); it != running.end();) {
      Child& c = it->second;
      char buf[1 << 16];
      const ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n > 0) c.bytes.insert(c.bytes.end(), buf, buf + n);
      if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN))) {
        ++it;
        continue;
      }
      ::close(c.fd);  // the end of its result
      int status = 0;
      while (waitpid(it->first, &status, 0) < 0 && errno == EINTR) {}
      MemberResult& r = results[c.job];
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        r = unpack_results(c.bytes, "member " + std::to_string(jobs[c.job].member)).at(0);
      } else {
        r.member = jobs[c.job].member;
        r.stopped = stopping;
        r.failed = !stopping;
        r.failure = WIFSIGNALED(status) ? "its process was killed by signal " + std::to_string(WTERMSIG(status))
                                        : "its process ended with status " + std::to_string(WEXITSTATUS(status));
      }
      it = running.erase(it);
    }
  }
  for (size_t j = next; j < jobs.size(); ++j) results[j] = not_started(jobs[j].member);
  return results;
}
}  // namespace

std::vector<char> pack_results(const std::vector<MemberResult>& results) {
  std::vector<char> out;
  put(out, uint64_t(results.size()));
  for (const MemberResult& r : results) {
    put(out, int64_t(r.member));
    put(out, uint8_t(r.failed));
    put(out, uint8_t(r.stopped));
    put_bytes(out, std::vector<char>(r.failure.begin(), r.failure.end()));
    put(out, r.score);
    put(out, r.train_seconds);
    put(out, r.score_seconds);
    put_bytes(out, r.state);
  }
  return out;
}

std::vector<MemberResult> unpack_results(const std::vector<char>& bytes, const std::string& where) {
  Reader in{bytes, where};
  const uint64_t n = in.get<uint64_t>();
  if (n > bytes.size()) throw Error(where + ": not a member's result");
  std::vector<MemberResult> out;
  for (uint64_t i = 0; i < n; ++i) {
    MemberResult r;
    r.member = int(in.get<int64_t>());
    r.failed = in.get<uint8_t>() != 0;
    r.stopped = in.get<uint8_t>() != 0;
    const std::vector<char> text = in.bytes();
    r.failure.assign(text.begin(), text.end());
    r.score = in.get<double>();
    r.train_seconds = in.get<double>();
    r.score_seconds = in.get<double>();
    r.state = in.bytes();
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<MemberResult> run_members(const std::vector<MemberJob>& jobs, const MemberTrainer& train, int parallel) {
  const RankInfo world = world_ranks();
  if (world.size > 1) {
    std::vector<MemberResult> mine;
    {
      AloneOnThisRank alone;
      for (size_t j = size_t(world.rank); j < jobs.size(); j += size_t(world.size)) {
        mine.push_back(guarded(train, jobs[j]));
        if (mine.back().stopped) break;  // the others learn it at the exchange
      }
    }
    std::vector<MemberResult> results(jobs.size());
    std::vector<bool> have(jobs.size(), false);
    const auto all = gather_over_world(pack_results(mine));
    for (size_t r = 0; r < all.size(); ++r)
      for (MemberResult& one : unpack_results(all[r], "rank " + std::to_string(r)))
        for (size_t j = 0; j < jobs.size(); ++j)
          if (jobs[j].member == one.member) results[j] = std::move(one), have[j] = true;
    for (size_t j = 0; j < jobs.size(); ++j)
      if (!have[j]) results[j] = not_started(jobs[j].member);
    return results;
  }
  if (parallel <= 1) {
    std::vector<MemberResult> results;
    for (const MemberJob& job : jobs) {
      results.push_back(guarded(train, job));
      if (results.back().stopped) break;
    }
    for (size_t j = results.size(); j < jobs.size(); ++j)
      results.push_back(not_started(jobs[j].member));
    return results;
  }
  return run_forked(jobs, train, parallel);
}

}  // namespace ctd
