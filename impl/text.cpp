#include "impl/text.hpp"

namespace fincheck {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && space(line[i])) ++i;
    std::size_t j = i;
    while (j < line.size() && !space(line[j])) ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  return words;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t scale,
                                           std::uint64_t max_whole) {
  std::uint64_t whole = 0, frac = 0, frac_scale = 1;
  bool in_frac = false, digit = false;
  for (char c : text) {
    if (c == '.' && !in_frac) {
      in_frac = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digit = true;
    if (in_frac) {
      if (frac_scale >= scale) {
        if (c != '0') return std::nullopt;
        continue;
      }
      frac = frac * 10 + static_cast<std::uint64_t>(c - '0');
      frac_scale *= 10;
    } else {
      whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
      if (whole > max_whole) return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  return whole * scale + frac * (scale / frac_scale);
}

}  // namespace fincheck
