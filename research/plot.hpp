#pragma once
// A gnuplot script that draws sweeps: one chart per outcome, the proportion
// against the first axis that varies, one line with Wilson error bars per
// combination of the other axes -- and per sweep, when several sweeps share
// a chart to show a contrast (RFC 1337's fix on and off). `gnuplot FILE.gp`
// writes SVG and PNG.
#include <string>
#include <vector>

#include "research/monte_carlo.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

// A curve to compare the measurement with: a gnuplot expression in x.
struct Reference {
  std::string expression;
  std::string title;
};

struct Chart {
  Chart(std::string outcome, std::string title, std::vector<Reference> references = {})
      : outcome(std::move(outcome)), title(std::move(title)), references(std::move(references)) {}
  std::string outcome;  // a name from outcome_columns()
  std::string title;
  std::vector<Reference> references;
};

// One sweep's results, with a label when several share a chart.
struct PlotGroup {
  std::string label;
  const SweepSpec* spec = nullptr;
  const std::vector<PointResult>* results = nullptr;
};

// `stem` names the output files: stem-OUTCOME.svg / .png. The groups vary
// the same axes.
std::string gnuplot_script(const std::vector<PlotGroup>& groups, const std::vector<Chart>& charts,
                           const std::string& stem);
std::string gnuplot_script(const SweepSpec& spec, const std::vector<PointResult>& results,
                           const std::vector<Chart>& charts, const std::string& stem);

}  // namespace fincheck::research
