#include <filesystem>
#include <fstream>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "impl/scenario_io.hpp"
#include "properties/validation.hpp"
#include "tools/commands.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {

namespace {

std::optional<StackUnderTest> stack_named(const std::string& impl) {
  if (impl == "lwip") return lwip_stack();
  if (impl.starts_with("mutant:"))
    if (const Mutant* m = mutant_named(impl.substr(7))) return mutant_stack(*m);
  return std::nullopt;
}

// A name no file has yet: evidence is never overwritten, not even by the
// replay of an earlier divergence run in the same folder.
std::string example_path(const ValidateCliOptions& o, const DivergenceClass& d) {
  std::string impl = o.impl;
  std::replace(impl.begin(), impl.end(), ':', '-');
  const std::string stem = "divergence-" + impl + "-" + d.kind;
  for (int n = 1;; ++n) {
    const auto path = std::filesystem::path(o.out_dir) /
                      (stem + (n == 1 ? "" : "-" + std::to_string(n)) + ".scn");
    if (!std::filesystem::exists(path)) return path.string();
  }
}

std::string replay(const ValidateCliOptions& o, const DivergenceClass& d, const std::string& path) {
  return o.impl == "lwip" ? "fincheck run --lwip " + std::string(name_of(d.who)) + " " + path
                          : "fincheck validate --impl " + o.impl + " " + path;
}

}  // namespace

int validate(const ValidateCliOptions& o, std::ostream& out, std::ostream& err) {
  const auto stack = stack_named(o.impl);
  if (!stack) {
    err << "fincheck validate: error: unknown implementation '" << o.impl
        << "' (lwip, or mutant:NAME)\n";
    return exit_bad_input;
  }
  std::vector<Scenario> files;
  try {
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
  {
    ProgressLine progress(err, "scenarios", o.progress, stderr_is_terminal());
    try {
      report = validate(source, total, *stack, std::ref(progress));
    } catch (const std::runtime_error& e) {
      err << "fincheck validate: error: " << o.impl << " could not be driven: " << e.what() << '\n';
      return exit_violation;
    }
  }
  if (!report.divergences.empty()) std::filesystem::create_directories(o.out_dir);
  nlohmann::json classes = nlohmann::json::array();
  for (const DivergenceClass& d : report.divergences) {
    const std::string path = example_path(o, d);
    std::ofstream(path) << write_scenario(
        d.example, "Divergence " + d.kind + " of " + o.impl + " playing " + name_of(d.who) + ": " +
                       d.message + "\nreplay: " + replay(o, d, path));
    classes.push_back({{"kind", d.kind},
                       {"count", d.count},
                       {"side", name_of(d.who)},
                       {"message", d.message},
                       {"file", path},
                       {"replay", replay(o, d, path)}});
  }
  if (o.json) {
    out << nlohmann::json{{"verdict", report.passed() ? "pass" : "fail"},
                          {"impl", o.impl},
                          {"runs", report.runs},
                          {"properties", tallies_json(report.tallies)},
                          {"divergences", classes}}
               .dump(2)
        << '\n';
    return report.passed() ? exit_ok : exit_violation;
  }
  out << "fincheck validate: " << o.impl << ", " << total
      << " scenario(s) x {a, b, both} = " << report.runs << " runs"
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
  out << "verdict: " << (report.passed() ? "pass" : "FAIL") << '\n';
  return report.passed() ? exit_ok : exit_violation;
}

}  // namespace fincheck::cli
