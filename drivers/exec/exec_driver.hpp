#pragma once
// A stack in another process (`--impl exec:PROGRAM [ARGS]`), speaking the
// framed protocol of docs/stack-protocol.md on its stdin and stdout. One
// process per thread serves a whole batch of runs: each side of each
// connection is a handle. It is started when the stack is named, and again for the next run
// after it dies. A process that exits, hangs past the timeout, or writes a
// malformed frame is a stack error of the run it served, never a crash or a
// hang of fincheck.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "drivers/driver.hpp"

namespace fincheck::exec {

struct ExecOptions {
  std::vector<std::string> argv;  // the program and its arguments
  // The longest the stack may take over one reply.
  std::chrono::milliseconds timeout{5'000};
};

// What the stack declared in its Hello.
struct Declaration {
  std::string name;
  StackCapabilities caps;
  model::Parameters profile;
  // `iss offered`: the stack keeps the ISS it is offered, so an Open needs
  // no answer of its own.
  bool offered_iss = false;
};

class Process;

// A started stack: its declaration and how to build its drivers. Throws
// std::runtime_error, with the reason, when the program cannot be started
// or its Hello is not one.
struct ExecStack {
  Declaration declared;
  DriverFactory factory;
};
ExecStack start(const ExecOptions& options);

// Splits "PROGRAM ARGS" at spaces; quotes group ('a b' or "a b").
std::vector<std::string> split_command(const std::string& command);

// The Hello's text: capability lines and a profile (profile and set lines).
// Throws std::runtime_error naming the line.
Declaration parse_declaration(const std::string& text, const std::string& source);

}  // namespace fincheck::exec
