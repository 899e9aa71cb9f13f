#pragma once
// A stack under test playing some sides of every teardown of a sweep
// (`sweep --impl`), through the seam. The research runner knows it only by
// these hooks; tools/ builds them from the stack registry.
#include <functional>
#include <memory>
#include <string>

#include "impl/scenario.hpp"
#include "impl/simulation.hpp"

namespace fincheck::research {

// One teardown's hold on the stack: it outlives the simulation, whose
// endpoints report into it up to their destruction.
class StackAttachment {
 public:
  virtual ~StackAttachment() = default;
  // Puts the stack on its sides of the simulation.
  virtual void attach(Simulation& sim) = 0;
  // The stack did what the model does not allow (the shadow said so).
  virtual bool diverged() const = 0;
};

struct SweepStack {
  std::string name;  // as --impl named it
  Playing sides = Playing::A;
  // Several teardowns may run at once, one per thread (not so for a stack
  // that exists once per process).
  bool concurrent = true;
  // The scenario as the stack sees it: its compiled-in profile, if any.
  std::function<void(Scenario&)> prepare;
  std::function<std::unique_ptr<StackAttachment>()> make;
};

}  // namespace fincheck::research
