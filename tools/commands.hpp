#pragma once
// The subcommands of `fincheck`, callable without spawning the binary. Each
// returns the process exit code: 0 all held, 1 something violated, 2 bad
// input or misuse (DESIGN.md).
#include <ostream>
#include <string>
#include <vector>

namespace fincheck::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_violation = 1;
inline constexpr int exit_bad_input = 2;

struct RunOptions {
  std::vector<std::string> files;
  bool json = false;    // one JSON object per file
  bool timers = false;  // the ladder (and JSON) show every timer operation
  bool brief = false;   // one verdict line per file
  bool expect = false;  // hold each file to its `# expect:` line
};

int run(const RunOptions& options, std::ostream& out, std::ostream& err);

int table(bool json, std::ostream& out);

}  // namespace fincheck::cli
