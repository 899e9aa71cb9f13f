#pragma once
// Small pieces of text parsing shared by scenario files, sweep files and
// durations.
#include <cstdint>
#include <optional>
#include <string>
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

// A token from the input, quoted for a message: bytes that are not
// printable (a NUL would end the message) as \xNN, and cut after 60
// characters -- a message names what was wrong, it does not echo a file.
std::string quoted(std::string_view token);

// A whole message made printable the same way, uncut.
std::string printable(std::string_view message);

// `text` with every byte that is not part of well-formed UTF-8 (RFC 3629)
// replaced by U+FFFD: what XML and JSON output can hold (a file name on
// Linux is any bytes).
std::string valid_utf8(std::string_view text);

// `text` as XML 1.0 (SVG, HTML, JUnit) can hold it: valid_utf8(), the five
// escapes, and U+FFFD for each control character but tab and newline.
std::string xml_text(std::string_view text);

}  // namespace fincheck
