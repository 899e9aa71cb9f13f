#pragma once
// A timer is a deadline in virtual time, nothing more: the owner asks
// `due(now)`, and the simulator asks for `deadline()` to know when to wake.
#include <cstdint>
#include <limits>
#include <optional>

namespace fincheck {

class Timer {
 public:
  static constexpr std::int64_t unarmed = std::numeric_limits<std::int64_t>::max();

  void set(std::int64_t deadline_us) { deadline_ = deadline_us; }
  void cancel() { deadline_ = unarmed; }
  bool armed() const { return deadline_ != unarmed; }
  std::optional<std::int64_t> deadline() const {
    return armed() ? std::optional(deadline_) : std::nullopt;
  }
  // The deadline, or `unarmed`, which sorts after every deadline.
  std::int64_t deadline_or_unarmed() const { return deadline_; }
  bool due(std::int64_t now_us) const { return deadline_ <= now_us; }

 private:
  std::int64_t deadline_ = unarmed;
};

}  // namespace fincheck
