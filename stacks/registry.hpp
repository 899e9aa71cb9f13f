#pragma once
// The stacks fincheck can validate, by name: the one place that knows them.
// `run`, `validate` and `probe` take `--impl NAME`; `fincheck stacks` lists
// them. A program that links fincheck adds its own with register_stack().
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "properties/validation.hpp"

namespace fincheck {

struct RegisteredStack {
  std::string name;
  std::string summary;
  std::function<StackUnderTest()> make;
};

// The built-in stacks (reference, lwip, mutant:NAME for every mutant) and
// those registered since.
const std::vector<RegisteredStack>& registered_stacks();
void register_stack(RegisteredStack stack);

// A name the registry does not know, or a stack that cannot be started.
class StackUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StackOptions {
  // How long a stack in another process may take over one answer.
  std::chrono::milliseconds timeout{5'000};
};

// A registered name, or "exec:PROGRAM [ARGS]" for a stack in another
// process (docs/stack-protocol.md), started now. Throws StackUnavailable.
StackUnderTest stack_named(const std::string& spec, const StackOptions& options = {});

}  // namespace fincheck
