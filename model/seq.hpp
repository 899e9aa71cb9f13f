#pragma once
// 32-bit sequence numbers compared modulo 2^32 (RFC 9293 §3.4: "all
// arithmetic dealing with sequence numbers must be performed modulo 2**32").
#include <cstdint>

namespace fincheck {

class Seq {
 public:
  constexpr Seq() = default;
  constexpr explicit Seq(std::uint32_t raw) : raw_(raw) {}

  constexpr std::uint32_t raw() const { return raw_; }

  constexpr Seq operator+(std::uint32_t n) const { return Seq(raw_ + n); }
  constexpr Seq& operator+=(std::uint32_t n) {
    raw_ += n;
    return *this;
  }
  // Distance from `from` to this, as a signed 32-bit number: positive when
  // this lies after `from` by less than 2^31.
  constexpr std::int32_t since(Seq from) const {
    return static_cast<std::int32_t>(raw_ - from.raw_);
  }

  friend constexpr bool operator==(Seq a, Seq b) { return a.raw_ == b.raw_; }
  friend constexpr bool operator<(Seq a, Seq b) { return a.since(b) < 0; }
  friend constexpr bool operator<=(Seq a, Seq b) { return a.since(b) <= 0; }
  friend constexpr bool operator>(Seq a, Seq b) { return a.since(b) > 0; }
  friend constexpr bool operator>=(Seq a, Seq b) { return a.since(b) >= 0; }

 private:
  std::uint32_t raw_ = 0;
};

// lo <= s < lo + len, in sequence space (RFC 9293 §3.4, the window test).
constexpr bool in_window(Seq s, Seq lo, std::uint32_t len) {
  return static_cast<std::uint32_t>(s.raw() - lo.raw()) < len;
}

}  // namespace fincheck
