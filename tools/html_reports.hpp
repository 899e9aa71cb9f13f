#pragma once
// The pieces of each command's --html report: the state diagram with the
// run's coverage, a run with its ladder, a tally table.
#include <string>
#include <vector>

#include "model/row_info.hpp"
#include "properties/checker.hpp"
#include "properties/run_report.hpp"
#include "report/html.hpp"
#include "report/state_diagram.hpp"

namespace fincheck::cli {

// The state diagram of `rows`, drawn with `coverage`; without Graphviz, a
// paragraph that says so and how to install it.
void add_state_diagram(report::Page& page, const std::vector<model::RowInfo>& rows,
                       const std::string& title, const report::Coverage& coverage);

// One run: its header, verdict, each invariant's verdict and the ladder.
void add_run(report::Page& page, const RunReport& report, bool timers,
             const std::string& id_prefix);

// The invariants' tallies over many runs, failures coloured.
void add_tallies(report::Page& page, const std::vector<PropertyTally>& tallies,
                 const std::string& runs_column);

}  // namespace fincheck::cli
