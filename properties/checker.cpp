#include "properties/checker.hpp"

#include "properties/ordered_blocks.hpp"

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"

namespace fincheck {

namespace {

std::vector<Verdict> judge_trace(const Scenario& s, const Trace& t, const Invariant* only) {
  const Run run{s, t};
  if (only) return {check_one(*only, run)};
  return check_all(run);
}

// Faults whose segment is never sent change nothing; a saved file without
// them is the same run and replays without "never sent" errors.
Scenario without_unused_faults(const Scenario& s, const Mutant* mutant) {
  Simulation sim(s, mutant ? mutant->table() : model::reference_table());
  sim.run();
  Scenario out = s;
  for (const SegmentFault* f : sim.unused_faults())
    std::erase_if(out.faults,
                  [&](const SegmentFault& g) { return g.from == f->from && g.n == f->n; });
  return out;
}

bool violates(const Scenario& s, const Invariant& property, const Mutant* mutant) {
  return !judge(s, mutant, &property).front().holds();
}

}  // namespace

const std::vector<model::RowInfo>& table_rows(const Mutant* mutant) {
  return mutant ? mutant->table().rows() : model::reference_table().rows();
}

std::vector<Verdict> judge(const Scenario& s, const Mutant* mutant, const Invariant* only,
                           std::vector<std::uint64_t>* row_hits, std::uint64_t* event_cap) {
  Simulation sim(s, mutant ? mutant->table() : model::reference_table());
  const Trace& t = sim.run();
  if (event_cap) *event_cap = t.event_cap;
  if (row_hits)
    for (const StepRecord& step : t.steps)
      if (step.row >= 0) ++(*row_hits)[static_cast<std::size_t>(step.row)];
  return judge_trace(s, t, only);
}

rc::Shrinkable<Scenario> generate_case(std::uint64_t seed, std::uint32_t index,
                                       const GenOptions& options) {
  const rc::Random random(rc::Random::Key{seed, index, 0x66696e636865636bULL, 1});
  return gen_scenario(options)(random, rc::kNominalSize);
}

std::size_t Counterexample::size() const {
  std::size_t lines = 0;
  const std::string text = write_scenario(scenario);
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

Counterexample shrink_case(const rc::Shrinkable<Scenario>& failing, const Invariant& property,
                           const Mutant* mutant, std::uint64_t seed, std::uint32_t index) {
  auto apply = [&](const Scenario& s) { return mutant ? mutant->apply(s) : s; };
  rc::Shrinkable<Scenario> current = failing;
  Counterexample c;
  c.property = std::string(property.id);
  c.seed = seed;
  c.case_index = index;
  bool progress = true;
  while (progress) {
    progress = false;
    auto shrinks = current.shrinks();
    while (auto next = shrinks.next()) {
      if (violates(apply(next->value()), property, mutant)) {
        current = std::move(*next);
        ++c.shrink_steps;
        progress = true;
        break;
      }
    }
  }
  c.scenario = without_unused_faults(apply(current.value()), mutant);
  c.scenario.source = "counterexample";
  c.violations = judge(c.scenario, mutant, &property).front().violations;
  return c;
}

CheckReport run_check(const CheckOptions& options, const Progress& progress) {
  CheckReport report;
  report.options = options;
  std::vector<const Invariant*> judged;
  for (const Invariant& inv : catalog())
    if (!options.property || options.property->id == inv.id) judged.push_back(&inv);
  // A block of consecutive cases, up to the first that fails.
  struct Block {
    std::uint32_t cases_run = 0;
    std::vector<PropertyTally> tallies;
    std::vector<std::uint64_t> row_hits;
    std::optional<std::uint32_t> failing_case;
    const Invariant* failed = nullptr;
    std::uint32_t cut_off = 0;
    std::optional<std::uint32_t> first_cut_off;
  };
  const auto run = [&](std::uint64_t from, std::uint64_t to) {
    Block b;
    b.row_hits.assign(table_rows(options.mutant).size(), 0);
    for (const Invariant* inv : judged) b.tallies.push_back({inv->id});
    for (auto i = static_cast<std::uint32_t>(from); i < to; ++i) {
      const Scenario s =
          options.mutant
              ? options.mutant->apply(generate_case(options.seed, i, options.gen).value())
              : generate_case(options.seed, i, options.gen).value();
      std::uint64_t capped = 0;
      const auto verdicts = judge(s, options.mutant, options.property, &b.row_hits, &capped);
      ++b.cases_run;
      if (capped) {
        ++b.cut_off;
        if (!b.first_cut_off) b.first_cut_off = i;
      }
      for (std::size_t k = 0; k < verdicts.size(); ++k) {
        PropertyTally& tally = b.tallies[k];
        ++tally.runs;
        tally.applicable += verdicts[k].applicable ? 1 : 0;
        if (!verdicts[k].holds()) {
          ++tally.failed;
          if (!b.failed) b.failed = judged[k];
        }
      }
      if (b.failed) {
        b.failing_case = i;
        break;
      }
    }
    const bool stops = b.failed != nullptr;
    return std::pair{std::move(b), stops};
  };
  const std::vector<Block> blocks = run_ordered_blocks<Block>(
      options.cases, 256, options.threads, run,
      progress ? std::function<void(std::uint64_t)>([&](std::uint64_t done) {
        progress(static_cast<std::uint32_t>(done), options.cases);
      })
               : std::function<void(std::uint64_t)>{});
  report.row_hits.assign(table_rows(options.mutant).size(), 0);
  for (const Invariant* inv : judged) report.tallies.push_back({inv->id});
  for (const Block& b : blocks) {
    report.cases_run += b.cases_run;
    for (std::size_t k = 0; k < b.tallies.size(); ++k) {
      report.tallies[k].runs += b.tallies[k].runs;
      report.tallies[k].applicable += b.tallies[k].applicable;
      report.tallies[k].failed += b.tallies[k].failed;
    }
    for (std::size_t r = 0; r < b.row_hits.size(); ++r) report.row_hits[r] += b.row_hits[r];
    report.cut_off_cases += b.cut_off;
    if (!report.first_cut_off) report.first_cut_off = b.first_cut_off;
    if (b.failing_case)
      report.counterexample = shrink_case(generate_case(options.seed, *b.failing_case, options.gen),
                                          *b.failed, options.mutant, options.seed, *b.failing_case);
  }
  return report;
}

nlohmann::json tallies_json(const std::vector<PropertyTally>& tallies) {
  nlohmann::json out = nlohmann::json::array();
  for (const PropertyTally& t : tallies)
    out.push_back(
        {{"property", t.id}, {"runs", t.runs}, {"applicable", t.applicable}, {"failed", t.failed}});
  return out;
}

std::string replay_command(const Mutant* mutant, const std::string& path) {
  return std::string("fincheck run ") +
         (mutant ? "--mutant " + std::string(mutant->name) + " " : "") + path;
}

std::string counterexample_file(const Counterexample& c, const Mutant* mutant,
                                const std::string& path) {
  std::string comment = "Counterexample to " + c.property +
                        (mutant ? " under the mutant " + std::string(mutant->name)
                                : std::string(" in the reference model")) +
                        ",\nshrunk in " + std::to_string(c.shrink_steps) + " steps from case " +
                        std::to_string(c.case_index) + " of seed " + std::to_string(c.seed) + ".";
  for (const Violation& v : c.violations) comment += "\n" + v.message;
  comment += "\nreplay: " + replay_command(mutant, path);
  // The shrunk story may break more than the property it was shrunk for;
  // the expectation names all of them, so `run --expect` replays it exactly.
  std::string failing;
  for (const Verdict& v : judge(c.scenario, mutant, nullptr))
    if (!v.holds()) failing += (failing.empty() ? "" : ", ") + std::string(v.id);
  return write_scenario(c.scenario, comment) + "# expect: fail " + failing + "\n";
}

}  // namespace fincheck
