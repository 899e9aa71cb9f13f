#pragma once
// Runs the catalog over generated cases, shrinks the first failure to a
// smallest scenario, and counts which rows of the table the cases fired.
// Same seed and case count, same cases, on every machine.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>
#include <nlohmann/json.hpp>

#include "impl/scenario.hpp"
#include "properties/generators.hpp"
#include "properties/invariant.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

// One scenario run under a mutant (nullptr: the reference model) and judged
// by `only` (nullptr: the whole catalog). `row_hits`, if given, counts the
// rows the run fired; `event_cap`, if given, is the simulator's cap when the
// run reached it (Trace::event_cap), else 0.
std::vector<Verdict> judge(const Scenario& s, const Mutant* mutant, const Invariant* only,
                           std::vector<std::uint64_t>* row_hits = nullptr,
                           std::uint64_t* event_cap = nullptr);

// The rows of the table a mutant (or the reference) runs.
const std::vector<model::RowInfo>& table_rows(const Mutant* mutant);

// Case `index` of the run seeded `seed`: independent of every other case.
rc::Shrinkable<Scenario> generate_case(std::uint64_t seed, std::uint32_t index,
                                       const GenOptions& options);

struct Counterexample {
  std::string property;
  std::uint64_t seed = 0;
  std::uint32_t case_index = 0;
  std::uint32_t shrink_steps = 0;
  Scenario scenario;  // shrunk; faults that touch no segment removed
  std::vector<Violation> violations;
  // Directives in the scenario file: how big the story is.
  std::size_t size() const;
};

// Greedy shrinking: take the first smaller case that still violates
// `property`, until none does.
Counterexample shrink_case(const rc::Shrinkable<Scenario>& failing, const Invariant& property,
                           const Mutant* mutant, std::uint64_t seed, std::uint32_t index);

struct CheckOptions {
  std::uint64_t seed = 1;
  std::uint32_t cases = 10'000;
  GenOptions gen;
  const Invariant* property = nullptr;  // nullptr: the whole catalog
  const Mutant* mutant = nullptr;       // nullptr: the reference model
  // Cases run on this many threads; the report is the same for any number.
  unsigned threads = 1;
};

struct PropertyTally {
  std::string_view id;
  std::uint32_t runs = 0;
  std::uint32_t applicable = 0;  // cases whose preconditions held
  std::uint32_t failed = 0;
};

// Tallies as JSON: [{"property", "runs", "applicable", "failed"}].
nlohmann::json tallies_json(const std::vector<PropertyTally>& tallies);

struct CheckReport {
  CheckOptions options;
  std::uint32_t cases_run = 0;
  std::vector<PropertyTally> tallies;
  std::vector<std::uint64_t> row_hits;  // per row of the table that ran
  std::optional<Counterexample> counterexample;
  // Cases that reached the simulator's event cap: no verdict on them.
  std::uint32_t cut_off_cases = 0;
  std::optional<std::uint32_t> first_cut_off;  // its index
  bool passed() const { return !counterexample; }
};

using Progress = std::function<void(std::uint32_t done, std::uint32_t total)>;

CheckReport run_check(const CheckOptions& options, const Progress& progress = {});

// The file a counterexample is saved as, with its story and replay line in
// the leading comment.
std::string counterexample_file(const Counterexample& c, const Mutant* mutant,
                                const std::string& path);

// The command that replays a saved counterexample.
std::string replay_command(const Mutant* mutant, const std::string& path);

}  // namespace fincheck
