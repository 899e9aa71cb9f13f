// What a user of fincheck writes without forking it:
//  - an invariant of their own ("fin-retransmitted-at-most-twice"), judged
//    over generated runs beside the catalog;
//  - a stack driver of their own, in-process ("silent-closer": the model,
//    except that it never sends a RST), registered by name and validated
//    through the seam, which must catch it.
// Exit 0 when the model satisfies the invariant and the driver is caught.
#include <iostream>
#include <set>

#include "drivers/reference_driver.hpp"
#include "drivers/relay_driver.hpp"
#include "impl/simulation.hpp"
#include "impl/wire.hpp"
#include "properties/checker.hpp"
#include "stacks/registry.hpp"

using namespace fincheck;

namespace {

// ---- an invariant of one's own ---------------------------------------------

bool no_more_than_two_losses(const Run& run) { return run.scenario.faults.size() <= 2; }

void fin_retransmitted_at_most_twice(const Run& run, std::vector<Violation>& out) {
  int fins[2] = {0, 0};
  for (const SegmentRecord& s : run.trace.segments)
    if (s.seg.flags.fin && !s.injected && ++fins[s.from == Side::A ? 0 : 1] == 4)
      out.push_back({"fin-retransmitted-at-most-twice", s.sent_us,
                     std::string(name_of(s.from)) + " sent its FIN a fourth time"});
}

const Invariant my_invariant{"fin-retransmitted-at-most-twice",
                             "with at most two faults, no side sends its FIN more than three times",
                             no_more_than_two_losses, fin_retransmitted_at_most_twice};

// ---- a stack driver of one's own -------------------------------------------

// The reference stack, with every RST it would send held back.
class SilentCloser final : public RelayDriver {
 public:
  explicit SilentCloser(const DriverSetup& setup)
      : RelayDriver(setup, reference_driver(model::reference_table())) {}

 private:
  void emitted(std::int64_t at, std::span<const std::uint8_t> packet) override {
    const auto decoded = decode(packet);
    const auto* w = std::get_if<WireSegment>(&decoded);
    if (w && (w->flags & tcp_flag::rst)) return;  // its one departure
    observer_.emitted(at, packet);
  }
};

}  // namespace

int main() {
  // The invariant over the model, on 2,000 generated cases.
  std::uint32_t applicable = 0, failed = 0;
  for (std::uint32_t i = 0; i < 2'000; ++i) {
    const Scenario s = generate_case(1, i, GenOptions{}).value();
    Simulation sim(s);
    const Verdict v = check_one(my_invariant, Run{s, sim.run()});
    applicable += v.applicable;
    failed += !v.holds();
  }
  std::cout << my_invariant.id << ": " << applicable << " applicable runs, " << failed
            << " failed\n";

  // The driver, registered and validated through the seam.
  register_stack({"silent-closer", "the model, minus its RSTs", [] {
                    StackUnderTest s{"silent-closer",
                                     [](const DriverSetup& setup) -> std::unique_ptr<StackDriver> {
                                       return std::make_unique<SilentCloser>(setup);
                                     },
                                     {}};
                    return s;
                  }});
  const StackUnderTest stack = stack_named("silent-closer");
  const ValidationReport r = validate(generated_cases(stack, 1, 500), 500, stack);
  std::set<std::string> kinds;
  for (const DivergenceClass& d : r.divergences) kinds.insert(d.kind);
  std::cout << "silent-closer:";
  for (const std::string& k : kinds) std::cout << ' ' << k;
  std::cout << '\n';
  // The shadow must see the missing RST (RFC 9293 §3.10.7.1: a segment to a
  // closed connection is answered by RST).
  const bool caught = kinds.count("segment") > 0;
  return failed == 0 && applicable > 0 && caught ? 0 : 1;
}
