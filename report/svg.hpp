#pragma once
// Small helpers for SVG and HTML written by hand: text escaped for XML.
#include <string>
#include <string_view>

namespace fincheck::report {

// `text` with &, <, >, " and ' as entities; bytes that are not UTF-8 as
// U+FFFD, so that a file name never breaks a page.
std::string xml_text(std::string_view text);

}  // namespace fincheck::report
