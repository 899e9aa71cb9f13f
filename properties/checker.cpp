#include "properties/checker.hpp"

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
                           std::vector<std::uint64_t>* row_hits) {
  Simulation sim(s, mutant ? mutant->table() : model::reference_table());
  const Trace& t = sim.run();
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
  report.row_hits.assign(table_rows(options.mutant).size(), 0);
  std::vector<const Invariant*> judged;
  for (const Invariant& inv : catalog())
    if (!options.property || options.property->id == inv.id) judged.push_back(&inv);
  for (const Invariant* inv : judged) report.tallies.push_back({inv->id});
  for (std::uint32_t i = 0; i < options.cases; ++i) {
    const rc::Shrinkable<Scenario> generated = generate_case(options.seed, i, options.gen);
    const Scenario s =
        options.mutant ? options.mutant->apply(generated.value()) : generated.value();
    const auto verdicts = judge(s, options.mutant, options.property, &report.row_hits);
    ++report.cases_run;
    const Invariant* failed = nullptr;
    for (std::size_t k = 0; k < verdicts.size(); ++k) {
      PropertyTally& tally = report.tallies[k];
      ++tally.runs;
      tally.applicable += verdicts[k].applicable ? 1 : 0;
      if (!verdicts[k].holds()) {
        ++tally.failed;
        if (!failed) failed = judged[k];
      }
    }
    if (progress) progress(i + 1, options.cases);
    if (failed) {
      report.counterexample = shrink_case(generated, *failed, options.mutant, options.seed, i);
      break;
    }
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
