#pragma once
// Generators for whole scenarios: small draw_x() functions, composed in
// gen_scenario(), biased toward realistic values; and the shrinker that
// heads for the smallest story -- fewer faults, smaller delays, fewer data
// segments, the profile's own parameters.
//
// gen_scenario() is a RapidCheck generator, usable in RC_GTEST_PROP and by
// `fincheck check` alike. It draws from a small integer PRNG seeded by
// RapidCheck's Random and shrinks with an explicit shrinker instead of
// gen::exec: gen::exec spent ~8 µs of bookkeeping per case, more than
// simulating and judging it (bench/check_bench.cpp).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "impl/draw.hpp"
#include "impl/scenario.hpp"

namespace fincheck {

struct GenOptions {
  std::optional<std::string> profile;  // unset: any of the three
  // A profile of one's own (a profile file), in place of a named one.
  std::optional<model::Parameters> params;
  std::uint32_t max_faults = 4;
  // Keep the profile's protocol parameters: a stack under test has its own,
  // compiled in, and cannot take overrides.
  bool profile_parameters_only = false;
  bool reopen = true;  // false: never reuse the 4-tuple
  bool inject = true;  // false: never inject a segment no endpoint sent
};

// The profile, or one of the three (rfc9293 most often).
std::string draw_profile(Draw& d);
// The profile's parameters with some overrides, kept RFC-sane together.
Scenario draw_parameters(Draw& d, const std::string& profile, bool overrides = true);
Scenario draw_parameters(Draw& d, const model::Parameters& profile, bool overrides = true);
// Initial sequence numbers: the plain one, or next to the 2^32 wrap.
std::uint32_t draw_isn(Draw& d, std::uint32_t plain);
// Who closes first and when; data either side writes.
std::vector<AppAction> draw_app(Draw& d, const Scenario& s);
// An application that never reads, with data waiting for it.
void draw_unread(Draw& d, Scenario& s);
// Now and then a segment no endpoint sent: a RST near the receiver's window,
// a bare ACK probe.
std::vector<Injection> draw_injections(Draw& d, const Scenario& s);
// Fates for chosen segments: drops, delays up to MSL, duplicates.
std::vector<SegmentFault> draw_faults(Draw& d, const Scenario& s, std::uint32_t max_faults);

Scenario draw_scenario(Draw& d, const GenOptions& options);

// Smaller stories than `s`, the biggest simplifications first; each a valid
// scenario.
std::vector<Scenario> shrink_scenario(const Scenario& s);

rc::Gen<Scenario> gen_scenario(const GenOptions& options = {});

}  // namespace fincheck
