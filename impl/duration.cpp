#include "impl/duration.hpp"

#include <cstdio>
#include "impl/text.hpp"

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
  // At most 10^18 microseconds: the result always fits in 63 bits.
  const auto unit = static_cast<std::uint64_t>(scale);
  const auto v = parse_decimal(text, unit, 1'000'000'000'000'000'000 / unit);
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
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
