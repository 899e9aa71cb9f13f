#pragma once
// The pictures of a command's results: a run's ladder as SVG with its header
// and violations, written beside the scenario file it shows.
#include <string>

#include "properties/checker.hpp"
#include "properties/run_report.hpp"
#include "properties/validation.hpp"

namespace fincheck::cli {

// The ladder of `report` as SVG, its violations and divergences marked;
// `verdict` is a line above it ("FAIL eventually-closed").
std::string ladder_svg(const RunReport& report, bool timers, const std::string& id_prefix,
                       const std::string& verdict = {});

// "x/counterexample.scn" -> "x/counterexample.svg": where the ladder of a
// saved scenario goes.
std::string svg_beside(const std::string& scenario_path);

// Replays a counterexample on the table it was found on and writes its
// ladder beside its scenario file at `scn_path`; returns the SVG's path.
// Throws OutputError.
std::string save_counterexample_ladder(const Counterexample& c, const Mutant* mutant,
                                       const std::string& scn_path);

// The ladder of a divergence class's example run, `stack` playing its side,
// beside `scn_path`; returns the SVG's path, or "" when the run was not kept.
std::string save_divergence_ladder(const DivergenceClass& d, const std::string& stack,
                                   const std::string& scn_path);

}  // namespace fincheck::cli
