#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>

#include <nlohmann/json.hpp>

#include "impl/ladder.hpp"
#include "impl/output_file.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "properties/checker.hpp"
#include "properties/run_report.hpp"
#include "tools/commands.hpp"
#include "tools/html_reports.hpp"
#include "tools/junit.hpp"
#include "tools/pictures.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {

namespace {

struct Resolved {
  CheckOptions options;
  std::string error;
};

Resolved resolve(const CheckCliOptions& o) {
  Resolved r;
  r.options.seed = o.seed_given ? o.seed : std::random_device{}();
  r.options.cases = o.cases;
  r.options.gen.max_faults = o.max_faults;
  r.options.threads = threads_or_cores(o.threads);
  if (!o.profile.empty()) {
    if (!model::profile_named(o.profile)) r.error = "unknown profile '" + o.profile + "'";
    r.options.gen.profile = o.profile;
  }
  if (!o.profile_file.empty()) {
    try {
      r.options.gen.params = read_profile_file(o.profile_file);
    } catch (const ScenarioError& e) {
      r.error = e.what();
    }
  }
  if (!o.property.empty() && !(r.options.property = invariant_named(o.property)))
    r.error = "unknown property '" + o.property + "' (" + property_names() + ")";
  if (!o.mutant.empty() && !(r.options.mutant = mutant_named(o.mutant)))
    r.error = "unknown mutant '" + o.mutant + "' (" + mutant_names() + ")";
  return r;
}

std::string saved_path(const CheckCliOptions& o, const CheckReport& report) {
  const Counterexample& c = *report.counterexample;
  const std::string name = "counterexample-" +
                           (o.mutant.empty() ? std::string("model") : o.mutant) + "-" + c.property +
                           "-seed" + std::to_string(c.seed) + ".scn";
  return (std::filesystem::path(o.out_dir) / name).string();
}

// Where the first case cut off by the event cap is saved, as generated.
std::string cut_off_path(const CheckCliOptions& o, const CheckReport& r) {
  const std::string name = "cut-off-" + (o.mutant.empty() ? std::string("model") : o.mutant) +
                           "-seed" + std::to_string(r.options.seed) + "-case" +
                           std::to_string(*r.first_cut_off) + ".scn";
  return (std::filesystem::path(o.out_dir) / name).string();
}

std::string search_command(const CheckCliOptions& o, const CheckReport& r) {
  std::string cmd = "fincheck check --seed " + std::to_string(r.options.seed) + " --cases " +
                    std::to_string(r.options.cases);
  if (!o.profile.empty()) cmd += " --profile " + o.profile;
  if (!o.profile_file.empty()) cmd += " --profile-file " + o.profile_file;
  if (!o.property.empty()) cmd += " --property " + o.property;
  if (!o.mutant.empty()) cmd += " --mutant " + o.mutant;
  if (o.max_faults != CheckCliOptions{}.max_faults)
    cmd += " --max-faults " + std::to_string(o.max_faults);
  return cmd;
}

nlohmann::json report_json(const CheckCliOptions& o, const CheckReport& r,
                           const std::string& path) {
  nlohmann::json never = nlohmann::json::array();
  const auto& rows = table_rows(r.options.mutant);
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (r.row_hits[i] == 0) never.push_back(rows[i].index);
  nlohmann::json j{{"verdict", r.passed() ? "pass" : "fail"},
                   {"seed", r.options.seed},
                   {"cases", r.options.cases},
                   {"cases_run", r.cases_run},
                   {"model", o.mutant.empty() ? "reference" : o.mutant},
                   {"properties", tallies_json(r.tallies)},
                   {"rows_never_hit", never},
                   {"row_hits", r.row_hits},
                   {"cut_off_cases", r.cut_off_cases}};
  if (r.first_cut_off)
    j["first_cut_off"] = {{"case", *r.first_cut_off},
                          {"file", cut_off_path(o, r)},
                          {"replay", replay_command(r.options.mutant, cut_off_path(o, r))}};
  if (r.counterexample) {
    const Counterexample& c = *r.counterexample;
    nlohmann::json v = nlohmann::json::array();
    for (const Violation& x : c.violations)
      v.push_back({{"property", x.property}, {"at_us", x.at_us}, {"message", x.message}});
    j["counterexample"] = {{"property", c.property},
                           {"case", c.case_index},
                           {"shrink_steps", c.shrink_steps},
                           {"size", c.size()},
                           {"file", path},
                           {"ladder_svg", svg_beside(path)},
                           {"violations", v},
                           {"replay", replay_command(r.options.mutant, path)},
                           {"search", search_command(o, r)}};
  }
  return j;
}

void print_text(const CheckCliOptions& o, const CheckReport& r, double seconds, std::ostream& out) {
  out << "fincheck check: " << r.cases_run << " of " << r.options.cases << " cases, seed "
      << r.options.seed << ", profile " << (o.profile.empty() ? "any" : o.profile) << ", model "
      << (o.mutant.empty() ? "reference" : "mutant " + o.mutant) << "\n\n";
  out << std::left << std::setw(36) << "property" << std::right << std::setw(8) << "cases"
      << std::setw(12) << "applicable" << std::setw(8) << "failed\n";
  for (const PropertyTally& t : r.tallies)
    out << std::left << std::setw(36) << t.id << std::right << std::setw(8) << t.runs
        << std::setw(12) << t.applicable << std::setw(7) << t.failed << '\n';
  const auto& rows = table_rows(r.options.mutant);
  std::string never;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (r.row_hits[i] == 0)
      never += "\n  row " + std::to_string(i) + ": " + std::string(model::to_string(rows[i].from)) +
               " " + std::string(rows[i].event) + " -> " +
               std::string(model::to_string(rows[i].to)) + " [" + rows[i].guard + "]";
  out << "\nrows never hit: " << (never.empty() ? "none" : never) << '\n';
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f s, %.0f cases/s", seconds,
                seconds > 0 ? r.cases_run / seconds : 0.0);
  if (r.first_cut_off)
    out << "cut off: " << r.cut_off_cases
        << " case(s) reached the simulator's event cap without falling quiet (fincheck's own "
           "limit): neither pass nor fail\n  the first, case "
        << *r.first_cut_off << ", saved as " << cut_off_path(o, r)
        << "\n  replay it:  " << replay_command(r.options.mutant, cut_off_path(o, r)) << '\n';
  out << "verdict: " << (r.passed() ? "pass" : "FAIL") << " (" << rate
      << (r.cut_off_cases ? ", " + std::to_string(r.cut_off_cases) + " cut off" : "") << ")\n";
}

// One test case per invariant: failed with the counterexample's story and
// replay line, skipped when its preconditions never held.
JunitSuite junit_suite(const CheckCliOptions& o, const CheckReport& r, const std::string& path,
                       double seconds) {
  JunitSuite suite{"fincheck check",
                   {{"seed", std::to_string(r.options.seed)},
                    {"cases", std::to_string(r.cases_run)},
                    {"model", o.mutant.empty() ? "reference" : "mutant " + o.mutant},
                    {"version", FINCHECK_VERSION}},
                   {},
                   seconds};
  for (const PropertyTally& t : r.tallies) {
    JunitCase c;
    c.name = std::string(t.id);
    if (t.failed > 0 && r.counterexample) {
      const Counterexample& x = *r.counterexample;
      c.outcome = JunitCase::Outcome::Failed;
      const std::string first = x.violations.empty() ? "" : x.violations.front().message;
      c.message = x.property == t.id
                      ? first + " (seed " + std::to_string(x.seed) + ", case " +
                            std::to_string(x.case_index) + ")"
                      : "fails in case " + std::to_string(x.case_index) + " of seed " +
                            std::to_string(x.seed) + ", the counterexample of " + x.property;
      c.text = "counterexample: " + path + "\nreplay: " + replay_command(r.options.mutant, path) +
               "\nreproduce the search: " + search_command(o, r) + "\n";
    } else if (t.applicable == 0) {
      c.outcome = JunitCase::Outcome::Skipped;
      c.message = "its preconditions held in none of " + std::to_string(t.runs) + " cases";
    }
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

// The HTML report: the verdict and how to replay it, the state diagram with
// the rows the cases reached, the tallies, the counterexample's ladder.
std::string write_html(const CheckCliOptions& o, const CheckReport& r, const std::string& path) {
  const Mutant* mutant = r.options.mutant;
  report::Page page("fincheck check");
  std::vector<std::pair<std::string, std::string>> facts{
      {"seed", std::to_string(r.options.seed)},
      {"cases", std::to_string(r.cases_run) + " of " + std::to_string(r.options.cases)},
      {"profile", o.profile.empty() ? "any" : o.profile},
      {"model", mutant ? "mutant " + std::string(mutant->name) : "reference"},
      {"reproduce the search", search_command(o, r)}};
  if (r.counterexample) {
    facts.push_back({"counterexample", path});
    facts.push_back({"replay", replay_command(mutant, path)});
  }
  if (r.cut_off_cases)
    facts.push_back({"cut off (no verdict)", std::to_string(r.cut_off_cases) + " case(s)"});
  page.summary(r.passed() ? "pass" : "FAIL " + r.counterexample->property, r.passed(), facts);
  report::Coverage coverage;
  coverage.source = std::to_string(r.cases_run) + " cases";
  coverage.hits = r.row_hits;
  add_state_diagram(page, table_rows(mutant),
                    mutant ? "mutant " + std::string(mutant->name) : "the teardown table",
                    coverage);
  page.heading("Invariants", "invariants");
  add_tallies(page, r.tallies, "cases");
  if (r.counterexample) {
    const Counterexample& c = *r.counterexample;
    page.heading("Counterexample: " + c.property + " (case " + std::to_string(c.case_index) +
                     ", shrunk in " + std::to_string(c.shrink_steps) + " steps)",
                 "counterexample");
    Simulation sim(c.scenario, mutant ? mutant->table() : model::reference_table());
    const Trace& t = sim.run();
    const std::string player = mutant ? "mutant " + std::string(mutant->name) : "model";
    const RunReport run{c.scenario,       t, table_rows(mutant), check_all(Run{c.scenario, t}),
                        {player, player}, {}};
    add_run(page, run, false, "counterexample");
  }
  return report::write_page(o.html, page);
}

}  // namespace

int check(const CheckCliOptions& o, std::ostream& out, std::ostream& err) {
  const Resolved resolved = resolve(o);
  if (!resolved.error.empty()) {
    err << "fincheck check: error: " << resolved.error << '\n';
    return exit_bad_input;
  }
  ProgressLine progress(err, "checked", o.progress, stderr_is_terminal());
  const CheckReport report = run_check(resolved.options, std::ref(progress));
  const double seconds = progress.seconds();
  progress.finish();  // before anything else is printed (found glued to the next output)
  std::string path;
  if (report.counterexample) {
    path = saved_path(o, report);
    // The artifact a CI job uploads: the folder is made, and a file that
    // could not be written is an error, never "saved".
    std::error_code ec;
    if (!o.out_dir.empty()) std::filesystem::create_directories(o.out_dir, ec);
    try {
      write_output_file(path,
                        counterexample_file(*report.counterexample, resolved.options.mutant, path));
      save_counterexample_ladder(*report.counterexample, resolved.options.mutant, path);
    } catch (const OutputError& e) {
      err << "fincheck check: error: the counterexample: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  if (report.first_cut_off) {
    const Scenario s =
        generate_case(report.options.seed, *report.first_cut_off, resolved.options.gen).value();
    const Scenario cut = resolved.options.mutant ? resolved.options.mutant->apply(s) : s;
    std::error_code ec;
    if (!o.out_dir.empty()) std::filesystem::create_directories(o.out_dir, ec);
    try {
      write_output_file(cut_off_path(o, report),
                        write_scenario(cut, "Case " + std::to_string(*report.first_cut_off) +
                                                " of seed " + std::to_string(report.options.seed) +
                                                ": it reached the simulator's event cap."));
    } catch (const OutputError& e) {
      err << "fincheck check: error: the cut-off case: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  if (!o.junit.empty()) {
    std::string error;
    if (!write_junit(junit_suite(o, report, path, seconds), o.junit, error)) {
      err << "fincheck check: error: " << error << '\n';
      return exit_bad_input;
    }
  }
  if (!o.html.empty()) {
    try {
      const std::string written = write_html(o, report, path);
      err << "wrote " << written << '\n';
    } catch (const OutputError& e) {
      err << "fincheck check: error: the HTML report: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  if (o.json) {
    out << json_text(versioned(report_json(o, report, path)), 2) << '\n';
    return report.passed() ? exit_ok : exit_violation;
  }
  print_text(o, report, seconds, out);
  if (!report.counterexample) return exit_ok;
  const Counterexample& c = *report.counterexample;
  Simulation sim(c.scenario, resolved.options.mutant ? resolved.options.mutant->table()
                                                     : model::reference_table());
  const Trace& t = sim.run();
  // The header says which parameters the counterexample runs with: the
  // one that causes the failure may be among them.
  const std::string player =
      resolved.options.mutant ? "mutant " + std::string(resolved.options.mutant->name) : "model";
  out << "\nFAIL " << c.property << " at case " << c.case_index << "; shrunk in " << c.shrink_steps
      << " steps to " << c.size() << " directives:\n\n"
      << run_header(c.scenario, {player, player}) << '\n'
      << render_ladder(t, table_rows(resolved.options.mutant)) << '\n';
  for (const Violation& v : c.violations) out << "  " << v.message << '\n';
  out << "\ncounterexample saved as " << path << " (its ladder: " << svg_beside(path) << ")"
      << "\nreplay it:  " << replay_command(resolved.options.mutant, path)
      << "\nreproduce the search:  " << search_command(o, report) << '\n';
  return exit_violation;
}

}  // namespace fincheck::cli
