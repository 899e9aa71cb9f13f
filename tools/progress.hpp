#pragma once
// Progress on long runs: silent for the first second, then a line that
// updates in place on a terminal (or one line per tenth elsewhere), with the
// rate and the time left. Wall-clock time only decides what is shown, never
// what is computed.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace fincheck::cli {

class ProgressLine {
 public:
  ProgressLine(std::ostream& err, std::string what, bool enabled, bool terminal);
  ~ProgressLine();
  void operator()(std::uint32_t done, std::uint32_t total);
  double seconds() const;
  // Clears the line from a terminal, before the command prints its result
  // (the destructor does it too, once).
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  std::string what_;
  bool enabled_;
  bool terminal_;
  bool shown_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  std::uint32_t last_tenth_ = 0;
};

bool stderr_is_terminal();

}  // namespace fincheck::cli
