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
    out << j.dump(2) << '\n';
    return exit_ok;
  }
  out << std::left << std::setw(5) << "row" << std::setw(13) << "start" << std::setw(20) << "event"
      << std::setw(13) << "next" << std::setw(36) << "action"
      << "guard\n";
  for (const model::RowInfo& r : rows)
    out << std::setw(5) << r.index << std::setw(13) << model::to_string(r.from) << std::setw(20)
        << r.event << std::setw(13) << (r.internal ? "(same)" : model::to_string(r.to))
        << std::setw(36) << r.action << r.guard << '\n';
  return exit_ok;
}

}  // namespace fincheck::cli
