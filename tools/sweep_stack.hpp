#pragma once
// sweep --impl: a registered stack on some sides of every teardown, as the
// research runner's hooks.
#include <memory>

#include "research/sweep_spec.hpp"
#include "tools/commands.hpp"

namespace fincheck::cli {

// The stack --impl names, on the sides --as names, checked against the
// sweep: it must run in virtual time, and a stack with parameters of its
// own leaves the axes that would set them at their defaults (the profile
// axis becomes its profile). Throws ScenarioError naming the flag.
std::shared_ptr<const research::SweepStack> sweep_stack(const SweepCliOptions& o,
                                                        research::SweepSpec& spec);

}  // namespace fincheck::cli
