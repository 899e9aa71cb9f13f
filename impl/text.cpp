#include "impl/text.hpp"

namespace fincheck {

namespace {

void append_printable(std::string& out, char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x20 && b != 0x7f) {
    out += c;  // UTF-8 passes; a terminal shows what it can
    return;
  }
  constexpr char hex[] = "0123456789abcdef";
  out += "\\x";
  out += hex[b >> 4];
  out += hex[b & 15];
}

}  // namespace

std::string quoted(std::string_view token) {
  constexpr std::size_t longest = 60;
  std::string out = "'";
  for (std::size_t i = 0; i < token.size() && i < longest; ++i) append_printable(out, token[i]);
  if (token.size() > longest)
    out += "...' (" + std::to_string(token.size()) + " characters)";
  else
    out += "'";
  return out;
}

std::string printable(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) append_printable(out, c);
  return out;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    // The length a lead byte announces, and the range its second byte must
    // fall in (RFC 3629 section 4: no overlong forms, no surrogates).
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (b < 0x80)
      n = 1;
    else if (b >= 0xc2 && b <= 0xdf)
      n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b == 0xe0) lo = 0xa0;
      if (b == 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b == 0xf0) lo = 0x90;
      if (b == 0xf4) hi = 0x8f;
    }
    bool ok = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      ok = k == 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf;
    }
    if (ok) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\xef\xbf\xbd";  // U+FFFD
      ++i;
    }
  }
  return out;
}

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

std::string xml_text(std::string_view text) {
  const std::string utf8 = valid_utf8(text);
  std::string out;
  out.reserve(utf8.size());
  for (const char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 has no place for control characters but tab and newline.
        if (c < 0x20 && c != '\t' && c != '\n')
          out += "\uFFFD";
        else
          out += ch;
    }
  }
  return out;
}

}  // namespace fincheck
