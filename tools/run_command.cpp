#include <algorithm>

#include "impl/output_file.hpp"
#include "impl/pcap_export.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "properties/checker.hpp"
#include "properties/run_report.hpp"
#include "properties/validation.hpp"
#include "stacks/registry.hpp"
#include "tools/commands.hpp"
#include "tools/html_reports.hpp"
#include "tools/pictures.hpp"

namespace fincheck::cli {

namespace {

// A fault for a segment that was never sent is bad input: the file names a
// segment that does not exist.
void reject_unused_faults(const Scenario& s, const Simulation& sim, const Trace& t) {
  for (const SegmentFault* f : sim.unused_faults()) {
    std::uint32_t sent = 0;
    for (const SegmentRecord& r : t.segments) sent += r.from == f->from ? 1 : 0;
    const int line = f->drop_line ? f->drop_line : f->delay_line ? f->delay_line : f->dup_line;
    throw ScenarioError(s.source, line,
                        "segment " + std::string(name_of(f->from)) + "->" +
                            name_of(peer_of(f->from)) + " #" + std::to_string(f->n) +
                            " is never sent (this run sends " + std::to_string(sent) + ")");
  }
}

bool meets(const Expectation& e, const RunReport& r) {
  if (r.cut_off_by_cap()) return false;  // no verdict meets an expectation
  if (e.pass) return r.passed();
  std::vector<std::string> failing;
  for (const Verdict& v : r.verdicts)
    if (!v.holds()) failing.emplace_back(v.id);
  std::sort(failing.begin(), failing.end());
  return failing == e.failing;
}

std::string expected_text(const Expectation& e) {
  if (e.pass) return "pass";
  std::string ids;
  for (const std::string& id : e.failing) ids += (ids.empty() ? "" : ", ") + id;
  return "fail (" + ids + ")";
}

}  // namespace

int run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const Mutant* mutant = nullptr;
  if (!options.mutant.empty() && !(mutant = mutant_named(options.mutant))) {
    err << "fincheck run: error: unknown mutant '" << options.mutant << "' (" << mutant_names()
        << ")\n";
    return exit_bad_input;
  }
  if (!options.pcap.empty() && options.files.size() != 1) {
    err << "fincheck run: error: --pcap takes exactly one scenario file\n";
    return exit_bad_input;
  }
  if (!options.svg.empty() && options.files.size() != 1) {
    err << "fincheck run: error: --svg takes exactly one scenario file\n";
    return exit_bad_input;
  }
  std::optional<StackUnderTest> impl;
  std::optional<Playing> stack;  // which sides it plays
  if (!options.impl.empty()) {
    if (mutant) {
      err << "fincheck run: error: --mutant and --impl: one or the other (--impl mutant:NAME runs "
             "a mutant as a stack)\n";
      return exit_bad_input;
    }
    try {
      impl = stack_named(options.impl,
                         StackOptions{std::chrono::milliseconds(options.stack_timeout_ms)});
    } catch (const StackUnavailable& e) {
      err << "fincheck run: error: " << e.what() << '\n';
      return exit_bad_input;
    }
    stack = options.as == "a" ? Playing::A : options.as == "b" ? Playing::B : Playing::Both;
    if (stack == Playing::Both && !impl->caps.plays_both) {
      err << "fincheck run: error: " << impl->name << " cannot play both sides of one run\n";
      return exit_bad_input;
    }
  }
  int worst = exit_ok;
  // The HTML report: a section per file, the diagram with every file's rows.
  report::Page page("fincheck run"), runs("");
  report::Coverage coverage;
  coverage.source = "the runs below";
  coverage.hits.assign(table_rows(mutant).size(), 0);
  std::size_t section = 0;
  for (const std::string& file : options.files) {
    try {
      Scenario loaded = load_scenario(file);
      if (impl)
        if (const auto note = prepare_file(*impl, loaded)) {
          err << "fincheck run: note: " << *note << '\n';
          validate_scenario(loaded);
        }
      const Scenario scenario = mutant ? mutant->apply(loaded) : loaded;
      if (options.expect && !scenario.expectation)
        throw ScenarioError(file, 0, "no '# expect:' line to hold the run to");
      // What the seam reports into outlives the simulation, whose end is
      // the endpoints' last report.
      std::vector<Divergence> divergences;
      SeamObservations seen;
      Simulation sim(scenario, mutant ? mutant->table() : model::reference_table());
      if (impl) sim.set_factory(*stack, seam_factory(*impl, divergences, seen));
      const Trace& trace = sim.run();
      reject_unused_faults(scenario, sim, trace);
      if (!options.pcap.empty()) {
        try {
          const PcapFiles files = write_pcap(trace, options.pcap);
          err << "wrote " << files.arrivals << " (arrivals) and " << files.dropped
              << " (dropped)\n";
        } catch (const std::runtime_error& e) {
          err << "fincheck run: error: " << e.what() << '\n';
          return exit_bad_input;
        }
      }
      RunReport report{scenario,           trace,
                       table_rows(mutant), check_all(Run{scenario, trace}),
                       {"model", "model"}, {}};
      if (mutant) report.model = std::string(mutant->name);
      for (const Divergence& d : divergences)
        if (d.kind != stack_error_kind)  // those are in the trace already
          report.divergences.push_back(d);
      for (Side side : {Side::A, Side::B})
        if (stack && plays(*stack, side))
          report.players[static_cast<std::size_t>(side)] = impl->name;
        else if (mutant)
          report.players[static_cast<std::size_t>(side)] = "mutant " + std::string(mutant->name);
      if (!options.svg.empty()) {
        try {
          write_output_file(options.svg, ladder_svg(report, options.timers, "ladder"));
        } catch (const OutputError& e) {
          err << "fincheck run: error: " << e.what() << '\n';
          return exit_bad_input;
        }
      }
      bool ok = report.passed() && !report.cut_off_by_cap();
      if (options.expect) ok = meets(*scenario.expectation, report);
      if (!options.html.empty()) {
        runs.heading(file, "run-" + std::to_string(++section));
        add_run(runs, report, options.timers, "ladder-" + std::to_string(section));
        const auto hits = row_hits(trace, coverage.hits.size());
        for (std::size_t i = 0; i < hits.size(); ++i) coverage.hits[i] += hits[i];
      }
      if (options.json) {
        out << json_text(versioned(json_report(report, options.timers)),
                         options.files.size() > 1 ? -1 : 2)
            << '\n';
      } else if (options.brief || options.expect) {
        out << (ok                        ? "ok    "
                : report.cut_off_by_cap() ? "CUT   "
                                          : "FAIL  ")
            << file << ": " << verdict_line(report);
        if (options.expect)
          out << (ok ? ", as expected" : ", expected " + expected_text(*scenario.expectation));
        out << '\n';
      } else {
        out << text_report(report, LadderOptions{.timers = options.timers});
      }
      // The checker's own limit is no verdict: neither a pass nor a failure.
      if (!ok) worst = std::max(worst, report.cut_off_by_cap() ? exit_bad_input : exit_violation);
    } catch (const ScenarioError& e) {
      err << "fincheck: error: " << e.what() << '\n';
      worst = exit_bad_input;
      if (!options.html.empty()) runs.paragraph(std::string("error: ") + e.what());
    } catch (const std::runtime_error& e) {
      // A stack under test that cannot even be driven has diverged.
      err << "fincheck: error: " << file << ": " << e.what() << '\n';
      worst = std::max(worst, exit_violation);
      if (!options.html.empty()) runs.paragraph("error: " + file + ": " + e.what());
    }
  }
  if (!options.html.empty()) {
    std::string replay = "fincheck run";
    if (mutant) replay += " --mutant " + std::string(mutant->name);
    if (impl) replay += " --impl " + options.impl + " --as " + options.as;
    for (const std::string& file : options.files) replay += " " + file;
    page.summary(worst == exit_ok          ? "pass"
                 : worst == exit_violation ? "FAIL"
                                           : "no verdict (bad input or cut off)",
                 worst == exit_ok,
                 {{"files", std::to_string(options.files.size())},
                  {"model", mutant ? "mutant " + std::string(mutant->name) : "reference"},
                  {"replay", replay}});
    add_state_diagram(page, table_rows(mutant),
                      mutant ? "mutant " + std::string(mutant->name) : "the teardown table",
                      coverage);
    page.append(runs);
    try {
      const std::string path = report::write_page(options.html, page);
      err << "wrote " << path << '\n';
    } catch (const OutputError& e) {
      err << "fincheck run: error: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  return worst;
}

}  // namespace fincheck::cli
