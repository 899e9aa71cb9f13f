// fincheck: parse the command line, call the library, print.
#include <algorithm>
#include <charconv>
#include <iostream>

#include <CLI/CLI.hpp>

#include "research/sweep_axes.hpp"
#include "tools/commands.hpp"
#include "tools/man_page.hpp"

namespace {

// A seed is 0 to 2^64 - 1, written in decimal: CLI11 alone would wrap -1 and
// clamp 2^64 without a word.
const CLI::Validator seed_value(
    [](const std::string& text) -> std::string {
      std::uint64_t v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        return "a seed is a whole number from 0 to 18446744073709551615, not '" + text + "'";
      return {};
    },
    "SEED");

// Teardowns per point: a whole number, at least one.
const CLI::Validator samples_value(
    [](const std::string& text) -> std::string {
      std::uint64_t v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v == 0)
        return "samples must be a whole number of at least 1: '" + text + "'";
      return {};
    },
    "N");

}  // namespace

int main(int argc, char** argv) {
  using namespace fincheck::cli;
  CLI::App app{"fincheck: checks the TCP connection teardown against a formal model"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", "fincheck " FINCHECK_VERSION);

  RunOptions run_options;
  auto* run_cmd = app.add_subcommand("run", "run scenario files and judge them by the invariants");
  run_cmd->add_option("files", run_options.files, "scenario files")
      ->required()
      ->check(CLI::ExistingFile);
  run_cmd->add_flag("--json", run_options.json, "print a JSON object per file");
  run_cmd->add_flag("--trace", run_options.timers, "also show every timer set, restarted, fired");
  run_cmd->add_flag("--brief", run_options.brief, "one verdict line per file");
  run_cmd->add_flag("--expect", run_options.expect,
                    "hold each file to its '# expect:' line; exit 1 on any mismatch");

  run_cmd->add_option("--mutant", run_options.mutant, "run under a mutant of the model");
  run_cmd->add_option("--impl", run_options.impl,
                      "a stack plays --as (fincheck stacks; exec:PROGRAM for another process)");
  run_cmd->add_option("--as", run_options.as, "the sides the stack plays: a, b or both")
      ->check(CLI::IsMember({"a", "b", "both"}))
      ->capture_default_str();
  std::string run_lwip;
  run_cmd->add_option("--lwip", run_lwip, "same as --impl lwip --as SIDE")
      ->check(CLI::IsMember({"a", "b", "both"}));
  run_cmd
      ->add_option("--stack-timeout", run_options.stack_timeout_ms,
                   "ms a stack in another process may take over one answer")
      ->capture_default_str()
      ->check(CLI::Range(1U, 3'600'000U));
  run_cmd->add_option("--svg", run_options.svg, "write the ladder diagram as SVG to FILE");
  run_cmd->add_option("--html", run_options.html,
                      "write an HTML report (ladders, state diagram) into folder DIR");
  run_cmd->add_option("--pcap", run_options.pcap,
                      "write the run as FILE (arrivals) and FILE-dropped.pcap (raw IPv4)");

  CheckCliOptions check_options;
  auto* check_cmd = app.add_subcommand("check", "run the invariant catalog over generated cases");
  check_cmd->add_option("--cases", check_options.cases, "how many cases")
      ->capture_default_str()
      ->check(CLI::Range(1U, 100'000'000U));
  check_cmd->add_option("--seed", check_options.seed, "seed (default: a fresh one, printed)")
      ->check(seed_value);
  check_cmd->add_option("--profile", check_options.profile,
                        "rfc9293, linux or lwip (default: any)");
  check_cmd
      ->add_option("--profile-file", check_options.profile_file,
                   "a profile of one's own: profile and set lines")
      ->check(CLI::ExistingFile)
      ->excludes("--profile");
  check_cmd->add_option("--property", check_options.property,
                        "check one invariant by its id: " + property_names());
  check_cmd->add_option("--mutant", check_options.mutant,
                        "check a mutant instead of the model: " + mutant_names());
  check_cmd
      ->add_option("--max-faults", check_options.max_faults, "faults per case, at most (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0U, 5U));
  check_cmd->add_option("--out", check_options.out_dir, "where to save a counterexample")
      ->capture_default_str();
  check_cmd->add_option("--threads", check_options.threads,
                        "threads (default: one per core); the report is the same for any number");
  check_cmd->add_flag("--json", check_options.json, "print one JSON object");
  check_cmd->add_option("--junit", check_options.junit,
                        "also write JUnit XML: a test case per invariant");
  check_cmd->add_option("--html", check_options.html, "also write an HTML report into folder DIR");
  bool check_quiet = false;
  check_cmd->add_flag("--quiet", check_quiet, "no progress line");

  ExploreCliOptions explore_options;
  auto* explore_cmd = app.add_subcommand(
      "explore", "explore every fault plan and ordering within bounds, state by state");
  explore_cmd->add_option("files", explore_options.files,
                          "scenario files: their application calls (default: the textbook closes)")
      ->check(CLI::ExistingFile);
  explore_cmd->add_option("--close", explore_options.close,
                          "one textbook close: active, passive-after-eof, simultaneous, "
                          "half-close-data, half-close-open");
  explore_cmd->add_option("--drops", explore_options.drops, "segments lost, at most")
      ->capture_default_str()
      ->check(CLI::Range(0U, 8U));
  explore_cmd->add_option("--dups", explore_options.dups, "segments duplicated, at most")
      ->capture_default_str()
      ->check(CLI::Range(0U, 8U));
  explore_cmd
      ->add_option("--delays", explore_options.delays,
                   "segments delayed past the least delay (up to MSL), at most")
      ->capture_default_str()
      ->check(CLI::Range(0U, 8U));
  explore_cmd->add_flag("--reorder", explore_options.reorder,
                        "a direction may deliver out of send order");
  explore_cmd->add_option("--mutant", explore_options.mutant,
                          "explore a mutant instead of the model: " + mutant_names());
  explore_cmd->add_option("--property", explore_options.property,
                          "judge one invariant by its id: " + property_names());
  explore_cmd->add_option("--threads", explore_options.threads,
                          "threads (0: one per core); the report is the same for any number")
      ->capture_default_str();
  explore_cmd->add_option("--memory", explore_options.memory_mb,
                          "MB for the search: an eighth for the visited set (past it, bitstate "
                          "hashing), the rest for the frontier")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{16}, std::uint64_t{1} << 24));
  explore_cmd->add_flag("--no-merge", explore_options.no_merge,
                        "visit every path as a state of its own (a tree), to check the merging");
  explore_cmd->add_option("--out", explore_options.out_dir, "where to save a counterexample")
      ->capture_default_str();
  explore_cmd->add_flag("--json", explore_options.json, "print one JSON object");
  bool explore_quiet = false;
  explore_cmd->add_flag("--quiet", explore_quiet, "no progress line");

  MutantsCliOptions mutants_options;
  auto* mutants_cmd =
      app.add_subcommand("mutants", "run the suite against every mutant: the kill matrix");
  mutants_cmd->add_option("--cases", mutants_options.cases, "cases per mutant")
      ->capture_default_str()
      ->check(CLI::Range(1U, 10'000'000U));
  mutants_cmd->add_option("--seed", mutants_options.seed, "seed")
      ->capture_default_str()
      ->check(seed_value);
  mutants_cmd->add_option("--out", mutants_options.out_dir,
                          "save each counterexample in this folder");
  mutants_cmd->add_flag("--json", mutants_options.json, "print one JSON object");
  mutants_cmd->add_option("--junit", mutants_options.junit,
                          "also write JUnit XML: a test case per mutant and invariant");
  mutants_cmd->add_option("--html", mutants_options.html,
                          "also write an HTML report (the kill matrix) into folder DIR");
  bool mutants_quiet = false;
  mutants_cmd->add_flag("--quiet", mutants_quiet, "no progress line");
  bool mutants_no_explore = false;
  mutants_cmd->add_flag("--no-explore", mutants_no_explore,
                        "leave out column E, the explorer's kills (seconds per surviving mutant)");

  SweepCliOptions sweep_options;
  auto* sweep_cmd =
      app.add_subcommand("sweep", "Monte Carlo teardowns over a grid of settings: CSV");
  sweep_cmd->add_option("file", sweep_options.file, "sweep file (optional)")
      ->check(CLI::ExistingFile);
  // One flag per axis of the grid (research/sweep_axes.hpp).
  for (const fincheck::research::SweepAxis& axis : fincheck::research::sweep_axes()) {
    std::string flag = "--" + std::string(axis.name);
    std::replace(flag.begin(), flag.end(), '_', '-');
    sweep_cmd->add_option(flag, sweep_options.axes[std::string(axis.name)], std::string(axis.help));
  }
  sweep_cmd->add_option("--impl", sweep_options.impl,
                        "a stack in virtual time plays --as in every teardown (fincheck stacks)");
  sweep_cmd->add_option("--as", sweep_options.as, "the sides the stack plays: a, b or both")
      ->check(CLI::IsMember({"a", "b", "both"}))
      ->capture_default_str();
  sweep_cmd
      ->add_option("--stack-timeout", sweep_options.stack_timeout_ms,
                   "ms a stack in another process may take over one answer")
      ->capture_default_str()
      ->check(CLI::Range(1U, 3'600'000U));
  std::vector<std::string> sweep_profile_files;
  sweep_cmd->add_option("--profile-file", sweep_profile_files, "profile files, on the profile axis")
      ->check(CLI::ExistingFile);
  sweep_cmd->add_option("--samples", sweep_options.samples, "teardowns per point")
      ->check(samples_value);
  sweep_cmd->add_option("--seed", sweep_options.seed, "seed")->check(seed_value);
  sweep_cmd->add_option("--threads", sweep_options.threads, "threads (default: one per core)");
  sweep_cmd->add_option("--shard", sweep_options.shard, "run shard k of N (k/N), merge later")
      ->capture_default_str();
  sweep_cmd->add_option("--out", sweep_options.out, "CSV file (default: standard output)");
  sweep_cmd->add_option("--plot", sweep_options.plot, "write PLOT.gp, a gnuplot script");
  sweep_cmd->add_option("--replay", sweep_options.replay,
                        "P:I: write teardown I of point P as a scenario file (--out) instead");
  sweep_cmd->add_option("--pcap", sweep_options.pcap,
                        "with --replay: the teardown as a capture too");
  sweep_cmd
      ->add_option("--examples", sweep_options.examples,
                   "save the first N teardowns of each outcome of each point as scenario files")
      ->check(CLI::Range(0U, 1000U));
  sweep_cmd->add_option("--examples-dir", sweep_options.examples_dir, "where --examples go")
      ->capture_default_str();
  sweep_cmd->add_option("--histograms", sweep_options.histograms,
                        "write each point's histograms (time to close, in TIME_WAIT) to DIR");
  bool sweep_quiet = false;
  sweep_cmd->add_flag("--quiet", sweep_quiet, "no progress line");

  std::vector<std::string> merge_files;
  std::string merge_out;
  auto* merge_cmd = app.add_subcommand("merge", "add up shard CSVs of one sweep");
  merge_cmd->add_option("files", merge_files, "shard CSV files")
      ->required()
      ->check(CLI::ExistingFile);
  merge_cmd->add_option("--out", merge_out, "CSV file (default: standard output)");
  bool merge_partial = false;
  merge_cmd->add_flag("--partial", merge_partial,
                      "merge even with shards missing; the result lists them");

  ClaimsCliOptions claims_options;
  auto* claims_cmd =
      app.add_subcommand("claims", "measure every claim of the source notes: a report folder");
  claims_cmd->add_flag("--quick", claims_options.quick, "fewer samples, under a minute");
  claims_cmd->add_option("--out", claims_options.out_dir, "report folder")->capture_default_str();
  claims_cmd->add_option("--html", claims_options.html,
                         "also write an HTML report with the plots into folder DIR");
  claims_cmd->add_option("--threads", claims_options.threads, "threads (default: one per core)");
  claims_cmd->add_option("--seed", claims_options.seed, "seed")
      ->capture_default_str()
      ->check(seed_value);
  bool claims_quiet = false;
  claims_cmd->add_flag("--quiet", claims_quiet, "no progress line");

  ValidateCliOptions validate_options;
  auto* validate_cmd =
      app.add_subcommand("validate", "check a third-party stack against the model");
  validate_cmd
      ->add_option("--impl", validate_options.impl,
                   "a stack (fincheck stacks), mutant:NAME, or exec:PROGRAM [ARGS]")
      ->capture_default_str();
  validate_cmd->add_option("--as", validate_options.as, "a, b, both, or all of them")
      ->check(CLI::IsMember({"a", "b", "both", "all"}))
      ->capture_default_str();
  validate_cmd
      ->add_option("--profile-file", validate_options.profile_file,
                   "the model takes these parameters for the stack")
      ->check(CLI::ExistingFile);
  validate_cmd
      ->add_option("--stack-timeout", validate_options.stack_timeout_ms,
                   "ms a stack in another process may take over one answer")
      ->capture_default_str()
      ->check(CLI::Range(1U, 3'600'000U));
  validate_cmd
      ->add_option("files", validate_options.files, "scenario files (default: generated cases)")
      ->check(CLI::ExistingFile);
  validate_cmd->add_option("--cases", validate_options.cases, "generated cases")
      ->capture_default_str()
      ->check(CLI::Range(1U, 10'000'000U));
  validate_cmd->add_option("--seed", validate_options.seed, "seed")
      ->capture_default_str()
      ->check(seed_value);
  validate_cmd->add_option("--out", validate_options.out_dir, "where to save divergence examples")
      ->capture_default_str();
  validate_cmd->add_option(
      "--threads", validate_options.threads,
      "threads (default: one per core; one for a stack that cannot run twice "
      "at once; 1,000 cases in flight for a stack on a real clock); the report "
      "is the same for any number");
  validate_cmd->add_flag("--json", validate_options.json, "print one JSON object");
  validate_cmd->add_option("--junit", validate_options.junit,
                           "also write JUnit XML: a test case per invariant and divergence class");
  validate_cmd->add_option("--html", validate_options.html,
                           "also write an HTML report into folder DIR");
  bool validate_quiet = false;
  validate_cmd->add_flag("--quiet", validate_quiet, "no progress line");

  TraceCliOptions trace_options;
  auto* trace_cmd =
      app.add_subcommand("trace", "judge the teardowns in a packet capture against the model");
  trace_cmd->add_option("file", trace_options.file, "pcap or pcapng file")->required();
  trace_cmd->add_flag("--json", trace_options.json, "print one JSON object");
  bool trace_quiet = false;
  trace_cmd->add_flag("--quiet", trace_quiet, "no progress line");
  trace_cmd->add_option("--profile", trace_options.profile,
                        "the model's parameters: rfc9293, linux, lwip, or a profile file")
      ->capture_default_str();
  trace_cmd->add_option("--vantage", trace_options.vantage,
                        "where the capture was taken: a, b, path, both (default: from each "
                        "handshake, else path)");
  trace_cmd->add_option("--bound", trace_options.bound,
                        "explanations kept per connection while the capture is ambiguous")
      ->capture_default_str();
  trace_cmd->add_option("--save", trace_options.save,
                        "write a scenario of each divergent connection into folder DIR");
  ProbeCliOptions probe_options;
  auto* probe_cmd = app.add_subcommand("probe", "measure a stack's teardown parameters");
  probe_cmd->add_option("--impl", probe_options.impl, "a stack (fincheck stacks)")
      ->capture_default_str();
  probe_cmd->add_flag("--json", probe_options.json, "print one JSON object");

  bool stacks_json = false;
  auto* stacks_cmd = app.add_subcommand("stacks", "list the stacks --impl can name");
  stacks_cmd->add_flag("--json", stacks_json, "as JSON");

  auto* man_cmd = app.add_subcommand("man", "print this manual page (troff)");

  TableCliOptions table_options;
  auto* table_cmd = app.add_subcommand("table", "print the rows of the teardown table");
  auto* table_json = table_cmd->add_flag("--json", table_options.json, "as JSON");
  auto* table_dot =
      table_cmd->add_flag("--dot", table_options.dot, "the state diagram as Graphviz text")
          ->excludes(table_json);
  table_cmd->add_flag("--svg", table_options.svg, "the state diagram as SVG (Graphviz's dot)")
      ->excludes(table_json)
      ->excludes(table_dot);
  table_cmd->add_option("--mutant", table_options.mutant,
                        "a mutant's table instead: " + mutant_names());
  table_cmd
      ->add_option("--coverage", table_options.coverage,
                   "draw how often each row fired: the --json output of check, validate or run")
      ->check(CLI::ExistingFile);
  table_cmd->add_option("--out", table_options.out, "write to FILE instead of standard output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;
  }
  // Nothing escapes as a crash: what a command did not foresee is reported.
  try {
    if (app.get_subcommands().empty()) {
      std::cerr << app.help();
      return exit_bad_input;
    }
    if (*run_cmd) {
      if (!run_lwip.empty()) {
        run_options.impl = "lwip";
        run_options.as = run_lwip;
      }
      return run(run_options, std::cout, std::cerr);
    }
    if (*stacks_cmd) return stacks(stacks_json, std::cout);
    if (*man_cmd) {
      std::cout << man_page(app);
      return exit_ok;
    }
    if (*table_cmd) return table(table_options, std::cout, std::cerr);
    if (*check_cmd) {
      check_options.seed_given = check_cmd->count("--seed") > 0;
      check_options.progress = !check_quiet;
      return check(check_options, std::cout, std::cerr);
    }
    if (*probe_cmd) return probe(probe_options, std::cout, std::cerr);
    if (*trace_cmd) {
      trace_options.progress = !trace_quiet;
      return trace(trace_options, std::cout, std::cerr);
    }
    if (*validate_cmd) {
      validate_options.progress = !validate_quiet;
      return validate(validate_options, std::cout, std::cerr);
    }
    if (*sweep_cmd) {
      sweep_options.seed_given = sweep_cmd->count("--seed") > 0;
      sweep_options.progress = !sweep_quiet;
      auto& profiles = sweep_options.axes["profile"];
      profiles.insert(profiles.end(), sweep_profile_files.begin(), sweep_profile_files.end());
      return sweep(sweep_options, std::cout, std::cerr);
    }
    if (*merge_cmd) return merge(merge_files, merge_out, merge_partial, std::cout, std::cerr);
    if (*claims_cmd) {
      claims_options.progress = !claims_quiet;
      return claims(claims_options, std::cout, std::cerr);
    }
    if (*explore_cmd) {
      explore_options.progress = !explore_quiet;
      if (!explore_options.close.empty() && !explore_options.files.empty()) {
        std::cerr << "fincheck explore: error: give --close or scenario files, not both\n";
        return exit_bad_input;
      }
      return explore(explore_options, std::cout, std::cerr);
    }
    if (*mutants_cmd) {
      mutants_options.progress = !mutants_quiet;
      mutants_options.explore = !mutants_no_explore;
      return mutants(mutants_options, std::cout, std::cerr);
    }
  } catch (const std::exception& e) {
    std::cerr << "fincheck: error: " << e.what() << '\n';
  }
  return exit_bad_input;
}
