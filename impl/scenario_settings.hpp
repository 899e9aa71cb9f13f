#pragma once
// The names `set` accepts, each with how to read and write its value: the one
// list the parser and the writer share.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/scenario.hpp"

namespace fincheck {

struct Setting {
  enum class Kind : std::uint8_t { Duration, Count, Flag, SequenceNumber };
  std::string_view name;
  Kind kind;
  std::string_view help;
  // Reads the value as an integer (durations in microseconds, flags 0/1).
  std::int64_t (*get)(const Scenario&);
  void (*put)(Scenario&, std::int64_t);
};

const std::vector<Setting>& settings();
const Setting* setting_named(std::string_view name);

// Parses a value of the setting's kind; std::nullopt when malformed.
std::optional<std::int64_t> parse_setting_value(const Setting& s, std::string_view text);
std::string format_setting_value(const Setting& s, std::int64_t value);

}  // namespace fincheck
