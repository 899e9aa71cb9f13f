#include "drivers/exec/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

extern char** environ;

namespace fincheck::exec {

Process::Process(std::vector<std::string> argv, std::chrono::milliseconds timeout)
    : argv_(std::move(argv)), timeout_(timeout) {
  for (const std::string& a : argv_) command_ += (command_.empty() ? "" : " ") + a;
  if (argv_.empty()) {
    failure_ = "no program named";
    return;
  }
  // A child that dies mid-write must not take fincheck with it: EPIPE is
  // reported as its death instead.
  std::signal(SIGPIPE, SIG_IGN);
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
    failure_ = std::string("cannot make a pipe: ") + std::strerror(errno);
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  std::vector<char*> args;
  for (std::string& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  const int err = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  to_child_ = in[1];
  from_child_ = out[0];
  if (err != 0) {
    pid_ = -1;
    failure_ = "cannot start '" + command_ + "': " + std::strerror(err);
  }
}

Process::~Process() {
  if (to_child_ >= 0) close(to_child_);  // end of input: a well-behaved stack exits
  if (pid_ > 0) {
    // A stack gets the timeout to exit on its own, then is killed.
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      usleep(1'000);
    }
  }
  if (from_child_ >= 0) close(from_child_);
}

std::string Process::exit_status() {
  int status = 0;
  // Its stdout closed: it is exiting, or has; give it the timeout to finish.
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  pid_t got = 0;
  while ((got = waitpid(pid_, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline)
    usleep(1'000);
  if (got == 0) return "closed its output";
  pid_ = -1;
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

void Process::fail(const std::string& why) {
  if (!failure_.empty()) return;
  failure_ = why;
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

bool Process::write_all(const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(to_child_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string status = errno == EPIPE ? exit_status() : std::strerror(errno);
      fail("'" + command_ + "' " + status + " (writing to it failed)");
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void Process::post(const Frame& request) {
  if (!alive()) return;
  const std::vector<std::uint8_t> bytes = encode_frame(request);
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
}

std::optional<std::vector<Frame>> Process::exchange(const Frame& request, FrameType last,
                                                    const Frame* before) {
  if (!alive()) return std::nullopt;
  int answers = 1;
  if (before) {
    const std::vector<std::uint8_t> first = encode_frame(*before);
    pending_.insert(pending_.end(), first.begin(), first.end());
    ++answers;
  }
  const std::vector<std::uint8_t> bytes = encode_frame(request);
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  if (!write_all(std::exchange(pending_, {}))) return std::nullopt;
  std::vector<Frame> frames;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::uint8_t buffer[65536];
  for (;;) {
    auto next = reader_.next();
    if (auto* error = std::get_if<std::string>(&next)) {
      fail("'" + command_ + "' wrote a malformed frame: " + *error);
      return std::nullopt;
    }
    if (auto& frame = std::get<std::optional<Frame>>(next)) {
      if (frame->type == FrameType::Error) {
        fail("'" + command_ +
             "' reported an error: " + std::string(frame->payload.begin(), frame->payload.end()));
        return std::nullopt;
      }
      const bool end = frame->type == last && --answers == 0;
      frames.push_back(std::move(*frame));
      if (end) return frames;
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{from_child_, POLLIN, 0};
    const int ready = left.count() > 0 ? poll(&p, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      fail("'" + command_ + "' did not answer within " + std::to_string(timeout_.count()) +
           " ms (hung); it was killed");
      return std::nullopt;
    }
    const ssize_t n = read(from_child_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fail("'" + command_ + "' " + exit_status() + " while fincheck waited for its answer");
      return std::nullopt;
    }
    reader_.feed({buffer, static_cast<std::size_t>(n)});
  }
}

}  // namespace fincheck::exec
