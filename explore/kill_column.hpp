#pragma once
// The kill matrix's explore column (fincheck mutants): for each mutant, the
// smallest bounds at which the explorer finds a violation in a textbook
// close, and how long the search took up to it.
#include <optional>
#include <string>
#include <vector>

#include "explore/explorer.hpp"

namespace fincheck::explore {

// The bounds tried, smallest first: each fault kind alone, then two kinds
// at once, then the CI bound (2, 2, 0).
const std::vector<Bounds>& kill_ladder();
std::string bounds_name(const Bounds& b);  // "(drops, dups, delays)"

struct ExploreKill {
  Bounds bounds;
  std::string close;  // the textbook close it broke
  std::string property;
  std::uint32_t depth = 0;
  Scenario scenario;  // the shortest counterexample
};

struct ExploreColumnCell {
  std::optional<ExploreKill> kill;  // none: it survived the whole ladder
  double seconds = 0;               // every search up to the kill (or all)
  std::uint64_t states = 0;
};

ExploreColumnCell explore_kill(const Mutant& mutant, unsigned threads);

}  // namespace fincheck::explore
