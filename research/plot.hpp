#pragma once
// A gnuplot script that draws a sweep: one chart per outcome, the proportion
// against the first axis that varies, one line with Wilson error bars per
// combination of the other axes. `gnuplot FILE.gp` writes SVG and PNG.
#include <string>
#include <vector>

#include "research/monte_carlo.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

struct Chart {
  std::string outcome;  // a name from outcome_columns()
  std::string title;
};

// `stem` names the output files: stem-OUTCOME.svg / .png.
std::string gnuplot_script(const SweepSpec& spec, const std::vector<PointResult>& results,
                           const std::vector<Chart>& charts, const std::string& stem);

}  // namespace fincheck::research
