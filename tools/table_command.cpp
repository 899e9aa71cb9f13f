#include <algorithm>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "model/machine.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

int table(bool json, std::ostream& out) {
  const auto& rows = model::reference_table().rows();
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (const model::RowInfo& r : rows)
      j.push_back({{"row", r.index},
                   {"from", model::to_string(r.from)},
                   {"event", r.event},
                   {"to", model::to_string(r.to)},
                   {"internal", r.internal},
                   {"action", r.action},
                   {"guard", r.guard}});
    out << json_text(versioned({{"rows", j}}), 2) << '\n';
    return exit_ok;
  }
  // Each column as wide as its widest cell, and two spaces between columns.
  std::size_t event_w = 5, action_w = 6;
  for (const model::RowInfo& r : rows) {
    event_w = std::max(event_w, r.event.size());
    action_w = std::max(action_w, r.action.size());
  }
  const auto w = [](std::size_t n) { return std::setw(static_cast<int>(n + 2)); };
  out << std::left << w(3) << "row" << w(11) << "start" << w(event_w) << "event" << w(11) << "next"
      << w(action_w) << "action"
      << "guard\n";
  for (const model::RowInfo& r : rows)
    out << w(3) << r.index << w(11) << model::to_string(r.from) << w(event_w) << r.event << w(11)
        << (r.internal ? "(same)" : model::to_string(r.to)) << w(action_w) << r.action << r.guard
        << '\n';
  return exit_ok;
}

}  // namespace fincheck::cli
