#include "report/svg.hpp"

#include "impl/text.hpp"

namespace fincheck::report {

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
        out += "&#39;";
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

}  // namespace fincheck::report
