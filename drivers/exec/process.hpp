#pragma once
// The child process of an out-of-process stack: started with pipes on its
// stdin and stdout (its stderr is the user's), spoken to in frames. Every
// failure -- it cannot start, it exits, it hangs past the timeout, it writes
// a malformed frame -- is a message in `failure()`, after which the process
// is killed and reaped; nothing throws and nothing blocks past the timeout.
#include <sys/types.h>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "drivers/exec/frames.hpp"

namespace fincheck::exec {

class Process {
 public:
  Process(std::vector<std::string> argv, std::chrono::milliseconds timeout);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool alive() const { return pid_ > 0 && failure_.empty(); }
  const std::string& failure() const { return failure_; }
  const std::string& command() const { return command_; }

  // Sends `request` (after `before`, if given, whose answer comes first)
  // and collects the frames that answer them, up to and including the last
  // one of type `last` (Done, or Hello). nullopt: it failed (failure() says
  // how). An Error frame from the stack is a failure too.
  std::optional<std::vector<Frame>> exchange(const Frame& request, FrameType last,
                                             const Frame* before = nullptr);
  // Sends with the next exchange, without waiting for an answer (End).
  void post(const Frame& request);
  // Kills the process: what it said cannot be trusted (a frame that decodes
  // but means nothing), so nothing more it says can be read in step.
  void fail(const std::string& why);

 private:
  bool write_all(const std::vector<std::uint8_t>& bytes);
  std::string exit_status();

  std::vector<std::string> argv_;
  std::string command_;
  std::chrono::milliseconds timeout_;
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  FrameReader reader_;
  std::string failure_;
  std::vector<std::uint8_t> pending_;  // posted, not yet written
};

}  // namespace fincheck::exec
