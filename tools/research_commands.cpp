#include <sys/utsname.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "impl/duration.hpp"
#include "impl/output_file.hpp"
#include "impl/pcap_export.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "impl/text.hpp"
#include "report/html.hpp"
#include "research/claims.hpp"
#include "research/plot.hpp"
#include "research/replay.hpp"
#include "research/results_csv.hpp"
#include "stacks/registry.hpp"
#include "tools/commands.hpp"
#include "tools/progress.hpp"
#include "tools/sweep_stack.hpp"

namespace fincheck::cli {

namespace {

using namespace research;

SweepSpec spec_from(const SweepCliOptions& o) {
  SweepSpec spec = o.file.empty() ? SweepSpec{} : load_sweep(o.file);
  // Flags override the file's axes, each value judged as a file's would be.
  for (const auto& [axis, values] : o.axes) {
    if (values.empty()) continue;
    std::string flag = "--" + axis;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const std::vector<std::string_view> views(values.begin(), values.end());
    set_axis(spec, axis, views, [&](const std::string& why) { throw ScenarioError(flag, 0, why); });
  }
  if (o.samples) spec.samples = o.samples;
  if (o.seed_given) spec.seed = o.seed;
  if (!o.impl.empty()) spec.stack = sweep_stack(o, spec);
  if (const std::string error = spec.grid_error(); !error.empty())
    throw ScenarioError(o.file.empty() ? "the command line" : o.file + " and the command line", 0,
                        error);
  return spec;
}

bool gnuplot_available() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

// "P:I" -> (P, I), both whole numbers.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_replay(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::uint64_t p = 0, i = 0;
  const char* mid = text.data() + colon;
  const auto [end_p, ec_p] = std::from_chars(text.data(), mid, p);
  const auto [end_i, ec_i] = std::from_chars(mid + 1, text.data() + text.size(), i);
  if (colon == 0 || ec_p != std::errc{} || end_p != mid || ec_i != std::errc{} ||
      end_i != text.data() + text.size() || colon + 1 == text.size())
    return std::nullopt;
  return std::pair{p, i};
}

// The command that replays a saved teardown.
std::string replay_line(const std::string& path, const SweepSpec& spec) {
  return "fincheck run " + path +
         (spec.stack ? " --impl " + spec.stack->name + " --as " + name_of(spec.stack->sides) : "");
}

// --replay: one teardown as a scenario file (and a capture), checked to
// play back to the outcome the sweep counted.
int replay(const SweepCliOptions& o, const SweepSpec& spec, std::ostream& out, std::ostream& err) {
  const auto which = parse_replay(o.replay);
  if (!which) {
    err << "fincheck sweep: error: --replay " << quoted(o.replay)
        << " must be P:I, the point (a row of the CSV, from 0) and the teardown (from 0)\n";
    return exit_bad_input;
  }
  try {
    const ReplayedTeardown r = replay_teardown(spec, which->first, which->second);
    const std::string path = o.out.empty() ? "sweep-p" + std::to_string(which->first) + "-i" +
                                                 std::to_string(which->second) + ".scn"
                                           : o.out;
    write_output_file(path, r.text);
    out << "point " << which->first << " (" << r.point.key() << "), teardown " << which->second
        << ": " << outcome_names(r.outcome) << "\nwrote " << path
        << "\nreplay it:  " << replay_line(path, spec) << '\n';
    if (!o.pcap.empty()) {
      Simulation sim(r.scenario);
      const PcapFiles files = write_pcap(sim.run(), o.pcap);
      out << "wrote " << files.arrivals << " (arrivals) and " << files.dropped << " (dropped)\n";
    }
  } catch (const std::out_of_range& e) {
    err << "fincheck sweep: error: --replay " << o.replay << ": " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::runtime_error& e) {  // OutputError, a capture not written
    err << "fincheck sweep: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_ok;
}

// --examples: the first teardowns of each outcome of each point, saved.
void save_examples(const SweepCliOptions& o, const SweepSpec& spec,
                   const std::vector<PointResult>& results, std::ostream& out) {
  std::error_code ec;
  std::filesystem::create_directories(o.examples_dir, ec);
  std::size_t saved = 0;
  for (std::size_t p = 0; p < results.size(); ++p) {
    const Examples& ex = results[p].examples;
    for (std::size_t k = 0; k < ex.indices.size(); ++k)
      for (const std::uint64_t i : ex.indices[k]) {
        const ReplayedTeardown r = replay_teardown(spec, p, i);
        const std::string path = (std::filesystem::path(o.examples_dir) /
                                  ("p" + std::to_string(p) + "-" + outcome_columns()[k].name +
                                   "-i" + std::to_string(i) + ".scn"))
                                     .string();
        write_output_file(path, r.text);
        ++saved;
      }
  }
  out << "wrote " << saved << " example teardown(s) in " << o.examples_dir
      << " (replay one: " << replay_line("FILE", spec) << ")\n";
}

// --histograms: per point, each distribution as bins a plot can draw.
void save_histograms(const SweepCliOptions& o, const std::vector<PointResult>& results,
                     std::ostream& out) {
  std::error_code ec;
  std::filesystem::create_directories(o.histograms, ec);
  for (std::size_t p = 0; p < results.size(); ++p)
    for (const auto& [name, histogram] :
         {std::pair{"time_to_closed", &results[p].tally.closed_histogram},
          std::pair{"time_in_time_wait", &results[p].tally.time_wait_histogram}}) {
      std::ostringstream text;
      text << "# point " << p << " (" << results[p].point.key() << "): " << name
           << ", each bin from its lower end to the next\nbin_from_s,bin_to_s,count\n";
      for (const auto& [lower, count] : histogram->bins())
        text << format_seconds(lower) << ',' << format_seconds(Histogram::bin_end(lower)) << ','
             << count << '\n';
      write_output_file(
          (std::filesystem::path(o.histograms) / ("p" + std::to_string(p) + "-" + name + ".csv"))
              .string(),
          text.str());
    }
  out << "wrote " << 2 * results.size() << " histogram(s) in " << o.histograms << '\n';
}

}  // namespace

int sweep(const SweepCliOptions& o, std::ostream& out, std::ostream& err) {
  SweepSpec spec;
  try {
    spec = spec_from(o);
  } catch (const ScenarioError& e) {
    err << "fincheck sweep: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (!o.replay.empty()) return replay(o, spec, out, err);
  if (!o.pcap.empty()) {
    err << "fincheck sweep: error: --pcap writes the capture of one teardown: give --replay P:I\n";
    return exit_bad_input;
  }
  const auto shard = parse_shard(o.shard);
  if (!shard) {
    err << "fincheck sweep: error: --shard '" << o.shard << "' must be k/N with 0 <= k < N\n";
    return exit_bad_input;
  }
  std::vector<PointResult> results;
  try {
    ProgressLine progress(err, "teardowns", o.progress, stderr_is_terminal());
    results = run_sweep(spec, threads_or_cores(o.threads), *shard, std::ref(progress), o.examples);
  } catch (const std::overflow_error& e) {
    err << "fincheck sweep: error: " << e.what()
        << " (the sum of a time over all samples: take fewer samples)\n";
    return exit_bad_input;
  }
  std::ostringstream csv;
  write_csv(provenance_of(spec, *shard), results, csv);
  if (o.out.empty()) {
    out << csv.str();
  } else {
    write_output_file(o.out, csv.str());
    out << "wrote " << o.out << " (" << results.size() << " points x " << spec.samples << " samples"
        << (shard->n > 1 ? ", shard " + o.shard : "") << ")\n";
  }
  if (!o.histograms.empty()) {
    try {
      save_histograms(o, results, o.out.empty() ? err : out);
    } catch (const OutputError& e) {
      err << "fincheck sweep: error: the histograms: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  if (o.examples > 0) {
    try {
      // Standard output may be the CSV itself: the note goes beside it.
      save_examples(o, spec, results, o.out.empty() ? err : out);
    } catch (const std::runtime_error& e) {
      err << "fincheck sweep: error: the examples: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  int worst = exit_ok;
  if (spec.stack) {
    // The stack did what the model does not allow: the sweep still counts
    // what it did, and says where to look.
    std::uint64_t diverged = 0;
    for (const PointResult& r : results) diverged += r.tally.diverged;
    if (diverged > 0) {
      err << "fincheck sweep: " << spec.stack->name << " diverged from the model in " << diverged
          << " teardown(s) (the diverged column); --examples N saves them, --replay P:I one\n";
      worst = exit_violation;
    }
  }
  if (!o.plot.empty()) {
    std::vector<Chart> charts;
    for (const OutcomeColumn& c : outcome_columns()) charts.push_back({c.name, c.name});
    const std::string stem = std::filesystem::path(o.plot).filename().string();
    write_output_file(o.plot + ".gp", gnuplot_script(spec, results, charts, stem));
    const std::string dir = std::filesystem::path(o.plot).parent_path().string();
    out << "wrote " << o.plot << ".gp (run: " << (dir.empty() ? "" : "cd " + dir + " && ")
        << "gnuplot " << stem << ".gp)\n";
  }
  return worst;
}

int merge(const std::vector<std::string>& files, const std::string& out_file, bool partial,
          std::ostream& out, std::ostream& err) {
  std::vector<NamedCsv> all;
  for (const std::string& f : files) {
    try {
      // Bounded, like every file fincheck reads (impl/scenario_io.hpp).
      std::istringstream in(read_text_file(f));
      all.push_back({f, read_csv(in, f)});
    } catch (const ScenarioError& e) {
      err << "fincheck merge: error: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  std::ostringstream csv;
  try {
    const CsvFile merged = merge_files(all, partial);
    if (!merged.provenance.missing.empty()) {
      std::string missing;
      for (std::uint32_t k : merged.provenance.missing) missing += " " + std::to_string(k);
      err << "fincheck merge: note: partial: shard(s)" << missing << " of "
          << merged.provenance.shard.n << " missing; the file says so\n";
    }
    write_csv(merged, csv);
  } catch (const MergeError& e) {
    err << "fincheck merge: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::overflow_error& e) {
    err << "fincheck merge: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (out_file.empty()) {
    out << csv.str();
    return exit_ok;
  }
  try {
    write_output_file(out_file, csv.str());
  } catch (const OutputError& e) {
    err << "fincheck merge: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_ok;
}

namespace {

// The running kernel's release, as `uname -r` prints it.
std::string kernel_release() {
  utsname u{};
  return ::uname(&u) == 0 ? u.release : "(unknown release)";
}

// The HTML report: the claims as a table, then each with its numbers and
// plots, the plots copied beside the page.
void write_claims_html(const ClaimsCliOptions& o, const std::vector<ClaimResult>& results,
                       bool all_hold) {
  report::Page page("fincheck claims");
  page.summary(all_hold ? "every claim holds (some with a caveat)" : "a claim does not hold",
               all_hold,
               {{"seed", std::to_string(o.seed)},
                {"samples", o.quick ? "quick (--quick)" : "full"},
                {"reproduce",
                 "fincheck claims --seed " + std::to_string(o.seed) + (o.quick ? " --quick" : "")},
                {"CSV and scripts", o.out_dir}});
  const auto css = [](const std::string& verdict) {
    return verdict == "holds" ? "pass" : verdict == "does not hold" ? "fail" : "caveat";
  };
  std::vector<std::vector<report::Cell>> rows;
  for (const ClaimResult& r : results)
    rows.push_back({{std::to_string(r.number), "num"}, {r.claim}, {r.verdict, css(r.verdict)}});
  page.heading("Claims", "claims");
  page.table({"#", "claim", "verdict"}, rows);
  const std::filesystem::path from(o.out_dir), to(o.html);
  std::error_code ec;
  std::filesystem::create_directories(to, ec);
  for (const ClaimResult& r : results) {
    page.heading("Claim " + std::to_string(r.number) + ": " + r.verdict,
                 "claim-" + std::to_string(r.number));
    page.paragraph(r.claim);
    page.paragraph("Measured: " + r.measured);
    page.preformatted(r.numbers);
    page.paragraph(r.comment);
    for (const std::string& file : r.files) {
      if (std::filesystem::path(file).extension() != ".gp") continue;
      // gnuplot wrote STEM-OUTCOME.svg for each chart of STEM.gp.
      const std::string stem = std::filesystem::path(file).stem().string() + "-";
      std::vector<std::filesystem::path> plots;
      for (const auto& entry : std::filesystem::directory_iterator(from, ec))
        if (entry.path().extension() == ".svg" &&
            entry.path().filename().string().rfind(stem, 0) == 0)
          plots.push_back(entry.path());
      std::sort(plots.begin(), plots.end());
      for (const auto& plot : plots) {
        if (!std::filesystem::equivalent(from, to, ec))
          std::filesystem::copy_file(plot, to / plot.filename(),
                                     std::filesystem::copy_options::overwrite_existing, ec);
        page.image(plot.filename().string(), plot.filename().string());
      }
    }
  }
  report::write_page(o.html, page);
}

}  // namespace

int claims(const ClaimsCliOptions& o, std::ostream& out, std::ostream& err) {
  ClaimsOptions options;
  options.quick = o.quick;
  options.threads = threads_or_cores(o.threads);
  options.seed = o.seed;
  options.out_dir = o.out_dir;
  // Claim 8 is the kernel's to judge, where it can be reached: a minute of
  // its real TIME-WAIT (not in --quick).
  options.kernel_time_wait = [&]() -> ClaimsOptions::KernelTimeWait {
    if (o.quick) return {std::nullopt, "not asked under --quick"};
    try {
      const std::optional<std::int64_t> length = measured_time_wait(stack_named("linux"));
      if (!length) return {std::nullopt, "the run showed no TIME_WAIT"};
      return {length, "Linux " + kernel_release() + ", fincheck run --impl linux"};
    } catch (const StackUnavailable& e) {
      return {std::nullopt, std::string("the kernel cannot be reached: ") + e.what()};
    }
  };
  std::vector<ClaimResult> results;
  {
    ProgressLine progress(err, "teardowns", o.progress, stderr_is_terminal());
    results = run_claims(options, std::ref(progress));
  }
  const auto dir = std::filesystem::path(o.out_dir);
  write_output_file((dir / "report.md").string(), claims_markdown(results, options));
  if (gnuplot_available()) {
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".gp") {
        const std::string cmd = "cd '" + dir.string() + "' && gnuplot '" +
                                entry.path().filename().string() + "' 2>/dev/null";
        if (std::system(cmd.c_str()) != 0)
          err << "fincheck claims: gnuplot failed on " << entry.path().string() << '\n';
      }
  } else {
    err << "fincheck claims: gnuplot is not installed; the .gp scripts are in " << dir.string()
        << " (apt-get install gnuplot-nox, then gnuplot FILE.gp)\n";
  }
  bool all_hold = true;
  for (const ClaimResult& r : results) {
    out << "claim " << r.number << ": " << r.verdict << "\n  " << r.numbers << '\n';
    all_hold &= r.verdict != "does not hold";
  }
  out << "report: " << (dir / "report.md").string() << '\n';
  if (!o.html.empty()) {
    try {
      write_claims_html(o, results, all_hold);
      out << "HTML report: " << (std::filesystem::path(o.html) / "index.html").string() << '\n';
    } catch (const OutputError& e) {
      err << "fincheck claims: error: the HTML report: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  return all_hold ? exit_ok : exit_violation;
}

}  // namespace fincheck::cli
