#include "tools/sweep_stack.hpp"

#include "impl/scenario_io.hpp"
#include "model/parameters.hpp"
#include "properties/validation.hpp"
#include "research/sweep_axes.hpp"
#include "stacks/registry.hpp"

namespace fincheck::cli {

namespace {

// One teardown's seam: the stack's driver and shadow on its sides, and
// what they report.
class SeamAttachment final : public research::StackAttachment {
 public:
  SeamAttachment(const StackUnderTest& stack, Playing sides) : stack_(stack), sides_(sides) {}
  void attach(Simulation& sim) override {
    sim.set_factory(sides_, seam_factory(stack_, divergences_, seen_));
  }
  bool diverged() const override { return !divergences_.empty(); }

 private:
  const StackUnderTest& stack_;
  Playing sides_;
  std::vector<Divergence> divergences_;
  SeamObservations seen_;
};

// The axes that set an endpoint's parameters: a stack's compiled-in
// profile would silently override them.
constexpr std::string_view endpoint_axes[] = {"time_wait",       "rto",     "rto_estimation",
                                              "tail_loss_probe", "retries", "retries_by_time",
                                              "delayed_ack",     "rfc1337", "msl"};

}  // namespace

std::shared_ptr<const research::SweepStack> sweep_stack(const SweepCliOptions& o,
                                                        research::SweepSpec& spec) {
  const auto fail = [](const std::string& why) { throw ScenarioError("--impl", 0, why); };
  std::shared_ptr<const StackUnderTest> stack;
  try {
    stack = std::make_shared<const StackUnderTest>(
        stack_named(o.impl, StackOptions{std::chrono::milliseconds(o.stack_timeout_ms)}));
  } catch (const StackUnavailable& e) {
    fail(e.what());
  }
  if (stack->caps.clock != StackClock::Virtual)
    fail(stack->name +
         " keeps real time, and a sweep runs thousands of teardowns in virtual time: validate "
         "it instead (fincheck validate --impl " +
         o.impl + ")");
  const Playing sides = o.as == "b" ? Playing::B : o.as == "both" ? Playing::Both : Playing::A;
  if (sides == Playing::Both && !stack->caps.plays_both)
    fail(stack->name + " cannot play both sides of one teardown: --as a or --as b");
  if (stack->profile) {
    const research::SweepSpec defaults;
    for (const std::string_view name : endpoint_axes) {
      const research::SweepAxis* axis = research::sweep_axis_named(name);
      research::SweepPoint mine, usual;
      if (axis->count(spec) == 1) axis->pick(spec, 0, mine);
      axis->pick(defaults, 0, usual);
      if (axis->count(spec) != 1 || axis->text(mine) != axis->text(usual))
        fail(stack->name + " has its own " + std::string(name) +
             " (its profile, compiled in): the " + std::string(name) + " axis must stay " +
             axis->text(usual));
    }
    if (spec.profiles != defaults.profiles && spec.profiles != std::vector{stack->profile->profile})
      fail(stack->name + " has its own parameters: the profile axis is its profile, " +
           stack->profile->profile);
    if (model::profile_named(stack->profile->profile)) spec.profiles = {stack->profile->profile};
  }
  auto sweep = std::make_shared<research::SweepStack>();
  sweep->name = o.impl;
  sweep->sides = sides;
  sweep->concurrent = stack->caps.concurrent;
  sweep->prepare = [stack](Scenario& s) { prepare(*stack, s); };
  sweep->make = [stack, sides] { return std::make_unique<SeamAttachment>(*stack, sides); };
  return sweep;
}

}  // namespace fincheck::cli
