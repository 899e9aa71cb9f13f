#pragma once
// A timer is a deadline in virtual time, nothing more: the owner asks
// `due(now)`, and the simulator asks for `deadline()` to know when to wake.
#include <cstdint>
#include <optional>

namespace fincheck {

class Timer {
 public:
  void set(std::int64_t deadline_us) { deadline_ = deadline_us; }
  void cancel() { deadline_.reset(); }
  bool armed() const { return deadline_.has_value(); }
  std::optional<std::int64_t> deadline() const { return deadline_; }
  bool due(std::int64_t now_us) const { return deadline_ && *deadline_ <= now_us; }

 private:
  std::optional<std::int64_t> deadline_;
};

}  // namespace fincheck
