#pragma once
// Small pieces of text parsing shared by scenario files, sweep files and
// durations.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fincheck {

// The words of a line, split on spaces and tabs (a trailing '\r' is space).
std::vector<std::string_view> split_words(std::string_view line);

// A non-negative decimal ("2.5") as an integer scaled by `scale` (2500 for
// 1000), exactly; nullopt when malformed, above `max_whole` before scaling,
// or finer than the scale.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t scale,
                                           std::uint64_t max_whole);

}  // namespace fincheck
