#include "tools/progress.hpp"

#include "tools/commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

namespace fincheck::cli {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

unsigned threads_or_cores(unsigned threads) {
  return threads ? threads : std::max(1U, std::thread::hardware_concurrency());
}

ProgressLine::ProgressLine(std::ostream& err, std::string what, bool enabled, bool terminal)
    : err_(err), what_(std::move(what)), enabled_(enabled), terminal_(terminal) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::finish() {
  if (shown_ && terminal_) err_ << '\r' << std::string(72, ' ') << '\r' << std::flush;
  shown_ = false;
}

double ProgressLine::seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void ProgressLine::operator()(std::uint32_t done, std::uint32_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1.0) return;
  const std::uint32_t tenth = done * 10 / total;
  if (terminal_ ? now - last_ < std::chrono::milliseconds(200) && done != total
                : tenth == last_tenth_)
    return;
  last_ = now;
  last_tenth_ = tenth;
  const double rate = done / elapsed;
  const double left = rate > 0 ? (total - done) / rate : 0;
  char line[160];
  std::snprintf(line, sizeof line, "%s %u/%u (%u%%), %.0f/s, %.0f s left", what_.c_str(), done,
                total, done * 100 / total, rate, left);
  err_ << (terminal_ ? "\r" : "") << line << (terminal_ ? "" : "\n") << std::flush;
  shown_ = true;
}

}  // namespace fincheck::cli
