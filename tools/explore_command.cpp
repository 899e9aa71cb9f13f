#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>

#include <nlohmann/json.hpp>

#include "explore/explorer.hpp"
#include "impl/ladder.hpp"
#include "impl/output_file.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "properties/run_report.hpp"
#include "tools/commands.hpp"
#include "tools/progress.hpp"

namespace fincheck::cli {

namespace {

using explore::ExploreReport;

struct Target {
  std::string name;  // the textbook close's name, or the file
  Scenario scenario;
};

std::string bounds_text(const ExploreCliOptions& o) {
  return std::to_string(o.drops) + " drop(s), " + std::to_string(o.dups) + " dup(s), " +
         std::to_string(o.delays) + " delay(s), " + (o.reorder ? "reordering" : "order kept");
}

std::string search_command(const ExploreCliOptions& o, const Target& t, bool textbook) {
  std::string cmd = "fincheck explore";
  cmd += textbook ? " --close " + t.name : " " + t.name;
  cmd += " --drops " + std::to_string(o.drops) + " --dups " + std::to_string(o.dups) +
         " --delays " + std::to_string(o.delays);
  if (o.reorder) cmd += " --reorder";
  if (!o.mutant.empty()) cmd += " --mutant " + o.mutant;
  if (!o.property.empty()) cmd += " --property " + o.property;
  return cmd;
}

std::string saved_path(const ExploreCliOptions& o, const Target& t,
                       const explore::ExploreCounterexample& c) {
  std::string stem = std::filesystem::path(t.name).stem().string();
  return (std::filesystem::path(o.out_dir) /
          ("counterexample-explore-" + (o.mutant.empty() ? std::string("model") : o.mutant) +
           "-" + c.property + "-" + stem + ".scn"))
      .string();
}

std::string rate_text(const ExploreReport& r) {
  char s[200];
  std::snprintf(s, sizeof s, "%.2f s, %.0f states/s, frontier at most %.1f MB, visited set %.1f MB",
                r.seconds, r.seconds > 0 ? r.states / r.seconds : 0.0,
                r.peak_frontier_bytes / 1e6, r.visited_bytes / 1e6);
  return s;
}

std::string completeness_text(const ExploreReport& r) {
  char s[200];
  if (r.frontier_exhausted)
    return "INCOMPLETE: the frontier outgrew --memory; lower the bounds or raise it";
  if (r.counterexample) return "stopped at the first level with a violation";
  if (r.bitstate) {
    std::snprintf(s, sizeof s,
                  "bitstate hashing (the visited set outgrew --memory): not exhaustive; chance a "
                  "state was skipped <= %.2g",
                  r.omission_probability);
    return s;
  }
  std::snprintf(s, sizeof s, "exhaustive (hash compaction: chance of a state skipped <= %.2g)",
                r.omission_probability);
  return s;
}

nlohmann::json report_json(const ExploreCliOptions& o, const Target& t, bool textbook,
                           const ExploreReport& r, const Mutant* mutant, const std::string& path) {
  const auto& rows = table_rows(mutant);
  nlohmann::json never = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (r.row_hits[i] == 0) never.push_back(rows[i].index);
  nlohmann::json j{{"name", t.name},
                   {"verdict", r.counterexample ? "fail" : r.complete() ? "pass" : "incomplete"},
                   {"states", r.states},
                   {"transitions", r.transitions},
                   {"merged", r.merged},
                   {"paths_ended", r.ended},
                   {"paths_cut_off", r.cut_off},
                   {"depth", r.depth},
                   {"seconds", r.seconds},
                   {"states_per_second", r.seconds > 0 ? r.states / r.seconds : 0.0},
                   {"peak_frontier_bytes", r.peak_frontier_bytes},
                   {"visited_bytes", r.visited_bytes},
                   {"search", r.bitstate ? "bitstate" : "hash compaction"},
                   {"omission_probability", r.omission_probability},
                   {"complete", r.complete()},
                   {"properties", tallies_json(r.tallies)},
                   {"rows_never_hit", never},
                   {"row_hits", r.row_hits},
                   {"search_command", search_command(o, t, textbook)}};
  if (r.counterexample) {
    const explore::ExploreCounterexample& c = *r.counterexample;
    nlohmann::json v = nlohmann::json::array();
    for (const Violation& x : c.violations)
      v.push_back({{"property", x.property}, {"at_us", x.at_us}, {"message", x.message}});
    j["counterexample"] = {{"property", c.property},
                           {"depth", c.depth},
                           {"file", path},
                           {"violations", v},
                           {"scenario", write_scenario(c.scenario)},
                           {"replay", replay_command(mutant, path)}};
  }
  return j;
}

void print_text(const ExploreCliOptions& o, const Target& t, const ExploreReport& r,
                const Mutant* mutant, std::ostream& out) {
  out << "fincheck explore: " << t.name << ", " << bounds_text(o) << ", model "
      << (mutant ? "mutant " + std::string(mutant->name) : std::string("reference")) << '\n';
  out << "  " << r.states << " states, " << r.transitions << " transitions (" << r.merged
      << " to a state already visited), " << r.ended << " paths judged at their end ("
      << r.cut_off << " cut off), depth " << r.depth << '\n';
  out << "  " << rate_text(r) << '\n' << "  " << completeness_text(r) << '\n';
  out << "  " << std::left << std::setw(36) << "property" << std::right << std::setw(10)
      << "paths" << std::setw(12) << "applicable" << std::setw(8) << "failed\n";
  for (const PropertyTally& p : r.tallies)
    out << "  " << std::left << std::setw(36) << p.id << std::right << std::setw(10) << p.runs
        << std::setw(12) << p.applicable << std::setw(7) << p.failed << '\n';
  const auto& rows = table_rows(mutant);
  std::size_t reached = 0;
  std::string never;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (r.row_hits[i]) {
      ++reached;
      continue;
    }
    // One close reaches a few rows of the 83: their numbers, wrapped, and
    // `fincheck table` says what each is.
    const std::string n = std::to_string(rows[i].index);
    const std::size_t line = never.size() - (never.rfind('\n') + 1);
    never += (never.empty() ? "\n    " : line + n.size() + 2 > 76 ? ",\n    " : ", ") + n;
  }
  out << "  rows reached: " << reached << " of " << rows.size()
      << " (fincheck table names them); never reached:" << (never.empty() ? " none" : never)
      << '\n';
}

void print_counterexample(const Target& t, const ExploreReport& r, const Mutant* mutant,
                          const std::string& path, const std::string& search,
                          std::ostream& out) {
  const explore::ExploreCounterexample& c = *r.counterexample;
  Simulation sim(c.scenario, mutant ? mutant->table() : model::reference_table());
  const Trace& trace = sim.run();
  const std::string player = mutant ? "mutant " + std::string(mutant->name) : "model";
  out << "\nFAIL " << c.property << " in " << t.name << ", on a path of " << c.depth
      << " choice(s) (none shorter breaks an invariant):\n\n"
      << run_header(c.scenario, {player, player}) << '\n'
      << render_ladder(trace, table_rows(mutant)) << '\n';
  for (const Violation& v : c.violations) out << "  " << v.message << '\n';
  out << "\ncounterexample saved as " << path << "\nreplay it:  " << replay_command(mutant, path)
      << "\nreproduce the search:  " << search << '\n';
}

}  // namespace

int explore(const ExploreCliOptions& o, std::ostream& out, std::ostream& err) {
  const Mutant* mutant = nullptr;
  const Invariant* property = nullptr;
  if (!o.mutant.empty() && !(mutant = mutant_named(o.mutant))) {
    err << "fincheck explore: error: unknown mutant '" << o.mutant << "' (" << mutant_names()
        << ")\n";
    return exit_bad_input;
  }
  if (!o.property.empty() && !(property = invariant_named(o.property))) {
    err << "fincheck explore: error: unknown property '" << o.property << "' ("
        << property_names() << ")\n";
    return exit_bad_input;
  }
  std::vector<Target> targets;
  const bool textbook = o.files.empty();
  for (const auto& [name, s] : explore::textbook_closes())
    if (textbook && (o.close.empty() || o.close == name)) targets.push_back({name, s});
  if (textbook && targets.empty()) {
    std::string names;
    for (const auto& [name, s] : explore::textbook_closes())
      names += (names.empty() ? "" : ", ") + name;
    err << "fincheck explore: error: no textbook close '" << o.close << "' (" << names << ")\n";
    return exit_bad_input;
  }
  for (const std::string& file : o.files) {
    try {
      Scenario s = load_scenario(file);
      if (const std::string why = explore::unsupported(s); !why.empty()) {
        err << "fincheck explore: error: " << file << ": " << why << '\n';
        return exit_bad_input;
      }
      if (!s.faults.empty())
        err << "fincheck explore: note: " << file << ": its " << s.faults.size()
            << " fault line(s) are ignored; the explorer chooses every segment's fate\n";
      targets.push_back({file, std::move(s)});
    } catch (const ScenarioError& e) {
      err << "fincheck explore: error: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  explore::ExploreOptions options;
  options.bounds = {o.drops, o.dups, o.delays, o.reorder};
  options.mutant = mutant;
  options.property = property;
  options.threads = threads_or_cores(o.threads);
  options.merge = !o.no_merge;
  options.visited_bytes = o.memory_mb * (std::uint64_t{1} << 20) / 8;
  options.frontier_bytes = o.memory_mb * (std::uint64_t{1} << 20) - options.visited_bytes;

  nlohmann::json results = nlohmann::json::array();
  bool failed = false, incomplete = false;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const Target& t = targets[k];
    const bool terminal = stderr_is_terminal();
    auto last = std::chrono::steady_clock::now();
    bool shown = false;
    options.progress = [&](std::uint64_t states, std::uint32_t depth) {
      if (!o.progress) return;
      const auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::seconds(terminal ? 1 : 10)) return;
      last = now;
      err << (terminal ? "\r" : "") << "explore " << t.name << ": depth " << depth << ", "
          << states << " states" << (terminal ? "" : "\n") << std::flush;
      shown = true;
    };
    const ExploreReport r = explore::explore(t.scenario, options);
    if (shown && terminal) err << '\r' << std::string(72, ' ') << '\r' << std::flush;
    std::string path;
    if (r.counterexample) {
      failed = true;
      path = saved_path(o, t, *r.counterexample);
      std::error_code ec;
      if (!o.out_dir.empty()) std::filesystem::create_directories(o.out_dir, ec);
      const std::string story =
          "Found by " + search_command(o, t, textbook) + ": " + r.counterexample->property +
          " fails on a path of " + std::to_string(r.counterexample->depth) +
          " choice(s), none shorter.\nreplay: " + replay_command(mutant, path);
      try {
        write_output_file(path, write_scenario(r.counterexample->scenario, story));
      } catch (const OutputError& e) {
        err << "fincheck explore: error: the counterexample: " << e.what() << '\n';
        return exit_bad_input;
      }
    }
    incomplete |= !r.counterexample && !r.complete();
    if (o.json) {
      results.push_back(report_json(o, t, textbook, r, mutant, path));
      continue;
    }
    if (k > 0) out << '\n';
    print_text(o, t, r, mutant, out);
    if (r.counterexample) print_counterexample(t, r, mutant, path, search_command(o, t, textbook), out);
  }
  const char* verdict = failed ? "fail" : incomplete ? "incomplete" : "pass";
  if (o.json) {
    out << json_text(versioned({{"verdict", verdict},
                                {"model", o.mutant.empty() ? "reference" : o.mutant},
                                {"bounds",
                                 {{"drops", o.drops},
                                  {"dups", o.dups},
                                  {"delays", o.delays},
                                  {"reorder", o.reorder}}},
                                {"threads", options.threads},
                                {"explorations", results}}),
                     2)
        << '\n';
  } else {
    out << "\nverdict: " << (failed ? "FAIL" : incomplete ? "INCOMPLETE" : "pass") << '\n';
  }
  // An exploration that did not finish proves nothing: never a pass.
  if (failed) return exit_violation;
  return incomplete ? exit_bad_input : exit_ok;
}

}  // namespace fincheck::cli
