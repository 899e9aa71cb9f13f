#pragma once
// The Monte Carlo runner: the same endpoint and network as everything else,
// with fates drawn at random; no RapidCheck in the loop. Teardown i of point
// p takes its randomness from (seed, p, i) alone, so any split of the
// samples across threads or shards adds up to the same tally.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "research/outcome.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

// Teardown `index` of `point`; `fates`, if given, receives the fate drawn
// for every segment sent, in the order they were sent.
// `stack`, if given, plays its sides; the outcome says whether it diverged.
TeardownOutcome run_teardown(const Scenario& s, const SweepPoint& point, std::uint64_t seed,
                             std::uint64_t point_index, std::uint64_t index,
                             std::vector<SegmentFault>* fates = nullptr,
                             const SweepStack* stack = nullptr);

// One teardown of `s`, its fates from `faults` (none: the scenario's own
// fault lines), `stack` on its sides.
TeardownOutcome play_teardown(const Scenario& s, FaultSource* faults, const SweepStack* stack);

// The first teardowns of each outcome of one point, by index: entry k
// follows outcome_columns()[k].
struct Examples {
  std::uint32_t wanted = 0;  // per outcome; 0: none kept
  std::vector<std::vector<std::uint64_t>> indices;
  void add(const TeardownOutcome& o, std::uint64_t index);
  // Keeps the `wanted` lowest of both.
  void merge(const Examples& other);
};

// Samples [from, to) of one point; `examples`, if given, keeps the first of
// each outcome.
Tally run_samples(const Scenario& s, const SweepPoint& point, std::uint64_t seed,
                  std::uint64_t point_index, std::uint64_t from, std::uint64_t to,
                  Examples* examples = nullptr, const SweepStack* stack = nullptr);

struct Shard {
  std::uint32_t k = 0;  // this shard, 0-based
  std::uint32_t n = 1;  // of this many
};

// "k/N" with 0 <= k < N, digits only.
std::optional<Shard> parse_shard(const std::string& text);

struct PointResult {
  SweepPoint point;
  Tally tally;
  Examples examples;  // when the sweep was asked to keep them
};

using SweepProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Every point, this shard's share of each point's samples, on `threads`
// threads; the first `examples` teardowns of each outcome of each point
// are kept by index, the same for any number of threads.
std::vector<PointResult> run_sweep(const SweepSpec& spec, unsigned threads, Shard shard,
                                   const SweepProgress& progress = {}, std::uint32_t examples = 0);

}  // namespace fincheck::research
