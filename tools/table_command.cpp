#include <algorithm>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "impl/output_file.hpp"
#include "impl/text.hpp"
#include "properties/checker.hpp"
#include "properties/mutants.hpp"
#include "report/coverage.hpp"
#include "report/graphviz.hpp"
#include "report/state_diagram.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

namespace {

void print_rows(const std::vector<model::RowInfo>& rows, std::ostream& out) {
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
}

}  // namespace

int table(const TableCliOptions& o, std::ostream& out, std::ostream& err) {
  const Mutant* mutant = nullptr;
  if (!o.mutant.empty() && !(mutant = mutant_named(o.mutant))) {
    err << "fincheck table: error: unknown mutant " << fincheck::quoted(o.mutant) << " ("
        << mutant_names() << ")\n";
    return exit_bad_input;
  }
  const auto& rows = table_rows(mutant);
  if (!o.coverage.empty() && !o.dot && !o.svg) {
    err << "fincheck table: error: --coverage draws on the diagram: add --svg or --dot\n";
    return exit_bad_input;
  }
  if (o.json) {
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
  if (!o.dot && !o.svg) {
    print_rows(rows, out);
    return exit_ok;
  }
  try {
    const std::string model = mutant ? std::string(mutant->name) : "reference";
    std::optional<report::Coverage> coverage;
    if (!o.coverage.empty()) coverage = report::read_coverage(o.coverage, model, rows.size());
    const std::string dot = report::state_diagram_dot(
        rows, mutant ? "mutant " + model + " of the teardown table" : "the teardown table",
        coverage ? &*coverage : nullptr);
    const std::string text = o.svg ? report::render_svg(dot) : dot;
    if (o.out.empty())
      out << text;
    else
      write_output_file(o.out, text);
  } catch (const std::exception& e) {
    // A coverage file that is not what it should be, dot missing or
    // failing, an output that cannot be written: the input's fault.
    err << "fincheck table: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace fincheck::cli
