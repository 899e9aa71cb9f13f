#pragma once
// The state diagram of a teardown table, as Graphviz text: one node per state
// and one edge per row, read off the table's type (model/row_info.hpp), laid
// out as RFC 9293 Figure 5 draws the close -- the active closer's states
// down the left, the passive closer's down the right, CLOSED at the bottom.
// With coverage, each edge shows how often its row fired; rows never hit
// stand out, and a stack's divergences are marked where they happened.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/row_info.hpp"
#include "model/state.hpp"

namespace fincheck::report {

// A divergence class placed on the diagram: on the row the model last took
// before it, or on a state when no row had fired yet.
struct PlacedDivergence {
  std::string kind;
  std::uint64_t count = 0;
  std::optional<int> row;
  model::State state = model::State::Established;
};

struct Coverage {
  std::string source;               // the file it came from, for the title
  std::vector<std::uint64_t> hits;  // per row; empty: no counts
  std::vector<PlacedDivergence> divergences;
};

// `title` heads the drawing ("reference table", "mutant no-time-wait").
std::string state_diagram_dot(const std::vector<model::RowInfo>& rows, const std::string& title,
                              const Coverage* coverage = nullptr);

}  // namespace fincheck::report
