#include "impl/duration.hpp"

#include <cstdio>
#include <limits>

namespace fincheck {

std::optional<std::int64_t> parse_duration_us(std::string_view text) {
  std::int64_t scale = 0;
  if (text.ends_with("us")) {
    scale = 1;
    text.remove_suffix(2);
  } else if (text.ends_with("ms")) {
    scale = 1'000;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    scale = 1'000'000;
    text.remove_suffix(1);
  } else {
    return std::nullopt;
  }
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  std::int64_t frac_scale = 1;
  bool seen_digit = false;
  bool in_frac = false;
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 10'000'000;
  for (char c : text) {
    if (c == '.' && !in_frac) {
      in_frac = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (in_frac) {
      if (frac_scale >= scale) {
        if (c != '0') return std::nullopt;  // finer than a microsecond
        continue;
      }
      frac = frac * 10 + (c - '0');
      frac_scale *= 10;
    } else {
      whole = whole * 10 + (c - '0');
      if (whole > limit) return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  return whole * scale + frac * (scale / frac_scale);
}

std::string format_duration(std::int64_t us) {
  if (us == 0) return "0ms";
  if (us != 0 && us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + "s";
  if (us != 0 && us % 1'000 == 0) return std::to_string(us / 1'000) + "ms";
  return std::to_string(us) + "us";
}

std::string format_seconds(std::int64_t us) {
  char buf[32];
  const char* sign = us < 0 ? "-" : "";
  const std::int64_t a = us < 0 ? -us : us;
  std::snprintf(buf, sizeof buf, "%s%lld.%06lld", sign, static_cast<long long>(a / 1'000'000),
                static_cast<long long>(a % 1'000'000));
  return buf;
}

}  // namespace fincheck
