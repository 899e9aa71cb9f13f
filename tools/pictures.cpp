#include "tools/pictures.hpp"

#include <filesystem>
#include <sstream>

#include "impl/output_file.hpp"
#include "impl/simulation.hpp"
#include "properties/mutants.hpp"
#include "report/ladder_svg.hpp"

namespace fincheck::cli {

std::string ladder_svg(const RunReport& report, bool timers, const std::string& id_prefix,
                       const std::string& verdict) {
  report::LadderSvgOptions o;
  o.timers = timers;
  o.id_prefix = id_prefix;
  std::istringstream header(run_header(report.scenario, report.players));
  for (std::string line; std::getline(header, line);) o.header.push_back(line);
  o.header.push_back(verdict.empty() ? "verdict: " + verdict_line(report) : verdict);
  for (const Violation& v : report.violations())
    o.marks.push_back({v.property, v.at_us, v.message});
  return report::render_ladder_svg(report.trace, report.rows, o);
}

std::string svg_beside(const std::string& scenario_path) {
  return std::filesystem::path(scenario_path).replace_extension(".svg").string();
}

std::string save_counterexample_ladder(const Counterexample& c, const Mutant* mutant,
                                       const std::string& scn_path) {
  Simulation sim(c.scenario, mutant ? mutant->table() : model::reference_table());
  const Trace& t = sim.run();
  const std::string player = mutant ? "mutant " + std::string(mutant->name) : "model";
  RunReport report{c.scenario,       t, table_rows(mutant), check_all(Run{c.scenario, t}),
                   {player, player}, {}};
  const std::string path = svg_beside(scn_path);
  write_output_file(path,
                    ladder_svg(report, false, "ladder",
                               "counterexample of " + c.property + ": " + verdict_line(report)));
  return path;
}

std::string save_divergence_ladder(const DivergenceClass& d, const std::string& stack,
                                   const std::string& scn_path) {
  if (!d.trace) return {};
  RunReport report{d.example,
                   *d.trace,
                   model::reference_table().rows(),
                   check_all(Run{d.example, *d.trace}),
                   {"model", "model"},
                   {}};
  for (Side side : {Side::A, Side::B})
    if (plays(d.who, side)) report.players[static_cast<std::size_t>(side)] = stack;
  for (const Divergence& e : d.in_example)
    if (is_shadow_divergence(e) || e.kind == stack_error_kind) report.divergences.push_back(e);
  const std::string path = svg_beside(scn_path);
  write_output_file(path, ladder_svg(report, false, "ladder",
                                     "divergence " + d.kind + " of " + stack + ": " + d.message));
  return path;
}

}  // namespace fincheck::cli
