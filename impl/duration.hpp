#pragma once
// Durations as scenario files write them: a number and a unit, `us`, `ms` or
// `s` ("10ms", "2.5s"). Parsed exactly, without floating point, so that a
// file means the same on every machine.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fincheck {

// std::nullopt when the text is not a non-negative duration with a unit.
std::optional<std::int64_t> parse_duration_us(std::string_view text);

// The largest unit that writes the value exactly: 120000000 -> "120s".
std::string format_duration(std::int64_t us);

// Seconds with microsecond digits, for tables: 1234567 -> "1.234567".
std::string format_seconds(std::int64_t us);

}  // namespace fincheck
