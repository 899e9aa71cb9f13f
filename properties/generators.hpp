#pragma once
// RapidCheck generators for whole scenarios. Small gen_x() functions,
// composed in gen_scenario(), biased toward realistic values and shrinking
// toward the smallest story: fewer faults, smaller delays, fewer data
// segments, the profile's own parameters.
#include <cstdint>
#include <optional>
#include <string>

#include <rapidcheck.h>

#include "impl/scenario.hpp"

namespace fincheck {

struct GenOptions {
  std::optional<std::string> profile;  // unset: any of the three
  std::uint32_t max_faults = 4;
};

// Picks index i with weight weights[i]; shrinks toward index 0, so put the
// plain choice first.
rc::Gen<std::size_t> gen_choice(std::vector<std::size_t> weights);

// A duration in whole milliseconds in [lo, hi], shrinking toward lo.
rc::Gen<std::int64_t> gen_ms(std::int64_t lo_ms, std::int64_t hi_ms);

rc::Gen<std::string> gen_profile();
// Overrides of the profile's parameters, each one shrinking away.
rc::Gen<Scenario> gen_parameters(const std::string& profile);
// Initial sequence numbers: the defaults, or next to the 2^32 wrap.
rc::Gen<std::uint32_t> gen_isn(std::uint32_t plain);
// Who closes first and when; data either side writes.
rc::Gen<std::vector<AppAction>> gen_app(const Scenario& s);
// Fates for chosen segments: drops, delays up to MSL, duplicates.
rc::Gen<std::vector<SegmentFault>> gen_faults(const Scenario& s, std::uint32_t max_faults);

rc::Gen<Scenario> gen_scenario(const GenOptions& options = {});

}  // namespace fincheck
