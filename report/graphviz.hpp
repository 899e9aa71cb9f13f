#pragma once
// Graphviz's `dot` program turns Graphviz text into SVG. It is a separate
// Debian package (graphviz): without it, a drawing is refused with a
// message that says how to install it.
#include <stdexcept>
#include <string>

namespace fincheck::report {

struct GraphvizError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool dot_available();
// The SVG `dot -Tsvg` draws from `graph`; throws GraphvizError.
std::string render_svg(const std::string& graph);

}  // namespace fincheck::report
