#pragma once
// Reading and writing scenario files (DESIGN.md "Scenario files").
#include <stdexcept>
#include <string>
#include <string_view>

#include "impl/scenario.hpp"

namespace fincheck {

// Bad input: names the file and the line (0 when no line is to blame).
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, const std::string& message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }

 private:
  std::string file_;
  int line_;
};

// A scenario, sweep or profile file holds at most this much, in lines of at
// most this much: no honest file comes near, and a bad one (a device, a
// binary) is an error instead of a machine out of memory.
inline constexpr std::size_t max_text_file_bytes = 1024 * 1024;
inline constexpr std::size_t max_line_bytes = 1000;

// Parses `text`; `source` names it in errors. Throws ScenarioError. A text
// with no directive (blanks and comments only) is an error: it describes no
// run.
Scenario parse_scenario(std::string_view text, std::string source);
// The whole of a text file; throws ScenarioError when it cannot be read.
std::string read_text_file(const std::string& path);

// A profile: the `profile` and `set` lines of a scenario and nothing else
// (a stack's own parameters, kept in a file: `profile ./my-stack.profile` in
// a scenario, --profile-file on the command line). Throws ScenarioError.
model::Parameters parse_profile(std::string_view text, std::string source);
model::Parameters read_profile_file(const std::string& path);
// Whether `profile NAME` names a file rather than a built-in profile.
bool is_profile_path(std::string_view name);
// A built-in profile by name, or a profile file by path. Throws ScenarioError.
model::Parameters profile_or_file(const std::string& name_or_path);

// Reads and parses a file. Throws ScenarioError (also when unreadable).
Scenario load_scenario(const std::string& path);

// Writes a scenario that parse_scenario reads back to an equal one; `comment`
// lines go first, each behind '#'.
std::string write_scenario(const Scenario& scenario, std::string_view comment = {});

// Checks what no single line can: delays against MSL, conflicting fates,
// sane parameters. Throws ScenarioError naming the line to blame.
void validate_scenario(const Scenario& scenario);

}  // namespace fincheck
