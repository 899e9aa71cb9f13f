#include <cctype>
#include <filesystem>
#include <fstream>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "impl/duration.hpp"
#include "impl/output_file.hpp"
#include "impl/scenario_io.hpp"
#include "properties/validation.hpp"
#include "stacks/registry.hpp"
#include "tools/commands.hpp"
#include "tools/html_reports.hpp"
#include "tools/junit.hpp"
#include "tools/pictures.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {

namespace {

// A name no file has yet: evidence is never overwritten, not even by the
// replay of an earlier divergence run in the same folder.
std::string example_path(const ValidateCliOptions& o, const DivergenceClass& d) {
  std::string impl;
  // A file name from "exec:python3 ./stack.py": letters, digits, '-', '.'.
  for (char c : o.impl) impl += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '-';
  if (impl.size() > 40) impl.resize(40);
  const std::string stem = "divergence-" + impl + "-" + d.kind;
  for (int n = 1;; ++n) {
    const auto path = std::filesystem::path(o.out_dir) /
                      (stem + (n == 1 ? "" : "-" + std::to_string(n)) + ".scn");
    if (!std::filesystem::exists(path)) return path.string();
  }
}

std::string replay(const ValidateCliOptions& o, const DivergenceClass& d, const std::string& path) {
  const std::string impl = o.impl.find(' ') == std::string::npos ? o.impl : "'" + o.impl + "'";
  return "fincheck run --impl " + impl + " --as " + name_of(d.who) + " " + path;
}

std::vector<Playing> sides(const std::string& as) {
  if (as == "a") return {Playing::A};
  if (as == "b") return {Playing::B};
  if (as == "both") return {Playing::Both};
  return all_sides;
}

// "a, b, both": the sides it played, as the runs count them.
std::string played(const ValidateCliOptions& o, const StackUnderTest& stack) {
  std::string text;
  for (Playing p : sides(o.as))
    if (p != Playing::Both || stack.caps.plays_both)
      text += (text.empty() ? "" : ", ") + std::string(name_of(p));
  return text;
}

// One test case per invariant and per class of the shadow's: failed with
// the shrunk example and its replay line; stack-error is an error.
JunitSuite junit_suite(const ValidateCliOptions& o, const ValidationReport& r,
                       const nlohmann::json& classes, double seconds) {
  JunitSuite suite{"fincheck validate",
                   {{"impl", o.impl},
                    {"seed", std::to_string(o.seed)},
                    {"runs", std::to_string(r.runs)},
                    {"version", FINCHECK_VERSION}},
                   {},
                   seconds};
  auto add = [&](const std::string& kind, std::uint32_t applicable, std::uint32_t runs) {
    JunitCase c;
    c.name = kind;
    for (std::size_t i = 0; i < r.divergences.size(); ++i) {
      const DivergenceClass& d = r.divergences[i];
      if (d.kind != kind) continue;
      c.outcome = kind == stack_error_kind ? JunitCase::Outcome::Error : JunitCase::Outcome::Failed;
      c.message = std::to_string(d.count) + " time(s); " + d.message;
      c.text = "shrunk example (" + o.impl + " as " + name_of(d.who) +
               "): " + classes[i]["file"].get<std::string>() +
               "\nreplay: " + classes[i]["replay"].get<std::string>() + "\n";
    }
    if (c.outcome == JunitCase::Outcome::Passed && runs > 0 && applicable == 0) {
      c.outcome = JunitCase::Outcome::Skipped;
      c.message = "its preconditions held in none of " + std::to_string(runs) + " runs";
    }
    suite.cases.push_back(std::move(c));
  };
  for (const PropertyTally& t : r.tallies) add(std::string(t.id), t.applicable, t.runs);
  for (const char* kind : {"state", "segment", "timer", stack_error_kind}) add(kind, 1, 0);
  return suite;
}

// A stack on a real clock waits out its timers (a minute of TIME-WAIT, two
// of retransmissions): by default this many cases run at once, each on its
// own thread and TUN device. A case costs little CPU; more at once than
// this made the lab fall behind real time on this project's 2-core VM
// (README, "Speed").
constexpr unsigned real_clock_cases_at_once = 1'000;

unsigned threads_for(const StackUnderTest& stack, unsigned threads, std::uint32_t cases) {
  if (threads == 0 && stack.caps.clock == StackClock::Real)
    return std::min<unsigned>(real_clock_cases_at_once, std::max<std::uint32_t>(cases, 1));
  return threads_or_cores(threads);
}

nlohmann::json observations_json(const SeamObservations& o) {
  return {{"timer_firings", o.timer_firings},
          {"earliest_us", o.earliest_us},
          {"latest_us", o.latest_us},
          {"extra_bare_acks", o.extra_bare_acks}};
}

// The HTML report: the verdict, the state diagram with the rows the shadow
// took and where each divergence class happened, the tallies, each
// divergence's ladder.
std::string write_html(const ValidateCliOptions& o, const ValidationReport& report,
                       const nlohmann::json& classes, bool generated) {
  report::Page page("fincheck validate: " + o.impl);
  std::vector<std::pair<std::string, std::string>> facts{{"stack", o.impl},
                                                         {"runs", std::to_string(report.runs)}};
  if (generated) facts.push_back({"seed", std::to_string(o.seed)});
  for (const nlohmann::json& c : classes)
    facts.push_back({"replay " + c["kind"].get<std::string>(), c["replay"].get<std::string>()});
  page.summary(report.passed()         ? "pass"
               : report.stack_failed() ? "STACK ERROR"
                                       : "FAIL",
               report.passed(), facts);
  report::Coverage coverage;
  coverage.source = std::to_string(report.runs) + " runs, the rows the shadow took";
  coverage.hits = report.row_hits;
  for (const DivergenceClass& d : report.divergences)
    coverage.divergences.push_back(
        {d.kind, d.count, d.row < 0 ? std::nullopt : std::optional<int>(d.row), d.state});
  add_state_diagram(page, model::reference_table().rows(), "the teardown table", coverage);
  page.heading("Invariants", "invariants");
  add_tallies(page, report.tallies, "runs");
  page.heading("Divergences", "divergences");
  if (report.divergences.empty()) page.paragraph("none");
  for (std::size_t i = 0; i < report.divergences.size(); ++i) {
    const DivergenceClass& d = report.divergences[i];
    page.begin_details(d.kind + ": " + std::to_string(d.count) + " time(s), " + o.impl + " as " +
                           name_of(d.who) + " -- " + d.message,
                       true);
    page.preformatted("replay: " + classes[i]["replay"].get<std::string>());
    if (d.trace) {
      RunReport run{d.example,
                    *d.trace,
                    model::reference_table().rows(),
                    check_all(Run{d.example, *d.trace}),
                    {"model", "model"},
                    {}};
      for (Side side : {Side::A, Side::B})
        if (plays(d.who, side)) run.players[static_cast<std::size_t>(side)] = o.impl;
      for (const Divergence& e : d.in_example)
        if (is_shadow_divergence(e) || e.kind == stack_error_kind) run.divergences.push_back(e);
      add_run(page, run, false, "divergence-" + std::to_string(i));
    }
    page.end_details();
  }
  return report::write_page(o.html, page);
}

}  // namespace

int validate(const ValidateCliOptions& o, std::ostream& out, std::ostream& err) {
  std::optional<StackUnderTest> stack;
  try {
    stack = stack_named(o.impl, StackOptions{std::chrono::milliseconds(o.stack_timeout_ms)});
  } catch (const StackUnavailable& e) {
    err << "fincheck validate: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  std::vector<Scenario> files;
  try {
    if (!o.profile_file.empty()) {
      stack->profile = read_profile_file(o.profile_file);
      stack->gen.params = stack->profile;
      stack->gen.profile_parameters_only = true;
    }
    for (const std::string& f : o.files) files.push_back(load_scenario(f));
  } catch (const ScenarioError& e) {
    err << "fincheck validate: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  try {
    for (Scenario& file : files)
      if (const auto note = prepare_file(*stack, file)) {
        err << "fincheck validate: note: " << *note << '\n';
        validate_scenario(file);
      }
  } catch (const ScenarioError& e) {
    err << "fincheck validate: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const std::uint32_t total = files.empty() ? o.cases : static_cast<std::uint32_t>(files.size());
  const ScenarioSource source =
      files.empty() ? generated_cases(*stack, o.seed, o.cases)
                    : ScenarioSource([&](std::uint32_t i) -> std::optional<Scenario> {
                        return i < files.size() ? std::optional(files[i]) : std::nullopt;
                      });
  ValidationReport report;
  double seconds = 0;
  {
    ProgressLine progress(err, "scenarios", o.progress, stderr_is_terminal());
    try {
      report = validate(source, total, *stack, std::ref(progress), sides(o.as),
                        threads_for(*stack, o.threads, total));
    } catch (const std::runtime_error& e) {
      err << "fincheck validate: error: " << o.impl << " could not be driven: " << e.what() << '\n';
      return exit_violation;
    }
    seconds = progress.seconds();
  }
  std::error_code ec;
  if (!report.divergences.empty()) std::filesystem::create_directories(o.out_dir, ec);
  nlohmann::json classes = nlohmann::json::array();
  for (const DivergenceClass& d : report.divergences) {
    const std::string path = example_path(o, d);
    std::string ladder;
    try {
      write_output_file(
          path, write_scenario(d.example, "Divergence " + d.kind + " of " + o.impl + " playing " +
                                              name_of(d.who) + ": " + d.message +
                                              "\nreplay: " + replay(o, d, path)));
      ladder = save_divergence_ladder(d, o.impl, path);
    } catch (const OutputError& e) {
      err << "fincheck validate: error: the example of " << d.kind << ": " << e.what() << '\n';
      return exit_bad_input;
    }
    classes.push_back({{"kind", d.kind},
                       {"count", d.count},
                       {"side", name_of(d.who)},
                       {"message", d.message},
                       {"file", path},
                       {"replay", replay(o, d, path)},
                       {"ladder_svg", ladder},
                       {"row", d.row < 0 ? nlohmann::json() : nlohmann::json(d.row)},
                       {"state", model::to_string(d.state)}});
  }
  if (!o.junit.empty()) {
    std::string error;
    if (!write_junit(junit_suite(o, report, classes, seconds), o.junit, error)) {
      err << "fincheck validate: error: " << error << '\n';
      return exit_bad_input;
    }
  }
  if (!o.html.empty()) {
    try {
      const std::string written = write_html(o, report, classes, files.empty());
      err << "wrote " << written << '\n';
    } catch (const OutputError& e) {
      err << "fincheck validate: error: the HTML report: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  // A stack that failed (bad bytes, a process that died or hung) is bad
  // input from the stack, not a verdict on it.
  const int code = report.passed()         ? exit_ok
                   : report.stack_failed() ? exit_bad_input
                                           : exit_violation;
  if (o.json) {
    out << json_text(versioned({{"verdict", report.passed() ? "pass" : "fail"},
                                {"impl", o.impl},
                                {"runs", report.runs},
                                {"model", "reference"},
                                {"row_hits", report.row_hits},
                                {"properties", tallies_json(report.tallies)},
                                {"divergences", classes},
                                {"observations", observations_json(report.observations)}}),
                     2)
        << '\n';
    return code;
  }
  out << "fincheck validate: " << o.impl << ", " << total << " scenario(s), " << report.runs
      << " runs (the stack as " << played(o, *stack) << ")"
      << (files.empty() ? ", seed " + std::to_string(o.seed) : "") << "\n\n"
      << std::left << std::setw(36) << "property" << std::right << std::setw(8) << "runs"
      << std::setw(12) << "applicable" << std::setw(8) << "failed\n";
  for (const PropertyTally& t : report.tallies)
    out << std::left << std::setw(36) << t.id << std::right << std::setw(8) << t.runs
        << std::setw(12) << t.applicable << std::setw(7) << t.failed << '\n';
  out << "\ndivergences: " << (report.divergences.empty() ? "none" : "") << '\n';
  for (std::size_t i = 0; i < report.divergences.size(); ++i) {
    const DivergenceClass& d = report.divergences[i];
    out << "  " << d.kind << ": " << d.count << " time(s); shrunk example (" << o.impl << " as "
        << name_of(d.who) << "):\n    " << d.message
        << "\n    replay: " << classes[i]["replay"].get<std::string>() << '\n';
  }
  const SeamObservations& seen = report.observations;
  out << "\nobserved, within the tolerance (no verdict): " << seen.timer_firings
      << " timer firing(s) moved to the stack's moment";
  if (seen.timer_firings > 0)
    out << ", from " << format_duration(seen.earliest_us) << " to "
        << format_duration(seen.latest_us) << " off the model's deadline";
  out << "; " << seen.extra_bare_acks << " bare ACK(s) the model would not have sent\n";
  out << "verdict: "
      << (report.passed()         ? "pass"
          : report.stack_failed() ? "STACK ERROR"
                                  : "FAIL")
      << '\n';
  return code;
}

}  // namespace fincheck::cli
