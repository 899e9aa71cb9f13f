#pragma once
// The Monte Carlo runner: the same endpoint and network as everything else,
// with fates drawn at random; no RapidCheck in the loop. Teardown i of point
// p takes its randomness from (seed, p, i) alone, so any split of the
// samples across threads or shards adds up to the same tally.
#include <cstdint>
#include <functional>
#include <vector>

#include "research/outcome.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

// Teardown `index` of `point`.
TeardownOutcome run_teardown(const Scenario& s, const SweepPoint& point, std::uint64_t seed,
                             std::uint64_t point_index, std::uint64_t index);

// Samples [from, to) of one point.
Tally run_samples(const Scenario& s, const SweepPoint& point, std::uint64_t seed,
                  std::uint64_t point_index, std::uint64_t from, std::uint64_t to);

struct Shard {
  std::uint32_t k = 0;  // this shard, 0-based
  std::uint32_t n = 1;  // of this many
};

struct PointResult {
  SweepPoint point;
  Tally tally;
};

using SweepProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Every point, this shard's share of each point's samples, on `threads`
// threads.
std::vector<PointResult> run_sweep(const SweepSpec& spec, unsigned threads, Shard shard,
                                   const SweepProgress& progress = {});

}  // namespace fincheck::research
