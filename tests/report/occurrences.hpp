#pragma once
// How many times `what` occurs in `text`, overlapping: ids and classes
// counted in drawn SVG and Graphviz text.
#include <cstddef>
#include <string>

namespace fincheck::report {

inline std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace fincheck::report
