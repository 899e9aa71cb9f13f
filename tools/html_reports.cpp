#include "tools/html_reports.hpp"

#include "report/graphviz.hpp"
#include "tools/pictures.hpp"

namespace fincheck::cli {

void add_state_diagram(report::Page& page, const std::vector<model::RowInfo>& rows,
                       const std::string& title, const report::Coverage& coverage) {
  page.heading("State diagram", "state-diagram");
  try {
    page.figure(report::render_svg(report::state_diagram_dot(rows, title, &coverage)),
                "Every row of the table that ran, with how often it fired; rows never fired "
                "are red and dashed.",
                true);
  } catch (const report::GraphvizError& e) {
    page.paragraph(std::string("No state diagram: ") + e.what());
  }
}

void add_run(report::Page& page, const RunReport& r, bool timers, const std::string& id_prefix) {
  page.preformatted(run_header(r.scenario, r.players) + "verdict: " + verdict_line(r));
  std::vector<std::vector<report::Cell>> rows;
  for (const Verdict& v : r.verdicts)
    rows.push_back({{std::string(v.id)},
                    !v.applicable ? report::Cell{"not applicable", "skip"}
                    : v.holds()   ? report::Cell{"holds", "pass"}
                                  : report::Cell{"FAILS", "fail"}});
  page.table({"invariant", "verdict"}, rows);
  for (const Violation& v : r.violations()) page.paragraph(v.property + ": " + v.message);
  page.figure(ladder_svg(r, timers, id_prefix), "The ladder diagram of " + r.scenario.source);
}

void add_tallies(report::Page& page, const std::vector<PropertyTally>& tallies,
                 const std::string& runs_column) {
  std::vector<std::vector<report::Cell>> rows;
  for (const PropertyTally& t : tallies)
    rows.push_back({{std::string(t.id)},
                    {std::to_string(t.runs), "num"},
                    {std::to_string(t.applicable), "num"},
                    {std::to_string(t.failed), t.failed       ? "fail"
                                               : t.applicable ? "pass"
                                                              : "skip"}});
  page.table({"invariant", runs_column, "applicable", "failed"}, rows);
}

}  // namespace fincheck::cli
