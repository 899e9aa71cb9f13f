#pragma once
// The claims of the notes the project started from (DESIGN.md, "What the
// source notes claim"), each tested by an experiment on the simulator and
// answered with numbers, intervals and a verdict.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "research/monte_carlo.hpp"

namespace fincheck::research {

struct ClaimResult {
  ClaimResult(int number, std::string claim) : number(number), claim(std::move(claim)) {}
  int number = 0;
  std::string claim;               // as the notes put it
  std::string measured;            // what the experiment measured
  std::string numbers;             // the figures with their intervals
  std::string verdict;             // "holds", "holds with a caveat", "does not hold"
  std::string comment;             // why, in a sentence or two
  std::vector<std::string> files;  // CSV and plot scripts, relative to the report folder
};

struct ClaimsOptions {
  bool quick = false;  // fewer samples: under a minute, for CI and a first look
  unsigned threads = 1;
  std::uint64_t seed = 1;
  std::string out_dir = "claims-report";
  // The running kernel's TIME-WAIT for claim 8, measured by the caller
  // (research/ knows no stack): its length, or nullopt and why not.
  struct KernelTimeWait {
    std::optional<std::int64_t> length_us;
    std::string source;  // the kernel measured, or why it was not
  };
  std::function<KernelTimeWait()> kernel_time_wait;
};

std::vector<ClaimResult> run_claims(const ClaimsOptions& options,
                                    const SweepProgress& progress = {});

std::string claims_markdown(const std::vector<ClaimResult>& results, const ClaimsOptions& options);

}  // namespace fincheck::research
